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
def m003_stats_indexes(db: Database) -> None:
    """/stats and /export read checks and area picks by period and the profile by association."""
    db["checks"].create_index(["at"])
    db["area_suggestions"].create_index(["at"])
    db["users"].create_index(["association"])
