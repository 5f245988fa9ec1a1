"""What flows record: checks, area suggestions, unanswered questions."""

from __future__ import annotations

import json

from bot.store.base import StoreBase
from conversations.core import RecordAreaSuggestion, RecordCheck, RecordUnanswered


class RecordStore(StoreBase):
    def record_unanswered(self, chat_id: int, effect: RecordUnanswered) -> None:
        self.db.execute(
            "INSERT INTO unanswered (chat_id, text, at, key) VALUES (?, ?, ?, ?)",
            [chat_id, effect.text, self.now_iso(), effect.key],
        )

    def record_check(self, chat_id: int, effect: RecordCheck) -> None:
        self.db.execute(
            "INSERT INTO checks (chat_id, at, answers, verdict, failing, priority, unsure)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                chat_id,
                self.now_iso(),
                json.dumps(effect.answers, ensure_ascii=False),
                effect.verdict,
                json.dumps(effect.failing),
                int(effect.priority),
                json.dumps(effect.unsure),
            ],
        )

    def record_area(self, chat_id: int, effect: RecordAreaSuggestion) -> None:
        self.db.execute(
            "INSERT INTO area_suggestions (chat_id, at, text, ranked, chosen)"
            " VALUES (?, ?, ?, ?, ?)",
            [chat_id, self.now_iso(), effect.text, json.dumps(effect.ranked), effect.chosen],
        )

    def unanswered(self, limit: int = 100) -> list[dict]:
        """The most recent questions the FAQ could not answer, newest first."""
        return list(self.db["unanswered"].rows_where(order_by="id desc", limit=limit))
