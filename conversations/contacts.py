"""The contact card each organizer keeps for its scope (issue 19, 2): unit, person, phone,
address, office hours — what it is, which field values are accepted, and how it is said.

A card is the organizer's own text, never the notice's: every rendering names the unit and says
it was provided by the organizer (无锡市经信委（组织单位提供，2027-03-01更新）). The cards live
in the store (``bot.store.contacts``, which checks who may edit which scope); a turn reads them
through ``Context.contact_cards``. The replies built from them are in
``conversations.contact_replies``. This module imports nothing of the flows (``core`` imports it).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from conversations import scopes, texts

FIELDS = ("unit", "person", "phone", "address", "hours")
REQUIRED = frozenset({"unit", "person", "phone"})
LENGTHS = {"unit": (2, 40), "person": (1, 20), "phone": (7, 40), "address": (0, 80),
           "hours": (0, 40)}  # fmt: skip
PHONE_RE = re.compile(r"[0-9 \-+()（）、,，/转]+")
PHONE_DIGITS = 7


class ContactCard(BaseModel):
    """One organizer's card, as its organizer wrote it; ``updated_at`` ISO, Asia/Shanghai."""

    model_config = ConfigDict(frozen=True)

    scope: str  # province, city:无锡, assoc:<name>
    unit: str
    person: str
    phone: str
    address: str = ""
    hours: str = ""
    updated_at: str = ""


class CardInputError(ValueError):
    """A field the card does not accept; ``field`` names it ("scope" for the scope), the
    message says why in Chinese."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def no_contact_cards(wanted: list[str]) -> list[ContactCard]:
    """No store: no organizer's card (the notice's contacts alone, said as 2016's)."""
    return []


def checked_field(field: str, value: str | None) -> str:
    """One field's value, whitespace folded; CardInputError when it is not accepted."""
    name = texts.CONTACT_FIELD_NAMES[field]
    raw = value or ""
    if any(not ch.isprintable() for ch in raw):
        raise CardInputError(field, texts.CONTACT_ERR_CONTROL.format(field=name))
    text = " ".join(raw.split())
    low, high = LENGTHS[field]
    if not text:
        if field in REQUIRED:
            raise CardInputError(field, texts.CONTACT_ERR_EMPTY.format(field=name))
        return ""
    if len(text) > high:
        message = texts.CONTACT_ERR_LONG.format(field=name, limit=high, length=len(text))
        raise CardInputError(field, message)
    if field == "phone" and (
        not PHONE_RE.fullmatch(text) or sum(ch.isdigit() for ch in text) < PHONE_DIGITS
    ):
        raise CardInputError(field, texts.CONTACT_ERR_PHONE)
    if len(text) < low:
        raise CardInputError(field, texts.CONTACT_ERR_SHORT.format(field=name, limit=low))
    return text


def checked_scope(scope: str | None) -> str:
    """``city:无锡`` (or ``city 无锡``, ``province``…) as a scope; CardInputError if not one."""
    found = scopes.parse_scope_text(scope or "")
    if found is None:
        shown = (scope or "")[:40]
        raise CardInputError("scope", texts.CONTACT_ERR_SCOPE.format(scope=shown))
    return found


def make_card(scope: str | None, **fields: str | None) -> ContactCard:
    """A card from typed values, every field checked (the first refusal raised)."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown card fields {sorted(unknown)}")
    values = {field: checked_field(field, fields.get(field)) for field in FIELDS}
    return ContactCard(scope=checked_scope(scope), **values)


def field_errors(fields: dict[str, str]) -> dict[str, str]:
    """Every refused field with its reason (a form shows each next to its field)."""
    errors = {}
    for field in FIELDS:
        try:
            checked_field(field, fields.get(field))
        except CardInputError as exc:
            errors[field] = exc.message
    return errors


def card_block(card: ContactCard) -> str:
    """The whole card, its unit first and labelled as the organizer's, one field a line."""
    head = texts.CONTACT_CARD_HEAD.format(unit=card.unit, day=card.updated_at[:10])
    lines = [head]
    for field, line in texts.CONTACT_CARD_LINES:
        if value := getattr(card, field):
            lines.append(line.format(value=value))
    return "\n".join(lines)


def card_inline(card: ContactCard) -> str:
    """The card in a sentence: 无锡市经信委（组织单位提供）陈科长，电话：0510-81234567."""
    return texts.CONTACT_CARD_INLINE.format(unit=card.unit, person=card.person, phone=card.phone)
