"""Migration ``m021_contact_cards`` (registered in ``bot.store.schema_later``): the contact card
each organizer keeps for its scope (issue 19, 2).

``contact_cards``: one row per scope (``province``, ``city:无锡``, ``assoc:<name>``) — the unit,
the person, the phone, optionally the address and office hours, as the organizer wrote them
(checked by ``conversations.contacts``), who last changed it and when. A removed card is
deleted; the audit log keeps what was set and removed, by whom.
"""

from __future__ import annotations

from sqlite_utils import Database


def m021_contact_cards(db: Database) -> None:
    db["contact_cards"].create(
        {
            "scope": str,
            "unit": str,
            "person": str,
            "phone": str,
            "address": str,
            "hours": str,
            "updated_by": int,  # a person (blanked when that person is forgotten)
            "updated_at": str,
        },
        pk="scope",
        not_null={"unit", "person", "phone", "updated_at"},
    )
