"""Web sessions in the SQLite store: who a cookie is, and what their page shows.

A visitor's cookie holds a random token; the store keeps only its SHA-256, mapped to a chat id
drawn from the web's own range (below -2**53), which no Telegram chat id (within ±2**52) and no
console chat can ever take. The transcript the page re-renders is bounded per session; files a
reply carried (an .ics) are kept with it. Tables come from the migration ``m010_web_sessions``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlite_utils import Database

from conversations.core import Button, now_shanghai

WEB_ID_CEILING = -(2**53)  # every web chat id is below this
WEB_ID_SPAN = 2**62  # ids are drawn from (WEB_ID_CEILING - WEB_ID_SPAN, WEB_ID_CEILING]
TOKEN_BYTES = 32
MAX_TRANSCRIPT = 200  # messages kept per session (the oldest go first)

Sender = Literal["user", "bot"]


def is_web_chat(chat_id: int) -> bool:
    return chat_id <= WEB_ID_CEILING


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(token: str) -> str:
    """The CSRF token of a session: derived from its secret, so nothing more is stored, and
    useless to anyone who cannot read the session cookie."""
    return hmac.new(token.encode(), b"biaogan web csrf", hashlib.sha256).hexdigest()


def csrf_ok(token: str, presented: str | None) -> bool:
    return presented is not None and hmac.compare_digest(csrf_token(token), presented)


@dataclass(frozen=True)
class Attachment:
    """A file shown with a message (name and type only; the bytes stay in the store)."""

    id: int
    name: str
    mime: str


@dataclass(frozen=True)
class Message:
    """One line of the transcript as the page shows it."""

    id: int
    sender: Sender
    text: str
    buttons: list[list[Button]]
    file: Attachment | None = None

    def offers(self, data: str) -> bool:
        """Is ``data`` one of this message's buttons?"""
        return any(button.data == data for row in self.buttons for button in row)


