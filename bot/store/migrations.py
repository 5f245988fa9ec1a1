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
    """A broadcast and one delivery row per recipient (unique per broadcast × chat): rows
    first, messages second. ``next_at``: epoch seconds before which a retry waits."""
    db["broadcasts"].create(
        {
            "id": int,
            "by_user": int,
            "chat_id": int,  # where progress and the report go (None: from the CLI)
            "scope": str,
            "segment": str,
            "text": str,
            "total": int,
            "state": str,  # sending, done
            "created_at": str,
            "started_at": str,
            "finished_at": str,
            "progress_message_id": int,
            "active_at": float,  # epoch seconds of the last delivery attempt
            "resends": int,  # deliveries in flight at a crash, sent again (possible duplicates)
        },
        pk="id",
    )
    db["deliveries"].create(
        {
            "id": int,
            "broadcast_id": int,
            "chat_id": int,
            "state": str,  # pending, sending, sent, blocked, failed
            "attempts": int,
            "next_at": float,
            "done_at": str,
            "error": str,
        },
        pk="id",
        foreign_keys=[("broadcast_id", "broadcasts", "id")],
    )
    db["deliveries"].create_index(["broadcast_id", "chat_id"], unique=True)
    db["deliveries"].create_index(["state", "next_at"])
    db["deliveries"].create_index(["broadcast_id", "state"])
    # Chats that blocked the bot (403): no more sends. The same table as the calendar branch's
    # m003 (reminders), created here only if that migration has not.
    db["inactive_chats"].create(
        {"chat_id": int, "since": str, "reason": str}, pk="chat_id", if_not_exists=True
    )


@migrations()
def m005_stats_indexes(db: Database) -> None:
    """/stats and /export read checks and area picks by period and the profile by association."""
    db["checks"].create_index(["at"])
    db["area_suggestions"].create_index(["at"])
    db["users"].create_index(["association"])
