"""Moving a web conversation to another browser: one-time codes, hashes only (``m023``).

The phone asks for a code (``issue_handover``); the office PC's page presents it
(``claim_handover``): the chat's session then answers to the PC's new cookie only, so the
conversation continues there and the phone's page starts afresh (one person, one browser).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from bot.store.base import StoreBase

Claim = Literal["ok", "unknown", "used", "expired", "own"]


class HandoverStore(StoreBase):
    def issue_handover(self, chat_id: int, code_hash: str, valid: timedelta) -> datetime:
        """A new code for ``chat_id``, valid for ``valid``; earlier unused ones stop working.
        Returns when it expires."""
        expires = self.clock() + valid
        with self.db.atomic():
            self.db.execute(
                "DELETE FROM web_handover WHERE chat_id = ? AND used IS NULL", [chat_id]
            )
            self.db.execute(
                "INSERT INTO web_handover (code_hash, chat_id, created, expires)"
                " VALUES (?, ?, ?, ?)",
                [code_hash, chat_id, self.now_iso(), self.now_iso(valid)],
            )
        return expires

    def claim_handover(
        self, code_hash: str, token_hash: str, claimant: int | None
    ) -> tuple[Claim, int | None]:
        """Use a code: the chat's session gets the new cookie's ``token_hash`` (the old
        cookie stops working). ``unknown`` (never made, or replaced), ``used``, ``expired``
        or ``own`` (presented by the very session it moves: ``claimant``) change nothing."""
        with self.db.atomic():
            row = self.db.execute(
                "SELECT h.chat_id, h.expires, h.used, s.chat_id FROM web_handover h"
                " LEFT JOIN web_sessions s ON s.chat_id = h.chat_id WHERE h.code_hash = ?",
                [code_hash],
            ).fetchone()
            if row is None or row[3] is None:  # no such code, or its session is gone
                return "unknown", None
            chat_id, expires, used = row[0], row[1], row[2]
            if used is not None:
                return "used", None
            if chat_id == claimant:
                return "own", None
            if expires <= self.now_iso():
                return "expired", None
            self.db.execute(
                "UPDATE web_handover SET used = ? WHERE code_hash = ?", [self.now_iso(), code_hash]
            )
            self.db.execute(
                "UPDATE web_sessions SET token_hash = ?, last_seen = ? WHERE chat_id = ?",
                [token_hash, self.now_iso(), chat_id],
            )
        return "ok", chat_id