class WebSessions:
    """Sessions, transcripts and files of the web chat; every method is one transaction."""

    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime] = now_shanghai,
        max_transcript: int = MAX_TRANSCRIPT,
    ) -> None:
        self.db = db
        self.clock = clock
        self.max_transcript = max_transcript

    def _now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    # ---- sessions ------------------------------------------------------------------------------

    def create(self) -> tuple[str, int]:
        """A new session: (the cookie's token, its chat id)."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = self._now()
        while True:
            chat_id = WEB_ID_CEILING - secrets.randbelow(WEB_ID_SPAN)
            try:
                with self.db.conn:
                    self.db.execute(
                        "INSERT INTO web_sessions (chat_id, token_hash, created, last_seen)"
                        " VALUES (?, ?, ?, ?)",
                        [chat_id, token_hash(token), now, now],
                    )
            except sqlite3.IntegrityError:  # a chat id drawn twice: 1 in 2**62, draw again
                continue
            return token, chat_id

    def find(self, token: str | None) -> int | None:
        """The chat id of a session token, or None (no cookie, forgotten, or forged)."""
        if not token or len(token) > 128:
            return None
        row = self.db.execute(
            "SELECT chat_id FROM web_sessions WHERE token_hash = ?", [token_hash(token)]
        ).fetchone()
        return None if row is None else row[0]

    def touch(self, chat_id: int) -> None:
        with self.db.conn:
            self.db.execute(
                "UPDATE web_sessions SET last_seen = ? WHERE chat_id = ?", [self._now(), chat_id]
            )

    def forget(self, chat_id: int) -> None:
        """Delete the session and every row of its chat, in every table that has a chat id."""
        if not is_web_chat(chat_id):
            raise ValueError(f"not a web chat: {chat_id}")
        tables = [
            table.name
            for table in self.db.tables
            if "chat_id" in table.columns_dict and not table.name.startswith("_")
        ]
        with self.db.conn:
            for name in tables:
                self.db.execute(f"DELETE FROM [{name}] WHERE chat_id = ?", [chat_id])

    # ---- transcript ----------------------------------------------------------------------------

    def add(
        self,
        chat_id: int,
        sender: Sender,
        text: str,
        buttons: list[list[Button]] | None = None,
        file: tuple[str, str, bytes] | None = None,
    ) -> Message:
        """Append a message (and the file it carries) and trim the transcript to its bound."""
        with self.db.conn:
            file_id = self._store_file(chat_id, file)
            cursor = self.db.execute(
                "INSERT INTO web_messages (chat_id, at, sender, text, buttons, file_id)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [chat_id, self._now(), sender, text, _dump(buttons), file_id],
            )
            message_id = cursor.lastrowid
            self._trim(chat_id)
        assert message_id is not None
        return self.message(chat_id, message_id) or _unreachable()

    def replace(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        buttons: list[list[Button]] | None = None,
        file: tuple[str, str, bytes] | None = None,
    ) -> Message | None:
        """Edit a bot message in place (a reply marked ``edit``); None if it is not there."""
        with self.db.conn:
            file_id = self._store_file(chat_id, file)
            cursor = self.db.execute(
                "UPDATE web_messages SET text = ?, buttons = ?, file_id = ?, at = ?"
                " WHERE id = ? AND chat_id = ? AND sender = 'bot'",
                [text, _dump(buttons), file_id, self._now(), message_id, chat_id],
            )
            if cursor.rowcount == 0:
                return None
            self._drop_unused_files(chat_id)
        return self.message(chat_id, message_id)

    def message(self, chat_id: int, message_id: int) -> Message | None:
        rows = self._rows("m.chat_id = ? AND m.id = ?", [chat_id, message_id])
        return rows[0] if rows else None

    def history(self, chat_id: int) -> list[Message]:
        return self._rows("m.chat_id = ?", [chat_id])

    def file(self, chat_id: int, file_id: int) -> tuple[str, str, bytes] | None:
        row = self.db.execute(
            "SELECT name, mime, content FROM web_files WHERE id = ? AND chat_id = ?",
            [file_id, chat_id],
        ).fetchone()
        return None if row is None else (row[0], row[1], bytes(row[2]))

    # ---- helpers -------------------------------------------------------------------------------

    def _rows(self, where: str, params: list[Any]) -> list[Message]:
        cursor = self.db.execute(
            "SELECT m.id, m.sender, m.text, m.buttons, f.id, f.name, f.mime"
            " FROM web_messages m LEFT JOIN web_files f ON f.id = m.file_id"
            f" WHERE {where} ORDER BY m.id",
            params,
        )
        return [
            Message(
                id=row[0],
                sender=row[1],
                text=row[2],
                buttons=_load(row[3]),
                file=Attachment(row[4], row[5], row[6]) if row[4] is not None else None,
            )
            for row in cursor.fetchall()
        ]

    def _store_file(self, chat_id: int, file: tuple[str, str, bytes] | None) -> int | None:
        if file is None:
            return None
        name, mime, content = file
        cursor = self.db.execute(
            "INSERT INTO web_files (chat_id, name, mime, content) VALUES (?, ?, ?, ?)",
            [chat_id, name, mime, content],
        )
        return cursor.lastrowid

    def _trim(self, chat_id: int) -> None:
        self.db.execute(
            "DELETE FROM web_messages WHERE chat_id = ? AND id <= ("
            " SELECT id FROM web_messages WHERE chat_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
            [chat_id, chat_id, self.max_transcript],
        )
        self._drop_unused_files(chat_id)

    def _drop_unused_files(self, chat_id: int) -> None:
        self.db.execute(
            "DELETE FROM web_files WHERE chat_id = ? AND id NOT IN ("
            " SELECT file_id FROM web_messages WHERE chat_id = ? AND file_id IS NOT NULL)",
            [chat_id, chat_id],
        )


def _dump(buttons: list[list[Button]] | None) -> str:
    rows = [[{"label": b.label, "data": b.data} for b in row] for row in buttons or []]
    return json.dumps(rows, ensure_ascii=False)


def _load(raw: str | None) -> list[list[Button]]:
    return [[Button(**b) for b in row] for row in json.loads(raw or "[]")]


def _unreachable() -> Message:
    raise AssertionError("a message just inserted is missing")
