"""群发通知 in the organizers' console (/org/broadcasts), the GOV.UK Notify way: compose, preview
with the counts per channel and the message as each channel shows it, a test to oneself, the
send, then a status per recipient and its CSV — with the real dispatcher (a memory lane for
Telegram, the web page's own transport, e-mail through SMTP to a server on loopback), signing in
by the mailed link. Placeholders, test mode, and the scope: a 苏州 organizer can neither read nor
send anything of 无锡's, whatever the form says."""

from __future__ import annotations

import asyncio
import html
import re
from dataclasses import dataclass

import httpx
import pytest

from bot.dispatch import Dispatcher
from bot.runtime import Knobs, make_dispatcher, started, web_transport
from bot.service import ChatService
from bot.store import NotAllowed, Store
from bot.transports import Result
from bot.transports.memory import MemoryTransport
from bot.web import WebLimits, build_web_app
from bot.web.sessions import WebSessions
from conversations import texts
from conversations.broadcasting import render
from conversations.reports import Period
from tests.driver import Clock
from tests.mail_server import MailServer, html_of, mail_settings, text_of
from tests.test_broadcasting import confirmed_mail
from tests.test_dispatch import until
from tests.test_org import LINK, SAME_SITE, SITE

YEAR = 2027
JINGGONG, MINGDA, WUXI_CHAT = 11, 12, 21  # Telegram chats; MINGDA confirmed an e-mail too
JINGGONG_NAME, MINGDA_NAME = "苏州精工科技有限公司", "苏州明达电子有限公司"
MINGDA_MAIL = "li@mingda.example.cn"
SUZHOU, WUXI = "zhang@suzhou.gov.cn", "chen@wuxi.gov.cn"  # the two cities' organizers
ORG_TELEGRAM = 501  # the 苏州 organizer's own Telegram chat
NOTICE = "{企业名称}：请于6月30日前报送推荐材料。"
KNOBS = Knobs(poll=0.05, progress_every=0.05, broadcast_backoff=0.1)


@dataclass
class Site:
    service: ChatService
    dispatcher: Dispatcher
    telegram: MemoryTransport
    app: object
    server: MailServer
    visitor: httpx.AsyncClient  # a web chat visitor of 苏州 (no enterprise name given)
    suzhou_person: int
    wuxi_person: int

    @property
    def store(self) -> Store:
        return self.service.store

    def browser(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=SITE)

    async def signed_in(self, address: str) -> httpx.AsyncClient:
        """A browser signed in with the newest link mailed to ``address``."""
        await self.dispatcher.drain("email")
        links = [LINK.search(text_of(m)) for m in self.server.mailbox.to(address)]
        token = [found for found in links if found][-1].group(1)  # the newest sign-in link
        browser = self.browser()
        response = await browser.post("/org/signin/link", data={"t": token}, headers=SAME_SITE)
        assert response.status_code == 303, response.text
        return browser

    def counted(self, table: str) -> int:
        return self.store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def body(mail) -> str:
    return text_of(mail).replace("\r\n", "\n")


def enterprise(store: Store, chat_id: int, city: str, name: str | None = None) -> None:
    store.touch_user(chat_id, user_id=chat_id if chat_id > 0 else None)
    store.subscribe(chat_id, YEAR)
    store.db.execute(
        "UPDATE users SET city = ?, enterprise_name = ? WHERE chat_id = ?", [city, name, chat_id]
    )


async def web_visitor(app) -> tuple[httpx.AsyncClient, str]:
    """A visitor of the chat page with a session of their own: (their browser, cookie)."""
    visitor = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=SITE)
    opened = await visitor.get("/api/session", headers={"x-requested-with": "biaogan"})
    assert opened.status_code == 200
    return visitor, visitor.cookies["biaogan_session"]


