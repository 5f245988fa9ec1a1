"""The web chat page in a real headless browser: Debian's chromium driven by Playwright.

Nothing is downloaded: Playwright starts ``/usr/bin/chromium`` (``.ci/run`` installs it, with
``fonts-noto-cjk`` so Chinese renders). Without it these tests fail, they never skip.

The site is served as ``biaogan web`` serves it: the web chat and the process's dispatcher with
the web transport (reminders and broadcasts land in the page), over a clock the tests move; the
page polls for notices every 0.2 s here (15 s in production).
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from bot.config import Settings
from bot.runtime import Knobs, make_dispatcher, started, web_transport
from bot.service import ChatService
from bot.web import WebLimits, texts
from bot.web.server import server_url, web_server
from conversations import texts as flow_texts
from conversations.core import CalendarDate
from tests.driver import Clock
from tests.test_dispatch import until

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
LIVE = WebLimits(poll_seconds=0.2, updates_per_second=0)  # polls often, never slowed down


@dataclass
class Served:
    url: str
    service: ChatService
    clock: Clock


@pytest.fixture
async def served(tmp_path) -> AsyncIterator[Served]:
    """The web chat on a real uvicorn server on a free loopback port, with the dispatcher."""
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", web_port=0)
    clock = Clock(2027, 5, 1, 10, 0)
    service = ChatService.open(settings, clock=clock)
    server = web_server(settings, service, LIVE)
    dispatcher = make_dispatcher(service, [web_transport(service)], Knobs(poll=0.05))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        assert not serving.done(), "the web server did not start"
        await asyncio.sleep(0.01)
    try:
        async with started(dispatcher):
            yield Served(server_url(server), service, clock)
    finally:
        server.should_exit = True
        await serving
        service.close()


@pytest.fixture
def site(served) -> str:
    """The web chat's address."""
    return served.url


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
    assert await mine.locator(".text").inner_text() == "要交费吗"
    await last_bot(page).get_by_text("见通知", exact=False).wait_for()


async def test_markup_typed_by_a_visitor_is_shown_as_text(page, site):
    await page.goto(site)
    await last_bot(page).wait_for()
    attack = '<img src=x onerror="window.pwned=1"><b>粗体</b>'
    await type_and_send(page, attack)
    assert await page.locator(".msg.user .text").last.inner_text() == attack
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


# ---- notices (issue 17): live while the page is open, marked new on the next visit --------

HALF_TYPED = "我想问一下申报材料"
BROADCAST = "【苏州市经信委】2027年度质量标杆推荐材料请于6月30日前报送。"
# A notice as organizers write them: long enough that what follows the first new message fills
# more than the screen (scrolled to the end, its top would be out of sight).
LONG_BROADCAST = "\n".join(
    [BROADCAST]
    + [f"{n}、请按通知要求准备申报表和典型经验材料，经所在市经信委或行业协会审核后统一报送。"
       for n in "一二三四五六七八九十"]
)  # fmt: skip


async def subscribe_here(page) -> None:
    """日程与提醒 on the page: the visitor's reminders (and broadcasts) go to this page."""
    await type_and_send(page, "/remind")
    await page.locator(".msg.bot", has_text=flow_texts.SUBSCRIBE_WEB_TAIL.strip()).wait_for()
    if await last_bot(page).get_by_role("button", name="跳过", exact=True).count():
        await press(page, "跳过")  # the profile question asked once after subscribing


def broadcast_to_everyone(served: Served, text: str) -> None:
    store = served.service.store
    store.create_broadcast(store.operator(), None, "all", text)
    served.service.dispatcher.wake()


async def test_a_broadcast_sent_while_the_page_is_open_appears_without_a_reload(page, served):
    await page.goto(served.url)
    await last_bot(page).wait_for()
    await subscribe_here(page)
    await page.evaluate("window.sameDocument = true")  # gone if the page were loaded again
    await page.locator("#text").fill(HALF_TYPED)  # typed, not sent
    assert await page.evaluate("document.activeElement.id") == "text"

    broadcast_to_everyone(served, BROADCAST)
    notice = page.locator(".msg.bot.new", has_text=BROADCAST)
    await notice.wait_for()
    assert await notice.locator(".badge").inner_text() == texts.NEW_BADGE
    assert await last_bot(page).inner_text() == await notice.inner_text()  # at the end
    assert await page.evaluate("window.sameDocument") is True
    assert await page.locator("#text").input_value() == HALF_TYPED
    assert await page.evaluate("document.activeElement.id") == "text"  # focus stayed
    assert await page.locator("#log").get_attribute("aria-live") == "polite"  # announced
    await type_and_send(page, HALF_TYPED)  # the conversation goes on below it
    assert await page.locator(".msg.bot", has_text=BROADCAST).count() == 1

    await page.reload()  # the open page was handed it: seen, nothing new on the next visit
    await page.locator(".msg.bot", has_text=BROADCAST).wait_for()
    assert await page.locator(".msg.new, .since").count() == 0


