"""The /broadcast flow through the service and a real store: segment, compose, preview, confirm."""

from datetime import timedelta

import pytest

from bot.store import NotAllowed
from conversations import texts
from conversations.core import CallbackEvent, CommandEvent, TextEvent
from conversations.flows.broadcast import render

from .test_organizers import ADMIN, ORG, clock, service  # noqa: F401  (fixtures)

SUZHOU = [11, 12, 13]
NANJING = [21, 22]


@pytest.fixture
def org(service):  # noqa: F811  (the fixture of test_organizers)
    for chat in SUZHOU:
        service.store.touch_user(chat)
        service.store.subscribe(chat, 2026)
        service.store.db.execute("UPDATE users SET city = '苏州市' WHERE chat_id = ?", [chat])
    for chat in NANJING:
        service.store.touch_user(chat)
        service.store.subscribe(chat, 2026)
        service.store.db.execute("UPDATE users SET city = '南京' WHERE chat_id = ?", [chat])
    service.store.touch_user(99)  # in 苏州, but no subscriber
    service.store.db.execute("UPDATE users SET city = '苏州' WHERE chat_id = 99")
    store = service.store
    store.grant(store.telegram_person(ADMIN), store.telegram_person(ORG), "city:苏州")
    return service


def person(svc, user):
    return svc.store.telegram_person(user)


def send(svc, user, event):
    return svc.handle(svc.actor(user, user), event).replies


def buttons(replies):
    return {b.label: b.data for r in replies for row in r.buttons for b in row}


def deliveries(svc):
    return [r[0] for r in svc.store.db.execute("SELECT chat_id FROM deliveries ORDER BY 1")]


def compose(svc, user, text="请于6月30日前报送推荐材料。"):
    send(svc, user, CommandEvent(name="broadcast"))
    return send(svc, user, TextEvent(text=text))


def test_preview_shows_exactly_what_recipients_get_with_the_count_then_confirm(org):
    replies = compose(org, ORG)
    notice = render("city:苏州", "请于6月30日前报送推荐材料。")
    assert len(replies) == 1
    assert replies[0].text.startswith(notice + "\n\n")
    assert "以上是收件人收到的通知。将发给苏州市 3 家企业，共 3 份：Telegram 3。" in replies[0].text
    assert "电子邮件" not in replies[0].text  # nobody gets it by mail: no mail view
    confirm = buttons(replies)["确认发送3份给苏州市"]
    assert deliveries(org) == []
    done = send(org, ORG, CallbackEvent(data=confirm))
    assert "苏州市 3 家企业发送 3 份（Telegram 3）" in done[0].text
    assert deliveries(org) == SUZHOU
    row = org.store.recent_broadcasts()[0]
    assert (row["total"], row["pending"], row["text"]) == (3, 3, notice)
    assert org.store.recent_audit()[0]["action"] == "broadcast"
    again = send(org, ORG, CallbackEvent(data=confirm))
    assert again[0].text == texts.BROADCAST_STALE
    assert deliveries(org) == SUZHOU


def test_cancel_sends_nothing(org):
    replies = compose(org, ORG)
    out = send(org, ORG, CallbackEvent(data=buttons(replies)["取消"]))
    assert out[0].text == texts.BROADCAST_CANCELLED
    assert deliveries(org) == []
    assert send(org, ORG, CallbackEvent(data=buttons(replies)["确认发送3份给苏州市"]))[0].text == (
        texts.BROADCAST_STALE
    )
    assert deliveries(org) == []


def test_typing_quxiao_while_composing_cancels(org):
    send(org, ORG, CommandEvent(name="broadcast"))
    assert send(org, ORG, TextEvent(text="取消"))[0].text == texts.BROADCAST_CANCELLED


def test_a_revoked_organizer_is_refused_at_the_confirm(org):
    replies = compose(org, ORG)
    org.store.revoke(person(org, ADMIN), person(org, ORG))
    out = send(org, ORG, CallbackEvent(data=buttons(replies)["确认发送3份给苏州市"]))
    assert out[0].text == texts.ORG_ONLY
    assert deliveries(org) == []
    assert org.store.load_state(ORG).flow == "menu"


def test_a_revoked_organizer_is_refused_mid_compose(org):
    send(org, ORG, CommandEvent(name="broadcast"))
    org.store.revoke(person(org, ADMIN), person(org, ORG))
    out = send(org, ORG, TextEvent(text="通知全文"))
    assert out[0].text == texts.ORG_ONLY


def test_over_long_text_after_the_header_is_refused(org):
    send(org, ORG, CommandEvent(name="broadcast"))
    out = send(org, ORG, TextEvent(text="字" * 4090))
    assert "超过了单条消息 4096 字" in out[0].text
    assert org.store.load_state(ORG).step == "compose"
    assert "确认发送3份给苏州市" in buttons(send(org, ORG, TextEvent(text="短通知")))


def test_an_empty_segment_gets_a_clear_reply(org):
    org.store.grant(person(org, ADMIN), person(org, 600), "assoc:江苏省机械行业协会")
    out = send(org, 600, CommandEvent(name="broadcast"))
    assert out[0].text == texts.BROADCAST_EMPTY_SEGMENT.format(segment="江苏省机械行业协会")
    assert org.store.load_state(600).flow == "menu"


