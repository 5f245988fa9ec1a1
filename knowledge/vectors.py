"""Sparse IDF-weighted vectors with an inverted index: cosine and coverage in microseconds."""

from __future__ import annotations

import math
from collections import defaultdict

UNIGRAM_WEIGHT = 0.35  # unigrams help short questions; bigrams carry most of the meaning
UNSEEN_BIGRAM = 0.0  # IDF share of a bigram no document has
COMMON_IDF = 2.0  # a feature in more than ~13 % of the documents: counted in the norms, but its
# postings are not walked (it adds the same little to almost every document, at most cost)


def _is_bigram(feature: str) -> bool:
    return not feature.startswith(("1:", "w:"))


def _weight(feature: str) -> float:
    return UNIGRAM_WEIGHT if feature.startswith("1:") else 1.0


class Vectors:
    """Sparse IDF-weighted vectors, unit length, with an inverted index for fast cosine."""

    def __init__(self, docs: list[set[str]], idf: dict[str, float], unseen_idf: float) -> None:
        self.idf, self.unseen_idf = idf, unseen_idf
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, feats in enumerate(docs):
            weights = {f: self.value(f) for f in feats}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for f, w in weights.items():
                if idf.get(f, unseen_idf) >= COMMON_IDF:
                    self.postings[f].append((index, w / norm))

    @classmethod
    def over(cls, docs: list[set[str]], groups: list[set[str]] | None = None) -> Vectors:
        """Vectors of ``docs`` with IDF counted over ``groups`` (default: the docs)."""
        groups = docs if groups is None else groups
        df: dict[str, int] = defaultdict(int)
        for feats in groups:
            for f in feats:
                df[f] += 1
        n = len(groups)
        idf = {f: math.log((n + 1) / (d + 0.5)) for f, d in df.items()}
        return cls(docs, idf, math.log((n + 1) / 0.5))

    def value(self, feature: str) -> float:
        idf = self.idf.get(feature)
        if idf is None:  # unseen: a junction of two words (bigram) says little, a word a lot
            idf = self.unseen_idf * (UNSEEN_BIGRAM if _is_bigram(feature) else 1.0)
        return idf * _weight(feature)

    def coverage(self, feats: set[str]) -> dict[int, float]:
        """Per document: the share of the question's weight that the document contains."""
        weights = {f: self.value(f) for f in feats}
        total = sum(weights.values()) or 1.0
        scores: dict[int, float] = defaultdict(float)
        for f, w in weights.items():
            for index, _ in self.postings.get(f, ()):
                scores[index] += w / total
        return scores

    def cosines(self, feats: set[str]) -> dict[int, float]:
        weights = {f: self.value(f) for f in feats}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        scores: dict[int, float] = defaultdict(float)
        for f, w in weights.items():
            for index, dw in self.postings.get(f, ()):
                scores[index] += dw * w / norm
        return scores
