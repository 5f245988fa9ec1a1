"""What organizer actions ask the store to record (effects of core's ``Effect`` union), and
the read-only ``Records`` organizer screens query; re-exported by ``conversations.core``."""

from __future__ import annotations

from typing import Any, Literal, Protocol

from pydantic import BaseModel


class Records(Protocol):
    """What organizer screens may read from the store (the shell passes the store itself)."""

    def segment_count(self, segment: str) -> int: ...
    def organizers(self) -> list[dict[str, Any]]: ...
    def invite(self, token_hash: str) -> dict[str, Any] | None: ...
    def recent_audit(self, limit: int = 20) -> list[dict[str, Any]]: ...
    def recent_broadcasts(self, by: int | None = None, limit: int = 10) -> list[dict[str, Any]]: ...


class GrantOrganizer(BaseModel):
    """``by`` (an admin) makes ``user_id`` an organizer of ``scope``; audited."""

    kind: Literal["grant"] = "grant"
    by: int
    user_id: int
    scope: str


class RevokeOrganizer(BaseModel):
    kind: Literal["revoke"] = "revoke"
    by: int
    user_id: int


class CreateInvite(BaseModel):
    """A one-time invite: only the token's hash is kept; ``expires_at`` ISO, Asia/Shanghai."""

    kind: Literal["invite"] = "invite"
    by: int
    token_hash: str
    scope: str
    expires_at: str


class UseInvite(BaseModel):
    """``user_id`` redeems an invite (the store checks again: unused, not expired)."""

    kind: Literal["use_invite"] = "use_invite"
    user_id: int
    token_hash: str


class CreateBroadcast(BaseModel):
    """A confirmed broadcast: its row, one delivery row per recipient, its audit row."""

    kind: Literal["broadcast"] = "broadcast"
    by: int
    scope: str  # the sender's scope, checked again by the store
    segment: str  # "all", "city:苏州", "assoc:<name>"
    text: str  # exactly what recipients get
