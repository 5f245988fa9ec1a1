"""Broadcast deliveries: the ``deliveries`` outbox table (the dispatcher sends them, after
reminders, under the channel's budget), and the organizer's view of a broadcast.

The organizer sees one progress message, replaced in place (on Telegram an edit, on the web the
transcript's message) at most every ``progress_every`` seconds, then the final report in its
place, both counted per channel (``conversations.broadcasting``) — sent as replies through the
organizer's own channel, ahead of background work. A delivery by e-mail carries the subject the
preview showed (``broadcasting.mail_subject``). A notice written in the console with
placeholders (``personal``) is filled for each recipient (``conversations.placeholders``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field

from bot.dispatch import Dispatcher, Source
from bot.outbox import Outbox, Row
from bot.store import Store
from bot.transports import Result
from conversations import placeholders
from conversations.broadcasting import mail_subject, progress_text, report_text
from conversations.core import Reply

log = logging.getLogger(__name__)


@dataclass
class _Progress:
    first_seen: float = field(default_factory=time.monotonic)
    shown_at: float = 0.0
    shown: int = -1


@dataclass
class Broadcasts:
    store: Store
    max_attempts: int = 4  # transient failures before a delivery is failed
    backoff: float = 2.0  # seconds before the first retry of a failed attempt (doubles)
    progress_every: float = 3.0  # seconds between updates of the progress message
    dispatcher: Dispatcher | None = None

    def __post_init__(self) -> None:
        self._texts: dict[int, tuple[Reply, bool]] = {}  # broadcast -> its reply, personal?
        self._progress: dict[int, _Progress] = {}
        self._changed: asyncio.Event | None = None  # made on the loop, by ``watch``
        self.outbox = Outbox(
            self.store.db,
            "deliveries",
            clock=self.store.clock,
            max_attempts=self.max_attempts,
            backoff=self.backoff,
        )

    def source(self) -> Source:
        return Source(self.outbox, self.render, after=self._delivered)

    def _delivered(self, row: Row, result: Result) -> None:
        """A delivery was settled: the watcher looks now (the last one brings the report)."""
        if self._changed is not None:
            self._changed.set()

    def render(self, row: Row) -> Reply | None:
        broadcast_id = row["broadcast_id"]
        if broadcast_id not in self._texts:
            found = self.store.broadcast(broadcast_id)
            if found is None:
                return None
            subject = mail_subject(found["scope"])  # the subject the preview showed
            reply = Reply(text=found["text"], subject=subject)
            self._texts[broadcast_id] = (reply, bool(found.get("personal")))
        reply, personal = self._texts[broadcast_id]
        if not personal:
            return reply
        profile = self.store.recipient_profile(row["chat_id"])
        return reply.model_copy(update={"text": placeholders.fill(reply.text, profile)})

    # ---- the organizer's view ------------------------------------------------------------------

    async def watch(self) -> None:
        """Forever: each broadcast under way gets its progress shown, then its report — looked
        at when a delivery is settled, and at least every second (the CLI queues too)."""
        self._changed = asyncio.Event()
        while True:
            self._changed.clear()
            try:
                await self.look()
            except asyncio.CancelledError:
                raise
            except Exception:  # the organizer's view must never stop the deliveries
                log.exception("broadcast progress failed")
            with contextlib.suppress(TimeoutError):  # asyncio.timeout: see Dispatcher._idle
                async with asyncio.timeout(min(1.0, self.progress_every)):
                    await self._changed.wait()

    async def look(self) -> None:
        for broadcast_id in self.store.active_broadcasts():
            if self.store.finish_if_done(broadcast_id):
                await self._report(broadcast_id)
            else:
                await self._show_progress(broadcast_id)

    async def _show_progress(self, broadcast_id: int) -> None:
        progress = self._progress.setdefault(broadcast_id, _Progress())
        since = time.monotonic() - (progress.shown_at or progress.first_seen)
        if since < self.progress_every:
            return
        row = self.store.broadcast(broadcast_id)
        if row is None:
            return
        done = row["sent"] + row["blocked"] + row["failed"]
        if done == progress.shown:
            return
        await self._show(row, progress_text(row))
        progress.shown, progress.shown_at = done, time.monotonic()

    async def _report(self, broadcast_id: int) -> None:
        self._progress.pop(broadcast_id, None)
        self._texts.pop(broadcast_id, None)
        row = self.store.broadcast(broadcast_id)
        if row is None:
            return
        log.info("broadcast %s done: %s", broadcast_id, report_text(row))
        await self._show(row, report_text(row))

    async def _show(self, row: dict, text: str) -> None:
        """Put ``text`` in the place of the broadcast's progress message (or send it)."""
        where = self.store.destination_of(row["destination_id"])
        if where is None or self.dispatcher is None:
            return
        channel, address = where
        ref = row["progress_message_id"]
        result = await self.dispatcher.reply(
            channel, address, Reply(text=text), replace=str(ref) if ref else None
        )
        if result.ok and result.ref and result.ref != str(ref):
            self.store.set_progress_message(row["id"], int(result.ref))
        elif not result.ok:
            log.info("broadcast %s: progress not shown (%s)", row["id"], result.detail)


__all__ = ["Broadcasts", "Result", "report_text"]
