"""The sparse features of a text for the answer model: character n-grams, words, English words.

A text is analysed once (``knowledge.analysis``: normalised, colloquial and mistyped forms in the
notice's wording, filler dropped, segmented). Its features are the character 1-, 2- and 3-grams
of its Han/digit runs (robust to typos, unknown words and segmentation slips), its jieba words
of two characters or more (the programme's terms kept whole), and the English words the
glossary left untranslated. Each feature counts once; the vector has unit length, so a long
message weighs no more than a short one. The trainer (``knowledge.train``) and the model at run
time (``knowledge.model``) use this one function.
"""

from __future__ import annotations

import math

from knowledge.analysis import ENGLISH_STOPWORDS, Analysis, analyse

NGRAM_MAX = 3


def feature_set(a: Analysis) -> set[str]:
    """``1:`` / ``2:`` / ``3:`` character n-grams, ``w:`` words, ``l:`` English words."""
    feats: set[str] = set()
    for run in a.runs:
        for n in range(1, NGRAM_MAX + 1):
            feats.update(f"{n}:{run[i : i + n]}" for i in range(len(run) - n + 1))
    feats.update("w:" + w for w in a.words if len(w) >= 2)
    feats.update("l:" + w for w in a.latin if w not in ENGLISH_STOPWORDS and len(w) > 1)
    return feats


def vector(feats: set[str]) -> dict[str, float]:
    """Binary features scaled to unit length."""
    if not feats:
        return {}
    value = 1.0 / math.sqrt(len(feats))
    return dict.fromkeys(feats, value)


def text_vector(text: str) -> dict[str, float]:
    return vector(feature_set(analyse(text)))
