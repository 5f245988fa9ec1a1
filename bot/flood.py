"""A flood gate: a token bucket per key (a Telegram user, a web session, an address)."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Literal

Verdict = Literal["ok", "warn", "drop"]


class FloodGate:
    """``burst`` messages at once per key, refilled at ``rate`` per second (0: no limit).

    Over the limit a key gets one "warn" (say "slow down" once), then "drop" until a token is
    back; other keys are not affected. Idle keys are forgotten, so memory stays bounded.
    """

    MAX_TRACKED = 10_000

    def __init__(
        self, burst: int, rate: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = burst
        self.rate = rate
        self.clock = clock
        self._buckets: dict[Hashable, tuple[float, float]] = {}  # key -> (tokens, when)
        self._warned: set[Hashable] = set()

    def admit(self, key: Hashable) -> Verdict:
        if self.rate <= 0:
            return "ok"
        now = self.clock()
        tokens, when = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - when) * self.rate)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            self._warned.discard(key)
            if len(self._buckets) > self.MAX_TRACKED:
                self._forget_idle(now)
            return "ok"
        self._buckets[key] = (tokens, now)
        if key in self._warned:
            return "drop"
        self._warned.add(key)
        return "warn"

    def _forget_idle(self, now: float) -> None:
        """Drop buckets that have refilled completely: they hold nothing worth keeping."""
        for key, (tokens, when) in list(self._buckets.items()):
            if tokens + (now - when) * self.rate >= self.burst:
                del self._buckets[key]
                self._warned.discard(key)
