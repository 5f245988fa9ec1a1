"""The area flow's step table: a practice described in free text -> an area of 四(一).

Steps: ``describe`` (waiting for a description), ``suggested`` (best area and up to two
alternatives, or all ten when unsure), ``list`` (all ten), ``name`` (an area was picked; the
enterprise name is asked once, skippable), ``chosen`` (case title and materials checklist),
``draft`` (waiting for a case draft to self-review). Data: ``text`` (the description),
``ranked`` (area numbers, best first), ``chosen``, ``name_skipped``.
"""

from __future__ import annotations

from collections.abc import Callable

from conversations import texts
from conversations.core import (
    Context,
    DocumentEvent,
    Effect,
    Outcome,
    RecordAreaSuggestion,
    Reply,
    Turn,
    UpdateProfile,
)
from conversations.flows.areas.draft import review_draft
from conversations.flows.areas.render import (
    FLOW_NAME,
    all_buttons,
    all_lines,
    area_number,
    area_of,
    button,
    case_title,
    checklist_text,
    suggestion_reply,
    title_text,
)
from conversations.menu import back_button
from conversations.steps import Edge, Step, StepTable
from knowledge.areas import AreaSuggestion

MAX_TEXT_KEPT = 1000  # characters of the description kept in the state
# A case draft is read whole up to this many characters, never cut: the notice sets no length
# (附件1 is not in it); a long write-up with its tables stays well under it, and reading it
# (four lists of cue words, the title, the years) is a few milliseconds.
DRAFT_MAX_CHARS = 20_000
UPLOAD_MB = 10  # the largest .docx / .pdf the web page takes (bot.web.keep)
NAME_LENGTH = (2, 40)
STEPS = ("describe", "suggested", "list", "name", "chosen", "draft")


def _prompt_reply() -> Reply:
    return Reply(
        text=texts.AREA_PROMPT, buttons=[[button(texts.AREA_BTN_ALL, "all")], back_button()]
    )


def start(ctx: Context, turn: Turn, arg: str = "") -> Outcome:
    """A fresh description (a half-done area flow is offered back by the router's buttons)."""
    state = turn.state.pause().dropped(FLOW_NAME).at(FLOW_NAME, "describe")
    if turn.state.flow == FLOW_NAME:
        state = turn.state.at(FLOW_NAME, "describe")
    return Outcome(state=state, replies=[_prompt_reply()])


def screen(ctx: Context, turn: Turn) -> Reply | None:
    """The pending step shown again."""
    state = turn.state
    if state.flow != FLOW_NAME:
        return None
    if state.step == "describe":
        return _prompt_reply()
    if state.step == "suggested" and state.data.get("text"):
        return suggestion_reply(ctx.kb, ctx.areas.suggest(str(state.data["text"])))
    if state.step == "name":
        return _name_question(ctx, int(state.data.get("chosen") or 1))
    if state.step == "draft":
        return _draft_prompt(turn)
    if state.step == "chosen" and area_number(str(state.data.get("chosen", ""))):
        return _chosen_reply(ctx, turn)
    return _list_reply(ctx)


def resume_label(ctx: Context, turn: Turn) -> str:
    return texts.AREA_RESUME_LABEL


# ---- describe -> suggest -------------------------------------------------------------------


def _suggest(ctx: Context, turn: Turn, text: str, suggestion: AreaSuggestion) -> Outcome:
    ranked = suggestion.numbers()
    kept = text[:MAX_TEXT_KEPT]
    new_state = turn.state.at(FLOW_NAME, "suggested", text=kept, ranked=ranked)
    effect = RecordAreaSuggestion(text=kept, ranked=ranked)
    return Outcome(
        state=new_state, replies=[suggestion_reply(ctx.kb, suggestion)], effects=[effect]
    )


def _on_description(ctx: Context, turn: Turn, text: str) -> Outcome | None:
    """A description at ``describe``; a question with no practice words goes to the FAQ."""
    suggestion = ctx.areas.suggest(text)
    if not suggestion.has_evidence and turn.reading is not None and turn.reading.is_question:
        return None
    return _suggest(ctx, turn, text, suggestion)


def _on_redescription(ctx: Context, turn: Turn, text: str) -> Outcome | None:
    """At ``suggested``/``list``: text with practice words is a new description."""
    suggestion = ctx.areas.suggest(text)
    return _suggest(ctx, turn, text, suggestion) if suggestion.has_evidence else None


