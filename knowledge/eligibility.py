"""The basic conditions of 四(二) as rules: answers in, a verdict out. Pure; no I/O.

Answers are keyed like ``../shared/eval`` rows: ``c1 c2 c3 c4 c5_years c5_effective c6``; the
interview's part keys ``c1a`` (体系有效运行) and ``c1b`` (无不良记录) are accepted too — condition 1
holds iff every part given holds. A missing key or ``None`` means 不确定.

Rules (notice 四(二)): eligible iff 1, 2, 4, 6 hold and 5 holds (applied ``>= 3`` years — “3年以上”
includes 3 — and with notable results). Condition 3 (…优先) only sets ``priority``; it never fails.
A definite failure outweighs uncertainty: if anything fails the verdict is ``not_eligible`` (the
unsure conditions are still listed in ``unsure``); else any unsure condition makes it ``unsure``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from knowledge.numbers import MAX_YEARS, format_years, parse_number, parse_years

__all__ = ["MAX_YEARS", "MIN_YEARS", "Evaluation", "evaluate", "format_years", "parse_years"]
chinese_number = parse_number  # the one number parser (knowledge.numbers)

Verdict = Literal["eligible", "not_eligible", "unsure"]
Status = Literal["pass", "fail", "unsure"]

REQUIRED: tuple[str, ...] = ("c1", "c2", "c4", "c5", "c6")
PRIORITY_KEY = "c3"
MIN_YEARS = 3.0  # 四(二)5: 在本企业应用3年以上
BOOL_KEYS: tuple[str, ...] = ("c1", "c1a", "c1b", "c2", "c3", "c4", "c5_effective", "c6")
YEARS_KEY = "c5_years"
ANSWER_KEYS: tuple[str, ...] = (*BOOL_KEYS, YEARS_KEY)


@dataclass(frozen=True)
class Evaluation:
    """The outcome of the rules: verdict, failed and unsure condition keys, priority; and the
    parts behind them (``c5_years``, ``c1b``…: a condition of two parts fails by the part that
    fails, never by the one that holds)."""

    verdict: Verdict
    failing: list[str] = field(default_factory=list)
    unsure: list[str] = field(default_factory=list)
    priority: bool = False
    status: dict[str, Status] = field(default_factory=dict)
    failing_parts: list[str] = field(default_factory=list)
    unsure_parts: list[str] = field(default_factory=list)


def _all_hold(values: Iterable[bool | None]) -> bool | None:
    """Three-valued AND: False if any is False, else None if any is unknown, else True."""
    seen = list(values)
    if any(v is False for v in seen):
        return False
    if any(v is None for v in seen):
        return None
    return True


def _flag(answers: Mapping[str, Any], key: str) -> bool | None:
    value = answers.get(key)
    return value if isinstance(value, bool) else None


def condition1(answers: Mapping[str, Any]) -> bool | None:
    """体系有效运行 and 无不良记录: ``c1`` itself, or both of its parts ``c1a`` ``c1b``."""
    if "c1" in answers:
        keys = ["c1", *(k for k in ("c1a", "c1b") if k in answers)]
    else:
        keys = ["c1a", "c1b"]
    return _all_hold(_flag(answers, k) for k in keys)


def condition5(answers: Mapping[str, Any]) -> bool | None:
    """Applied ``MIN_YEARS`` or more in this enterprise, and with notable results."""
    years = answers.get(YEARS_KEY)
    long_enough = None
    if isinstance(years, int | float) and not isinstance(years, bool):
        long_enough = years >= MIN_YEARS
    return _all_hold([long_enough, _flag(answers, "c5_effective")])


def _status(value: bool | None) -> Status:
    return "unsure" if value is None else ("pass" if value else "fail")


def part_status(answers: Mapping[str, Any]) -> dict[str, Status]:
    """Each part of the required conditions answered: ``c1`` (or ``c1a`` ``c1b``), ``c2``,
    ``c4``, ``c5_years`` ``c5_effective``, ``c6``; a missing answer is 不确定."""
    parts: dict[str, bool | None] = {}
    if "c1" in answers:
        parts["c1"] = _flag(answers, "c1")
    for key in ("c1a", "c1b"):
        if key in answers or "c1" not in answers:
            parts[key] = _flag(answers, key)
    parts["c2"] = _flag(answers, "c2")
    parts["c4"] = _flag(answers, "c4")
    years = answers.get(YEARS_KEY)
    numeric = isinstance(years, int | float) and not isinstance(years, bool)
    parts[YEARS_KEY] = years >= MIN_YEARS if numeric else None
    parts["c5_effective"] = _flag(answers, "c5_effective")
    parts["c6"] = _flag(answers, "c6")
    return {key: _status(value) for key, value in parts.items()}


def evaluate(answers: Mapping[str, Any]) -> Evaluation:
    """Apply the rules of 四(二) to one set of answers."""
    holds = {
        "c1": condition1(answers),
        "c2": _flag(answers, "c2"),
        "c4": _flag(answers, "c4"),
        "c5": condition5(answers),
        "c6": _flag(answers, "c6"),
    }
    status = {key: _status(holds[key]) for key in REQUIRED}
    failing = [key for key in REQUIRED if status[key] == "fail"]
    unsure = [key for key in REQUIRED if status[key] == "unsure"]
    verdict: Verdict = "not_eligible" if failing else ("unsure" if unsure else "eligible")
    priority = _flag(answers, PRIORITY_KEY) is True
    parts = part_status(answers)
    failing_parts = [k for k, v in parts.items() if v == "fail"]
    unsure_parts = [k for k, v in parts.items() if v == "unsure"]
    return Evaluation(verdict, failing, unsure, priority, status, failing_parts, unsure_parts)
