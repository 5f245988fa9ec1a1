"""Telegram's limits and ours: the send budget, retries, per-user flood gate, per-chat order."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Literal

from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter

from bot.config import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """The adapter's knobs. Defaults are for production; tests and benchmarks vary them."""

    flood_burst: int = 10  # messages a user may send in a burst
    flood_per_second: float = 1.0  # sustained rate a user's bucket refills at
    overall_per_second: float = 30  # Telegram: ~30 messages/s per bot (0: no limit)
    group_per_minute: float = 20  # Telegram: 20 messages/minute per group (0: no limit)
    retry_after_retries: int = 3  # times a 429 is waited out and the call repeated
    network_retries: int = 2  # times a network error or timeout is retried
    network_backoff: float = 0.5  # seconds before the first network retry (doubles)
    concurrent_updates: int = 4  # updates handled at once; 4 measured best (bench/throughput.py)
    broadcast_backoff: float = 2.0  # seconds before a failed delivery is tried again (doubles)
    broadcast_attempts: int = 4  # 5xx / network failures before a delivery is marked failed
    broadcast_progress_every: float = 3.0  # seconds between edits of the progress message
    broadcast_idle_poll: float = 1.0  # seconds between looks for rows the CLI wrote

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """Production limits with the configured overall send rate (BIAOGAN_TELEGRAM_RATE)."""
        return cls(overall_per_second=settings.telegram_rate)


# ---- retries -------------------------------------------------------------------------------


class PatientRateLimiter(AIORateLimiter):
    """Telegram's rate limits (30/s overall, 20/min per group), 429s waited out and retried,
    and network errors and timeouts retried with backoff (a bad request is not retried)."""

    def __init__(self, limits: Limits) -> None:
        super().__init__(
            overall_max_rate=limits.overall_per_second,  # 0: no overall cap
            group_max_rate=limits.group_per_minute,
            max_retries=limits.retry_after_retries,
        )
        self._network_retries = limits.network_retries
        self._backoff = limits.network_backoff

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        delay = self._backoff
        for attempt in range(self._network_retries + 1):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except BadRequest:
                raise
            except NetworkError as exc:  # TimedOut included
                if attempt == self._network_retries:
                    raise
                log.warning("%s failed (%s); retrying in %.1fs", endpoint, exc, delay)
                await asyncio.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")


# ---- flood throttling ----------------------------------------------------------------------


class FloodGate:
    """A token bucket per user: ``burst`` messages at once, refilled at ``rate`` per second.

    Over the limit a user gets one "slow down" ("warn"), then silence ("drop") until a token
    is back; other users are not affected.
    """

    MAX_TRACKED = 10_000

    def __init__(self, burst: int, rate: float, clock: Callable[[], float] = time.monotonic):
        self.burst = burst
        self.rate = rate
        self.clock = clock
        self._buckets: dict[int, tuple[float, float]] = {}  # user -> (tokens, when)
        self._warned: set[int] = set()

    def admit(self, user_id: int) -> Literal["ok", "warn", "drop"]:
        now = self.clock()
        tokens, when = self._buckets.get(user_id, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - when) * self.rate)
        if tokens >= 1:
            self._buckets[user_id] = (tokens - 1, now)
            self._warned.discard(user_id)
            if len(self._buckets) > self.MAX_TRACKED:
                self._forget_idle(now)
            return "ok"
        self._buckets[user_id] = (tokens, now)
        if user_id in self._warned:
            return "drop"
        self._warned.add(user_id)
        return "warn"

    def _forget_idle(self, now: float) -> None:
        """Drop buckets that have refilled completely: they hold nothing worth keeping."""
        for user_id, (tokens, when) in list(self._buckets.items()):
            if tokens + (now - when) * self.rate >= self.burst:
                del self._buckets[user_id]
                self._warned.discard(user_id)


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
