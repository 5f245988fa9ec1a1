"""What the self-check shows: the questions, the summary, the explanation and the verdict."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conversations import texts
from conversations.callbacks import encode
from conversations.core import Button, ChatState, Context, Reply, YearCalendar
from conversations.flows.eligibility.packing import ordered_parts, pack_answers
from conversations.menu import MENU_CODE, back_button, menu_reply
from knowledge import Knowledge
from knowledge.eligibility import ANSWER_KEYS, Evaluation, format_years
from knowledge.models import OURS_LABEL, REFERENCE_LABEL, Condition, ConditionPart

CODE = "e"
FLOW_NAME = "check"
SUMMARY = "summary"
EDIT, TRIES, YEARS_TEXT = "_edit", "_tries", "_years_text"
YEAR_BUCKETS: dict[str, tuple[float, str]] = {
    "lt1": (0.5, texts.CHECK_YEARS_LT1),
    "1to2": (1.5, texts.CHECK_YEARS_1TO2),
    "2to3": (2.5, texts.CHECK_YEARS_2TO3),
    "ge3": (3.0, texts.CHECK_YEARS_GE3),
}


# ---- the questions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One question: a part of a condition, with its position in the interview."""

    n: int
    total: int
    condition: Condition
    part: ConditionPart


def interview(kb: Knowledge) -> list[Question]:
    """Every condition part, in the notice's order."""
    pairs = ordered_parts(kb)
    return [Question(i + 1, len(pairs), c, p) for i, (c, p) in enumerate(pairs)]


def step_of(kb: Knowledge, key: str) -> Question | None:
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


def question_buttons(step: Question) -> list[list[Button]]:
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
    rows.append(back_button())
    return rows


def question_text(step: Question, data: Mapping[str, Any]) -> str:
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
    step: Question, data: Mapping[str, Any], prefix: str = "", edit: bool = False
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
    rows.append(back_button())
    text = "\n".join(lines)
    return Reply(text=f"{prefix}\n\n{text}" if prefix else text, buttons=rows, edit=edit)


def explain_text(cond: Condition) -> str:
    lines = [
        texts.CHECK_EXPLAIN_HEADER.format(number=cond.number, clause=cond.clause),
        cond.explain,
    ]
    if cond.note:
        lines.append(texts.CHECK_EXPLAIN_NOTE.format(note=cond.note, label=OURS_LABEL))
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
    advice = ""
    if failed and cond.remedy:
        advice = texts.CHECK_ADVICE_REMEDY.format(remedy=cond.remedy, label=REFERENCE_LABEL)
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


def next_steps(kb: Knowledge, calendar: YearCalendar | None = None) -> list[str]:
    """Materials, where to submit and by when, who decides, whom to ask — from the notice;
    the submission date from ``calendar`` when organizers set this year's (labelled so)."""
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
    submit = next((m for m in p.calendar if m.id == "submit"), None)
    set_date = calendar.dates.get("submission") if calendar is not None else None
    if submit is not None and set_date is not None:
        lines.append(
            texts.CHECK_NEXT_SUBMIT_SET.format(
                n=len(lines) + 1,
                units=units,
                year=set_date.year,
                day=f"{set_date.day.year}年{set_date.day.month}月{set_date.day.day}日",
                label=texts.SET_BY_ORGANIZERS,
                clause=submit.clause,
            )
        )
    elif submit is not None:
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
    contacts = texts.CONTACTS_2016.format(notice_year=p.calendar_year, names=names, phones=phones)
    lines.append(texts.CHECK_NEXT_CONTACT.format(contacts=contacts))
    return lines


_HEADLINES = {
    "eligible": (texts.CHECK_VERDICT_ELIGIBLE, texts.CHECK_NEXT_ELIGIBLE),
    "not_eligible": (texts.CHECK_VERDICT_NOT_ELIGIBLE, texts.CHECK_NEXT_NOT_ELIGIBLE),
    "unsure": (texts.CHECK_VERDICT_UNSURE, texts.CHECK_NEXT_UNSURE),
}


def verdict_summary(kb: Knowledge, answers: Mapping[str, Any], result: Evaluation) -> str:
    """The verdict first, one line per failing or unsure condition naming the part that fails
    (or is unsure), never a part that holds; the basis is a button away."""
    by_key = {c.key: c for c in kb.conditions}
    lines = [texts.CHECK_SUMMARY_HEADLINES[result.verdict]]
    for title, keys, parts in (
        (texts.CHECK_VERDICT_FAILING, result.failing, result.failing_parts),
        (texts.CHECK_VERDICT_UNSURE_LIST, result.unsure, result.unsure_parts),
    ):
        if keys:
            lines.append(title)
            lines += [
                texts.CHECK_SUMMARY_ITEM.format(
                    number=by_key[k].number,
                    short=parts_short(kb, by_key[k], parts),
                    clause=by_key[k].clause,
                )
                for k in keys
            ]
    priority = next(c for c in kb.conditions if c.priority_only)
    if answers.get(priority.key) is True:
        lines.append(texts.CHECK_SUMMARY_PRIORITY.format(clause=priority.clause))
    lines.append(texts.CHECK_SUMMARY_FOOTER)
    return "\n".join(lines)


def parts_short(kb: Knowledge, cond: Condition, parts: list[str]) -> str:
    """The words for the parts of ``cond`` among ``parts`` (the whole condition's when none)."""
    named = [found[1] for k in parts if (found := kb.condition_part(k)) and found[0] is cond]
    return "、".join(named) or cond.short


def verdict_text(
    kb: Knowledge,
    answers: Mapping[str, Any],
    result: Evaluation,
    years_text: str | None = None,
    calendar: YearCalendar | None = None,
) -> str:
    """The basis of a verdict: each failing or unsure condition in the notice's words, the
    answer given, what to do (ours, labelled), the priority condition and the next steps."""
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
    blocks.append("\n".join([next_lead, *next_steps(kb, calendar)]))
    return "\n\n".join(blocks)


def verdict_buttons(kb: Knowledge, answers: Mapping[str, Any]) -> list[list[Button]]:
    return [
        [_button(texts.CHECK_BTN_BASIS, "basis", pack_answers(kb, answers))],
        [
            Button(label=texts.CHECK_BTN_APPLY, data=encode(MENU_CODE, "open", "apply")),
            Button(label=texts.CHECK_BTN_TO_AREA, data=encode(MENU_CODE, "open", "area")),
        ],
        [Button(label=texts.PROFILE_BTN_FROM_CHECK, data=encode(MENU_CODE, "open", "profile"))],
        [_button(texts.CHECK_BTN_RETAKE, "restart"), back_button()[0]],
    ]
