"""The dispatcher: one per process, whatever channels it serves. It owns each transport's send
budget and works through the outbox tables.

- **One budget per channel** (``Budget``): messages per second overall and a least gap between
  two messages to one address (Telegram: ~30/s, one a second in a chat, 20 a minute in a
  group; e-mail: its provider's rate). Replies to people chatting take it first: background
  work waits while a reply is waiting for a token.
- **Priority**: replies to people chatting (through ``Budget.take(interactive=True)``: the
  Telegram adapter's rate limiter, ``reply`` for progress and reports), then reminders, then
  broadcast deliveries — each channel's worker claims rows of the first table that has one due.
- **Several sends in flight** (``Pace.in_flight``) under the budget, so a far-away API's round
  trip does not bind the rate; a 429 on one row puts that row back for its ``retry_after`` and
  holds nothing else.
- **Rows first, messages second**: ``recover`` once at start-up; a row is marked after its send.
  No busy waiting: an idle worker sleeps until woken (a turn queued rows) or until the next row
  falls due, at most ``poll`` seconds (another process — the CLI — may have written rows).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from bot.ops import observe
from bot.outbox import Outbox, Row
from bot.transports import Pace, Result, Transport
from conversations.core import Reply

log = logging.getLogger(__name__)

Render = Callable[[Row], Reply | None]
AfterSend = Callable[[Row, Result], Awaitable[None] | None]


SLACK = 0.01  # seconds of a late token kept (the timer's overshoot would otherwise be lost)


class Budget:
    """One channel's send budget: at most ``per_second`` overall, evenly spaced (no bursts: a
    strict one-second window is never exceeded), and ``gap`` seconds between two messages to
    one address. Interactive callers go first."""

    def __init__(self, pace: Pace, clock: Callable[[], float] = time.monotonic) -> None:
        self.pace = pace
        self.interval = 1.0 / pace.per_second if pace.per_second else 0.0
        self.clock = clock
        self.next_at = 0.0
        self._address_next: dict[str, float] = {}
        self.replies_waiting = 0
        self.taken = 0

    async def take(self, address: str, *, interactive: bool) -> None:
        """Wait for this address's gap, then for a token of the overall rate."""
        await self._address_free(address)
        if interactive:
            self.replies_waiting += 1
            try:
                await self._token(address, interactive=True)
            finally:
                self.replies_waiting -= 1
        else:
            await self._token(address, interactive=False)

    async def _address_free(self, address: str) -> None:
        while (wait := self._address_next.get(address, 0.0) - self.clock()) > 0:
            await asyncio.sleep(wait)

    async def _token(self, address: str, *, interactive: bool) -> None:
        while True:
            now = self.clock()
            ready = max(self.next_at, self._address_next.get(address, 0.0))
            if ready <= now and (interactive or not self.replies_waiting):
                # A taker woken a little late (the loop's timer, a busy turn) keeps the schedule:
                # up to SLACK (half a token at most) of lateness is not lost, and no more is
                # ever made up, so any window of T seconds holds at most 1 + (T + SLACK) × rate
                # sends: at 28.5/s, 30 in a second, whatever the timer does.
                slack = max(min(SLACK, self.interval / 2), self.pace.catch_up)
                self.next_at = max(self.next_at, now - slack) + self.interval
                gap = self.pace.gap(address)
                if gap:
                    self._address_next[address] = now + gap
                    self._forget_old(now)
                self.taken += 1
                return
            # Background work looks again shortly while a reply waits (the reply goes first).
            await asyncio.sleep(max(ready - now, 0.0) or min(self.interval, 0.005) or 0.001)

    def _forget_old(self, now: float) -> None:
        if len(self._address_next) > 4096:
            self._address_next = {a: t for a, t in self._address_next.items() if t > now}


@dataclass
class Source:
    """An outbox table and what its rows say (``render``), in priority order."""

    outbox: Outbox
    render: Render
    after: AfterSend | None = None


@dataclass
class Lane:
    """One channel: its transport, its budget, the sends under way."""

    transport: Transport
    budget: Budget
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    in_flight: set[asyncio.Task] = field(default_factory=set)


