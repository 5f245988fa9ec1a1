"""knowledge.eligibility: the rules of 四(二) and the years parser."""

from __future__ import annotations

import pytest

from knowledge.eligibility import (
    ANSWER_KEYS,
    MIN_YEARS,
    PRIORITY_KEY,
    REQUIRED,
    evaluate,
    format_years,
    parse_years,
)

ALL_YES = {
    "c1": True,
    "c2": True,
    "c3": True,
    "c4": True,
    "c5_years": 4,
    "c5_effective": True,
    "c6": True,
}


def answers(**changes):
    return {**ALL_YES, **changes}


def test_all_yes_is_eligible_with_priority():
    result = evaluate(ALL_YES)
    assert (result.verdict, result.failing, result.unsure, result.priority) == (
        "eligible",
        [],
        [],
        True,
    )


@pytest.mark.parametrize("key", ["c1", "c2", "c4", "c6", "c5_effective"])
def test_one_no_fails_that_condition(key):
    result = evaluate(answers(**{key: False}))
    assert result.verdict == "not_eligible"
    assert result.failing == [key[:2]]


def test_condition_3_is_priority_only():
    result = evaluate(answers(c3=False))
    assert (result.verdict, result.failing, result.priority) == ("eligible", [], False)
    assert evaluate(answers(c3=None)).verdict == "eligible"
    assert PRIORITY_KEY not in REQUIRED


@pytest.mark.parametrize(
    ("years", "holds"), [(3, True), (3.0, True), (2.99, False), (0, False), (10, True)]
)
def test_years_threshold_includes_three(years, holds):
    result = evaluate(answers(c5_years=years))
    assert (result.verdict == "eligible") is holds
    assert MIN_YEARS == 3


def test_several_failures_are_listed_in_order():
    result = evaluate(answers(c6=False, c2=False, c5_years=1.5))
    assert result.failing == ["c2", "c5", "c6"]


@pytest.mark.parametrize("key", ["c1", "c2", "c4", "c5_years", "c5_effective", "c6"])
def test_missing_or_none_means_unsure(key):
    missing = {k: v for k, v in ALL_YES.items() if k != key}
    for given in (missing, answers(**{key: None})):
        result = evaluate(given)
        assert result.verdict == "unsure"
        assert result.unsure == [key[:2]]
        assert result.failing == []


def test_a_definite_failure_outweighs_uncertainty():
    result = evaluate(answers(c2=False, c4=None))
    assert result.verdict == "not_eligible"
    assert (result.failing, result.unsure) == (["c2"], ["c4"])


def test_short_years_fail_even_when_results_are_unknown():
    result = evaluate(answers(c5_years=1, c5_effective=None))
    assert result.failing == ["c5"]


def test_empty_answers_are_all_unsure():
    result = evaluate({})
    assert result.verdict == "unsure"
    assert result.unsure == list(REQUIRED)
    assert result.priority is False


@pytest.mark.parametrize(
    ("c1a", "c1b", "status"),
    [(True, True, "pass"), (True, False, "fail"), (False, True, "fail"), (True, None, "unsure")],
)
def test_condition_1_from_its_two_parts(c1a, c1b, status):
    given = {k: v for k, v in ALL_YES.items() if k != "c1"} | {"c1a": c1a, "c1b": c1b}
    assert evaluate(given).status["c1"] == status


def test_condition_1_with_one_part_missing_is_unsure():
    given = {k: v for k, v in ALL_YES.items() if k != "c1"} | {"c1a": True}
    assert evaluate(given).unsure == ["c1"]


def test_rules_match_the_knowledge(kb):
    priority = {c.key for c in kb.conditions if c.priority_only}
    assert priority == {PRIORITY_KEY}
    assert set(REQUIRED) == {c.key for c in kb.conditions} - priority
    assert {p.key for c in kb.conditions for p in c.parts} <= set(ANSWER_KEYS)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("3", 3.0),
        ("三年", 3.0),
        ("2年半", 2.5),
        ("两年多", 2.0),
        ("2.5", 2.5),
        ("36个月", 3.0),
        ("3年以上", 3.0),
        ("十年", 10.0),
        ("半年", 0.5),
        ("一年半", 1.5),
        ("十二年", 12.0),
        ("二十四个月", 2.0),
        ("一年零三个月", 1.25),
        ("３年", 3.0),
        (" 4 年 ", 4.0),
        ("大约5年左右", 5.0),
        ("已经应用了4年", 4.0),
        ("十多年", 10.0),
        ("不到1年", 0.5),
        ("快3年了", 2.5),
        ("2到3年", 2.0),
        ("3 years", 3.0),
        ("0", 0.0),
        ("三", 3.0),
    ],
)
def test_parse_years(text, years):
    assert parse_years(text) == years


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "多年",
        "好几年",
        "2013年",
        "-3",
        "nan",
        "inf",
        "🙂🙂",
        "是",
        "一二年",
        "x" * 500,
    ],
)
def test_parse_years_rejects_nonsense(text):
    assert parse_years(text) is None


def test_parse_years_tolerates_non_strings():
    assert parse_years(None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(("years", "shown"), [(3.0, "3"), (2.5, "2.5"), (1.25, "1.25"), (0.0, "0")])
def test_format_years(years, shown):
    assert format_years(years) == shown