@pytest.fixture
async def site(tmp_path):
    """苏州: 精工 on Telegram (named), 明达 on Telegram and by e-mail (named), a web visitor
    (no name given): 3 enterprises, 4 messages. 无锡: one Telegram chat. An organizer for each
    city, invited by e-mail; the 苏州 one has a Telegram chat of their own too."""
    with MailServer() as server:
        settings = mail_settings(
            tmp_path / "data", server, smtp_sender="notice@biaogan.example.cn", public_url=SITE
        )
        service = ChatService.open(settings, clock=Clock(YEAR, 3, 1, 9, 0))
        telegram = MemoryTransport("telegram")
        dispatcher = make_dispatcher(service, [telegram, web_transport(service)], KNOBS)
        app = build_web_app(settings, service, WebLimits(session_per_second=0))
        visitor, cookie = await web_visitor(app)
        store = service.store
        sessions = WebSessions(store.db, clock=store.clock, forget_chat=store.forget)
        with store.transaction():
            enterprise(store, JINGGONG, "苏州", JINGGONG_NAME)
            enterprise(store, MINGDA, "苏州市", MINGDA_NAME)
            enterprise(store, sessions.find(cookie), "苏州")
            enterprise(store, WUXI_CHAT, "无锡", "无锡测试机械有限公司")
            confirmed_mail(store, MINGDA, MINGDA_MAIL)
        operator = store.operator()
        suzhou = store.invite_by_email(operator, SUZHOU, "city:苏州", "张科长")
        wuxi = store.invite_by_email(operator, WUXI, "city:无锡", "陈科长")
        store.ensure_destination("telegram", str(ORG_TELEGRAM), suzhou)
        yield Site(service, dispatcher, telegram, app, server, visitor, suzhou, wuxi)
        await visitor.aclose()
        await dispatcher.stop()
        service.close()


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden fields of the page's form (the draft, the CSRF token)."""
    found = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page)
    return {name: html.unescape(value) for name, value in found}


async def preview(browser: httpx.AsyncClient, text: str, **fields: str) -> httpx.Response:
    compose = await browser.get("/org/broadcasts/new")
    form = {**hidden_fields(compose.text), "text": text, **fields}
    return await browser.post("/org/broadcasts/preview", data=form, headers=SAME_SITE)


# ---- compose -> preview -> a test to myself -> send -> status and CSV ----------------------


