"""日程与提醒: this year's milestones with days left, subscribing to reminders, the .ics file,
and the organizers' /calendar_set. Also the texts of the reminders the sweep sends.

An enterprise sees its own organizers' dates first (its city's, its association's, from its
profile), each labelled with who set them, then the province's; never another city's. The
province (admins, province organizers) sets the notice's five milestones for a year, and any
scope's; a city or association organizer its own (报送截止, 预审, 培训会) only.

Not a dialog with steps: every button is accepted anywhere (``anywhere`` edges). A year
without an organizer-set calendar shows 2016's dates as 2016's, says the notice gives no later
dates and gives the contacts; subscribing then waits for the calendar's publication.
"""

from __future__ import annotations

from conversations import scopes, texts
from conversations.calendar import (
    DEADLINES_CODE,
    OFFSET_PRESETS,
    PROVINCE,
    CalendarInputError,
    dated_line,
    day_text,
    deadlines_button,
    deadlines_buttons,
    ics_bytes,
    local_calendars,
    local_section,
    milestone_label,
    offsets_text,
    parse_milestone,
    parse_offsets,
    parse_scope_arg,
    parse_setting,
    parse_year,
    set_by,
    unsubscribe_button,
    usage,
    year_dates,
)
from conversations.campaign import reminder_year
from conversations.core import (
    Attachment,
    Button,
    Context,
    Outcome,
    Profile,
    RemoveCalendarDate,
    Reply,
    SetCalendarDate,
    Subscribe,
    Turn,
    Unsubscribe,
    UpdateProfile,
)
from conversations.flows import profile as profile_flow
from conversations.flows.reminder_replies import (
    check_button,
    moved_reply,
    published_reply,
    reminder_reply,
    set_reply,
)
from conversations.menu import back_button, contacts, open_button
from conversations.steps import Edge, Flow, Step, StepTable

__all__ = ["check_button", "moved_reply", "published_reply", "reminder_reply", "set_reply"]

CODE = DEADLINES_CODE
FLOW_NAME = "deadlines"


# ---- the view --------------------------------------------------------------------------------


def notice_lines(ctx: Context) -> list[str]:
    """The notice's own calendar, always as 2016's (what the menu showed before)."""
    return [f"• {m.when}：{m.who}{m.what}（见通知{m.clause}）" for m in ctx.kb.programme.calendar]


def deadlines_text(ctx: Context, year: int | None = None, profile: Profile | None = None) -> str:
    """The year's dates: the enterprise's own organizers' first (from ``profile``), then the
    province's (or, with none set, 2016's as 2016's)."""
    year = ctx.this_year() if year is None else year
    own = [] if profile is None else local_calendars(ctx, year, profile.city, profile.association)
    lines = [line for calendar in own for line in local_section(ctx, calendar)]
    return "\n".join([*lines, province_text(ctx, year)])


def province_text(ctx: Context, year: int) -> str:
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


def deadlines_reply(ctx: Context, profile: Profile | None = None) -> Reply:
    """The year's dates; an enterprise whose city (or association) is not known is offered
    one tap on its city, for its own organizer's dates (none are guessed)."""
    buttons = deadlines_buttons()
    if profile is not None and len(scopes.scopes_of(profile.city, profile.association)) == 1:
        buttons = [[deadlines_button(texts.DEADLINES_CITY_BUTTON, "cities")], *buttons]
    return Reply(text=deadlines_text(ctx, profile=profile), buttons=buttons)


