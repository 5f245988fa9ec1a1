"""The web chat for everyone (issue 21): readable, current, nothing lost, Back kept in hand.

In Debian's chromium (as tests/test_web_browser.py): axe-core (``tests/vendor/axe.min.js``,
axe-core 4.14.1 from npm, MPL-2.0, unmodified) run in the page finds no serious or critical
violation in the normal, 大字 and 200 % modes; a self-check is done with Tab, Enter and Space
only; nothing scrolls sideways at 320 px; a long reply opens at its first line; the buttons of
earlier steps are disabled or gone; a failed send keeps its text.

"200 %" is a 1280×800 window at 200 % zoom: 640×400 CSS pixels at device scale 2.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.web import texts
from conversations import texts as flow_texts
from tests import test_web_browser
from tests.test_web_browser import PHONE, TIMEOUT_MS, last_bot, press, settled, type_and_send

browser = test_web_browser.browser  # the fixtures: Debian's chromium, the served web chat
served = test_web_browser.served
site = test_web_browser.site

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ZOOM_200 = {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}
NARROW = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
NOT_IN_NOTICE = "评上以后奖励多少钱"

RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
  }));
}"""
# Nothing wider than the window: the page, the conversation, and every box in it.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter((e) => e.getClientRects().length && e.getBoundingClientRect().right > width + 0.5)
    .map((e) => e.id || e.className || e.tagName);
  const log = document.getElementById("log");
  return { page: document.documentElement.scrollWidth - width,
           log: log.scrollWidth - log.clientWidth, wide };
}"""


async def open_page(browser, site, **options):
    """A page of the web chat with axe loaded (an init script: the page's CSP stays as served)."""
    context = await browser.new_context(**(options or PHONE), locale="zh-CN")
    await context.add_init_script(path=str(AXE))
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    await page.goto(site)
    await last_bot(page).get_by_role("button", name=flow_texts.MENU_CHECK).wait_for()
    return page


async def live_buttons(page) -> list[str]:
    return await page.locator(".log button:not([disabled])").all_inner_texts()


async def a_conversation(page) -> None:
    """A question, a not-in-notice question and the check's first question and its 说明."""
    await type_and_send(page, "要交费吗")
    await type_and_send(page, NOT_IN_NOTICE)
    await press(page, flow_texts.BACK_TO_MENU)
    await press(page, flow_texts.MENU_CHECK)
    await press(page, flow_texts.CHECK_BTN_EXPLAIN)


async def finish_the_check(page) -> None:
    await press(page, flow_texts.MENU_CHECK)
    for _ in range(12):
        labels = await last_bot(page).get_by_role("button").all_inner_texts()
        if flow_texts.CHECK_BTN_CONFIRM in labels:
            await press(page, flow_texts.CHECK_BTN_CONFIRM)
            return
        await press(page, "是" if "是" in labels else flow_texts.CHECK_YEARS_GE3)
    raise AssertionError("the check never reached its summary")


# ---- 1. readable ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["normal", "large", "zoom200"])
async def test_axe_finds_nothing_serious_in_normal_large_and_200_percent(browser, site, mode):
    page = await open_page(browser, site, **(ZOOM_200 if mode == "zoom200" else PHONE))
    if mode == "large":
        await page.get_by_role("button", name=texts.LARGE_TEXT).click()
    await a_conversation(page)
    violations = await page.evaluate(RUN_AXE)
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []
    # Nothing of lesser impact either: text contrast (color-contrast), every control in a
    # landmark (region), every button named (button-name)…
    assert violations == []
    assert page.errors == []
    await page.context.close()


async def test_the_page_follows_the_browsers_font_size_and_large_type_is_remembered(browser, site):
    page = await open_page(browser, site)
    text = page.locator(".msg.bot .text").first
    size = "(e) => parseFloat(getComputedStyle(e).fontSize)"
    assert await text.evaluate(size) == 16
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 24}})  # the browser's setting
    await page.reload()
    text = page.locator(".msg.bot .text").first
    await text.wait_for()
    assert await text.evaluate(size) == 24

    switch = page.get_by_role("button", name=texts.LARGE_TEXT)
    assert await switch.get_attribute("aria-pressed") == "false"
    await switch.click()
    assert await switch.get_attribute("aria-pressed") == "true"
    assert await text.evaluate(size) == 30  # one step larger than the browser's own
    await page.reload()  # remembered by this browser, applied before the first paint
    await page.locator(".msg.bot .text").first.wait_for()
    assert await page.evaluate("document.documentElement.className") == "large"
    switch = page.get_by_role("button", name=texts.LARGE_TEXT, pressed=True)
    await switch.click()
    assert await page.locator(".msg.bot .text").first.evaluate(size) == 24
    await page.context.close()


