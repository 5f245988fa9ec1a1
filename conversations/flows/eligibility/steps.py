"""The self-check's step table: one question per part of 四(二), a summary, the verdict.

Steps: each condition part's key in the notice's order (``c1a c1b c2 c3 c4 c5_years
c5_effective c6``), then ``summary``; confirming records a :class:`RecordCheck` and ends the
flow. State data: the answers (part key -> True / False / None for 不确定, ``c5_years`` a number
or None) and ``_edit`` (changing one answer from the summary), ``_tries`` (unreadable replies at
the years step), ``_years_text`` (the years as given). A button's arg names the step it belongs
to, so a button of an older message is stale.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from conversations import texts
from conversations.core import Context, Outcome, RecordCheck, Reply, Turn
from conversations.flows.eligibility.packing import unpack_answers
from conversations.flows.eligibility.render import (
    EDIT,
    FLOW_NAME,
    SUMMARY,
    TRIES,
    YEAR_BUCKETS,
    YEARS_TEXT,
    _button,
    answers_of,
    current_reply,
    explain_text,
    interview,
    question_buttons,
    question_reply,
    step_of,
    verdict_buttons,
    verdict_summary,
    verdict_text,
)
from conversations.menu import resume_button
from conversations.steps import LEAVE, Edge, Step, StepTable
from knowledge.eligibility import YEARS_KEY, evaluate, parse_years
from knowledge.text import fold

YES_NO_VALUES: dict[str, bool | None] = {"y": True, "n": False, "u": None}
MAX_ECHO = 20  # characters of an unreadable reply quoted back


# ---- entry -------------------------------------------------------------------------------------


def begin(ctx: Context, turn: Turn, arg: str = "") -> Outcome:
    """A fresh check at the first question (a paused one is dropped: asked first by start)."""
    first = interview(ctx.kb)[0]
    intro = texts.CHECK_INTRO.format(total=first.total)
    new = turn.state.pause().dropped(FLOW_NAME).at(FLOW_NAME, first.part.key)
    return Outcome(state=new, replies=[question_reply(first, new.data, prefix=intro)])


def start(ctx: Context, turn: Turn) -> Outcome:
    """/check, menu entry, deep link: a new check, or an offer to resume an unfinished one."""
    state = turn.state
    held = state if state.flow == FLOW_NAME and state.step else None
    if held is None and FLOW_NAME in state.paused:
        held = state.resumed(FLOW_NAME)
    if held is None:
        return begin(ctx, turn)
    question = step_of(ctx.kb, held.step)
    where = texts.CHECK_RESUME_STEP.format(n=question.n) if question else texts.CHECK_RESUME_SUMMARY
    buttons = [
        [
            resume_button(texts.CHECK_BTN_RESUME, FLOW_NAME),
            _button(texts.CHECK_BTN_RESTART, "restart"),
        ]
    ]
    reply = Reply(text=texts.CHECK_RESUME.format(where=where), buttons=buttons)
    return Outcome(state=state, replies=[reply])


def screen(ctx: Context, turn: Turn) -> Reply | None:
    state = turn.state
    if state.flow != FLOW_NAME or not (state.step == SUMMARY or step_of(ctx.kb, state.step)):
        return None
    return current_reply(ctx, state)


def resume_label(ctx: Context, turn: Turn) -> str:
    question = step_of(ctx.kb, turn.state.step)
    if question is None:
        return texts.CHECK_RESUME_LABEL_SUMMARY
    return texts.CHECK_RESUME_LABEL.format(n=question.n, total=question.total)


# ---- moving through the questions ----------------------------------------------------------


def next_key(ctx: Context, key: str) -> str:
    keys = [s.part.key for s in interview(ctx.kb)]
    index = keys.index(key)
    return keys[index + 1] if index + 1 < len(keys) else SUMMARY


def record_answer(
    ctx: Context,
    turn: Turn,
    value: Any,
    *,
    years_text: str | None = None,
    edit: bool = False,
    prefix: str = "",
) -> Outcome:
    """Store the answer to the current question; go to the next one (or back to the summary)."""
    state = turn.state
    changes: dict[str, Any] = {state.step: value, TRIES: 0}
    if state.step == YEARS_KEY:
        changes[YEARS_TEXT] = years_text
    target = SUMMARY if state.data.get(EDIT) else next_key(ctx, state.step)
    if target == SUMMARY:
        changes[EDIT] = False
    new = state.with_data(step=target, **changes)
    return Outcome(state=new, replies=[current_reply(ctx, new, prefix, edit)])


def go_back(ctx: Context, turn: Turn, edit: bool = False) -> Outcome:
    """上一步: the previous question; from a change started on the summary, the summary."""
    state = turn.state
    keys = [s.part.key for s in interview(ctx.kb)]
    if state.step == SUMMARY:
        new = state.with_data(step=keys[-1], **{TRIES: 0})
    elif state.data.get(EDIT):
        new = state.with_data(step=SUMMARY, **{EDIT: False, TRIES: 0})
    elif keys.index(state.step) == 0:
        return Outcome(state=state, replies=[current_reply(ctx, state, texts.CHECK_FIRST_ALREADY)])
    else:
        new = state.with_data(step=keys[keys.index(state.step) - 1], **{TRIES: 0})
    return Outcome(state=new, replies=[current_reply(ctx, new, edit=edit)])


def finish(ctx: Context, turn: Turn) -> Outcome:
    """The verdict, recorded; the flow ends."""
    state = turn.state
    answers = answers_of(state.data)
    result = evaluate(answers)
    text = verdict_summary(ctx.kb, answers, result)
    effect = RecordCheck(  # the parts that fail (c5_years), so reports name no part that holds
        answers=answers,
        verdict=result.verdict,
        failing=result.failing_parts,
        priority=result.priority,
        unsure=result.unsure,
    )
    return Outcome(
        state=state.at("menu"),
        replies=[Reply(text=text, buttons=verdict_buttons(ctx.kb, answers))],
        effects=[effect],
    )


def _on_basis(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    """查看依据: the verdict's basis, from the answers the button carries."""
    answers = unpack_answers(ctx.kb, arg)
    if answers is None:
        return None
    text = verdict_text(ctx.kb, answers, evaluate(answers), calendar=ctx.year_calendar())
    buttons = [row for row in verdict_buttons(ctx.kb, answers)[1:]]
    return Outcome(state=turn.state, replies=[Reply(text=text, buttons=buttons)])


