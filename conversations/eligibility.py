"""Eligibility self-check (资格自测): one question per part of the basic conditions of 四(二).

Steps (``state.step``, see ``eligibility.mmd``): each condition part's key in the notice's order —
``c1a c1b c2 c3 c4 c5_years c5_effective c6`` — then ``summary`` (check your answers, change any
one), then the verdict, which records a :class:`RecordCheck` and returns the chat to the menu.

State data (JSON only, so a restart resumes): the answers so far, part key -> ``True`` / ``False``
/ ``None`` (不确定), ``c5_years`` a number of years or ``None``; and three bookkeeping keys:
``_edit`` (changing one answer from the summary), ``_tries`` (unreadable replies at the years
step) and ``_years_text`` (the years as the user gave them, for display).

Callback data ``e:<action>:<arg>``; the arg names the step it belongs to, so a button of an older
message (another step) gets a polite reply and changes nothing.

Free text at a question: 是/否/不确定-like words answer it (for a question about an
absence, such as 无不良记录, a typed 没有/无 means 是); 说明 / 上一步 / 退出 act like the
buttons; at the years step a number of years answers. Text that is clearly a question (？, 吗,
什么, 怎么…) goes to the FAQ — ``on_text`` returns None and the check stays where it was. Other
text is re-asked with a hint; at the years step it is re-asked once with an example and a second
time recorded as 不确定 (changeable on the summary), so the check never gets stuck.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from conversations import texts
from conversations.callbacks import CallbackData, encode
from conversations.core import Button, ChatState, Context, Flow, Outcome, RecordCheck, Reply
from conversations.menu import MENU_CODE, back_button, menu_reply
from knowledge import Knowledge, load_knowledge
from knowledge.eligibility import (
    ANSWER_KEYS,
    BOOL_KEYS,
    YEARS_KEY,
    Evaluation,
    evaluate,
    format_years,
    parse_years,
)
from knowledge.models import Condition, ConditionPart

CODE = "e"
FLOW_NAME = "check"
SUMMARY = "summary"
EDIT, TRIES, YEARS_TEXT = "_edit", "_tries", "_years_text"
YES_NO_VALUES: dict[str, bool | None] = {"y": True, "n": False, "u": None}
YEAR_BUCKETS: dict[str, tuple[float, str]] = {
    "lt1": (0.5, texts.CHECK_YEARS_LT1),
    "1to2": (1.5, texts.CHECK_YEARS_1TO2),
    "2to3": (2.5, texts.CHECK_YEARS_2TO3),
    "ge3": (3.0, texts.CHECK_YEARS_GE3),
}
MAX_ECHO = 20  # characters of an unreadable reply quoted back


# ---- the questions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One question: a part of a condition, with its position in the interview."""

    n: int
    total: int
    condition: Condition
    part: ConditionPart


def interview(kb: Knowledge) -> list[Step]:
    """Every condition part, in the notice's order."""
    pairs = [(c, p) for c in sorted(kb.conditions, key=lambda c: c.number) for p in c.parts]
    return [Step(i + 1, len(pairs), c, p) for i, (c, p) in enumerate(pairs)]


def step_of(kb: Knowledge, key: str) -> Step | None:
    return next((s for s in interview(kb) if s.part.key == key), None)


def answers_of(data: Mapping[str, Any]) -> dict[str, Any]:
    """The answers in flow data, without the bookkeeping keys."""
    return {k: v for k, v in data.items() if k in ANSWER_KEYS}


# ---- wording of answers ----------------------------------------------------------------------


def yes_no_label(value: Any) -> str:
    if value is None:
        return texts.CHECK_ANSWER_UNSURE
    return texts.CHECK_ANSWER_YES if value else texts.CHECK_ANSWER_NO


def years_label(years: Any, given: str | None = None) -> str:
    if years is None:
        return texts.CHECK_ANSWER_UNSURE
    shown = texts.CHECK_YEARS_UNIT.format(years=format_years(years))
    if not given or given in (shown, format_years(years)):
        return shown
    if given in (label for _, label in YEAR_BUCKETS.values()):
        return given
    return texts.CHECK_YEARS_AS.format(text=given, years=format_years(years))


def part_label(part: ConditionPart, answers: Mapping[str, Any], years_text: str | None) -> str:
    if part.key not in answers:
        return texts.CHECK_ANSWER_MISSING
    if part.kind == "years":
        return years_label(answers[part.key], years_text)
    return yes_no_label(answers[part.key])


