"""Forwarding and answering back below the channels: the button's stale and forged presses, the
store's refusals, a restart between answering and sending (rows first: nothing lost), the
association's and the province's scopes, the matching of a paraphrase, and the flow's diagram."""

from __future__ import annotations

import asyncio

import pytest

from bot.outbox import Outbox
from bot.runtime import Knobs, make_dispatcher, started, web_transport
from bot.service import ChatService
from bot.store import NotAllowed, Store
from bot.store.questions import QuestionsGone
from bot.transports.memory import MemoryTransport
from conversations import texts
from conversations.contacts import make_card
from conversations.core import Actor, CallbackEvent, ForwardQuestion, LocalAnswer, TextEvent
from conversations.diagrams import diagram_path, diagram_text
from conversations.forwarding import FLOW, matching, similarity
from tests.driver import Clock
from tests.mail_server import mail_settings

WUXI, WUXI_TOO, ASSOC, NOWHERE = 7101, 7102, 7103, 7104
QUESTION = "申报材料可以用快递寄过去吗"
MACHINERY = "江苏省机械行业协会"


@pytest.fixture
def service(tmp_path):
    settings = mail_settings(tmp_path / "data", server=type("S", (), {"port": 1})())
    opened = ChatService.open(settings, clock=Clock(2027, 3, 2, 10, 0))
    store = opened.store
    for chat, city, association in (
        (WUXI, "无锡", None), (WUXI_TOO, "无锡市", None), (ASSOC, None, MACHINERY),
        (NOWHERE, None, None),
    ):  # fmt: skip
        store.touch_user(chat, user_id=chat, person_id=store.telegram_person(chat))
        store.db.execute(
            "UPDATE users SET city = ?, association = ? WHERE chat_id = ?",
            [city, association, chat],
        )
    yield opened
    opened.close()


def turn(service: ChatService, chat: int, event):
    return service.handle(service.actor(chat, chat), event)


def forwarded(service: ChatService, chat: int, text: str = QUESTION) -> str:
    """Ask, press the button; the key the button carried."""
    asked = turn(service, chat, TextEvent(text=text)).replies[0]
    [data] = [b.data for row in asked.buttons for b in row if b.data.startswith("q:go:")]
    done = turn(service, chat, CallbackEvent(data=data)).replies[0]
    assert done.text.startswith("已把您的问题转给")
    return data.removeprefix("q:go:")


def organizer(store: Store, scope: str, name: str) -> int:
    return store.invite_by_email(store.operator(), f"{name}@example.cn", scope, name)


def pending_ids(store: Store) -> list[int]:
    return [i for (i,) in store.db.execute("SELECT id FROM unanswered WHERE scope IS NOT NULL")]


def test_a_stale_or_forged_button_is_told_so_and_nothing_is_recorded(service):
    store = service.store
    key = forwarded(service, WUXI)
    again = turn(service, WUXI, CallbackEvent(data=f"q:go:{key}")).replies[0]
    assert again.text == texts.FWD_ALREADY.format(where="无锡市")
    # Another chat's button, a key never made, a malformed one: no question to send.
    for data in (f"q:go:{key}", "q:go:0123456789ab", "q:city:0123456789ab.1"):
        reply = turn(service, WUXI_TOO, CallbackEvent(data=data)).replies[0]
        assert reply.text == texts.FWD_GONE
    for data in ("q:go:zz", "q:city:0123456789ab.99", "q:go:" + "a" * 40):
        assert (
            texts.CALLBACK_STALE
            in turn(service, WUXI_TOO, CallbackEvent(data=data)).replies[0].text
        )
    assert store.db.execute(
        "SELECT count(*) FROM unanswered WHERE scope IS NOT NULL"
    ).fetchone() == (1,)
    assert store.profile(WUXI_TOO).city == "无锡市"  # untouched


