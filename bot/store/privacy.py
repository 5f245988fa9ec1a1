"""/forget: everything stored about a user, deleted in one transaction.

Which tables hold a person is read from the schema itself, not from a list kept by hand: every
table with a ``chat_id``, ``user_id`` or ``person_id`` column is covered (and the ``people`` row
itself, and the chat's own destination), so a table added later is forgotten too
(``tests/test_privacy.py`` inserts a row into each and checks none is left). Two kinds of rows
are kept with the person's id blanked instead of deleted:

- ``ANONYMISED`` tables: a broadcast an organizer sent from this chat (other recipients'
  deliveries and the report refer to it);
- ``PERSON_REFERENCES``: columns naming a person as the one who acted (the audit log's actor,
  who sent a broadcast, created or used an invite, granted or revoked an organizer, set a
  calendar date, published or withdrew a document): the record that something happened
  stays, not who of the forgotten users did it.

No anonymous count is kept elsewhere: the statistics no longer include the user.
"""

from __future__ import annotations

import logging

from bot.store.people import PeopleStore, chat_channel

log = logging.getLogger(__name__)

PERSON_COLUMNS = ("chat_id", "user_id", "person_id")
ANONYMISED = frozenset({"broadcasts"})  # person columns blanked, the row kept
PERSON_REFERENCES: dict[str, tuple[str, ...]] = {
    "audit": ("actor",),
    "calendar": ("set_by",),
    "broadcasts": ("by_user",),  # and its chat_id, destination_id (ANONYMISED)
    "invites": ("created_by", "used_by"),
    "organizers": ("granted_by", "revoked_by"),
    "documents": ("uploaded_by", "withdrawn_by"),  # a published file stays, not who sent it
    "contact_cards": ("updated_by",),  # an organizer's card stays, not who typed it
    "local_answers": ("written_by", "withdrawn_by"),  # an organizer's answer stays, not who
}


class PrivacyStore(PeopleStore):
    def personal_tables(self) -> dict[str, list[str]]:
        """Every table holding a chat or user id, with those columns."""
        found = {}
        for table in self.db.table_names():
            if table.startswith(("_", "sqlite_")):
                continue
            columns = [c for c in PERSON_COLUMNS if c in self.db[table].columns_dict]
            if columns:
                found[table] = columns
        return found

    def forget(self, chat_id: int, user_id: int | None = None) -> dict[str, int]:
        """Delete every row about this chat, its user and the person behind it; rows touched
        per table. Used by every channel (the /forget flow's confirmation, the web's button,
        ``biaogan forget``)."""
        with self.db.atomic():
            row = self.db.execute(
                "SELECT user_id, person_id FROM users WHERE chat_id = ?", [chat_id]
            ).fetchone()
            if user_id is None:
                user_id = row[0] if row and row[0] is not None else chat_id
            person = row[1] if row and row[1] is not None else self._person_of_chat(chat_id)
            ids = {"chat_id": chat_id, "user_id": user_id, "person_id": person}
            # Children and parents go in one statement each; the keys are checked at commit.
            self.db.execute("PRAGMA defer_foreign_keys = ON")
            touched: dict[str, int] = {}
            for table, columns in PERSON_REFERENCES.items():
                for column in columns:
                    if person is not None and column in self.db[table].columns_dict:
                        touched[f"{table}.{column}"] = self._blank(table, [column], [person])
            own = self.db.execute(
                "SELECT id FROM destinations WHERE person_id = ? OR (channel = ? AND address = ?)",
                [person, chat_channel(chat_id), str(chat_id)],
            ).fetchall()
            if "broadcasts" in self.db.table_names():
                for (destination,) in own:
                    self._blank("broadcasts", ["destination_id"], [destination])
            for table, columns in self.personal_tables().items():
                present = [c for c in columns if ids[c] is not None]
                if not present:
                    continue
                match = " OR ".join(f"{c} = ?" for c in present)
                values = [ids[c] for c in present]
                if table in ANONYMISED:
                    touched[table] = self._blank(table, present, values)
                else:
                    cursor = self.db.execute(f"DELETE FROM {table} WHERE {match}", values)
                    touched[table] = cursor.rowcount
            touched["destinations"] = (
                touched.get("destinations", 0)
                + self.db.execute(
                    "DELETE FROM destinations WHERE channel = ? AND address = ?",
                    [chat_channel(chat_id), str(chat_id)],
                ).rowcount
            )
            if person is not None:
                touched["people"] = self.db.execute(
                    "DELETE FROM people WHERE id = ? AND kind != 'operator'", [person]
                ).rowcount
        self.wipe_after_commit()  # the WAL emptied once this commits (bot.store.base)
        log.info("chat %s forgotten: %s", chat_id, {k: n for k, n in touched.items() if n})
        return touched

    def _person_of_chat(self, chat_id: int) -> int | None:
        row = self.db.execute(
            "SELECT person_id FROM destinations WHERE channel = ? AND address = ?",
            [chat_channel(chat_id), str(chat_id)],
        ).fetchone()
        return row[0] if row else None

    def _blank(self, table: str, columns: list[str], ids: list[int]) -> int:
        """Set the person columns of the matching rows to NULL (0 where NULL is not allowed)."""
        info = {c.name: c for c in self.db[table].columns}
        touched = 0
        for column, person in zip(columns, ids, strict=True):
            blank = "0" if info[column].notnull else "NULL"
            cursor = self.db.execute(
                f"UPDATE {table} SET {column} = {blank} WHERE {column} = ?", [person]
            )
            touched += cursor.rowcount
        return touched
