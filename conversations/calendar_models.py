"""The calendar organizers set, as flows read it: a milestone's date, a year's dates, per
scope (kept apart from ``core`` so the models stay small; ``core`` re-exports them)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class CalendarDate(BaseModel):
    """A milestone's date for a year after the notice's, as an organizer set it."""

    model_config = ConfigDict(frozen=True)

    year: int
    milestone: str  # knowledge.calendar.MILESTONES; a scope's own: conversations.calendar
    day: date
    note: str | None = None
    scope: str = "province"  # whose date: the province's, "city:无锡", "assoc:<name>"


class YearCalendar(BaseModel):
    """The dates organizers set for one year (only those set; never the notice's)."""

    model_config = ConfigDict(frozen=True)

    year: int
    dates: dict[str, CalendarDate] = Field(default_factory=dict)
    scope: str = "province"


def no_calendars(year: int) -> YearCalendar | None:
    return None
