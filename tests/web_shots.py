"""The web chat's pictures in docs/ (issue 21): the start page and a long result, at phone width
and at 200 % zoom, in Debian's chromium.

    .venv/bin/python -m tests.web_shots [docs]

Writes web-start-phone.png and web-result-phone.png (390×844), web-start-200.png and
web-result-200.png (a 1280×800 window at 200 %: 640×400 CSS pixels at device scale 2). The
result is the self-check's 查看依据, opened at its first line as the page opens long replies.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from bot.config import Settings
from bot.service import ChatService
from bot.web.server import server_url, web_server
from conversations import texts as flow_texts
from tests.driver import Clock
from tests.test_web_browser import CHROMIUM, CHROMIUM_FLAGS, PHONE, last_bot, press

SIZES = {
    "phone": {**PHONE, "device_scale_factor": 2},
    "200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}


async def a_result(page) -> None:
    """The self-check answered (one part unsure, so the basis has advice), then 查看依据."""
    await press(page, flow_texts.MENU_CHECK)
    for turn in range(12):
        labels = await last_bot(page).get_by_role("button").all_inner_texts()
        if flow_texts.CHECK_BTN_CONFIRM in labels:
            await press(page, flow_texts.CHECK_BTN_CONFIRM)
            break
        if "是" in labels:
            await press(page, flow_texts.CHECK_BTN_UNSURE if turn == 3 else "是")
        else:
            await press(page, flow_texts.CHECK_YEARS_GE3)
    await press(page, flow_texts.CHECK_BTN_BASIS)
    await page.mouse.move(0, 0)


async def shots(folder: Path) -> list[Path]:
    from playwright.async_api import async_playwright

    made = []
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(_env_file=None, data_dir=Path(scratch), web_port=0)
        service = ChatService.open(settings, clock=Clock(2027, 5, 1, 10, 0))
        server = web_server(settings, service)
        serving = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
        try:
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
                )
                for size, options in SIZES.items():
                    context = await browser.new_context(**options, locale="zh-CN")
                    page = await context.new_page()
                    await page.goto(server_url(server))
                    await last_bot(page).get_by_role("button").first.wait_for()
                    made.append(folder / f"web-start-{size}.png")
                    await page.screenshot(path=str(made[-1]))
                    await a_result(page)
                    made.append(folder / f"web-result-{size}.png")
                    await page.screenshot(path=str(made[-1]))
                    await context.close()
                await browser.close()
        finally:
            server.should_exit = True
            await serving
            service.close()
    return made


if __name__ == "__main__":
    for path in asyncio.run(shots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))):
        print(path)
