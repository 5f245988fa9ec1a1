"""A result to keep (issue 21): the latest self-check with its basis, and the chosen focus
area with its case title and materials checklist, as sections a channel prints or renders to
PDF; worded exactly as the chat shows them (the flows' own renderers)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conversations import texts
from conversations.callbacks import CallbackError, parse
from conversations.contact_replies import cards_first
from conversations.core import Actor, ChatState, Context, Profile, Turn
from conversations.flows.areas.render import CODE as AREA_CODE
from conversations.flows.areas.render import FLOW_NAME as AREA_FLOW
from conversations.flows.areas.render import area_of, checklist_text, title_text
from conversations.flows.eligibility.render import CODE as CHECK_CODE
from conversations.flows.eligibility.render import verdict_text
from conversations.replies import Button
from knowledge.eligibility import evaluate

# The buttons that mark a message as a result: 查看依据 under a verdict, 自查案例草稿 under a
# chosen area (and 再自查一份 under a draft's review).
RESULT_BUTTONS = {(CHECK_CODE, "basis"), (AREA_CODE, "draft")}


@dataclass(frozen=True)
class Section:
    heading: str
    body: str


@dataclass(frozen=True)
class KeptCheck:
    answers: Mapping[str, Any]
    day: str  # YYYY-MM-DD, Asia/Shanghai


@dataclass(frozen=True)
class KeptArea:
    chosen: int
    text: str  # the practice described
    day: str


def keeps_result(buttons: list[list[Button]]) -> bool:
    """Is a message with these buttons a result worth printing or downloading?"""
    for row in buttons:
        for button in row:
            try:
                data = parse(button.data)
            except CallbackError:
                continue
            if (data.flow, data.action) in RESULT_BUTTONS:
                return True
    return False


def result_sections(
    ctx: Context, profile: Profile, check: KeptCheck | None, area: KeptArea | None
) -> list[Section]:
    """The sections of the result: the self-check's verdict and basis, then the area."""
    sections = []
    if check is not None:
        answers = dict(check.answers)
        basis = verdict_text(ctx.kb, answers, evaluate(answers), calendar=ctx.year_calendar())
        basis = cards_first(ctx, profile, basis)  # its own organizer before 2016's contacts
        sections.append(Section(texts.KEEP_CHECK.format(when=check.day), basis))
    else:
        sections.append(Section(texts.KEEP_CHECK_UNDONE, texts.KEEP_NONE_CHECK))
    if area is not None and area_of_or_none(ctx, area.chosen) is not None:
        sections.append(
            Section(texts.KEEP_AREA.format(when=area.day), _area_body(ctx, profile, area))
        )
    else:
        sections.append(Section(texts.KEEP_AREA_UNDONE, texts.KEEP_NONE_AREA))
    return sections


def area_of_or_none(ctx: Context, number: int) -> object | None:
    return area_of(ctx.kb, number) if 1 <= number <= len(ctx.kb.areas) else None


def _area_body(ctx: Context, profile: Profile, area: KeptArea) -> str:
    found = area_of(ctx.kb, area.chosen)
    state = ChatState().at(AREA_FLOW, "chosen", text=area.text, chosen=area.chosen)
    turn = Turn(actor=Actor(user_id=0, chat_id=0, channel="web"), state=state, profile=profile)
    lines = [
        texts.KEEP_AREA_CHOSEN.format(number=found.number, title=found.title, clause=found.clause)
    ]
    if area.text:
        lines.append(texts.KEEP_AREA_DESCRIBED.format(text=area.text))
    checklist = checklist_text(ctx.kb).removesuffix("\n" + texts.AREA_CHECKLIST_FOOTER)
    lines += ["", title_text(ctx, turn, area.chosen), "", checklist]  # no "send me a draft"
    return "\n".join(lines)
