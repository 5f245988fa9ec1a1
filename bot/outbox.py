"""A generic outbox: rows first, messages second.

A row of an outbox table is one message to one chat. A sweep claims one due row at a time
(atomically: ``UPDATE … WHERE status = 'pending' … RETURNING``, so two sweeps never take the
same row), sends what ``render`` makes of it through the bot (the one rate limiter everything
shares), and marks it. Telegram has no idempotency key: a crash between Telegram accepting a
message and the row being marked leaves that row ``sending``; ``recover`` (at start-up) puts it
back and counts it ``in_doubt`` — at most one duplicate per crash, never a loss.

Outcomes: sent → ``sent``; 403 → the chat goes to ``inactive_chats`` (never swept again until
the user writes to us) and the row ``blocked``; 429 → the row waits ``retry_after`` and goes
again; 5xx / network errors → retried with backoff (``retry_at``), ``failed`` after
``max_attempts``; a bad request → ``failed``; ``render`` returning None → ``skipped``.

The table needs the columns: id, chat_id, status, due_at, retry_at, claimed_by, claimed_at,
attempts, in_doubt, sent_at, error (see the ``reminders`` table of ``bot.store.migrations``);
due_at / retry_at / claimed_at are ISO text in one time zone, so they compare as text. It is
used for reminders (``bot.reminders``) and is meant for broadcast deliveries as well.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlite_utils import Database
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.telegram.render import send_reply
from conversations.core import SHANGHAI, Reply

log = logging.getLogger(__name__)

Row = dict
Render = Callable[[Row], Reply | None]


@dataclass
class SweepStats:
    """What one sweep did (``in_doubt``: rows found claimed-but-unmarked and put back)."""

    sent: int = 0
    skipped: int = 0
    blocked: int = 0
    failed: int = 0
    retried: int = 0
    rate_limited: int = 0
    in_doubt: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0


@dataclass
class Outbox:
    """One outbox table, swept by ``sweep``; ``render`` turns a claimed row into the message.

    ``per_second``: the sweep's own pace, under the bot's overall budget so interactive replies
    keep room (``Limits.background_per_second``); 0: paced by the rate limiter alone.
    """

    db: Database
    table: str
    render: Render
    clock: Callable[[], datetime]
    per_second: float = 28.0
    max_attempts: int = 5
    backoff: float = 30.0  # seconds before the first retry of a failed send (doubles)
    stale_after: float = 900.0  # a row claimed longer ago than this is abandoned: put back
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    on_sent: Callable[[Row], None] | None = None  # a hook for tests and metrics
    send: Callable[[Bot, int, Reply], Awaitable[object]] = send_reply  # e.g. paid broadcasts

    def now_iso(self, delta: float = 0.0) -> str:
        moment = self.clock().astimezone(SHANGHAI) + timedelta(seconds=delta)
        return moment.isoformat(timespec="seconds")

    # ---- rows ------------------------------------------------------------------------------

    def recover(self, *, stale_only: bool = False) -> int:
        """Put back rows left ``sending`` (a crash between send and mark), counted in_doubt.

        At start-up every such row is put back (one process per database); during a run only
        rows claimed more than ``stale_after`` seconds ago."""
        where = "status = 'sending'"
        params: list = []
        if stale_only:
            where += " AND claimed_at <= ?"
            params.append(self.now_iso(-self.stale_after))
        with self.db.atomic():
            rows = self.db.execute(
                f"UPDATE {self.table} SET status = 'pending', claimed_by = NULL,"
                f" in_doubt = in_doubt + 1 WHERE {where} RETURNING id, chat_id",
                params,
            ).fetchall()
        for row_id, chat_id in rows:
            log.warning(
                "%s %s to chat %s: in doubt after a crash, sending again",
                self.table,
                row_id,
                chat_id,
            )
        return len(rows)

    def claim(self) -> Row | None:
        """The next due row, now ours (None: nothing due)."""
        now = self.now_iso()
        with self.db.atomic():
            cursor = self.db.execute(
                f"UPDATE {self.table} SET status = 'sending', claimed_by = :token,"
                " claimed_at = :now, attempts = attempts + 1"
                f" WHERE id = (SELECT id FROM {self.table} WHERE status = 'pending'"
                " AND due_at <= :now AND (retry_at IS NULL OR retry_at <= :now)"
                " AND chat_id NOT IN (SELECT chat_id FROM inactive_chats)"
                " ORDER BY due_at, id LIMIT 1) AND status = 'pending' RETURNING *",
                {"token": self.token, "now": now},
            )
            found = cursor.fetchone()
            names = [d[0] for d in cursor.description] if found else []
        return dict(zip(names, found, strict=True)) if found else None

    def due_count(self) -> int:
        now = self.now_iso()
        return self.db.execute(
            f"SELECT count(*) FROM {self.table} WHERE status = 'pending' AND due_at <= ?"
            " AND (retry_at IS NULL OR retry_at <= ?)",
            [now, now],
        ).fetchone()[0]

    def mark(self, row: Row, status: str, **columns: object) -> None:
        """Record a claimed row's outcome (only while it is still ours)."""
        columns = {"status": status, **columns}
        assignments = ", ".join(f"{name} = :{name}" for name in columns)
        with self.db.atomic():
            self.db.execute(
                f"UPDATE {self.table} SET {assignments} WHERE id = :id AND claimed_by = :token",
                {**columns, "id": row["id"], "token": self.token},
            )

    def _block(self, row: Row, reason: str) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT OR IGNORE INTO inactive_chats (chat_id, since, reason) VALUES (?, ?, ?)",
                [row["chat_id"], self.now_iso(), reason],
            )
            self.mark(row, "blocked", error=reason)

    # ---- the sweep -------------------------------------------------------------------------

    async def sweep(self, bot: Bot, *, limit: int | None = None) -> SweepStats:
        """Send every due row (or ``limit`` of them), one at a time, paced; never raises for
        one row's failure."""
        stats = SweepStats()
        stats.in_doubt = self.recover(stale_only=True)
        started = time.monotonic()
        interval = 1.0 / self.per_second if self.per_second else 0.0
        next_send = started
        handled = 0
        while limit is None or handled < limit:
            row = self.claim()
            if row is None:
                break
            handled += 1
            wait = next_send - time.monotonic()
            if wait > 0:
                await self.sleep(wait)
            else:
                await asyncio.sleep(0)  # let interactive replies go first
            if await self._deliver(bot, row, stats):
                next_send = max(next_send + interval, time.monotonic())
        stats.seconds = time.monotonic() - started
        return stats

    async def _deliver(self, bot: Bot, row: Row, stats: SweepStats) -> bool:
        """Send one claimed row and mark it; True when a message went out (paced)."""
        try:
            reply = self.render(row)
        except Exception as exc:  # a broken row must not stop the sweep
            log.exception("%s %s: cannot render", self.table, row["id"])
            self.mark(row, "failed", error=f"render: {exc}")
            stats.failed += 1
            return False
        if reply is None:
            self.mark(row, "skipped")
            stats.skipped += 1
            return False
        try:
            await self.send(bot, row["chat_id"], reply)
        except Forbidden as exc:
            log.info("chat %s blocked the bot (%s): inactive", row["chat_id"], exc.message)
            self._block(row, exc.message)
            stats.blocked += 1
            return True
        except RetryAfter as exc:
            seconds = _seconds(exc.retry_after)
            log.warning("429 from Telegram: waiting %.0fs", seconds)
            self.mark(row, "pending", attempts=row["attempts"] - 1, claimed_by=None)
            stats.rate_limited += 1
            await self.sleep(seconds)
            return True
        except BadRequest as exc:
            log.warning("%s %s to chat %s refused: %s", self.table, row["id"], row["chat_id"], exc)
            self.mark(row, "failed", error=exc.message)
            stats.failed += 1
            return True
        except (NetworkError, TelegramError) as exc:
            self._retry_later(row, str(exc), stats)
            return True
        self.mark(row, "sent", sent_at=self.now_iso(), error=None)
        stats.sent += 1
        if self.on_sent is not None:
            self.on_sent(row)
        return True

    def _retry_later(self, row: Row, error: str, stats: SweepStats) -> None:
        if row["attempts"] >= self.max_attempts:
            log.error(
                "%s %s to chat %s failed for good: %s", self.table, row["id"], row["chat_id"], error
            )
            self.mark(row, "failed", error=error)
            stats.failed += 1
            return
        delay = self.backoff * 2 ** (row["attempts"] - 1)
        log.warning("%s %s: %s; again in %.0fs", self.table, row["id"], error, delay)
        self.mark(row, "pending", retry_at=self.now_iso(delay), claimed_by=None, error=error)
        stats.retried += 1


def _seconds(value: object) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)  # type: ignore[arg-type]
