"""Reminders: the ``reminders`` outbox table, rendered from the calendar and the profile; the
dispatcher (``bot.dispatch``) claims, sends and marks the rows, on every channel.

A reminder is sent while its milestone is still ahead, however late (the bot was down at its
due time); once the milestone has passed it is skipped and logged. When several reminders of
one milestone are due at once (after a long downtime), only the nearest one is sent.
"""

from __future__ import annotations

import logging

from bot.dispatch import Source
from bot.outbox import Outbox, Row
from bot.service import ChatService
from conversations.calendar import ics_bytes
from conversations.core import Attachment, Reply
from conversations.flows import deadlines

log = logging.getLogger(__name__)


class Reminders:
    """What a reminder row says, from the calendar and the profile (the dispatcher sends it)."""

    def __init__(self, service: ChatService, *, backoff: float = 30.0) -> None:
        self.service = service
        self.outbox = Outbox(
            service.store.db, "reminders", clock=service.ctx.clock, backoff=backoff
        )
        self._ics: dict[int, tuple[str, Attachment]] = {}  # year -> (its dates, its .ics)

    def source(self) -> Source:
        return Source(self.outbox, self.render)

    # ---- what a row says -----------------------------------------------------------------------

    def render(self, row: Row) -> Reply | None:
        reply = self._reply(row)
        if reply is None or row["channel"] != "email":
            return reply
        # A mail carries the year's calendar file (a chat offers it as a button instead).
        file = self._calendar_file(row["year"])
        return reply if file is None else reply.model_copy(update={"file": file})

    def _calendar_file(self, year: int) -> Attachment | None:
        """The year's .ics, drawn once per version of the year's dates: every mail of a sweep
        carries the same file, and drawing it (its time zone above all) takes ~10 ms of the
        event loop — at 25 mails a second, a quarter of it."""
        calendar = self.service.ctx.year_calendar(year)
        if calendar is None:
            return None
        version = calendar.model_dump_json()
        drawn = self._ics.get(year)
        if drawn is None or drawn[0] != version:
            file = Attachment(
                filename=f"biaogan-{year}.ics",
                mime="text/calendar",
                content=ics_bytes(self.service.ctx, calendar),
            )
            self._ics[year] = drawn = (version, file)
        return drawn[1]

    def _reply(self, row: Row) -> Reply | None:
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
                "SELECT 1 FROM reminders WHERE destination_id = ? AND year = ? AND milestone = ?"
                " AND kind = 'due' AND status IN ('pending', 'sending', 'sent') AND offset_days < ?"
                " AND due_at <= ?",
                [row["destination_id"], row["year"], row["milestone"], row["offset_days"],
                 self.outbox.now_iso()],
            ).fetchone()
        )  # fmt: skip
