"""The schema, built only by these ordered, named migrations (applied at start-up).

Never edit a migration that has shipped: add the next one. ``tests/test_store.py`` checks the
migrated schema.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("biaogan")


@migrations()
def m001_initial(db: Database) -> None:
    db["users"].create(
        {
            "chat_id": int,
            "user_id": int,
            "username": str,
            "first_name": str,
            "enterprise_name": str,
            "city": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk="chat_id",
    )
    db["states"].create({"chat_id": int, "state": str, "updated_at": str}, pk="chat_id")
    db["unanswered"].create({"id": int, "chat_id": int, "text": str, "at": str}, pk="id")
    db["checks"].create(
        {
            "id": int,
            "chat_id": int,
            "at": str,
            "answers": str,
            "verdict": str,
            "failing": str,
            "priority": int,
        },
        pk="id",
    )
    db["area_suggestions"].create(
        {"id": int, "chat_id": int, "at": str, "text": str, "ranked": str, "chosen": int},
        pk="id",
    )
    db["checks"].create_index(["chat_id"])
    db["area_suggestions"].create_index(["chat_id"])
    db["unanswered"].create_index(["at"])


@migrations()
def m002_profile_association(db: Database) -> None:
    """The profile's one home is ``users``: its provincial industry association joins it."""
    db["users"].add_column("association", str)
    db["users"].create_index(["city"])


@migrations()
def m003_calendar_subscriptions_reminders(db: Database) -> None:
    """The organizer-set calendar per year; subscriptions; reminder rows (an outbox: one row
    per chat × year × milestone × offset × kind, claimed, sent, marked); chats that blocked us;
    and whether the profile questions were asked once."""
    db["calendar"].create(
        {"year": int, "milestone": str, "day": str, "note": str, "set_by": int, "set_at": str},
        pk=("year", "milestone"),
    )
    db["subscriptions"].create(
        {
            "chat_id": int,
            "year": int,
            "offsets": str,  # JSON list of days before each milestone
            "active": int,
            "created_at": str,
            "updated_at": str,
        },
        pk=("chat_id", "year"),
    )
    db["reminders"].create(
        {
            "id": int,
            "chat_id": int,
            "year": int,
            "milestone": str,  # a milestone id; "calendar" for the publication notice
            "offset_days": int,
            "kind": str,  # due | published | moved
            "due_at": str,  # ISO, Asia/Shanghai (+08:00): compares as text
            "status": str,  # pending | sending | sent | skipped | cancelled | blocked | failed
            "retry_at": str,
            "claimed_by": str,
            "claimed_at": str,
            "attempts": int,
            "in_doubt": int,  # times found claimed but unmarked after a crash (then resent)
            "sent_at": str,
            "error": str,
            "created_at": str,
        },
        pk="id",
        defaults={"status": "pending", "attempts": 0, "in_doubt": 0},
        not_null={"chat_id", "year", "milestone", "offset_days", "kind", "due_at", "status"},
    )
    db["reminders"].create_index(
        ["chat_id", "year", "milestone", "offset_days", "kind"], unique=True
    )
    db["reminders"].create_index(["status", "due_at"])
    db["reminders"].create_index(["year", "milestone", "status"])
    db["subscriptions"].create_index(["year", "active"])
    db["inactive_chats"].create({"chat_id": int, "since": str, "reason": str}, pk="chat_id")
    db["users"].add_column("profile_asked", int)


@migrations()
def m010_web_sessions(db: Database) -> None:
    """The web chat: sessions (a cookie's hash -> a chat id in the web's own id range), the
    bounded transcript each session's page re-renders, and files replies carried (.ics)."""
    db["web_sessions"].create(
        {"chat_id": int, "token_hash": str, "created": str, "last_seen": str}, pk="chat_id"
    )
    db["web_sessions"].create_index(["token_hash"], unique=True)
    db["web_messages"].create(
        {
            "id": int,
            "chat_id": int,
            "at": str,
            "sender": str,  # "user" or "bot"
            "text": str,
            "buttons": str,  # JSON: [[{"label", "data"}]]
            "file_id": int,
        },
        pk="id",
    )
    db["web_messages"].create_index(["chat_id", "id"])
    db["web_files"].create(
        {"id": int, "chat_id": int, "name": str, "mime": str, "content": bytes}, pk="id"
    )
    db["web_files"].create_index(["chat_id"])


@migrations()
def m003_organizers_invites_audit(db: Database) -> None:
    """Organizers and their scope (a revoked one keeps its row, ``revoked_at`` set), one-time
    invites (only the token's hash), and the audit log of organizer actions."""
    db["organizers"].create(
        {
            "user_id": int,
            "scope": str,
            "granted_by": int,
            "granted_at": str,
            "revoked_by": int,
            "revoked_at": str,
        },
        pk="user_id",
    )
    db["invites"].create(
        {
            "token_hash": str,
            "scope": str,
            "created_by": int,
            "created_at": str,
            "expires_at": str,
            "used_by": int,
            "used_at": str,
        },
        pk="token_hash",
    )
    db["audit"].create(
        {"id": int, "at": str, "actor": int, "action": str, "scope": str, "detail": str},
        pk="id",
    )
    db["audit"].create_index(["at"])


@migrations()
def m004_broadcasts_deliveries(db: Database) -> None:
    """A broadcast and one delivery row per recipient (unique per broadcast × chat): rows first,
    messages second. ``deliveries`` is an outbox table (``bot.outbox``: status, due_at,
    retry_at, claimed_by/at, attempts, in_doubt, sent_at, error)."""
    db["broadcasts"].create(
        {
            "id": int,
            "by_user": int,
            "chat_id": int,  # where progress and the report go (None: from the CLI)
            "scope": str,  # the sender's scope
            "segment": str,  # all, city:<city>, assoc:<name>
            "text": str,  # exactly what recipients get
            "total": int,
            "state": str,  # sending, done
            "created_at": str,
            "finished_at": str,
            "progress_message_id": int,
        },
        pk="id",
    )
    db["deliveries"].create(
        {
            "id": int,
            "broadcast_id": int,
            "chat_id": int,
            "status": str,  # pending | sending | sent | blocked | failed
            "due_at": str,
            "retry_at": str,
            "claimed_by": str,
            "claimed_at": str,
            "attempts": int,
            "in_doubt": int,  # times found claimed but unmarked after a crash (then resent)
            "sent_at": str,
            "error": str,
        },
        pk="id",
        foreign_keys=[("broadcast_id", "broadcasts", "id")],
        defaults={"status": "pending", "attempts": 0, "in_doubt": 0},
        not_null={"broadcast_id", "chat_id", "status", "due_at"},
    )
    db["deliveries"].create_index(["broadcast_id", "chat_id"], unique=True)
    db["deliveries"].create_index(["status", "due_at"])
    db["deliveries"].create_index(["broadcast_id", "status"])


@migrations()
def m005_stats_indexes(db: Database) -> None:
    """/stats and /export read checks and area picks by period and the profile by association."""
    db["checks"].create_index(["at"])
    db["area_suggestions"].create_index(["at"])
    db["users"].create_index(["association"])
