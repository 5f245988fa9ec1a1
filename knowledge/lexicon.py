"""The matching lexicon (``data/lexicon.yaml``): how people put questions, mapped to the notice.

* ``rewrite``: colloquial, dialect-ish and mistyped forms -> the notice's wording, applied to a
  question and to every FAQ phrasing alike (longest variant first), plus a few regular
  expressions for word-order forms such as 有规定没 -> 有没有规定;
* ``generic``: words that say what kind of answer is wanted but not what about (什么时候, 几个,
  下载…): sharing only these with an entry is no evidence that the entry answers the question;
* ``asks``: cues of the kind of answer a question wants (when, how_many, where, who…), checked
  against the kinds an FAQ entry declares it answers;
* ``question_cues``: what marks the question inside a longer message.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from knowledge.loader import data_dir, validate_one
from knowledge.models import ASK_KINDS, regex

REWRITE_PASSES = 2


class PatternRewrite(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    pattern: str = Field(min_length=1)
    to: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return regex(value)


class Lexicon(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rewrite: dict[str, list[str]] = Field(default_factory=dict)
    patterns: list[PatternRewrite] = Field(default_factory=list)
    generic: list[str] = Field(default_factory=list)
    asks: dict[str, list[str]] = Field(default_factory=dict)
    strict_asks: list[str] = Field(default_factory=list, description="kinds entries must declare")
    ask_patterns: dict[str, list[str]] = Field(
        default_factory=dict, description="kind -> regular expressions, beside the cues of asks"
    )
    question_cues: list[str] = Field(default_factory=list)
    everyday: list[str] = Field(
        default_factory=list, description="words of the notice that everyday talk uses too"
    )
    programme_words: list[str] = Field(
        default_factory=list, description="words that make a question one about the programme"
    )
    lead_ins: list[str] = Field(
        default_factory=list, description="想问, 请问…: the question follows"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Lexicon:
        seen: dict[str, str] = {}
        for target, variants in self.rewrite.items():
            for variant in variants:
                if not variant or variant == target:
                    raise ValueError(f"rewrite '{target}': empty or identical variant")
                if variant in seen:
                    first = seen[variant]
                    raise ValueError(f"rewrite: '{variant}' listed under '{first}' and '{target}'")
                seen[variant] = target
        for patterns in self.ask_patterns.values():
            for pattern in patterns:
                regex(pattern)
        kinds = set(self.asks) | set(self.strict_asks) | set(self.ask_patterns)
        unknown = sorted(kinds - set(ASK_KINDS))
        if unknown:
            raise ValueError(f"asks: unknown kinds {unknown}; known: {list(ASK_KINDS)}")
        return self

    @functools.cached_property
    def _rewrite_re(self) -> re.Pattern[str] | None:
        variants = sorted((v for vs in self.rewrite.values() for v in vs), key=len, reverse=True)
        return re.compile("|".join(map(re.escape, variants))) if variants else None

    @functools.cached_property
    def _targets(self) -> dict[str, str]:
        return {v: target for target, vs in self.rewrite.items() for v in vs}

    @functools.cached_property
    def _compiled(self) -> list[tuple[re.Pattern[str], str]]:
        return [(re.compile(p.pattern), p.to) for p in self.patterns]

    def apply(self, text: str) -> str:
        """The text with every colloquial or mistyped form replaced by the notice's wording."""
        for pattern, to in self._compiled:
            text = pattern.sub(to, text)
        if self._rewrite_re is not None:
            for _ in range(REWRITE_PASSES):  # 还得干啥 -> 还得做什么 -> 要做什么
                rewritten = self._rewrite_re.sub(lambda m: self._targets[m.group()], text)
                if rewritten == text:
                    break
                text = rewritten
        return text

    @functools.cached_property
    def _ask_res(self) -> dict[str, re.Pattern[str]]:
        return {k: re.compile("|".join(ps)) for k, ps in self.ask_patterns.items() if ps}

    def ask_kinds(self, compact: str) -> frozenset[str]:
        """The kinds of answer a (compact, rewritten) question asks for."""
        kinds = {k for k, cues in self.asks.items() if any(c in compact for c in cues)}
        kinds |= {k for k, pattern in self._ask_res.items() if pattern.search(compact)}
        return frozenset(kinds)


def load_lexicon(path: Path | None = None) -> Lexicon:
    return validate_one(path or data_dir() / "lexicon.yaml", Lexicon)


@functools.cache
def lexicon() -> Lexicon:
    """The packaged lexicon, loaded once per process."""
    return load_lexicon()
