"""The notice text split into clauses with stable ids (四(二)5, 五, 六(三), 联系人…).

Ids follow the notice's own numbering, so they never depend on line positions:
section ``一``…``六``, sub-clause ``四(二)``, numbered item ``四(二)5``, inline focus area
``四(一)(7)``. Text outside the numbered body gets a named id (转发, 序, 联系人, 落款).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

SECTION_RE = re.compile(r"^([一二三四五六七八九十]+)、(.*)$")
SUBCLAUSE_RE = re.compile(r"^[(（]([一二三四五六七八九十]+)[)）](.*)$")
ITEM_RE = re.compile(r"^(\d+)\.\s*(.*)$")
INLINE_AREA_RE = re.compile(r"[(（](\d+)[)）]([^;；。(（]+)")


class Clause(BaseModel):
    """One addressable piece of the notice."""

    model_config = ConfigDict(frozen=True)

    id: str
    heading: str
    text: str


def _first_phrase(text: str) -> str:
    return re.split(r"[。,，;；]", text, maxsplit=1)[0]


def split_clauses(text: str) -> list[Clause]:
    """Split the notice text into clauses; a parent clause holds the text of all its children."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    bodies: dict[str, list[str]] = {}
    headings: dict[str, str] = {}
    order: list[str] = []

    def add(clause_id: str, line: str, heading: str = "") -> None:
        if clause_id not in bodies:
            bodies[clause_id] = []
            headings[clause_id] = heading
            order.append(clause_id)
        bodies[clause_id].append(line)

    section = sub = None
    title_seen = False
    for line in lines:
        if line.startswith("联系人"):
            add("联系人", line, "联系人")
            section = sub = "落款"
            continue
        if not title_seen:
            if line.startswith("苏经信科技"):
                title_seen = True
                add("文号", line, "文号")
            elif line.startswith("关于印发"):
                add("标题", line, "标题")
            else:
                add("转发", line, "转发通知")
            continue
        if m := SECTION_RE.match(line):
            section, sub = m.group(1), None
            add(section, line, m.group(2))
            continue
        if section is None:
            add("序", line, "主送与引言")
            continue
        if section == "落款":
            if line.startswith("2016年"):
                add("落款", line, "成文日期")
            continue
        if m := SUBCLAUSE_RE.match(line):
            sub = f"{section}({m.group(1)})"
            add(sub, line, _first_phrase(m.group(2)))
            add(section, line)
            for num, name in INLINE_AREA_RE.findall(line) if sub == "四(一)" else []:
                add(f"{sub}({num})", f"({num}){name.strip()}", name.strip())
            continue
        if sub and (m := ITEM_RE.match(line)):
            add(f"{sub}{m.group(1)}", line, _first_phrase(m.group(2)))
        if sub:
            add(sub, line)
        add(section, line)
    return [Clause(id=cid, heading=headings[cid], text="\n".join(bodies[cid])) for cid in order]
