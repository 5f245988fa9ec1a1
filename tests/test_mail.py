"""Reminders and notices by e-mail, end to end against a real SMTP server on loopback (aiosmtpd,
started by each test), the web page's HTTP API and the confirm/unsubscribe pages, under a
controlled clock. The mails are read as the server received them."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage

import httpx
import pytest

from bot.config import Settings
from bot.dispatch import Dispatcher
from bot.runtime import Knobs, make_dispatcher, web_transport
from bot.service import ChatService
from bot.web import WebLimits, build_web_app
from conversations import texts
from conversations.core import Actor, CalendarDate, CommandEvent, TextEvent, UpdateProfile
from tests.driver import Clock
from tests.mail_server import MailServer, html_of, mail_settings, text_of
from tests.web_visitor import Visitor

SITE = "http://testserver"
RELAXED = WebLimits(session_per_second=0, address_per_second=0)
KNOBS = Knobs(poll=3600, progress_every=3600, reminder_backoff=30)
CONFIRM_LINK = re.compile(re.escape(SITE) + r"/mail/confirm\?t=(\S+)")
ALL_PENDING = {30: "pending", 7: "pending", 1: "pending"}
FIRST_SENT_THEN_STOPPED = {30: "sent", 7: "cancelled", 1: "cancelled"}
MANAGE_LINK = re.compile(re.escape(SITE) + r"/mail/manage\?t=(\S+)")


@pytest.fixture
def clock():
    return Clock(2027, 5, 20, 10, 0)


@pytest.fixture
def server():
    with MailServer() as running:
        yield running


@pytest.fixture
def settings(tmp_path, server):
    return mail_settings(
        tmp_path / "data", server, smtp_sender="notice@biaogan.example.cn", public_url=SITE
    )


@dataclass
class World:
    service: ChatService
    dispatcher: Dispatcher
    client: httpx.AsyncClient
    server: MailServer
    clock: Clock
    browsers: list[httpx.AsyncClient]

    async def send_due(self) -> int:
        return await self.dispatcher.drain("email")

    async def visitor(self) -> Visitor:
        """A new visitor: a browser of its own (its own cookie jar)."""
        client = httpx.AsyncClient(transport=self.client._transport, base_url=SITE)
        self.browsers.append(client)
        visitor = Visitor(client)
        await visitor.open()
        return visitor

    def mails(self) -> list[EmailMessage]:
        return self.server.mailbox.received


@pytest.fixture
async def world(settings, server, clock):
    service = ChatService.open(settings, clock=clock)
    dispatcher = make_dispatcher(service, [web_transport(service)], KNOBS)
    app = build_web_app(settings, service, RELAXED)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=SITE) as client:
        world = World(service, dispatcher, client, server, clock, [])
        yield world
        for browser in world.browsers:
            await browser.aclose()
    await dispatcher.stop()
    service.close()


def set_date(world: World, milestone: str, day: date) -> None:
    store = world.service.store
    store.set_calendar_date(
        store.operator(), CalendarDate(year=day.year, milestone=milestone, day=day)
    )


async def ask_by_mail(world: World, visitor: Visitor, address: str) -> str:
    """On the web page: /email, then the address; the reply's text."""
    await visitor.say("/email")
    replies = await visitor.say(address)
    return replies[-1]["text"]


async def confirmation_token(world: World, address: str) -> str:
    await world.send_due()
    mail = world.server.mailbox.to(address)[-1]
    found = CONFIRM_LINK.search(text_of(mail))
    assert found, text_of(mail)
    return found.group(1)


async def subscribed(world: World, address: str, visitor: Visitor | None = None) -> Visitor:
    """A web visitor who asked for mail at ``address`` and used the link."""
    visitor = visitor or await world.visitor()
    await ask_by_mail(world, visitor, address)
    token = await confirmation_token(world, address)
    response = await world.client.post("/mail/confirm", data={"t": token})
    assert response.status_code == 200 and texts.PAGE_CONFIRMED_HEADING in response.text
    return visitor


def destination(world: World, address: str) -> dict:
    found = world.service.store.destination("email", address)
    assert found is not None
    return found


def reminder_statuses(world: World, address: str) -> dict[int, str]:
    rows = world.service.store.db.execute(
        "SELECT r.offset_days, r.status FROM reminders r JOIN destinations d"
        " ON d.id = r.destination_id WHERE d.address = ? AND r.kind = 'due'",
        [address],
    )
    return dict(rows.fetchall())


