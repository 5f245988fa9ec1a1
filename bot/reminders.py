"""The reminder sweep: the ``reminders`` outbox rendered from the calendar and the profile,
run by PTB's JobQueue every ``Limits.sweep_interval`` seconds and once at start-up.

A reminder is sent while its milestone is still ahead, however late (the bot was down at its
due time); once the milestone has passed it is skipped and logged. When several reminders of
one milestone are due at once (after a long downtime), only the nearest one is sent.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot

from bot.outbox import Outbox, Row, SweepStats
from bot.service import ChatService
from conversations.core import Reply
from conversations.flows import deadlines

log = logging.getLogger(__name__)


class Reminders:
    """The sweep of one bot process over the service's store (same connection, same loop)."""

    def __init__(self, service: ChatService, per_second: float = 28.0) -> None:
        self.service = service
        self.outbox = Outbox(
            service.store.db,
            "reminders",
            self.render,
            clock=service.ctx.clock,
            per_second=per_second,
        )
        self._lock = asyncio.Lock()
        self.totals = SweepStats()

    @property
    def sweeping(self) -> bool:
        """A sweep is under way (the broadcast sender waits: one background pace at a time)."""
        return self._lock.locked()

    def start_up(self) -> int:
        """Rows a crash left claimed go back to pending (counted in doubt)."""
        found = self.outbox.recover()
        self.totals.in_doubt += found
        return found

    async def sweep(self, bot: Bot) -> SweepStats | None:
        """One sweep; None when one is already running in this process."""
        if self._lock.locked():
            return None
        async with self._lock:
            stats = await self.outbox.sweep(bot)
        for name in ("sent", "skipped", "blocked", "failed", "retried", "in_doubt"):
            setattr(self.totals, name, getattr(self.totals, name) + getattr(stats, name))
        if stats.sent or stats.skipped or stats.failed or stats.blocked:
            log.info(
                "reminders: %d sent, %d skipped, %d blocked, %d failed, %d to retry (%.1f/s)",
                stats.sent, stats.skipped, stats.blocked, stats.failed, stats.retried, stats.rate,
            )  # fmt: skip
        return stats

    # ---- what a row says -----------------------------------------------------------------------

    def render(self, row: Row) -> Reply | None:
        ctx, store = self.service.ctx, self.service.store
        year, milestone, kind = row["year"], row["milestone"], row["kind"]
        if kind == "published":
            return deadlines.published_reply(ctx, year)
        calendar = ctx.year_calendar(year)
        entry = calendar.dates.get(milestone) if calendar is not None else None
        if entry is None:
            log.info("reminder %s: %s %s no longer set, skipped", row["id"], year, milestone)
            return None
        if entry.day < ctx.today():
            log.warning(
                "reminder %s to chat %s: %s %s passed on %s before it could be sent; skipped",
                row["id"], row["chat_id"], year, milestone, entry.day,
            )  # fmt: skip
            return None
        if kind == "moved":
            return deadlines.moved_reply(ctx, entry)
        if self._superseded(row):
            log.info(
                "reminder %s: a nearer reminder of %s is due too; skipped", row["id"], milestone
            )
            return None
        return deadlines.reminder_reply(ctx, entry, store.profile(row["chat_id"]))

    def _superseded(self, row: Row) -> bool:
        """Another reminder of the same milestone, nearer to it, is due now as well."""
        return bool(
            self.service.store.db.execute(
                "SELECT 1 FROM reminders WHERE chat_id = ? AND year = ? AND milestone = ?"
                " AND kind = 'due' AND status = 'pending' AND offset_days < ? AND due_at <= ?",
                [row["chat_id"], row["year"], row["milestone"], row["offset_days"],
                 self.outbox.now_iso()],
            ).fetchone()
        )  # fmt: skip
