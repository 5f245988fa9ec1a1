"""Retrieval over the answer units' phrasings: how close a question is to each unit.

Features of a question (``knowledge.analysis``) are weighted by IDF over the units and compared
by cosine with every phrasing of every unit, and by coverage with each unit's pooled vocabulary.
Unit keywords found in the question add a bounded boost. Features the units have never seen
keep the highest IDF, so a question about something else (the weather, another programme)
stays far from every unit. Two checks keep a nearby unit from answering a different question:

* **topic evidence**: the question must share with the unit a word that is not generic
  (``lexicon.yaml`` ``generic``: 什么时候, 几个, 下载…); when it shares none and its own topic
  words are either absent or known from other units, the score is scaled by ``GENERIC_ONLY``;
* **kind of answer**: a question asking only for kinds of answer (when, how many, where…) that a
  unit declares it does not give (``asks``) is scaled by ``ASK_MISMATCH``;
* **what is left unsaid**: the share (IDF-weighted) of the question's topic words the unit's
  vocabulary never uses lowers its score, by ``TOPIC_MISSING`` at most ("经验通过什么途径宣传"
  shares 途径 with how to apply, but 宣传 only with the publicity clause).

``unknown_share`` says how much of a question neither the notice nor the units ever say;
``respelled`` reads homophone slips of the units' words (现厂 -> 现场); ``condensed`` keeps the
clauses of a long story that name something the units know. This was the whole matcher before
issue 20; it is now one of the two scorers ``knowledge.faq`` combines with the trained model.
"""

from __future__ import annotations

import functools
from collections import defaultdict

from knowledge import pinyin
from knowledge.analysis import (
    CLAUSE_RE,
    ENGLISH_STOPWORDS,
    FOCUS_MIN_CHARS,
    GENERAL_WORDS,
    MAX_CHARS,
    Analysis,
    Method,
    analyse,
    features,
    remember,
    remember_runs,
    remember_words,
    topic_words,
)
from knowledge.lexicon import lexicon
from knowledge.models import FaqEntry, Knowledge
from knowledge.segmenter import tokenizer
from knowledge.specifics import INFERRED_KINDS
from knowledge.text import has_han, normalize, programme_terms
from knowledge.vectors import Vectors

PHRASING_WEIGHT = 0.5  # best single phrasing vs the unit's pooled vocabulary
KEYWORD_BONUS = 0.06  # per character of the keywords found in the question…
KEYWORD_CAP = 0.3  # …at most this much in all
KEYWORD_FLOOR = 0.05  # keywords only boost a unit the text already resembles
GENERIC_ONLY = 0.55  # the question shares only generic words with the unit
ASK_MISMATCH = 0.5  # the question asks for a kind of answer the unit does not give
CHECKED = 30  # units scored in full (by their plain similarity); the rest are too far behind
TOPIC_MISSING = 0.2  # at most this much off a unit that uses none of the question's topic words
HOMOPHONE_MIN, HOMOPHONE_MAX = 2, 4  # lengths of the words a typo is read against
MAX_PIECE = 8  # topic words longer than this are matched as words only


def substrings(text: str, longest: int = MAX_PIECE) -> frozenset[str]:
    """Every substring of ``text`` of 2 to ``longest`` characters."""
    n = len(text)
    return frozenset(text[i:j] for i in range(n) for j in range(i + 2, min(n, i + longest) + 1))


def _bare(compact: str) -> str:
    """Without the particle 的, so keywords match across it: 经信委(的)电话."""
    return compact.replace("的", "")


