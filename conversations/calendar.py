"""The calendar as users see it: a year's milestones with their dates (organizer-set, or the
notice's for 2016 only), days left in Asia/Shanghai, a milestone's line and the calendar's buttons
(shared by the deadlines flow and the FAQ's answers), the checks on ``calendar set`` input, the
reminder due times, and the .ics file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from conversations import texts
from conversations.callbacks import encode
from conversations.core import SHANGHAI, Button, CalendarDate, Context, YearCalendar
from conversations.menu import back_button, open_button
from knowledge.calendar import FIRST_YEAR, MILESTONES, NoticeMilestone, notice_milestones

REMIND_AT = time(9, 0)  # reminders go out at 09:00 Asia/Shanghai
DEFAULT_OFFSETS = (30, 7, 1)
MAX_OFFSET = 90
MAX_NOTE = 200
OFFSET_PRESETS = ((30, 7, 1), (14, 3), (7, 1), (1,))
DEADLINES_CODE = "d"  # the deadlines flow's callback code (conversations/flows/deadlines.py)


class CalendarInputError(ValueError):
    """Input for ``calendar set`` that cannot be set; the message is for the user."""


@dataclass(frozen=True)
class Dated:
    """One milestone of a year: what the notice says about it and the day it falls on."""

    milestone: NoticeMilestone
    day: date | None  # None: not set for this year
    note: str | None
    set_by_organizers: bool


def year_dates(ctx: Context, year: int) -> list[Dated] | None:
    """The year's milestones in order; None for a year after the notice's with nothing set.

    2016 is the notice's own year (its dates, not labelled as organizers'); any other year has
    only the dates organizers set, the others ``day=None``.
    """
    found = ctx.year_calendar(year)
    notice = notice_milestones(ctx.kb)
    if found is None:
        if year != ctx.kb.programme.calendar_year:
            return None
        return [Dated(m, m.day, None, False) for m in notice]
    result = []
    for m in notice:
        entry = found.dates.get(m.id)
        result.append(Dated(m, entry.day if entry else None, entry.note if entry else None, True))
    return result


def days_left(ctx: Context, day: date) -> int:
    return (day - ctx.today()).days


def left_text(ctx: Context, day: date) -> str:
    left = days_left(ctx, day)
    if left < 0:
        return texts.DEADLINES_PAST
    if left == 0:
        return texts.DEADLINES_TODAY
    return texts.DEADLINES_LEFT.format(days=left)


def day_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def due_at(day: date, offset: int) -> datetime:
    """When the reminder ``offset`` days before ``day`` goes out (09:00 Asia/Shanghai)."""
    return datetime.combine(day - timedelta(days=offset), REMIND_AT, tzinfo=SHANGHAI)


def offsets_text(offsets: list[int] | tuple[int, ...]) -> str:
    return "、".join(str(o) for o in offsets)


def parse_offsets(text: str) -> list[int]:
    """ "30 7 1" / "30,7,1" / "30-7-1" -> [30, 7, 1]; CalendarInputError otherwise."""
    parts = [p for p in text.replace(",", " ").replace("，", " ").replace("-", " ").split() if p]
    try:
        offsets = sorted({int(p) for p in parts}, reverse=True)
    except ValueError:
        raise CalendarInputError(texts.SUBSCRIBE_BAD_OFFSETS.format(text=text)) from None
    if not offsets or len(offsets) > 5 or not all(0 <= o <= MAX_OFFSET for o in offsets):
        raise CalendarInputError(texts.SUBSCRIBE_BAD_OFFSETS.format(text=text))
    return offsets


# ---- calendar set: every input checked, nothing changed on error ---------------------------


def _milestones() -> str:
    return "、".join(MILESTONES)


def parse_year(text: str) -> int:
    try:
        year = int(text.strip())
    except ValueError:
        raise CalendarInputError(texts.CALSET_BAD_YEAR.format(text=text)) from None
    if year < FIRST_YEAR:
        raise CalendarInputError(texts.CALSET_EARLY_YEAR.format(year=year, first=FIRST_YEAR))
    if year > 2100:
        raise CalendarInputError(texts.CALSET_BAD_YEAR.format(text=text))
    return year


def parse_milestone(text: str) -> str:
    name = text.strip().lower()
    if name not in MILESTONES:
        raise CalendarInputError(
            texts.CALSET_BAD_MILESTONE.format(text=text, milestones=_milestones())
        )
    return name


def parse_day(text: str, year: int) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise CalendarInputError(texts.CALSET_BAD_DATE.format(text=text, year=year)) from None
    if day.year != year:
        raise CalendarInputError(texts.CALSET_OUTSIDE_YEAR.format(day=day.isoformat(), year=year))
    return day


def parse_setting(year: str, milestone: str, day: str, note: str | None = None) -> CalendarDate:
    """``calendar set YEAR MILESTONE DATE [--note]`` checked; the first error raises."""
    parsed_year = parse_year(year)
    name = parse_milestone(milestone)
    parsed_day = parse_day(day, parsed_year)
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise CalendarInputError(texts.CALSET_NOTE_TOO_LONG.format(limit=MAX_NOTE))
    return CalendarDate(year=parsed_year, milestone=name, day=parsed_day, note=note)


def usage() -> str:
    return texts.CALSET_USAGE.format(milestones=_milestones())


# ---- the view: a milestone's line, organizer-set dates, the calendar's buttons ----------------


def step_text(ctx: Context, year: int, m: NoticeMilestone) -> str:
    """What a milestone asks: the notice's words for its own year; for another year, said as
    the notice's year's step (the notice gives no other year's tasks)."""
    notice_year = ctx.kb.programme.calendar_year
    if year == notice_year:
        return texts.STEP_NOTICE_YEAR.format(who=m.who, what=m.what, clause=m.clause)
    return texts.STEP_OTHER_YEAR.format(
        notice_year=notice_year, when=m.when, who=m.who, what=m.what, clause=m.clause
    )


def dated_line(ctx: Context, year: int, dated: Dated) -> str:
    m = dated.milestone
    if dated.day is None:
        return texts.DEADLINES_NOT_SET_LINE.format(
            label=m.label,
            year=year,
            notice_year=ctx.kb.programme.calendar_year,
            when=m.when,
            clause=m.clause,
        )
    note = texts.DEADLINES_NOTE.format(note=dated.note) if dated.note else ""
    return texts.DEADLINES_LINE.format(
        label=m.label,
        day=day_text(dated.day),
        left=left_text(ctx, dated.day),
        step=step_text(ctx, year, m),
        note=note,
    )


def set_dates_text(ctx: Context, year: int, milestones: tuple[str, ...]) -> str | None:
    """The organizer-set dates of ``milestones`` in ``year``, labelled as theirs; None when
    none of them is set (then the notice's 2016 answer stands)."""
    found = ctx.year_calendar(year)
    dates = year_dates(ctx, year) if found is not None else None
    if dates is None or not any(m in found.dates for m in milestones):
        return None
    lines = [dated_line(ctx, year, d) for d in dates if d.milestone.id in milestones]
    header = texts.DEADLINES_HEADER.format(year=year, label=texts.SET_BY_ORGANIZERS)
    return "\n".join([header, *lines])


def deadlines_button(label: str, action: str, arg: str = "") -> Button:
    """A button of the deadlines flow (subscribe, unsubscribe, the .ics file, reminder days)."""
    return Button(label=label, data=encode(DEADLINES_CODE, action, arg))


def unsubscribe_button() -> Button:
    return deadlines_button(texts.BTN_UNSUBSCRIBE, "unsub")


def deadlines_buttons() -> list[list[Button]]:
    return [
        [deadlines_button(texts.BTN_SUBSCRIBE, "sub"), unsubscribe_button()],
        [deadlines_button(texts.BTN_ICS, "ics"), open_button(texts.BTN_MAIL, "mail")],
        back_button(),
    ]


# ---- .ics ------------------------------------------------------------------------------------


def ics_bytes(ctx: Context, calendar: YearCalendar) -> bytes:
    """An iCalendar file of the year's set milestones: an all-day-ish event at 09:00
    Asia/Shanghai on each date, with an alarm a day before."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//biaogan//质量标杆日程//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{calendar.year}年质量标杆日程")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    stamp = ctx.clock().astimezone(SHANGHAI)
    for m in notice_milestones(ctx.kb):
        entry = calendar.dates.get(m.id)
        if entry is None:
            continue
        start = datetime.combine(entry.day, REMIND_AT, tzinfo=SHANGHAI)
        event = Event()
        event.add("uid", f"{calendar.year}-{m.id}@biaogan")
        event.add("dtstamp", stamp)
        event.add("summary", texts.ICS_SUMMARY.format(label=m.label))
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(hours=1))
        note = f"说明：{entry.note}" if entry.note else ""
        event.add(
            "description",
            texts.ICS_DESCRIPTION.format(
                year=calendar.year, step=step_text(ctx, calendar.year, m), note=note
            ),
        )
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", texts.ICS_ALARM.format(label=m.label, day=day_text(entry.day)))
        alarm.add("trigger", timedelta(days=-1))
        event.add_component(alarm)
        cal.add_component(event)
    cal.add_missing_timezones()  # a VTIMEZONE for Asia/Shanghai, for calendars that need one
    return cal.to_ical()
