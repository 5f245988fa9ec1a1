"""Reminders: the ``reminders`` outbox table, rendered from the calendar and the profile; the
dispatcher (``bot.dispatch``) claims, sends and marks the rows, on every channel.

A row of a city's or an association's own date (milestone ``city:无锡/submission``) is
rendered from that scope's calendar, and only while the chat's profile is still in that scope
(a row left behind by a change of city is skipped, never sent as another city's date).

A reminder is sent while its milestone is still ahead, however late (the bot was down at its
due time); once the milestone has passed it is skipped and logged. When several reminders of
one milestone are due at once (after a long downtime), only the nearest one is sent.
"""

from __future__ import annotations

import logging

from bot.dispatch import Source
from bot.outbox import Outbox, Row
from bot.service import ChatService
from conversations.calendar import PROVINCE, split_key
from conversations.core import Attachment, Profile, Reply
from conversations.flows import deadlines
from conversations.scopes import scopes_of

log = logging.getLogger(__name__)


class Reminders:
    """What a reminder row says, from the calendar and the profile (the dispatcher sends it)."""

    def __init__(self, service: ChatService, *, backoff: float = 30.0) -> None:
        self.service = service
        self.outbox = Outbox(
            service.store.db, "reminders", clock=service.ctx.clock, backoff=backoff
        )
        # (year, the chat's scopes) -> (their dates, their .ics)
        self._ics: dict[tuple[int, tuple[str, ...]], tuple[str, Attachment]] = {}

    def source(self) -> Source:
        return Source(self.outbox, self.render)

    # ---- what a row says -----------------------------------------------------------------------

    def render(self, row: Row) -> Reply | None:
        reply = self._reply(row)
        if reply is None or row["channel"] != "email":
            return reply
        # A mail carries the year's calendar file (a chat offers it as a button instead).
        file = self._calendar_file(row["year"], self.service.store.profile(row["chat_id"]))
        return reply if file is None else reply.model_copy(update={"file": file})

    def _calendar_file(self, year: int, profile: Profile) -> Attachment | None:
        """The year's .ics of the chat's scopes, drawn once per version of their dates: every
        mail of a sweep carries one of a few files, and drawing one (its time zone above all)
        takes ~10 ms of the event loop — at 25 mails a second, a quarter of it."""
        ctx = self.service.ctx
        scopes = tuple(scopes_of(profile.city, profile.association))
        found = [ctx.year_calendar(year)]
        found += [ctx.scope_calendars(year, s) if ctx.scope_calendars else None for s in scopes]
        version = "".join(c.model_dump_json() if c else "-" for c in found)
        drawn = self._ics.get((year, scopes))
        if drawn is None or drawn[0] != version:
            file = deadlines.calendar_file(ctx, year, profile)
            if file is None:
                return None
            self._ics[(year, scopes)] = drawn = (version, file)
        return drawn[1]

    def _reply(self, row: Row) -> Reply | None:
        ctx, store = self.service.ctx, self.service.store
        year, kind = row["year"], row["kind"]
        if kind == "published":
            return deadlines.published_reply(ctx, year)
        scope, milestone = split_key(row["milestone"])
        profile = store.profile(row["chat_id"])
        if scope != PROVINCE and scope not in scopes_of(profile.city, profile.association):
            log.info("reminder %s: chat %s is no longer in %s, skipped", row["id"],
                     row["chat_id"], scope)  # fmt: skip
            return None
        if scope == PROVINCE:
            calendar = ctx.year_calendar(year)
        else:
            calendar = ctx.scope_calendars(year, scope) if ctx.scope_calendars else None
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
        if kind == "set":
            return deadlines.set_reply(ctx, entry)
        if self._superseded(row):
            log.info(
                "reminder %s: a nearer reminder of %s is due too; skipped", row["id"], milestone
            )
            return None
        return deadlines.reminder_reply(ctx, entry, profile)

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
