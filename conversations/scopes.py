"""Organizer scopes and broadcast segments: ``province``, ``city:苏州``, ``assoc:<name>``.

A scope is what an organizer is responsible for; a segment is whom a broadcast reaches
(``all``, ``city:<city>``, ``assoc:<name>``). Cities are kept without the 市 suffix.
"""

from __future__ import annotations

from conversations.callbacks import encode
from conversations.replies import Button

# Jiangsu's 13 prefecture-level cities (the notice addresses 各市经信委).
CITIES = (
    "南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港",
    "淮安", "盐城", "扬州", "镇江", "泰州", "宿迁",
)  # fmt: skip
PROVINCE = "province"
ALL = "all"
ASSOC_NAME_LENGTH = (2, 40)


def city_name(text: str) -> str | None:
    """One of the 13 cities (苏州 or 苏州市), else None."""
    name = text.strip().removesuffix("市")
    return name if name in CITIES else None


def parse_scope(kind: str, name: str = "") -> str | None:
    """``city 苏州`` / ``assoc 江苏省机械行业协会`` / ``province`` as a scope; None if invalid."""
    kind = kind.strip().lower()
    name = " ".join(name.split())
    if kind == PROVINCE and not name:
        return PROVINCE
    if kind == "city" and (city := city_name(name)):
        return f"city:{city}"
    low, high = ASSOC_NAME_LENGTH
    if kind == "assoc" and low <= len(name) <= high and ":" not in name:
        return f"assoc:{name}"
    return None


def parse_scope_text(text: str) -> str | None:
    """``city:苏州``, ``city 苏州``, ``province``… as a scope."""
    kind, _, name = text.strip().replace(":", " ", 1).partition(" ")
    return parse_scope(kind, name)


def valid_scope(scope: str) -> bool:
    return parse_scope_text(scope) == scope


def label(scope_or_segment: str) -> str:
    """How a scope or segment is named to people: 苏州市, 江苏省机械行业协会, 全省."""
    if scope_or_segment in (PROVINCE, ALL):
        return "全省"
    kind, _, name = scope_or_segment.partition(":")
    return f"{name}市" if kind == "city" else name


def own_segment(scope: str) -> str:
    """The segment an organizer reaches by default: the province everyone, others their own."""
    return ALL if scope == PROVINCE else scope


def covers(scope: str | None, segment: str) -> bool:
    """May an organizer of ``scope`` broadcast to ``segment``?"""
    if scope is None:
        return False
    if scope == PROVINCE:
        return segment == ALL or (segment.startswith("city:") and valid_scope(segment))
    return segment == scope


def label_sender(scope: str) -> str:
    """Who signs a broadcast: 江苏省, 苏州市, or the association's name."""
    return "江苏省" if scope == PROVINCE else label(scope)


def scopes_of(city: str | None, association: str | None) -> list[str]:
    """The scopes that apply to an enterprise of ``city`` and ``association``, its own first:
    its city's, its association's, then the province's (never another city's). Its organizers'
    dates, contact cards, documents and answers are read from these scopes."""
    found = []
    if city and (name := city_name(city)):
        found.append(f"city:{name}")
    if association and association.strip():
        found.append(f"assoc:{' '.join(association.split())}")
    return [*found, PROVINCE]


CITY_ROW = 4  # city buttons a row


def city_rows(code: str, action: str, key: str = "", suffix: str = "") -> list[list[Button]]:
    """The 13 cities as one-tap buttons of flow ``code``: ``<code>:<action>:<n>`` (or
    ``…:<key>.<n>`` when the tap carries a key), four a row."""
    cities = [
        Button(label=f"{city}{suffix}", data=encode(code, action, f"{key}.{n}" if key else n))
        for n, city in enumerate(CITIES)
    ]
    return [cities[i : i + CITY_ROW] for i in range(0, len(cities), CITY_ROW)]
