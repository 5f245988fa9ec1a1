"""Dates in a question: the calendar years it names (2025, 二〇二五年, 今年, 明年, 下一年, next
year…) and whether it asks about a time at all.

The notice's dated facts (五) are 2016's; a question about another year must never get them as
that year's. Pure; no I/O.
"""

from __future__ import annotations

import re

from knowledge.text import fold, normalize

_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:年|\s*年度|(?!\d))")
_HAN_YEAR_RE = re.compile(r"([一二〇零○][〇零○一二三四五六七八九]{3})年")
_HAN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")
RELATIVE_YEARS = {
    "今年": 0, "本年度": 0, "今年度": 0, "当年": 0, "this year": 0, "current year": 0,
    "明年": 1, "明年度": 1, "下一年": 1, "下一年度": 1, "下年度": 1, "来年": 1, "次年": 1,
    "next year": 1, "后年": 2, "去年": -1, "上一年": -1, "上一年度": -1, "上年度": -1,
    "last year": -1, "前年": -2,
}  # fmt: skip
_RELATIVE_RE = re.compile("|".join(sorted(map(re.escape, RELATIVE_YEARS), key=len, reverse=True)))
# Words of a question about a time, on normalised text (English mapped: when -> 什么时候…).
TIME_WORDS_RE = re.compile(r"什么时候|啥时候|何时|几月|几号|哪天|截止|日程|时间|日期|开始|启动")


def years_mentioned(text: str, this_year: int) -> set[int]:
    """Calendar years a question names, absolute or relative to ``this_year``."""
    folded = fold(text)
    years = {int(y) for y in _YEAR_RE.findall(folded)}
    years |= {int(y.translate(_HAN_DIGITS)) for y in _HAN_YEAR_RE.findall(folded)}
    years |= {this_year + RELATIVE_YEARS[m] for m in _RELATIVE_RE.findall(folded)}
    return years


def asks_when(text: str) -> bool:
    """Does the question ask for a date or a time (什么时候, 截止, 日程, when…)?"""
    return TIME_WORDS_RE.search(normalize(text)) is not None
