"""The calendar as users see it: a year's milestones with their dates (organizer-set, or the
notice's for 2016 only), days left in Asia/Shanghai, a milestone's line and the calendar's buttons
(shared by the deadlines flow and the FAQ's answers), the checks on ``calendar set`` input, the
reminder due times, and the .ics file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from conversations import scopes, texts
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
PROVINCE = scopes.PROVINCE
# A city's or an association's own milestones (本市企业报送截止, 预审, 培训会); the province's are
# the notice's five (knowledge.calendar.MILESTONES).
LOCAL_MILESTONES: tuple[str, ...] = tuple(texts.LOCAL_MILESTONE_LABELS)


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


def _milestones(scope: str = PROVINCE) -> str:
    return "、".join(milestones_of(scope))


def milestones_of(scope: str) -> tuple[str, ...]:
    """The milestones a scope sets: the province the notice's five, others their own."""
    return MILESTONES if scope == PROVINCE else LOCAL_MILESTONES


def parse_scope_arg(text: str | None) -> str:
    """``city:无锡`` / ``city 无锡`` / ``assoc:<name>`` / ``province``; none: the province."""
    if text is None or not text.strip():
        return PROVINCE
    scope = scopes.parse_scope_text(text)
    if scope is None:
        raise CalendarInputError(texts.CALSET_BAD_SCOPE.format(text=text.strip()[:40]))
    return scope


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


def parse_milestone(text: str, scope: str = PROVINCE) -> str:
    name = text.strip().lower()
    if name in milestones_of(scope):
        return name
    if scope == PROVINCE:
        raise CalendarInputError(
            texts.CALSET_BAD_MILESTONE.format(text=text, milestones=_milestones())
        )
    raise CalendarInputError(
        texts.CALSET_BAD_LOCAL_MILESTONE.format(
            scope=scopes.label(scope), text=text, milestones=_local_milestones(scope)
        )
    )


def _local_milestones(scope: str) -> str:
    return "、".join(f"{m}（{milestone_label(None, scope, m)}）" for m in LOCAL_MILESTONES)


def parse_day(text: str, year: int) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise CalendarInputError(texts.CALSET_BAD_DATE.format(text=text, year=year)) from None
    if day.year != year:
        raise CalendarInputError(texts.CALSET_OUTSIDE_YEAR.format(day=day.isoformat(), year=year))
    return day


def parse_setting(
    year: str, milestone: str, day: str, note: str | None = None, scope: str = PROVINCE
) -> CalendarDate:
    """``calendar set YEAR MILESTONE DATE [--note] [--scope]`` checked; the first error raises.
    ``scope`` is a scope already parsed (``parse_scope_arg``)."""
    parsed_year = parse_year(year)
    name = parse_milestone(milestone, scope)
    parsed_day = parse_day(day, parsed_year)
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise CalendarInputError(texts.CALSET_NOTE_TOO_LONG.format(limit=MAX_NOTE))
    return CalendarDate(year=parsed_year, milestone=name, day=parsed_day, note=note, scope=scope)


def usage() -> str:
    local = "、".join(f"{m}（{milestone_label(None, 'city:无锡', m)}）" for m in LOCAL_MILESTONES)
    return texts.CALSET_USAGE.format(milestones=_milestones()) + texts.CALSET_SCOPE_USAGE.format(
        local=local
    )


# ---- whose dates: the province's and each organizer's own -----------------------------------


def setter(scope: str, ctx: Context | None = None) -> str:
    """Who set a scope's dates, as an enterprise reads it: the unit on the scope's contact card
    when it keeps one (苏州市工业和信息化局), else 无锡市经信委, the association's name; the
    province is 省经信委."""
    if scope == PROVINCE:
        return texts.SETTER_PROVINCE
    if ctx is not None:
        for card in ctx.contact_cards([scope]):
            if card.scope == scope and card.unit:
                return card.unit
    kind, _, name = scope.partition(":")
    return texts.SETTER_CITY.format(city=name) if kind == "city" else name


def set_by(scope: str, ctx: Context | None = None) -> str:
    """The label a date carries: whose it is, and that it is not the notice's."""
    return (
        texts.SET_BY_ORGANIZERS
        if scope == PROVINCE
        else texts.SET_BY_SCOPE.format(who=setter(scope, ctx))
    )


def milestone_label(ctx: Context | None, scope: str, milestone: str) -> str:
    """报送推荐材料 (the province's, from the notice), 本市企业报送截止, 预审, 培训会…"""
    if scope == PROVINCE:
        assert ctx is not None
        return next(m.label for m in notice_milestones(ctx.kb) if m.id == milestone)
    city, association = texts.LOCAL_MILESTONE_LABELS.get(milestone, (milestone, milestone))
    return city if scope.startswith("city:") else association


