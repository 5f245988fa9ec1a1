"""What organizer actions ask the store to record (effects of core's ``Effect`` union), and
the read-only ``Records`` organizer screens query; re-exported by ``conversations.core``."""

from __future__ import annotations

from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from conversations.documents import PublishedDocument


class Reach(BaseModel):
    """Whom a broadcast to a segment reaches, counted as confirming it makes deliveries: the
    enterprises (chats) and one message per subscribed destination, by channel (``telegram``,
    ``web``, ``email``, ``console``; channels with none are left out)."""

    model_config = ConfigDict(frozen=True)

    enterprises: int = 0
    channels: dict[str, int] = Field(default_factory=dict)

    @property
    def total(self) -> int:
        """The messages (delivery rows) a broadcast would make."""
        return sum(self.channels.values())


class Records(Protocol):
    """What organizer screens may read from the store (the shell passes the store itself)."""

    def segment_reach(self, segment: str) -> Reach: ...
    def organizers(self) -> list[dict[str, Any]]: ...
    def associations(self) -> list[str]: ...  # those organizers exist for (the profile offers)
    def invite(self, token_hash: str) -> dict[str, Any] | None: ...
    def recent_audit(self, limit: int = 20) -> list[dict[str, Any]]: ...
    def recent_broadcasts(self, by: int | None = None, limit: int = 10) -> list[dict[str, Any]]: ...
    # E-mail addresses of a person (the mail flow):
    def mail_status(self, person_id: int | None, address: str, year: int) -> str | None: ...
    def mail_addresses(self, person_id: int | None) -> list[dict[str, Any]]: ...
    # Reports (the store checks the reader's role and scope itself, by person id):
    def stats(self, person_id: int, period: Any, scope: str | None = None) -> Any: ...
    def export_rows(self, person_id: int, scope: str | None = None) -> list[Any]: ...
    def unanswered_texts(
        self, person_id: int, limit: int = 5000, scope: str | None = None
    ) -> list[str]: ...
    # Documents organizers published, for an enterprise's city and association (its own
    # organizers' and the province's, of ``year`` and later; no content), and one with content:
    def published_documents(
        self, city: str | None, association: str | None, year: int
    ) -> list[PublishedDocument]: ...
    def published_document(
        self, document_id: int, city: str | None, association: str | None, year: int
    ) -> PublishedDocument | None: ...


class GrantOrganizer(BaseModel):
    """Person ``by`` (an admin, checked again by the store) makes the Telegram user
    ``user_id`` an organizer of ``scope``; audited."""

    kind: Literal["grant"] = "grant"
    by: int | None
    user_id: int  # a Telegram user id, as the admin typed it
    scope: str


class RevokeOrganizer(BaseModel):
    kind: Literal["revoke"] = "revoke"
    by: int | None
    user_id: int  # a Telegram user id


class CreateInvite(BaseModel):
    """A one-time invite: only the token's hash is kept; ``expires_at`` ISO, Asia/Shanghai."""

    kind: Literal["invite"] = "invite"
    by: int | None
    token_hash: str
    scope: str
    expires_at: str


class UseInvite(BaseModel):
    """Person ``person_id`` redeems an invite (the store checks again: unused, not expired)."""

    kind: Literal["use_invite"] = "use_invite"
    person_id: int | None
    token_hash: str


class CreateBroadcast(BaseModel):
    """A confirmed broadcast: its row, one delivery row per recipient, its audit row."""

    kind: Literal["broadcast"] = "broadcast"
    by: int | None  # a person id
    scope: str  # the sender's scope, checked again by the store
    segment: str  # "all", "city:苏州", "assoc:<name>"
    text: str  # exactly what recipients get
