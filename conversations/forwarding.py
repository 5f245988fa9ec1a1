"""Answers back to the asker (issue 19, 4): a question the notice does not answer can go to the
enterprise's own organizer, and the answers organizers publish for their scope answer the next
similar question — only where the notice itself has no answer.

- ``on_question``: called where the router answers a typed question. When the notice declines
  (``not_in_notice``), an answer published for one of the enterprise's scopes
  (``scopes.scopes_of``: its city's, its association's, the province's) that matches the
  question is given at once, labelled as that unit's with its date (``local_reply``); else
  the decline gets a 转给本市组织单位 button, and the unanswered record a key the button names.
  Any other answer is left exactly as it was: the notice's answers are never displaced.
- The button (this module's ``FLOW``, reached by buttons only): the question goes to the
  enterprise's city (else its association); without either, the 13 cities to tap (the city is
  recorded in the profile). A stale or forged button is told so, and nothing is recorded.
- ``matching``: a paraphrase is matched with the project's normaliser and segmenter and
  rapidfuzz, conservatively (``SIMILAR``).

Published answers are read through ``Context.local_answers`` (the store, injected by the
shell); the question behind a button through the turn's ``records``.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Protocol, cast

from conversations import scopes, texts
from conversations.answer_text import Answer
from conversations.callbacks import encode
from conversations.contacts import card_inline
from conversations.core import (
    Button,
    Context,
    ForwardQuestion,
    LocalAnswer,
    Outcome,
    Profile,
    RecordUnanswered,
    Reply,
    Turn,
    UpdateProfile,
)
from conversations.menu import back_button, doc
from conversations.steps import Edge, Flow, Step, StepTable

CODE = "q"  # 问 (wèn)
NAME = "forward"
SIMILAR = 85  # rapidfuzz score (0-100) at which two questions count as the same one
KEY = re.compile(r"^[0-9a-f]{12}$")
# Words that do not change what is asked (particles, greetings, "we"): left out of the match.
FILLER = frozenset({
    "的", "了", "吗", "呢", "吧", "啊", "呀", "么", "嘛", "请问", "问", "问下", "想", "想问",
    "你好", "您好", "我们", "我", "咱们", "贵", "一下", "是", "在", "有",
})  # fmt: skip


class QuestionRecords(Protocol):
    """What the button asks of the store (the shell passes the store itself)."""

    def forwardable(self, chat_id: int, key: str) -> dict[str, Any] | None: ...


# ---- matching a paraphrase -------------------------------------------------------------------


def _words(text: str) -> list[str]:
    from knowledge.text import normalize, words

    return [w for w in words(normalize(text)) if w not in FILLER and any(c.isalnum() for c in w)]


def similarity(a: str, b: str) -> float:
    """How alike two questions are (0-100): the better of the whole wording's ratio and the
    words' ratio in any order, filler left out."""
    from rapidfuzz import fuzz  # loaded by the first declined question, not at start-up

    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return max(fuzz.ratio("".join(wa), "".join(wb)), fuzz.token_sort_ratio(wa, wb))


def matching(found: list[LocalAnswer], text: str, allowed: list[str]) -> LocalAnswer | None:
    """The published answer (of a scope in ``allowed``) whose questions are most like
    ``text``, at ``SIMILAR`` or above; the enterprise's own scope first on a tie."""
    best: tuple[float, int, LocalAnswer] | None = None
    for answer in found:
        if answer.scope not in allowed:
            continue  # never shown outside its scope, whatever the reader handed over
        score = max((similarity(text, q) for q in answer.questions), default=0.0)
        rank = (score, -allowed.index(answer.scope), answer)
        if score >= SIMILAR and (best is None or rank[:2] > best[:2]):
            best = rank
    return best[2] if best is not None else None


# ---- the decline: a published answer, or the button ---------------------------------------


def label(unit: str, day: str) -> str:
    return texts.FWD_LABEL.format(unit=unit, day=day)


def local_reply(ctx: Context, answer: LocalAnswer) -> Reply:
    note = texts.FWD_LOCAL_NOTE.format(unit=answer.unit, **doc(ctx))
    text = f"{label(answer.unit, answer.day)}\n{answer.text}\n\n{note}"
    return Reply(text=text, buttons=[back_button()])


def delivered_text(unit: str, day: str, question: str, text: str) -> str:
    """What an asker receives on each channel: the question, then the labelled answer."""
    return texts.FWD_DELIVERED.format(question=question, label=label(unit, day), text=text)


def profile_scopes(profile: Profile) -> list[str]:
    return scopes.scopes_of(profile.city, profile.association)


