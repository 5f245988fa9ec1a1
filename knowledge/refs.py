"""A clause named by its place: "第三条", "条件五", "第六个领域", "工作要求第一条", "第二部分".

People point into the notice by number as often as by topic. ``clause_ref`` reads such a
reference (ordinal in figures or Chinese numerals, with what it counts: a basic condition, a
focus area, a work requirement, a part of the notice) and returns the clause id it names, or
None. A bare "第N条" counts the basic conditions (四(二) is the notice's one list of 条) unless
the message speaks of the work requirements. Pure; no I/O.
"""

from __future__ import annotations

import re

from knowledge.numbers import parse_number
from knowledge.text import fold

SECTIONS = "一二三四五六"
N = r"([0-9]{1,2}|[一二三四五六七八九十两]{1,3})"
# a bare number after its noun (条件五怎么理解, 领域3), not a word that starts with one (一共, 一般)
_BARE = r"(?![0-9年个家次届份天月共般定些下直样起点切旦致])"
_AREA_RE = re.compile(
    rf"第{N}个?(?:重点)?(?:领域|方向)|(?:重点)?领域(?:里|中|的)?(?:第{N}个?|{N}{_BARE})|第{N}个(?:是|叫|指)"
)
_WORK_RE = re.compile(rf"工作要求(?:里|中|的)?第{N}(?:条|点|项|个)?|第{N}(?:条|点|项)工作要求")
_CONDITION_RE = re.compile(
    rf"(?:基本)?条件(?:里|中|的)?(?:第{N}(?:条|个|项)?|{N}{_BARE})|第{N}(?:条|个|项)(?:基本)?条件|第{N}条"
)
_PART_RE = re.compile(rf"第{N}(?:部分|大部分|节|大点|大项|章)")
_WORK_CONTEXT = ("工作要求",)
_AREA_CONTEXT = ("领域",)


def _number(groups: tuple[str | None, ...]) -> int | None:
    for group in groups:
        if group:
            value = parse_number(group)
            return int(value) if value is not None and value == int(value) else None
    return None


def clause_ref(text: str, context: str = "") -> str | None:
    """The clause a reference by number names (四(二)3, 四(一)(6), 六(一), 三…), or None.

    ``context``: the whole message, when ``text`` is one of its parts ("第六个是啥" after
    "重点领域一共几个")."""
    folded = fold(text).replace(" ", "")
    around = fold(context).replace(" ", "") if context else folded
    if (m := _WORK_RE.search(folded)) and (n := _number(m.groups())) and 1 <= n <= 4:
        return f"六({SECTIONS[n - 1]})"
    area = "领域" in folded or "方向" in folded or any(w in around for w in _AREA_CONTEXT)
    if area and (m := _AREA_RE.search(folded)) and (n := _number(m.groups())) and 1 <= n <= 10:
        return f"四(一)({n})"
    if (m := _PART_RE.search(folded)) and (n := _number(m.groups())) and 1 <= n <= 6:
        return SECTIONS[n - 1]
    if (m := _CONDITION_RE.search(folded)) and (n := _number(m.groups())):
        if any(w in around for w in _WORK_CONTEXT) and 1 <= n <= 4:
            return f"六({SECTIONS[n - 1]})"
        if any(w in around for w in _AREA_CONTEXT) and "条件" not in around and 1 <= n <= 10:
            return f"四(一)({n})"
        if 1 <= n <= 6:
            return f"四(二){n}"
    return None
