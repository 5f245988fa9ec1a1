"""Eligibility self-check (资格自测) — placeholder until its issue lands."""

from __future__ import annotations

from conversations import texts
from conversations.core import ChatState, Context, Flow, Outcome
from conversations.menu import menu_reply


def start(ctx: Context, state: ChatState) -> Outcome:
    return Outcome(state=state.at("menu"), replies=[menu_reply(texts.COMING_SOON.format(label=texts.MENU_CHECK))])


def on_callback(ctx: Context, state: ChatState, cb: object) -> Outcome:
    return start(ctx, state)


def on_text(ctx: Context, state: ChatState, text: str) -> Outcome | None:
    return None


FLOW = Flow(
    name="check", code="e", label=texts.MENU_CHECK, command="check", description="资格自测（六项基本条件）",
    start=start, on_callback=on_callback, on_text=on_text,
)
