"""Who may see which enterprises: an organizer's scope as a filter on ``users``.

Every store function that reads enterprises for an organizer takes the ``Actor`` and checks it
here itself (the handlers check too, but the store never trusts them): an enterprise contact is
refused, an admin without a scope sees the province, a city organizer sees their city only.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.organizers import NotAllowed
from conversations.core import Actor
from conversations.scopes import CITIES

__all__ = ["NotAllowed", "Scope", "cli_actor", "scope_of"]

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


def scope_of(actor: Actor) -> Scope:
    """The scope an actor may read, or NotAllowed."""
    if not actor.is_organizer:
        raise NotAllowed("only organizers may read statistics")
    if actor.scope:
        return Scope.parse(actor.scope)
    if actor.is_admin:
        return Scope(PROVINCE)
    raise NotAllowed("an organizer without a scope")


def cli_actor(scope: str) -> Actor:
    """The person at the machine's command line: an admin reading ``scope``."""
    Scope.parse(scope)  # refuse a malformed scope early
    return Actor(user_id=0, chat_id=0, role="admin", scope=scope, channel="console")
