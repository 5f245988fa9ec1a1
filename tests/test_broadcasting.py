"""A broadcast reaches the scope's enterprises on every channel they subscribed on, counted per
channel as the organizer reads it: the preview's counts are the deliveries confirming makes,
the preview shows the e-mail as it arrives, and the report counts per channel after a real
sending — the dispatcher with memory lanes for Telegram and the web page, and e-mail through
the real SMTP transport to a server on loopback (tests/mail_server.py)."""

from __future__ import annotations

import re

import pytest

from bot.runtime import Knobs, make_dispatcher, started
from bot.service import ChatService
from bot.store import Store
from bot.store.people import WEB_ID_CEILING
from bot.transports import Result
from bot.transports.memory import MemoryTransport
from conversations import texts
from conversations.broadcasting import mail_subject, progress_text
from conversations.core import CallbackEvent, CommandEvent, TextEvent
from conversations.flows.broadcast import MAX_CHARS, render, utf16_len
from tests.driver import Clock
from tests.mail_server import MailServer, mail_settings, text_of
from tests.test_dispatch import until

ADMIN, ORG = 900, 501
YEAR = 2027
TG_1, TG_2 = 11, 12  # Telegram chats in 苏州; TG_2 has blocked the bot by the time we send
WEB = WEB_ID_CEILING - 7  # a web chat in 苏州
NANJING = 21  # a Telegram chat in 南京, with a confirmed e-mail too: never in 苏州's counts
NOTICE = "请于6月30日前报送推荐材料。"
KNOBS = Knobs(poll=0.05, progress_every=0.05, broadcast_backoff=0.1)


@pytest.fixture
def server():
    with MailServer() as running:
        yield running


@pytest.fixture
def service(tmp_path, server):
    settings = mail_settings(
        tmp_path / "data",
        server,
        admin_ids=[ADMIN],
        smtp_sender="notice@biaogan.example.cn",
        public_url="http://testserver",
    )
    svc = ChatService.open(settings, clock=Clock(YEAR, 5, 20, 10, 0))
    yield svc
    svc.close()


def confirmed_mail(store: Store, chat_id: int, address: str) -> int:
    """``address`` asked for by ``chat_id`` and its link used (double opt-in done)."""
    asked(store, chat_id, address)
    destination = store.destination("email", address)["id"]
    [row] = store.db["messages"].rows_where("destination_id = ?", [destination])
    assert store.confirm_mail(store.issue_confirm_token(row)).status == "confirmed"
    store.db.execute("UPDATE messages SET status = 'sent'")  # the confirmation went out
    return destination


def asked(store: Store, chat_id: int, address: str) -> None:
    person = store.db.execute("SELECT person_id FROM users WHERE chat_id = ?", [chat_id])
    assert store.request_mail(chat_id, person.fetchone()[0], address, YEAR) == "queued"


def enterprise(store: Store, chat_id: int, city: str = "苏州") -> None:
    store.touch_user(chat_id, user_id=chat_id if chat_id > 0 else None)
    store.subscribe(chat_id, YEAR)
    store.db.execute("UPDATE users SET city = ? WHERE chat_id = ?", [city, chat_id])


@pytest.fixture
def scope(service):
    """苏州: two Telegram chats, a web chat; e-mail confirmed for TG_1 (subscribed for two years:
    still one message) and for the web chat, and asked for by TG_2 but never confirmed. The
    organizer and an admin are subscribed in 苏州 too (an organizer's own e-mail as well)."""
    store = service.store
    with store.transaction():
        for chat in (TG_1, TG_2, WEB):
            enterprise(store, chat)
        enterprise(store, NANJING, "南京")
        a = confirmed_mail(store, TG_1, "a@example.cn")
        store.subscribe(TG_1, YEAR + 1, destination_id=a)
        confirmed_mail(store, WEB, "bounce@example.cn")
        asked(store, TG_2, "pending@example.cn")
        confirmed_mail(store, NANJING, "nj@example.cn")
        for chat in (ORG, ADMIN):
            enterprise(store, chat)
        store.grant(store.telegram_person(ADMIN), store.telegram_person(ORG), "city:苏州")
        confirmed_mail(store, ORG, "org@example.cn")
    return service


def say(svc: ChatService, event) -> list:
    return svc.handle(svc.actor(ORG, ORG), event).replies


def buttons(replies) -> dict[str, str]:
    return {b.label: b.data for r in replies for row in r.buttons for b in row}


def delivered_per_channel(store: Store) -> dict[str, int]:
    rows = store.db.execute("SELECT channel, count(*) FROM deliveries GROUP BY channel")
    return dict(rows.fetchall())


def test_the_previews_counts_per_channel_are_the_deliveries_confirming_makes(scope):
    store = scope.store
    reach = store.segment_reach("city:苏州")
    assert (reach.enterprises, reach.channels) == (3, {"email": 2, "telegram": 2, "web": 1})
    prompt = say(scope, CommandEvent(name="broadcast"))[0].text
    assert "将发给苏州市 3 家企业，共 5 份：Telegram 2 · 网页 1 · 电子邮件 2。" in prompt

    [preview] = say(scope, TextEvent(text=NOTICE))
    notice = render("city:苏州", NOTICE)
    assert preview.text.startswith(notice + "\n\n")
    assert "将发给苏州市 3 家企业，共 5 份：Telegram 2 · 网页 1 · 电子邮件 2。" in preview.text
    assert "电子邮件（2 封）" in preview.text
    assert f"主题：{mail_subject('city:苏州')}\n" in preview.text
    assert texts.BROADCAST_MAIL_LOG not in preview.text  # an SMTP server is set
    confirm = buttons([preview])["确认发送5份给苏州市"]

    done = say(scope, CallbackEvent(data=confirm))[0].text
    assert done.startswith(
        "已确认，开始向苏州市 3 家企业发送 5 份（Telegram 2 · 网页 1 · 电子邮件 2）"
    )
    assert delivered_per_channel(store) == {"email": 2, "telegram": 2, "web": 1}
    addresses = {
        r[0]
        for r in store.db.execute(
            "SELECT d.address FROM deliveries JOIN destinations d ON d.id = destination_id"
        )
    }
    assert addresses == {str(TG_1), str(TG_2), str(WEB), "a@example.cn", "bounce@example.cn"}
    [row] = store.recent_broadcasts()
    assert row["total"] == 5
    assert progress_text(row) == (
        f"群发 #{row['id']}：已发送 0 / 5（Telegram 0/2 · 网页 0/1 · 电子邮件 0/2）"
    )