async def test_compose_preview_test_send_and_a_status_per_recipient(site):
    site.telegram.script(str(MINGDA), Result("blocked", "Forbidden: bot was blocked by the user"))
    browser = await site.signed_in(SUZHOU)
    listing = await browser.get("/org/broadcasts")
    assert texts.ORG_BC_EMPTY in listing.text and 'href="/org/broadcasts/new"' in listing.text
    compose = await browser.get("/org/broadcasts/new")
    assert "发给：苏州市订阅了通知的企业" in compose.text and "<select" not in compose.text

    shown = await preview(browser, NOTICE.replace("\n", "\r\n"))
    assert shown.status_code == 200
    assert "将发给苏州市 3 家企业，共 4 份：" in shown.text
    counts = re.findall(r"<tr><td>(\S+)</td><td class=\"num\">(\d+)</td></tr>", shown.text)
    assert counts == [("Telegram", "2"), ("网页", "1"), ("电子邮件", "1")]  # not 无锡's
    message = render("city:苏州", NOTICE.replace("{企业名称}", JINGGONG_NAME))  # the sample
    assert shown.text.count(f'<p class="message">{html.escape(message)}</p>') == 2  # TG, web
    assert texts.ORG_BC_SAMPLE.format(name=JINGGONG_NAME) in shown.text
    assert "主题</dt><dd>苏州市的通知</dd>" in shown.text
    assert "调整提醒时间或退订（无需登录）：（每位收件人自己的链接）" in shown.text
    assert '<iframe class="mail-html" sandbox srcdoc="&lt;!doctype html&gt;' in shown.text
    policy = shown.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "style-src 'self' 'unsafe-hashes' 'sha256-" in policy
    assert "发送给 3 家企业（共 4 份）" in shown.text
    form = hidden_fields(shown.text)
    assert form["reach"] == "email=1,telegram=2,web=1" and form["text"] == NOTICE

    tested = await browser.post("/org/broadcasts/test", data=form, headers=SAME_SITE)
    assert tested.status_code == 200
    assert "测试消息已发到：电子邮件 zhang@suzhou.gov.cn、Telegram。" in tested.text
    [mine] = site.server.mailbox.to(SUZHOU)[-1:]
    assert mine["Subject"] == "苏州市的通知" and message in body(mine)
    assert site.telegram.texts(str(ORG_TELEGRAM)) == [message]
    assert site.counted("broadcasts") == site.counted("deliveries") == 0  # nothing queued

    sent = await browser.post("/org/broadcasts/send", data=form, headers=SAME_SITE)
    assert sent.status_code == 303 and sent.headers["location"] == "/org/broadcasts/1?sent=1"
    async with started(site.dispatcher):
        await until(lambda: site.store.broadcast(1)["state"] == "done", timeout=10)

    jinggong = render("city:苏州", f"{JINGGONG_NAME}：请于6月30日前报送推荐材料。")
    assert site.telegram.texts(str(JINGGONG)) == [jinggong]
    assert site.telegram.texts(str(MINGDA)) == []  # blocked the bot
    [mail] = site.server.mailbox.to(MINGDA_MAIL)[-1:]
    assert mail["Subject"] == "苏州市的通知"
    assert render("city:苏州", f"{MINGDA_NAME}：请于") in body(mail)
    assert "/mail/manage?t=" in text_of(mail) and MINGDA_NAME in html_of(mail)
    transcript = await site.visitor.get("/api/session", headers={"x-requested-with": "biaogan"})
    shown_on_page = [m["text"] for m in transcript.json()["messages"]]
    assert render("city:苏州", "贵企业：请于6月30日前报送推荐材料。") in shown_on_page

    status = await browser.get(sent.headers["location"])
    assert status.status_code == 200 and "refresh" not in status.headers  # done
    assert texts.ORG_BC_QUEUED.format(enterprises=3, total=4) in status.text
    assert "已处理 4 / 4：送达 3，无法送达 1，失败 0" in status.text
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td>"
                      r"<td class=\"detail\">([^<]*)</td>", status.text)  # fmt: skip
    [web_row] = [row for row in rows if row[1] == "网页"]
    assert sorted(rows) == sorted([
        (JINGGONG_NAME, "Telegram", "Telegram 用户 …11", "已送达", ""),
        (MINGDA_NAME, "Telegram", "Telegram 用户 …12", "已屏蔽机器人",
         "Forbidden: bot was blocked by the user"),
        (MINGDA_NAME, "电子邮件", "l***@mingda.example.cn", "已送达", ""),
        (texts.ORG_BC_UNNAMED, "网页", web_row[2], "已送达", ""),
    ])  # fmt: skip
    assert web_row[2].startswith("网页访客 …") and MINGDA_MAIL not in status.text

    exported = await browser.get("/org/broadcasts/1.csv")
    assert exported.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="broadcast-1.csv"' in exported.headers["content-disposition"]
    assert exported.content.startswith(b"\xef\xbb\xbf")
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(texts.ORG_BC_CSV_HEADER) and len(lines) == 5
    assert (
        "苏州明达电子有限公司,Telegram,Telegram 用户 …12,已屏蔽机器人,"
        "Forbidden: bot was blocked by the user,2027-03-01 09:00"
    ) in lines

    listing = await browser.get("/org/broadcasts")
    assert "Telegram 1/2 · 网页 1/1 · 电子邮件 1/1" in listing.text and "已完成" in listing.text
    await browser.aclose()


async def test_a_status_page_refreshes_itself_while_sending(site):
    browser = await site.signed_in(SUZHOU)
    form = hidden_fields((await preview(browser, "请按时报送。")).text)
    sent = await browser.post("/org/broadcasts/send", data=form, headers=SAME_SITE)
    status = await browser.get(sent.headers["location"])  # no dispatcher running: queued
    assert status.headers["refresh"] == "5" and texts.ORG_BC_STATES["queued"] in status.text
    assert 'href="/org/broadcasts/1">刷新</a>' in status.text
    await browser.aclose()


# ---- placeholders and the length -------------------------------------------------------------


async def test_placeholders_are_checked_and_the_length_counted_in_plain_words(site):
    browser = await site.signed_in(SUZHOU)
    unknown = await preview(browser, "{单位}、{日期}前请报送，{企业名称}。")
    assert unknown.status_code == 400
    assert "不认识的占位符：{单位}、{日期}。" in unknown.text
    assert 'class="field-message"' in unknown.text and "{单位}、{日期}前请报送" in unknown.text
    empty = await preview(browser, "  \r\n ")
    assert empty.status_code == 400 and texts.ORG_BC_EMPTY_TEXT in empty.text
    header = len(render("city:苏州", ""))
    exact = await preview(browser, "字" * (4096 - header))
    assert exact.status_code == 200
    over = await preview(browser, "字" * (4096 - header - 10) + "｛企业名称｝")  # full width
    assert over.status_code == 400
    assert "共 4,146 字（占位符按最长的企业名称 60 字计）" in over.text
    assert "请删减至少 50 字" in over.text
    wide = await preview(browser, "｛企业名称｝您好")
    assert wide.status_code == 200 and f"{JINGGONG_NAME}您好" in wide.text
    assert site.counted("broadcasts") == 0
    await browser.aclose()