def _contrast(a: list[float], b: list[float]) -> float:
    def luminance(rgb: list[float]) -> float:
        c = [v / 255 for v in rgb[:3]]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


RGB = """([selector, pseudo, property]) => {
  const style = getComputedStyle(document.querySelector(selector), pseudo);
  return style[property].match(/[\\d.]+/g).map(Number);
}"""


async def test_input_border_and_placeholder_have_enough_contrast(browser, site):
    """What axe does not measure: the box's edge (3:1, WCAG 1.4.11) and the placeholder (4.5:1)."""
    page = await open_page(browser, site)
    box = await page.evaluate(RGB, ["#text", None, "backgroundColor"])
    border = await page.evaluate(RGB, ["#text", None, "borderTopColor"])
    placeholder = await page.evaluate(RGB, ["#text", "::placeholder", "color"])
    assert _contrast(border, box) >= 3, border
    assert _contrast(placeholder, box) >= 4.5, placeholder
    for control in ("#menu", "#forget", "#size"):
        edge = await page.evaluate(RGB, [control, None, "borderTopColor"])
        assert _contrast(edge, [255, 255, 255]) >= 3, control
    await page.context.close()


@pytest.mark.parametrize("mode", ["320px", "320px-large", "zoom200"])
async def test_nothing_scrolls_sideways_at_320_px_and_at_200_percent(browser, site, mode):
    page = await open_page(browser, site, **(ZOOM_200 if mode == "zoom200" else NARROW))
    if mode.endswith("large"):
        await page.get_by_role("button", name=texts.LARGE_TEXT).click()
    await type_and_send(page, "https://example.org/" + "a" * 120)  # one unbreakable word
    await finish_the_check(page)
    await press(page, flow_texts.CHECK_BTN_BASIS)
    assert await page.evaluate(OVERFLOW) == {"page": 0, "log": 0, "wide": []}
    await page.context.close()