def reminder_key(scope: str, milestone: str) -> str:
    """A milestone's name in the reminders table: the province's plain, a scope's prefixed
    (``city:无锡/submission``), so one destination's rows stay unique across scopes."""
    return milestone if scope == PROVINCE else f"{scope}/{milestone}"


def split_key(key: str) -> tuple[str, str]:
    """``reminder_key`` read back: (scope, milestone)."""
    scope, slash, milestone = key.rpartition("/")
    return (scope, milestone) if slash else (PROVINCE, key)


def scoped_calendars(ctx: Context, year: int, wanted: list[str]) -> list[YearCalendar]:
    """The calendars of ``wanted`` with dates for ``year``, in that order (an enterprise's own
    scopes first, the province last: ``conversations.scopes.scopes_of``)."""
    found = []
    for scope in wanted:
        if scope == PROVINCE:
            calendar = ctx.year_calendar(year)
        else:
            calendar = ctx.scope_calendars(year, scope) if ctx.scope_calendars else None
        if calendar is not None and calendar.dates:
            found.append(calendar)
    return found


def local_calendars(ctx: Context, year: int, city: str | None, association: str | None):
    """The enterprise's own organizers' calendars for ``year`` (never another city's)."""
    own = [s for s in scopes.scopes_of(city, association) if s != PROVINCE]
    return scoped_calendars(ctx, year, own)


def local_entries(calendar: YearCalendar) -> list[CalendarDate]:
    """A scope's dates in order of day."""
    order = {m: i for i, m in enumerate(LOCAL_MILESTONES)}
    return sorted(calendar.dates.values(), key=lambda e: (e.day, order.get(e.milestone, 99)))


def local_line(ctx: Context, entry: CalendarDate) -> str:
    note = texts.DEADLINES_NOTE.format(note=entry.note) if entry.note else ""
    return texts.DEADLINES_LOCAL_LINE.format(
        label=milestone_label(ctx, entry.scope, entry.milestone),
        day=day_text(entry.day),
        left=left_text(ctx, entry.day),
        note=note,
    )


def local_section(ctx: Context, calendar: YearCalendar) -> list[str]:
    """A scope's own dates, headed by who set them."""
    header = texts.DEADLINES_SCOPE_HEADER.format(
        who=setter(calendar.scope, ctx), year=calendar.year
    )
    return [header, *(local_line(ctx, e) for e in local_entries(calendar))]


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


def ics_bytes(ctx: Context, *calendars: YearCalendar) -> bytes:
    """An iCalendar file of a year's set milestones — the enterprise's own organizers' first,
    each labelled with who set it, then the province's: an event at 09:00 Asia/Shanghai on each
    date, with an alarm a day before."""
    from icalendar import Calendar

    year = calendars[0].year
    cal = Calendar()
    cal.add("prodid", "-//biaogan//质量标杆日程//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{year}年质量标杆日程")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    for calendar in calendars:
        if calendar.scope != PROVINCE:
            for entry in local_entries(calendar):
                label = milestone_label(ctx, calendar.scope, entry.milestone)
                summary = texts.ICS_SUMMARY.format(
                    label=f"{label}（{setter(calendar.scope, ctx)}）"
                )
                description = texts.ICS_LOCAL_DESCRIPTION.format(
                    year=year, label=set_by(calendar.scope, ctx), note=_ics_note(entry)
                )
                cal.add_component(_event(ctx, entry, label, summary, description))
            continue
        for m in notice_milestones(ctx.kb):
            if (entry := calendar.dates.get(m.id)) is not None:
                description = texts.ICS_DESCRIPTION.format(
                    year=year, step=step_text(ctx, year, m), note=_ics_note(entry)
                )
                summary = texts.ICS_SUMMARY.format(label=m.label)
                cal.add_component(_event(ctx, entry, m.label, summary, description))
    cal.add_missing_timezones()  # a VTIMEZONE for Asia/Shanghai, for calendars that need one
    return cal.to_ical()


def _ics_note(entry: CalendarDate) -> str:
    return f"说明：{entry.note}" if entry.note else ""


def _event(ctx: Context, entry: CalendarDate, label: str, summary: str, description: str):
    from icalendar import Alarm, Event

    start = datetime.combine(entry.day, REMIND_AT, tzinfo=SHANGHAI)
    event = Event()
    event.add("uid", f"{entry.year}-{reminder_key(entry.scope, entry.milestone)}@biaogan")
    event.add("dtstamp", ctx.clock().astimezone(SHANGHAI))
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(hours=1))
    event.add("description", description)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", texts.ICS_ALARM.format(label=label, day=day_text(entry.day)))
    alarm.add("trigger", timedelta(days=-1))
    event.add_component(alarm)
    return event
