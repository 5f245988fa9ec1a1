"""Signing in to the organizers' console by e-mail, and its sessions.

- **Inviting** (``invite_by_email``): an admin names a person by e-mail, a scope and a name; the
  person (one person whatever channels they use: an address already known keeps its person) gets
  the role at once and an invitation mail with a sign-in link (72 hours).
- **Signing in** (``request_signin``): a sign-in link (15 minutes) is mailed only to an active
  organizer's or admin's address; the page says the same whether or not it is one. A link is
  made when its mail is rendered (only its SHA-256 is kept), used once (``use_signin``).
- **Sessions**: a cookie's SHA-256 with the person, idle and absolute expiry, ended at sign-out.
  Each request reads the person's role afresh (``PeopleStore.role``): a revoked organizer's open
  session can do nothing from the next request on.
Every sign-in, failed attempt and invitation is in the audit log.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

from bot.store.organizers import OrganizerStore
from conversations import scopes

SIGNIN_TTL = timedelta(minutes=15)
INVITE_TTL = timedelta(hours=72)
SESSION_IDLE = timedelta(hours=2)
SESSION_ABSOLUTE = timedelta(hours=12)
TOUCH_EVERY = timedelta(minutes=1)  # last_seen is written at most this often


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LinkRefused(ValueError):
    """An e-mail address already belongs to another person than the Telegram account named."""


@dataclass(frozen=True)
class SignedIn:
    """A sign-in link's outcome: the person (None when refused) and why not."""

    person_id: int | None
    reason: str = ""  # unknown | used | expired | no_role


