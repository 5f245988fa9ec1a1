"""Reminders by e-mail as a visitor of the web page meets them, in Chromium: ask on the page,
open the confirmation mail's link, confirm, get a reminder, unsubscribe from the mail's link —
against a real SMTP server on loopback and the real dispatcher, under a controlled clock."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

import pytest

from bot.runtime import Knobs, make_dispatcher, started, web_transport
from bot.service import ChatService
from conversations import texts
from conversations.core import CalendarDate
from tests import test_web_browser
from tests.driver import Clock
from tests.mail_server import MailServer, mail_settings, text_of
from tests.test_web_browser import PHONE, TIMEOUT_MS, press, type_and_send
from tests.web_visitor import serving

browser = test_web_browser.browser  # the fixture: Debian's chromium, never a download

LINK = re.compile(r"(http://127\.0\.0\.1:\d+/mail/(?:confirm|manage)\?t=\S+)")


@dataclass
class Site:
    url: str
    service: ChatService
    server: MailServer
    clock: Clock
    wake: object

    async def mails(self, count: int) -> list:
        return await asyncio.to_thread(self.server.mailbox.wait_for, count)


@pytest.fixture
async def site(tmp_path) -> AsyncIterator[Site]:
    with MailServer() as mail:
        clock = Clock(2027, 5, 20, 10, 0)
        settings = mail_settings(tmp_path / "data", mail, web_port=0)
        service = ChatService.open(settings, clock=clock)
        try:
            async with serving(settings, service) as url:
                dispatcher = make_dispatcher(service, [web_transport(service)], Knobs(poll=0.2))
                async with started(dispatcher):
                    yield Site(url, service, mail, clock, dispatcher.wake)
        finally:
            service.close()


async def test_subscribe_confirm_get_a_reminder_and_unsubscribe_in_the_browser(browser, site):
    store = site.service.store
    entry = CalendarDate(year=2027, milestone="submission", day=date(2027, 6, 30))
    store.set_calendar_date(store.operator(), entry)
    context = await browser.new_context(**PHONE, locale="zh-CN")
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(site.url)
    await page.locator(".msg.bot").first.wait_for()

    await press(page, texts.MENU_CALENDAR)
    await press(page, texts.BTN_MAIL)
    await type_and_send(page, "zhang@example.cn")
    assert "确认邮件已发往 zhang@example.cn" in await page.locator(".msg.bot").last.inner_text()

    [confirmation] = await site.mails(1)
    confirm = LINK.search(text_of(confirmation)).group(1)
    mailbox = await context.new_page()  # the link opened from the mail program
    await mailbox.goto(confirm)
    await mailbox.get_by_role("button", name=texts.PAGE_CONFIRM_BUTTON).click()
    await mailbox.get_by_role("heading", name=texts.PAGE_CONFIRMED_HEADING).wait_for()
    await mailbox.get_by_label("提前7、1天").check()
    await mailbox.get_by_role("button", name=texts.PAGE_OFFSETS_BUTTON).click()
    await mailbox.get_by_text("已保存：2027年每个节点前 7、1 天").wait_for()

    site.clock.set(2027, 6, 23, 9, 0)  # the 7-day reminder is due
    site.wake()
    reminder = (await site.mails(2))[1]
    assert reminder["Subject"].startswith("提醒：")
    assert "2027年6月30日" in text_of(reminder) and "还有7天" in text_of(reminder)

    manage = LINK.search(text_of(reminder).split("调整提醒时间或退订")[1]).group(1)
    await mailbox.goto(manage)
    await mailbox.get_by_role("button", name=texts.PAGE_UNSUBSCRIBE_BUTTON).click()
    await mailbox.get_by_text("已退订").wait_for()
    active = store.db.execute("SELECT count(*) FROM subscriptions WHERE active = 1").fetchone()
    assert active == (0,)
    site.clock.set(2027, 6, 29, 9, 0)  # the 1-day reminder would be due: nothing goes
    site.wake()
    await asyncio.sleep(0.5)
    assert len(site.server.mailbox.received) == 2
    await context.close()
