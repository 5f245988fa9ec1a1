"""Screenshots of the web chat at phone width, in Debian's chromium.

    .venv/bin/python -m tests.web_screenshot [docs/web-conversation.png]
    .venv/bin/python -m tests.web_screenshot --notice [docs/web-notice.png]

Starts the web chat on a free port with a scratch data folder, opens it at 390×844 and saves the
page as a PNG: by default after starting the self-check, answering one question and asking one;
with ``--notice``, the next visit of a visitor who subscribed to reminders on the page and then
closed it, while a reminder and an organizer's broadcast landed (the dispatcher and the web
transport, as ``biaogan web`` runs them, over a clock moved to the reminder's day).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import date
from pathlib import Path

from bot.config import Settings
from bot.runtime import Knobs, make_dispatcher, started, web_transport
from bot.service import ChatService
from bot.web.server import server_url, web_server
from conversations.core import CalendarDate
from tests.driver import Clock
from tests.test_web_browser import CHROMIUM, CHROMIUM_FLAGS, PHONE, last_bot, press, type_and_send

NOTICE = (
    "【苏州市经信委】2027年度质量标杆推荐工作已经启动，请有意申报的企业于6月20日前"
    "将申报表和典型经验材料报送至所在区县经信部门。咨询电话：0512-6xxxxxxx。"
)


async def conversation(page) -> None:
    await type_and_send(page, "要交费吗")
    await last_bot(page).get_by_text("见通知", exact=False).wait_for()
    await press(page, "返回主菜单")
    await press(page, "资格自测")
    await press(page, "是")


async def next_visit_with_notices(page, url: str, service: ChatService, clock: Clock):
    """Subscribe, close the page, let a reminder and a broadcast land, open it again."""
    store = service.store
    await type_and_send(page, "要交费吗")
    await type_and_send(page, "/remind")
    await press(page, "跳过")
    context = page.context
    await page.close()
    clock.set(2027, 5, 31, 9, 0)  # the 30-day reminder is due
    store.create_broadcast(store.operator(), None, "all", NOTICE)
    service.dispatcher.wake()
    while (
        store.db.execute(
            "SELECT (SELECT count(*) FROM reminders WHERE status = 'sent')"
            " + (SELECT count(*) FROM deliveries WHERE status = 'sent')"
        ).fetchone()[0]
        < 2
    ):
        await asyncio.sleep(0.05)
    again = await context.new_page()
    await again.goto(url)
    await again.locator(".since").wait_for()
    return again


async def screenshot(target: Path, *, notice: bool = False) -> None:
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(_env_file=None, data_dir=Path(scratch), web_port=0)
        clock = Clock(2027, 5, 1, 10, 0)
        service = ChatService.open(settings, clock=clock)
        store = service.store
        store.set_calendar_date(
            store.operator(), CalendarDate(year=2027, milestone="submission", day=date(2027, 6, 30))
        )
        server = web_server(settings, service)
        dispatcher = make_dispatcher(service, [web_transport(service)], Knobs(poll=0.05))
        serving = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
        try:
            async with started(dispatcher), async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
                )
                context = await browser.new_context(**PHONE, device_scale_factor=2, locale="zh-CN")
                page = await context.new_page()
                url = server_url(server)
                await page.goto(url)
                await last_bot(page).wait_for()
                if notice:
                    page = await next_visit_with_notices(page, url, service, clock)
                else:
                    await conversation(page)
                await page.screenshot(path=str(target))
                await browser.close()
        finally:
            server.should_exit = True
            await serving
            service.close()


if __name__ == "__main__":
    args = sys.argv[1:]
    notice = "--notice" in args
    args = [a for a in args if a != "--notice"]
    default = "docs/web-notice.png" if notice else "docs/web-conversation.png"
    out = Path(args[0] if args else default)
    asyncio.run(screenshot(out, notice=notice))
    print(out)
