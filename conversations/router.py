"""One entry point for every event: ``handle(ctx, turn, event) -> Outcome``.

Commands and menu buttons open flows; a button goes to its flow's step table, which says whether
the current step accepts it (else one polite "stale" reply); a text is read once (``reading``)
and goes to navigation, help, the pending step, or the FAQ. A flow left for the menu, help or
another flow is paused, not lost; a question answered mid-flow ends with a button back to the
pending step. Nothing here knows about Telegram or SQLite.
"""

from __future__ import annotations

import logging

from conversations import contact_replies as contact
from conversations import forwarding, menu, own_dates, reading, texts
from conversations.callbacks import CallbackError, parse
from conversations.commands import (
    ACTIONS,
    ADMIN_ACTIONS,
    ALIASES,
    FLOWS,
    FLOWS_BY_CODE,
    MAX_TEXT,
    commands_help,
)
from conversations.core import (
    Basis,
    CallbackEvent,
    CommandEvent,
    Context,
    DocumentEvent,
    Event,
    OtherEvent,
    Outcome,
    Reply,
    TextEvent,
    Turn,
)
from conversations.flows import (
    areas,
    files,
    organizers,
    privacy,
)
from conversations.menu import MENU_CODE, menu_reply
from conversations.steps import Flow

log = logging.getLogger(__name__)


def handle(ctx: Context, turn: Turn, event: Event) -> Outcome:
    """Handle one user event (the enterprise's own organizer named first: ``with_cards``)."""
    return contact.with_cards(ctx, turn.profile, _handle(ctx, turn, event))


def _handle(ctx: Context, turn: Turn, event: Event) -> Outcome:
    match event:
        case CommandEvent():
            return _on_command(ctx, turn, event.name.lower(), event.args.strip())
        case CallbackEvent():
            return _on_callback(ctx, turn, event.data)
        case TextEvent():
            return _on_text(ctx, turn, event.text)
        case OtherEvent():
            return _with_place(ctx, turn, menu_reply(texts.NON_TEXT))
        case DocumentEvent():  # an uploaded case draft: the area flow's, or a detour
            return areas.on_document(ctx, turn, event, lambda r: _with_place(ctx, turn, r))
    raise TypeError(f"unknown event {event!r}")


# ---- the user's place ------------------------------------------------------------------------


def current_flow(turn: Turn) -> Flow | None:
    """The flow on screen with a step pending, if any."""
    flow = FLOWS.get(turn.state.flow)
    return flow if flow is not None and turn.state.step else None


def resume_buttons(ctx: Context, turn: Turn) -> list[list]:
    """A button back to every half-done flow (the one on screen, and paused ones)."""
    rows = []
    for name in [turn.state.flow, *turn.state.paused]:
        flow = FLOWS.get(name)
        if flow is None or (name == turn.state.flow and not turn.state.step):
            continue
        if flow.organizers_only and not turn.actor.is_organizer:
            continue
        probe = turn if name == turn.state.flow else turn.moved(turn.state.resumed(name))
        rows.append([menu.resume_button(flow.resume_label(ctx, probe), name)])
    return rows


def _with_place(ctx: Context, turn: Turn, reply: Reply, *, detour: bool = True) -> Outcome:
    """``reply`` with the way back to the pending step; the flow stays where it was."""
    back = resume_buttons(ctx, turn)
    if not back:
        return Outcome(state=turn.state, replies=[reply])
    rows = [*back, *[row for row in reply.buttons if not _same_target(row, back)]]
    state = turn.state.model_copy(update={"detour": detour and current_flow(turn) is not None})
    return Outcome(state=state, replies=[reply.model_copy(update={"buttons": rows})])


def _same_target(row: list, back: list[list]) -> bool:
    return any(b.data == r.data for r in row for line in back for b in line)


def _to_menu(ctx: Context, turn: Turn, text: str = texts.MENU_PROMPT) -> Outcome:
    """The menu; a half-done flow is paused, and offered back."""
    paused = turn.moved(turn.state.pause())
    return _with_place(ctx, paused, menu_reply(text), detour=False)


# ---- commands and menu targets --------------------------------------------------------------


def open_target(ctx: Context, turn: Turn, target: str) -> Outcome | None:
    """Open a menu entry or flow by name (menu button, command, or deep link)."""
    target = ALIASES.get(target, target)
    if target in ACTIONS:
        return ACTIONS[target](ctx, turn, "")
    if target in FLOWS:
        return FLOWS[target].start(ctx, turn)
    if target == "menu":
        return _to_menu(ctx, turn)
    if target == "privacy":
        return _with_place(ctx, turn, privacy.privacy_reply(ctx, turn.actor.channel))
    if target == "contact":
        return _with_place(ctx, turn, contact.contact_reply(ctx, turn.profile))
    if (reply := menu.info_reply(ctx, target)) is not None:
        return _with_place(ctx, turn, reply)
    return None


