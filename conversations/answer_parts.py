"""Two kinds of question answered from more than one match: several questions in one message,
and which focus area a practice belongs to.

* ``several``: a message asking several things ("申报条件有哪些，材料交到哪里？另外几号截止")
  is taken apart (``knowledge.split``) and each part answered as a question of its own: a short
  numbered reply, each part with its answer and clause, and the parts the notice does not
  answer said as such (with the contacts, said as 2016's, once at the end).
* ``area_answer``: "我们做的是…，算哪个领域" gets the area matcher's suggestion, labelled as
  our reading (the notice lists the ten areas but does not sort practices into them).
"""

from __future__ import annotations

from conversations import texts
from conversations.answer_text import Answer, declined, single
from conversations.calendar import deadlines_button
from conversations.core import Button, Context, Reply
from conversations.menu import back_button, contacts, open_button
from knowledge.faq import FaqResult
from knowledge.intent import read
from knowledge.lexicon import lexicon
from knowledge.models import OURS_LABEL
from knowledge.split import parts
from knowledge.text import normalize

SHORT = 10  # a part this short may name no topic of its own: read with the part before it
PART_MIN = 0.3  # a part counts as a question of its own when answered at least this surely
AREA_MIN_EVIDENCE = 1.0  # the area matcher's raw score below which no area is proposed
AREA_OTHERS = 2  # further areas named when the best is not clearly ahead


def _part_results(ctx: Context, text: str, pieces: list[str]) -> list[FaqResult]:
    """Each part classified; a part that names no topic of its own ("最晚哪天") is read
    with the part before it, when that gives another unit."""
    results: list[FaqResult] = []
    for index, piece in enumerate(pieces):
        result = ctx.faq.classify_part(piece, text)
        if not result.answered and result.rule is None and index > 0 and len(piece) <= SHORT:
            before = results[-1]
            again = ctx.faq.classify_part(pieces[index - 1] + "，" + piece, text)
            if again.answered and (
                before.match is None or again.match.entry.id != before.match.entry.id
            ):
                result = again
        results.append(result)
    return results


def several(ctx: Context, text: str) -> Answer | None:
    """Several questions in one message, each answered (a feature asked for in one part —
    "能不能提醒我" — offered with its button); None for a single question, or when the parts do
    not make distinct questions the notice answers."""
    pieces = parts(text)
    if len(pieces) < 2:
        return None
    features = [_feature(piece) for piece in pieces]
    asked = [p for p, f in zip(pieces, features, strict=True) if f is None]
    results = dict(zip(asked, _part_results(ctx, text, asked), strict=True))
    units = [r.match.entry.id for r in results.values() if r.match and r.score >= PART_MIN]
    firm = [r for r in results.values() if r.match is None and r.rule is not None]
    offered = [f for f in features if f is not None]
    if len(set(units)) + len(offered) < 2 and not (units and firm):
        return None
    lines, clauses, silent, seen, buttons = [], [], False, {}, []
    for number, (piece, feature) in enumerate(zip(pieces, features, strict=True), start=1):
        if feature is not None:
            body, button = feature
            buttons.append([button])
        elif (result := results[piece]).match is not None:
            unit = result.match.entry
            if unit.id in seen:
                body = texts.MULTI_SAME.format(number=seen[unit.id])
            else:
                seen[unit.id] = number
                body = _without_contacts(ctx, single(ctx, piece, result).reply.text)
                clauses.append(unit.clause)
        elif result.about_programme or result.rule is not None:
            body, silent = _declined_part(ctx, result), True
        else:
            body = texts.MULTI_OUTSIDE
        lines.append(texts.MULTI_PART.format(number=number, question=piece, answer=body))
    reply = texts.MULTI_HEADER.format(count=len(pieces)) + "\n" + "\n".join(lines)
    if silent or any(r.gap for r in results.values()):
        reply += "\n" + texts.MULTI_CONTACTS.format(contacts=contacts(ctx))
    first = next((r for r in results.values() if r.match is not None), None)
    entry = first.match.entry.id if first is not None and first.match is not None else None
    clause = "、".join(dict.fromkeys(clauses)) or None
    score = min((r.score for r in results.values()), default=0.0)
    reply_buttons = [*buttons, back_button()]
    return Answer(Reply(text=reply, buttons=reply_buttons), entry, clause, score, True, "multi")


def _feature(piece: str) -> tuple[str, Button] | None:
    """A part that asks for one of the assistant's features: what to say and its button."""
    intent = read(piece)
    if intent.kind != "open" or intent.sub not in texts.MULTI_FEATURES:
        return None
    if intent.sub == "remind":
        return texts.MULTI_FEATURES["remind"], deadlines_button(texts.BTN_SUBSCRIBE, "sub")
    label = {"check": texts.MENU_CHECK, "area": texts.MENU_AREA}.get(
        intent.sub, texts.MENU_CALENDAR
    )
    return texts.MULTI_FEATURES[intent.sub], open_button(label, intent.sub)


def _declined_part(ctx: Context, result: FaqResult) -> str:
    if result.rule is not None and declined(ctx, result).kind == "other_programme":
        return texts.MULTI_OTHER_PROGRAMME
    return texts.MULTI_NOT_IN_NOTICE


def _without_contacts(ctx: Context, text: str) -> str:
    """A part's answer without the contacts' sentence (said once, at the end)."""
    tail = texts.FAQ_GAP_CONTACTS.format(contacts=contacts(ctx))
    return text.replace("\n" + tail, "").replace(tail, "")


def asks_for_area(text: str) -> bool:
    return "area" in lexicon().ask_kinds(lexicon().apply(normalize(text)).replace(" ", ""))


def area_answer(ctx: Context, text: str, result: FaqResult) -> Answer | None:
    """Which focus area a described practice belongs to: the area matcher's best, labelled as
    our reading; None when the question does not ask it or describes no practice."""
    if not asks_for_area(text):
        return None
    if result.match is not None and result.match.entry.topic == "passage:item":
        return None  # a focus area named by its number: the notice's own list answers
    suggestion = ctx.areas.suggest(text)
    if suggestion.best.raw < AREA_MIN_EVIDENCE:
        return None

    def item(score) -> str:
        return texts.AREA_ITEM.format(number=score.number, title=score.area.title)

    others = ""
    if suggestion.low_confidence:
        close = [s for s in suggestion.ranked[1 : 1 + AREA_OTHERS] if s.raw > 0]
        if close:
            others = texts.AREA_OTHERS.format(items="、".join(item(s) for s in close))
    body = texts.AREA_ANSWER.format(ours=OURS_LABEL, best=item(suggestion.best), others=others)
    buttons = [[open_button(texts.MENU_AREA, "area")], back_button()]
    unit = ctx.faq.unit_for_clause(f"四(一)({suggestion.best.number})")
    entry = unit.id if unit is not None else None
    return Answer(
        Reply(text=body, buttons=buttons), entry, "四(一)", suggestion.best.score, True, "area"
    )
