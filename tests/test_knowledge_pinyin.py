"""knowledge.pinyin and the matcher's reading of homophone typos."""

from __future__ import annotations

import pytest

from knowledge.faq import FaqMatcher
from knowledge.pinyin import keys, table


@pytest.fixture(scope="module")
def matcher(kb) -> FaqMatcher:
    return FaqMatcher(kb)


def test_the_table_covers_the_common_characters() -> None:
    assert len(table()) > 20000
    assert table()["截"] == ("jie",) and "chang" in table()["厂"]


def test_keys_are_toneless_and_cover_polyphones() -> None:
    assert keys("截止") == {"jie zhi"}
    assert "xian chang" in keys("现厂")
    assert keys("ab") == set()


@pytest.mark.parametrize(
    ("typed", "entry"),
    [
        ("质量标杆的名鹅有几个", "quota_per_unit"),
        ("联细人是谁", "contact"),
        ("标杆企业的义物有哪些", "obligations"),
    ],
)
def test_a_homophone_slip_reaches_the_entry(matcher, typed, entry) -> None:
    result = matcher.classify(typed)
    assert result.match is not None and result.match.entry.id == entry, result
    assert result.question != typed  # the respelled text is what was matched


@pytest.mark.parametrize("text", ["今天的油价多少", "评审结果有异议找谁", "首台套重大装备怎么申报"])
def test_real_words_are_never_respelled_into_an_answer(matcher, text) -> None:
    """油价 and 异议 are words, not slips; a declined question stays declined."""
    result = matcher.classify(text)
    assert result.match is None or result.match.entry.partial, result
