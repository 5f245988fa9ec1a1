"""Who may see which enterprises: an organizer's scope as a filter on ``users``.

Every store function that reads enterprises for an organizer takes the reader's person id and
reads their role from the store's own tables (``bot.store.people``), never from what a flow or a
form claims: an enterprise contact is refused, an admin sees the province (or any narrower scope
asked for), a city organizer their city only.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.people import NotAllowed
from conversations.scopes import CITIES

__all__ = ["NotAllowed", "Scope", "narrowed"]

PROVINCE = "province"


@dataclass(frozen=True)
class Scope:
    """``province``, ``city:苏州`` or ``assoc:<name>``, parsed."""

    kind: str  # province | city | assoc
    name: str = ""

    @classmethod
    def parse(cls, text: str) -> Scope:
        text = (text or "").strip()
        if text == PROVINCE:
            return cls(PROVINCE)
        kind, _, name = text.partition(":")
        name = name.strip()
        if kind == "city" and name:
            return cls("city", city_name(name))
        if kind == "assoc" and name:
            return cls("assoc", name)
        raise ValueError(f"not a scope: {text!r} (province, city:苏州 or assoc:<name>)")

    def __str__(self) -> str:
        return self.kind if self.kind == PROVINCE else f"{self.kind}:{self.name}"

    @property
    def is_province(self) -> bool:
        return self.kind == PROVINCE

    def where(self, alias: str = "users") -> tuple[str, list[str]]:
        """A SQL condition on the users table (``alias``) and its parameters."""
        if self.kind == "city":
            return f"{alias}.city IN (?, ?)", [self.name, f"{self.name}市"]
        if self.kind == "assoc":
            return f"{alias}.association = ?", [self.name]
        return "1", []


def city_name(city: str | None) -> str:
    """苏州市 and 苏州 are the same city; '' for none."""
    city = (city or "").strip()
    return city[:-1] if city.endswith("市") and len(city) > 1 else city


def city_order(city: str) -> tuple[int, str]:
    """Sort key: the 13 cities in order, then any other, then none."""
    if city in CITIES:
        return CITIES.index(city), city
    return (len(CITIES) + 1 if not city else len(CITIES)), city


def narrowed(own: str, wanted: str | None) -> Scope:
    """The scope a reader whose own scope is ``own`` reads: theirs, or a part of it they ask
    for (the province may read a city or an association); else NotAllowed."""
    mine = Scope.parse(own)
    if wanted is None or not wanted.strip():
        return mine
    asked = Scope.parse(wanted)  # ValueError for a malformed scope
    if mine.is_province or asked == mine:
        return asked
    raise NotAllowed(f"scope {own} may not read {asked}")
