"""Free-text questions answered from the notice's FAQ (常见问题)."""

from __future__ import annotations

from dataclasses import dataclass

from conversations import texts
from conversations.callbacks import encode
from conversations.core import Button, ChatState, Context, Flow, Outcome, RecordUnanswered, Reply
from conversations.menu import back_button, contacts_line, menu_reply

CODE = "f"


@dataclass(frozen=True)
class Answer:
    """The reply to one question and what it was based on (for ``biaogan ask --jsonl``)."""

    reply: Reply
    entry: str | None
    clause: str | None
    score: float
    answered: bool


def answer(ctx: Context, text: str) -> Answer:
    """Answer free text: the best FAQ entry, or an honest 'the notice does not say'."""
    from knowledge.faq import FaqMatcher  # noqa: PLC0415 — placeholder until the matcher lands

    matcher: FaqMatcher = ctx.service("faq", FaqMatcher)
    match = matcher.best(text)
    if match is None:
        names, phones = contacts_line(ctx)
        reply = menu_reply(texts.FAQ_NOT_IN_NOTICE.format(names=names, phones=phones))
        return Answer(reply=reply, entry=None, clause=None, score=0.0, answered=False)
    entry = match.entry
    body = entry.answer + texts.FAQ_CITE.format(clause=entry.clause)
    return Answer(Reply(text=body, buttons=[back_button()]), entry.id, entry.clause, match.score, True)


def answer_outcome(ctx: Context, state: ChatState, text: str) -> Outcome:
    result = answer(ctx, text)
    effects = [] if result.answered else [RecordUnanswered(text=text)]
    return Outcome(state=state, replies=[result.reply], effects=effects)


def start(ctx: Context, state: ChatState) -> Outcome:
    buttons = [[Button(label=e.questions[0], data=encode(CODE, "q", e.id))] for e in ctx.kb.faq[:8]]
    return Outcome(state=state.at("faq"), replies=[Reply(text=texts.FAQ_PROMPT, buttons=[*buttons, back_button()])])


def on_callback(ctx: Context, state: ChatState, cb) -> Outcome:
    entry = next((e for e in ctx.kb.faq if e.id == cb.arg), None)
    if cb.action != "q" or entry is None:
        return Outcome(state=state, replies=[menu_reply(texts.CALLBACK_STALE)])
    body = entry.answer + texts.FAQ_CITE.format(clause=entry.clause)
    return Outcome(state=state, replies=[Reply(text=body, buttons=[back_button()])])


def on_text(ctx: Context, state: ChatState, text: str) -> Outcome | None:
    return None  # free text in the FAQ flow is handled as a question by the router


FLOW = Flow(
    name="faq", code=CODE, label=texts.MENU_FAQ, command="faq", description="常见问题",
    start=start, on_callback=on_callback, on_text=on_text,
)
