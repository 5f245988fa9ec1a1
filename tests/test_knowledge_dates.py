"""knowledge.dates: the years a question is about."""

from __future__ import annotations

import pytest

from knowledge.dates import asks_when, years_mentioned


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2025年的申报什么时候开始", {2025}),
        ("二〇二五年还评吗", {2025}),
        ("今年评几个", {2026}),
        ("明年呢", {2027}),
        ("下一年的交流活动几月份", {2027}),
        ("下一年度名额", {2027}),
        ("去年的截止日期", {2025}),
        ("前年和后年", {2024, 2028}),
        ("What is the deadline next year?", {2027}),
        ("2016年推荐材料的报送截止时间", {2016}),
        ("申报表是附件2", set()),
        ("要交1000元吗", set()),
    ],
)
def test_years_mentioned(text, years) -> None:
    assert years_mentioned(text, 2026) == years


def test_asks_when() -> None:
    assert asks_when("交流活动什么时候") and asks_when("When is the deadline?")
    assert not asks_when("要交费吗")
