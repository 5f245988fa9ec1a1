"""邮件提醒: reminders and organizers' notices by e-mail, from any channel (/email, the button
in 日程与提醒).

Step ``address``: the person types an address; a valid one gets a confirmation mail
(``RequestMail``: double opt-in, the store sends nothing else there until its link is used), an
invalid one a short reason. An address already receiving this year's reminders, or one a
confirmation went to a moment ago, changes nothing. The offsets are chosen after confirming
(on the page the link opens) and can be changed from every mail. Where no mail server is set up
the flow says so instead of taking an address that would never get mail (in the console chat,
the developer's, mail is written to the log and the flow says that too).
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from conversations import texts
from conversations.callbacks import encode
from conversations.campaign import reminder_year
from conversations.core import Button, Context, Outcome, Reply, RequestMail, StopMail, Turn
from conversations.menu import back_button
from conversations.steps import LEAVE, Edge, Flow, Step, StepTable

CODE = "y"  # e is the eligibility check, m the menu (y: 邮 yóu)
FLOW_NAME = "mail"
MAX_ADDRESS = 254  # RFC 5321's limit on a forward path


def _button(label: str, action: str, arg: str | int = "") -> Button:
    return Button(label=label, data=encode(CODE, action, arg))


def offered(ctx: Context, turn: Turn) -> bool:
    """Is e-mail offered on this channel? (Never an address that would get no mail.)"""
    return ctx.mail == "smtp" or (ctx.mail == "log" and turn.actor.channel == "console")


def normalized(text: str) -> str:
    """The address as typed, checked (syntax only: no DNS lookup in a turn); raises
    ValueError with the reason in Chinese."""
    typed = text.strip().strip("<>《》“”\"' ").replace("＠", "@").replace("。", ".")
    if len(typed) > MAX_ADDRESS:
        raise ValueError(texts.MAIL_WHY_TOO_LONG)
    try:
        checked = validate_email(typed, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(texts.MAIL_WHY_FORMAT) from exc
    return checked.normalized


def _addresses(turn: Turn) -> list[dict]:
    if turn.records is None:
        return []
    return turn.records.mail_addresses(turn.actor.person_id)


def _ask_reply(ctx: Context, turn: Turn) -> Reply:
    text = texts.MAIL_ASK.format(year=reminder_year(ctx, turn.profile))
    if ctx.mail == "log":
        text += texts.MAIL_ASK_LOG
    rows: list[list[Button]] = []
    lines = ""
    for found in _addresses(turn):
        if found["years"] and found["active"]:
            years = "、".join(str(y) for y in found["years"])
            state = texts.MAIL_STATE_ON.format(years=years)
            label = texts.BTN_MAIL_STOP.format(address=found["address"])
            rows.append([_button(label, "stop", found["id"])])
        else:
            state = texts.MAIL_STATE_UNCONFIRMED if not found["verified"] else texts.MAIL_STATE_OFF
        lines += texts.MAIL_CURRENT_LINE.format(address=found["address"], state=state)
    if lines:
        text = texts.MAIL_CURRENT.format(lines=lines) + "\n\n" + text
    return Reply(text=text, buttons=[*rows, back_button()])


def start(ctx: Context, turn: Turn) -> Outcome:
    if not offered(ctx, turn):
        reply = Reply(text=texts.MAIL_NOT_SET_UP, buttons=[back_button()])
        return Outcome(state=turn.state, replies=[reply], kind="mail_not_set_up")
    state = turn.state.pause().dropped(FLOW_NAME).at(FLOW_NAME, "address")
    return Outcome(state=state, replies=[_ask_reply(ctx, turn)], kind="mail_ask")


def screen(ctx: Context, turn: Turn) -> Reply | None:
    if turn.state.flow == FLOW_NAME and turn.state.step == "address":
        return _ask_reply(ctx, turn)
    return None


# ---- handlers --------------------------------------------------------------------------------


def _on_address(ctx: Context, turn: Turn, text: str) -> Outcome | None:
    typed_address = "@" in text or "＠" in text
    if not typed_address and turn.reading is not None and turn.reading.is_question:
        return None  # a question mid-way: the router answers it, the step waits
    try:
        address = normalized(text)
    except ValueError as exc:
        shown = text.strip()[:60]
        reply = Reply(
            text=texts.MAIL_BAD_ADDRESS.format(text=shown, why=exc), buttons=[back_button()]
        )
        return Outcome(state=turn.state, replies=[reply], kind="mail_bad_address")
    year = reminder_year(ctx, turn.profile)
    known = None
    if turn.records is not None:
        known = turn.records.mail_status(turn.actor.person_id, address, year)
    done = turn.state.at("menu")
    if known == "subscribed":
        reply = Reply(text=texts.MAIL_ALREADY.format(address=address, year=year))
        return Outcome(state=done, replies=[reply], kind="mail_already")
    if known == "pending":
        reply = Reply(text=texts.MAIL_PENDING.format(address=address))
        return Outcome(state=done, replies=[reply], kind="mail_pending")
    text_out = texts.MAIL_QUEUED.format(address=address)
    if ctx.mail == "log":
        text_out += texts.MAIL_QUEUED_LOG
    effect = RequestMail(person_id=turn.actor.person_id, address=address, year=year)
    reply = Reply(text=text_out, buttons=[back_button()])
    return Outcome(state=done, replies=[reply], effects=[effect], kind="mail_queued")


def _on_stop(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    if not arg.isdigit():
        return None
    found = next((a for a in _addresses(turn) if a["id"] == int(arg)), None)
    if found is None:
        return None  # not this person's address: a stale or forged button
    if not (found["years"] and found["active"]):
        reply = Reply(text=texts.MAIL_NOTHING_TO_STOP.format(address=found["address"]))
        return Outcome(state=turn.state, replies=[reply])
    effect = StopMail(person_id=turn.actor.person_id, destination_id=found["id"])
    reply = Reply(text=texts.MAIL_STOPPED.format(address=found["address"]), buttons=[back_button()])
    return Outcome(state=turn.state.at("menu"), replies=[reply], effects=[effect])


_TABLE = StepTable(
    steps=(
        Step(
            "address",
            "接收提醒的邮箱地址",
            text=Edge(_on_address, (LEAVE, "address"), "邮箱地址 → 确认邮件"),
        ),
    ),
    anywhere={"stop": Edge(_on_stop, (LEAVE,), "停止发到某个邮箱 y:stop:<id>")},
    entry="/email · 日程与提醒里的“用邮件接收提醒”",
)

FLOW = Flow(
    name=FLOW_NAME,
    code=CODE,
    command="email",
    description=texts.CMD_EMAIL,
    table=lambda ctx: _TABLE,
    start=start,
    screen=screen,
    diagram="mail.mmd",
    resume_label=lambda ctx, turn: texts.MAIL_RESUME,
)