def test_association_organizer_reaches_its_members_only(org):
    org.store.db.execute("UPDATE users SET association = '江苏省机械行业协会' WHERE chat_id = 21")
    org.store.grant(person(org, ADMIN), person(org, 600), "assoc:江苏省机械行业协会")
    replies = compose(org, 600)
    send(org, 600, CallbackEvent(data=buttons(replies)["确认发送1份给江苏省机械行业协会"]))
    assert deliveries(org) == [21]


def test_province_chooses_everyone_or_one_city(org):
    org.store.grant(person(org, ADMIN), person(org, 700), "province")
    choose = send(org, 700, CommandEvent(name="broadcast"))
    assert "全省" in buttons(choose) and "南京市" in buttons(choose)
    out = send(org, 700, CallbackEvent(data=buttons(choose)["南京市"]))
    assert "将发给南京市 2 家企业，共 2 份：Telegram 2。" in out[0].text
    replies = send(org, 700, TextEvent(text="南京的通知"))
    assert replies[0].text.startswith("【“质量标杆”活动通知 · 江苏省】")
    send(org, 700, CallbackEvent(data=buttons(replies)["确认发送2份给南京市"]))
    assert deliveries(org) == NANJING
    send(org, ADMIN, CommandEvent(name="broadcast"))
    out = send(org, ADMIN, CallbackEvent(data=buttons(choose)["全省"]))
    assert "将发给全省 5 家企业" in out[0].text


def test_a_city_organizer_cannot_reach_another_city(org):
    send(org, ORG, CommandEvent(name="broadcast"))
    forged = send(org, ORG, CallbackEvent(data="b:seg:0"))  # 南京, the province's button
    assert "失效" in forged[0].text
    with pytest.raises(NotAllowed):
        org.store.create_broadcast(person(org, ORG), ORG, "city:南京", "x")
    with pytest.raises(NotAllowed):
        org.store.create_broadcast(person(org, ORG), ORG, "all", "x")
    assert deliveries(org) == []


def test_blocked_users_are_not_in_the_segment(org):
    org.store.set_inactive(org.store.chat_destination(11), "blocked")
    reach = org.store.segment_reach("city:苏州")
    assert (reach.enterprises, reach.channels) == (2, {"telegram": 2})


def _outbox(store):
    from bot.outbox import Outbox

    return Outbox(store.db, "deliveries", clock=store.clock)


def test_broadcasts_list_shows_queued_sending_and_interrupted_ones(org):
    outbox = _outbox(org.store)
    first, _ = org.store.create_broadcast(person(org, ORG), ORG, "city:苏州", "一")
    listing = send(org, ORG, CommandEvent(name="broadcasts"))[0].text
    assert f"#{first}" in listing and "排队等待发送" in listing and "送达 0 / 3" in listing
    outbox.mark(outbox.claim("telegram"), "sent")
    listing = send(org, ORG, CommandEvent(name="broadcasts"))[0].text
    assert "发送中，送达 1 / 3" in listing
    org.store.clock.now += timedelta(minutes=5)  # no delivery tried since: the bot is down
    listing = send(org, ORG, CommandEvent(name="broadcasts"))[0].text
    assert "已中断" in listing
    for _ in range(2):
        outbox.mark(outbox.claim("telegram"), "sent")
    assert org.store.finish_if_done(first)
    assert not org.store.finish_if_done(first)
    assert "已完成，送达 3 / 3" in send(org, ORG, CommandEvent(name="broadcasts"))[0].text


def test_a_delivery_in_flight_at_a_crash_is_put_back_and_counted(org):
    broadcast_id, _ = org.store.create_broadcast(person(org, ORG), ORG, "city:苏州", "一")
    in_flight = _outbox(org.store).claim("telegram")
    assert _outbox(org.store).recover() == 1  # the next process
    again = _outbox(org.store).claim("telegram")
    assert again["chat_id"] == in_flight["chat_id"]
    assert org.store.broadcast(broadcast_id)["resends"] == 1


def test_a_chat_that_blocked_us_meanwhile_does_not_hold_the_broadcast_open(org):
    broadcast_id, _ = org.store.create_broadcast(person(org, ORG), ORG, "city:苏州", "一")
    outbox = _outbox(org.store)
    outbox.mark(outbox.claim("telegram"), "sent")
    outbox.mark(outbox.claim("telegram"), "sent")
    org.store.set_inactive(org.store.chat_destination(13), "blocked")
    assert outbox.claim("telegram") is None
    assert org.store.finish_if_done(broadcast_id)
    assert org.store.broadcast(broadcast_id)["blocked"] == 1


def test_broadcast_is_composed_in_the_private_chat_only(org):
    actor = org.actor(-100500, ORG)  # ORG in a group
    out = org.handle(actor, CommandEvent(name="broadcast")).replies
    assert out[0].text == texts.BROADCAST_PRIVATE_ONLY
    assert org.store.load_state(-100500).flow == "menu"
