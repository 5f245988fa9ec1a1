"""A self-check's answers packed into a button's argument (y/n/u per part, the years in half
years), so the basis of a verdict can be shown again after the check has ended, and unpacked
from one (a forged argument gives None)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from knowledge import Knowledge
from knowledge.models import Condition, ConditionPart


def ordered_parts(kb: Knowledge) -> list[tuple[Condition, ConditionPart]]:
    """Every condition part with its condition, in the notice's order (the interview's)."""
    return [(c, p) for c in sorted(kb.conditions, key=lambda c: c.number) for p in c.parts]


def pack_answers(kb: Knowledge, answers: Mapping[str, Any]) -> str:
    """The answers as a short button argument (y/n/u per part, years in half years), so the
    basis of a verdict can be shown again after the check has ended."""
    codes = []
    for _, part in ordered_parts(kb):
        value = answers.get(part.key)
        if part.kind == "years":
            codes.append("u" if value is None else f"-{min(round(float(value) * 2), 99)}-")
        else:
            codes.append("u" if value is None else ("y" if value else "n"))
    return "".join(codes)


def unpack_answers(kb: Knowledge, packed: str) -> dict[str, Any] | None:
    """The answers of ``pack_answers``; None for anything else (a forged argument)."""
    answers: dict[str, Any] = {}
    rest = packed
    for _, part in ordered_parts(kb):
        key = part.key
        if part.kind == "years" and rest.startswith("-"):
            number, sep, rest = rest[1:].partition("-")
            if not sep or not number.isdigit():
                return None
            answers[key] = int(number) / 2
        elif rest[:1] in ("y", "n", "u"):
            answers[key] = {"y": True, "n": False, "u": None}[rest[0]]
            rest = rest[1:]
        else:
            return None
    return answers if not rest else None
