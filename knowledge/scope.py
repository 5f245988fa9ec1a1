"""Out-of-scope rules: kinds of question the notice does not answer (``data/scope.yaml``).

A question matching a rule's ``pattern`` (and not its ``unless``) gets the honest "the notice
does not say" reply, never the nearest FAQ entry. Patterns are Python regular expressions applied
to the compact normalised question (simplified, lower case, English mapped through the glossary).
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge.loader import data_dir, validate_list
from knowledge.models import regex


class ScopeRule(BaseModel):
    """A kind of question the notice does not answer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    why: str
    pattern: str = Field(min_length=1)
    unless: str = ""

    @field_validator("pattern", "unless")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return regex(value)

    def applies(self, text: str) -> bool:
        if not re.search(self.pattern, text):
            return False
        return not (self.unless and re.search(self.unless, text))


def load_scope(path: Path | None = None) -> list[ScopeRule]:
    """The out-of-scope rules; a broken file fails naming the file, the rule and the field."""
    return validate_list(path or data_dir() / "scope.yaml", ScopeRule, "rules")


def out_of_scope(rules: list[ScopeRule], compact: str) -> ScopeRule | None:
    """The first rule that declines the (compact, normalised) question, if any."""
    return next((rule for rule in rules if rule.applies(compact)), None)
