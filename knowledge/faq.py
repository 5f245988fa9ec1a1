"""FAQ matching: free text -> the FAQ entry that answers it, or nothing.

Chinese has no spaces, so whitespace token scorers do not apply. A question is turned into
features — character n-grams (unigrams + bigrams of the Han/digit runs), jieba words with the
programme's terms (``knowledge.text.words``), or both — weighted by IDF over the FAQ entries and
compared by cosine with every phrasing of every entry. Entry keywords found in the question add a
bounded boost. Features the FAQ has never seen keep the highest IDF, so a question about something
else (the weather, another programme) stays far from every entry.

``bench/faq_eval.py --compare`` measures the three feature kinds on the dev sets; ``DEFAULT_METHOD``
is the better one. Questions the notice does not answer but that sound like it (rewards,
scoring rules, other programmes…) are declined by the rules of ``data/scope.yaml``.
Everything is pre-computed in ``__init__``; one answer costs well under a millisecond.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge.loader import data_dir, validate_list
from knowledge.models import FaqEntry, Knowledge
from knowledge.text import has_han, normalize, words

Method = Literal["ngram", "words", "hybrid"]
METHODS: tuple[Method, ...] = ("ngram", "words", "hybrid")
DEFAULT_METHOD: Method = "hybrid"
THRESHOLD = 0.3  # below this combined score the question is not answered from the FAQ

UNIGRAM_WEIGHT = 0.35  # unigrams help short questions; bigrams carry most of the meaning
PHRASING_WEIGHT = 0.5  # best single phrasing vs the entry's pooled vocabulary
KEYWORD_BONUS = 0.06  # per character of the keywords found in the question…
KEYWORD_CAP = 0.3  # …at most this much in all
KEYWORD_FLOOR = 0.05  # keywords only boost an entry the text already resembles
POOLED = "coverage"  # entry-level term: "coverage" of the question, or "cosine"
UNSEEN_BIGRAM = 0.0  # IDF share of a bigram no entry has
WORD_UNKNOWN_WEIGHT = 1.0
UNKNOWN_PENALTY = 1.0  # a question made of characters the notice never uses is about something else

# Politeness and filler that say nothing about the question.
FILLER_RE = re.compile(
    r"你好|您好|请问一下|请问|麻烦问一下|想问一下|问一下|咨询一下|打扰一下|麻烦|谢谢|多谢|老师|"
    r"那个|就是|的话|一下|呢|吧|呀|啊|哈"
)
_RUN_RE = re.compile(r"[\u4e00-\u9fff0-9]+")
_LATIN_RE = re.compile(r"[a-z]+")
# Everyday words that say nothing about the topic of a question (never "unfamiliar").
GENERAL_WORDS = frozenset(
    {
        "今年",
        "去年",
        "明年",
        "前年",
        "后年",
        "现在",
        "目前",
        "以前",
        "之前",
        "之后",
        "最近",
        "今天",
        "我们",
        "你们",
        "他们",
        "咱们",
        "本单位",
        "我司",
        "贵司",
        "公司",
        "单位",
        "还能",
        "能不能",
        "可不可以",
        "是不是",
        "有没有",
        "要不要",
        "会不会",
        "怎么样",
        "如何",
        "哪些",
        "什么",
        "请问",
    }
)
MAX_CHARS = 500  # a question longer than this is matched on its beginning
# English words that carry no topic; other Latin words left after the glossary are unknown.
ENGLISH_STOPWORDS = frozenset(
    {
        "all",
        "already",
        "also",
        "detail",
        "details",
        "find",
        "help",
        "here",
        "if",
        "info",
        "information",
        "just",
        "kind",
        "know",
        "more",
        "needs",
        "one",
        "ones",
        "other",
        "out",
        "question",
        "questions",
        "so",
        "still",
        "than",
        "then",
        "thing",
        "things",
        "up",
        "yet",
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "do",
        "does",
        "did",
        "can",
        "could",
        "should",
        "would",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "i",
        "we",
        "you",
        "he",
        "she",
        "it",
        "they",
        "my",
        "our",
        "your",
        "its",
        "their",
        "me",
        "us",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "from",
        "by",
        "with",
        "about",
        "and",
        "or",
        "not",
        "no",
        "yes",
        "there",
        "this",
        "that",
        "these",
        "those",
        "any",
        "some",
        "please",
        "tell",
        "need",
        "have",
        "has",
        "get",
        "s",
        "t",
    }
)


# ---- out-of-scope rules ----------------------------------------------------------------------


class ScopeRule(BaseModel):
    """A kind of question the notice does not answer (``data/scope.yaml``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    why: str
    pattern: str = Field(min_length=1)
    unless: str = ""

    @field_validator("pattern", "unless")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from exc
        return value

    def applies(self, text: str) -> bool:
        if not re.search(self.pattern, text):
            return False
        return not (self.unless and re.search(self.unless, text))


def load_scope(path: Path | None = None) -> list[ScopeRule]:
    """The out-of-scope rules; a broken file fails naming the file, the rule and the field."""
    return validate_list(path or data_dir() / "scope.yaml", ScopeRule, "rules")


# ---- features --------------------------------------------------------------------------------


def clean_question(text: str) -> str:
    """Normalised text without filler, ready for feature extraction."""
    return FILLER_RE.sub(" ", normalize(text[:MAX_CHARS]))


@dataclass(frozen=True)
class Analysis:
    """One question taken apart once: cleaned text, Han/digit runs, words, leftover Latin."""

    cleaned: str
    runs: tuple[str, ...]
    words: tuple[str, ...]
    latin: tuple[str, ...]

    @property
    def compact(self) -> str:
        return self.cleaned.replace(" ", "")


def analyse(text: str, segment: bool = True) -> Analysis:
    cleaned = clean_question(text)
    runs = tuple(_RUN_RE.findall(cleaned))
    segmented = tuple(w for run in runs for w in words(run)) if segment else ()
    return Analysis(cleaned, runs, segmented, tuple(_LATIN_RE.findall(cleaned)))


def ngram_features(a: Analysis) -> set[str]:
    """Unigrams (``1:`` prefix) and bigrams of the Han/digit runs."""
    feats: set[str] = set()
    for run in a.runs:
        feats.update("1:" + ch for ch in run)
        feats.update(run[i : i + 2] for i in range(len(run) - 1))
    return feats


def word_features(a: Analysis) -> set[str]:
    """jieba words (``w:`` prefix), segmented with the programme's terms."""
    return {"w:" + w for w in a.words}


def features(a: Analysis, method: Method) -> set[str]:
    if method == "ngram":
        return ngram_features(a)
    if method == "words":
        return word_features(a)
    return ngram_features(a) | word_features(a)


def _is_bigram(feature: str) -> bool:
    return not feature.startswith(("1:", "w:"))


def _weight(feature: str) -> float:
    return UNIGRAM_WEIGHT if feature.startswith("1:") else 1.0


# ---- matcher ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FaqMatch:
    entry: FaqEntry
    score: float


@dataclass(frozen=True)
class FaqResult:
    """What the matcher made of a question, answered or not (for replies, logs and benches)."""

    match: FaqMatch | None
    reason: Literal["answered", "empty", "low_score", "out_of_scope"]
    score: float = 0.0
    candidate: FaqEntry | None = None  # best entry even when below the threshold
    rule: str | None = None  # the scope rule that declined the question


class _Vectors:
    """Sparse IDF-weighted vectors, unit length, with an inverted index for fast cosine."""

    def __init__(self, docs: list[set[str]], idf: dict[str, float], unseen_idf: float) -> None:
        self.idf, self.unseen_idf = idf, unseen_idf
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, feats in enumerate(docs):
            weights = {f: self.value(f) for f in feats}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for f, w in weights.items():
                self.postings[f].append((index, w / norm))

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
        phrasing_feats: list[set[str]] = []
        self._phrasing_entry: list[int] = []
        entry_feats: list[set[str]] = [set() for _ in self.entries]
        for e_index, entry in enumerate(self.entries):
            for question in entry.questions:
                feats = features(analyse(question), method)
                phrasing_feats.append(feats)
                self._phrasing_entry.append(e_index)
                entry_feats[e_index] |= feats
            for keyword in entry.keywords:
                entry_feats[e_index] |= features(analyse(keyword), method)
        n = len(self.entries)
        df: dict[str, int] = defaultdict(int)
        for feats in entry_feats:
            for f in feats:
                df[f] += 1
        idf = {f: math.log((n + 1) / (d + 0.5)) for f, d in df.items()}
        unseen = math.log((n + 1) / 0.5)
        self._phrasings = _Vectors(phrasing_feats, idf, unseen)
        self._pooled = _Vectors(entry_feats, idf, unseen)
        self._keywords = [
            sorted({normalize(k).replace(" ", "") for k in e.keywords} - {""}) for e in self.entries
        ]
        self.by_id = {e.id: e for e in self.entries}
        vocabulary = "".join(c.text for c in kb.clauses.values()) + "".join(
            q + "".join(e.keywords) for e in self.entries for q in e.questions
        )
        vocabulary = normalize(vocabulary)
        self._known_chars = {ch for ch in vocabulary if has_han(ch)}
        self._known_words = {w for run in _RUN_RE.findall(vocabulary) for w in words(run)}
        self._known_words |= GENERAL_WORDS

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
        return max(char_share, WORD_UNKNOWN_WEIGHT * word_share, latin_share)

    def scores(self, text: str) -> list[tuple[float, FaqEntry]]:
        """Every entry with a non-zero score, best first."""
        return self._scores(analyse(text))

    def _scores(self, a: Analysis) -> list[tuple[float, FaqEntry]]:
        feats = features(a, self.method)
        if not feats:
            return []
        best_phrasing: dict[int, float] = defaultdict(float)
        for p_index, cos in self._phrasings.cosines(feats).items():
            e_index = self._phrasing_entry[p_index]
            best_phrasing[e_index] = max(best_phrasing[e_index], cos)
        pooled = (
            self._pooled.coverage(feats) if POOLED == "coverage" else self._pooled.cosines(feats)
        )
        compact = a.compact
        familiar = 1.0 - UNKNOWN_PENALTY * self.unknown_share(a)
        result = []
        for e_index in set(best_phrasing) | set(pooled):
            base = PHRASING_WEIGHT * best_phrasing.get(e_index, 0.0) + (
                1 - PHRASING_WEIGHT
            ) * pooled.get(e_index, 0.0)
            if base >= KEYWORD_FLOOR:
                hits = sum(len(k) for k in self._keywords[e_index] if k in compact)
                base += min(KEYWORD_CAP, KEYWORD_BONUS * hits)
            score = round(max(0.0, min(base, 1.0) * familiar), 4)
            result.append((score, self.entries[e_index]))
        result.sort(key=lambda pair: -pair[0])
        return result

    def _out_of_scope(self, compact: str) -> ScopeRule | None:
        return next((rule for rule in self.scope if rule.applies(compact)), None)

    def classify(self, text: str) -> FaqResult:
        """The best entry and why it was, or was not, accepted."""
        a = analyse(text)
        ranked = self._scores(a)
        if not ranked:
            return FaqResult(match=None, reason="empty")
        score, entry = ranked[0]
        if (rule := self._out_of_scope(a.compact)) is not None:
            return FaqResult(None, "out_of_scope", score, entry, rule.id)
        if score < self.threshold:
            return FaqResult(None, "low_score", score, entry)
        return FaqResult(FaqMatch(entry, score), "answered", score, entry)

    def best(self, text: str) -> FaqMatch | None:
        """The answering entry, or None when no entry answers with enough confidence."""
        return self.classify(text).match