def condition_answer(cond: Condition, answers: Mapping[str, Any], years_text: str | None) -> str:
    """What the user answered for one condition; a missing answer reads 不确定."""
    if cond.key in answers and not any(p.key in answers for p in cond.parts):
        return yes_no_label(answers[cond.key])  # a scripted record may give c1 whole
    filled = {p.key: answers.get(p.key) for p in cond.parts}
    if len(cond.parts) == 1:
        return part_label(cond.parts[0], filled, years_text)
    return "；".join(f"{p.short}：{part_label(p, filled, years_text)}" for p in cond.parts)


# ---- replies ---------------------------------------------------------------------------------


def _button(label: str, action: str, arg: str = "") -> Button:
    return Button(label=label, data=encode(CODE, action, arg))


def question_buttons(step: Step) -> list[list[Button]]:
    key = step.part.key
    if step.part.kind == "years":
        b = [_button(label, "ans", f"{key}.{code}") for code, (_, label) in YEAR_BUCKETS.items()]
        rows = [b[:2], b[2:], [_button(texts.CHECK_BTN_UNSURE, "ans", f"{key}.u")]]
    else:
        rows = [
            [
                _button(texts.CHECK_BTN_YES, "ans", f"{key}.y"),
                _button(texts.CHECK_BTN_NO, "ans", f"{key}.n"),
                _button(texts.CHECK_BTN_UNSURE, "ans", f"{key}.u"),
            ]
        ]
    rows.append(
        [_button(texts.CHECK_BTN_EXPLAIN, "exp", key), _button(texts.CHECK_BTN_BACK, "back", key)]
    )
    return rows


def question_text(step: Step, data: Mapping[str, Any]) -> str:
    cond, part = step.condition, step.part
    text = texts.CHECK_QUESTION.format(
        n=step.n,
        total=step.total,
        number=cond.number,
        clause=cond.clause,
        text=cond.text,
        question=part.question,
    )
    notes = []
    if cond.priority_only:
        notes.append(texts.CHECK_PRIORITY_NOTE)
    if part.kind == "years":
        notes.append(texts.CHECK_YEARS_HINT)
    if part.key in data:
        label = part_label(part, data, data.get(YEARS_TEXT))
        notes.append(texts.CHECK_PREVIOUS.format(answer=label))
    return "\n".join([text, *notes])


def question_reply(
    step: Step, data: Mapping[str, Any], prefix: str = "", edit: bool = False
) -> Reply:
    body = question_text(step, data)
    return Reply(
        text=f"{prefix}\n\n{body}" if prefix else body, buttons=question_buttons(step), edit=edit
    )


def summary_reply(
    ctx: Context, data: Mapping[str, Any], prefix: str = "", edit: bool = False
) -> Reply:
    steps = interview(ctx.kb)
    years_text = data.get(YEARS_TEXT)
    lines = [texts.CHECK_SUMMARY_HEADER]
    for s in steps:
        answer = part_label(s.part, data, years_text)
        lines.append(texts.CHECK_SUMMARY_LINE.format(n=s.n, label=s.part.short, answer=answer))
    edits = [
        _button(texts.CHECK_BTN_EDIT.format(n=s.n, label=s.part.short), "edit", s.part.key)
        for s in steps
    ]
    rows = [edits[i : i + 2] for i in range(0, len(edits), 2)]
    rows.append([_button(texts.CHECK_BTN_CONFIRM, "done")])
    rows.append([_button(texts.CHECK_BTN_BACK, "back", SUMMARY)])
    text = "\n".join(lines)
    return Reply(text=f"{prefix}\n\n{text}" if prefix else text, buttons=rows, edit=edit)


def explain_text(cond: Condition) -> str:
    lines = [
        texts.CHECK_EXPLAIN_HEADER.format(number=cond.number, clause=cond.clause),
        cond.explain,
    ]
    if cond.examples_note:
        lines.append(cond.examples_note)
    if cond.counts:
        lines += [texts.CHECK_EXPLAIN_COUNTS, *(f"• {c}" for c in cond.counts)]
    if cond.not_counts:
        lines += [texts.CHECK_EXPLAIN_NOT_COUNTS, *(f"• {c}" for c in cond.not_counts)]
    if cond.verify:
        lines.append(texts.CHECK_EXPLAIN_VERIFY.format(verify=cond.verify))
    return "\n".join(lines)


