"""Conversation state, one row per chat."""

from __future__ import annotations

import logging

from pydantic import ValidationError

from bot.store.base import StoreBase
from conversations.core import ChatState

log = logging.getLogger(__name__)


class StateStore(StoreBase):
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
        self.db.execute(
            "INSERT INTO states (chat_id, state, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT(chat_id) DO UPDATE SET state = excluded.state,"
            " updated_at = excluded.updated_at",
            [chat_id, state.model_dump_json(exclude_defaults=True), self.now_iso()],
        )
