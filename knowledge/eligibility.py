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

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Verdict = Literal["eligible", "not_eligible", "unsure"]
Status = Literal["pass", "fail", "unsure"]

REQUIRED: tuple[str, ...] = ("c1", "c2", "c4", "c5", "c6")
PRIORITY_KEY = "c3"
MIN_YEARS = 3.0  # 四(二)5: 在本企业应用3年以上
MAX_YEARS = 100.0  # anything longer is a calendar year or a typo, not a duration
BOOL_KEYS: tuple[str, ...] = ("c1", "c1a", "c1b", "c2", "c3", "c4", "c5_effective", "c6")
YEARS_KEY = "c5_years"
ANSWER_KEYS: tuple[str, ...] = (*BOOL_KEYS, YEARS_KEY)


@dataclass(frozen=True)
class Evaluation:
    """The outcome of the rules: verdict, failed and unsure condition keys, priority."""

    verdict: Verdict
    failing: list[str] = field(default_factory=list)
    unsure: list[str] = field(default_factory=list)
    priority: bool = False
    status: dict[str, Status] = field(default_factory=dict)


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
    return Evaluation(verdict, failing, unsure, priority, status)


# ---- years -----------------------------------------------------------------------------------

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_NUM = r"\d+(?:\.\d+)?|[零〇一二两俩三四五六七八九十]+"
_YEAR_UNIT = r"(?:年|years?|yrs?|y)"
_MONTH_UNIT = r"(?:月|months?|mos?)"
_FULL_RE = re.compile(
    rf"(?:(?P<y>{_NUM})个?{_YEAR_UNIT}(?P<yh>半)?)?"
    rf"(?:零?(?P<m>{_NUM})个?(?P<mh>半)?{_MONTH_UNIT})?"
)
_BARE_RE = re.compile(rf"(?P<y>{_NUM})(?P<yh>半)?")
_HALF_YEAR_RE = re.compile(r"半个?年|half(?:a)?years?")
_RANGE_RE = re.compile(rf"(?P<lo>{_NUM}){_YEAR_UNIT}?[-~到至—–]+(?:{_NUM}){_YEAR_UNIT}?")
_LESS = (
    "不到", "不足", "不满", "未满", "没到", "没满", "少于", "低于",
    "将近", "接近", "以下", "以内", "<", "快", "近",
)  # fmt: skip
_MORE = ("以上", "多", "余", "出头", "超过", "至少", "不止", "+", ">", "≥")
_FILLER = (
    "大约", "大概", "差不多", "左右", "前后", "的样子", "已经", "一共", "总共", "应用了", "用了",
    "推行了", "实施了", "约", "已", "有", "共", "了", "整", "正好", "刚好", "满", "吧", "啦",
    "呀", "啊", "的", "about", "over", "more", "than", "around",
)  # fmt: skip


def chinese_number(text: str) -> float | None:
    """A plain number: Arabic (``2.5``) or Chinese up to 99 (``三``, ``十``, ``二十四``)."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text and all(ch in _CN_DIGITS for ch in text):
        return float(_CN_DIGITS[text]) if len(text) == 1 else None
    tens, sep, ones = text.partition("十")
    if not sep or len(tens) > 1 or len(ones) > 1:
        return None
    if (tens and tens not in _CN_DIGITS) or (ones and ones not in _CN_DIGITS):
        return None
    return float((_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0))


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"\s+", "", text)
    return text.strip("。，,!！?？~～;；:：")


def _strip_words(text: str, words: tuple[str, ...]) -> tuple[str, bool]:
    found = False
    for word in words:
        if word in text:
            text, found = text.replace(word, ""), True
    return text, found


def _value(text: str) -> float | None:
    """The number of years in a cleaned phrase without qualifiers, or None."""
    if _HALF_YEAR_RE.fullmatch(text):
        return 0.5
    if m := _RANGE_RE.fullmatch(text):
        return chinese_number(m["lo"])  # a range counts as its lower bound
    m = _FULL_RE.fullmatch(text) or _BARE_RE.fullmatch(text)
    if m is None or not (m["y"] or m.groupdict().get("m")):
        return None
    years = chinese_number(m["y"]) if m["y"] else 0.0
    months = chinese_number(m["m"]) if m.groupdict().get("m") else 0.0
    if years is None or months is None:
        return None
    years += 0.5 if m["yh"] else 0.0
    months += 0.5 if m.groupdict().get("mh") else 0.0
    return years + months / 12


def parse_years(text: str) -> float | None:
    """How many years a user typed: "3", "三年", "2年半", "两年多", "36个月", "3年以上", "半年"…

    Qualifiers give a bound: "两年多" / "3年以上" count as 2 / 3 years; "不到3年" / "将近3年" as
    half a year less (below the bound, which is all the rules need). Ranges ("2到3年") count as
    their lower end. Anything else, negative or over ``MAX_YEARS`` (a calendar year such as 2013)
    is ``None``.
    """
    if not isinstance(text, str):
        return None
    cleaned = _normalise(text)
    cleaned, less = _strip_words(cleaned, _LESS)
    cleaned, _more = _strip_words(cleaned, _MORE)
    cleaned, _ = _strip_words(cleaned, _FILLER)
    value = _value(cleaned) if cleaned else None
    if value is None or not math.isfinite(value) or value > MAX_YEARS:
        return None
    if less:
        value = max(0.0, value - 0.5)
    return round(value, 3)


def format_years(years: float) -> str:
    """3.0 -> "3", 2.5 -> "2.5", 1.25 -> "1.25"."""
    return f"{years:.2f}".rstrip("0").rstrip(".")