def test_without_e_mail_recipients_the_preview_has_no_mail_view(scope):
    store = scope.store
    store.db.execute("UPDATE subscriptions SET active = 0 WHERE destination_id IN"
                     " (SELECT id FROM destinations WHERE channel = 'email')")  # fmt: skip
    say(scope, CommandEvent(name="broadcast"))
    [preview] = say(scope, TextEvent(text=NOTICE))
    assert "共 3 份：Telegram 2 · 网页 1。" in preview.text
    assert "主题" not in preview.text and "电子邮件" not in preview.text
    assert "确认发送3份给苏州市" in buttons([preview])


def test_a_notice_too_long_for_one_preview_comes_whole_then_the_counts_with_the_buttons(scope):
    say(scope, CommandEvent(name="broadcast"))
    text = "\n".join(["各企业请按时报送。"] * 390)  # fits one message, not with the lines below
    notice = render("city:苏州", text)
    assert utf16_len(notice) <= MAX_CHARS
    first, second = say(scope, TextEvent(text=text))
    assert first.text == notice and first.buttons == []
    assert second.text.startswith(texts.BROADCAST_PREVIEW_RULE)
    assert "共 5 份" in second.text and "主题：苏州市的通知" in second.text
    assert utf16_len(second.text) <= MAX_CHARS
    assert "确认发送5份给苏州市" in buttons([second])


def test_counts_that_changed_since_the_preview_are_shown_again_not_sent(scope):
    store = scope.store
    say(scope, CommandEvent(name="broadcast"))
    old = buttons(say(scope, TextEvent(text=NOTICE)))["确认发送5份给苏州市"]
    with store.transaction():
        enterprise(store, 13)  # a new subscriber on Telegram
    [again] = say(scope, CallbackEvent(data=old))
    assert again.text.startswith(texts.BROADCAST_REACH_CHANGED)
    assert "共 6 份：Telegram 3 · 网页 1 · 电子邮件 2。" in again.text
    assert store.db.execute("SELECT count(*) FROM deliveries").fetchone()[0] == 0
    assert say(scope, CallbackEvent(data=old))[0].text == texts.BROADCAST_STALE
    say(scope, CallbackEvent(data=buttons([again])["确认发送6份给苏州市"]))
    assert delivered_per_channel(store) == {"email": 2, "telegram": 3, "web": 1}


async def test_the_report_counts_sent_blocked_and_failed_per_channel(scope, server):
    telegram, web = MemoryTransport("telegram"), MemoryTransport("web")
    dispatcher = make_dispatcher(scope, [telegram, web], KNOBS)  # e-mail: SMTP on loopback
    telegram.script(str(TG_2), Result("blocked", "Forbidden: bot was blocked by the user"))
    server.mailbox.refuse("bounce@example.cn", "550 5.1.1 no such mailbox")
    say(scope, CommandEvent(name="broadcast"))
    [preview] = say(scope, TextEvent(text=NOTICE))
    say(scope, CallbackEvent(data=buttons([preview])["确认发送5份给苏州市"]))
    async with started(dispatcher):
        await until(lambda: any("已完成" in t for t in telegram.texts(str(ORG))), timeout=10)

    report = telegram.texts(str(ORG))[-1]
    assert "共 5 份，送达 3，无法送达 2，失败 0；" in report
    assert report.splitlines()[1:] == [
        "• Telegram 2 份：送达 1，已屏蔽机器人 1，失败 0",
        "• 网页 1 份：送达 1，会话已失效 0，失败 0",
        "• 电子邮件 2 份：送达 1，邮箱退信 1，失败 0",
    ]
    notice = render("city:苏州", NOTICE)
    assert telegram.texts(str(TG_1)) == web.texts(str(WEB)) == [notice]
    [mail] = server.mailbox.to("a@example.cn")
    assert f"主题：{mail['Subject']}\n" in preview.text  # the subject the preview showed
    body = text_of(mail).replace("\r\n", "\n")
    manage = re.search(r"http://testserver/mail/manage\?t=\S+", body).group(0)
    shown = preview.text.split("末尾附：\n", 1)[1]  # the mail as the preview showed it
    shown = shown.replace(texts.BROADCAST_MAIL_SITE, "http://testserver")
    assert body == f"{notice}\n\n{shown.replace(texts.BROADCAST_MAIL_MANAGE, manage)}\n"
    assert server.mailbox.to("pending@example.cn") == server.mailbox.to("org@example.cn") == []

    listing = say(scope, CommandEvent(name="broadcasts"))[0].text
    assert "已完成，送达 3 / 5" in listing
    assert "（送达：Telegram 1/2 · 网页 1/1 · 电子邮件 1/2）" in listing
    assert "无法送达 2，失败 0" in listing