def current_reply(ctx: Context, state: ChatState, prefix: str = "", edit: bool = False) -> Reply:
    """The question (or the summary) the check is at."""
    if state.step == SUMMARY:
        return summary_reply(ctx, state.data, prefix, edit)
    step = step_of(ctx.kb, state.step)
    if step is None:  # not in the check: the menu, where 资格自测 starts one
        return menu_reply(texts.CALLBACK_STALE)
    return question_reply(step, state.data, prefix, edit)


# ---- the verdict -----------------------------------------------------------------------------


def _item(cond: Condition, answers: Mapping[str, Any], years_text: str | None, failed: bool) -> str:
    advice = texts.CHECK_ADVICE_REMEDY.format(remedy=cond.remedy) if failed and cond.remedy else ""
    if not failed and cond.verify:
        advice = texts.CHECK_ADVICE_VERIFY.format(verify=cond.verify)
    return texts.CHECK_VERDICT_ITEM.format(
        number=cond.number,
        clause=cond.clause,
        text=cond.text,
        answer=condition_answer(cond, answers, years_text),
        advice=advice,
    ).rstrip()


def _priority_line(kb: Knowledge, answers: Mapping[str, Any]) -> str:
    cond = next(c for c in kb.conditions if c.priority_only)
    value = answers.get(cond.key)
    if value is True:
        return texts.CHECK_PRIORITY_YES.format(clause=cond.clause)
    if value is False:
        return texts.CHECK_PRIORITY_NO.format(clause=cond.clause)
    return texts.CHECK_PRIORITY_UNSURE.format(clause=cond.clause, verify=cond.verify)


def _selection_sentence(kb: Knowledge) -> str:
    """四(四)'s own sentence on who selects: 省经信委负责…遴选和确定，委托…评审…"""
    body = kb.clauses["四(四)"].text if "四(四)" in kb.clauses else ""
    for sentence in re.split(r"[。\n]", body):
        if (start := sentence.find("省经信委负责")) >= 0:
            return sentence[start:].replace(",", "，")
    return "；".join(f"{o.name}{o.role}" for o in kb.programme.organizers if o.clause == "四(四)")


def next_steps(kb: Knowledge) -> list[str]:
    """Materials, where to submit and by when, who decides, whom to ask — from the notice."""
    p = kb.programme
    materials = {m.id: m for m in p.materials}
    lines: list[str] = []
    if form := materials.get("form"):
        lines.append(
            texts.CHECK_NEXT_FORM.format(
                n=len(lines) + 1, name=form.name, attachment=form.attachment, clause=form.clause
            )
        )
    if case := materials.get("case"):
        naming = next((r for r in case.requirements if "命名" in r), "")
        lines.append(
            texts.CHECK_NEXT_CASE.format(
                n=len(lines) + 1,
                name=case.name,
                attachment=case.attachment,
                naming=naming,
                clause=case.clause,
            ).replace("，（", "（")
        )
    units = next((o.name for o in p.organizers if o.id == "organizing_units"), "组织单位")
    if submit := next((m for m in p.calendar if m.id == "submit"), None):
        lines.append(
            texts.CHECK_NEXT_SUBMIT.format(
                n=len(lines) + 1,
                units=units,
                year=p.calendar_year,
                who=submit.who,
                when=submit.when,
                what=submit.what,
                clause=submit.clause,
            )
        )
    lines.append(
        texts.CHECK_NEXT_SELECTION.format(
            n=len(lines) + 1, selection=_selection_sentence(kb), clause="四(四)"
        )
    )
    names, phones = "、".join(p.contacts.names), "、".join(p.contacts.phones)
    lines.append(texts.CHECK_NEXT_CONTACT.format(names=names, phones=phones))
    return lines


_HEADLINES = {
    "eligible": (texts.CHECK_VERDICT_ELIGIBLE, texts.CHECK_NEXT_ELIGIBLE),
    "not_eligible": (texts.CHECK_VERDICT_NOT_ELIGIBLE, texts.CHECK_NEXT_NOT_ELIGIBLE),
    "unsure": (texts.CHECK_VERDICT_UNSURE, texts.CHECK_NEXT_UNSURE),
}


def verdict_text(
    kb: Knowledge, answers: Mapping[str, Any], result: Evaluation, years_text: str | None = None
) -> str:
    """The verdict a user sees: each failing or unsure condition with its clause and what to do."""
    by_key = {c.key: c for c in kb.conditions}
    headline, next_lead = _HEADLINES[result.verdict]
    blocks = [headline]
    if result.failing:
        items = [_item(by_key[k], answers, years_text, failed=True) for k in result.failing]
        blocks.append("\n".join([texts.CHECK_VERDICT_FAILING, *items]))
    if result.unsure:
        items = [_item(by_key[k], answers, years_text, failed=False) for k in result.unsure]
        blocks.append("\n".join([texts.CHECK_VERDICT_UNSURE_LIST, *items]))
    blocks.append(_priority_line(kb, answers))
    blocks.append("\n".join([next_lead, *next_steps(kb)]))
    return "\n\n".join(blocks)