def _on_cities(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    """The 13 cities, one tap each (d:city:<n>)."""
    rows = scopes.city_rows(CODE, "city")
    reply = Reply(text=texts.DEADLINES_ASK_CITY, buttons=[*rows, back_button()])
    return Outcome(state=turn.state, replies=[reply])


def _on_city(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    """A city tapped: kept in the profile, and the year's dates with that city's own first."""
    if not arg.isdigit() or int(arg) >= len(scopes.CITIES):
        return None  # forged: the router's stale-button reply
    city = scopes.CITIES[int(arg)]
    shown = deadlines_reply(ctx, turn.profile.model_copy(update={"city": city}))
    text = texts.CONTACT_CITY_SAVED.format(city=city) + "\n\n" + shown.text
    reply = shown.model_copy(update={"text": text})
    return Outcome(state=turn.state, replies=[reply], effects=[UpdateProfile(city=city)])


def start(ctx: Context, turn: Turn) -> Outcome:
    reply = deadlines_reply(ctx, turn.profile)
    return Outcome(state=turn.state, replies=[reply], kind="deadlines")


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
    year = reminder_year(ctx, turn.profile)
    shown = offsets or list(OFFSET_PRESETS[0])
    own = local_calendars(ctx, year, turn.profile.city, turn.profile.association)
    if ctx.year_calendar(year) is None and not own:
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
    year = reminder_year(ctx, turn.profile)
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
    file = calendar_file(ctx, year, turn.profile)
    if file is None:
        reply = Reply(text=texts.ICS_NONE.format(year=year), buttons=deadlines_buttons())
        return Outcome(state=turn.state, replies=[reply], kind="ics_none")
    own = local_calendars(ctx, year, turn.profile.city, turn.profile.association)
    label = "；".join(set_by(c.scope, ctx) for c in own)
    if ctx.year_calendar(year) is not None or not own:
        label = "；".join([*([label] if label else []), texts.SET_BY_ORGANIZERS])
    text = texts.ICS_CAPTION.format(year=year, label=label)
    return Outcome(state=turn.state, replies=[Reply(text=text, file=file)], kind="ics")


def calendar_file(ctx: Context, year: int, profile: Profile) -> Attachment | None:
    """The year's .ics for an enterprise: its own organizers' dates, then the province's."""
    own = local_calendars(ctx, year, profile.city, profile.association)
    province = ctx.year_calendar(year)
    calendars = [*own, *([province] if province is not None else [])]
    if not calendars:
        return None
    content = ics_bytes(ctx, *calendars)
    return Attachment(filename=f"biaogan-{year}.ics", mime="text/calendar", content=content)


# ---- the organizers' /calendar_set -----------------------------------------------------------


def calendar_set(ctx: Context, turn: Turn, args: str) -> Outcome:
    """/calendar_set [SCOPE] YEAR MILESTONE DATE [note…] · /calendar_set remove [SCOPE] YEAR
    MILESTONE. A city or association organizer sets its own scope's dates (the scope may be
    left out); the province any scope's. The store checks the person's scope again."""

    def say(text: str, kind: str = "error") -> Outcome:
        return Outcome(state=turn.state, replies=[Reply(text=text)], kind=kind)

    actor = turn.actor
    if not actor.is_organizer or actor.scope is None:
        return say(texts.CALSET_ADMIN_ONLY, "forbidden")
    own = PROVINCE if actor.is_admin else actor.scope
    parts = args.split()
    removing = bool(parts) and parts[0].lower() == "remove"
    parts = parts[1:] if removing else parts
    scope = own
    try:
        if parts and (":" in parts[0] or parts[0].lower() == PROVINCE):  # city:无锡 first
            scope = parse_scope_arg(parts.pop(0))
        if own != PROVINCE and scope != own:
            text = texts.CALSET_NOT_YOUR_SCOPE.format(
                own=scopes.label(own), scope=scopes.label(scope)
            )
            return say(text, "forbidden")
        if removing and len(parts) == 2:
            year, milestone = parse_year(parts[0]), parse_milestone(parts[1], scope)
            return _remove(ctx, turn, year, milestone, scope)
        if removing or len(parts) < 3:
            return say(usage(), "usage")
        note = " ".join(parts[3:]) or None
        entry = parse_setting(parts[0], parts[1], parts[2], note, scope)
    except CalendarInputError as exc:
        return say(f"{exc}\n{usage()}")
    label = milestone_label(ctx, scope, entry.milestone)
    day = day_text(entry.day)
    if scope == PROVINCE:
        text = texts.CALSET_DONE.format(
            year=entry.year, label=label, day=day, label_set=texts.SET_BY_ORGANIZERS
        )
    else:
        text = texts.CALSET_SCOPE_DONE.format(
            scope=scopes.label(scope), year=entry.year, label=label, day=day,
            label_set=set_by(scope, ctx),
        )  # fmt: skip
    return Outcome(
        state=turn.state,
        replies=[Reply(text=text)],
        effects=[SetCalendarDate(by=actor.person_id, entry=entry)],
        kind="calendar_set",
    )


def _remove(ctx: Context, turn: Turn, year: int, milestone: str, scope: str) -> Outcome:
    label = milestone_label(ctx, scope, milestone)
    if scope == PROVINCE:
        found = ctx.year_calendar(year)
    else:
        found = ctx.scope_calendars(year, scope) if ctx.scope_calendars else None
    if found is None or milestone not in found.dates:
        text = texts.CALSET_NOTHING.format(year=year, label=label)
        return Outcome(state=turn.state, replies=[Reply(text=text)], kind="error")
    text = texts.CALSET_REMOVED.format(year=year, label=label)
    effect = RemoveCalendarDate(
        by=turn.actor.person_id, year=year, milestone=milestone, scope=scope
    )
    return Outcome(state=turn.state, replies=[Reply(text=text)], effects=[effect])


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
        "cities": Edge(_on_cities, _VIEW, "不知道企业在哪个市：点选城市 d:cities"),
        "city": Edge(_on_city, _VIEW, "所在城市 d:city:<n>：记入企业信息，本市日期在前"),
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
