"""One entry point for every event: ``handle(ctx, state, event) -> Outcome``.

Commands and menu buttons open flows; a button of a flow goes to that flow; free text goes to
the flow that asked for it, else to the FAQ. Nothing here knows about Telegram or SQLite.
"""

from __future__ import annotations

import logging

from conversations import areas, eligibility, faq, texts
from conversations.callbacks import CallbackError, parse
from conversations.core import (
    CallbackEvent,
    ChatState,
    CommandEvent,
    Context,
    Event,
    Flow,
    OtherEvent,
    Outcome,
    Reply,
    TextEvent,
    UpdateProfile,
)
from conversations.menu import MENU_CODE, calendar_reply, contact_reply, menu_reply

log = logging.getLogger(__name__)

MAX_TEXT = 4096  # characters of one message we read (Telegram's own limit)

FLOWS: dict[str, Flow] = {f.name: f for f in (eligibility.FLOW, areas.FLOW, faq.FLOW)}
FLOWS_BY_CODE: dict[str, Flow] = {f.code: f for f in FLOWS.values()}

# Commands a user can type: name -> description (Telegram command list); flows add theirs.
COMMANDS: dict[str, str] = {
    "start": texts.CMD_START,
    "menu": texts.CMD_MENU,
    **{f.command: f.description for f in FLOWS.values()},
    "help": texts.CMD_HELP,
    "cancel": texts.CMD_CANCEL,
}


def commands_help() -> str:
    return " ".join(f"/{name}" for name in COMMANDS)


def handle(ctx: Context, state: ChatState, event: Event) -> Outcome:
    """Handle one user event; profile changes a flow records are folded into the new state."""
    outcome = _dispatch(ctx, state, event)
    for effect in outcome.effects:
        if isinstance(effect, UpdateProfile):
            changes = effect.model_dump(exclude={"kind"}, exclude_none=True)
            profile = outcome.state.profile.model_copy(update=changes)
            outcome.state = outcome.state.model_copy(update={"profile": profile})
    return outcome


def _dispatch(ctx: Context, state: ChatState, event: Event) -> Outcome:
    match event:
        case CommandEvent():
            return _on_command(ctx, state, event.name.lower(), event.args.strip())
        case CallbackEvent():
            return _on_callback(ctx, state, event.data)
        case TextEvent():
            return _on_text(ctx, state, event.text)
        case OtherEvent():
            return Outcome(state=state, replies=[menu_reply(texts.NON_TEXT)])
    raise TypeError(f"unknown event {event!r}")


def open_target(ctx: Context, state: ChatState, target: str) -> Outcome | None:
    """Open a menu entry or flow by name (menu button, command, or deep link)."""
    if target in FLOWS:
        return FLOWS[target].start(ctx, state)
    if target == "menu":
        return Outcome(state=state.at("menu"), replies=[menu_reply()])
    if target == "calendar":
        return Outcome(state=state.at("menu"), replies=[calendar_reply(ctx)])
    if target == "contact":
        return Outcome(state=state.at("menu"), replies=[contact_reply(ctx)])
    return None


def _on_command(ctx: Context, state: ChatState, name: str, args: str) -> Outcome:
    if name == "start":
        if args and (opened := open_target(ctx, state, args.lower())):
            return opened
        return Outcome(state=state.at("menu"), replies=[menu_reply(texts.GREETING)])
    if name == "help":
        return Outcome(
            state=state, replies=[menu_reply(texts.HELP.format(commands=commands_help()))]
        )
    if name == "cancel":
        return Outcome(state=state.at("menu"), replies=[menu_reply(texts.CANCELLED)])
    for flow in FLOWS.values():
        if flow.command == name:
            return flow.start(ctx, state)
    if opened := open_target(ctx, state, name):
        return opened
    return Outcome(state=state, replies=[menu_reply(texts.NOT_UNDERSTOOD)])


def _on_callback(ctx: Context, state: ChatState, data: str) -> Outcome:
    try:
        cb = parse(data)
    except CallbackError as exc:
        log.warning("rejected callback data: %s", exc)
        return Outcome(state=state, replies=[menu_reply(texts.CALLBACK_STALE)])
    if cb.flow == MENU_CODE and cb.action == "open":
        opened = open_target(ctx, state, cb.arg)
        if opened is not None:
            return opened
    elif (flow := FLOWS_BY_CODE.get(cb.flow)) is not None:
        return flow.on_callback(ctx, state, cb)
    log.warning("unknown callback target: %s", data)
    return Outcome(state=state, replies=[menu_reply(texts.CALLBACK_STALE)])


def _on_text(ctx: Context, state: ChatState, text: str) -> Outcome:
    text = clean_text(text)
    if not text:
        return Outcome(state=state, replies=[menu_reply(texts.EMPTY_MESSAGE)])
    if len(text) > MAX_TEXT:
        return Outcome(state=state, replies=[Reply(text=texts.TOO_LONG.format(limit=MAX_TEXT))])
    flow = FLOWS.get(state.flow)
    if flow is not None and (outcome := flow.on_text(ctx, state, text)) is not None:
        return outcome
    return faq.answer_outcome(ctx, state, text)


def clean_text(text: str) -> str:
    """Drop control characters and surrounding whitespace."""
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t").strip()