def _on_command(ctx: Context, turn: Turn, name: str, args: str) -> Outcome:
    if name == "start" and args.startswith(organizers.INVITE_PREFIX):
        return organizers.use_invite(ctx, turn, args)
    if organizers.handles(name):
        return organizers.command(ctx, turn, name, args)
    if name == "start":
        if args and (opened := open_target(ctx, turn, args.lower())):
            return opened
        return _to_menu(ctx, turn, menu.greeting(ctx))
    if name == "help":
        return _with_place(ctx, turn, menu.help_reply(ctx, commands_help()))
    if name == "cancel":
        return _cancel(ctx, turn)
    for flow in FLOWS.values():
        if flow.command == name:
            return flow.start(ctx, turn)
    if name in ACTIONS:
        return ACTIONS[name](ctx, turn, args)
    if name in ADMIN_ACTIONS:
        return ADMIN_ACTIONS[name](ctx, turn, args)
    if opened := open_target(ctx, turn, name):
        return opened
    return _with_place(ctx, turn, menu_reply(texts.NOT_UNDERSTOOD))


def _cancel(ctx: Context, turn: Turn) -> Outcome:
    """取消 / /cancel: a half-done flow is discarded only after a confirmation."""
    flow = current_flow(turn)
    if flow is None:
        return _to_menu(ctx, turn, texts.CANCELLED)
    return Outcome(state=turn.state, replies=[menu.discard_question(ctx, flow.name)])


def _on_menu_button(ctx: Context, turn: Turn, action: str, arg: str) -> Outcome | None:
    if action == "open":
        return open_target(ctx, turn, arg)
    if action == "resume" and arg in FLOWS:
        return resume(ctx, turn, arg)
    if action == contact.CITY_ACTION and (chosen := contact.city_chosen(ctx, turn.profile, arg)):
        return _with_place(ctx, turn, chosen[0]).model_copy(update={"effects": [chosen[1]]})
    if action == "discard" and arg in FLOWS:
        state = turn.state.dropped(arg)
        if state.flow == arg:
            state = state.at("menu")
        return _to_menu(ctx, turn.moved(state), texts.CANCELLED)
    return None


def resume(ctx: Context, turn: Turn, name: str) -> Outcome | None:
    """继续: the flow's pending step on screen again."""
    state = turn.state
    if state.flow == name and state.step:
        state = state.model_copy(update={"detour": False})
    elif name in state.paused:
        state = state.resumed(name)
    else:
        return None
    moved = turn.moved(state)
    reply = FLOWS[name].screen(ctx, moved)
    return Outcome(state=state, replies=[reply]) if reply is not None else None


# ---- buttons ---------------------------------------------------------------------------------


def _on_callback(ctx: Context, turn: Turn, data: str) -> Outcome:
    try:
        cb = parse(data)
    except CallbackError as exc:
        log.warning("rejected callback data: %s", exc)
        return stale(ctx, turn)
    outcome: Outcome | None = None
    if cb.flow == MENU_CODE:
        outcome = _on_menu_button(ctx, turn, cb.action, cb.arg)
    elif (flow := FLOWS_BY_CODE.get(cb.flow)) is not None:
        table = flow.table(ctx)
        if turn.state.flow == flow.name:
            edge = table.button(turn.state.step, cb.action)
        else:
            edge = table.anywhere.get(cb.action)
        if edge is not None:
            outcome = edge.handler(ctx, turn, cb.arg)
    if outcome is None:
        log.info("stale or unknown button %r at %s/%s", data, turn.state.flow, turn.state.step)
        return stale(ctx, turn)
    return outcome


def stale(ctx: Context, turn: Turn) -> Outcome:
    """A button that is not for the current screen: say so, show where we are, change nothing."""
    flow = current_flow(turn)
    screen = flow.screen(ctx, turn) if flow is not None else None
    if screen is None:
        return _with_place(ctx, turn, menu_reply(texts.CALLBACK_STALE))
    text = f"{texts.CALLBACK_STALE_HERE}\n\n{screen.text}"
    state = turn.state.model_copy(update={"detour": False})
    return Outcome(state=state, replies=[screen.model_copy(update={"text": text})])


# ---- text ------------------------------------------------------------------------------------


