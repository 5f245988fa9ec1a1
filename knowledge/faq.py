"""FAQ matching: free text -> the FAQ entry that answers it, a quoted clause, or nothing.

Features of a question (``knowledge.analysis``) are weighted by IDF over the FAQ entries and
compared by cosine with every phrasing of every entry, and by coverage with each entry's pooled
vocabulary. Entry keywords found in the question add a bounded boost. Features the FAQ has never
seen keep the highest IDF, so a question about something else (the weather, another programme)
stays far from every entry. Two checks keep a nearby entry from answering a different question:

* **topic evidence**: the question must share with the entry a word that is not generic
  (``lexicon.yaml`` ``generic``: 什么时候, 几个, 下载…); when it shares none and its own topic
  words are either absent or known from other entries, the score is scaled by ``GENERIC_ONLY``;
* **kind of answer**: a question asking only for kinds of answer (when, how many, where…) that an
  entry declares it does not give (faq.yaml ``asks``) is scaled by ``ASK_MISMATCH``.

A long message is matched both whole and on its question (``analysis.focus``), the better kept.
When no entry is confident, a sentence of the notice that answers the question is quoted with
its clause (``knowledge.quotes``). Questions the notice does not answer but that sound like it
are declined by the rules of ``data/scope.yaml``. Everything is pre-computed in ``__init__``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from knowledge.analysis import (
    ENGLISH_STOPWORDS,
    GENERAL_WORDS,
    RUN_RE,
    Analysis,
    Method,
    analyse,
    features,
    focus,
    topic_words,
)
from knowledge.lexicon import lexicon
from knowledge.models import FaqEntry, Knowledge
from knowledge.quotes import QuoteIndex
from knowledge.scope import ScopeRule, load_scope, out_of_scope
from knowledge.text import has_han, normalize, words
from knowledge.vectors import Vectors

__all__ = ["DEFAULT_METHOD", "FaqMatch", "FaqMatcher", "FaqResult", "analyse", "load_scope"]

DEFAULT_METHOD: Method = "hybrid"
THRESHOLD = 0.3  # below this combined score the question is not answered from the FAQ

PHRASING_WEIGHT = 0.5  # best single phrasing vs the entry's pooled vocabulary
KEYWORD_BONUS = 0.06  # per character of the keywords found in the question…
KEYWORD_CAP = 0.3  # …at most this much in all
KEYWORD_FLOOR = 0.05  # keywords only boost an entry the text already resembles
GENERIC_ONLY = 0.55  # the question shares only generic words with the entry
ASK_MISMATCH = 0.5  # the question asks for a kind of answer the entry does not give

Reason = Literal["answered", "quoted", "empty", "low_score", "out_of_scope"]


@dataclass(frozen=True)
class FaqMatch:
    entry: FaqEntry
    score: float


@dataclass(frozen=True)
class FaqResult:
    """What the matcher made of a question, answered or not (for replies, logs and benches).

    ``reason == "quoted"``: no entry fitted, and ``match.entry`` is a sentence of the notice
    (``entry.quoted``), to be shown as the notice's words with its clause.
    """

    match: FaqMatch | None
    reason: Reason
    score: float = 0.0
    candidate: FaqEntry | None = None  # best entry even when below the threshold
    rule: str | None = None  # the scope rule that declined the question

    @property
    def answered(self) -> bool:
        return self.match is not None


class FaqMatcher:
    """Best FAQ entry for a question; every index is built once, here."""

    def __init__(
        self,
        kb: Knowledge,
        method: Method = DEFAULT_METHOD,
        threshold: float = THRESHOLD,
        scope: list[ScopeRule] | None = None,
    ) -> None:
        self.method, self.threshold = method, threshold
        self.entries = list(kb.faq)
        self.scope = load_scope() if scope is None else scope
        lex = lexicon()
        self._lexicon = lex
        self._generic = frozenset(lex.generic)
        phrasing_feats: list[set[str]] = []
        self._phrasing_entry: list[int] = []
        entry_feats: list[set[str]] = [set() for _ in self.entries]
        self._topics: list[set[str]] = [set() for _ in self.entries]
        for e_index, entry in enumerate(self.entries):
            for question in entry.questions:
                a = analyse(question)
                feats = features(a, method)
                phrasing_feats.append(feats)
                self._phrasing_entry.append(e_index)
                entry_feats[e_index] |= feats
                self._topics[e_index] |= topic_words(a, self._generic)
            for keyword in entry.keywords:
                a = analyse(keyword)
                entry_feats[e_index] |= features(a, method)
                self._topics[e_index] |= topic_words(a, self._generic)
        self._phrasings = Vectors.over(phrasing_feats, entry_feats)
        self._pooled = Vectors.over(entry_feats)
        self._keywords = [
            sorted({analyse(k, segment=False).compact for k in e.keywords} - {""})
            for e in self.entries
        ]
        self._topic_keywords = [
            [k for k in keys if k not in self._generic] for keys in self._keywords
        ]
        self._asks = [frozenset(e.asks) for e in self.entries]
        self._vocab_text = [
            "".join(analyse(t, segment=False).compact for t in [*e.questions, *e.keywords])
            for e in self.entries
        ]
        vocabulary = "".join(c.text for c in kb.clauses.values()) + "".join(
            q + "".join(e.keywords) for e in self.entries for q in e.questions
        )
        vocabulary = lex.apply(normalize(vocabulary))
        self._known_chars = {ch for ch in vocabulary if has_han(ch)}
        self._known_words = {w for run in RUN_RE.findall(vocabulary) for w in words(run)}
        self._known_words |= GENERAL_WORDS | self._generic
        self.quotes = QuoteIndex(kb, method, self.unknown_share)

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

    def _has_topic(self, e_index: int, compact: str, question_topics: set[str]) -> bool:
        """Does the question share a topic word with the entry (as a word or inside one)?"""
        if question_topics & self._topics[e_index]:
            return True
        if any(k in compact for k in self._topic_keywords[e_index]):
            return True
        text = self._vocab_text[e_index]
        if any(w in text for w in question_topics):
            return True
        return any(w in compact for w in self._topics[e_index])

    def _speaks_of_other_things(self, question_topics: set[str]) -> bool:
        """Only generic words, or topic words the notice or the FAQ use elsewhere."""
        return not question_topics or bool(question_topics & self._known_words)

    def _ranked(self, a: Analysis) -> list[tuple[float, FaqEntry]]:
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
        asked = self._lexicon.ask_kinds(compact)
        result = []
        for e_index in set(best_phrasing) | set(pooled):
            base = PHRASING_WEIGHT * best_phrasing.get(e_index, 0.0) + (
                1 - PHRASING_WEIGHT
            ) * pooled.get(e_index, 0.0)
            if base >= KEYWORD_FLOOR:
                hits = sum(len(k) for k in self._topic_keywords[e_index] if k in compact)
                base += min(KEYWORD_CAP, KEYWORD_BONUS * hits)
            if elsewhere and not self._has_topic(e_index, compact, question_topics):
                base *= GENERIC_ONLY
            if asked and self._asks[e_index] and not asked & self._asks[e_index]:
                base *= ASK_MISMATCH
            score = round(max(0.0, min(base, 1.0) * familiar), 4)
            result.append((score, self.entries[e_index]))
        result.sort(key=lambda pair: -pair[0])
        return result

    def classify(self, text: str) -> FaqResult:
        """The best entry (or quoted clause) and why it was, or was not, accepted."""
        a = analyse(text)
        ranked = self._ranked(a)
        if (question := focus(text)) is not None:
            a_focus = analyse(question)
            focused = self._ranked(a_focus)
            if focused and (not ranked or focused[0][0] > ranked[0][0]):
                a, ranked = a_focus, focused
        if not ranked:
            return FaqResult(match=None, reason="empty")
        score, entry = ranked[0]
        if (rule := out_of_scope(self.scope, a.plain)) is not None:
            return FaqResult(None, "out_of_scope", score, entry, rule.id)
        if score >= self.threshold:
            return FaqResult(FaqMatch(entry, score), "answered", score, entry)
        quote = self.quotes.best(a)
        if quote is not None:
            return FaqResult(FaqMatch(quote.entry, quote.score), "quoted", quote.score, quote.entry)
        return FaqResult(None, "low_score", score, entry)

    def best(self, text: str) -> FaqMatch | None:
        """The answering entry, or None when no entry answers with enough confidence."""
        return self.classify(text).match

    def answers(self, text: str) -> bool:
        """Is this text a question the notice answers (an FAQ entry or a quoted clause)?"""
        return self.classify(text).answered
