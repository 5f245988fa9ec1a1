"""The broadcast sender: delivery rows first, messages second.

One task, started in ``post_init``: wait for a token of its own bucket (below the bot's overall
rate, so interactive replies always find room in the shared budget), wait while interactive
replies are being handled, claim one due delivery (committed ``sending``), send it through the
bot (the one ``PatientRateLimiter`` every message passes), mark it. 403: the chat is marked
inactive and the delivery ``blocked``; 429 that outlives the limiter's own retries: the
delivery waits ``retry_after`` (not counted as an attempt); 5xx and network errors: retried with
backoff, then ``failed``; any other refusal (400 chat not found…): ``failed``. At start-up,
deliveries still ``sending`` were in flight at a crash: they go back to pending and are counted
in the broadcast's ``resends``, so nobody is skipped and the possible duplicates are known.

The organizer sees one progress message edited in place at most every ``progress_every``
seconds, then a final report.
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
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.store import Delivery, Store
from conversations import texts

log = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
SHARE_OF_BUDGET = 0.93  # of the overall rate: 28/s of Telegram's 30, the rest for replies
PAID_RATE = 1000.0  # Telegram's paid broadcasts (allow_paid_broadcast)


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
    """An even pace of ``rate`` per second (a token bucket holding one token)."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.clock = clock
        self.next_at = 0.0

    async def take(self) -> None:
        now = self.clock()
        if self.next_at > now:
            await asyncio.sleep(self.next_at - now)
            now = self.clock()
        self.next_at = max(now, self.next_at) + self.interval


@dataclass
class _Progress:
    message_id: int | None = None
    edited_at: float = 0.0
    shown: int = -1


@dataclass
class BroadcastSender:
    store: Store
    bot: Bot
    config: SenderConfig = field(default_factory=SenderConfig)
    busy: Callable[[], int] = lambda: 0  # interactive replies being handled right now
    clock: Callable[[], float] = time.time
    sent: int = 0  # messages sent by this process (for logs and benchmarks)

    def __post_init__(self) -> None:
        self._pacer = Pacer(self.config.rate)
        self._wake = asyncio.Event()
        self._progress: dict[int, _Progress] = {}

    def wake(self) -> None:
        """A broadcast was confirmed: look for rows now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        resent = self.store.requeue_in_doubt()
        if resent:
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
        """Send one due delivery (True), or wait for one (False)."""
        await self._pacer.take()
        await self._yield_to_replies()
        delivery = self.store.claim_delivery(self.clock())
        if delivery is None:
            await self._idle()
            return False
        await self._show_progress(delivery.broadcast_id, force=False)
        await self._deliver(delivery)
        if self.store.finish_if_done(delivery.broadcast_id):
            await self._report(delivery.broadcast_id)
        return True

    async def _yield_to_replies(self) -> None:
        waited = 0.0
        while self.busy() and waited < self.config.yield_for:
            await asyncio.sleep(0.01)
            waited += 0.01

    async def _idle(self) -> None:
        due = self.store.next_due()
        timeout = self.config.idle_poll
        if due is not None:
            timeout = max(0.0, min(timeout, due - self.clock()))
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout)

    async def _deliver(self, delivery: Delivery) -> None:
        config = self.config
        try:
            await self.bot.send_message(
                delivery.chat_id,
                html.escape(delivery.text, quote=False),
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                allow_paid_broadcast=True if config.paid else None,
            )
        except Forbidden as exc:
            self.store.mark_delivery(delivery, "blocked", exc.message)
        except RetryAfter as exc:
            wait = _seconds(exc.retry_after)
            log.info("429 for chat %s: waiting %.0fs", delivery.chat_id, wait)
            self.store.retry_delivery(delivery, self.clock() + wait, "429", count=False)
            await asyncio.sleep(wait)
        except BadRequest as exc:
            self.store.mark_delivery(delivery, "failed", exc.message)
        except NetworkError as exc:  # 5xx, timeouts, dropped connections
            attempt = delivery.attempts + 1
            if attempt >= config.max_attempts:
                self.store.mark_delivery(delivery, "failed", str(exc))
            else:
                delay = config.backoff * 2 ** (attempt - 1)
                self.store.retry_delivery(delivery, self.clock() + delay, str(exc))
        except TelegramError as exc:
            self.store.mark_delivery(delivery, "failed", str(exc))
        else:
            self.store.mark_delivery(delivery, "sent")
            self.sent += 1

    # ---- the organizer's view ------------------------------------------------------------------

    async def _show_progress(self, broadcast_id: int, *, force: bool) -> None:
        progress = self._progress.setdefault(broadcast_id, _Progress())
        now = time.monotonic()
        if (
            not force
            and progress.shown >= 0
            and now - progress.edited_at < self.config.progress_every
        ):
            return
        row = self.store.broadcast(broadcast_id)
        if row is None or row["chat_id"] is None:
            return
        done = row["sent"] + row["blocked"] + row["failed"]
        if done == progress.shown and not force:
            return
        text = texts.BROADCAST_PROGRESS.format(id=broadcast_id, done=done, total=row["total"])
        progress.message_id = progress.message_id or row["progress_message_id"]
        progress.edited_at, progress.shown = now, done
        try:
            if progress.message_id is None:
                message = await self.bot.send_message(row["chat_id"], text)
                progress.message_id = message.message_id
                self.store.set_progress_message(broadcast_id, message.message_id)
            else:
                await self.bot.edit_message_text(
                    text, chat_id=row["chat_id"], message_id=progress.message_id
                )
        except TelegramError as exc:  # the organizer's view must not stop the deliveries
            log.info("broadcast %s: progress not shown (%s)", broadcast_id, exc)

    async def _report(self, broadcast_id: int) -> None:
        await self._show_progress(broadcast_id, force=True)
        self._progress.pop(broadcast_id, None)
        row = self.store.broadcast(broadcast_id)
        if row is None:
            return
        log.info("broadcast %s done: %s", broadcast_id, report_text(row))
        if row["chat_id"] is not None:
            try:
                await self.bot.send_message(row["chat_id"], report_text(row))
            except TelegramError as exc:
                log.info("broadcast %s: report not sent (%s)", broadcast_id, exc)


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


def _seconds(value: object) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)  # type: ignore[union-attr]