def _on_text(ctx: Context, turn: Turn, raw: str) -> Outcome:
    text = clean_text(raw)
    if not text:
        return _with_place(ctx, turn, menu_reply(texts.EMPTY_MESSAGE))
    if len(text) > MAX_TEXT:
        return _long_text(ctx, turn, text)
    if (verbatim := _verbatim_step(ctx, turn)) is not None:
        outcome = verbatim.handler(ctx, turn, text)
        if outcome is not None:
            return outcome
    read = reading.Reading(ctx, text)
    turn = Turn(turn.actor, turn.state, turn.profile, read, turn.records)
    kind = read.intent.kind
    if kind == "navigation":
        return _kind(_navigate(ctx, turn, read.intent.sub), "menu")
    if kind == "help":
        return _kind(_with_place(ctx, turn, menu.help_reply(ctx, commands_help())), "help")
    if kind == "human":
        reply = contact.contact_reply(ctx, turn.profile, human=True)
        return _kind(_with_place(ctx, turn, reply), "contact")
    if kind == "apply":
        return _kind(_with_place(ctx, turn, menu.apply_reply(ctx)), "apply")
    if kind == "open" and read.intent.sub is not None:
        return _kind(open_feature(ctx, turn, read.intent.sub), "feature")
    flow = current_flow(turn)
    if flow is not None:
        step = flow.table(ctx).step(turn.state.step)
        bare = kind in ("yes", "no")
        if step is not None and step.text is not None and not (bare and turn.state.detour):
            outcome = step.text.handler(ctx, turn, text)
            if outcome is not None:
                return outcome
    if kind in ("yes", "no"):
        return _kind(_with_place(ctx, turn, menu_reply(texts.BARE_YES_NO)), "bare_yes_no")
    return _question(ctx, turn, read)


def open_feature(ctx: Context, turn: Turn, sub: str) -> Outcome:
    """A feature asked for in words ("提醒我", "我的数据", "继续自测"): opened as its button or
    command would open it; "继续" resumes the flow left half-done."""
    if sub == "resume":
        return _resume_any(ctx, turn)
    if sub in ("resume_check", "resume_area"):
        name = sub.removeprefix("resume_")
        return resume(ctx, turn, name) or FLOWS[name].start(ctx, turn)
    if sub in ACTIONS:
        return ACTIONS[sub](ctx, turn, "")
    if sub == "language":
        return _with_place(ctx, turn, menu_reply(texts.LANGUAGE_REPLY))
    if (opened := open_target(ctx, turn, sub)) is not None:
        return opened
    return _to_menu(ctx, turn)


def _resume_any(ctx: Context, turn: Turn) -> Outcome:
    """继续: the flow on screen (after a detour), else the flow paused last."""
    flow = current_flow(turn)
    names = ([flow.name] if flow is not None else []) + list(reversed(turn.state.paused))
    for name in names:
        if (outcome := resume(ctx, turn, name)) is not None:
            return outcome
    return _with_place(ctx, turn, menu_reply(texts.NOTHING_TO_RESUME))


def _long_text(ctx: Context, turn: Turn, text: str) -> Outcome:
    """Over MAX_TEXT: the step's that takes long texts (a draft) if it fits; else refused."""
    flow = current_flow(turn)
    step = flow.table(ctx).step(turn.state.step) if flow is not None else None
    limit = step.max_text if step is not None and step.text is not None else 0
    if len(text) <= limit and (outcome := step.text.handler(ctx, turn, text)):  # type: ignore[union-attr]
        return outcome
    refused = texts.DRAFT_TOO_LONG.format(length=len(text), limit=limit) if limit else (
        texts.TOO_LONG.format(length=len(text), limit=MAX_TEXT) + "\n"
        + texts.TOO_LONG_DRAFT_HINT.format(draft=areas.DRAFT_MAX_CHARS)
    )  # fmt: skip
    return _with_place(ctx, turn, Reply(text=refused))


def _verbatim_step(ctx: Context, turn: Turn):
    """The pending step's text edge when it takes text as it is (a notice being composed)."""
    flow = current_flow(turn)
    step = flow.table(ctx).step(turn.state.step) if flow is not None else None
    return step.text if step is not None and step.verbatim else None


def _kind(outcome: Outcome, kind: str) -> Outcome:
    outcome.kind = kind
    return outcome


def _navigate(ctx: Context, turn: Turn, sub: str) -> Outcome:
    if sub == "cancel":
        return _cancel(ctx, turn)
    flow = current_flow(turn)
    if sub == "restart" and flow is not None:
        return Outcome(state=turn.state, replies=[menu.discard_question(ctx, flow.name)])
    if sub == "back" and flow is not None:
        step = flow.table(ctx).button(turn.state.step, "back")
        if step is not None and (outcome := step.handler(ctx, turn, turn.state.step)):
            return outcome
    return _to_menu(ctx, turn)


def _question(ctx: Context, turn: Turn, read: reading.Reading) -> Outcome:
    """Free text as a question: the FAQ's answer, with the way back to a pending step."""
    # Declined by the notice: an answer its organizers published, or the 转给本市组织单位 button.
    answer, effects = forwarding.on_question(ctx, turn, read.text, read.answer)
    answer = own_dates.answer_with_own_dates(ctx, turn.profile, read.text, answer)
    reply = files.with_downloads(ctx, turn, answer.reply)  # a published 申报表, if any
    outcome = _kind(_with_place(ctx, turn, reply), answer.kind)
    outcome.basis = Basis(entry=answer.entry, clause=answer.clause, score=answer.score)
    outcome.effects += effects
    return outcome


def clean_text(text: str) -> str:
    """Drop control characters and surrounding whitespace."""
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t").strip()