# ---- buttons (the arg names the step the button was shown at) ------------------------------


def _on_answer(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    key, _, code = arg.partition(".")
    question = step_of(ctx.kb, key)
    if question is None or key != turn.state.step:
        return None
    if question.part.kind == "years":
        if code == "u":
            return record_answer(ctx, turn, None, edit=True)
        if code not in YEAR_BUCKETS:
            return None
        years, label = YEAR_BUCKETS[code]
        return record_answer(ctx, turn, years, years_text=label, edit=True)
    if code not in YES_NO_VALUES:
        return None
    return record_answer(ctx, turn, YES_NO_VALUES[code], edit=True)


def _on_explain(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    question = step_of(ctx.kb, turn.state.step)
    if question is None or arg != turn.state.step:
        return None
    reply = Reply(text=explain_text(question.condition), buttons=question_buttons(question))
    return Outcome(state=turn.state, replies=[reply])


def _on_back(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    return go_back(ctx, turn, edit=True) if arg == turn.state.step else None


def _on_edit(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    if step_of(ctx.kb, arg) is None:
        return None
    new = turn.state.with_data(step=arg, **{EDIT: True, TRIES: 0})
    return Outcome(state=new, replies=[current_reply(ctx, new, edit=True)])


def _on_done(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    return finish(ctx, turn) if not arg else None


# ---- typed replies -------------------------------------------------------------------------


def _first_phrase(text: str) -> str:
    phrase = re.split(r"[，,。.!！;；、]", fold(text).strip(), maxsplit=1)[0].strip()
    return phrase.rstrip("啊呀吧啦哈嘛了") or phrase


def command_word(text: str) -> str | None:
    """说明 / 上一步 / 退出 / 不确定 typed instead of tapped."""
    phrase = _first_phrase(text).rstrip("?？")
    for name, words in (
        ("unsure", texts.CHECK_WORDS_UNSURE),
        ("explain", texts.CHECK_WORDS_EXPLAIN),
        ("back", texts.CHECK_WORDS_BACK),
    ):
        if phrase in words:
            return name
    return None


def yes_no(text: str, absence_is_yes: bool) -> bool | None:
    """是/否 typed; None when the text is not a yes or a no (不确定 is a command_word)."""
    phrase = _first_phrase(text)
    have, have_not = (False, True) if absence_is_yes else (True, False)
    for words, value in (
        (texts.CHECK_WORDS_NO, False),
        (texts.CHECK_WORDS_YES, True),
        (texts.CHECK_WORDS_HAVE_NOT, have_not),
        (texts.CHECK_WORDS_HAVE, have),
    ):
        if phrase in words:
            return value
    return None


def _is_question(turn: Turn) -> bool:
    return turn.reading is not None and turn.reading.is_question


def _on_command_word(ctx: Context, turn: Turn, word: str) -> Outcome | None:
    if word == "unsure":
        return record_answer(ctx, turn, None)
    if word == "explain":
        return _on_explain(ctx, turn, turn.state.step)
    return go_back(ctx, turn)


def _on_question_text(ctx: Context, turn: Turn, text: str) -> Outcome | None:
    """A typed answer at a question; None: not an answer (the router answers it as a question)."""
    question = step_of(ctx.kb, turn.state.step)
    if question is None:
        return None
    if question.part.kind == "years":
        if (years := parse_years(text)) is not None:
            return record_answer(ctx, turn, years, years_text=text.strip()[:MAX_ECHO])
    elif (value := yes_no(text, question.part.absence_is_yes)) is not None:
        return record_answer(ctx, turn, value)
    if (word := command_word(text)) is not None:
        return _on_command_word(ctx, turn, word)
    if _is_question(turn):
        return None
    if question.part.kind != "years":
        return Outcome(
            state=turn.state, replies=[current_reply(ctx, turn.state, texts.CHECK_YES_NO_RETRY)]
        )
    if int(turn.state.data.get(TRIES, 0)) >= 1:
        return record_answer(ctx, turn, None, prefix=texts.CHECK_YEARS_GAVE_UP)
    retry = texts.CHECK_YEARS_RETRY.format(text=text.strip()[:MAX_ECHO])
    new = turn.state.with_data(**{TRIES: 1})
    return Outcome(state=new, replies=[current_reply(ctx, new, retry)])


def _on_summary_text(ctx: Context, turn: Turn, text: str) -> Outcome | None:
    phrase = _first_phrase(text)
    if phrase in texts.CHECK_CONFIRM_WORDS or phrase in texts.CHECK_WORDS_YES:
        return finish(ctx, turn)
    if command_word(text) == "back":
        return go_back(ctx, turn)
    if _is_question(turn):
        return None
    return Outcome(
        state=turn.state, replies=[current_reply(ctx, turn.state, texts.CHECK_SUMMARY_RETRY)]
    )


# ---- the table -------------------------------------------------------------------------------


@functools.cache
def _table(keys: tuple[tuple[str, str], ...]) -> StepTable:
    names = [key for key, _ in keys]
    steps = []
    for index, (key, title) in enumerate(keys):
        following = names[index + 1] if index + 1 < len(names) else SUMMARY
        previous = names[index - 1] if index else key
        steps.append(
            Step(
                key,
                title,
                buttons={
                    "ans": Edge(_on_answer, (following, SUMMARY), "是 / 否 / 不确定 / 年限"),
                    "exp": Edge(_on_explain, (key,), "说明"),
                    "back": Edge(_on_back, (previous, SUMMARY), "上一步"),
                },
                text=Edge(_on_question_text, (following, key, SUMMARY), "typed answer"),
            )
        )
    steps.append(
        Step(
            SUMMARY,
            "核对回答",
            buttons={
                "edit": Edge(_on_edit, tuple(names), "改 n"),
                "done": Edge(_on_done, (LEAVE,), "确认，查看结果 / RecordCheck"),
                "back": Edge(_on_back, (names[-1],), "上一步"),
            },
            text=Edge(_on_summary_text, (LEAVE, names[-1], SUMMARY), "确认 / 上一步"),
        )
    )
    return StepTable(
        steps=tuple(steps),
        anywhere={
            "restart": Edge(begin, (names[0],), "重新开始"),
            "basis": Edge(_on_basis, (LEAVE,), "查看依据（结果的条文与说明）"),
        },
        entry="/check · 菜单“资格自测” · /start check",
    )


def table(ctx: Context) -> StepTable:
    return _table(tuple((q.part.key, q.part.short) for q in interview(ctx.kb)))
