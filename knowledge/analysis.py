"""A question taken apart once: cleaned text, Han/digit runs, words, features, its question.

Chinese has no spaces, so whitespace token scorers do not apply. A question is normalised
(``knowledge.text.normalize``), its colloquial and mistyped forms mapped to the notice's wording
(``knowledge.lexicon``), politeness and filler dropped, and then turned into features: character
n-grams (unigrams + bigrams of the Han/digit runs), jieba words with the programme's terms
(``knowledge.text.words``), or both. A long message that tells a story before it asks yields the
pieces that may be its question (``candidates``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal

from knowledge.lexicon import lexicon
from knowledge.memo import loaded_memo, memo
from knowledge.text import has_han, normalize, words

Method = Literal["ngram", "words", "hybrid"]
METHODS: tuple[Method, ...] = ("ngram", "words", "hybrid")

# Politeness and filler that say nothing about the question.
FILLER_RE = re.compile(
    r"你好|您好|请问一下|请问|麻烦问一下|想问一下|问一下|咨询一下|打扰一下|麻烦|谢谢|多谢|老师|"
    r"那个|就是|的话|一下|呢|吧|呀|啊|哈"
)
RUN_RE = re.compile(r"[\u4e00-\u9fff0-9]+")
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


def clean_question(text: str) -> str:
    """Normalised text in the notice's wording, without filler, ready for feature extraction."""
    return FILLER_RE.sub(" ", lexicon().apply(normalize(text[:MAX_CHARS])))


@dataclass(frozen=True)
class Analysis:
    """One question taken apart once: cleaned text, Han/digit runs, words, leftover Latin."""

    cleaned: str
    runs: tuple[str, ...]
    words: tuple[str, ...]
    latin: tuple[str, ...]
    plain: str = ""  # compact, without filler, before the lexicon's rewriting (for scope rules)

    @property
    def compact(self) -> str:
        return self.cleaned.replace(" ", "")


def analyse(text: str, segment: bool = True) -> Analysis:
    """The analysis of a text; build-time texts come from the cross-process memo while an index
    is being built (a question never loads it)."""
    kind = "analysis" if segment else "analysis_unsegmented"
    loaded = loaded_memo()
    cached = loaded.get(kind, text) if loaded is not None else None
    return _analyse(text, segment) if cached is None else _cached(cached)


def _cached(value: list) -> Analysis:
    cleaned, runs, segmented, latin, plain = value
    return Analysis(cleaned, tuple(runs), tuple(segmented), tuple(latin), plain)


def remember(text: str, segment: bool = True) -> Analysis:
    """``analyse``, keeping the result in the memo (for texts of the data, not questions)."""
    kind = "analysis" if segment else "analysis_unsegmented"
    cached = memo().get(kind, text)
    if cached is not None:
        return _cached(cached)
    a = _analyse(text, segment)
    memo().put(kind, text, [a.cleaned, a.runs, a.words, a.latin, a.plain])
    return a


def remember_runs(text: str) -> list[str]:
    """The Han/digit runs of a long text of the data in the notice's wording (normalised, the
    lexicon applied), through the memo under the text's hash (for texts of the data)."""
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    cached = memo().get("runs", key)
    if cached is None:
        cached = RUN_RE.findall(lexicon().apply(normalize(text)))
        memo().put("runs", key, cached)
    return cached


def remember_words(run: str) -> list[str]:
    """``words(run)`` through the memo (for texts of the data, not questions)."""
    cached = memo().get("words", run)
    if cached is None:
        cached = words(run)
        memo().put("words", run, cached)
    return cached


_HAN_GAP_RE = re.compile(r"(?<=[\u4e00-\u9fff0-9]) (?=[\u4e00-\u9fff0-9])")
# Months and days in Chinese numerals, as the notice writes them (六月底 -> 6月底, 三十号 -> 30号)
_DATE_WORD_RE = re.compile(
    r"(十[一二]|[一二三四五六七八九十])(?=月)|(三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])(?=[号日])"
)
_HAN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")}


def _arabic(numeral: str) -> str:
    """一 -> 1, 十二 -> 12, 三十一 -> 31 (numerals up to 39)."""
    if "十" not in numeral:
        return str(_HAN_DIGIT[numeral])
    tens, _, ones = numeral.partition("十")
    return str((_HAN_DIGIT[tens] if tens else 1) * 10 + (_HAN_DIGIT[ones] if ones else 0))


def date_words(text: str) -> str:
    """Months and days written in Chinese numerals, in figures (the notice's own form)."""
    return _DATE_WORD_RE.sub(lambda m: _arabic(m.group()), text)


def _analyse(text: str, segment: bool) -> Analysis:
    normalised = _HAN_GAP_RE.sub("", normalize(text[:MAX_CHARS]))  # "用满 3 years" -> "用满3年"
    normalised = date_words(normalised)
    cleaned = FILLER_RE.sub(" ", lexicon().apply(normalised))
    plain = FILLER_RE.sub("", normalised).replace(" ", "")
    runs = tuple(RUN_RE.findall(cleaned))
    segmented = tuple(w for run in runs for w in words(run)) if segment else ()
    return Analysis(cleaned, runs, segmented, tuple(_LATIN_RE.findall(cleaned)), plain)


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


# ---- the question in a longer message ----------------------------------------------------------

FOCUS_MIN_CHARS = 30  # shorter messages are the question
CLAUSE_RE = re.compile(r"[,，。！？!?；;:：\n]")


MAX_CANDIDATES = 4  # pieces of a long message tried as its question


def candidates(text: str) -> list[str]:
    """Pieces of a long message that may be its question, most likely first.

    The text after the last lead-in (想问, 请问, 所以, 不清楚…) when there is one; then each
    clause that carries a question cue (吗, 什么, 哪, 几, ？…), with the clause before it and
    alone, from the last one back: "…有什么好处，我答不上来，你能告诉我吗" asks in its first
    clause.
    The matcher scores each and keeps the best. A short message is its own question: [].
    """
    folded = normalize(text[:MAX_CHARS])
    if len(folded) < FOCUS_MIN_CHARS:
        return []
    lex = lexicon()
    found: list[str] = []
    tail = None
    for lead in lex.lead_ins:
        at = folded.rfind(lead)
        if at >= 0 and (tail is None or at + len(lead) > len(folded) - len(tail)):
            tail = folded[at + len(lead) :]
    if tail is not None and len(tail.strip(" :：,，。")) >= 3:
        found.append(tail.strip(" :：,，。"))
    clauses = [c.strip() for c in CLAUSE_RE.split(folded) if c.strip()]
    for index in range(len(clauses) - 1, -1, -1):
        if len(found) >= MAX_CANDIDATES:
            break
        if any(c in clauses[index] for c in lex.question_cues):
            for piece in ("，".join(clauses[max(0, index - 1) : index + 1]), clauses[index]):
                if piece != folded and piece not in found:
                    found.append(piece)
    return found[:MAX_CANDIDATES]


def topic_words(a: Analysis, generic: frozenset[str]) -> set[str]:
    """Content words of a text that say what it is about (not generic, not everyday)."""
    return {
        w
        for w in a.words
        if len(w) >= 2 and has_han(w) and w not in generic and w not in GENERAL_WORDS
    }