def test_the_confirmation_names_the_units_own_card_and_no_other(service):
    """Forwarded to 无锡: the confirmation gives 无锡's card (labelled as the unit's) for an
    urgent case; never the province's or another city's."""
    store = service.store
    for scope, unit, phone in (("city:无锡", "无锡市经信委", "0510-81234567"),
                               ("city:苏州", "苏州市工信局", "0512-61234567")):  # fmt: skip
        store.set_contact_card(
            store.operator(), make_card(scope, unit=unit, person="王科长", phone=phone)
        )
    asked = turn(service, WUXI, TextEvent(text=QUESTION)).replies[0]
    [data] = [b.data for row in asked.buttons for b in row if b.data.startswith("q:go:")]
    done = turn(service, WUXI, CallbackEvent(data=data)).replies[0].text
    card = "无锡市经信委（组织单位提供）王科长，电话：0510-81234567"
    assert f"急需的话，也可以直接联系：{card}" in done
    assert "0512" not in done


def test_the_store_refuses_a_forward_that_is_not_the_chats_own(service):
    store = service.store
    turn(service, WUXI, TextEvent(text=QUESTION))
    (key,) = store.db.execute("SELECT key FROM unanswered WHERE chat_id = ?", [WUXI]).fetchone()
    with pytest.raises(NotAllowed):  # another chat's question
        store.apply(WUXI_TOO, ForwardQuestion(key=key, scope="city:无锡"))
    with pytest.raises(NotAllowed):  # a city that is not the enterprise's
        store.apply(WUXI, ForwardQuestion(key=key, scope="city:苏州"))
    assert pending_ids(store) == []


def test_an_association_member_goes_to_its_association_and_a_newcomer_is_asked_the_city(service):
    store = service.store
    asked = turn(service, ASSOC, TextEvent(text=QUESTION)).replies[0]
    assert asked.buttons[0][0].label == f"转给{MACHINERY}"
    forwarded(service, ASSOC)
    scopes = store.db.execute("SELECT scope FROM unanswered WHERE chat_id = ?", [ASSOC])
    assert {scope for (scope,) in scopes} == {None, f"assoc:{MACHINERY}"}  # asked twice
    asked = turn(service, NOWHERE, TextEvent(text=QUESTION)).replies[0]
    city = turn(service, NOWHERE, CallbackEvent(data=asked.buttons[0][0].data)).replies[0]
    assert city.text == texts.FWD_ASK_CITY and len([b for r in city.buttons for b in r]) == 14
    # An association's organizer reads its own questions only; a city's none of them.
    assoc = organizer(store, f"assoc:{MACHINERY}", "assoc")
    wuxi = organizer(store, "city:无锡", "wuxi")
    assert [q["text"] for q in store.forwarded_questions(assoc)] == [QUESTION]
    assert store.forwarded_questions(wuxi) == []
    with pytest.raises(NotAllowed):
        store.answer_questions(wuxi, pending_ids(store), "无锡市经信委", "可以")
    with pytest.raises(NotAllowed):  # a unit that is not the organizer's
        store.answer_questions(assoc, pending_ids(store), "无锡市经信委", "可以")
    store.answer_questions(assoc, pending_ids(store), MACHINERY, "可以", publish=True)
    with pytest.raises(QuestionsGone):  # answered already: nothing twice
        store.answer_questions(assoc, pending_ids(store), MACHINERY, "可以")
    assert [a.scope for a in store.local_answers_for([f"assoc:{MACHINERY}", "province"])] == [
        f"assoc:{MACHINERY}"
    ]
    assert store.local_answers_for(["city:无锡", "province"]) == []


def test_a_province_answer_applies_everywhere(service):
    store = service.store
    forwarded(service, WUXI)
    province = organizer(store, "province", "sheng")
    assert len(store.forwarded_questions(province)) == 1
    store.answer_questions(province, pending_ids(store), "江苏省经信委", "可以快递。", publish=True)
    for chat in (WUXI_TOO, ASSOC, NOWHERE):
        reply = turn(service, chat, TextEvent(text="申报材料可以快递寄过去吗")).replies[0]
        assert reply.text.startswith("江苏省经信委答复（2027-03-02，组织单位答复，非通知原文）：")


