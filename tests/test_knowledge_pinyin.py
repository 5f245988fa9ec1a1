"""knowledge.pinyin and the matcher's reading of homophone typos."""

from __future__ import annotations

import pytest

from knowledge.analysis import analyse
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
        ("质量标杆的名鹅有几个", "quota_"),
        ("联细人是谁", "contact"),
        ("标杆企业的义物有哪些", "obligations"),
    ],
)
def test_a_homophone_slip_reaches_the_entry(matcher, typed, entry) -> None:
    """Either scorer may see through the slip (the character n-grams share most of the
    word); the respelling is the way left when neither does."""
    result = matcher.classify(typed)
    assert result.match is not None and result.match.entry.id.startswith(entry), result


def test_a_respelling_is_tried_when_the_question_is_not_answered_as_typed(matcher) -> None:
    assert matcher.retrieval.respelled(analyse("名鹅有几个")) == "名额有几个"


@pytest.mark.parametrize("text", ["今天的油价多少", "评审结果有异议找谁", "首台套重大装备怎么申报"])
def test_real_words_are_never_respelled_into_an_answer(matcher, text) -> None:
    """油价 and 异议 are words, not slips; a declined question stays declined."""
    result = matcher.classify(text)
    assert result.match is None or result.match.entry.partial, result
