"""knowledge.numbers: the one Chinese-number reader; knowledge.text.compact."""

from __future__ import annotations

import pytest

from knowledge.numbers import parse_number, parse_years, years_in_text
from knowledge.text import compact


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", 3.0),
        ("3.5", 3.5),
        ("３", 3.0),
        ("三", 3.0),
        ("两", 2.0),
        ("十", 10.0),
        ("十二", 12.0),
        ("二十四", 24.0),
        ("一百零五", 105.0),
        ("两千零一十六", 2016.0),
        ("三万", 30000.0),
        ("三年半", 3.5),
        ("两个半", 2.5),
        ("半年", 0.5),
        ("半", 0.5),
        ("5个", 5.0),
        (" 3 年 ", 3.0),
    ],
)
def test_parse_number(text, value) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "一二", "三四五", "abc", "好几", "年", "三年多", None])
def test_parse_number_rejects(text) -> None:
    assert parse_number(text) is None


def test_parse_years_reads_durations_with_the_same_numerals() -> None:
    assert parse_years("三年半") == 3.5
    assert parse_years("二十四个月") == 2.0
    assert parse_years("两年多") == 2.0


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("我们推行精益生产已经五年了", 5),
        ("公司自2012年起导入卓越绩效模式", 4),
        ("连续十二年开展QC小组活动", 12),
        ("这套方法实施了2年多", 2),
    ],
)
def test_years_in_text(text, years) -> None:
    found = years_in_text(compact(text), 2016)
    assert found is not None and found[0] == years


def test_years_in_text_finds_nothing_in_a_text_without_years() -> None:
    assert years_in_text("我们做了很多质量改进工作", 2016) is None


@pytest.mark.parametrize(
    ("text", "folded"),
    [("３ 年。", "3年"), ("  是的！ ", "是的"), ("兩年", "两年"), ("Yes.", "yes")],
)
def test_compact(text, folded) -> None:
    assert compact(text) == folded
