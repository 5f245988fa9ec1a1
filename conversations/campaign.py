"""Which year's campaign a subscription is for. The notice's campaign runs within a calendar
year and ends with 12月份's summary (五); an enterprise that subscribes in December, when no date
of this year is still ahead (the province's or its own organizer's), means the next campaign."""

from __future__ import annotations

from conversations.calendar import local_calendars
from conversations.core import Context, Profile

LAST_MONTH = 12  # from December on, a year with nothing ahead is behind us


def reminder_year(ctx: Context, profile: Profile) -> int:
    """This year, unless it is December and none of this year's set dates lies ahead: then
    the next year (whose dates the organizers set later; the subscriber is told then)."""
    today = ctx.today()
    year = today.year
    if today.month < LAST_MONTH:
        return year
    calendars = [ctx.year_calendar(year), *local_calendars(ctx, year, profile.city,
                                                           profile.association)]  # fmt: skip
    ahead = any(d.day >= today for c in calendars if c is not None for d in c.dates.values())
    return year if ahead else year + 1