def verdict_buttons() -> list[list[Button]]:
    return [
        [Button(label=texts.CHECK_BTN_TO_AREA, data=encode(MENU_CODE, "open", "area"))],
        [Button(label=texts.CHECK_BTN_TO_CALENDAR, data=encode(MENU_CODE, "open", "calendar"))],
        [_button(texts.CHECK_BTN_RETAKE, "restart")],
        back_button(),
    ]


# ---- steps -----------------------------------------------------------------------------------


def begin(ctx: Context, state: ChatState) -> Outcome:
    """A fresh check at the first question."""
    first = interview(ctx.kb)[0]
    intro = texts.CHECK_INTRO.format(total=first.total)
    new = state.at(FLOW_NAME, first.part.key)
    return Outcome(state=new, replies=[question_reply(first, new.data, prefix=intro)])


def in_progress(ctx: Context, state: ChatState) -> bool:
    return state.flow == FLOW_NAME and (
        state.step == SUMMARY or step_of(ctx.kb, state.step) is not None
    )


def start(ctx: Context, state: ChatState) -> Outcome:
    """/check, menu entry, deep link: a new check, or an offer to resume an unfinished one."""
    if not in_progress(ctx, state):
        return begin(ctx, state)
    step = step_of(ctx.kb, state.step)
    where = texts.CHECK_RESUME_STEP.format(n=step.n) if step else texts.CHECK_RESUME_SUMMARY
    buttons = [
        [
            _button(texts.CHECK_BTN_RESUME, "resume", state.step),
            _button(texts.CHECK_BTN_RESTART, "restart"),
        ]
    ]
    return Outcome(
        state=state, replies=[Reply(text=texts.CHECK_RESUME.format(where=where), buttons=buttons)]
    )


def next_key(ctx: Context, key: str) -> str:
    keys = [s.part.key for s in interview(ctx.kb)]
    index = keys.index(key)
    return keys[index + 1] if index + 1 < len(keys) else SUMMARY


def record_answer(
    ctx: Context,
    state: ChatState,
    key: str,
    value: Any,
    *,
    years_text: str | None = None,
    edit: bool = False,
    prefix: str = "",
) -> Outcome:
    """Store one answer; go to the next question, or back to the summary when changing one."""
    changes: dict[str, Any] = {key: value, TRIES: 0}
    if key == YEARS_KEY:
        changes[YEARS_TEXT] = years_text
    target = SUMMARY if state.data.get(EDIT) else next_key(ctx, key)
    if target == SUMMARY:
        changes[EDIT] = False
    new = state.with_data(step=target, **changes)
    return Outcome(state=new, replies=[current_reply(ctx, new, prefix, edit)])


def go_back(ctx: Context, state: ChatState, edit: bool = False) -> Outcome:
    """上一步: the previous question; from a change started on the summary, the summary."""
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


def explain(ctx: Context, state: ChatState) -> Outcome:
    """说明: the condition in plain words, then the same question again."""
    step = step_of(ctx.kb, state.step)
    if step is None:
        return stale(ctx, state)
    reply = Reply(text=explain_text(step.condition), buttons=question_buttons(step))
    return Outcome(state=state, replies=[reply])


def change_answer(ctx: Context, state: ChatState, key: str, edit: bool = False) -> Outcome:
    """From the summary: ask one question again; the other answers stay."""
    new = state.with_data(step=key, **{EDIT: True, TRIES: 0})
    return Outcome(state=new, replies=[current_reply(ctx, new, edit=edit)])


def finish(ctx: Context, state: ChatState) -> Outcome:
    """The verdict, recorded; the chat goes back to the menu."""
    answers = answers_of(state.data)
    result = evaluate(answers)
    text = verdict_text(ctx.kb, answers, result, state.data.get(YEARS_TEXT))
    effect = RecordCheck(
        answers=answers, verdict=result.verdict, failing=result.failing, priority=result.priority
    )
    return Outcome(
        state=state.at("menu"),
        replies=[Reply(text=text, buttons=verdict_buttons())],
        effects=[effect],
    )


