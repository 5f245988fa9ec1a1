"""日程与提醒: this year's milestones with days left, subscribing to reminders, the .ics file,
and the admin's /calendar_set. Also the texts of the reminders the sweep sends.

Not a dialog with steps: every button is accepted anywhere (``anywhere`` edges). A year
without an organizer-set calendar shows 2016's dates as 2016's, says the notice gives no later
dates and gives the contacts; subscribing then waits for the calendar's publication.
"""

from __future__ import annotations

from conversations import texts
from conversations.calendar import (
    DEADLINES_CODE,
    OFFSET_PRESETS,
    CalendarInputError,
    dated_line,
    day_text,
    deadlines_button,
    deadlines_buttons,
    ics_bytes,
    left_text,
    offsets_text,
    parse_milestone,
    parse_offsets,
    parse_setting,
    parse_year,
    step_text,
    unsubscribe_button,
    usage,
    year_dates,
)
from conversations.callbacks import encode
from conversations.core import (
    Attachment,
    Button,
    CalendarDate,
    Context,
    Outcome,
    Profile,
    RemoveCalendarDate,
    Reply,
    SetCalendarDate,
    Subscribe,
    Turn,
    Unsubscribe,
)
from conversations.flows import profile as profile_flow
from conversations.menu import MENU_CODE, back_button, contacts, open_button
from conversations.steps import Edge, Flow, Step, StepTable
from knowledge.calendar import milestone as notice_milestone

CODE = DEADLINES_CODE
FLOW_NAME = "deadlines"


def check_button() -> Button:
    return Button(label=texts.REMINDER_BTN_CHECK, data=encode(MENU_CODE, "open", "check"))


# ---- the view --------------------------------------------------------------------------------


def notice_lines(ctx: Context) -> list[str]:
    """The notice's own calendar, always as 2016's (what the menu showed before)."""
    return [f"• {m.when}：{m.who}{m.what}（见通知{m.clause}）" for m in ctx.kb.programme.calendar]


def deadlines_text(ctx: Context, year: int | None = None) -> str:
    year = ctx.this_year() if year is None else year
    dates = year_dates(ctx, year)
    notice_year = ctx.kb.programme.calendar_year
    if dates is None:
        return "\n".join(
            [
                texts.DEADLINES_NO_CALENDAR.format(year=year, notice_year=notice_year),
                *notice_lines(ctx),
                texts.DEADLINES_NO_CALENDAR_TAIL.format(year=year, contacts=contacts(ctx)),
            ]
        )
    if year == notice_year and ctx.year_calendar(year) is None:
        header = texts.DEADLINES_HEADER_NOTICE.format(year=year)
    else:
        header = texts.DEADLINES_HEADER.format(year=year, label=texts.SET_BY_ORGANIZERS)
    return "\n".join([header, *(dated_line(ctx, year, d) for d in dates)])


def deadlines_reply(ctx: Context) -> Reply:
    return Reply(text=deadlines_text(ctx), buttons=deadlines_buttons())


def start(ctx: Context, turn: Turn) -> Outcome:
    return Outcome(state=turn.state, replies=[deadlines_reply(ctx)], kind="deadlines")


# ---- subscribing -----------------------------------------------------------------------------


def _offset_buttons() -> list[list[Button]]:
    rows = [
        [
            deadlines_button(
                texts.BTN_OFFSET_PRESET.format(offsets=offsets_text(p)),
                "offs",
                "-".join(map(str, p)),
            )
        ]
        for p in OFFSET_PRESETS
    ]
    return [*rows, back_button()]


def subscribe(ctx: Context, turn: Turn, offsets: list[int] | None = None) -> Outcome:
    """One tap: reminders for this year (or its calendar's publication); the profile is asked
    once, right after, when it is not known."""
    year = ctx.this_year()
    shown = offsets or list(OFFSET_PRESETS[0])
    if ctx.year_calendar(year) is None:
        text = texts.SUBSCRIBE_WAITING.format(year=year, offsets=offsets_text(shown))
    else:
        text = texts.SUBSCRIBE_DONE.format(year=year, offsets=offsets_text(shown))
    if turn.actor.channel == "web":
        text += texts.SUBSCRIBE_WEB_TAIL
    buttons = [
        [deadlines_button(texts.BTN_OFFSETS, "offs"), unsubscribe_button()],
        [deadlines_button(texts.BTN_ICS, "ics"), open_button(texts.BTN_MAIL, "mail")],
        back_button(),
    ]
    outcome = Outcome(
        state=turn.state,
        replies=[Reply(text=text, buttons=buttons)],
        effects=[Subscribe(year=year, offsets=offsets)],
        kind="subscribed",
    )
    if not turn.profile.asked and not turn.profile.city:
        asked = profile_flow.start(ctx, turn)
        outcome.state = asked.state
        outcome.replies += asked.replies
        outcome.effects += asked.effects
    return outcome


