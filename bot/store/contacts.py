"""The contact card each organizer keeps for its scope, and what enterprises read of them.

Every write names the acting person and reads their role here (``require_organizer``): an
organizer of a city or an association edits its own scope's card only; a province organizer
or an admin (the command-line operator is one) any scope's. The fields are checked again
(``conversations.contacts.make_card``): the store takes no form's word for them. Each write is
audited in the same transaction; a refused one writes nothing.

Enterprises read the cards of their scopes (``contact_cards``, given to the turns as
``Context.contact_cards`` by ``bot.service``), never another city's.
"""

from __future__ import annotations

from typing import Literal

from bot.store.organizers import OrganizerStore
from bot.store.people import NotAllowed
from conversations import scopes, texts
from conversations.contacts import FIELDS, ContactCard, checked_scope, make_card
from conversations.documents import units

_COLUMNS = ("scope", *FIELDS, "updated_at")
Saved = Literal["set", "changed", "same"]


class CardNotYours(NotAllowed):
    """An organizer asked to edit another scope's card; the message says so in Chinese."""


class ContactStore(OrganizerStore):
    # ---- organizers ------------------------------------------------------------------------

    def may_edit_card(self, by: int, scope: str) -> str:
        """``by``'s own scope when it may edit ``scope``'s card; else CardNotYours."""
        try:
            mine = self.require_organizer(by)
        except NotAllowed as exc:
            raise CardNotYours(texts.CONTACT_NOT_ORGANIZER) from exc
        if mine not in (scope, scopes.PROVINCE):
            message = texts.CONTACT_NOT_YOURS.format(
                mine=scopes.label(mine), scope=scopes.label(scope)
            )
            raise CardNotYours(message)
        return mine

    def set_contact_card(self, by: int, card: ContactCard) -> Saved:
        """Set (or change) the card of ``card.scope``. CardNotYours: another scope's;
        CardInputError: a field refused. Nothing is written either way."""
        self.may_edit_card(by, checked_scope(card.scope))
        card = make_card(card.scope, **{field: getattr(card, field) for field in FIELDS})
        values = [getattr(card, field) for field in FIELDS]
        with self.db.atomic():
            before = self.contact_card(card.scope)
            if before is not None and [getattr(before, f) for f in FIELDS] == values:
                return "same"
            self.db.execute(
                "INSERT INTO contact_cards (scope, unit, person, phone, address, hours,"
                " updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(scope) DO UPDATE SET unit = excluded.unit,"
                " person = excluded.person, phone = excluded.phone,"
                " address = excluded.address, hours = excluded.hours,"
                " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                [card.scope, *values, by, self.now_iso()],
            )
            detail = dict(zip(FIELDS, values, strict=True))
            self.audit(by, "contact_set", card.scope, detail)
        return "set" if before is None else "changed"

    def remove_contact_card(self, by: int, scope: str) -> bool:
        """Remove ``scope``'s card; False when it has none. CardNotYours: another scope's."""
        scope = checked_scope(scope)
        self.may_edit_card(by, scope)
        with self.db.atomic():
            removed = self.db.execute("DELETE FROM contact_cards WHERE scope = ?", [scope])
            if removed.rowcount == 0:
                return False
            self.audit(by, "contact_remove", scope, None)
        return True

    def editable_contact_cards(self, by: int) -> list[ContactCard]:
        """The cards ``by`` may edit: its own scope's (the province: every card)."""
        mine = self.require_organizer(by)
        return [c for c in self.all_contact_cards() if mine in (c.scope, scopes.PROVINCE)]

    def all_contact_cards(self) -> list[ContactCard]:
        """Every card, the province's first, then by scope (for ``biaogan contact list``)."""
        rows = self.db.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM contact_cards ORDER BY scope != 'province', scope"
        ).fetchall()
        return [_card(row) for row in rows]

    # ---- enterprises -----------------------------------------------------------------------

    def contact_card(self, scope: str) -> ContactCard | None:
        row = self.db.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM contact_cards WHERE scope = ?", [scope]
        ).fetchone()
        return _card(row) if row is not None else None

    def signing_units(self, scope: str) -> tuple[str, ...]:
        """The units an organizer of ``scope`` may sign a file or an answer as: its card's
        unit first (the name it goes by today), then the notice's kinds of 组织单位."""
        card = self.contact_card(scope)
        return units(scope, card.unit if card is not None else "")

    def contact_cards(self, wanted: list[str]) -> list[ContactCard]:
        """The cards of ``wanted`` scopes that exist, in that order (an enterprise's scopes,
        ``conversations.scopes.scopes_of``: its own first, then the province's)."""
        found = [card for scope in dict.fromkeys(wanted) if (card := self.contact_card(scope))]
        return found


def _card(row: tuple) -> ContactCard:
    values = dict(zip(_COLUMNS, row, strict=True))
    return ContactCard(**{k: v or "" for k, v in values.items()})
