"""One reading of free text: what a message is before any flow looks at it. Pure; no I/O.

``read(text)`` names the kind of a message — ``navigation`` (with a sub-kind: menu, back,
cancel, restart), ``open`` (a feature asked for in words, with what to open: the self-check,
reminders, "my data", resuming a paused flow…), ``help``, ``human`` (asks for a person: the
notice's contacts), ``apply`` (how to apply: the route the notice lays out), ``yes`` /
``no`` (a bare answer, never an FAQ question), ``greeting``, ``thanks``, ``abuse``,
``nonsense`` — or ``question``: anything else, for the FAQ matcher or the pending step. The
vocabulary is data (``data/intents.yaml``): regular expressions that must match a whole part
of the text, so "返回" is navigation but "返回的材料要盖章吗" is a question.
``asks_the_notice`` is the one place that says whether a text is a question the notice
answers.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge.loader import data_dir, validate_one
from knowledge.models import regex
from knowledge.text import fold, has_han

if TYPE_CHECKING:
    from knowledge.faq import FaqMatcher

Kind = Literal[
    "navigation", "open", "help", "human", "apply", "yes", "no", "greeting", "thanks", "abuse",
    "nonsense", "question",
]  # fmt: skip
NavigationKind = Literal["menu", "back", "cancel", "restart"]
# A feature of the assistant asked for in words ("提醒我", "我的数据", "继续自测"): what to open.
OpenTarget = Literal[
    "check", "area", "faq", "deadlines", "remind", "stop_reminders", "privacy", "forget",
    "profile", "mail", "resume", "resume_check", "resume_area", "language",
]  # fmt: skip
# When a message has several parts of different kinds, the first kind here wins.
PRIORITY: tuple[Kind, ...] = (
    "abuse", "human", "open", "apply", "help", "navigation", "no", "yes", "thanks", "greeting",
)  # fmt: skip
# Parts that only frame another part ("你好，我想转人工") and never decide the kind alone.
FRAMING: frozenset[Kind] = frozenset({"greeting", "thanks"})
INTERJECTIONS = frozenset("啊阿哦噢喔嗯呃额哈呵嘿嘻哇呀唉哎嗷吖咦嘛")
_PARTS_RE = re.compile(r"[,，。.!！?？~～;；:：、\s]+")
_LATIN_WORD_RE = re.compile(r"[a-z]+")
MAX_CHARS = 40  # a longer text is a question or a story, never a command
MAX_RUN = 8  # a part this short may be two small-talk words run together


def _compile(patterns: list[str]) -> list[str]:
    return [regex(pattern) for pattern in patterns]


class IntentVocabulary(BaseModel):
    """``data/intents.yaml``: the patterns of each kind, validated (each must compile)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    navigation: dict[NavigationKind, list[str]]
    open: dict[OpenTarget, list[str]] = Field(default_factory=dict)
    help: list[str] = Field(min_length=1)
    human: list[str] = Field(min_length=1)
    apply: list[str] = Field(min_length=1)
    yes: list[str] = Field(min_length=1)
    no: list[str] = Field(min_length=1)
    greeting: list[str] = Field(min_length=1)
    thanks: list[str] = Field(min_length=1)
    abuse: list[str] = Field(min_length=1)
    followups: list[str] = Field(default_factory=list)
    politeness: list[str] = Field(default_factory=list)

    @field_validator(
        "help", "human", "apply", "yes", "no", "greeting", "thanks", "abuse", "followups"
    )
    @classmethod
    def _patterns(cls, value: list[str]) -> list[str]:
        return _compile(value)

    @field_validator("navigation", "open")
    @classmethod
    def _navigation(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for patterns in value.values():
            _compile(patterns)
        return value


def load_intents(path: Path | None = None) -> IntentVocabulary:
    return validate_one(path or data_dir() / "intents.yaml", IntentVocabulary)


@dataclass(frozen=True)
class Intent:
    """The reading of one message: its kind, the navigation sub-kind, the folded text."""

    kind: Kind
    sub: str | None = None  # navigation: menu, back…; open: the feature (OpenTarget)
    text: str = ""

    @property
    def is_question(self) -> bool:
        return self.kind == "question"


class IntentReader:
    """The compiled vocabulary; ``read`` costs a few regular-expression matches."""

    def __init__(self, vocabulary: IntentVocabulary) -> None:
        def whole(patterns: list[str]) -> re.Pattern[str]:
            return re.compile("|".join(f"(?:{p})" for p in patterns))

        self._kinds: list[tuple[Kind, str | None, re.Pattern[str]]] = []
        for kind in PRIORITY:
            if kind in ("navigation", "open"):
                for sub, patterns in getattr(vocabulary, kind).items():
                    self._kinds.append((kind, sub, whole(patterns)))
            else:
                self._kinds.append((kind, None, whole(getattr(vocabulary, kind))))
        polite = sorted(vocabulary.politeness, key=len, reverse=True)
        alternatives = "|".join(map(re.escape, polite)) or "(?!)"
        self._polite_re = re.compile(rf"^(?:{alternatives})+|(?:{alternatives})+$")
        self._abuse = whole(vocabulary.abuse)
        self._followup = whole(vocabulary.followups) if vocabulary.followups else None

    def _part_kind(self, part: str) -> tuple[Kind, str | None] | None:
        candidates = {part, self._polite_re.sub("", part).strip()} - {""}
        for kind, sub, pattern in self._kinds:
            if any(pattern.fullmatch(c) for c in candidates):
                return kind, sub
        return None

    def _run_kind(self, part: str) -> tuple[Kind, str | None] | None:
        """A part, or two words run together without punctuation ("好的谢谢")."""
        if (kind := self._part_kind(part)) is not None or len(part) > MAX_RUN:
            return kind
        for cut in range(1, len(part)):
            first, second = self._part_kind(part[:cut]), self._part_kind(part[cut:])
            if first is not None and second is not None and {first[0], second[0]} != {"yes", "no"}:
                return min((first, second), key=lambda k: PRIORITY.index(k[0]))
        return None

    def read(self, text: str) -> Intent:
        folded = fold(text)
        if _is_nonsense(folded):
            bare = self._part_kind(folded.strip("。.!！~～ "))  # 嗯 is a yes, 啊啊啊 is not
            if bare is not None and bare[0] in ("yes", "no"):
                return Intent(bare[0], text=folded)
            return Intent("nonsense", text=folded)
        if self._abuse.fullmatch(folded.replace(" ", "")):
            return Intent("abuse", text=folded)
        if len(folded) > MAX_CHARS:
            return Intent("question", text=folded)
        parts = [p for p in _PARTS_RE.split(folded) if p]
        english = not has_han(folded)
        if english:  # English commands are phrases: read the whole text as one part
            parts = [" ".join(parts)]
        elif self._followup is not None and len(parts) > 1:
            parts = [p for p in parts if not self._followup.fullmatch(p)] or parts
        kinds = [self._run_kind(p) for p in parts]
        if any(k is None for k in kinds):
            return Intent("question", text=folded)
        found = [k for k in kinds if k is not None]
        if {k[0] for k in found} == {"yes", "thanks"}:  # 好的，谢谢: the thanks is the point
            return Intent("thanks", text=folded)
        deciding = [k for k in found if k[0] not in FRAMING] or found
        kind, sub = min(deciding, key=lambda k: PRIORITY.index(k[0]))
        return Intent(kind, sub, folded)


def _is_nonsense(folded: str) -> bool:
    """No letters, only digits, only interjections, one character repeated, or Latin noise."""
    meaningful = [ch for ch in folded if ch.isalnum()]
    if not meaningful or all(ch.isdigit() for ch in meaningful):
        return True
    han = [ch for ch in folded if has_han(ch)]
    if han and (set(han) <= INTERJECTIONS or (len(set(han)) == 1 and len(han) >= 3)):
        return True
    if not han:
        latin = _LATIN_WORD_RE.findall(folded)
        if not latin:  # letters of another script only (ㄅㄆㄇ, Ω…)
            return not any(ch.isdigit() for ch in meaningful)
        return not any(w in _english_words() for w in latin)
    return False


@functools.cache
def _english_words() -> frozenset[str]:
    """English words the assistant knows: the intents' own, the glossary's, common ones."""
    from knowledge.analysis import ENGLISH_STOPWORDS
    from knowledge.text import glossary

    vocabulary = load_intents()
    patterns = " ".join(
        [*vocabulary.help, *vocabulary.human, *vocabulary.apply, *vocabulary.yes, *vocabulary.no]
        + [*vocabulary.greeting, *vocabulary.thanks]
        + [p for ps in vocabulary.navigation.values() for p in ps]
        + [p for ps in vocabulary.open.values() for p in ps]
    )
    words = set(_LATIN_WORD_RE.findall(patterns))
    words |= {w for term in glossary() for w in _LATIN_WORD_RE.findall(term)}
    words |= ENGLISH_STOPWORDS | QUESTION_WORDS
    return frozenset(w for w in words if len(w) > 1 or w in {"i", "a", "y", "n"})


QUESTION_WORDS = frozenset({"what", "when", "where", "who", "whom", "which", "why", "how", "much"})


@functools.cache
def reader() -> IntentReader:
    """The packaged vocabulary, compiled once per process."""
    return IntentReader(load_intents())


@functools.lru_cache(maxsize=4096)
def read(text: str) -> Intent:
    """What this message is: navigation, help, human, apply, yes/no, small talk, or a question.

    Cached by exact text (the same short messages come back: 是, 菜单, 要交费吗); pure."""
    return reader().read(text)


# The marks of a question (？, 吗, 什么…): a text with one is never an answer to a pending step.
_ASKS_RE = re.compile(
    r"[?？]|什么|怎么|如何|哪|多少|谁|能否|是否|可不可以|能不能|要不要|算不算|为什么|"
    r"为啥|咋|吗$|呢$|么$|^(how|what|which|why|when|where|who|can|do|does|is|are)\b"
)


def marked_as_question(text: str) -> bool:
    """Marked as a question (？, 吗, 什么, 哪…): never an answer to a pending step, even when
    the notice does not answer it."""
    return _ASKS_RE.search(fold(text)) is not None


def asks_the_notice(text: str, matcher: FaqMatcher) -> bool:
    """Is this text a question the notice answers (an FAQ entry or a quoted clause)?

    The one test every flow uses: a question (not navigation, help, a bare yes/no…) that the
    FAQ matcher answers — whether or not it ends with "？".
    """
    return read(text).is_question and matcher.answers(text)
