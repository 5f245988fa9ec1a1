"""Screenshot of the web chat at phone width (``docs/web-phone.png``), in Debian's chromium.

    .venv/bin/python -m tests.web_screenshot [docs/web-phone.png]

Starts the web chat on a free port with a scratch data folder, opens it at 390×844, starts the
self-check, answers one question and asks one, and saves the page as a PNG.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from bot.config import Settings
from bot.service import ChatService
from bot.web.server import server_url, web_server
from tests.test_web_browser import CHROMIUM, CHROMIUM_FLAGS, PHONE, last_bot, press, type_and_send


async def screenshot(target: Path) -> None:
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(_env_file=None, data_dir=Path(scratch), web_port=0)
        service = ChatService.open(settings)
        server = web_server(settings, service)
        serving = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
        try:
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
                )
                context = await browser.new_context(**PHONE, device_scale_factor=2, locale="zh-CN")
                page = await context.new_page()
                await page.goto(server_url(server))
                await last_bot(page).wait_for()
                await type_and_send(page, "要交费吗")
                await last_bot(page).get_by_text("见通知", exact=False).wait_for()
                await press(page, "返回主菜单")
                await press(page, "资格自测")
                await press(page, "是")
                await page.screenshot(path=str(target))
                await browser.close()
        finally:
            server.should_exit = True
            await serving
            service.close()


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/web-phone.png")
    asyncio.run(screenshot(out))
    print(out)