class SigninStore(OrganizerStore):
    # ---- inviting ----------------------------------------------------------------------------

    def invite_by_email(
        self,
        by: int,
        address: str,
        scope: str,
        name: str,
        *,
        admin: bool = False,
        telegram_id: int | None = None,
    ) -> int:
        """Make the person behind ``address`` an organizer of ``scope`` (or an admin) and queue
        their invitation mail; their person id. ``telegram_id``: the same person's Telegram
        account, so an organizer on both is one person with one role."""
        self.require_admin(by)
        if not scopes.valid_scope(scope):
            raise ValueError(f"not a scope: {scope!r}")
        with self.db.atomic():
            found = self.destination("email", address)
            person = found["person_id"] if found and found["person_id"] else None
            if telegram_id is not None:
                on_telegram = self.telegram_person(telegram_id)
                if person is not None and person != on_telegram:
                    raise LinkRefused(f"{address} already belongs to person {person}")
                person = on_telegram
            if person is None:
                person = self.new_person("admin" if admin else "person", name)
            destination = self.ensure_destination("email", address, person)
            self.db.execute(
                "UPDATE destinations SET verified = 1, active = 1, inactive_since = NULL,"
                " reason = NULL WHERE id = ?",
                [destination],
            )
            self.db.execute(
                "UPDATE people SET name = ?, kind = CASE WHEN ? THEN 'admin' ELSE kind END"
                " WHERE id = ?",
                [name, admin, person],
            )
            if not admin:
                self._appoint(person, scope, by)
            self._queue_signin(destination, person, "invite")
            detail = {"person_id": person, "name": name, "admin": admin}
            self.audit(by, "invite_email", scopes.PROVINCE if admin else scope, detail)
        return person

    def _queue_signin(self, destination: int, person: int, purpose: str) -> None:
        now = self.now_iso()
        self.db.execute(
            "INSERT INTO messages (destination_id, channel, chat_id, kind, payload, status,"
            " due_at, created_at) VALUES (?, 'email', NULL, ?, ?, 'pending', ?, ?)",
            [destination, purpose, json.dumps({"person_id": person}), now, now],
        )

    # ---- signing in --------------------------------------------------------------------------

    def request_signin(self, address: str) -> bool:
        """Queue a sign-in mail when ``address`` is an active organizer's or admin's (True);
        else nothing (False). The caller answers the same either way."""
        with self.db.atomic():
            found = self.destination("email", address)
            if found is None or found["person_id"] is None or not found["active"]:
                self.audit(None, "signin_unknown", None, {"address_hash": _hash(address)[:12]})
                return False
            if self.role(found["person_id"]) is None:
                self.audit(found["person_id"], "signin_no_role", None)
                return False
            self._queue_signin(found["id"], found["person_id"], "signin")
        return True

    def issue_signin_token(self, row: dict) -> str:
        """A fresh sign-in link's token for a ``messages`` row (only its hash is kept)."""
        person = json.loads(row["payload"])["person_id"]
        ttl = INVITE_TTL if row["kind"] == "invite" else SIGNIN_TTL
        token = secrets.token_urlsafe(32)
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO signin_tokens (token_hash, person_id, destination_id, purpose,"
                " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                [_hash(token), person, row["destination_id"], row["kind"], self.now_iso(),
                 self.now_iso(ttl)],
            )  # fmt: skip
        return token

    def signin_link_token(self, person_id: int, *, purpose: str = "signin") -> str:
        """A sign-in link made now, for delivery by hand (``biaogan organizers invite`` with
        no SMTP server): its token, only its hash kept."""
        row = self.db.execute(
            "SELECT id FROM destinations WHERE person_id = ? AND channel = 'email'"
            " ORDER BY id LIMIT 1",
            [person_id],
        ).fetchone()
        fake_row = {
            "payload": json.dumps({"person_id": person_id}),
            "kind": purpose,
            "destination_id": row[0] if row else None,
        }
        return self.issue_signin_token(fake_row)

    def use_signin(self, token: str) -> SignedIn:
        """Use a sign-in link once; audited either way."""
        now = self.now_iso()
        with self.db.atomic():
            row = self.db.execute(
                "SELECT id, person_id, expires_at, used_at FROM signin_tokens WHERE token_hash = ?",
                [_hash(token)],
            ).fetchone()
            if row is None:
                self.audit(None, "signin_failed", None, {"reason": "unknown"})
                return SignedIn(None, "unknown")
            token_id, person, expires, used = row
            reason = "used" if used else "expired" if expires <= now else ""
            if not reason and self.role(person) is None:
                reason = "no_role"
            if reason:
                self.audit(person, "signin_failed", None, {"reason": reason})
                return SignedIn(None, reason)
            self.db.execute("UPDATE signin_tokens SET used_at = ? WHERE id = ?", [now, token_id])
            # Every other open link of this person stops working too.
            self.db.execute(
                "UPDATE signin_tokens SET used_at = ? WHERE person_id = ? AND used_at IS NULL",
                [now, person],
            )
            self.audit(person, "signin", None)
        return SignedIn(person)

    # ---- sessions ----------------------------------------------------------------------------

    def open_session(self, person_id: int) -> str:
        """A new session (a fresh id at every sign-in): the cookie's value."""
        token = secrets.token_urlsafe(32)
        now = self.now_iso()
        self.db.execute(
            "INSERT INTO org_sessions (token_hash, person_id, created_at, last_seen, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [_hash(token), person_id, now, now, self.now_iso(SESSION_ABSOLUTE)],
        )
        return token

    def session_person(self, token: str | None) -> int | None:
        """The person of a live session (not ended, not idle too long, not past its absolute
        expiry, still holding a role); touches it."""
        if not token:
            return None
        row = self.db.execute(
            "SELECT id, person_id, last_seen, expires_at, ended_at FROM org_sessions"
            " WHERE token_hash = ?",
            [_hash(token)],
        ).fetchone()
        if row is None:
            return None
        session_id, person, last_seen, expires, ended = row
        now = self.now_iso()
        if ended or expires <= now or last_seen <= self.now_iso(-SESSION_IDLE):
            return None
        if self.role(person) is None:
            return None
        if last_seen <= self.now_iso(-TOUCH_EVERY):
            self.db.execute("UPDATE org_sessions SET last_seen = ? WHERE id = ?", [now, session_id])
        return person

    def end_session(self, token: str | None) -> None:
        if token:
            self.db.execute(
                "UPDATE org_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
                [self.now_iso(), _hash(token)],
            )

    def person_name(self, person_id: int) -> str:
        row = self.db.execute("SELECT name FROM people WHERE id = ?", [person_id]).fetchone()
        return (row[0] if row else None) or self.person_label(person_id)

    def audit_rows(self, person_id: int, limit: int = 200) -> list[dict]:
        """The audit log as a person may read it: everything for an admin; an organizer's
        own actions and those within their scope. Newest first, ``who`` named."""
        scope = self.require_organizer(person_id)
        admin = self.is_admin(person_id)
        rows = list(self.db["audit"].rows_where(order_by="id desc", limit=limit * 5))
        shown = [
            r
            for r in rows
            if admin
            or r["actor"] == person_id
            or r["scope"] == scope
            or scopes.covers(scope, r["scope"] or "")
        ][:limit]
        for row in shown:
            row["who"] = self.person_label(row["actor"])
        return shown