async def test_a_success_is_said_in_green_and_politely_not_as_an_error(browser, site):
    page = await open_page(browser, site)
    page.once("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    await page.get_by_role("button", name=texts.FORGET).click()
    done = page.get_by_role("status")
    await done.get_by_text(texts.FORGOTTEN).wait_for()
    assert await page.locator("#notice").is_hidden()  # the error box (role=alert) stays shut
    background = await page.evaluate(RGB, ["#info", None, "backgroundColor"])
    error = await page.evaluate(RGB, ["#notice", None, "backgroundColor"])
    assert background[1] > background[0] and background != error  # green, not the red
    await page.context.close()


async def test_replies_are_announced_and_focus_moves_to_the_reply(browser, site):
    page = await open_page(browser, site)
    assert await page.locator("#log").get_attribute("aria-live") == "polite"
    speaker = page.locator(".msg.bot .sr-only").first  # said as text, not an aria-label
    assert await speaker.text_content() == f"{texts.BOT}："
    check = last_bot(page).get_by_role("button", name=flow_texts.MENU_CHECK)
    await check.focus()
    async with page.expect_response("**/api/send"):
        await page.keyboard.press("Enter")
    await settled(page)
    focused = page.locator(":focus")
    assert await focused.evaluate("(e) => e.matches('.msg.bot')")
    assert "第1/8题" in await focused.inner_text()
    outline = await focused.evaluate("(e) => getComputedStyle(e).outlineStyle")
    assert outline == "solid"  # visible: the last move was by keyboard
    await page.keyboard.press("Tab")
    assert await page.locator(":focus").inner_text() == flow_texts.CHECK_BTN_YES
    await type_and_send(page, "是")  # a typed answer: the focus stays in the box
    assert await page.evaluate("document.activeElement.id") == "text"
    await page.context.close()


# ---- keyboard only --------------------------------------------------------------------------


async def tab_to(page, wanted: set[str], limit: int = 40) -> str:
    """Tab until a button labelled one of ``wanted`` has the focus; its label."""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        label = await page.evaluate("document.activeElement.innerText || ''")
        if label.strip() in wanted:
            return label.strip()
    raise AssertionError(f"Tab never reached {wanted}")


async def activate(page, key: str) -> None:
    async with page.expect_response("**/api/send") as answer:
        await page.keyboard.press(key)
    assert (await answer.value).status == 200
    await settled(page)


async def test_a_self_check_done_with_the_keyboard_only(browser, site):
    page = await open_page(browser, site)
    await tab_to(page, {flow_texts.MENU_CHECK})
    await activate(page, "Enter")
    keys = ["Space", "Enter"]
    for turn in range(12):
        answers = {
            flow_texts.CHECK_BTN_YES,
            flow_texts.CHECK_YEARS_GE3,
            flow_texts.CHECK_BTN_CONFIRM,
        }
        label = await tab_to(page, answers)
        await activate(page, keys[turn % 2])
        if label == flow_texts.CHECK_BTN_CONFIRM:
            break
    verdict = last_bot(page)
    await verdict.get_by_text("自测结果").wait_for()
    assert await page.evaluate("document.activeElement.matches('.msg.bot')")
    assert page.errors == []
    await page.context.close()


# ---- 2. long replies open at their start ------------------------------------------------------


async def test_a_long_reply_opens_at_its_first_line(browser, site):
    page = await open_page(browser, site)
    await finish_the_check(page)
    await press(page, flow_texts.CHECK_BTN_BASIS)
    geometry = await page.evaluate(
        """() => { const log = document.getElementById("log");
          const reply = [...log.querySelectorAll(".msg.bot")].pop();
          return { top: reply.getBoundingClientRect().top - log.getBoundingClientRect().top,
                   height: reply.offsetHeight, view: log.clientHeight,
                   left: log.scrollHeight - log.clientHeight - log.scrollTop }; }"""
    )
    assert geometry["height"] > geometry["view"], geometry  # long: it cannot all be seen
    assert 0 <= geometry["top"] < 20, geometry  # its first line at the top of the view…
    assert geometry["left"] > 100, geometry  # …not scrolled to its end
    # Only the log scrolls: nothing in it (the hidden speaker labels included) makes the page
    # itself taller, which a scroll to a message would then move, header and all, off screen.
    page_box = await page.evaluate(
        "() => [document.scrollingElement.scrollHeight, document.scrollingElement.clientHeight]"
    )
    assert page_box[0] <= page_box[1], page_box
    await page.context.close()


# ---- 3. old keyboards look old ----------------------------------------------------------------


async def test_only_the_current_step_has_live_buttons(browser, site):
    page = await open_page(browser, site)
    await type_and_send(page, NOT_IN_NOTICE)
    # The not-in-notice reply offers to forward the question, to name the visitor's own
    # organizer and the way back, not the whole menu again…
    offered = [flow_texts.FWD_BUTTON_CITY, flow_texts.CONTACT_CITY_BUTTON, flow_texts.BACK_TO_MENU]
    assert await last_bot(page).get_by_role("button").all_inner_texts() == offered
    # …and the greeting's menu, an earlier step, is shown disabled.
    greeting = page.locator(".msg.bot").first.locator(".keyboard")
    assert await greeting.get_attribute("class") == "keyboard retired"
    for button in await greeting.get_by_role("button").all():
        assert await button.is_disabled()
        assert await button.get_attribute("aria-disabled") == "true"
    assert await live_buttons(page) == offered

    await press(page, flow_texts.BACK_TO_MENU)
    await press(page, flow_texts.MENU_CHECK)
    await press(page, flow_texts.CHECK_BTN_EXPLAIN)  # 说明: the question's buttons once, below it
    await type_and_send(page, "是")  # a typed answer: the next question's buttons, once
    await type_and_send(page, "说明")
    yes = page.locator(".log button", has_text=flow_texts.CHECK_BTN_UNSURE)
    assert await yes.count() == 1
    assert await page.locator(".log button:not([disabled])", has_text="说明").count() == 1
    assert (await live_buttons(page))[:3] == ["是", "否", "不确定"]
    assert await page.locator(".keyboard:not(.retired)").count() == 1
    await page.reload()  # the same after a reload
    await last_bot(page).wait_for()
    assert await page.locator(".log button", has_text=flow_texts.CHECK_BTN_UNSURE).count() == 1
    assert await page.locator(".keyboard:not(.retired)").count() == 1
    await page.context.close()


# ---- 4. nothing lost (the page's part) -------------------------------------------------------


async def test_a_failed_send_keeps_the_text_and_says_what_to_do(browser, site):
    page = await open_page(browser, site)
    typed = "我们公司成立两年了，可以申报吗"
    await page.route("**/api/send", lambda route: route.abort())
    await page.locator("#text").fill(typed)
    await page.locator("#text").press("Enter")
    await page.locator("#notice").get_by_text(texts.NETWORK_ERROR).wait_for()
    assert texts.TEXT_KEPT in await page.locator("#notice").inner_text()
    assert await page.locator("#text").input_value() == typed
    assert await page.locator(".msg.user").count() == 0  # the pending copy went away

    csrf = json.dumps({"error": texts.ERR_CSRF})
    await page.unroute("**/api/send")
    await page.route(
        "**/api/send",
        lambda route: route.fulfill(status=403, content_type="application/json", body=csrf),
    )
    await page.locator("#send").click()
    await page.locator("#notice").get_by_text("请刷新页面").wait_for()
    assert "安全校验" not in await page.locator("#notice").inner_text()
    assert await page.locator("#text").input_value() == typed
    await page.unroute("**/api/send")

    await type_and_send(page, typed)  # sent as it stood, once the way is clear
    assert await page.locator(".msg.user .text").all_inner_texts() == [typed]
    assert await page.locator("#notice").is_hidden()
    await page.context.close()


async def test_a_send_to_an_expired_session_starts_afresh_and_keeps_the_text(browser, served):
    page = await open_page(browser, served.url)
    await page.context.clear_cookies()  # the session gone (expired, or forgotten elsewhere)
    await page.locator("#text").fill("需要哪些材料")
    await page.locator("#text").press("Enter")
    await page.get_by_role("status").get_by_text(texts.SESSION_RESTARTED).wait_for()
    await last_bot(page).get_by_role("button", name=flow_texts.MENU_CHECK).wait_for()
    assert await page.locator("#text").input_value() == "需要哪些材料"
    assert await page.locator("#notice").is_hidden()
    await page.context.close()


# ---- 7. the browser's Back ---------------------------------------------------------------------


async def test_back_during_a_self_check_keeps_the_page_and_says_so(browser, site):
    page = await open_page(browser, site)
    await page.goto(site.rstrip("/") + "/healthz")  # a page before the chat, where Back would lead
    await page.goto(site)
    await last_bot(page).get_by_role("button", name=flow_texts.MENU_CHECK).wait_for()
    await press(page, flow_texts.MENU_CHECK)
    await press(page, flow_texts.CHECK_BTN_YES)

    await page.go_back()
    await page.get_by_role("status").get_by_text(texts.LEAVE_CHECK).wait_for()
    assert page.url == site
    assert "第2/8题" in await page.locator(":focus").inner_text()  # the question in hand
    await press(page, flow_texts.CHECK_BTN_YES)  # still answering: Back is guarded again
    await page.go_back()
    assert page.url == site
    await page.go_back()  # twice in a row: the visitor means it
    await page.wait_for_url("**/healthz")
    await page.go_forward()
    await last_bot(page).get_by_text("第3/8题", exact=False).wait_for()  # resumed where it was
    await page.context.close()


async def test_back_after_the_check_has_ended_leaves_at_once(browser, site):
    page = await open_page(browser, site)
    await page.goto(site.rstrip("/") + "/healthz")
    await page.goto(site)
    await last_bot(page).get_by_role("button", name=flow_texts.MENU_CHECK).wait_for()
    await finish_the_check(page)
    await page.wait_for_function("history.state === null")  # the guard taken away
    await page.go_back()
    await page.wait_for_url("**/healthz")
    await page.context.close()