def remind(ctx: Context, turn: Turn, args: str) -> Outcome:
    """/remind [offsets…], /start remind."""
    if not args.strip():
        return subscribe(ctx, turn)
    try:
        offsets = parse_offsets(args)
    except CalendarInputError as exc:
        return Outcome(state=turn.state, replies=[Reply(text=str(exc))], kind="error")
    return subscribe(ctx, turn, offsets)


def stop_reminders(ctx: Context, turn: Turn, args: str = "") -> Outcome:
    year = ctx.this_year()
    text = texts.UNSUBSCRIBE_DONE.format(year=year)
    buttons = [[deadlines_button(texts.BTN_SUBSCRIBE, "sub")], back_button()]
    return Outcome(
        state=turn.state,
        replies=[Reply(text=text, buttons=buttons)],
        effects=[Unsubscribe(year=year)],
        kind="unsubscribed",
    )


def _on_offsets(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    if not arg:
        reply = Reply(text=texts.SUBSCRIBE_OFFSETS_ASK, buttons=_offset_buttons())
        return Outcome(state=turn.state, replies=[reply])
    try:
        return subscribe(ctx, turn, parse_offsets(arg))
    except CalendarInputError:
        return None


# ---- .ics ------------------------------------------------------------------------------------


def ics(ctx: Context, turn: Turn, args: str = "") -> Outcome:
    year = ctx.this_year()
    calendar = ctx.year_calendar(year)
    if calendar is None:
        reply = Reply(text=texts.ICS_NONE.format(year=year), buttons=deadlines_buttons())
        return Outcome(state=turn.state, replies=[reply], kind="ics_none")
    file = Attachment(
        filename=f"biaogan-{year}.ics", mime="text/calendar", content=ics_bytes(ctx, calendar)
    )
    text = texts.ICS_CAPTION.format(year=year, label=texts.SET_BY_ORGANIZERS)
    return Outcome(state=turn.state, replies=[Reply(text=text, file=file)], kind="ics")


# ---- the admin's /calendar_set ---------------------------------------------------------------


def calendar_set(ctx: Context, turn: Turn, args: str) -> Outcome:
    """/calendar_set YEAR MILESTONE DATE [note…] · /calendar_set remove YEAR MILESTONE."""

    def say(text: str, kind: str = "error") -> Outcome:
        return Outcome(state=turn.state, replies=[Reply(text=text)], kind=kind)

    if not turn.actor.is_admin:
        return say(texts.CALSET_ADMIN_ONLY, "forbidden")
    parts = args.split(maxsplit=3)
    try:
        if len(parts) == 3 and parts[0].lower() == "remove":
            year, milestone = parse_year(parts[1]), parse_milestone(parts[2])
            return _remove(ctx, turn, year, milestone)
        if len(parts) < 3:
            return say(usage(), "usage")
        entry = parse_setting(parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else None)
    except CalendarInputError as exc:
        return say(f"{exc}\n{usage()}")
    label = notice_milestone(ctx.kb, entry.milestone).label
    text = texts.CALSET_DONE.format(
        year=entry.year, label=label, day=day_text(entry.day), label_set=texts.SET_BY_ORGANIZERS
    )
    return Outcome(
        state=turn.state,
        replies=[Reply(text=text)],
        effects=[SetCalendarDate(by=turn.actor.person_id, entry=entry)],
        kind="calendar_set",
    )


def _remove(ctx: Context, turn: Turn, year: int, milestone: str) -> Outcome:
    label = notice_milestone(ctx.kb, milestone).label
    found = ctx.year_calendar(year)
    if found is None or milestone not in found.dates:
        text = texts.CALSET_NOTHING.format(year=year, label=label)
        return Outcome(state=turn.state, replies=[Reply(text=text)], kind="error")
    text = texts.CALSET_REMOVED.format(year=year, label=label)
    effect = RemoveCalendarDate(by=turn.actor.person_id, year=year, milestone=milestone)
    return Outcome(state=turn.state, replies=[Reply(text=text)], effects=[effect])


# ---- what the sweep sends ----------------------------------------------------------------------


def reminder_reply(ctx: Context, entry: CalendarDate, profile: Profile) -> Reply:
    """A reminder: what is due, the date, days left, what to prepare, through whom."""
    m = notice_milestone(ctx.kb, entry.milestone)
    materials = {x.id: x for x in ctx.kb.programme.materials}
    form, case = materials["form"], materials["case"]
    text = texts.REMINDER_DUE.format(
        year=entry.year,
        label=m.label,
        day=day_text(entry.day),
        left=left_text(ctx, entry.day),
        step=step_text(ctx, entry.year, m),
        form=form.name,
        form_attachment=form.attachment,
        form_clause=form.clause,
        case=case.name,
        case_attachment=case.attachment,
        case_clause=case.clause,
        unit=profile_flow.unit_name(profile),
        label_set=texts.SET_BY_ORGANIZERS,
        note=f"\n说明：{entry.note}" if entry.note else "",
    )
    subject = texts.MAIL_SUBJECT_REMINDER.format(
        label=m.label, day=day_text(entry.day), left=left_text(ctx, entry.day)
    )
    return Reply(text=text, subject=subject, buttons=[[check_button(), unsubscribe_button()]])


def published_reply(ctx: Context, year: int) -> Reply | None:
    dates = year_dates(ctx, year)
    if dates is None or ctx.year_calendar(year) is None:
        return None
    lines = "\n".join(dated_line(ctx, year, d) for d in dates if d.day is not None)
    text = texts.REMINDER_PUBLISHED.format(
        year=year, label_set=texts.SET_BY_ORGANIZERS, lines=lines
    )
    return Reply(
        text=text,
        subject=texts.MAIL_SUBJECT_NOTICE.format(year=year),
        buttons=[[deadlines_button(texts.BTN_ICS, "ics"), unsubscribe_button()]],
    )


def moved_reply(ctx: Context, entry: CalendarDate) -> Reply:
    m = notice_milestone(ctx.kb, entry.milestone)
    text = texts.REMINDER_MOVED.format(
        year=entry.year,
        label=m.label,
        day=day_text(entry.day),
        left=left_text(ctx, entry.day),
        label_set=texts.SET_BY_ORGANIZERS,
    )
    return Reply(
        text=text,
        subject=texts.MAIL_SUBJECT_MOVED.format(label=m.label, day=day_text(entry.day)),
        buttons=[[deadlines_button(texts.BTN_ICS, "ics"), unsubscribe_button()]],
    )


def _on_sub(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    return subscribe(ctx, turn) if not arg else None


def _on_unsub(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    return stop_reminders(ctx, turn) if not arg else None


def _on_ics(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    return ics(ctx, turn) if not arg else None


_VIEW = ("view",)
_TABLE = StepTable(
    steps=(Step("view", "今年的节点、剩余天数、要做的事（没有待答的步骤）"),),
    anywhere={
        "sub": Edge(_on_sub, _VIEW, "订阅提醒；未填企业信息时转 /profile 一次"),
        "unsub": Edge(_on_unsub, _VIEW, "取消提醒"),
        "offs": Edge(_on_offsets, _VIEW, "调整提醒时间 d:offs[:30-7-1]"),
        "ics": Edge(_on_ics, _VIEW, "下载日历(.ics)"),
    },
    entry="/deadlines · 菜单“日程与提醒”",
)

FLOW = Flow(
    name=FLOW_NAME,
    code=CODE,
    command="deadlines",
    description=texts.CMD_DEADLINES,
    table=lambda ctx: _TABLE,
    start=start,
    screen=lambda ctx, turn: None,
    diagram="deadlines.mmd",
    resume_label=lambda ctx, turn: texts.MENU_CALENDAR,
)

# Commands besides the flow's own: name -> handler(ctx, turn, args).
ACTIONS = {"remind": remind, "stop_reminders": stop_reminders, "ics": ics}
ADMIN_ACTIONS = {"calendar_set": calendar_set}
