"""The organizers' console in Chromium, the whole path a newcomer takes: the first admin signs in
by the printed link, invites a 苏州 organizer from 组织单位; the organizer opens the mailed link,
reads 概览 with its chart, 企业 and its CSV, writes a notice, previews it, sends a test to
themself, sends it to the enterprises in scope — on Telegram, by e-mail and on the web page —
reads the status per recipient, and publishes a file for them (文件). On a real server with the
real dispatcher, SMTP on loopback, at desktop and phone width.

``BIAOGAN_SHOTS=docs/console python -m pytest tests/test_org_browser.py`` keeps a screenshot
of each page at both widths (the ones in docs/console/ were made so)."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import pytest

from bot.runtime import Knobs, make_dispatcher, started, web_transport
from bot.service import ChatService
from bot.transports.memory import MemoryTransport
from bot.web.sessions import WebSessions
from conversations import texts
from tests import test_web_browser
from tests.documents_data import DOCX_MIME, docx
from tests.driver import Clock
from tests.mail_server import MailServer, mail_settings, text_of
from tests.test_org_broadcasts import YEAR, confirmed_mail, enterprise
from tests.test_web_a11y import AXE, RUN_AXE
from tests.test_web_browser import TIMEOUT_MS
from tests.web_visitor import serving

browser = test_web_browser.browser  # the fixture: Debian's chromium, never a download
SHOTS = os.environ.get("BIAOGAN_SHOTS")
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
LINK = re.compile(r"http://\S+/org/signin/link\?t=\S+")


@pytest.mark.parametrize("width", list(WIDTHS))
async def test_invite_sign_in_read_export_compose_test_send_and_status(browser, tmp_path, width):
    with MailServer() as mail:
        settings = mail_settings(tmp_path / "data", mail, web_port=0)
        service = ChatService.open(settings, clock=Clock(YEAR, 3, 1, 9, 0))
        store = service.store
        sessions = WebSessions(store.db, clock=store.clock, forget_chat=store.forget)
        _, web_chat = sessions.create()  # a visitor of the chat page
        with store.transaction():  # 苏州 enterprises on Telegram, e-mail and the web; one 无锡
            enterprise(store, 11, "苏州", "苏州精工科技有限公司")
            enterprise(store, 12, "苏州", "苏州华信电子有限公司")
            store.unsubscribe(12, YEAR)  # by e-mail only
            confirmed_mail(store, 12, "li@huaxin.example.cn")
            enterprise(store, web_chat, "苏州", "苏州远航物流有限公司")
            enterprise(store, 13, "无锡", "无锡远东机械有限公司")
        admin = store.invite_by_email(
            store.operator(), "wang@jxw.example.cn", "province", "王处长", admin=True
        )
        forward(service, 11, QUESTION)  # a question the notice does not answer, sent to 苏州
        telegram = MemoryTransport("telegram")
        try:
            async with serving(settings, service) as url:  # the links in mails: its address
                transports = [telegram, web_transport(service)]
                dispatcher = make_dispatcher(service, transports, Knobs(poll=0.1))
                async with started(dispatcher):
                    token = store.signin_link_token(admin, purpose="invite")
                    printed = f"{url}/org/signin/link?t={token}"
                    await _walk(browser, WIDTHS[width], width, printed, mail, telegram)
            shown = sessions.history(web_chat)
            assert any("苏州远航物流有限公司：" in m.text for m in shown)  # on the visitor's page
        finally:
            service.close()


async def _walk(browser, viewport, width, printed, mail, telegram) -> None:
    shots = Shots(width)
    # ---- the first admin invites a 苏州 organizer ----------------------------------------------
    admin = await browser.new_context(viewport=viewport, locale="zh-CN")
    await admin.add_init_script(path=str(AXE))  # axe-core in every page (its CSP as served)
    page = await admin.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(printed)
    await shots.take(page, "signin-link")
    await page.get_by_role("button", name=texts.ORG_LINK_BUTTON, exact=True).click()
    await page.get_by_role("heading", name="概览").wait_for()
    await page.get_by_role("navigation").get_by_role("link", name="组织单位").click()
    await shots.take(page, "organizers")
    await page.get_by_role("link", name=texts.ORG_PEOPLE_INVITE_LINK).click()
    await page.get_by_label(texts.ORG_PEOPLE_EMAIL_LABEL).fill("zhang@suzhou.gov.cn")
    await page.get_by_label(texts.ORG_PEOPLE_NAME_LABEL).fill("张科长")
    await page.locator("select").first.select_option(label="苏州市")
    await shots.take(page, "invite")
    await page.get_by_role("button", name=texts.ORG_PEOPLE_INVITE_BUTTON).click()
    await page.get_by_role("heading", name=texts.ORG_PEOPLE_INVITED_HEADING).wait_for()
    await admin.close()

    # ---- the organizer signs in by the mailed link ----------------------------------------------
    invitations = await asyncio.to_thread(mail.mailbox.wait_for, 2)  # the admin's, then theirs
    [invitation] = [m for m in invitations if m["To"] == "zhang@suzhou.gov.cn"]
    organizer = await browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    await organizer.add_init_script(path=str(AXE))
    page = await organizer.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(LINK.search(text_of(invitation)).group(0))
    await page.get_by_role("button", name=texts.ORG_LINK_BUTTON, exact=True).click()
    await page.get_by_role("heading", name="概览").wait_for()
    assert "张科长 · 苏州市" in await page.locator(".account").inner_text()
    chart = page.locator("figure.chart img")
    await chart.wait_for()
    loaded = (
        "img => img.complete ? img.naturalWidth"
        " : new Promise(done => img.onload = () => done(img.naturalWidth))"
    )
    assert await chart.evaluate(loaded) > 0  # the chart was drawn and served
    await shots.take(page, "overview")

    # ---- 企业 and its CSV: 苏州 only ----------------------------------------------------------
    await page.get_by_role("navigation").get_by_role("link", name="企业").click()
    table = await page.locator("main").inner_text()
    assert "苏州精工科技有限公司" in table and "无锡远东机械有限公司" not in table
    await shots.take(page, "enterprises")
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name=re.compile("下载这 3 家企业")).click()
    csv = (await (await downloading.value).path()).read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and "苏州华信电子有限公司".encode() in csv
    assert b"@" not in csv and "无锡".encode() not in csv

    # ---- 群发通知: compose, preview, test to myself, send, status --------------------------------
    await page.get_by_role("navigation").get_by_role("link", name="群发通知").click()
    await page.get_by_role("link", name=texts.ORG_BC_NEW).click()
    await page.get_by_label(texts.ORG_BC_TEXT_LABEL).fill(
        "{企业名称}：\n请于6月20日前报送推荐材料。"
    )
    await shots.take(page, "compose")
    await page.get_by_role("button", name=texts.ORG_BC_PREVIEW_BUTTON).click()
    main = await page.locator("main").inner_text()
    assert "将发给苏州市 3 家企业，共 3 份" in main
    assert all(f"{channel}\t1" in main for channel in ("Telegram", "网页", "电子邮件"))
    framed = page.frame_locator("iframe.mail-html").get_by_text("苏州远航物流有限公司：")
    await framed.wait_for()  # the mail's HTML part, in its sandboxed frame
    await page.locator("iframe.mail-html").scroll_into_view_if_needed()  # painted for the shot
    await shots.take(page, "preview")
    await page.get_by_role("button", name=texts.ORG_BC_TEST_SELF).click()
    tested = await asyncio.to_thread(mail.mailbox.wait_for, 3)
    assert tested[-1]["To"] == "zhang@suzhou.gov.cn"
    await page.get_by_role("button", name="发送给 3 家企业（共 3 份）").click()
    await page.get_by_role("heading", name=re.compile("群发 #1")).wait_for()
    received = await asyncio.to_thread(mail.mailbox.wait_for, 4)
    assert received[-1]["To"] == "li@huaxin.example.cn"
    assert "苏州华信电子有限公司：" in text_of(received[-1])
    done = page.get_by_text("送达 3")
    for _ in range(50):
        if await done.count():
            break
        await page.get_by_role("link", name=texts.ORG_BC_REFRESH).click()
        await asyncio.sleep(0.1)
    await done.first.wait_for()
    assert [s.address for s in telegram.outbox] == ["11"]
    assert "苏州精工科技有限公司：" in telegram.outbox[0].reply.text
    await shots.take(page, "status")

    # ---- 文件: a file published for the city's enterprises, through the browser's own form ----
    await page.get_by_role("navigation").get_by_role("link", name="文件").click()
    await page.get_by_label(texts.ORG_DOCS_TITLE_LABEL).fill("苏州市质量标杆申报表（2027）")
    upload = {"name": "申报表.docx", "mimeType": DOCX_MIME, "buffer": docx()}
    await page.get_by_label(texts.ORG_DOCS_FILE_LABEL, exact=True).set_input_files(upload)
    await page.get_by_role("button", name=texts.ORG_DOCS_BUTTON).click()
    await page.get_by_text(texts.ORG_DOCS_DONE["published"]).wait_for()
    listed = await page.locator("main").inner_text()
    assert "申报表.docx" in listed and "苏州市经信委，2027-03-01" in listed
    await shots.take(page, "documents")

    # ---- 日程: the city's own submission date, told to its subscribers ---------------------------
    await page.get_by_role("navigation").get_by_role("link", name="日程").click()
    await page.get_by_label(texts.ORG_CAL_MILESTONE_LABEL).select_option(value="local/submission")
    await page.get_by_label(texts.ORG_CAL_DAY_LABEL).fill(f"{YEAR}-05-31")
    await page.get_by_label(texts.ORG_CAL_NOTE_LABEL).fill("报送至苏州市工信局302室")
    await page.get_by_role("button", name=texts.ORG_CAL_BUTTON).click()
    await page.get_by_text(texts.ORG_CAL_DONE["set"]).wait_for()
    assert f"{YEAR}-05-31" in await page.locator("main").inner_text()
    await shots.take(page, "calendar")

    # ---- 联系方式: the city's card, shown first to its enterprises ----------------------
    await page.get_by_role("navigation").get_by_role("link", name="联系方式").click()
    for field, value in (("unit", "苏州市工信局"), ("person", "张科长"),
                         ("phone", "0512-68612345"), ("hours", "工作日 9:00-17:00")):  # fmt: skip
        await page.get_by_label(texts.CONTACT_FIELD_NAMES[field], exact=True).fill(value)
    await page.get_by_role("button", name=texts.ORG_CONTACTS_SAVE).click()
    await page.get_by_text(texts.ORG_CONTACTS_DONE["set"]).wait_for()
    await shots.take(page, "contacts")

    # ---- 未回答的问题: the forwarded question answered, back on the asker's Telegram -----
    await page.get_by_role("navigation").get_by_role("link", name="未回答的问题").click()
    assert QUESTION in await page.locator("main").inner_text()
    await page.get_by_label(texts.ORG_FWD_TEXT_LABEL).first.fill("本市对获评企业没有另设奖金。")
    await page.get_by_role("checkbox").first.check()
    await shots.take(page, "unanswered")
    await page.get_by_role("button", name=texts.ORG_FWD_BUTTON).first.click()
    await page.get_by_text(texts.ORG_FWD_DONE["published"]).wait_for()
    for _ in range(50):
        answered = [s for s in telegram.outbox if "本市对获评企业没有另设奖金" in s.reply.text]
        if answered:
            break
        await asyncio.sleep(0.1)
    assert answered and answered[0].address == "11"
    assert "组织单位答复，非通知原文" in answered[0].reply.text
    await shots.take(page, "answered")
    await organizer.close()
    assert shots.serious == {}, shots.serious  # every page: no serious or critical violation


QUESTION = "获奖企业有奖金吗"


def forward(service: ChatService, chat: int, question: str) -> None:
    """The enterprise asks what the notice does not say and taps 转给本市组织单位."""
    from conversations.core import CallbackEvent, TextEvent

    actor = service.actor(chat, chat)
    [reply] = service.handle(actor, TextEvent(text=question)).replies
    [go] = [b.data for row in reply.buttons for b in row if b.label == texts.FWD_BUTTON_CITY]
    [done] = service.handle(actor, CallbackEvent(data=go)).replies
    assert done.text.startswith("已把您的问题转给苏州市的组织单位")


class Shots:
    """Each page checked by axe-core (serious and critical violations gathered by page), and
    a screenshot of it kept when ``BIAOGAN_SHOTS`` names a directory."""

    def __init__(self, width: str) -> None:
        self.width = width
        self.serious: dict[str, list[dict]] = {}
        self.folder = Path(SHOTS) if SHOTS else None
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)

    async def take(self, page, name: str) -> None:
        found = [v for v in await page.evaluate(RUN_AXE) if v["impact"] in ("serious", "critical")]
        if found:
            self.serious[name] = found
        if self.folder is not None:
            path = self.folder / f"{name}-{self.width}.png"
            await page.screenshot(path=str(path), full_page=True)