def stale(ctx: Context, state: ChatState) -> Outcome:
    """A button that is not for the current step: say so, show where we are, change nothing."""
    if in_progress(ctx, state):
        return Outcome(state=state, replies=[current_reply(ctx, state, texts.CHECK_STALE)])
    return Outcome(state=state, replies=[menu_reply(texts.CALLBACK_STALE)])


# ---- callbacks -------------------------------------------------------------------------------


def _cb_answer(ctx: Context, state: ChatState, arg: str) -> Outcome | None:
    key, _, code = arg.partition(".")
    step = step_of(ctx.kb, key)
    if step is None or key != state.step:
        return None
    if step.part.kind == "years":
        if code == "u":
            return record_answer(ctx, state, key, None, edit=True)
        if code not in YEAR_BUCKETS:
            return None
        years, label = YEAR_BUCKETS[code]
        return record_answer(ctx, state, key, years, years_text=label, edit=True)
    if code not in YES_NO_VALUES:
        return None
    return record_answer(ctx, state, key, YES_NO_VALUES[code], edit=True)


def _cb_explain(ctx: Context, state: ChatState, arg: str) -> Outcome | None:
    return explain(ctx, state) if arg == state.step and arg != SUMMARY else None


def _cb_back(ctx: Context, state: ChatState, arg: str) -> Outcome | None:
    return go_back(ctx, state, edit=True) if arg == state.step else None


def _cb_resume(ctx: Context, state: ChatState, arg: str) -> Outcome | None:
    return Outcome(state=state, replies=[current_reply(ctx, state)]) if arg == state.step else None


def _cb_edit(ctx: Context, state: ChatState, arg: str) -> Outcome | None:
    if state.step != SUMMARY or step_of(ctx.kb, arg) is None:
        return None
    return change_answer(ctx, state, arg, edit=True)


def _cb_done(ctx: Context, state: ChatState, arg: str) -> Outcome | None:
    return finish(ctx, state) if state.step == SUMMARY and not arg else None


CALLBACKS: dict[str, Callable[[Context, ChatState, str], Outcome | None]] = {
    "ans": _cb_answer,
    "exp": _cb_explain,
    "back": _cb_back,
    "resume": _cb_resume,
    "edit": _cb_edit,
    "done": _cb_done,
}


def on_callback(ctx: Context, state: ChatState, cb: CallbackData) -> Outcome:
    if cb.action == "restart":
        return begin(ctx, state)
    handler = CALLBACKS.get(cb.action)
    if handler is None or not in_progress(ctx, state):
        return stale(ctx, state)
    return handler(ctx, state, cb.arg) or stale(ctx, state)


# ---- free text -------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().strip()
    return re.sub(r"\s+", " ", text)


def _first_phrase(text: str) -> str:
    phrase = re.split(r"[，,。.!！;；、]", text, maxsplit=1)[0].strip()
    return phrase.rstrip("啊呀吧啦哈嘛了") or phrase


def looks_like_question(text: str) -> bool:
    norm = _normalise(text)
    return any(m in norm for m in texts.CHECK_QUESTION_MARKERS) or norm.endswith(
        texts.CHECK_QUESTION_ENDINGS
    )


def command_word(text: str) -> str | None:
    """说明 / 上一步 / 退出 / 不确定 typed instead of tapped."""
    phrase = _first_phrase(_normalise(text)).rstrip("?？")
    for name, words in (
        ("unsure", texts.CHECK_WORDS_UNSURE),
        ("explain", texts.CHECK_WORDS_EXPLAIN),
        ("back", texts.CHECK_WORDS_BACK),
        ("quit", texts.CHECK_WORDS_QUIT),
    ):
        if phrase in words:
            return name
    return None


def yes_no(text: str, part: ConditionPart) -> bool | None:
    """是/否 typed; None when the text is not a yes or a no (不确定 is a command_word)."""
    phrase = _first_phrase(_normalise(text))
    have, have_not = (False, True) if part.absence_is_yes else (True, False)
    for words, value in (
        (texts.CHECK_WORDS_NO, False),
        (texts.CHECK_WORDS_YES, True),
        (texts.CHECK_WORDS_HAVE_NOT, have_not),
        (texts.CHECK_WORDS_HAVE, have),
    ):
        if phrase in words:
            return value
    return None


def _on_command_word(ctx: Context, state: ChatState, word: str) -> Outcome:
    if word == "unsure":
        return record_answer(ctx, state, state.step, None)
    if word == "explain":
        return explain(ctx, state)
    if word == "back":
        return go_back(ctx, state)
    return Outcome(state=state.at("menu"), replies=[menu_reply(texts.CANCELLED)])


