"""Organizers and their scope, one-time invites, and the audit log.

Every write here checks who asks, again, inside the turn's transaction: the flows refuse first
with a short reply, and a flow bug still cannot grant, revoke or broadcast for someone who may
not. ``OPERATOR`` (0) is the person at the command line (``biaogan organizers …``).
"""

from __future__ import annotations

import json
from typing import Any

from bot.store.base import StoreBase, StoreError
from conversations import scopes

OPERATOR = 0  # the CLI's actor: whoever can run biaogan on the server
Role = tuple[str, str]  # (role, scope)


class NotAllowed(StoreError):
    """Someone asked the store for a write their role does not allow."""


class OrganizerStore(StoreBase):
    admin_ids: frozenset[int] = frozenset()

    # ---- roles -----------------------------------------------------------------------------

    def organizer(self, user_id: int) -> Role | None:
        """``("admin", "province")`` for admins, ``("organizer", scope)``, or None."""
        if user_id in self.admin_ids or user_id == OPERATOR:
            return ("admin", scopes.PROVINCE)
        row = self.db.execute(
            "SELECT scope FROM organizers WHERE user_id = ? AND revoked_at IS NULL", [user_id]
        ).fetchone()
        return ("organizer", row[0]) if row else None

    def require_admin(self, by: int) -> None:
        if by != OPERATOR and by not in self.admin_ids:
            raise NotAllowed(f"user {by} is not an admin")

    def require_scope(self, by: int, segment: str) -> str:
        """The scope of ``by`` when it covers ``segment``; else NotAllowed."""
        role = self.organizer(by)
        if role is None or not scopes.covers(role[1], segment):
            raise NotAllowed(f"user {by} may not reach {segment}")
        return role[1]

    def grant(self, by: int, user_id: int, scope: str) -> None:
        self.require_admin(by)
        if not scopes.valid_scope(scope):
            raise ValueError(f"not a scope: {scope!r}")
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO organizers (user_id, scope, granted_by, granted_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET scope = excluded.scope,"
                " granted_by = excluded.granted_by, granted_at = excluded.granted_at,"
                " revoked_by = NULL, revoked_at = NULL",
                [user_id, scope, by, self.now_iso()],
            )
            self.audit(by, "grant", scope, {"user_id": user_id})

    def revoke(self, by: int, user_id: int) -> bool:
        """False when ``user_id`` was no organizer (nothing changed, nothing audited)."""
        self.require_admin(by)
        with self.db.atomic():
            row = self.db.execute(
                "SELECT scope FROM organizers WHERE user_id = ? AND revoked_at IS NULL", [user_id]
            ).fetchone()
            if row is None:
                return False
            self.db.execute(
                "UPDATE organizers SET revoked_by = ?, revoked_at = ? WHERE user_id = ?",
                [by, self.now_iso(), user_id],
            )
            self.audit(by, "revoke", row[0], {"user_id": user_id})
        return True

    def organizers(self) -> list[dict[str, Any]]:
        """Current organizers, by scope."""
        return [
            dict(row)
            for row in self.db["organizers"].rows_where(
                "revoked_at IS NULL", order_by="scope, user_id"
            )
        ]

    def revoked_organizers(self) -> list[int]:
        rows = self.db.execute("SELECT user_id FROM organizers WHERE revoked_at IS NOT NULL")
        return [row[0] for row in rows]

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

    def use_invite(self, user_id: int, token_hash: str) -> str:
        """Redeem an invite: the new organizer's scope. Used or expired: NotAllowed."""
        now = self.now_iso()
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE invites SET used_by = ?, used_at = ?"
                " WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
                [user_id, now, token_hash, now],
            )
            if cursor.rowcount != 1:
                raise NotAllowed("invite used, expired or unknown")
            invite = self.invite(token_hash)
            assert invite is not None
            scope = invite["scope"]
            self.db.execute(
                "INSERT INTO organizers (user_id, scope, granted_by, granted_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET scope = excluded.scope,"
                " granted_by = excluded.granted_by, granted_at = excluded.granted_at,"
                " revoked_by = NULL, revoked_at = NULL",
                [user_id, scope, invite["created_by"], now],
            )
            self.audit(user_id, "invite_used", scope, {"invited_by": invite["created_by"]})
        return scope

    # ---- audit -----------------------------------------------------------------------------

    def audit(self, actor: int, action: str, scope: str | None, detail: Any = None) -> None:
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
        return list(self.db["audit"].rows_where(order_by="id desc", limit=limit))
