"""The SQLite store (sqlite-utils): per-chat conversation state, users, and what flows record.

One file, WAL mode. The schema is built only by the ordered, named migrations below, applied at
start-up; never edit it by hand — add a migration.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from conversations.core import (
    SHANGHAI,
    ChatState,
    Effect,
    RecordAreaSuggestion,
    RecordCheck,
    RecordUnanswered,
    UpdateProfile,
)

log = logging.getLogger(__name__)

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


def now_iso() -> str:
    return datetime.now(SHANGHAI).isoformat(timespec="seconds")


class Store:
    """All persistent data of one bot; opened once at start-up, closed at shutdown."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = Database(path)
        self.db.enable_wal()
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=5000")
        migrations.apply(self.db)

    # ---- conversation state ----------------------------------------------------------------

    def load_state(self, chat_id: int) -> ChatState:
        row = self.db.execute("SELECT state FROM states WHERE chat_id = ?", [chat_id]).fetchone()
        if row is None:
            return ChatState()
        try:
            return ChatState.model_validate_json(row[0])
        except ValidationError:
            log.warning("chat %s: stored state unreadable, starting afresh", chat_id)
            return ChatState()

    def save_state(self, chat_id: int, state: ChatState) -> None:
        self.db["states"].upsert(
            {"chat_id": chat_id, "state": state.model_dump_json(), "updated_at": now_iso()},
            pk="chat_id",
        )

    # ---- users -----------------------------------------------------------------------------

    def touch_user(
        self,
        chat_id: int,
        *,
        user_id: int | None = None,
        username: str | None = None,
        first_name: str | None = None,
    ) -> None:
        """Create or refresh the user record of a chat."""
        now = now_iso()
        with self.db.conn:
            self.db.execute(
                "INSERT INTO users (chat_id, user_id, username, first_name, first_seen, last_seen)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET"
                " user_id = coalesce(excluded.user_id, user_id),"
                " username = coalesce(excluded.username, username),"
                " first_name = coalesce(excluded.first_name, first_name),"
                " last_seen = excluded.last_seen",
                [chat_id, user_id, username, first_name, now, now],
            )

    def user(self, chat_id: int) -> dict | None:
        rows = list(self.db["users"].rows_where("chat_id = ?", [chat_id]))
        return rows[0] if rows else None

    # ---- effects ---------------------------------------------------------------------------

    def apply_effects(self, chat_id: int, effects: Iterable[Effect]) -> None:
        """Record what a flow asked to be recorded."""
        for effect in effects:
            match effect:
                case RecordUnanswered():
                    self.db["unanswered"].insert(
                        {"chat_id": chat_id, "text": effect.text, "at": now_iso()}
                    )
                case RecordCheck():
                    self.db["checks"].insert(
                        {
                            "chat_id": chat_id,
                            "at": now_iso(),
                            "answers": json.dumps(effect.answers, ensure_ascii=False),
                            "verdict": effect.verdict,
                            "failing": json.dumps(effect.failing),
                            "priority": int(effect.priority),
                        }
                    )
                case RecordAreaSuggestion():
                    self.db["area_suggestions"].insert(
                        {
                            "chat_id": chat_id,
                            "at": now_iso(),
                            "text": effect.text,
                            "ranked": json.dumps(effect.ranked),
                            "chosen": effect.chosen,
                        }
                    )
                case UpdateProfile():
                    self.touch_user(chat_id)
                    changes = effect.model_dump(exclude={"kind"}, exclude_none=True)
                    if changes:
                        self.db["users"].update(chat_id, changes)

    def unanswered(self, limit: int = 100) -> list[dict]:
        """The most recent questions the FAQ could not answer, newest first."""
        return list(self.db["unanswered"].rows_where(order_by="id desc", limit=limit))

    def close(self) -> None:
        self.db.close()