# ---- double opt-in ---------------------------------------------------------------------------


async def test_the_confirmation_mail_and_its_link_subscribe_the_address_and_only_then_remind(
    world,
):
    set_date(world, "submission", date(2027, 6, 30))
    visitor = await world.visitor()
    said = await ask_by_mail(world, visitor, "Zhang@Example.CN")
    assert "确认邮件已发往 Zhang@example.cn" in said
    assert await world.send_due() == 1
    [mail] = world.mails()
    assert mail["Subject"] == texts.MAIL_SUBJECT_CONFIRM
    assert mail["To"] == "Zhang@example.cn"
    assert "江苏省质量标杆申报助手" in str(mail["From"])
    assert mail.get_content_type() == "multipart/alternative"
    token = CONFIRM_LINK.search(text_of(mail)).group(1)
    assert f'href="{SITE}/mail/confirm?t={token}"' in html_of(mail)
    # Only the link's hash is kept: the token is nowhere in the database files.
    store = world.service.store
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert token.encode() not in store.path.read_bytes()

    # Nothing but the confirmation goes to an unconfirmed address, even when a reminder is due.
    world.clock.set(2027, 5, 31, 9, 0)
    assert await world.send_due() == 0
    world.clock.set(2027, 5, 20, 11, 0)

    page = await world.client.get(f"/mail/confirm?t={token}")  # a mail scanner's GET…
    assert page.status_code == 200 and texts.PAGE_CONFIRM_BUTTON in page.text
    assert not destination(world, "Zhang@example.cn")["verified"]  # …confirms nothing
    done = await world.client.post("/mail/confirm", data={"t": token})
    assert done.status_code == 200
    assert "每个节点前 30、7、1 天上午9点" in done.text and 'name="offsets"' in done.text
    assert destination(world, "Zhang@example.cn")["verified"]
    assert reminder_statuses(world, "Zhang@example.cn") == {
        30: "pending",
        7: "pending",
        1: "pending",
    }

    world.clock.set(2027, 5, 31, 9, 0)
    assert await world.send_due() == 1
    reminder = world.mails()[-1]
    assert reminder["Subject"].startswith("提醒：")
    body = text_of(reminder)
    assert "2027年6月30日" in body and "见通知" in body  # the clause citations, as in chat
    assert "调整提醒时间或退订（无需登录）" in body
    [ics] = [part for part in reminder.iter_attachments()]
    assert ics.get_filename() == "biaogan-2027.ics"
    assert "BEGIN:VCALENDAR" in ics.get_content()
    unsubscribe = reminder["List-Unsubscribe"].strip()
    assert unsubscribe.startswith(f"<{SITE}/mail/unsubscribe?t=")
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def calendar_file(mail: EmailMessage) -> str:
    [ics] = [part for part in mail.iter_attachments()]
    return ics.get_content()


async def test_a_moved_date_is_in_the_calendar_file_of_the_next_mails(world):
    set_date(world, "submission", date(2027, 6, 30))
    await subscribed(world, "sun@example.cn")
    await subscribed(world, "zhou@example.cn")
    world.clock.set(2027, 5, 31, 9, 0)
    assert await world.send_due() == 2  # one file drawn for the sweep, the same in both
    first = [calendar_file(m) for m in world.mails()[-2:]]
    assert "20270630T090000" in first[0] and first[0] == first[1]

    world.clock.set(2027, 6, 1, 10, 0)
    set_date(world, "submission", date(2027, 7, 10))
    assert await world.send_due() == 2  # the news that it moved, each with the new file
    for mail in world.mails()[-2:]:
        assert "2027年7月10日" in text_of(mail)
        assert "20270710T090000" in calendar_file(mail)
        assert "20270630" not in calendar_file(mail)


async def test_the_subject_is_encoded_for_the_wire(world, server):
    visitor = await world.visitor()
    await ask_by_mail(world, visitor, "li@example.cn")
    await world.send_due()
    raw = server.mailbox.received[0].as_bytes()
    assert b"Subject: =?utf-8?" in raw  # RFC 2047, not raw UTF-8 in a header
    assert "请确认".encode() not in raw.split(b"\n\n", 1)[0]


