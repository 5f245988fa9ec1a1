"""The broadcast sender: the ``deliveries`` outbox worked through by ``bot.outbox.Outbox``.

One task, started in ``post_init``: wait while the reminder sweep runs (one background pace at a
time), wait for a token of its own pace (below the bot's overall rate, so interactive replies
always find room in the shared budget), wait while interactive replies are being handled, then
let the outbox claim, send and mark one delivery (403: the chat
inactive and the row blocked; 429: the row waits ``retry_after``; 5xx and network errors:
retried with backoff, then failed; every message through the bot's one rate limiter). At start
the outbox puts back rows a crash left ``sending``, counted ``in_doubt``: nobody is skipped,
and the possible duplicates are known.

The organizer sees one progress message edited in place at most every ``progress_every``
seconds, then the final report in its place.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.outbox import Outbox
from bot.store import Store
from conversations import texts
from conversations.core import Reply

log = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
SHARE_OF_BUDGET = 0.95  # of the overall rate: 28.5/s of Telegram's 30, the rest for replies
PAID_RATE = 1000.0  # Telegram's paid broadcasts (allow_paid_broadcast)
PER_CHAT_GAP = 1.1  # seconds between two messages to one chat (Telegram: about one a second)


@dataclass
class SenderConfig:
    rate: float = 30 * SHARE_OF_BUDGET  # deliveries per second (0: no own cap)
    paid: bool = False  # allow_paid_broadcast=True on every delivery
    max_attempts: int = 4  # 5xx / network failures before a delivery is failed
    backoff: float = 2.0  # seconds before the first retry of a failed attempt (doubles)
    progress_every: float = 3.0  # seconds between edits of the progress message
    idle_poll: float = 1.0  # seconds between looks for new rows when idle (the CLI writes too)
    yield_for: float = 0.25  # at most this long a delivery waits for interactive replies

    @classmethod
    def for_rate(cls, overall: float, *, paid: bool = False, **changes: float) -> SenderConfig:
        rate = PAID_RATE * SHARE_OF_BUDGET if paid else overall * SHARE_OF_BUDGET
        return cls(rate=rate, paid=paid, **changes)  # type: ignore[arg-type]


class Pacer:
    """An even pace of ``rate`` per second: a token bucket of two tokens, so a slow send is
    made up for by the next one and the average holds."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.clock = clock
        self.next_at = 0.0

    async def take(self) -> None:
        now = self.clock()
        if self.next_at > now:
            await asyncio.sleep(self.next_at - now)
            now = self.clock()
        self.next_at = max(now - self.interval, self.next_at) + self.interval


@dataclass
class _Progress:
    first_seen: float = field(default_factory=time.monotonic)
    message_id: int | None = None
    edited_at: float = 0.0
    shown: int = -1


