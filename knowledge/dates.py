"""Dates in a question: the calendar years it names (2025, 二〇二五年, 今年, 明年, this year…)
and whether it asks about a time at all. Pure."""

from __future__ import annotations

import re

from knowledge.text import fold

_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:年|\s*年度|(?!\d))")
_HAN_YEAR_RE = re.compile(r"([一二〇零○][〇零○一二三四五六七八九]{3})年")
_HAN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")
_RELATIVE_YEARS = {
    "今年": 0, "本年度": 0, "今年度": 0, "this year": 0, "明年": 1, "next year": 1, "后年": 2,
    "去年": -1, "last year": -1, "前年": -2,
}  # fmt: skip
TIME_WORDS_RE = re.compile(r"什么时候|啥时候|何时|几月|几号|哪天|截止|日程|时间|日期|开始|启动")


def years_mentioned(text: str, this_year: int) -> set[int]:
    """Calendar years a question names: 2025, 二〇二五年, 今年, 明年, this year…"""
    folded = fold(text)
    years = {int(y) for y in _YEAR_RE.findall(folded)}
    years |= {int(y.translate(_HAN_DIGITS)) for y in _HAN_YEAR_RE.findall(folded)}
    years |= {this_year + delta for word, delta in _RELATIVE_YEARS.items() if word in folded}
    return years
