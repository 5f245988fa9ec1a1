"""/broadcast: an organizer sends a notice to the enterprises of their scope.

Steps: ``segment`` (the province only: 全省 or one city), ``compose`` (the notice's text),
``preview`` (the message exactly as recipients get it; how many enterprises and how many
messages on each channel; the e-mail as it arrives when anyone gets one; 确认发送N份 / 重新编辑
/ 取消). Data: ``segment``, ``text`` (as typed), ``nonce`` (the confirm button's, so an old one
is stale), ``reach`` (the messages per channel the preview promised). Every step checks the
actor again: a revoked organizer is refused at once, also at the confirm; a confirm whose
counts changed meanwhile shows the preview again instead of sending. Confirming is one effect
(``CreateBroadcast``); the store writes the broadcast, its deliveries (counted as
``Records.segment_reach`` counts them) and the audit row in the turn's transaction.
"""

from __future__ import annotations

import secrets

from conversations import scopes, texts
from conversations.broadcasting import channels_text, preview_lines, reach_text, render
from conversations.callbacks import encode
from conversations.core import Button, Context, CreateBroadcast, Outcome, Reply, Turn
from conversations.organizer_models import Reach
from conversations.steps import LEAVE, Edge, Flow, Step, StepTable

FLOW_NAME = "broadcast"
CODE = "b"
MAX_CHARS = 4096  # Telegram's limit of one message, in UTF-16 units, after rendering
CANCEL_WORDS = {"取消", "/cancel", "cancel"}


def _button(label: str, action: str, arg: str | int = "") -> Button:
    return Button(label=label, data=encode(CODE, action, arg))


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _reach(turn: Turn, segment: str) -> Reach:
    return turn.records.segment_reach(segment) if turn.records is not None else Reach()


def _allowed(turn: Turn, segment: str | None = None) -> bool:
    actor = turn.actor
    if not actor.is_organizer or actor.scope is None:
        return False
    return segment is None or scopes.covers(actor.scope, segment)


def _refused(turn: Turn) -> Outcome:
    """Not (or no longer) an organizer of this segment: a short reply, the draft dropped."""
    state = turn.state.dropped(FLOW_NAME)
    if state.flow == FLOW_NAME:
        state = state.at("menu")
    return Outcome(state=state, replies=[Reply(text=texts.ORG_ONLY)])


def _left(turn: Turn, text: str) -> Outcome:
    state = turn.state.at("menu") if turn.state.flow == FLOW_NAME else turn.state
    return Outcome(state=state.dropped(FLOW_NAME), replies=[Reply(text=text)])


# ---- segment ---------------------------------------------------------------------------------


def _segment_reply() -> Reply:
    rows = [[_button(texts.BROADCAST_ALL, "seg", "all")]]
    rows += scopes.city_rows(CODE, "seg", suffix="市")
    rows.append([_button(texts.BROADCAST_CANCEL, "cancel")])
    return Reply(text=texts.BROADCAST_CHOOSE, buttons=rows)


def start(ctx: Context, turn: Turn) -> Outcome:
    if not _allowed(turn):
        return Outcome(state=turn.state, replies=[Reply(text=texts.ORG_ONLY)])
    if turn.actor.chat_id != turn.actor.user_id:  # a group: the draft is not for its members
        return Outcome(state=turn.state, replies=[Reply(text=texts.BROADCAST_PRIVATE_ONLY)])
    base = turn.state.pause().dropped(FLOW_NAME)
    if turn.actor.scope == scopes.PROVINCE:
        return Outcome(state=base.at(FLOW_NAME, "segment"), replies=[_segment_reply()])
    return _to_compose(turn, base, scopes.own_segment(turn.actor.scope or ""))


def _to_compose(turn: Turn, base, segment: str) -> Outcome:
    reach = _reach(turn, segment)
    if reach.total == 0:
        return _left(turn, texts.BROADCAST_EMPTY_SEGMENT.format(segment=scopes.label(segment)))
    return Outcome(
        state=base.at(FLOW_NAME, "compose", segment=segment),
        replies=[_compose_reply(segment, reach)],
    )


