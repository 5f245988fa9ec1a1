"""The one Chinese-number reader of the project: numerals, halves, durations, years in a text.

``parse_number("三年半") == 3.5``, ``parse_number("二十四") == 24``, ``parse_number("2.5") == 2.5``;
``parse_years`` reads a typed duration for the eligibility check ("两年多", "36个月", "不到3年");
``years_in_text`` finds how long a practice has been applied in a free description
("推行了五年", "2012年起导入"). Pure; no I/O.
"""

from __future__ import annotations

import math
import re

from knowledge.text import compact

MAX_YEARS = 100.0  # anything longer is a calendar year or a typo, not a duration
_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_NUMERAL = r"\d+(?:\.\d+)?|[零〇一二两俩三四五六七八九十百千万亿]+"
_UNIT = r"[年月天周日家项条个次]"
_NUMBER_RE = re.compile(rf"(?P<n>{_NUMERAL})?个?(?P<u>{_UNIT})?(?P<half>半)?个?(?P<u2>{_UNIT})?")


def _chinese_integer(text: str) -> int | None:
    """一 / 十二 / 二十四 / 一百零五 / 两千零一十六 / 三万; None for 一二 (digits side by side)."""
    if len(text) == 1 and text in _CN_DIGITS:
        return _CN_DIGITS[text]
    total = section = 0
    digit: int | None = None
    for ch in text:
        if ch in ("零", "〇"):
            if digit is not None:
                return None
        elif ch in _CN_DIGITS:
            if digit is not None:
                return None
            digit = _CN_DIGITS[ch]
        elif ch in _SMALL_UNITS:
            if digit is None and ch != "十":
                return None
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        elif ch in _BIG_UNITS:
            section += digit or 0
            if section == 0:
                return None
            total, section, digit = total + section * _BIG_UNITS[ch], 0, None
        else:
            return None
    return total + section + (digit or 0)


def _numeral(text: str) -> float | None:
    """A bare numeral: Arabic (``2.5``) or Chinese (``三``, ``十``, ``二十四``)."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    value = _chinese_integer(text) if text else None
    return None if value is None else float(value)


def parse_number(text: str) -> float | None:
    """A number as typed: "3", "3.5", "三", "二十四", "两个半", "三年半" (3.5), "半年" (0.5).

    One unit word (年, 个, 月…) may follow the numeral, and 半 adds a half. Anything else
    (words, two numerals side by side such as 一二, an empty text) is None.
    """
    if not isinstance(text, str):
        return None
    m = _NUMBER_RE.fullmatch(compact(text))
    if m is None or not (m["n"] or m["half"]):
        return None
    value = _numeral(m["n"]) if m["n"] else 0.0
    if value is None:
        return None
    return value + (0.5 if m["half"] else 0.0)


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
        return _numeral(m["lo"])  # a range counts as its lower bound
    m = _FULL_RE.fullmatch(text) or _BARE_RE.fullmatch(text)
    if m is None or not (m["y"] or m.groupdict().get("m")):
        return None
    years = _numeral(m["y"]) if m["y"] else 0.0
    months = _numeral(m["m"]) if m.groupdict().get("m") else 0.0
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
    cleaned = compact(text)
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


# ---- years stated in a free description ------------------------------------------------------

_IN_TEXT_NUM = r"(?<!\d)(\d{1,2}|[一二两三四五六七八九十]{1,3})"
_YEARS_PATTERNS = (
    re.compile(
        r"(应用|实施|推行|运行|坚持|开展|导入|引入|推进|持续|实践)了?[^。,，;；]{0,10}?"
        + _IN_TEXT_NUM
        + r"(多|余)?年"
    ),
    re.compile(_IN_TEXT_NUM + r"(多|余)?年(来|以来|间|的?(实践|应用|推行|坚持|探索))"),
    re.compile(r"连续" + _IN_TEXT_NUM + r"(多|余)?年"),
)
_SINCE_RE = re.compile(r"((?:19|20)\d{2})年(起|开始|以来|至今|导入|引入|推行|实施|启动|开展)")


def years_in_text(text: str, this_year: int) -> tuple[int, str] | None:
    """The longest period of application a description states, with the words that state it.

    "推行精益生产五年来…" -> (5, "五年来"); "2012年起导入" in 2016 -> (4, "2012年起").
    """
    found: list[tuple[int, str]] = []
    for pattern in _YEARS_PATTERNS:
        for m in pattern.finditer(text):
            number = next((g for g in m.groups() if g and re.fullmatch(_IN_TEXT_NUM, g)), None)
            years = _numeral(number) if number else None
            if years:
                found.append((int(years), m.group()))
    for m in _SINCE_RE.finditer(text):
        start = int(m.group(1))
        if start <= this_year:
            found.append((this_year - start, m.group()))
    return max(found, key=lambda f: f[0], default=None)
