"""Scriptable self-check: ``biaogan check --jsonl`` records in, verdicts out."""

from __future__ import annotations

import math
from typing import Any

from conversations.flows.eligibility.render import verdict_summary, verdict_text
from knowledge import load_knowledge
from knowledge.eligibility import ANSWER_KEYS, BOOL_KEYS, YEARS_KEY, evaluate, parse_years


def _checked_flag(key: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ValueError(f"answers.{key}: expected true, false or null")


def _checked_years(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        if (years := parse_years(value)) is None:
            raise ValueError(f"answers.{YEARS_KEY}: expected a number of years, got {value!r}")
        return years
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"answers.{YEARS_KEY}: expected a number")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"answers.{YEARS_KEY}: expected a non-negative number")
    return float(value)


def checked_answers(raw: Any) -> dict[str, Any]:
    """Validate a record's answers; a ValueError names the field."""
    if not isinstance(raw, dict):
        raise ValueError("answers: expected an object of condition answers")
    answers: dict[str, Any] = {}
    for key, value in raw.items():
        if key == YEARS_KEY:
            answers[key] = _checked_years(value)
        elif key in BOOL_KEYS:
            answers[key] = _checked_flag(key, value)
        else:
            raise ValueError(
                f"answers.{key}: unknown key (expected one of {', '.join(ANSWER_KEYS)})"
            )
    return answers


def check_record(obj: dict) -> dict:
    """One scripted check: ``{id, answers}`` -> ``{id, verdict, failing, priority, reply}``.

    A missing answer key means 不确定; other fields of the record are ignored.
    """
    if not isinstance(obj, dict):
        raise ValueError("record: expected a JSON object")
    record_id = obj.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, str | int | float | type(None)):
        raise ValueError("id: expected a string, a number or null")
    if "answers" not in obj:
        raise ValueError("answers: missing")
    answers = checked_answers(obj["answers"])
    result = evaluate(answers)
    kb = load_knowledge()
    return {
        "id": record_id,
        "verdict": result.verdict,
        "failing": result.failing,
        "priority": result.priority,
        "reply": verdict_summary(kb, answers, result),
        "basis": verdict_text(kb, answers, result),
    }
