"""E-mail addresses as destinations: double opt-in, the link each mail carries, unsubscribing.

- **Asking** (``request_mail``): the address becomes an unverified destination of the person
  and a confirmation mail is queued (a ``messages`` row); nothing else is ever sent to an
  unverified address.
- **The confirmation link** is made when its mail is rendered (``issue_confirm_token``): only
  its SHA-256 is stored, with an expiry; used once (``confirm_mail``), it verifies the address
  and subscribes it to the year's reminders for the chat that asked.
- **The manage link** of an address (in every mail, the ``List-Unsubscribe`` header among
  them) is signed, not stored: ``<destination id>.<HMAC of id and address>`` under a random key
  kept in the store. It unsubscribes without a login (RFC 8058) and sets the offsets.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from bot.store.calendar import CalendarStore

CONFIRM_TTL = timedelta(hours=24)  # a confirmation link works this long
RESEND_AFTER = timedelta(minutes=10)  # a second request within this gets no second mail
TOKEN_BYTES = 32

Asked = Literal["queued", "subscribed", "pending"]
Confirmed = Literal["new", "confirmed", "used", "expired", "unknown"]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Confirmation:
    """What a confirmation link did (``status``), and for which address and year."""

    status: Confirmed
    address: str = ""
    year: int = 0
    destination_id: int = 0
    offsets: tuple[int, ...] = ()


class MailStore(CalendarStore):
    # ---- asking ------------------------------------------------------------------------------

    def mail_status(self, person_id: int | None, address: str, year: int) -> Asked | None:
        """``subscribed``: the person's verified address already gets ``year``'s reminders;
        ``pending``: a confirmation went out to it a moment ago; None: neither."""
        found = self.destination("email", address)
        if found is None:
            return None
        if found["verified"] and found["active"] and found["person_id"] == person_id:
            active = self.db.execute(
                "SELECT 1 FROM subscriptions WHERE destination_id = ? AND year = ? AND active = 1",
                [found["id"], year],
            ).fetchone()
            if active:
                return "subscribed"
        recent = self.db.execute(
            "SELECT 1 FROM messages WHERE destination_id = ? AND kind = 'confirm'"
            " AND status IN ('pending', 'sending', 'sent') AND created_at > ?",
            [found["id"], self.now_iso(-RESEND_AFTER)],
        ).fetchone()
        return "pending" if recent else None

    def request_mail(self, chat_id: int, person_id: int | None, address: str, year: int) -> Asked:
        """Queue a confirmation mail to ``address`` for ``year`` (unless it is subscribed or
        one went out a moment ago: then nothing changes)."""
        with self.db.atomic():
            status = self.mail_status(person_id, address, year)
            if status is not None:
                return status
            found = self.destination("email", address)
            if found is None:
                destination = self.ensure_destination("email", address, person_id)
                self.db.execute("UPDATE destinations SET verified = 0 WHERE id = ?", [destination])
            else:
                destination = found["id"]
            now = self.now_iso()
            payload = {"year": year, "person_id": person_id}
            self.db.execute(
                "INSERT INTO messages (destination_id, channel, chat_id, kind, payload, status,"
                " due_at, created_at) VALUES (?, 'email', ?, 'confirm', ?, 'pending', ?, ?)",
                [destination, chat_id, json.dumps(payload), now, now],
            )
        return "queued"

    def issue_confirm_token(self, row: dict) -> str:
        """A fresh confirmation link's token for a ``messages`` row (only its hash is kept)."""
        payload = json.loads(row["payload"] or "{}")
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO mail_tokens (token_hash, destination_id, chat_id, person_id, year,"
                " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [token_hash(token), row["destination_id"], row["chat_id"],
                 payload.get("person_id"), payload["year"], self.now_iso(),
                 self.now_iso(CONFIRM_TTL)],
            )  # fmt: skip
        return token

    # ---- confirming --------------------------------------------------------------------------

    def confirmation_of(self, token: str) -> Confirmation:
        """What a confirmation link would do, without using it (the page before the button)."""
        row = self.db.execute(
            "SELECT t.destination_id, t.year, t.expires_at, t.used_at, d.address"
            " FROM mail_tokens t JOIN destinations d ON d.id = t.destination_id"
            " WHERE t.token_hash = ?",
            [token_hash(token)],
        ).fetchone()
        if row is None:
            return Confirmation("unknown")
        destination, year, expires, used, address = row
        status: Confirmed = "used" if used else "expired" if expires <= self.now_iso() else "new"
        return Confirmation(status, address, year, destination)

    def confirm_mail(self, token: str) -> Confirmation:
        """Use a confirmation link: the address is verified and subscribed for the year
        (default offsets). Used twice, late or unknown: nothing changes."""
        with self.db.atomic():
            row = self.db.execute(
                "SELECT t.id, t.destination_id, t.chat_id, t.person_id, t.year, t.expires_at,"
                " t.used_at, d.address FROM mail_tokens t JOIN destinations d"
                " ON d.id = t.destination_id WHERE t.token_hash = ?",
                [token_hash(token)],
            ).fetchone()
            if row is None:
                return Confirmation("unknown")
            token_id, destination, chat_id, person, year, expires, used, address = row
            if used:
                return Confirmation("used", address, year, destination)
            if expires <= self.now_iso():
                return Confirmation("expired", address, year, destination)
            self.db.execute(
                "UPDATE mail_tokens SET used_at = ? WHERE id = ?", [self.now_iso(), token_id]
            )
            self.db.execute(
                "UPDATE destinations SET verified = 1, active = 1, inactive_since = NULL,"
                " reason = NULL, person_id = coalesce(?, person_id) WHERE id = ?",
                [person, destination],
            )
            offsets = self.subscribe(chat_id, year, destination_id=destination)
        return Confirmation("confirmed", address, year, destination, tuple(offsets))

    # ---- the manage link ---------------------------------------------------------------------

    def _link_key(self) -> bytes:
        row = self.db.execute("SELECT value FROM secrets WHERE name = 'mail_links'").fetchone()
        return bytes.fromhex(row[0])

    def manage_token(self, address: str) -> str | None:
        """The token of an address's manage/unsubscribe link (None: no such destination)."""
        found = self.destination("email", address)
        if found is None:
            return None
        return f"{found['id']}.{self._sign(found['id'], address)}"

    def _sign(self, destination_id: int, address: str) -> str:
        message = f"manage:{destination_id}:{address}".encode()
        return hmac.new(self._link_key(), message, hashlib.sha256).hexdigest()[:32]

    def managed(self, token: str) -> dict | None:
        """The e-mail destination a manage link names, if its signature holds."""
        number, _, signature = token.partition(".")
        if not number.isdigit() or len(signature) != 32:
            return None
        row = self.db.execute(
            "SELECT id, address, active, verified FROM destinations"
            " WHERE id = ? AND channel = 'email'",
            [int(number)],
        ).fetchone()
        if row is None or not hmac.compare_digest(self._sign(row[0], row[1]), signature):
            return None
        years = self.db.execute(
            "SELECT year, offsets FROM subscriptions WHERE destination_id = ? AND active = 1"
            " ORDER BY year",
            [row[0]],
        ).fetchall()
        return {
            "id": row[0],
            "address": row[1],
            "active": bool(row[2]) and bool(years),
            "verified": bool(row[3]),
            "subscriptions": {year: json.loads(offsets) for year, offsets in years},
        }

    def unsubscribe_destination(self, destination_id: int) -> bool:
        """Nothing more to this address: its subscriptions end, what is queued for it is
        cancelled. False: it had nothing active."""
        with self.db.atomic():
            ended = self.db.execute(
                "UPDATE subscriptions SET active = 0, updated_at = ?"
                " WHERE destination_id = ? AND active = 1",
                [self.now_iso(), destination_id],
            ).rowcount
            for table in ("reminders", "deliveries", "messages"):
                self.db.execute(
                    f"UPDATE {table} SET status = 'cancelled', error = 'unsubscribed'"
                    " WHERE destination_id = ? AND status = 'pending'",
                    [destination_id],
                )
        return bool(ended)

    def set_mail_offsets(self, destination_id: int, year: int, offsets: list[int]) -> bool:
        """Change the offsets of an address's subscription to ``year`` (False: none)."""
        row = self.db.execute(
            "SELECT chat_id FROM subscriptions WHERE destination_id = ? AND year = ?"
            " AND active = 1",
            [destination_id, year],
        ).fetchone()
        if row is None:
            return False
        self.subscribe(row[0], year, offsets, destination_id=destination_id)
        return True

    def mail_addresses(self, person_id: int | None) -> list[dict]:
        """The person's e-mail addresses: address, verified, and the years they get."""
        if person_id is None:
            return []
        rows = self.db.execute(
            "SELECT d.id, d.address, d.verified, d.active,"
            " (SELECT group_concat(s.year) FROM subscriptions s"
            "  WHERE s.destination_id = d.id AND s.active = 1)"
            " FROM destinations d WHERE d.person_id = ? AND d.channel = 'email' ORDER BY d.id",
            [person_id],
        ).fetchall()
        return [
            {
                "id": r[0],
                "address": r[1],
                "verified": bool(r[2]),
                "active": bool(r[3]),
                "years": [int(y) for y in r[4].split(",")] if r[4] else [],
            }
            for r in rows
        ]