@dataclass
class BroadcastSender:
    store: Store
    bot: Bot
    config: SenderConfig = field(default_factory=SenderConfig)
    busy: Callable[[], int] = lambda: 0  # interactive replies being handled right now
    background: Callable[[], bool] = lambda: False  # another background sender (reminders) runs

    def __post_init__(self) -> None:
        self._pacer = Pacer(self.config.rate)
        self._wake = asyncio.Event()
        self._progress: dict[int, _Progress] = {}
        self._texts: dict[int, str] = {}
        self.outbox = Outbox(
            self.store.db,
            "deliveries",
            render=self._render,
            clock=self.store.clock,
            per_second=0,  # paced here, between rows
            max_attempts=self.config.max_attempts,
            backoff=self.config.backoff,
            send=self._send,
        )

    def wake(self) -> None:
        """A broadcast was confirmed: look for rows now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        if resent := self.outbox.recover():
            log.warning("%d deliveries were in flight at a crash: sending them again", resent)
        while True:
            try:
                await self.step()
            except asyncio.CancelledError:
                raise
            except Exception:  # a store or programming error: log, wait, go on
                log.exception("broadcast sender step failed")
                await asyncio.sleep(self.config.idle_poll)

    async def step(self) -> bool:
        """Deliver one due row (True), or wait for one (False); then the organizers' view."""
        while self.background():  # one background pace at a time under the overall budget
            await asyncio.sleep(0.05)
        await self._pacer.take()
        await self._yield_to_replies()
        stats = await self.outbox.sweep(self.bot, limit=1)
        handled = stats.sent + stats.blocked + stats.failed + stats.retried + stats.rate_limited
        for broadcast_id in self.store.active_broadcasts():
            if self.store.finish_if_done(broadcast_id):
                await self._report(broadcast_id)
            else:
                await self._show_progress(broadcast_id)
        if not handled:
            await self._idle()
        return bool(handled)

    async def _yield_to_replies(self) -> None:
        waited = 0.0
        while self.busy() and waited < self.config.yield_for:
            await asyncio.sleep(0.01)
            waited += 0.01

    async def _idle(self) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self.config.idle_poll)

    def _render(self, row: dict) -> Reply | None:
        broadcast_id = row["broadcast_id"]
        if broadcast_id not in self._texts:
            text = self.store.broadcast_text(broadcast_id)
            if text is None:
                return None
            self._texts[broadcast_id] = text
        return Reply(text=self._texts[broadcast_id])

    async def _send(self, bot: Bot, chat_id: int, reply: Reply) -> None:
        """One delivery, as composed (HTML-escaped, no link preview), paid when configured."""
        await bot.send_message(
            chat_id,
            html.escape(reply.text, quote=False),
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            allow_paid_broadcast=True if self.config.paid else None,
        )

    # ---- the organizer's view ------------------------------------------------------------------

    async def _show_progress(self, broadcast_id: int) -> None:
        """The progress message: first shown ``progress_every`` after the confirm (whose reply
        is the chat's last message), then edited at most that often."""
        progress = self._progress.setdefault(broadcast_id, _Progress())
        since = time.monotonic() - (progress.edited_at or progress.first_seen)
        if since < self.config.progress_every:
            return
        row = self.store.broadcast(broadcast_id)
        if row is None or row["chat_id"] is None:
            progress.edited_at = time.monotonic()
            return
        done = row["sent"] + row["blocked"] + row["failed"]
        if done == progress.shown:
            return
        text = texts.BROADCAST_PROGRESS.format(id=broadcast_id, done=done, total=row["total"])
        await self._show(row, progress, text)
        progress.shown = done

    async def _show(self, row: dict, progress: _Progress, text: str) -> None:
        """Edit the progress message (or send it the first time), one per chat per second."""
        progress.message_id = progress.message_id or row["progress_message_id"]
        gap = PER_CHAT_GAP - (time.monotonic() - max(progress.edited_at, progress.first_seen))
        if gap > 0:
            await asyncio.sleep(gap)
        try:
            if progress.message_id is None:
                message = await self.bot.send_message(row["chat_id"], text)
                progress.message_id = message.message_id
                self.store.set_progress_message(row["id"], message.message_id)
            else:
                await self.bot.edit_message_text(
                    text, chat_id=row["chat_id"], message_id=progress.message_id
                )
        except TelegramError as exc:  # the organizer's view must not stop the deliveries
            log.info("broadcast %s: progress not shown (%s)", row["id"], exc)
        progress.edited_at = time.monotonic()

    async def _report(self, broadcast_id: int) -> None:
        """The final report, in place of the progress message (or as one if none was shown)."""
        progress = self._progress.pop(broadcast_id, _Progress())
        self._texts.pop(broadcast_id, None)
        row = self.store.broadcast(broadcast_id)
        if row is None:
            return
        log.info("broadcast %s done: %s", broadcast_id, report_text(row))
        if row["chat_id"] is not None:
            await self._show(row, progress, report_text(row))


def report_text(row: dict) -> str:
    text = texts.BROADCAST_REPORT.format(
        id=row["id"],
        total=row["total"],
        sent=row["sent"],
        blocked=row["blocked"],
        failed=row["failed"],
        duration=duration_text(row["started_at"] or row["created_at"], row["finished_at"]),
    )
    if row["resends"]:
        text += texts.BROADCAST_RESENDS.format(resends=row["resends"])
    return text


def duration_text(start: str | None, end: str | None) -> str:
    if not start or not end:
        return "—"
    seconds = int((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds())
    minutes, seconds = divmod(max(0, seconds), 60)
    return f"{minutes}分{seconds}秒" if minutes else f"{seconds}秒"
