"""/forget: everything stored about a user, deleted in one transaction.

Which tables hold a person is read from the schema itself, not from a list kept by hand: every
table with a ``chat_id`` or ``user_id`` column is covered, so a table added later is forgotten
too (``tests/test_privacy.py`` inserts a row into each and checks none is left). Only the tables
in ``ANONYMISED`` keep their rows, with the ids blanked: the organizers' audit log must still say
that an action happened, not who of the forgotten users did it.
"""

from __future__ import annotations

import logging

from bot.store.base import StoreBase

log = logging.getLogger(__name__)

PERSON_COLUMNS = ("chat_id", "user_id")
ANONYMISED = frozenset({"audit"})  # rows kept, ids blanked


class PrivacyStore(StoreBase):
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
        """Delete every row about this chat (and its user); rows touched per table."""
        with self.db.atomic():
            if user_id is None:
                row = self.db.execute(
                    "SELECT user_id FROM users WHERE chat_id = ?", [chat_id]
                ).fetchone()
                user_id = row[0] if row and row[0] is not None else chat_id
            # Children and parents go in one statement each; the keys are checked at commit.
            self.db.execute("PRAGMA defer_foreign_keys = ON")
            touched = {}
            for table, columns in self.personal_tables().items():
                match = " OR ".join(f"{c} = ?" for c in columns)
                ids = [chat_id if c == "chat_id" else user_id for c in columns]
                if table in ANONYMISED:
                    info = {c.name: c for c in self.db[table].columns}
                    blank = ", ".join(
                        f"{c} = {'0' if info[c].notnull else 'NULL'}" for c in columns
                    )
                    cursor = self.db.execute(f"UPDATE {table} SET {blank} WHERE {match}", ids)
                else:
                    cursor = self.db.execute(f"DELETE FROM {table} WHERE {match}", ids)
                touched[table] = cursor.rowcount
        log.info("chat %s forgotten: %s", chat_id, touched)
        return touched