class Retrieval:
    """Every unit's phrasings and vocabulary, indexed once; ``ranked`` scores a question."""

    def __init__(self, kb: Knowledge, units: list[FaqEntry], method: Method = "hybrid") -> None:
        self.method = method
        self.entries = units
        lex = lexicon()
        self._lexicon = lex
        self._generic = frozenset(lex.generic)
        phrasing_feats: list[set[str]] = []
        self._phrasing_entry: list[int] = []
        entry_feats: list[set[str]] = [set() for _ in self.entries]
        self._topics: list[set[str]] = [set() for _ in self.entries]
        for e_index, entry in enumerate(self.entries):
            for question in entry.questions:
                a = remember(question)
                feats = features(a, method)
                phrasing_feats.append(feats)
                self._phrasing_entry.append(e_index)
                entry_feats[e_index] |= feats
                self._topics[e_index] |= topic_words(a, self._generic)
            for keyword in entry.keywords:
                a = remember(keyword)
                entry_feats[e_index] |= features(a, method)
                self._topics[e_index] |= topic_words(a, self._generic)
        self._phrasings = Vectors.over(phrasing_feats, entry_feats)
        self._pooled = Vectors.over(entry_feats)
        self._keywords = [
            sorted({_bare(remember(k, segment=False).compact) for k in e.keywords} - {""})
            for e in self.entries
        ]
        self._topic_keywords = [
            [k for k in keys if k not in self._generic] for keys in self._keywords
        ]
        self._asks = [frozenset(e.asks) for e in self.entries]
        self._faq_topics = frozenset().union(*self._topics)
        self._strict = frozenset(lex.strict_asks)
        self._topic_sets = [
            frozenset(w for w in {*topics, *keys} if len(w) <= MAX_PIECE)
            for topics, keys in zip(self._topics, self._topic_keywords, strict=True)
        ]
        self._said = [  # everything a unit says or is asked with, compact
            remember(e.answer, segment=False).compact
            + "".join(remember(t, segment=False).compact for t in [*e.questions, *e.keywords])
            for e in self.entries
        ]
        self._vocab_text = [
            "".join(remember(t, segment=False).compact for t in [*e.questions, *e.keywords])
            for e in self.entries
        ]
        vocabulary = "".join(c.text for c in kb.clauses.values()) + "".join(
            q + "".join(e.keywords) for e in self.entries for q in e.questions
        )  # the passages' questions are the units' questions
        # our own words on the conditions (what counts, what does not) are familiar too
        vocabulary += "".join("".join([c.explain, *c.counts, *c.not_counts]) for c in kb.conditions)
        runs = remember_runs(vocabulary)  # every Han character is in a run
        self._known_chars = {ch for run in runs for ch in run if has_han(ch)}
        self._known_words = {w for run in runs for w in remember_words(run)}
        self._known_words |= GENERAL_WORDS | self._generic

    @property
    def known_words(self) -> frozenset[str] | set[str]:
        """Every word the notice, the units' questions and keywords, and our condition notes use."""
        return self._known_words

    def shares_topic(self, a: Analysis, unit: FaqEntry, exclude: str = "") -> bool:
        """Does the unit say or get asked one of the question's topic words (but ``exclude``)?"""
        said = self._said[self.entries.index(unit)] if unit in self.entries else ""
        return any(w in said for w in topic_words(a, self._generic) - {exclude})

    def unknown_share(self, a: Analysis) -> float:
        """How much of the question neither the notice nor the FAQ ever says.

        The larger of: the share of its Han characters never used, and the share of its
        content words never used — "高新技术企业" is made of familiar characters but is an
        unfamiliar word; English words the glossary does not know count as unfamiliar words.
        """
        han = [ch for ch in a.cleaned if has_han(ch)]
        if not han:
            return 1.0
        char_share = sum(ch not in self._known_chars for ch in han) / len(han)
        content = [w for w in a.words if len(w) >= 2 and has_han(w)]
        unknown = [w for w in content if w not in self._known_words]
        latin = [w for w in a.latin if w not in ENGLISH_STOPWORDS]
        count = len(content) + len(latin)
        word_share = len(unknown) / count if count else 0.0
        latin_share = len(latin) / count if count else 0.0
        return max(char_share, word_share, latin_share)

    def _has_topic(self, e_index: int, pieces: frozenset[str], question_topics: set[str]) -> bool:
        """Does the question share a topic word with the entry (as a word or inside one)?

        ``pieces``: every substring of the question up to ``MAX_PIECE`` characters, so "is an
        entry's word inside the question" is one set intersection.
        """
        if question_topics & self._topics[e_index] or pieces & self._topic_sets[e_index]:
            return True
        text = self._vocab_text[e_index]
        return any(w in text for w in question_topics)

    def _speaks_of_other_things(self, question_topics: set[str]) -> bool:
        """Only generic words, or topic words the notice or the FAQ use elsewhere."""
        return not question_topics or bool(question_topics & self._known_words)

    def ranked(self, a: Analysis) -> list[tuple[float, FaqEntry]]:
        """Every unit the question resembles, with its score (0..1), best first."""
        feats = features(a, self.method)
        if not feats:
            return []
        best_phrasing: dict[int, float] = defaultdict(float)
        for p_index, cos in self._phrasings.cosines(feats).items():
            e_index = self._phrasing_entry[p_index]
            best_phrasing[e_index] = max(best_phrasing[e_index], cos)
        pooled = self._pooled.coverage(feats)
        compact = a.compact
        familiar = 1.0 - self.unknown_share(a)
        question_topics = topic_words(a, self._generic)
        elsewhere = self._speaks_of_other_things(question_topics)
        bare = _bare(compact)
        pieces = substrings(bare) if elsewhere else frozenset()
        asked = self._lexicon.ask_kinds(compact) - INFERRED_KINDS  # those weigh no unit
        result = []
        weights = {w: self._pooled.value("w:" + w) for w in question_topics if has_han(w)}
        total = sum(weights.values())
        bases = {
            e: PHRASING_WEIGHT * best_phrasing.get(e, 0.0)
            + (1 - PHRASING_WEIGHT) * pooled.get(e, 0.0)
            for e in set(best_phrasing) | set(pooled)
        }
        # the checks below only lower a score or add a bounded bonus: the units far behind
        # the best can be left out without changing the first ones
        kept = sorted(bases, key=bases.__getitem__, reverse=True)[:CHECKED]
        for e_index in kept:
            base = bases[e_index]
            if base >= KEYWORD_FLOOR:
                hits = sum(len(k) for k in self._topic_keywords[e_index] if k in bare)
                base += min(KEYWORD_CAP, KEYWORD_BONUS * hits)
            if elsewhere and not self._has_topic(e_index, pieces, question_topics):
                base *= GENERIC_ONLY
            declared = self._asks[e_index]
            if asked and not asked & declared and (declared or asked & self._strict):
                base *= ASK_MISMATCH
            if total:  # the question's own words the unit never uses weigh against it
                vocabulary = self._said[e_index]
                missing = sum(w for t, w in weights.items() if t not in vocabulary) / total
                base *= 1.0 - TOPIC_MISSING * missing
            score = round(max(0.0, min(base, 1.0) * familiar), 4)
            result.append((score, self.entries[e_index]))
        result.sort(key=lambda pair: -pair[0])
        return result

    @functools.cached_property
    def _homophones(self) -> dict[str, str]:
        """Toneless pinyin -> a topic word of the FAQ (built on first need: a typo)."""
        words = {*self._faq_topics, *programme_terms()}
        words |= {k for keys in self._topic_keywords for k in keys}
        result: dict[str, str] = {}
        for word in sorted(words, key=lambda w: (-len(w), w)):
            if HOMOPHONE_MIN <= len(word) <= HOMOPHONE_MAX and all(map(has_han, word)):
                for key in pinyin.keys(word):
                    result.setdefault(key, word)
        return result

    def respelled(self, a: Analysis) -> str | None:
        """The question with homophone typos of the FAQ's words corrected (现厂 -> 现场).

        A piece of 2-4 characters that is no word at all (neither ours nor the segmenter's
        dictionary: 油价 and 异议 are words, 现厂 and 申包 are slips) but sounds like one of the
        FAQ's topic words is replaced by it; None when nothing is.
        """
        dictionary = tokenizer().FREQ
        text, changed = a.compact, False
        for n in range(HOMOPHONE_MAX, HOMOPHONE_MIN - 1, -1):
            i = 0
            while i + n <= len(text):
                piece = text[i : i + n]
                word = None
                if (
                    piece not in self._known_words
                    and not dictionary.get(piece)
                    and all(map(has_han, piece))
                ):
                    found = (self._homophones.get(k) for k in pinyin.keys(piece))
                    word = next((w for w in found if w and w != piece), None)
                if word is not None:
                    text, changed = text[:i] + word + text[i + n :], True
                    i += n
                else:
                    i += 1
        return text if changed else None

    def condensed(self, text: str) -> list[str]:
        """A long message without its clauses that name nothing the FAQ knows.

        "我们前几年被环保部门处罚过一次，已经整改到位了，不知道这种情况会不会影响申报": the
        question ("这种情况…") points back at a clause of the story; keeping the clauses with a
        topic word of the FAQ and the asking clause puts them together.
        """
        if len(text) < FOCUS_MIN_CHARS:
            return []
        clauses = [c for c in CLAUSE_RE.split(normalize(text[:MAX_CHARS])) if c.strip()]
        cues = self._lexicon.question_cues
        kept = [
            c
            for c in clauses
            if any(q in c for q in cues)
            or topic_words(analyse(c), self._generic) & self._faq_topics
        ]
        return ["，".join(kept)] if 1 < len(kept) < len(clauses) else []
