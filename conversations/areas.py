"""Focus-area suggestion (领域推荐) — placeholder until its issue lands."""

from __future__ import annotations

from conversations import texts
from conversations.core import ChatState, Context, Flow, Outcome
from conversations.menu import menu_reply


def start(ctx: Context, state: ChatState) -> Outcome:
    return Outcome(state=state.at("menu"), replies=[menu_reply(texts.COMING_SOON.format(label=texts.MENU_AREA))])


def on_callback(ctx: Context, state: ChatState, cb: object) -> Outcome:
    return start(ctx, state)


def on_text(ctx: Context, state: ChatState, text: str) -> Outcome | None:
    return None


FLOW = Flow(
    name="area", code="a", label=texts.MENU_AREA, command="area", description="领域推荐（十个重点领域）",
    start=start, on_callback=on_callback, on_text=on_text,
)