async def test_a_link_used_twice_or_late_changes_nothing(world):
    visitor = await subscribed(world, "wang@example.cn")
    token = CONFIRM_LINK.search(text_of(world.mails()[0])).group(1)
    again = await world.client.post("/mail/confirm", data={"t": token})
    assert again.status_code == 200 and "已经用过了" in again.text
    count = world.service.store.db.execute("SELECT count(*) FROM subscriptions").fetchone()[0]
    assert count == 1

    await ask_by_mail(world, visitor, "late@example.cn")
    late = await confirmation_token(world, "late@example.cn")
    world.clock.set(2027, 5, 21, 10, 1)  # 24 hours and a minute later
    expired = await world.client.post("/mail/confirm", data={"t": late})
    assert expired.status_code == 410 and "已过期" in expired.text
    assert not destination(world, "late@example.cn")["verified"]
    unknown = await world.client.post("/mail/confirm", data={"t": "forged"})
    assert unknown.status_code == 404 and "链接无效" in unknown.text


async def test_a_bad_address_and_a_second_request_get_a_short_true_answer(world):
    visitor = await world.visitor()
    said = await ask_by_mail(world, visitor, "zhang at example")
    assert "不是有效的电子邮箱地址" in said
    said = (await visitor.say("zhang@@example.cn"))[-1]["text"]
    assert "不是有效的电子邮箱地址" in said
    db = world.service.store.db
    assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0

    await visitor.say("zhao@example.cn")
    said = await ask_by_mail(world, visitor, "zhao@example.cn")
    assert "刚刚已发往 zhao@example.cn" in said
    assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 1  # one mail, not two

    token = await confirmation_token(world, "zhao@example.cn")
    await world.client.post("/mail/confirm", data={"t": token})
    said = await ask_by_mail(world, visitor, "zhao@example.cn")
    assert "已经在接收2027年的提醒了" in said
    assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 1


async def test_the_web_page_says_plainly_when_mail_is_not_set_up(tmp_path, clock):
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")
    service = ChatService.open(settings, clock=clock)
    app = build_web_app(settings, service, RELAXED)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=SITE) as c:
        visitor = Visitor(c)
        await visitor.open()
        reply = (await visitor.say("/email"))[-1]
        assert reply["text"] == texts.MAIL_NOT_SET_UP
        await visitor.say("zhang@example.cn")
    assert service.store.db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0
    service.close()


async def test_without_smtp_the_console_writes_the_mail_to_the_log(tmp_path, clock, caplog):
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", public_url=SITE)
    service = ChatService.open(settings, clock=clock)
    dispatcher = make_dispatcher(service, [], KNOBS)
    actor = service.actor(0, 0, channel="console")
    service.handle(actor, CommandEvent(name="email"))
    [reply] = service.handle(actor, TextEvent(text="zhang@example.cn")).replies
    assert texts.MAIL_QUEUED_LOG in reply.text
    with caplog.at_level(logging.INFO, logger="bot.mail"):
        assert await dispatcher.drain("email") == 1
    [logged] = [r.getMessage() for r in caplog.records if r.name == "bot.mail.transport"]
    assert "not sent" in logged and "zhang@example.cn" in logged
    assert f"{SITE}/mail/confirm?t=" in logged
    await dispatcher.stop()
    service.close()


# ---- unsubscribing, offsets --------------------------------------------------------------------


