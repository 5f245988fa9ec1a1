"""People and their destinations, and who may do what: the one permission model.

A person has an id of our own and destinations (a Telegram chat, a web session, the console;
e-mail next), each ``(channel, address)`` once, verified and active or not. The console chat and
the command-line operator are people too, never sharing an id.

Roles are read here, from the store's own tables and the admins of the settings (Telegram user
ids in ``BIAOGAN_ADMIN_IDS``, given to the store once, at opening): never from the role an
effect or a form claims. Every organizer write calls ``require_admin`` or ``require_scope`` with
the acting person's id, inside the turn's transaction.
"""

from __future__ import annotations

from bot.store.base import StoreBase, StoreError
from conversations import scopes
from conversations.core import Channel

WEB_ID_CEILING = -(2**53)  # web chat ids are below this (bot.web.sessions draws them there)
CONSOLE_CHAT = 0  # the console chat's id (Telegram never uses 0)

Role = tuple[str, str]  # (role, scope)


class NotAllowed(StoreError):
    """Someone asked the store for something their role does not allow."""


def chat_channel(chat_id: int) -> Channel:
    """The channel a chat id belongs to (each has its own id range)."""
    if chat_id <= WEB_ID_CEILING:
        return "web"
    if chat_id == CONSOLE_CHAT:
        return "console"
    return "telegram"


class PeopleStore(StoreBase):
    admin_telegram_ids: frozenset[int] = frozenset()  # BIAOGAN_ADMIN_IDS: the one admin list

    # ---- people and destinations -------------------------------------------------------------

    def new_person(self, kind: str = "person", name: str | None = None) -> int:
        cursor = self.db.execute(
            "INSERT INTO people (kind, name, created_at) VALUES (?, ?, ?)",
            [kind, name, self.now_iso()],
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def destination(self, channel: str, address: str) -> dict | None:
        """The contact point ``address`` on ``channel``. E-mail addresses are found whatever
        their case (Li@jxw.cn is li@jxw.cn: the providers enterprises use ignore it), the
        exact spelling first; mail still goes to the address as it was first given."""
        same = "lower(address) = lower(:address)" if channel == "email" else "address = :address"
        row = self.db.execute(
            "SELECT id, person_id, active, verified FROM destinations"
            f" WHERE channel = :channel AND {same} ORDER BY address = :address DESC, id LIMIT 1",
            {"channel": channel, "address": address},
        ).fetchone()
        if row is None:
            return None
        return {"id": row[0], "person_id": row[1], "active": row[2], "verified": row[3]}

    def ensure_destination(self, channel: str, address: str, person_id: int | None) -> int:
        """The destination's id, made when new (with ``person_id`` as its owner)."""
        found = self.destination(channel, address)
        if found is not None:
            if found["person_id"] is None and person_id is not None:
                self.db.execute(
                    "UPDATE destinations SET person_id = ? WHERE id = ?", [person_id, found["id"]]
                )
            return found["id"]
        cursor = self.db.execute(
            "INSERT INTO destinations (person_id, channel, address, created_at)"
            " VALUES (?, ?, ?, ?)",
            [person_id, channel, address, self.now_iso()],
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def person_of(self, channel: str, address: str, *, kind: str = "person") -> int:
        """The person behind a contact point (a Telegram user, a web session, the console),
        made on first contact."""
        found = self.destination(channel, address)
        if found is not None and found["person_id"] is not None:
            return found["person_id"]
        with self.db.atomic():
            person = self.new_person(kind, "控制台" if channel == "console" else None)
            self.ensure_destination(channel, address, person)
        return person

    def telegram_person(self, user_id: int) -> int:
        return self.person_of("telegram", str(user_id))

    def operator(self) -> int:
        """The person at the command line (``biaogan organizers …``, ``calendar set``)."""
        row = self.db.execute("SELECT id FROM people WHERE kind = 'operator'").fetchone()
        if row is not None:
            return row[0]
        with self.db.atomic():
            return self.new_person("operator", "命令行")

    def chat_destination(self, chat_id: int) -> int:
        """The destination of a chat (where its reminders and notices go), made when new."""
        channel = chat_channel(chat_id)
        owner = self.db.execute(
            "SELECT person_id FROM users WHERE chat_id = ?", [chat_id]
        ).fetchone()
        return self.ensure_destination(channel, str(chat_id), owner[0] if owner else None)

    def destination_of(self, destination_id: int | None) -> tuple[str, str] | None:
        """(channel, address) of a destination, or None."""
        if destination_id is None:
            return None
        row = self.db.execute(
            "SELECT channel, address FROM destinations WHERE id = ?", [destination_id]
        ).fetchone()
        return (row[0], row[1]) if row else None

    def telegram_ids(self, person_id: int) -> list[int]:
        """The Telegram user ids of a person (their private chats)."""
        rows = self.db.execute(
            "SELECT address FROM destinations WHERE person_id = ? AND channel = 'telegram'",
            [person_id],
        )
        return [int(row[0]) for row in rows]

    def set_inactive(self, destination_id: int, reason: str) -> None:
        """The address is gone (a blocked bot, a hard bounce): nothing more is sent there."""
        self.db.execute(
            "UPDATE destinations SET active = 0, inactive_since = ?, reason = ? WHERE id = ?",
            [self.now_iso(), reason, destination_id],
        )

    def reactivate(self, channel: str, address: str) -> None:
        """The person wrote to us from there again: reachable again."""
        self.db.execute(
            "UPDATE destinations SET active = 1, inactive_since = NULL, reason = NULL"
            " WHERE id = ? AND active = 0",
            [found["id"] if (found := self.destination(channel, address)) else None],
        )

    # ---- roles: the one permission model -----------------------------------------------------

    def is_admin(self, person_id: int) -> bool:
        kind = self.db.execute("SELECT kind FROM people WHERE id = ?", [person_id]).fetchone()
        if kind is None:
            return False
        if kind[0] in ("operator", "admin"):  # the command line; an admin invited by e-mail
            return True
        return any(uid in self.admin_telegram_ids for uid in self.telegram_ids(person_id))

    def role(self, person_id: int) -> Role | None:
        """``("admin", "province")``, ``("organizer", scope)``, or None (an enterprise)."""
        if self.is_admin(person_id):
            return ("admin", scopes.PROVINCE)
        row = self.db.execute(
            "SELECT scope FROM organizers WHERE person_id = ? AND revoked_at IS NULL",
            [person_id],
        ).fetchone()
        return ("organizer", row[0]) if row else None

    def require_admin(self, person_id: int) -> None:
        if not self.is_admin(person_id):
            raise NotAllowed(f"person {person_id} is not an admin")

    def require_organizer(self, person_id: int) -> str:
        """The scope of an organizer or admin; else NotAllowed."""
        found = self.role(person_id)
        if found is None:
            raise NotAllowed(f"person {person_id} is no organizer")
        return found[1]

    def require_scope(self, person_id: int, segment: str) -> str:
        """The scope of ``person_id`` when it covers ``segment``; else NotAllowed."""
        scope = self.require_organizer(person_id)
        if not scopes.covers(scope, segment):
            raise NotAllowed(f"person {person_id} may not reach {segment}")
        return scope
