"""Outbox tables: rows first, messages second.

A row of an outbox table (``reminders``, ``deliveries``) is one message to one destination: it
names its channel and its ``destination_id``. The dispatcher (``bot.dispatch``) claims a due row
atomically (``UPDATE … WHERE status = 'pending' … RETURNING``, so two workers never take the same
row), has it sent by the channel's transport, and marks it here with what happened:

- ``sent``; ``blocked``: the destination is gone (Telegram 403, a hard bounce): it goes
  inactive, and no row is claimed for it again until the person comes back;
- ``retry_after``: the row waits that long and goes again (not counted as an attempt);
- ``transient``: retried with backoff (``retry_at``), ``failed`` after ``max_attempts``;
- ``permanent``: ``failed``; a row rendered to nothing: ``skipped``.

A crash between the far end accepting a message and the row being marked leaves the row
``sending``; ``recover`` (once, at start-up) puts it back, counted ``in_doubt``: after a crash a
message in flight may arrive twice — never zero times.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.transports import Result
from conversations.core import SHANGHAI

log = logging.getLogger(__name__)

Row = dict


@dataclass
class Tally:
    """What the sends of an outbox table did (``in_doubt``: rows found claimed-but-unmarked
    after a crash and put back)."""

    sent: int = 0
    skipped: int = 0
    blocked: int = 0
    failed: int = 0
    retried: int = 0
    rate_limited: int = 0
    in_doubt: int = 0

    def add(self, outcome: str) -> None:
        name = {"retry_after": "rate_limited", "transient": "retried", "permanent": "failed"}.get(
            outcome, outcome
        )
        setattr(self, name, getattr(self, name) + 1)


@dataclass
class Outbox:
    """One outbox table: claim, mark, recover."""

    db: Database
    table: str
    clock: Callable[[], datetime]
    max_attempts: int = 5
    backoff: float = 30.0  # seconds before the first retry of a failed send (doubles)
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    tally: Tally = field(default_factory=Tally)

    def now_iso(self, delta: float = 0.0) -> str:
        moment = self.clock().astimezone(SHANGHAI) + timedelta(seconds=delta)
        return moment.isoformat(timespec="seconds")

    def recover(self) -> int:
        """Put back every row left ``sending`` (a crash between send and mark), counted
        in_doubt. Once, at start-up: one process sends from one database."""
        with self.db.atomic():
            rows = self.db.execute(
                f"UPDATE {self.table} SET status = 'pending', claimed_by = NULL,"
                " in_doubt = in_doubt + 1 WHERE status = 'sending' RETURNING id, destination_id"
            ).fetchall()
        for row_id, destination in rows:
            log.warning(
                "%s %s to destination %s: in doubt after a crash, sending again",
                self.table, row_id, destination,
            )  # fmt: skip
        self.tally.in_doubt += len(rows)
        return len(rows)

    def claim(self, channel: str) -> Row | None:
        """The next due row of ``channel``, now ours (None: nothing due)."""
        now = self.now_iso()
        with self.db.atomic():
            cursor = self.db.execute(
                f"UPDATE {self.table} SET status = 'sending', claimed_by = :token,"
                " claimed_at = :now, attempts = attempts + 1"
                f" WHERE id = (SELECT id FROM {self.table} WHERE status = 'pending'"
                " AND channel = :channel AND due_at <= :now"
                " AND (retry_at IS NULL OR retry_at <= :now)"
                " AND destination_id NOT IN (SELECT id FROM destinations WHERE active = 0)"
                " ORDER BY due_at, id LIMIT 1) AND status = 'pending' RETURNING *",
                {"token": self.token, "now": now, "channel": channel},
            )
            found = cursor.fetchone()
            if found is None:
                return None
            row = dict(zip([d[0] for d in cursor.description], found, strict=True))
            address = self.db.execute(
                "SELECT address FROM destinations WHERE id = ?", [row["destination_id"]]
            ).fetchone()
        row["address"] = address[0] if address else None
        return row

    def next_due(self, channel: str) -> str | None:
        """When the next pending row of ``channel`` falls due (ISO), or None."""
        row = self.db.execute(
            f"SELECT min(max(due_at, coalesce(retry_at, ''))) FROM {self.table}"
            " WHERE status = 'pending' AND channel = ?"
            " AND destination_id NOT IN (SELECT id FROM destinations WHERE active = 0)",
            [channel],
        ).fetchone()
        return row[0] if row else None

    def due_count(self) -> int:
        """Pending rows whose time has come (those waiting a retry included): the depth of the
        outbox, counted on the ``(status, due_at)`` index alone."""
        return self.db.execute(
            f"SELECT count(*) FROM {self.table} WHERE status = 'pending' AND due_at <= ?",
            [self.now_iso()],
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

    def skip(self, row: Row, error: str | None = None) -> None:
        self.mark(row, "skipped", error=error)
        self.tally.skipped += 1

    def settle(self, row: Row, result: Result) -> None:
        """Mark a sent row with what its transport said."""
        self.tally.add(result.outcome)
        match result.outcome:
            case "sent":
                self.mark(row, "sent", sent_at=self.now_iso(), error=None)
            case "blocked":
                log.info(
                    "%s %s: destination %s is gone (%s): inactive",
                    self.table, row["id"], row["destination_id"], result.detail,
                )  # fmt: skip
                with self.db.atomic():
                    self.db.execute(
                        "UPDATE destinations SET active = 0, inactive_since = ?, reason = ?"
                        " WHERE id = ?",
                        [self.now_iso(), result.detail, row["destination_id"]],
                    )
                    self.mark(row, "blocked", error=result.detail)
            case "retry_after":
                log.warning(
                    "%s %s: the channel asks to wait %.0fs", self.table, row["id"],
                    result.retry_after,
                )  # fmt: skip
                self.mark(
                    row,
                    "pending",
                    attempts=row["attempts"] - 1,
                    claimed_by=None,
                    retry_at=self.now_iso(max(1.0, result.retry_after)),
                )
            case "transient":
                self._retry_later(row, result.detail)
            case _:
                log.warning("%s %s refused: %s", self.table, row["id"], result.detail)
                self.mark(row, "failed", error=result.detail)

    def fail(self, row: Row, error: str) -> None:
        self.mark(row, "failed", error=error)
        self.tally.failed += 1

    def _retry_later(self, row: Row, error: str) -> None:
        if row["attempts"] >= self.max_attempts:
            log.error("%s %s failed for good: %s", self.table, row["id"], error)
            self.mark(row, "failed", error=error)
            self.tally.failed += 1
            self.tally.retried -= 1
            return
        delay = self.backoff * 2 ** (row["attempts"] - 1)
        log.warning("%s %s: %s; again in %.0fs", self.table, row["id"], error, delay)
        self.mark(row, "pending", retry_at=self.now_iso(delay), claimed_by=None, error=error)