async def test_one_click_unsubscribe_by_the_header_stops_the_reminders(world):
    set_date(world, "submission", date(2027, 6, 30))
    await subscribed(world, "chen@example.cn")
    world.clock.set(2027, 5, 31, 9, 0)
    await world.send_due()
    header = world.mails()[-1]["List-Unsubscribe"].strip().strip("<>")
    response = await world.client.post(
        header,
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    assert reminder_statuses(world, "chen@example.cn") == {
        30: "sent",
        7: "cancelled",
        1: "cancelled",
    }
    world.clock.set(2027, 6, 23, 9, 0)
    assert await world.send_due() == 0
    forged = await world.client.post(
        header.replace("t=", "t=9"), content=b"List-Unsubscribe=One-Click"
    )
    assert forged.status_code == 404


async def test_the_link_in_the_body_sets_the_offsets_and_unsubscribes_without_a_login(world):
    set_date(world, "submission", date(2027, 6, 30))
    await subscribed(world, "sun@example.cn")
    world.clock.set(2027, 5, 31, 9, 0)
    await world.send_due()
    manage = MANAGE_LINK.search(text_of(world.mails()[-1])).group(0)
    async with httpx.AsyncClient(
        transport=world.client._transport, base_url=SITE
    ) as stranger:  # no cookie: anyone holding the mail
        page = await stranger.get(manage)
        assert page.status_code == 200 and "sun@example.cn" in page.text
        token = MANAGE_LINK.search(manage).group(1)
        saved = await stranger.post(
            "/mail/manage", data={"t": token, "year": "2027", "offsets": "7-1"}
        )
        assert "已保存：2027年每个节点前 7、1 天" in saved.text
        assert reminder_statuses(world, "sun@example.cn") == {
            30: "sent",
            7: "pending",
            1: "pending",
        }
        bad = await stranger.post("/mail/manage", data={"t": token, "year": "2027", "offsets": "5"})
        assert texts.PAGE_OFFSETS_BAD in bad.text
        asked = await stranger.get(f"/mail/unsubscribe?t={token}")
        assert texts.PAGE_UNSUBSCRIBE_BUTTON in asked.text
        assert reminder_statuses(world, "sun@example.cn")[7] == "pending"  # a GET changes nothing
        done = await stranger.post(f"/mail/unsubscribe?t={token}", data={"t": token})
        assert "已退订" in done.text
    assert reminder_statuses(world, "sun@example.cn") == {
        30: "sent",
        7: "cancelled",
        1: "cancelled",
    }


async def test_stop_from_the_chat_stops_that_address_only(world):
    visitor = await subscribed(world, "zhou@example.cn")
    await subscribed(world, "zhou2@example.cn", visitor)
    reply = (await visitor.say("/email"))[-1]
    assert "zhou@example.cn（接收2027年的提醒）" in reply["text"]
    replies = await visitor.press(texts.BTN_MAIL_STOP.format(address="zhou@example.cn"))
    assert "已停止向 zhou@example.cn" in replies[-1]["text"]
    active = world.service.store.db.execute(
        "SELECT d.address FROM subscriptions s JOIN destinations d ON d.id = s.destination_id"
        " WHERE s.active = 1"
    ).fetchall()
    assert active == [("zhou2@example.cn",)]


# ---- what comes back ---------------------------------------------------------------------------


async def test_550_makes_the_address_inactive_and_451_is_retried(world, server):
    set_date(world, "submission", date(2027, 6, 30))
    await subscribed(world, "gone@example.cn")
    await subscribed(world, "busy@example.cn")
    server.mailbox.refuse("gone@example.cn", "550 5.1.1 <gone@example.cn>: no such user")
    server.mailbox.refuse("busy@example.cn", "451 4.3.0 try again later")
    before = len(world.mails())
    world.clock.set(2027, 5, 31, 9, 0)
    await world.send_due()
    assert len(world.mails()) == before
    gone = destination(world, "gone@example.cn")
    assert not gone["active"]
    assert reminder_statuses(world, "gone@example.cn")[30] == "blocked"
    assert reminder_statuses(world, "busy@example.cn")[30] == "pending"
    reason = world.service.store.db.execute(
        "SELECT reason FROM destinations WHERE id = ?", [gone["id"]]
    ).fetchone()[0]
    assert reason.startswith("550")

    world.clock.now += timedelta(seconds=31)  # the backoff has passed; the server accepts now
    assert await world.send_due() == 1
    assert [m["To"] for m in world.mails()[before:]] == ["busy@example.cn"]
    world.clock.set(2027, 6, 23, 9, 0)
    await world.send_due()
    assert world.server.mailbox.to("gone@example.cn")[1:] == []  # never again to the bounce


async def test_a_dropped_connection_is_retried_on_a_fresh_one(world, server):
    set_date(world, "submission", date(2027, 6, 30))
    await subscribed(world, "drop@example.cn")
    server.mailbox.refuse("drop@example.cn", "421 4.4.2 closing connection")
    world.clock.set(2027, 5, 31, 9, 0)
    await world.send_due()
    assert reminder_statuses(world, "drop@example.cn")[30] == "pending"
    world.clock.now += timedelta(seconds=31)
    await world.send_due()
    assert reminder_statuses(world, "drop@example.cn")[30] == "sent"


async def test_one_connection_serves_a_whole_sweep(world, server):
    set_date(world, "submission", date(2027, 6, 30))
    store = world.service.store
    for n in range(30):
        address = f"e{n}@example.cn"
        store.request_mail(1000 + n, None, address, 2027)
        row = store.db.execute(
            "SELECT * FROM messages WHERE destination_id = ?", [destination(world, address)["id"]]
        ).fetchone()
        columns = [c.name for c in store.db["messages"].columns]
        store.confirm_mail(store.issue_confirm_token(dict(zip(columns, row, strict=True))))
    store.db.execute("UPDATE messages SET status = 'sent'")
    sessions = server.mailbox.sessions
    world.clock.set(2027, 5, 31, 9, 0)
    assert await world.send_due() == 30
    assert len(world.mails()) == 30
    assert server.mailbox.sessions - sessions == 1


# ---- broadcasts --------------------------------------------------------------------------------


async def test_an_organizers_broadcast_reaches_the_enterprise_by_mail(world):
    visitor = await subscribed(world, "qiye@example.cn")
    chat_id = world.service.store.db.execute("SELECT chat_id FROM subscriptions").fetchone()[0]
    world.service.store.update_profile(chat_id, UpdateProfile(city="苏州", asked=True))
    other = await subscribed(world, "wuxi@example.cn")
    assert other is not visitor
    store = world.service.store
    _, total = store.create_broadcast(
        store.operator(), None, "city:苏州", "请于6月20日前报送材料。"
    )
    assert total == 1
    await world.send_due()
    mail = world.mails()[-1]
    assert mail["To"] == "qiye@example.cn"
    assert "通知" in mail["Subject"]
    assert "请于6月20日前报送材料。" in text_of(mail)
    assert world.server.mailbox.to("wuxi@example.cn")[1:] == []


# ---- privacy -----------------------------------------------------------------------------------


async def test_forget_deletes_the_address_and_its_links(world):
    visitor = await subscribed(world, "forget@example.cn")
    response = await visitor.client.post("/api/forget", headers={"X-CSRF-Token": visitor.csrf})
    assert response.status_code == 200
    db = world.service.store.db
    assert world.service.store.destination("email", "forget@example.cn") is None
    assert db.execute("SELECT count(*) FROM mail_tokens").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM subscriptions").fetchone()[0] == 0


async def test_a_person_in_the_console_is_offered_mail_when_smtp_is_set(world):
    actor: Actor = world.service.actor(0, 0, channel="console")
    [reply] = world.service.handle(actor, CommandEvent(name="email")).replies
    assert "请输入接收提醒的电子邮箱地址" in reply.text
    assert texts.MAIL_ASK_LOG not in reply.text


async def test_the_organizers_export_never_carries_the_address(world):
    await subscribed(world, "export@example.cn")
    store = world.service.store
    chat_id = store.db.execute("SELECT chat_id FROM subscriptions").fetchone()[0]
    store.update_profile(chat_id, UpdateProfile(enterprise_name="苏州某某精密机械", city="苏州"))
    [row] = store.export_rows(store.operator())
    assert "苏州某某精密机械" in repr(row)
    assert "export@example.cn" not in repr(row) and "@" not in repr(row)


# ---- from Telegram -----------------------------------------------------------------------------


async def test_a_telegram_user_gets_the_confirmation_mail_too(
    fake_bot_api, bot_runner, bot_settings, server
):
    settings = bot_settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": server.port,
            "smtp_tls": "none",
            "smtp_rate": 0,
            "public_url": SITE,
        }
    )
    await bot_runner.start(settings=settings)
    fake_bot_api.send_command(5101, "email")
    asked = await fake_bot_api.wait_for_reply(5101)
    assert "请输入接收提醒的电子邮箱地址" in asked.text
    fake_bot_api.send_text(5101, "qian@example.cn")
    queued = await fake_bot_api.wait_for_reply(5101)
    assert "确认邮件已发往 qian@example.cn" in queued.text
    [mail] = await asyncio.to_thread(server.mailbox.wait_for, 1)
    assert mail["To"] == "qian@example.cn" and CONFIRM_LINK.search(text_of(mail))