def on_question(ctx: Context, turn: Turn, text: str, answer: Answer) -> tuple[Answer, list]:
    """The answer to show and what to record, once the notice was asked: unchanged unless the
    notice has no answer; then a published answer of the enterprise's scopes, or the decline
    with its forward button."""
    if answer.answered:
        return answer, []
    if answer.kind != "not_in_notice":
        return answer, [RecordUnanswered(text=text)]
    allowed = profile_scopes(turn.profile)
    found = matching(ctx.local_answers(allowed), text, allowed)
    if found is not None:
        local = Answer(local_reply(ctx, found), None, None, answer.score, True, "local")  # type: ignore[arg-type]
        return local, []
    if turn.records is None or turn.actor.is_organizer:
        return answer, [RecordUnanswered(text=text)]
    key = question_key(turn, text, ctx)
    where = target_scope(turn.profile)
    caption = (
        texts.FWD_BUTTON_TO.format(where=scopes.label(where))
        if where is not None and where.startswith("assoc:")
        else texts.FWD_BUTTON_CITY
    )
    row = [Button(label=caption, data=encode(CODE, "go", key))]
    reply = answer.reply.model_copy(update={"buttons": [row, *answer.reply.buttons]})
    offered = Answer(reply, answer.entry, answer.clause, answer.score, False, answer.kind)
    return offered, [RecordUnanswered(text=text, key=key)]


def question_key(turn: Turn, text: str, ctx: Context) -> str:
    """The button's handle of this question in this chat (the store keeps it with the row)."""
    seed = f"{turn.actor.chat_id}|{ctx.clock().isoformat()}|{text}"
    return hashlib.sha256(seed.encode()).hexdigest()[:12]


def target_scope(profile: Profile) -> str | None:
    """Where the question goes: the enterprise's city, else its association; None: unknown."""
    first = profile_scopes(profile)[0]
    return None if first == scopes.PROVINCE else first


# ---- the button --------------------------------------------------------------------------


def _asked(turn: Turn, key: str) -> dict[str, Any] | None:
    if not KEY.fullmatch(key) or turn.records is None:
        return None
    return cast(QuestionRecords, turn.records).forwardable(turn.actor.chat_id, key)


def _where(scope: str) -> str:
    return texts.FWD_PLACE_PROVINCE if scope == scopes.PROVINCE else scopes.label(scope)


def _said(turn: Turn, text: str) -> Outcome:
    return Outcome(state=turn.state, replies=[Reply(text=text, buttons=[back_button()])])


def _checked(turn: Turn, key: str) -> tuple[dict[str, Any] | None, Outcome | None]:
    """The question behind a button, or the reply when there is none to forward."""
    found = _asked(turn, key)
    if found is None:
        return None, _said(turn, texts.FWD_GONE)
    if found.get("scope"):
        return None, _said(turn, texts.FWD_ALREADY.format(where=_where(found["scope"])))
    return found, None


def _forward(
    ctx: Context, turn: Turn, key: str, found: dict[str, Any], scope: str, effects: list
) -> Outcome:
    text = texts.FWD_DONE.format(where=_where(scope), question=found["text"])
    for card in ctx.contact_cards([scope]):
        if card.scope == scope:  # the unit's own card, labelled as the unit's
            text += texts.FWD_DONE_CARD.format(card=card_inline(card))
    done = _said(turn, text)
    done.effects = [*effects, ForwardQuestion(key=key, scope=scope)]
    done.kind = "forwarded"
    return done


def _on_go(ctx: Context, turn: Turn, key: str) -> Outcome | None:
    if not KEY.fullmatch(key):
        return None  # malformed: the router's stale-button reply
    found, said = _checked(turn, key)
    if found is None:
        return said
    scope = target_scope(turn.profile)
    if scope is not None:
        return _forward(ctx, turn, key, found, scope, [])
    rows = scopes.city_rows(CODE, "city", key)
    reply = Reply(text=texts.FWD_ASK_CITY, buttons=[*rows, back_button()])
    return Outcome(state=turn.state, replies=[reply])


def _on_city(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    key, _, number = arg.partition(".")
    if not KEY.fullmatch(key) or not number.isdigit() or int(number) >= len(scopes.CITIES):
        return None
    found, said = _checked(turn, key)
    if found is None:
        return said
    city = scopes.CITIES[int(number)]
    return _forward(ctx, turn, key, found, f"city:{city}", [UpdateProfile(city=city)])


_TABLE = StepTable(
    steps=(
        Step("forwarded", "已转给组织单位：答复后发到提问的地方"),
        Step("city", "不知道企业在哪个市：点选城市"),
    ),
    anywhere={
        "go": Edge(_on_go, ("forwarded", "city"), "转给本市组织单位 q:go:<key>"),
        "city": Edge(_on_city, ("forwarded",), "所在城市 q:city:<key>.<n>：记入企业信息并转交"),
    },
    entry="“通知中没有…”的回答下的“转给本市组织单位”按钮",
)

FLOW = Flow(
    name=NAME,
    code=CODE,
    command="",  # buttons only: no command, not in the menu
    description=texts.FWD_FLOW_DESCRIPTION,
    table=lambda ctx: _TABLE,
    start=lambda ctx, turn: _said(turn, texts.FWD_GONE),
    screen=lambda ctx, turn: None,
    diagram="forward.mmd",
    resume_label=lambda ctx, turn: texts.FWD_BUTTON_CITY,
)