async def test_back_to_editing_keeps_the_draft(site):
    browser = await site.signed_in(SUZHOU)
    shown = await preview(browser, "第一行\n第二行 <b>", test="1")
    assert "<b>" not in shown.text and "第二行 &lt;b&gt;" in shown.text  # escaped everywhere
    assert "第二行 &amp;lt;b&amp;gt;" in shown.text  # in the mail's HTML, in the frame's srcdoc
    form = hidden_fields(shown.text)
    back = await browser.post("/org/broadcasts/new", data=form, headers=SAME_SITE)
    assert back.status_code == 200
    assert '<textarea id="text" name="text" rows="14"' in back.text
    assert "第一行\n第二行 &lt;b&gt;</textarea>" in back.text
    assert 'id="test" name="test" value="1" checked' in back.text
    await browser.aclose()


# ---- test mode ---------------------------------------------------------------------------------


async def test_test_mode_records_everything_and_sends_nothing(site):
    browser = await site.signed_in(SUZHOU)
    shown = await preview(browser, NOTICE, test="1")
    assert texts.ORG_BC_TEST_BANNER in shown.text
    assert "记录测试群发（3 家企业，共 4 份，不发送）" in shown.text
    sent = await browser.post("/org/broadcasts/send", data=hidden_fields(shown.text),
                              headers=SAME_SITE)  # fmt: skip
    assert sent.status_code == 303
    mails_before = len(site.server.mailbox.received)
    async with started(site.dispatcher):
        site.dispatcher.wake()
        await asyncio.sleep(0.3)  # the workers look (and find nothing to send)
    assert site.telegram.outbox == [] and len(site.server.mailbox.received) == mails_before
    statuses = site.store.db.execute("SELECT DISTINCT status FROM deliveries").fetchall()
    assert statuses == [("test",)] and site.counted("deliveries") == 4
    row = site.store.broadcast(1)
    assert (row["state"], row["test_mode"], row["sent"], row["test"]) == ("test", 1, 0, 4)

    status = await browser.get(sent.headers["location"])
    assert texts.ORG_BC_RECORDED.format(total=4) in status.text
    assert '<strong class="tag test">测试</strong>' in status.text
    assert "refresh" not in status.headers
    assert status.text.count("测试：未发送") == 4  # each recipient
    listing = await browser.get("/org/broadcasts")
    assert '<strong class="tag test">测试</strong>' in listing.text
    transcript = await site.visitor.get("/api/session", headers={"x-requested-with": "biaogan"})
    assert not any("报送推荐材料" in m["text"] for m in transcript.json()["messages"])
    stats = site.store.stats(site.store.operator(), Period.year(YEAR))
    assert (stats.broadcasts, stats.deliveries) == (0, {})  # a rehearsal is no broadcast
    await browser.aclose()


# ---- the scope: 苏州 cannot read or send to 无锡 ------------------------------------------------


async def test_a_suzhou_organizer_can_neither_read_nor_send_anything_of_wuxi(site):
    wuxi = await site.signed_in(WUXI)
    wuxi_form = hidden_fields((await preview(wuxi, "无锡的通知")).text)
    assert wuxi_form["segment"] == "city:无锡" and wuxi_form["reach"] == "telegram=1"
    sent = await wuxi.post("/org/broadcasts/send", data=wuxi_form, headers=SAME_SITE)
    assert sent.status_code == 303
    suzhou = await site.signed_in(SUZHOU)
    before = {t: site.counted(t) for t in ("broadcasts", "deliveries", "audit")}

    for path in ("/org/broadcasts/1", "/org/broadcasts/1.csv", "/org/broadcasts/99"):
        refused = await suzhou.get(path)
        assert refused.status_code == 404 and "无锡的通知" not in refused.text
    assert "#1" not in (await suzhou.get("/org/broadcasts")).text
    with pytest.raises(NotAllowed):
        site.store.scope_broadcast(site.suzhou_person, 1)
    with pytest.raises(NotAllowed):
        site.store.broadcast_recipients(site.suzhou_person, 1)

    mine = hidden_fields((await suzhou.get("/org/broadcasts/new")).text)
    changed = {**wuxi_form, "csrf": mine["csrf"]}  # 无锡's draft, with 苏州's own token
    for path in ("/org/broadcasts/preview", "/org/broadcasts/test", "/org/broadcasts/send"):
        refused = await suzhou.post(path, data=changed, headers=SAME_SITE)
        assert refused.status_code == 403 and "您的范围（苏州市）不包括这项内容" in refused.text
    replayed = await suzhou.post("/org/broadcasts/send", data=wuxi_form, headers=SAME_SITE)
    assert replayed.status_code == 403 and "页面已过期" in replayed.text  # 无锡's session token
    all_cities = {**changed, "segment": "all"}
    assert (await suzhou.post("/org/broadcasts/send", data=all_cities, headers=SAME_SITE)
            ).status_code == 403  # fmt: skip
    with pytest.raises(NotAllowed):
        site.store.create_broadcast(site.suzhou_person, None, "city:无锡", "x")
    with pytest.raises(NotAllowed):
        site.store.sample_recipient(site.suzhou_person, "city:无锡")
    assert {t: site.counted(t) for t in before} == before  # nothing written
    assert site.telegram.outbox == []
    await wuxi.aclose()
    await suzhou.aclose()


