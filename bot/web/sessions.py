"""Web sessions in the SQLite store: who a cookie is, and what their page shows.

A visitor's cookie holds a random token; the store keeps only its SHA-256, mapped to a chat id
drawn from the web's own range (below -2**53), which no Telegram chat id (within ±2**52) and no
console chat can ever take. The transcript the page re-renders is bounded per session; files a
reply carried (an .ics) are kept with it. Tables come from the migration ``m010_web_sessions``.

The page is a push channel too (``m013_web_notices``): every message has a ``seq``, per chat,
bumped each time it is written or replaced, which the page's poll asks after; a message the
dispatcher's transport wrote is ``pushed``; a session's ``seen_seq`` is the last ``seq`` its page
was handed, so pushed messages past it are new on the next visit.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlite_utils import Database

from bot.store.people import WEB_ID_CEILING  # every web chat id is below this
from conversations.core import Button, now_shanghai

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
    seq: int = 0  # per chat: bumped each time the message is written or replaced
    pushed: bool = False  # written by the transport (a notice), not by a turn

    def offers(self, data: str) -> bool:
        """Is ``data`` one of this message's buttons?"""
        return any(button.data == data for row in self.buttons for button in row)


@dataclass(frozen=True)
class Shown:
    """What a turn shows: a reply's text, buttons, file (name, type, bytes) and edit mark."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    file: tuple[str, str, bytes] | None = None
    edit: bool = False


class WebSessions:
    """Sessions, transcripts and files of the web chat; every method is one transaction."""

    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime] = now_shanghai,
        max_transcript: int = MAX_TRANSCRIPT,
        *,
        forget_chat: Callable[[int, int], object],
    ) -> None:
        self.db = db
        self.clock = clock
        self.max_transcript = max_transcript
        self.forget_chat = forget_chat  # the store's forget (chat id, user id)

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
                with self.db.atomic():
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
        with self.db.atomic():
            self.db.execute(
                "UPDATE web_sessions SET last_seen = ? WHERE chat_id = ?", [self._now(), chat_id]
            )

    def forget(self, chat_id: int) -> None:
        """Delete the session and everything of its chat and its person: the store's one
        forget (``PrivacyStore.forget``), in one transaction."""
        if not is_web_chat(chat_id):
            raise ValueError(f"not a web chat: {chat_id}")
        self.forget_chat(chat_id, chat_id)

    def expire(self, idle: timedelta) -> int:
        """Forget every session unseen for ``idle`` (its cookie has expired by then too);
        returns how many. Run at start-up."""
        cutoff = (self.clock() - idle).isoformat(timespec="seconds")
        rows = self.db.execute(
            "SELECT chat_id FROM web_sessions WHERE last_seen < ?", [cutoff]
        ).fetchall()
        for (chat_id,) in rows:
            self.forget(chat_id)
        return len(rows)

    # ---- transcript ----------------------------------------------------------------------------

    def exists(self, chat_id: int) -> bool:
        found = self.db.execute("SELECT 1 FROM web_sessions WHERE chat_id = ?", [chat_id])
        return found.fetchone() is not None

    def record(
        self,
        chat_id: int,
        echo: str | None,
        replies: list[Shown],
        origin: int | None,
        *,
        pushed: bool = False,
    ) -> tuple[list[Message], int | None]:
        """Write one turn to the transcript in one transaction: the visitor's echo, then the
        replies; the first reply marked ``edit`` replaces the bot message ``origin`` (whose
        button was pressed), as on Telegram. Returns the messages shown and the replaced id.

        ``pushed``: a notice the transport writes outside a turn (a reminder, a broadcast):
        marked so, and not a visit (``last_seen`` stays)."""
        shown: list[Message] = []
        replaced = None
        now = self._now()
        with self.db.atomic():
            if echo is not None:
                shown.append(self._insert(chat_id, now, "user", Shown(echo)))
            for reply in replies:
                if reply.edit and origin is not None and replaced is None:
                    edited = self._update(chat_id, now, origin, reply, pushed)
                    if edited is not None:
                        shown.append(edited)
                        replaced = origin
                        continue
                shown.append(self._insert(chat_id, now, "bot", reply, pushed))
            self._trim(chat_id, edited=replaced is not None)
            if not pushed:  # the visitor was here (a notice landing is not a visit)
                self.db.execute(
                    "UPDATE web_sessions SET last_seen = ? WHERE chat_id = ?", [now, chat_id]
                )
        return shown, replaced

    def add(self, chat_id: int, sender: Sender, text: str) -> Message:
        """Append one message (tests, and anything said outside a turn)."""
        with self.db.atomic():
            message = self._insert(chat_id, self._now(), sender, Shown(text))
            self._trim(chat_id, edited=False)
        return message

    def message(self, chat_id: int, message_id: int) -> Message | None:
        rows = self._rows("m.chat_id = ? AND m.id = ?", [chat_id, message_id])
        return rows[0] if rows else None

    def history(self, chat_id: int) -> list[Message]:
        return self._rows("m.chat_id = ?", [chat_id])

    # ---- what the page has been handed -----------------------------------------------------

    def visit(self, chat_id: int) -> tuple[list[Message], int]:
        """The page is loaded: the transcript, and the ``seq`` the page had been handed before
        (pushed messages past it are new to the visitor); everything is seen from now on."""
        with self.db.atomic():
            messages = self.history(chat_id)
            before = self.seen(chat_id)
            newest = max((m.seq for m in messages), default=0)
            self.db.execute(
                "UPDATE web_sessions SET seen_seq = MAX(seen_seq, ?), last_seen = ?"
                " WHERE chat_id = ?",
                [newest, self._now(), chat_id],
            )
        return messages, before

    def since(self, chat_id: int, after: int) -> list[Message]:
        """What changed after ``seq`` ``after`` (new messages and replaced ones), oldest change
        first; it is seen once handed over (a write only when there is something)."""
        cursor = self.db.execute(
            f"{SELECT} WHERE m.chat_id = ? AND m.seq > ? ORDER BY m.seq", [chat_id, after]
        )
        messages = [_message(row) for row in cursor.fetchall()]
        if messages:
            with self.db.atomic():
                self.db.execute(
                    "UPDATE web_sessions SET seen_seq = MAX(seen_seq, ?) WHERE chat_id = ?",
                    [messages[-1].seq, chat_id],
                )
        return messages

    def seen(self, chat_id: int) -> int:
        row = self.db.execute(
            "SELECT seen_seq FROM web_sessions WHERE chat_id = ?", [chat_id]
        ).fetchone()
        return 0 if row is None else row[0]

    def file(self, chat_id: int, file_id: int) -> tuple[str, str, bytes] | None:
        row = self.db.execute(
            "SELECT name, mime, content FROM web_files WHERE id = ? AND chat_id = ?",
            [file_id, chat_id],
        ).fetchone()
        return None if row is None else (row[0], row[1], bytes(row[2]))

    # ---- helpers -------------------------------------------------------------------------------

    def _rows(self, where: str, params: list[Any]) -> list[Message]:
        cursor = self.db.execute(f"{SELECT} WHERE {where} ORDER BY m.id", params)
        return [_message(row) for row in cursor.fetchall()]

    def _insert(
        self, chat_id: int, now: str, sender: Sender, shown: Shown, pushed: bool = False
    ) -> Message:
        file = self._store_file(chat_id, shown.file)
        (row,) = self.db.execute(  # every row fetched: the statement is done
            "INSERT INTO web_messages (chat_id, at, sender, text, buttons, file_id, pushed, seq)"
            f" VALUES (?, ?, ?, ?, ?, ?, ?, {NEXT_SEQ}) RETURNING id, seq",
            [chat_id, now, sender, shown.text, _dump(shown.buttons), file and file.id,
             int(pushed), chat_id],
        ).fetchall()  # fmt: skip
        return Message(row[0], sender, shown.text, shown.buttons, file, row[1], pushed)

    def _update(
        self, chat_id: int, now: str, message_id: int, shown: Shown, pushed: bool
    ) -> Message | None:
        file = self._store_file(chat_id, shown.file)
        rows = self.db.execute(
            "UPDATE web_messages SET text = ?, buttons = ?, file_id = ?, at = ?, pushed = ?,"
            f" seq = {NEXT_SEQ} WHERE id = ? AND chat_id = ? AND sender = 'bot' RETURNING seq",
            [shown.text, _dump(shown.buttons), file and file.id, now, int(pushed), chat_id,
             message_id, chat_id],
        ).fetchall()  # fmt: skip
        if not rows:
            return None
        return Message(message_id, "bot", shown.text, shown.buttons, file, rows[0][0], pushed)

    def _store_file(self, chat_id: int, file: tuple[str, str, bytes] | None) -> Attachment | None:
        if file is None:
            return None
        name, mime, content = file
        cursor = self.db.execute(
            "INSERT INTO web_files (chat_id, name, mime, content) VALUES (?, ?, ?, ?)",
            [chat_id, name, mime, content],
        )
        assert cursor.lastrowid is not None
        return Attachment(cursor.lastrowid, name, mime)

    def _trim(self, chat_id: int, *, edited: bool) -> None:
        """Keep the newest ``max_transcript`` messages; drop files no message shows any more."""
        cursor = self.db.execute(
            "DELETE FROM web_messages WHERE chat_id = ? AND id <= ("
            " SELECT id FROM web_messages WHERE chat_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
            [chat_id, chat_id, self.max_transcript],
        )
        if cursor.rowcount or edited:
            self.db.execute(
                "DELETE FROM web_files WHERE chat_id = ? AND id NOT IN ("
                " SELECT file_id FROM web_messages WHERE chat_id = ? AND file_id IS NOT NULL)",
                [chat_id, chat_id],
            )


SELECT = (
    "SELECT m.id, m.sender, m.text, m.buttons, f.id, f.name, f.mime, m.seq, m.pushed"
    " FROM web_messages m LEFT JOIN web_files f ON f.id = m.file_id"
)
# The chat's next seq: one past its highest. The highest never drops below a cursor a poll
# handed out: a message is trimmed only when newer ones (with higher seqs) were just written.
NEXT_SEQ = "(SELECT IFNULL(MAX(seq), 0) + 1 FROM web_messages WHERE chat_id = ?)"


def _message(row: Any) -> Message:
    return Message(
        id=row[0],
        sender=row[1],
        text=row[2],
        buttons=_load(row[3]),
        file=Attachment(row[4], row[5], row[6]) if row[4] is not None else None,
        seq=row[7] or 0,
        pushed=bool(row[8]),
    )


def _dump(buttons: list[list[Button]] | None) -> str:
    rows = [[{"label": b.label, "data": b.data} for b in row] for row in buttons or []]
    return json.dumps(rows, ensure_ascii=False)


def _load(raw: str | None) -> list[list[Button]]:
    return [[Button(**b) for b in row] for row in json.loads(raw or "[]")]
