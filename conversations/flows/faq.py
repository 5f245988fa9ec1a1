"""The 常见问题 flow (see ``faq.mmd``): the common questions as buttons, each answered in the
notice's wording with its clause (or the dates organizers set, labelled as theirs).

A typed question is answered by ``conversations.answering`` (the router reads every text once,
wherever the chat is); this module is the dialog around it.
"""

from __future__ import annotations

from conversations import texts
from conversations.answering import entry_text
from conversations.calendar import deadlines_buttons, set_dates_text
from conversations.callbacks import encode
from conversations.core import Button, Context, Outcome, Reply, Turn
from conversations.flows.files import with_downloads
from conversations.menu import back_button
from conversations.own_dates import with_own_dates
from conversations.steps import Edge, Flow, Step, StepTable
from knowledge.calendar import FAQ_MILESTONES

CODE = "f"

# Entries offered as buttons when the user opens 常见问题.
COMMON_ENTRIES = (
    "fee",
    "deadline_submit",
    "materials",
    "conditions_all",
    "quota_per_unit",
    "review",
    "benefit",
    "contact",
)

# ---- the 常见问题 flow ------------------------------------------------------------------------


def start(ctx: Context, turn: Turn) -> Outcome:
    by_id = {e.id: e for e in ctx.kb.faq}
    common = [by_id[i] for i in COMMON_ENTRIES if i in by_id]
    buttons = [[Button(label=e.questions[0], data=encode(CODE, "q", e.id))] for e in common]
    reply = Reply(text=texts.FAQ_PROMPT, buttons=[*buttons, back_button()])
    return Outcome(state=turn.state.pause().at("faq"), replies=[reply])


def _entry_button(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    entry = next((e for e in ctx.kb.faq if e.id == arg), None)
    if entry is None:
        return None
    milestones = FAQ_MILESTONES.get(entry.id)
    if milestones and (dates := set_dates_text(ctx, ctx.this_year(), milestones)) is not None:
        reply = Reply(text=dates, buttons=deadlines_buttons())
    else:
        reply = with_downloads(
            ctx, turn, Reply(text=entry_text(ctx, entry), buttons=[back_button()])
        )
    return Outcome(state=turn.state, replies=[with_own_dates(ctx, turn.profile, entry.id, reply)])


_TABLE = StepTable(
    steps=(Step("ask", "常见问题：输入问题，或点选一个常见问题"),),
    anywhere={"q": Edge(_entry_button, ("ask",), "常见问题按钮 f:q:<entry>")},
    entry="/faq · 菜单“常见问题” · /start faq",
)

FLOW = Flow(
    name="faq",
    code=CODE,
    command="faq",
    description="常见问题",
    table=lambda ctx: _TABLE,
    start=start,
    screen=lambda ctx, turn: None,
    diagram="faq.mmd",
    resume_label=lambda ctx, turn: texts.MENU_FAQ,
)
