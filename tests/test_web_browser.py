"""The web chat page in a real headless browser: Debian's chromium driven by Playwright.

Nothing is downloaded: Playwright starts ``/usr/bin/chromium`` (``.ci/run`` installs it, with
``fonts-noto-cjk`` so Chinese renders). Without it these tests fail, they never skip.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.service import ChatService
from bot.web import texts
from bot.web.server import server_url, web_server
from conversations import texts as flow_texts

CHROMIUM = Path("/usr/bin/chromium")
# The flags that work on these machines (closed network: no background connections).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
TIMEOUT_MS = 10_000


@pytest.fixture
async def site(tmp_path) -> AsyncIterator[str]:
    """The web chat on a real uvicorn server on a free loopback port; yields its address."""
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", web_port=0)
    service = ChatService.open(settings)
    server = web_server(settings, service)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        assert not serving.done(), "the web server did not start"
        await asyncio.sleep(0.01)
    try:
        yield server_url(server)
    finally:
        server.should_exit = True
        await serving
        service.close()


@pytest.fixture
async def browser(tmp_path):
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.fail(
            "Debian's chromium is missing: apt-get install -y chromium fonts-noto-cjk "
            "(.ci/run does it)"
        )
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page(browser, site):
    context = await browser.new_context(**PHONE, locale="zh-CN")
    opened = await context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    opened.on(
        "console",
        lambda message: message.type == "error" and problems.append(f"console: {message.text}"),
    )
    opened.on(
        "request",
        lambda request: request.url.startswith(site) or problems.append(f"went to {request.url}"),
    )
    opened.problems = problems  # type: ignore[attr-defined]
    yield opened
    await context.close()
    assert problems == [], problems


def last_bot(page):
    return page.locator(".msg.bot").last


async def settled(page) -> None:
    """Wait until the page has shown the answer (the script clears ``busy`` after rendering)."""
    await page.locator("body:not(.busy)").wait_for(state="attached")


async def press(page, label: str) -> None:
    """Press the button ``label`` of the newest bot message and wait for the answer shown."""
    async with page.expect_response("**/api/send") as answer:
        await last_bot(page).get_by_role("button", name=label, exact=True).click()
    assert (await answer.value).status == 200
    await settled(page)


async def type_and_send(page, text: str) -> None:
    async with page.expect_response("**/api/send") as answer:
        await page.locator("#text").fill(text)
        await page.locator("#text").press("Enter")
    assert (await answer.value).status == 200
    await settled(page)


async def answer_the_check_by_buttons(page) -> None:
    await press(page, flow_texts.MENU_CHECK)
    for _ in range(12):
        buttons = last_bot(page).get_by_role("button")
        labels = await buttons.all_inner_texts()
        if "确认，查看结果" in labels:
            await press(page, "确认，查看结果")
            return
        await press(page, "是" if "是" in labels else "3年以上（含3年）")
    raise AssertionError("the check never reached its summary")


async def test_a_self_check_by_buttons_then_a_reload_then_a_question(page, site):
    await page.goto(site)
    greeting = page.locator(".msg.bot").first
    await greeting.get_by_text("质量标杆", exact=False).first.wait_for()
    assert await page.title() == texts.TITLE

    await answer_the_check_by_buttons(page)
    verdict = last_bot(page)
    await verdict.get_by_text("自测结果").wait_for()
    # Every question replaced the one before (edit), so the page holds few messages.
    shown = await page.locator(".msg").count()
    assert shown <= 4, shown

    await page.reload()
    await last_bot(page).get_by_text("自测结果").wait_for()
    assert await page.locator(".msg").count() == shown

    await type_and_send(page, "要交费吗")
    mine = page.locator(".msg.user").last
    assert await mine.inner_text() == "要交费吗"
    await last_bot(page).get_by_text("见通知", exact=False).wait_for()


async def test_markup_typed_by_a_visitor_is_shown_as_text(page, site):
    await page.goto(site)
    await last_bot(page).wait_for()
    attack = '<img src=x onerror="window.pwned=1"><b>粗体</b>'
    await type_and_send(page, attack)
    assert await page.locator(".msg.user").last.inner_text() == attack
    assert await page.locator(".log img, .log b").count() == 0
    assert await page.evaluate("window.pwned") is None


async def test_a_deep_link_opens_the_check_and_the_address_is_cleaned(page, site):
    await page.goto(site + "?start=check")
    await last_bot(page).get_by_text("第1/8题", exact=False).wait_for()
    assert page.url == site
    await page.reload()
    await last_bot(page).get_by_text("第1/8题", exact=False).wait_for()
    assert await page.locator(".msg.bot").count() == 1  # the reload did not open it again


async def test_the_menu_button_and_forget(page, site):
    await page.goto(site)
    await last_bot(page).wait_for()
    await type_and_send(page, "要交费吗")
    async with page.expect_response("**/api/send"):
        await page.get_by_role("button", name=texts.MENU, exact=True).click()
    await last_bot(page).get_by_role("button", name=flow_texts.MENU_CHECK).wait_for()

    page.once("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    async with page.expect_response("**/api/forget"):
        await page.get_by_role("button", name=texts.FORGET).click()
    await page.get_by_text(texts.FORGOTTEN).wait_for()
    await last_bot(page).get_by_text("质量标杆", exact=False).first.wait_for()
    assert await page.locator(".msg.user").count() == 0


async def test_a_typed_forget_asks_then_the_page_starts_afresh_with_the_greeting(page, site):
    await page.goto(site)
    await last_bot(page).wait_for()
    await type_and_send(page, "要交费吗")
    await type_and_send(page, "/forget")
    await last_bot(page).get_by_text(flow_texts.FORGET_ASK).wait_for()
    await press(page, flow_texts.FORGET_YES)
    await page.get_by_text(texts.FORGOTTEN).wait_for()
    await last_bot(page).get_by_text("质量标杆", exact=False).first.wait_for()
    assert await page.locator(".msg.user").count() == 0  # nothing of the old conversation
    await page.reload()
    await last_bot(page).get_by_role("button", name=flow_texts.MENU_CHECK).wait_for()
    assert await page.get_by_text("要交费吗").count() == 0
