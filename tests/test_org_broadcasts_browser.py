"""群发通知 in Chromium, no script on the page: sign in by the mailed link, write a notice, see
the e-mail's HTML part styled in its sandboxed frame under the console's strict CSP (the mail's
style attributes allowed by hash, nothing else), press the button that says the number, and
read the status page — on a real server, with the real dispatcher and SMTP on loopback."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

from bot.runtime import Knobs, make_dispatcher, started, web_transport
from bot.service import ChatService
from bot.transports.memory import MemoryTransport
from conversations import texts
from tests import test_web_browser
from tests.driver import Clock
from tests.mail_server import MailServer, mail_settings, text_of
from tests.test_org_broadcasts import YEAR, confirmed_mail, enterprise
from tests.test_web_browser import TIMEOUT_MS
from tests.web_visitor import serving

browser = test_web_browser.browser  # the fixture: Debian's chromium, never a download
SHOTS = os.environ.get("BIAOGAN_SHOTS")  # a directory: keep screenshots of each page there


async def test_a_notice_written_previewed_and_sent_in_the_browser(browser, tmp_path):
    with MailServer() as mail:
        settings = mail_settings(tmp_path / "data", mail, web_port=0)
        service = ChatService.open(settings, clock=Clock(YEAR, 3, 1, 9, 0))
        store = service.store
        with store.transaction():
            enterprise(store, 11, "苏州", "苏州精工科技有限公司")
            confirmed_mail(store, 11, "li@jinggong.example.cn")
        store.invite_by_email(store.operator(), "zhang@suzhou.gov.cn", "city:苏州", "张科长")
        telegram = MemoryTransport("telegram")
        try:
            async with serving(settings, service) as url:  # the links in mails: its address
                transports = [telegram, web_transport(service)]
                dispatcher = make_dispatcher(service, transports, Knobs(poll=0.1))
                async with started(dispatcher):
                    await _walk_through(browser, url, mail)
        finally:
            service.close()


async def _walk_through(browser, url: str, mail: MailServer) -> None:
    [invitation] = await asyncio.to_thread(mail.mailbox.wait_for, 1)
    link = re.search(r"http://\S+/org/signin/link\?t=\S+", text_of(invitation)).group(0)
    context = await browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)

    await page.goto(link)
    await page.get_by_role("button", name=texts.ORG_LINK_BUTTON).click()
    await page.get_by_role("link", name="群发通知").click()
    await page.get_by_role("link", name=texts.ORG_BC_NEW).click()
    notice = "{企业名称}：\n请于6月30日前报送推荐材料。"
    await page.get_by_label(texts.ORG_BC_TEXT_LABEL).fill(notice)
    await _shot(page, "compose")
    await page.get_by_role("button", name=texts.ORG_BC_PREVIEW_BUTTON).click()
    await page.get_by_role("heading", name=texts.ORG_BC_PREVIEW_HEADING).wait_for()

    frame = page.frame_locator("iframe.mail-html")
    paragraph = frame.get_by_text("苏州精工科技有限公司：")
    await paragraph.wait_for()
    body = frame.locator("body")
    assert await body.evaluate("b => getComputedStyle(b).paddingTop") == "16px"  # mail's own
    assert not refused, refused  # nothing on the page was refused by the CSP
    await _shot(page, "preview")
    if SHOTS:
        await page.locator("iframe.mail-html").scroll_into_view_if_needed()
        await page.locator("iframe.mail-html").screenshot(path=str(Path(SHOTS) / "frame.png"))

    await page.get_by_role("button", name="发送给 1 家企业（共 2 份）").click()
    await page.get_by_role("heading", name="群发 #1").wait_for()
    await asyncio.to_thread(mail.mailbox.wait_for, 2)  # the invitation, then the notice
    done = page.get_by_text("已处理 2 / 2：送达 2，无法送达 0，失败 0")
    for _ in range(50):
        await page.get_by_role("link", name=texts.ORG_BC_REFRESH).click()
        if await done.count():
            break
        await asyncio.sleep(0.1)
    await done.wait_for()
    await _shot(page, "status")
    await context.close()


async def _shot(page, name: str) -> None:
    if SHOTS:
        await page.screenshot(path=str(Path(SHOTS) / f"org-broadcast-{name}.png"), full_page=True)