async def test_a_restart_between_answering_and_sending_loses_no_delivery(tmp_path, service):
    store = service.store
    forwarded(service, WUXI)
    wuxi = organizer(store, "city:无锡", "wuxi")
    store.answer_questions(wuxi, pending_ids(store), "无锡市经信委", "可以用EMS寄。")
    # The process claims the row and dies before it is marked.
    claimed = Outbox(store.db, "messages", clock=store.clock).claim("telegram")
    assert claimed is not None and claimed["kind"] == "answer"
    path = store.path
    service.close()
    reopened = ChatService.open(
        mail_settings(path.parent, server=type("S", (), {"port": 1})()), clock=store.clock
    )
    telegram = MemoryTransport("telegram")
    dispatcher = make_dispatcher(reopened, [telegram, web_transport(reopened)], Knobs(poll=0.05))
    async with started(dispatcher):
        for _ in range(200):
            if telegram.outbox:
                break
            await asyncio.sleep(0.02)
    [sent] = telegram.outbox
    assert sent.address == str(WUXI)
    assert (
        "无锡市经信委答复（2027-03-02，组织单位答复，非通知原文）：\n可以用EMS寄。"
        in sent.reply.text
    )
    row = reopened.store.db.execute(
        "SELECT status, in_doubt FROM messages WHERE kind = 'answer'"
    ).fetchone()
    assert row == ("sent", 1)
    reopened.close()


def test_forget_deletes_the_askers_questions_and_keeps_the_answer_without_its_writer(service):
    store = service.store
    forwarded(service, WUXI)
    wuxi = organizer(store, "city:无锡", "wuxi")
    store.answer_questions(wuxi, pending_ids(store), "无锡市经信委", "可以。", publish=True)
    store.forget(WUXI, WUXI)
    assert store.db.execute("SELECT count(*) FROM unanswered").fetchone() == (0,)
    assert store.db.execute(
        "SELECT count(*) FROM messages WHERE chat_id = ?", [WUXI]
    ).fetchone() == (0,)
    assert len(store.local_answers_for(["city:无锡"])) == 1  # the organizer's answer stays


def test_a_paraphrase_matches_conservatively_and_only_within_scope():
    assert similarity(QUESTION, "我们的申报材料可以用快递寄过去吗？") >= 85
    assert similarity(QUESTION, "申报材料可以当面送过去吗") < 85
    assert similarity("申报材料要交纸质版吗", "申报材料要交电子版吗") < 85
    wuxi = LocalAnswer(id=1, scope="city:无锡", unit="无锡市经信委", day="2027-03-02",
                       text="可以", questions=[QUESTION])  # fmt: skip
    assert matching([wuxi], "申报材料可以快递寄过去吗", ["city:无锡", "province"]) == wuxi
    assert matching([wuxi], "申报材料可以快递寄过去吗", ["city:苏州", "province"]) is None
    assert matching([wuxi], "评审专家是谁", ["city:无锡", "province"]) is None


def test_the_committed_diagram_is_the_one_the_table_generates(ctx):
    committed = diagram_path(FLOW).read_text(encoding="utf-8")
    assert committed == diagram_text(FLOW, ctx), "regenerate: python -m conversations.diagrams"


def test_without_a_store_the_decline_is_as_before(ctx):
    from tests.driver import handle

    outcome = handle(ctx, None, TextEvent(text=QUESTION))
    assert outcome.kind == "not_in_notice"
    assert all(not b.data.startswith("q:") for row in outcome.replies[0].buttons for b in row)
    assert [e.kind for e in outcome.effects] == ["unanswered"] and outcome.effects[0].key is None


def test_an_organizer_asking_is_not_offered_the_button(service):
    store = service.store
    person = organizer(store, "city:无锡", "wuxi")
    store.ensure_destination("telegram", "7999", person)
    store.touch_user(7999, user_id=7999, person_id=person)
    actor: Actor = service.actor(7999, 7999)
    reply = service.handle(actor, TextEvent(text=QUESTION)).replies[0]
    assert all(not b.data.startswith("q:") for row in reply.buttons for b in row)
