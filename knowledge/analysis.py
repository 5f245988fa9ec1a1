"""A question taken apart once: cleaned text, Han/digit runs, words, features, its focus.

Chinese has no spaces, so whitespace token scorers do not apply. A question is normalised
(``knowledge.text.normalize``), its colloquial and mistyped forms mapped to the notice's wording
(``knowledge.lexicon``), politeness and filler dropped, and then turned into features: character
n-grams (unigrams + bigrams of the Han/digit runs), jieba words with the programme's terms
(``knowledge.text.words``), or both. A long message that tells a story before it asks is also
reduced to its question (``focus``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from knowledge.lexicon import lexicon
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
    normalised = normalize(text[:MAX_CHARS])
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
_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")


def focus(text: str) -> str | None:
    """The question inside a message that tells a story first, or None for a plain question.

    The text after the last lead-in (想问, 请问, 所以…) when there is one, else the last
    sentence that carries a question cue (吗, 什么, 哪, 几, ？…).
    """
    folded = normalize(text[:MAX_CHARS])
    if len(folded) < FOCUS_MIN_CHARS:
        return None
    lex = lexicon()
    tail = None
    for lead in lex.lead_ins:
        at = folded.rfind(lead)
        if at >= 0 and (tail is None or at + len(lead) > len(folded) - len(tail)):
            tail = folded[at + len(lead) :]
    if tail is not None and len(tail.strip(" ：:，,。")) >= 3:
        return tail.strip(" ：:，,。")
    sentences = [s.strip() for s in _SENTENCE_RE.findall(folded) if s.strip()]
    asking = [s for s in sentences if any(c in s for c in lex.question_cues)]
    if not asking:
        return None
    question = asking[-1]
    clauses = [c for c in re.split(r"[,，]", question) if c.strip()]
    # the last clause that asks, with the clause before it for context
    for index in range(len(clauses) - 1, -1, -1):
        if any(c in clauses[index] for c in lex.question_cues):
            found = "，".join(clauses[max(0, index - 1) : index + 1])
            return None if found == folded else found
    return None if question == folded else question


def topic_words(a: Analysis, generic: frozenset[str]) -> set[str]:
    """Content words of a text that say what it is about (not generic, not everyday)."""
    return {
        w
        for w in a.words
        if len(w) >= 2 and has_han(w) and w not in generic and w not in GENERAL_WORDS
    }