async def test_a_confirm_form_sent_twice_makes_one_broadcast(site):
    browser = await site.signed_in(SUZHOU)
    form = hidden_fields((await preview(browser, "只发一次")).text)
    first = await browser.post("/org/broadcasts/send", data=form, headers=SAME_SITE)
    again = await browser.post("/org/broadcasts/send", data=form, headers=SAME_SITE)
    assert first.headers["location"] == "/org/broadcasts/1?sent=1"
    assert again.status_code == 303 and again.headers["location"] == "/org/broadcasts/1?again=1"
    assert site.counted("broadcasts") == 1 and site.counted("deliveries") == 4
    page = await browser.get(again.headers["location"])
    assert texts.ORG_BC_ALREADY.format(id=1) in page.text
    no_key = {k: v for k, v in form.items() if k != "key"}
    refused = await browser.post("/org/broadcasts/send", data=no_key, headers=SAME_SITE)
    assert refused.status_code == 409 and site.counted("broadcasts") == 1
    await browser.aclose()


async def test_counts_changed_since_the_preview_show_it_again_and_send_nothing(site):
    browser = await site.signed_in(SUZHOU)
    form = hidden_fields((await preview(browser, "请按时报送。")).text)
    enterprise(site.store, 13, "苏州", "新来的企业")  # subscribed after the preview
    changed = await browser.post("/org/broadcasts/send", data=form, headers=SAME_SITE)
    assert changed.status_code == 409 and texts.ORG_BC_REACH_CHANGED in changed.text
    assert "发送给 4 家企业（共 5 份）" in changed.text
    edited = {**form, "reach": "telegram=99"}
    assert (await browser.post("/org/broadcasts/send", data=edited, headers=SAME_SITE)
            ).status_code == 409  # fmt: skip
    assert site.counted("broadcasts") == site.counted("deliveries") == 0
    again = await browser.post("/org/broadcasts/send", data=hidden_fields(changed.text),
                               headers=SAME_SITE)  # fmt: skip
    assert again.status_code == 303 and site.counted("deliveries") == 5
    await browser.aclose()


async def test_the_province_chooses_the_whole_province_or_one_city_and_reads_every_broadcast(
    site,
):
    wuxi = await site.signed_in(WUXI)
    form = hidden_fields((await preview(wuxi, "无锡的通知")).text)
    await wuxi.post("/org/broadcasts/send", data=form, headers=SAME_SITE)
    store = site.store
    store.invite_by_email(store.operator(), "wang@jiangsu.gov.cn", "province", "王处长")
    province = await site.signed_in("wang@jiangsu.gov.cn")
    compose = await province.get("/org/broadcasts/new")
    options = re.findall(r'<option value="([^"]+)"', compose.text)
    assert options[:2] == ["all", "city:南京"] and len(options) == 14
    whole = await preview(province, "全省通知", segment="all")
    assert "将发给全省 4 家企业，共 5 份：" in whole.text
    assert "【“质量标杆”活动通知 · 江苏省】" in whole.text
    city = await preview(province, "无锡通知", segment="city:无锡")
    assert "将发给无锡市 1 家企业，共 1 份：" in city.text
    assert (await province.get("/org/broadcasts/1")).status_code == 200
    await wuxi.aclose()
    await province.aclose()