def _compose_reply(segment: str, reach: Reach) -> Reply:
    text = texts.BROADCAST_COMPOSE.format(reach=reach_text(segment, reach))
    return Reply(text=text, buttons=[[_button(texts.BROADCAST_CANCEL, "cancel")]])


def _on_segment(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    if arg == "all":
        segment = scopes.ALL
    elif arg.isdigit() and int(arg) < len(scopes.CITIES):
        segment = f"city:{scopes.CITIES[int(arg)]}"
    else:
        return None
    if not _allowed(turn, segment):
        return _refused(turn)
    return _to_compose(turn, turn.state, segment)


# ---- compose -> preview ----------------------------------------------------------------------


def _on_text(ctx: Context, turn: Turn, text: str) -> Outcome | None:
    segment = str(turn.state.data.get("segment", ""))
    if not _allowed(turn, segment):
        return _refused(turn)
    if text.strip() in CANCEL_WORDS:
        return _left(turn, texts.BROADCAST_CANCELLED)
    rendered = render(turn.actor.scope or "", text)
    if utf16_len(rendered) > MAX_CHARS:
        too_long = texts.BROADCAST_TOO_LONG.format(length=utf16_len(rendered), limit=MAX_CHARS)
        return Outcome(state=turn.state.with_data(step="compose"), replies=[Reply(text=too_long)])
    return _to_preview(ctx, turn, turn.state.with_data(text=text), segment)


def _to_preview(ctx: Context, turn: Turn, state, segment: str, note: str = "") -> Outcome:
    """The preview of ``state``'s text with the counts of now, and a fresh confirm button."""
    reach = _reach(turn, segment)
    if reach.total == 0:
        return _left(turn, texts.BROADCAST_EMPTY_SEGMENT.format(segment=scopes.label(segment)))
    nonce = secrets.token_hex(4)
    state = state.with_data(step="preview", nonce=nonce, reach=reach.channels)
    replies = _preview(ctx, turn, state.data, reach)
    if note:
        replies[-1] = replies[-1].model_copy(update={"text": f"{note}\n\n{replies[-1].text}"})
    return Outcome(state=state, replies=replies)


def _preview(ctx: Context, turn: Turn, data: dict, reach: Reach) -> list[Reply]:
    """The message exactly as recipients get it, then whom it reaches on which channel and
    the e-mail as it arrives; the confirm button says how many messages it sends.

    One message (Telegram allows about one a second in a chat) unless notice and lines
    together pass Telegram's 4096 units: then the notice alone first, whole, and the lines
    with the buttons second (split elsewhere, the notice would break at some line of its
    own)."""
    scope, segment = turn.actor.scope or "", str(data["segment"])
    notice = render(scope, str(data["text"]))
    lines = preview_lines(segment, reach, scope, mail_sent=ctx.mail == "smtp")
    label = texts.BROADCAST_CONFIRM.format(segment=scopes.label(segment), total=reach.total)
    buttons = [
        [_button(label, "confirm", str(data["nonce"]))],
        [_button(texts.BROADCAST_EDIT, "edit"), _button(texts.BROADCAST_CANCEL, "cancel")],
    ]
    whole = f"{notice}\n\n{lines}"
    if utf16_len(whole) <= MAX_CHARS:
        return [Reply(text=whole, buttons=buttons)]
    return [Reply(text=notice), Reply(text=lines, buttons=buttons)]


def _on_edit(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    segment = str(turn.state.data.get("segment", ""))
    if not _allowed(turn, segment):
        return _refused(turn)
    state = turn.state.with_data(step="compose", nonce="")
    return Outcome(state=state, replies=[_compose_reply(segment, _reach(turn, segment))])


def _on_cancel(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    if turn.state.flow != FLOW_NAME:
        return Outcome(state=turn.state, replies=[Reply(text=texts.BROADCAST_STALE)])
    return _left(turn, texts.BROADCAST_CANCELLED)


def _on_confirm(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    """确认发送 (accepted anywhere, so an old button gets a clear reply and sends nothing).
    Sends exactly what the button said: if the counts changed since the preview (someone
    subscribed or left), the preview is shown again with the new counts instead."""
    data = turn.state.data
    current = turn.state.flow == FLOW_NAME and turn.state.step == "preview"
    if not current or not arg or data.get("nonce") != arg:
        if not _allowed(turn):
            return Outcome(state=turn.state, replies=[Reply(text=texts.ORG_ONLY)])
        return Outcome(state=turn.state, replies=[Reply(text=texts.BROADCAST_STALE)])
    segment = str(data.get("segment", ""))
    if not _allowed(turn, segment):
        return _refused(turn)
    reach = _reach(turn, segment)
    label = scopes.label(segment)
    if reach.total == 0:
        return _left(turn, texts.BROADCAST_EMPTY_SEGMENT.format(segment=label))
    if reach.channels != data.get("reach"):
        return _to_preview(ctx, turn, turn.state, segment, texts.BROADCAST_REACH_CHANGED)
    scope = turn.actor.scope or ""
    effect = CreateBroadcast(
        by=turn.actor.person_id,
        scope=scope,
        segment=segment,
        text=render(scope, str(data.get("text", ""))),
    )
    queued = texts.BROADCAST_QUEUED.format(
        segment=label,
        enterprises=reach.enterprises,
        total=reach.total,
        channels=channels_text(reach.channels),
    )
    outcome = _left(turn, queued)
    outcome.effects.append(effect)
    return outcome


def screen(ctx: Context, turn: Turn) -> Reply | None:
    state = turn.state
    if state.flow != FLOW_NAME or not _allowed(turn):
        return None
    segment = str(state.data.get("segment", ""))
    if state.step == "segment":
        return _segment_reply()
    reach = _reach(turn, segment)
    if state.step == "preview" and state.data.get("nonce") and reach.total:
        # One reply: the channel splits it if it is too long. Counts changed since the
        # preview: its confirm shows the preview again (never sends other counts than shown).
        replies = _preview(ctx, turn, state.data, reach)
        return Reply(text="\n\n".join(r.text for r in replies), buttons=replies[-1].buttons)
    return _compose_reply(segment, reach)


# ---- the table -------------------------------------------------------------------------------


_CANCEL = Edge(_on_cancel, (LEAVE,), "取消")
_TABLE = StepTable(
    steps=(
        Step("segment", "省级：选择全省或一个市", buttons={"seg": Edge(_on_segment, ("compose",))}),
        Step(
            "compose",
            "输入通知全文",
            text=Edge(_on_text, ("preview", "compose", LEAVE), "空范围或取消则离开"),
            verbatim=True,
        ),
        Step(
            "preview",
            "预览（收件人所见，含邮件）与各渠道份数",
            buttons={"edit": Edge(_on_edit, ("compose",))},
            text=Edge(_on_text, ("preview", "compose", LEAVE), "新的全文；取消则离开"),
            verbatim=True,
        ),
    ),
    anywhere={
        "cancel": _CANCEL,
        "confirm": Edge(
            _on_confirm,
            (LEAVE, "preview"),
            "确认发送 b:confirm:<nonce>；旧按钮只回复已失效；份数有变则重新预览",
        ),
    },
    entry="/broadcast（仅组织单位）",
)

FLOW = Flow(
    name=FLOW_NAME,
    code=CODE,
    command="broadcast",
    description=texts.CMD_BROADCAST,
    table=lambda ctx: _TABLE,
    start=start,
    screen=screen,
    resume_label=lambda ctx, turn: texts.BROADCAST_RESUME_LABEL,
    diagram="broadcast.mmd",
    organizers_only=True,
)
