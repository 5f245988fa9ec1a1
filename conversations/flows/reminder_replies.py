"""What the reminder sweep (``bot.reminders``) sends: a milestone's reminder, the province's
calendar published, a date set or moved — the province's labelled as 省经信委's, a city's or an
association's own labelled with who set it; never as the notice's."""

from __future__ import annotations

from conversations import texts
from conversations.calendar import (
    PROVINCE,
    dated_line,
    day_text,
    deadlines_button,
    left_text,
    milestone_label,
    set_by,
    setter,
    step_text,
    unsubscribe_button,
    year_dates,
)
from conversations.callbacks import encode
from conversations.core import Button, CalendarDate, Context, Profile, Reply
from conversations.flows import profile as profile_flow
from conversations.menu import MENU_CODE
from knowledge.calendar import milestone as notice_milestone


def check_button() -> Button:
    return Button(label=texts.REMINDER_BTN_CHECK, data=encode(MENU_CODE, "open", "check"))


def reminder_reply(ctx: Context, entry: CalendarDate, profile: Profile) -> Reply:
    """A reminder: what is due, the date, days left, what to prepare, through whom."""
    if entry.scope != PROVINCE:
        return _local_reply(ctx, entry, texts.REMINDER_LOCAL_DUE, texts.MAIL_SUBJECT_REMINDER)
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


def _local_reply(ctx: Context, entry: CalendarDate, wording: str, subject: str) -> Reply:
    """A reminder, a new date or a moved date of a city's or an association's own."""
    label = milestone_label(ctx, entry.scope, entry.milestone)
    values = {
        "who": setter(entry.scope, ctx),
        "year": entry.year,
        "label": label,
        "day": day_text(entry.day),
        "left": left_text(ctx, entry.day),
        "label_set": set_by(entry.scope, ctx),
        "note": f"\n说明：{entry.note}" if entry.note else "",
    }
    buttons = [[deadlines_button(texts.BTN_ICS, "ics"), unsubscribe_button()]]
    if wording == texts.REMINDER_LOCAL_DUE:
        buttons = [[check_button(), unsubscribe_button()]]
    return Reply(text=wording.format(**values), subject=subject.format(**values), buttons=buttons)


def set_reply(ctx: Context, entry: CalendarDate) -> Reply:
    """A city's or an association's new date, told to the subscribers of its scope."""
    return _local_reply(ctx, entry, texts.REMINDER_LOCAL_SET, texts.MAIL_SUBJECT_LOCAL_SET)


def moved_reply(ctx: Context, entry: CalendarDate) -> Reply:
    if entry.scope != PROVINCE:
        label = (
            f"{setter(entry.scope, ctx)}设定的{milestone_label(ctx, entry.scope, entry.milestone)}"
        )
        text = texts.REMINDER_MOVED.format(
            year=entry.year, label=label, day=day_text(entry.day),
            left=left_text(ctx, entry.day), label_set=set_by(entry.scope, ctx),
        )  # fmt: skip
        subject = texts.MAIL_SUBJECT_MOVED.format(label=label, day=day_text(entry.day))
        buttons = [[deadlines_button(texts.BTN_ICS, "ics"), unsubscribe_button()]]
        return Reply(text=text, subject=subject, buttons=buttons)
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