def _on_years_text(ctx: Context, state: ChatState, text: str) -> Outcome | None:
    if (years := parse_years(text)) is not None:
        return record_answer(ctx, state, state.step, years, years_text=text.strip()[:MAX_ECHO])
    if (word := command_word(text)) is not None:
        return _on_command_word(ctx, state, word)
    if looks_like_question(text):
        return None
    if int(state.data.get(TRIES, 0)) >= 1:
        return record_answer(ctx, state, state.step, None, prefix=texts.CHECK_YEARS_GAVE_UP)
    retry = texts.CHECK_YEARS_RETRY.format(text=text.strip()[:MAX_ECHO])
    new = state.with_data(**{TRIES: 1})
    return Outcome(state=new, replies=[current_reply(ctx, new, retry)])


def _on_yes_no_text(ctx: Context, state: ChatState, step: Step, text: str) -> Outcome | None:
    if (word := command_word(text)) is not None:
        return _on_command_word(ctx, state, word)
    if (value := yes_no(text, step.part)) is not None:
        return record_answer(ctx, state, state.step, value)
    if looks_like_question(text):
        return None
    return Outcome(state=state, replies=[current_reply(ctx, state, texts.CHECK_YES_NO_RETRY)])


def _on_summary_text(ctx: Context, state: ChatState, text: str) -> Outcome | None:
    phrase = _first_phrase(_normalise(text))
    if phrase in texts.CHECK_CONFIRM_WORDS or phrase in texts.CHECK_WORDS_YES:
        return finish(ctx, state)
    if (word := command_word(text)) in ("back", "quit"):
        return _on_command_word(ctx, state, word)
    if looks_like_question(text):
        return None
    return Outcome(state=state, replies=[current_reply(ctx, state, texts.CHECK_SUMMARY_RETRY)])


def on_text(ctx: Context, state: ChatState, text: str) -> Outcome | None:
    """Typed replies; None hands a question to the FAQ (the check stays where it was)."""
    if state.flow != FLOW_NAME:
        return None
    if state.step == SUMMARY:
        return _on_summary_text(ctx, state, text)
    step = step_of(ctx.kb, state.step)
    if step is None:
        return None
    if step.part.kind == "years":
        return _on_years_text(ctx, state, text)
    return _on_yes_no_text(ctx, state, step, text)


# ---- scriptable: biaogan check --jsonl ---------------------------------------------------------


def _checked_flag(key: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ValueError(f"answers.{key}: expected true, false or null")


def _checked_years(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        if (years := parse_years(value)) is None:
            raise ValueError(f"answers.{YEARS_KEY}: expected a number of years, got {value!r}")
        return years
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"answers.{YEARS_KEY}: expected a number")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"answers.{YEARS_KEY}: expected a non-negative number")
    return float(value)


def checked_answers(raw: Any) -> dict[str, Any]:
    """Validate a record's answers; a ValueError names the field."""
    if not isinstance(raw, dict):
        raise ValueError("answers: expected an object of condition answers")
    answers: dict[str, Any] = {}
    for key, value in raw.items():
        if key == YEARS_KEY:
            answers[key] = _checked_years(value)
        elif key in BOOL_KEYS:
            answers[key] = _checked_flag(key, value)
        else:
            raise ValueError(
                f"answers.{key}: unknown key (expected one of {', '.join(ANSWER_KEYS)})"
            )
    return answers


def check_record(obj: dict) -> dict:
    """One scripted check: ``{id, answers}`` -> ``{id, verdict, failing, priority, reply}``.

    A missing answer key means 不确定; other fields of the record are ignored.
    """
    if not isinstance(obj, dict):
        raise ValueError("record: expected a JSON object")
    record_id = obj.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, str | int | float | type(None)):
        raise ValueError("id: expected a string, a number or null")
    if "answers" not in obj:
        raise ValueError("answers: missing")
    answers = checked_answers(obj["answers"])
    result = evaluate(answers)
    return {
        "id": record_id,
        "verdict": result.verdict,
        "failing": result.failing,
        "priority": result.priority,
        "reply": verdict_text(load_knowledge(), answers, result),
    }


FLOW = Flow(
    name=FLOW_NAME,
    code=CODE,
    label=texts.MENU_CHECK,
    command="check",
    description="资格自测（六项基本条件）",
    start=start,
    on_callback=on_callback,
    on_text=on_text,
)