async def test_notices_sent_while_the_page_is_closed_are_marked_new_on_the_next_visit(page, served):
    store, clock = served.service.store, served.clock
    store.set_calendar_date(
        store.operator(), CalendarDate(year=2027, milestone="submission", day=date(2027, 6, 30))
    )
    await page.goto(served.url)
    await last_bot(page).wait_for()
    for question in ("要交费吗", "需要哪些材料"):  # a conversation longer than the screen
        await type_and_send(page, question)
    await subscribe_here(page)  # reminders 30, 7 and 1 days before 6月30日, at 09:00
    context = page.context
    await page.close()

    clock.set(2027, 5, 31, 9, 0)  # the 30-day reminder falls due while the page is closed
    broadcast_to_everyone(served, LONG_BROADCAST)
    sent = "SELECT count(*) FROM {} WHERE status = 'sent'"
    await until(
        lambda: (
            [store.db.execute(sent.format(t)).fetchone()[0] for t in ("reminders", "deliveries")]
            == [1, 1]
        )
    )

    again = await context.new_page()
    errors: list[str] = []
    again.on("pageerror", lambda error: errors.append(str(error)))
    await again.goto(served.url)
    fresh = again.locator(".msg.bot.new")
    await fresh.nth(1).wait_for()
    assert await fresh.count() == 2
    reminder, broadcast = await fresh.locator(".text").all_inner_texts()
    assert reminder.startswith("⏰") and "报送推荐材料" in reminder
    assert broadcast == LONG_BROADCAST
    assert await fresh.locator(".badge").all_inner_texts() == [texts.NEW_BADGE] * 2
    # Marked above the first of them, which is where the page is scrolled to.
    since = again.locator(".since")
    assert await since.inner_text() == texts.NEW_SINCE.format(count=2)
    assert await again.evaluate(
        "document.querySelector('.since').nextElementSibling === document.querySelector('.new')"
    )
    log_box, since_box = await again.locator("#log").bounding_box(), await since.bounding_box()
    assert -1 < since_box["y"] - log_box["y"] < 30, (log_box, since_box)

    await again.reload()  # seen now
    await again.locator(".msg.bot", has_text=BROADCAST).wait_for()
    assert await again.locator(".msg.new, .since").count() == 0
    assert errors == []


WATCH_POLLS = """() => {
  window.polls = [];
  const fetchBefore = window.fetch;
  window.fetch = (url, options) => {
    if (String(url).includes("/api/updates")) window.polls.push(performance.now());
    return fetchBefore(url, options);
  };
}"""
SET_HIDDEN = """(hidden) => {
  Object.defineProperty(document, "hidden", { value: hidden, configurable: true });
  const at = performance.now();
  document.dispatchEvent(new Event("visibilitychange"));
  return window.polls.filter((t) => t >= at).length;
}"""


async def test_polling_pauses_while_the_tab_is_hidden_and_looks_at_once_when_shown(page, served):
    await page.goto(served.url)
    await last_bot(page).wait_for()
    await subscribe_here(page)
    await page.evaluate(WATCH_POLLS)
    await page.wait_for_timeout(700)
    assert await page.evaluate("window.polls.length") >= 2  # every 0.2 s while shown

    assert await page.evaluate(SET_HIDDEN, True) == 0
    await page.wait_for_timeout(300)  # a poll under way when it was hidden may still end
    before = await page.evaluate("window.polls.length")
    broadcast_to_everyone(served, BROADCAST)
    await page.wait_for_timeout(1000)
    assert await page.evaluate("window.polls.length") == before  # paused
    assert await page.locator(".msg.bot", has_text=BROADCAST).count() == 0

    assert await page.evaluate(SET_HIDDEN, False) == 1  # shown again: a poll at once
    await page.locator(".msg.bot.new", has_text=BROADCAST).wait_for()


async def test_polling_slows_down_while_the_server_fails_and_recovers(page, served):
    await page.goto(served.url)
    await last_bot(page).wait_for()
    await subscribe_here(page)
    failed: list[float] = []

    async def unavailable(route):
        failed.append(asyncio.get_running_loop().time())
        await route.fulfill(status=503, content_type="application/json", body="{}")

    await page.route("**/api/updates*", unavailable)
    await page.wait_for_timeout(3000)
    # Steady, it would poll 15 times in 3 s; backing off (0.4, 0.8, 1.6 s…) about 4.
    assert 2 <= len(failed) <= 6, failed
    assert await page.locator("#notice").is_hidden()  # a failed poll says nothing to the visitor
    await page.unroute("**/api/updates*")
    broadcast_to_everyone(served, BROADCAST)
    await page.locator(".msg.bot.new", has_text=BROADCAST).wait_for(timeout=15_000)
    page.problems[:] = [p for p in page.problems if "503" not in p]  # the failures we made