class Dispatcher:
    """Every channel's sends, started once by the process (``run``) and stopped with it."""

    def __init__(
        self,
        transports: Iterable[Transport],
        sources: list[Source],
        *,
        clock: Callable[[], datetime],
        poll: float = 1.0,
    ) -> None:
        self.sources = sources
        self.clock = clock
        self.poll = poll
        # A transport may bring the budget its channel already shares (Telegram's, with the
        # rate limiter that replies go through): one budget per channel, whoever sends.
        self.lanes: dict[str, Lane] = {
            t.channel: Lane(t, getattr(t, "budget", None) or Budget(t.pace)) for t in transports
        }
        self.background: list[Callable[[], Awaitable[None]]] = []  # e.g. broadcast progress
        self._tasks: list[asyncio.Task] = []
        self.started = asyncio.Event()
        self.looked: dict[str, float] = {}  # outbox table -> when a worker last looked (monotonic)

    def source(self, table: str) -> Source:
        """The source working through outbox table ``table`` (``reminders``, ``deliveries``…)."""
        return next(s for s in self.sources if s.outbox.table == table)

    def alive(self) -> bool:
        """Started, and every channel's worker still running (the health check asks)."""
        workers = [t for t in self._tasks if t.get_name() != "dispatch-background"]
        return self.started.is_set() and bool(workers) and not any(t.done() for t in workers)

    def wake(self) -> None:
        """Rows were queued: look now rather than at the next poll."""
        for lane in self.lanes.values():
            lane.wake.set()

    # ---- life cycle ------------------------------------------------------------------------

    def start(self) -> None:
        """Put back what a crash left in flight (once), then a worker per channel."""
        for source in self.sources:
            if found := source.outbox.recover():
                log.warning("%d %s row(s) were in flight at a crash: sending them again",
                            found, source.outbox.table)  # fmt: skip
        for channel, lane in self.lanes.items():
            self._tasks.append(asyncio.create_task(self._work(lane), name=f"dispatch-{channel}"))
        for job in self.background:
            self._tasks.append(asyncio.create_task(job(), name="dispatch-background"))
        self.started.set()
        log.info("dispatcher started: %s", ", ".join(self.lanes) or "no channel")

    async def stop(self) -> None:
        """Cancel the workers; sends under way finish (their rows are marked) or stay
        ``sending`` and go again at the next start, counted in doubt."""
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            done, stuck = await asyncio.wait(self._tasks, timeout=5)
            for task in stuck:  # never expected: say so rather than hang the shutdown
                log.error("dispatcher task %s did not stop when cancelled", task.get_name())
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    log.error("dispatcher task %s had failed", task.get_name(),
                              exc_info=task.exception())  # fmt: skip
        self._tasks.clear()
        pending = [t for lane in self.lanes.values() for t in lane.in_flight]
        if pending:
            await asyncio.wait(pending, timeout=5)
        for lane in self.lanes.values():
            close = getattr(lane.transport, "close", None)  # e.g. SMTP connections
            if close is not None:
                await close()

    # ---- interactive sends outside a turn's own answer (progress, reports) ------------------

    async def reply(
        self, channel: str, address: str, reply: Reply, *, replace: str | None = None
    ) -> Result:
        """Send one reply now, ahead of background work, through the channel's budget."""
        lane = self.lanes.get(channel)
        if lane is None:
            return Result("permanent", f"no transport for {channel}")
        began = time.monotonic()
        await lane.budget.take(address, interactive=True)
        waited = time.monotonic() - began
        result = await lane.transport.send(address, reply, replace=replace, interactive=True)
        observe.send(channel, "reply", result, waited=waited, address=address)
        return result

    async def drain(self, channel: str) -> int:
        """Send every row of ``channel`` due now, one after another (a caller without a running
        dispatcher: the console chat between two prompts); how many were handled."""
        lane = self.lanes[channel]
        handled = 0
        while (claimed := self._claim(channel)) is not None:
            await self._deliver(lane, *claimed)
            handled += 1
        return handled

    # ---- the workers -----------------------------------------------------------------------

    async def _work(self, lane: Lane) -> None:
        slots = asyncio.Semaphore(max(1, lane.transport.pace.in_flight))
        channel = lane.transport.channel
        while True:
            await slots.acquire()
            try:
                claimed = self._claim(channel)
            except Exception:  # a store error: log, wait, go on
                slots.release()
                log.exception("%s: claiming a row failed", channel)
                await asyncio.sleep(self.poll)
                continue
            if claimed is None:
                slots.release()
                await self._idle(lane)
                continue
            source, row = claimed
            task = asyncio.create_task(self._deliver(lane, source, row))
            lane.in_flight.add(task)
            task.add_done_callback(lambda t: (lane.in_flight.discard(t), slots.release()))

    def _claim(self, channel: str) -> tuple[Source, Row] | None:
        for source in self.sources:  # reminders before broadcast deliveries
            self.looked[source.outbox.table] = time.monotonic()
            row = source.outbox.claim(channel)
            if row is not None:
                return source, row
        return None

    async def _idle(self, lane: Lane) -> None:
        lane.wake.clear()
        timeout = self.poll
        for source in self.sources:
            due = source.outbox.next_due(lane.transport.channel)
            if due is not None:
                seconds = (datetime.fromisoformat(due) - self.clock()).total_seconds()
                timeout = min(timeout, max(seconds, 0.05))
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation that
        # lands as the event is set, and stop() then waited for this worker for ever.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await lane.wake.wait()

    async def _deliver(self, lane: Lane, source: Source, row: Row) -> None:
        outbox = source.outbox
        try:
            reply = source.render(row)
        except Exception as exc:  # a broken row must not stop the others
            log.exception("%s %s: cannot render", outbox.table, row["id"])
            outbox.fail(row, f"render: {exc}")
            return
        if reply is None:
            outbox.skip(row)
            return
        address = row["address"]
        began = time.monotonic()
        await lane.budget.take(address, interactive=False)
        waited = time.monotonic() - began
        try:
            result = await lane.transport.send(address, reply)
        except Exception as exc:  # a transport must not raise; if it does, retry later
            log.exception("%s %s: the %s transport failed", outbox.table, row["id"],
                          lane.transport.channel)  # fmt: skip
            result = Result("transient", repr(exc))
        outbox.settle(row, result)
        observe.send(lane.transport.channel, outbox.table, result, waited=waited, row=row)
        if source.after is not None:
            done = source.after(row, result)
            if done is not None:
                await done
