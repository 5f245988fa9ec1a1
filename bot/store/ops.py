"""What running the service reads and writes in the store: the health check's heartbeat, the
metrics' counts, the admins an error alert goes to. Functions over an open ``Store``."""

from __future__ import annotations

from typing import Any


def heartbeat(store: Any, name: str = "healthz") -> str:
    """Write and commit one row (raises ``sqlite3.Error`` when the database takes no writes);
    the time written."""
    at = store.now_iso()
    with store.db.atomic():
        store.db.execute(
            "INSERT INTO heartbeat (name, at) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET at = excluded.at",
            [name, at],
        )
    return at


def unanswered_count(store: Any) -> int:
    return store.db.execute("SELECT count(*) FROM unanswered").fetchone()[0]


def admin_destinations(store: Any) -> list[tuple[str, str]]:
    """(channel, address) of every admin: the Telegram chats of ``BIAOGAN_ADMIN_IDS`` and the
    active e-mail addresses of the admins invited to the console."""
    found = [("telegram", str(uid)) for uid in sorted(store.admin_telegram_ids)]
    rows = store.db.execute(
        "SELECT d.address FROM people p JOIN destinations d ON d.person_id = p.id"
        " WHERE p.kind = 'admin' AND d.channel = 'email' AND d.active = 1 ORDER BY d.id"
    )
    return found + [("email", row[0]) for row in rows]
