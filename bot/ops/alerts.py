"""Errors reported to the admins over their own channels, rate-limited.

While the dispatcher runs, a logging handler on ``bot`` sees every record at ERROR or above (an
unexpected exception in a handler, a web request that failed, a turn rolled back, a send failed
for good) and the dispatcher's background job sends the admins a short note: where, what kind
of error, when, how many like it were held back — never the traceback, the message's arguments
(they may hold what someone typed) or an address: those stay in the log. The Telegram chats of
``BIAOGAN_ADMIN_IDS`` and the e-mail addresses of the console's admins receive it, through the
dispatcher's budget. One note per kind of error (module, message, exception) per ``every``
seconds, and at most ``per_hour`` notes an hour in all.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.ops import metrics
from bot.store.ops import admin_destinations
from bot.transports import Result
from conversations import texts
from conversations.core import Reply

log = logging.getLogger(__name__)

SENDING = contextvars.ContextVar("sending_alert", default=False)  # what sending one logs
Key = tuple[str, str, str]  # (logger, message template, exception type)


@dataclass
class Alert:
    key: Key
    at: datetime


@dataclass
class AlertLimits:
    every: float = 900.0  # seconds between two notes of one kind of error
    per_hour: int = 6  # notes an hour, all kinds together


@dataclass
class _Seen:
    last_sent: float
    held: int = 0


class AdminAlerts(logging.Handler):
    """The handler (any thread) and the job that sends (the dispatcher's loop)."""

    def __init__(
        self,
        store: Any,
        reply: Callable[..., Awaitable[Result]],
        channels: Callable[[], Iterable[str]],
        clock: Callable[[], datetime],
        limits: AlertLimits | None = None,
    ) -> None:
        """``reply``: ``Dispatcher.reply(channel, address, reply)``; ``channels``: those the
        dispatcher can send on."""
        super().__init__(logging.ERROR)
        self.store = store
        self.reply = reply
        self.channels = channels
        self.clock = clock
        self.limits = limits or AlertLimits()
        self.queue: asyncio.Queue[Alert] = asyncio.Queue()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.seen: dict[Key, _Seen] = {}
        self.sent_at: list[float] = []

    # ---- the logging side (any thread) ---------------------------------------------------------

    def emit(self, record: logging.LogRecord) -> None:
        if self.loop is None or SENDING.get() or record.name == __name__:
            return
        exc = record.exc_info[1] if record.exc_info else None
        key = (record.name, str(record.msg)[:120], type(exc).__name__ if exc else "")
        alert = Alert(key, self.clock())
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            self.loop.call_soon_threadsafe(self.queue.put_nowait, alert)

    # ---- the sending side: a background job of the dispatcher ---------------------------------

    async def run(self) -> None:
        """Installed on the ``bot`` logger while the dispatcher runs; sends what it sees."""
        self.loop = asyncio.get_running_loop()
        bot_log = logging.getLogger("bot")
        bot_log.addHandler(self)
        try:
            while True:
                alert = await self.queue.get()
                held = self._admit(alert.key)
                if held is not None:
                    await self._send(alert, held)
        finally:
            bot_log.removeHandler(self)
            self.loop = None

    def _admit(self, key: Key) -> int | None:
        """None: held back (counted); else how many of this kind were held since the last."""
        now = time.monotonic()
        self.sent_at = [t for t in self.sent_at if now - t < 3600]
        seen = self.seen.get(key)
        if (seen is not None and now - seen.last_sent < self.limits.every) or len(
            self.sent_at
        ) >= self.limits.per_hour:
            if seen is None:
                seen = self.seen[key] = _Seen(last_sent=float("-inf"))
            seen.held += 1
            metrics.ADMIN_ALERTS.labels("held").inc()
            return None
        held = seen.held if seen is not None else 0
        self.seen[key] = _Seen(last_sent=now)
        self.sent_at.append(now)
        return held

    async def _send(self, alert: Alert, held: int) -> None:
        where, template, kind = alert.key
        text = texts.OPS_ALERT.format(
            where=where,
            what=template,
            kind=kind or texts.OPS_ALERT_NO_EXCEPTION,
            at=alert.at.strftime("%Y-%m-%d %H:%M:%S"),
        )
        if held:
            text += texts.OPS_ALERT_HELD.format(count=held)
        token = SENDING.set(True)
        try:
            reachable = set(self.channels())
            for channel, address in admin_destinations(self.store):
                if channel in reachable:
                    result = await self.reply(channel, address, Reply(text=text))
                    if not result.ok:
                        log.warning("alert to an admin on %s: %s", channel, result.outcome)
            metrics.ADMIN_ALERTS.labels("sent").inc()
        except Exception:  # the alert must never take the process down; the log has it
            log.warning("could not send an alert to the admins", exc_info=True)
        finally:
            SENDING.reset(token)
