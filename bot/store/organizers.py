"""Organizers and their scope, one-time invites, and the audit log.

Every write here checks who asks, again, inside the turn's transaction: the flows refuse first
with a short reply, and a flow bug still cannot grant, revoke or broadcast for someone who may
not. Everyone here is a person id (``bot.store.people``); who may do what is read there.
"""

from __future__ import annotations

import json
from typing import Any

from bot.store.base import StoreError
from bot.store.people import NotAllowed, PeopleStore, Role
from conversations import scopes

__all__ = ["NotAllowed", "OrganizerStore", "RoleRefused"]


class RoleRefused(StoreError):
    """A change to someone's role the store will not make, nothing written. ``reason``:
    ``not_organizer`` (no role to change, or a forged id), ``is_admin`` (an admin's scope is the
    province), ``self`` (an admin revoking themself), ``last_admin`` (no e-mail admin would be
    left to run the console)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OrganizerStore(PeopleStore):
    # ---- roles (who holds one: ``PeopleStore.role``) ---------------------------------------

    def organizer(self, person_id: int) -> Role | None:
        """``("admin", "province")`` for admins, ``("organizer", scope)``, or None."""
        return self.role(person_id)

    def grant(self, by: int, person_id: int, scope: str) -> None:
        self.require_admin(by)
        if not scopes.valid_scope(scope):
            raise ValueError(f"not a scope: {scope!r}")
        with self.db.atomic():
            self._appoint(person_id, scope, by)
            self.audit(by, "grant", scope, {**self._ids(person_id), "person_id": person_id})

    def _appoint(self, person_id: int, scope: str, by: int) -> None:
        self.db.execute(
            "INSERT INTO organizers (person_id, scope, granted_by, granted_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT(person_id) DO UPDATE SET scope = excluded.scope,"
            " granted_by = excluded.granted_by, granted_at = excluded.granted_at,"
            " revoked_by = NULL, revoked_at = NULL",
            [person_id, scope, by, self.now_iso()],
        )

    def _ids(self, person_id: int) -> dict[str, Any]:
        """How an audit row names a person besides our id: their Telegram ids."""
        ids = self.telegram_ids(person_id)
        return {"user_id": ids[0]} if len(ids) == 1 else {"telegram": ids} if ids else {}

    def revoke(self, by: int, person_id: int) -> bool:
        """False when ``person_id`` was no organizer (nothing changed, nothing audited)."""
        self.require_admin(by)
        with self.db.atomic():
            row = self.db.execute(
                "SELECT scope FROM organizers WHERE person_id = ? AND revoked_at IS NULL",
                [person_id],
            ).fetchone()
            if row is None:
                return False
            self.db.execute(
                "UPDATE organizers SET revoked_by = ?, revoked_at = ? WHERE person_id = ?",
                [by, self.now_iso(), person_id],
            )
            self.audit(by, "revoke", row[0], {**self._ids(person_id), "person_id": person_id})
        return True

    def organizers(self) -> list[dict[str, Any]]:
        """Current organizers, by scope, each with ``user_id``: a Telegram id of theirs (or
        None), how /organizers and /revoke name them."""
        rows = self.db.execute(
            "SELECT o.person_id, o.scope, o.granted_by, o.granted_at,"
            " (SELECT min(CAST(address AS INTEGER)) FROM destinations d"
            "  WHERE d.person_id = o.person_id AND d.channel = 'telegram') AS user_id"
            " FROM organizers o WHERE o.revoked_at IS NULL ORDER BY o.scope, o.person_id"
        )
        names = ("person_id", "scope", "granted_by", "granted_at", "user_id")
        return [dict(zip(names, row, strict=True)) for row in rows]

    def associations(self) -> list[str]:
        """The associations active organizers exist for (the distinct ``assoc:<name>`` scopes),
        by name: what the profile offers an enterprise to choose from."""
        rows = self.db.execute(
            "SELECT DISTINCT substr(scope, 7) FROM organizers"
            " WHERE revoked_at IS NULL AND scope LIKE 'assoc:%' ORDER BY 1"
        )
        return [row[0] for row in rows]

    def revoked_organizers(self) -> list[int]:
        rows = self.db.execute("SELECT person_id FROM organizers WHERE revoked_at IS NOT NULL")
        return [row[0] for row in rows]

    # ---- the console's 组织单位 page (admins only) -------------------------------------------

    def change_scope(self, by: int, person_id: int, scope: str) -> str:
        """Move an organizer to another scope; their old scope. Audited as ``grant`` with the
        old and new scope; an unchanged scope writes nothing."""
        self.require_admin(by)
        if not scopes.valid_scope(scope):
            raise ValueError(f"not a scope: {scope!r}")
        with self.db.atomic():
            if self._kind(person_id) == "admin":
                raise RoleRefused("is_admin")
            row = self.db.execute(
                "SELECT scope FROM organizers WHERE person_id = ? AND revoked_at IS NULL",
                [person_id],
            ).fetchone()
            if row is None:
                raise RoleRefused("not_organizer")
            if row[0] != scope:
                self._appoint(person_id, scope, by)
                detail = {**self._ids(person_id), "person_id": person_id, "from": row[0]}
                self.audit(by, "grant", scope, detail)
        return row[0]

    def revoke_role(self, by: int, person_id: int) -> str:
        """End an organizer's role, or an e-mail admin's (kind ``admin``): ``organizer`` or
        ``admin``. Never oneself, never the last e-mail admin (``RoleRefused``)."""
        self.require_admin(by)
        if person_id == by:
            raise RoleRefused("self")
        with self.db.atomic():
            if self._kind(person_id) != "admin":
                if not self.revoke(by, person_id):
                    raise RoleRefused("not_organizer")
                return "organizer"
            admins = self.db.execute("SELECT count(*) FROM people WHERE kind = 'admin'")
            if admins.fetchone()[0] <= 1:
                raise RoleRefused("last_admin")
            self.db.execute("UPDATE people SET kind = 'person' WHERE id = ?", [person_id])
            self.db.execute(
                "UPDATE organizers SET revoked_by = ?, revoked_at = ?"
                " WHERE person_id = ? AND revoked_at IS NULL",
                [by, self.now_iso(), person_id],
            )
            detail = {**self._ids(person_id), "person_id": person_id, "admin": True}
            self.audit(by, "revoke", scopes.PROVINCE, detail)
        return "admin"

    def _kind(self, person_id: int) -> str | None:
        row = self.db.execute("SELECT kind FROM people WHERE id = ?", [person_id]).fetchone()
        return row[0] if row else None

    def console_people(self, by: int) -> list[dict[str, Any]]:
        """The e-mail admins, then the organizers by scope, for an admin to read: person id,
        name, e-mail, role, scope, Telegram ids, granted when and by whom, last sign-in."""
        self.require_admin(by)
        admins = self.db.execute(
            "SELECT p.id, 'admin', 'province', a.at, a.actor FROM people p"
            " LEFT JOIN audit a ON a.id = (SELECT max(id) FROM audit WHERE action = 'invite_email'"
            "  AND json_extract(detail, '$.person_id') = p.id AND json_extract(detail, '$.admin'))"
            " WHERE p.kind = 'admin' ORDER BY p.id"
        ).fetchall()
        organizers = self.db.execute(
            "SELECT o.person_id, 'organizer', o.scope, o.granted_at, o.granted_by FROM organizers o"
            " JOIN people p ON p.id = o.person_id"
            " WHERE o.revoked_at IS NULL AND p.kind != 'admin' ORDER BY o.scope, o.person_id"
        ).fetchall()
        return [self._console_person(*row) for row in [*admins, *organizers]]

    def _console_person(
        self, person: int, role: str, scope: str, granted_at: str | None, granted_by: int | None
    ) -> dict[str, Any]:
        email = self.db.execute(
            "SELECT address FROM destinations WHERE person_id = ? AND channel = 'email'"
            " ORDER BY id LIMIT 1",
            [person],
        ).fetchone()
        name = self.db.execute("SELECT name FROM people WHERE id = ?", [person]).fetchone()
        last = self.db.execute(
            "SELECT max(created_at) FROM org_sessions WHERE person_id = ?", [person]
        ).fetchone()
        return {
            "person_id": person,
            "name": (name[0] if name else None) or self.person_label(person),
            "email": email[0] if email else None,
            "role": role,
            "scope": scope,
            "telegram": self.telegram_ids(person),
            "granted_at": granted_at,
            "granted_by": self.person_label(granted_by) if granted_by is not None else None,
            "last_signin": last[0],
        }

    # ---- invites ---------------------------------------------------------------------------

    def create_invite(self, by: int, token_hash: str, scope: str, expires_at: str) -> None:
        self.require_admin(by)
        if not scopes.valid_scope(scope):
            raise ValueError(f"not a scope: {scope!r}")
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO invites (token_hash, scope, created_by, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [token_hash, scope, by, self.now_iso(), expires_at],
            )
            self.audit(by, "invite", scope, {"expires_at": expires_at})

    def invite(self, token_hash: str) -> dict[str, Any] | None:
        rows = list(self.db["invites"].rows_where("token_hash = ?", [token_hash]))
        return rows[0] if rows else None

    def use_invite(self, person_id: int, token_hash: str) -> str:
        """Redeem an invite: the new organizer's scope. Used or expired: NotAllowed."""
        now = self.now_iso()
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE invites SET used_by = ?, used_at = ?"
                " WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
                [person_id, now, token_hash, now],
            )
            if cursor.rowcount != 1:
                raise NotAllowed("invite used, expired or unknown")
            invite = self.invite(token_hash)
            assert invite is not None
            scope = invite["scope"]
            self._appoint(person_id, scope, invite["created_by"])
            self.audit(person_id, "invite_used", scope, {"invited_by": invite["created_by"]})
        return scope

    # ---- audit -----------------------------------------------------------------------------

    def audit(self, actor: int | None, action: str, scope: str | None, detail: Any = None) -> None:
        """One audit row, in the caller's transaction: who, what, scope, when (and detail)."""
        self.db.execute(
            "INSERT INTO audit (at, actor, action, scope, detail) VALUES (?, ?, ?, ?, ?)",
            [
                self.now_iso(),
                actor,
                action,
                scope,
                json.dumps(detail, ensure_ascii=False) if detail is not None else None,
            ],
        )

    def recent_audit(self, limit: int = 20) -> list[dict[str, Any]]:
        """Newest first; ``who`` names the person: a Telegram id, 命令行, 控制台, 网页访客."""
        rows = list(self.db["audit"].rows_where(order_by="id desc", limit=limit))
        for row in rows:
            row["who"] = self.person_label(row["actor"])
        return rows

    def person_label(self, person_id: int | None) -> str:
        if person_id is None:
            return "（已删除）"
        found = self.db.execute(
            "SELECT p.kind, p.name, d.channel, d.address FROM people p LEFT JOIN destinations d"
            " ON d.person_id = p.id WHERE p.id = ? ORDER BY d.channel = 'telegram' DESC, d.id",
            [person_id],
        ).fetchone()
        if found is None:
            return f"#{person_id}"
        kind, name, channel, address = found
        if kind in ("operator", "console"):
            return name or kind
        if channel == "telegram":
            return address
        return f"{name or '网页访客'}（#{person_id}）"