def _list_reply(ctx: Context) -> Reply:
    return Reply(text=texts.AREA_ALL_HEADER + "\n" + all_lines(ctx.kb), buttons=all_buttons(ctx.kb))


def _on_all(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    if arg:
        return None
    state = turn.state
    if state.flow != FLOW_NAME:
        state = state.pause().dropped(FLOW_NAME).at(FLOW_NAME, "list")
    return Outcome(state=state.with_data(step="list"), replies=[_list_reply(ctx)])


def _on_again(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    return start(ctx, turn) if not arg else None


# ---- pick -> (name) -> title and checklist -------------------------------------------------


def _name_question(ctx: Context, number: int) -> Reply:
    area = area_of(ctx.kb, number)
    ask = texts.AREA_ASK_NAME.format(number=area.number, title=area.title)
    return Reply(text=ask, buttons=[[button(texts.AREA_BTN_SKIP, "skip")], back_button()])


def _on_pick(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    number = area_number(arg)
    if number is None:
        return None
    state = turn.state
    data = {"text": state.data.get("text", ""), "ranked": _ranked(state.data), "chosen": number}
    effect = RecordAreaSuggestion(text=data["text"], ranked=data["ranked"], chosen=number)
    if turn.profile.enterprise_name or state.data.get("name_skipped"):
        chosen = turn.moved(state.at(FLOW_NAME, "chosen", **data, name_skipped=True))
        return _chosen(ctx, chosen, [effect])
    return Outcome(
        state=state.at(FLOW_NAME, "name", **data),
        replies=[_name_question(ctx, number)],
        effects=[effect],
    )


def _on_name(ctx: Context, turn: Turn, text: str) -> Outcome | None:
    name = text.strip().strip("“”\"'「」《》 ")
    low, high = NAME_LENGTH
    reading = turn.reading
    if reading is not None and reading.is_question:
        return None
    if not low <= len(name) <= high or name.startswith("/"):
        reply = Reply(text=texts.AREA_NAME_INVALID, buttons=[[button(texts.AREA_BTN_SKIP, "skip")]])
        return Outcome(state=turn.state, replies=[reply])
    profile = turn.profile.model_copy(update={"enterprise_name": name})
    named = Turn(turn.actor, turn.state.with_data(step="chosen"), profile, turn.reading)
    return _chosen(ctx, named, [UpdateProfile(enterprise_name=name)])


def _on_skip(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    if arg:
        return None
    return _chosen(ctx, turn.moved(turn.state.with_data(step="chosen", name_skipped=True)), [])


def _chosen_reply(ctx: Context, turn: Turn) -> Reply:
    number = int(turn.state.data["chosen"])
    area = area_of(ctx.kb, number)
    lines = [
        texts.AREA_CHOSEN.format(number=area.number, title=area.title, clause=area.clause),
        "",
        title_text(ctx, turn, number),
        "",
        checklist_text(ctx.kb),
    ]
    buttons = [
        [button(texts.AREA_BTN_DRAFT, "draft")],
        [button(texts.AREA_BTN_ALL, "all"), button(texts.AREA_BTN_AGAIN, "again")],
        back_button(),
    ]
    return Reply(text="\n".join(lines), buttons=buttons)


def _chosen(ctx: Context, turn: Turn, effects: list[Effect]) -> Outcome:
    state = turn.state.with_data(step="chosen")
    return Outcome(state=state, replies=[_chosen_reply(ctx, turn.moved(state))], effects=effects)


# ---- case draft self-review ----------------------------------------------------------------


def _draft_prompt(turn: Turn) -> Reply:
    text = texts.AREA_DRAFT_PROMPT.format(limit=DRAFT_MAX_CHARS)
    if turn.actor.channel == "web":  # the page has an upload button; Telegram takes text
        text += texts.AREA_DRAFT_UPLOAD.format(mb=UPLOAD_MB)
    return Reply(text=text, buttons=[back_button()])


def _on_draft(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    if arg:
        return None
    return Outcome(state=turn.state.with_data(step="draft"), replies=[_draft_prompt(turn)])


def _review(ctx: Context, turn: Turn, text: str) -> str:
    number = area_number(str(turn.state.data.get("chosen", ""))) if _in_flow(turn) else None
    example = case_title(ctx, turn, number) if number else texts.AREA_EXAMPLE_TITLE
    return review_draft(text, turn.profile.enterprise_name, ctx.clock().year, example)


def _in_flow(turn: Turn) -> bool:
    return turn.state.flow == FLOW_NAME


def _reviewed(turn: Turn, body: str) -> Outcome:
    buttons = [
        [button(texts.AREA_BTN_DRAFT_AGAIN, "draft")],
        [button(texts.AREA_BTN_AGAIN, "again")],
        back_button(),
    ]
    return Outcome(
        state=turn.state.with_data(step="chosen"), replies=[Reply(text=body, buttons=buttons)]
    )


def _on_draft_text(ctx: Context, turn: Turn, text: str) -> Outcome | None:
    return _reviewed(turn, _review(ctx, turn, text))


def document_reply(ctx: Context, turn: Turn, name: str, text: str) -> Reply:
    """The review of an uploaded draft (or why it was not read): never a part of it."""
    length = len(text)
    if not text.strip():
        return Reply(text=texts.DRAFT_FILE_EMPTY.format(name=name))
    if length > DRAFT_MAX_CHARS:
        refused = texts.DRAFT_FILE_TOO_LONG
        return Reply(text=refused.format(name=name, length=length, limit=DRAFT_MAX_CHARS))
    header = texts.DRAFT_FILE_HEADER.format(name=name, length=length)
    return Reply(text=f"{header}\n\n{_review(ctx, turn, text)}")


def on_document(
    ctx: Context, turn: Turn, event: DocumentEvent, detour: Callable[[Reply], Outcome]
) -> Outcome:
    """An uploaded draft: checked where this flow waits for one, else as a ``detour`` (the
    router's: the user's place kept)."""
    if turn.state.flow == FLOW_NAME and turn.state.step in ("draft", "chosen"):
        return draft_outcome(ctx, turn, event.name, event.text)
    return detour(document_reply(ctx, turn, event.name, event.text))


def draft_outcome(ctx: Context, turn: Turn, name: str, text: str) -> Outcome:
    """An uploaded draft where the flow waits for one: reviewed, the flow at its result."""
    reply = document_reply(ctx, turn, name, text)
    if not text.strip() or len(text) > DRAFT_MAX_CHARS:
        return Outcome(state=turn.state, replies=[reply])
    return _reviewed(turn, reply.text)


def _ranked(data: dict) -> list[int]:
    ranked = data.get("ranked", [])
    return [int(n) for n in ranked] if isinstance(ranked, list) else []


# ---- the table -------------------------------------------------------------------------------

_ALL = Edge(_on_all, ("list",), "查看全部十个领域")
_AGAIN = Edge(_on_again, ("describe",), "重新描述")
_PICK = Edge(_on_pick, ("name", "chosen"), "选（n）/ RecordAreaSuggestion(chosen)")
_REDESCRIBE = Edge(_on_redescription, ("suggested",), "描述（含做法用语）/ RecordAreaSuggestion")

TABLE = StepTable(
    steps=(
        Step(
            "describe",
            "等待描述做法",
            text=Edge(_on_description, ("suggested",), "描述 / RecordAreaSuggestion"),
        ),
        Step("suggested", "推荐最贴近的领域", buttons={"pick": _PICK}, text=_REDESCRIBE),
        Step("list", "十个领域", buttons={"pick": _PICK}, text=_REDESCRIBE),
        Step(
            "name",
            "询问企业名称（可跳过）",
            buttons={"skip": Edge(_on_skip, ("chosen",), "跳过")},
            text=Edge(_on_name, ("chosen", "name"), "企业名称 / UpdateProfile"),
        ),
        Step(
            "chosen",
            "案例标题与材料清单",
            buttons={"pick": _PICK, "draft": Edge(_on_draft, ("draft",), "自查案例草稿")},
        ),
        Step(
            "draft",
            "等待案例草稿",
            buttons={"draft": Edge(_on_draft, ("draft",), "再自查一份")},
            text=Edge(_on_draft_text, ("chosen",), "草稿 / 自查提示"),
            max_text=DRAFT_MAX_CHARS,
        ),
    ),
    anywhere={"all": _ALL, "again": _AGAIN},
    entry="/area · 菜单“领域推荐” · /start area",
)


def table(ctx: Context) -> StepTable:
    return TABLE
