"""Telegram's limits and ours: the send budget, retries, per-user flood gate, per-chat order."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

from bot.config import Settings
from bot.dispatch import Budget
from bot.flood import FloodGate
from bot.ops import observe
from bot.runtime import Knobs
from bot.telegram.transport import PACED, seconds
from bot.transports import Pace, Result

log = logging.getLogger(__name__)

__all__ = ["BudgetRateLimiter", "ChatLocks", "FloodGate", "Limits", "telegram_pace"]

# Of the overall rate, replies included: 28.5/s of Telegram's 30. Tokens are evenly spaced and
# never caught up, so 31 sends would need 30 gaps of 35 ms inside one second: a strict
# one-second window is not exceeded even when the client delays a send by 50 ms. (At 0.99 it
# was, about once a second: bench/broadcast.py's window scenario, 84 × 429 of 3,120 sends.)
SHARE_OF_BUDGET = 0.95
PAID_RATE = 1000.0  # Telegram's paid broadcasts (allow_paid_broadcast)


@dataclass(frozen=True)
class Limits:
    """The adapter's knobs. Defaults are for production; tests and benchmarks vary them."""

    flood_burst: int = 10  # messages a user may send in a burst
    flood_per_second: float = 1.0  # sustained rate a user's bucket refills at
    overall_per_second: float = 30  # Telegram: ~30 messages/s per bot (0: no limit)
    group_per_minute: float = 20  # Telegram: 20 messages/minute per group (0: no limit)
    chat_gap: float = 1.05  # seconds between two messages to one chat (Telegram: ~1/s)
    retry_after_retries: int = 5  # times a reply waits out a 429 and is sent again
    network_retries: int = 2  # times a network error or timeout is retried
    network_backoff: float = 0.5  # seconds before the first network retry (doubles)
    # Updates handled at once: most of a turn is waiting (a chat's second message waits about a
    # second for its gap), so a few handlers would hold up every other chat meanwhile.
    concurrent_updates: int = 32
    in_flight: int = 8  # background sends under way at once (a 100 ms API must not bind the rate)
    broadcast_backoff: float = 2.0  # seconds before a failed delivery is tried again (doubles)
    broadcast_attempts: int = 4  # 5xx / network failures before a delivery is marked failed
    broadcast_progress_every: float = 3.0  # seconds between edits of the progress message
    poll: float = 1.0  # seconds an idle dispatcher waits before looking for rows again

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """Production limits with the configured overall send rate (BIAOGAN_TELEGRAM_RATE)."""
        rate = settings.telegram_rate
        if not rate:  # no cap (a self-hosted Bot API server): no per-chat spacing either
            return cls(overall_per_second=0, chat_gap=0.0, group_per_minute=0)
        return cls(overall_per_second=rate)

    def knobs(self) -> Knobs:
        """The dispatcher's knobs these limits imply."""
        return Knobs(
            poll=self.poll,
            broadcast_attempts=self.broadcast_attempts,
            broadcast_backoff=self.broadcast_backoff,
            progress_every=self.broadcast_progress_every,
        )


# ---- the rate limiter: replies through the one budget ------------------------------------

# Calls Telegram's send limits count (a chat action does not).
_LIMITED = ("send", "edit", "copy", "forward")


def telegram_pace(limits: Limits, *, paid: bool = False) -> Pace:
    """Telegram's budget for this bot: 95 % of the overall rate (a strict one-second window of
    ``overall_per_second`` is never reached, network jitter included), a second and a bit
    between two messages to one chat, three seconds in a group (20 a minute)."""
    rate = PAID_RATE if paid else limits.overall_per_second
    return Pace(
        per_second=rate * SHARE_OF_BUDGET,
        address_gap=limits.chat_gap,
        group_gap=60 / limits.group_per_minute if limits.group_per_minute else 0.0,
        in_flight=limits.in_flight,
    )


class BudgetRateLimiter(BaseRateLimiter):
    """Every message a reply sends takes a token of the one Telegram budget first — ahead of
    background work, spaced per chat (so one turn's two messages never meet a 429) — and a
    429 makes that one request wait and try again, holding nothing else. Network errors and
    timeouts are retried with backoff; a bad request is not. Sends the dispatcher already
    paced (``rate_limit_args=PACED``) pass straight through: their outcome is the row's."""

    def __init__(self, limits: Limits, budget: Budget) -> None:
        self.budget = budget
        self._retry_after_retries = limits.retry_after_retries
        self._network_retries = limits.network_retries
        self._backoff = limits.network_backoff

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> Any:
        if rate_limit_args == PACED or not endpoint.lower().startswith(_LIMITED):
            return await callback(*args, **kwargs)
        address = str(data.get("chat_id", ""))
        delay = self._backoff
        limited = network = 0
        while True:
            began = time.monotonic()
            await self.budget.take(address, interactive=True)
            waited = time.monotonic() - began
            try:
                answer = await callback(*args, **kwargs)
            except RetryAfter as exc:
                limited += 1
                wait = seconds(exc.retry_after)
                _observe(address, Result("retry_after", exc.message, wait), waited)
                if limited > self._retry_after_retries:
                    raise
                log.warning("%s to %s: 429, this reply waits %.1fs", endpoint, address, wait)
                await asyncio.sleep(wait)
                continue
            except Forbidden as exc:
                _observe(address, Result("blocked", exc.message), waited)
                raise
            except BadRequest as exc:
                _observe(address, Result("permanent", exc.message), waited)
                raise
            except NetworkError as exc:  # TimedOut included
                network += 1
                _observe(address, Result("transient", str(exc)), waited)
                if network > self._network_retries:
                    raise
                log.warning("%s failed (%s); retrying in %.1fs", endpoint, exc, delay)
                await asyncio.sleep(delay)
                delay *= 2
                continue
            _observe(address, Result("sent"), waited)
            return answer


def _observe(address: str, result: Result, waited: float) -> None:
    """A reply's send, in the log and the metrics (``bot.ops.observe``)."""
    observe.send("telegram", "reply", result, waited=waited, address=address)


class ChatLocks:
    """One lock per chat, so a chat's updates are handled and answered in order while other
    chats proceed; a lock is forgotten once nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        lock, users = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat_id]
            if users == 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, users - 1)
