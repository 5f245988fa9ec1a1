# ruff: noqa: F811 (the browser fixtures of tests/test_web_browser.py are imported by name)
"""Nothing lost, forgotten as promised, a result to keep (issue 21, points 4–6): over HTTP
(httpx's ASGI transport) and in Debian's chromium driven by Playwright (the fixtures of
``tests/test_web_browser.py``: the real uvicorn server, a clock the tests move).

- a text over the limit is refused with its length and the limit, never cut; a 4,778-character
  draft is read whole (its 效果亮点 at the end found);
- a .docx or .pdf draft uploaded is checked; a forged, oversized, bomb or encrypted file is
  refused in a sentence, and nothing of any upload is stored but the check's reply;
- typed /forget asks, then the page starts afresh, the cookie is cleared, and the forgotten
  sentence is in neither the database file nor its WAL;
- the printed page shows the messages only; the PDF holds the result; another browser
  continues the conversation with a one-time code that expires.
"""

from __future__ import annotations

import asyncio
import io
import zipfile
from datetime import timedelta

import httpx
import pytest
from docx import Document
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from bot.config import Settings
from bot.service import ChatService
from bot.web import WebLimits, build_web_app
from bot.web.keep import CODE_ALPHABET, normalised
from conversations import texts
from tests.driver import Clock
from tests.test_web_browser import (  # fixtures and helpers, no tests
    PHONE,
    TIMEOUT_MS,
    answer_the_check_by_buttons,
    browser,  # noqa: F401
    last_bot,
    press,
    served,  # noqa: F401
    settled,
    site,  # noqa: F401
    type_and_send,
)
from tests.web_visitor import Visitor

RELAXED = WebLimits(session_per_second=0, address_per_second=0)
SECRET = "紫藤花开在第七号仓库的屋顶上"  # in no notice, no text of ours: found only if kept
TITLE = "苏州精工机械有限公司六西格玛质量管理实践经验"
FILLER = "公司建立质量管理体系，推行标准化作业流程，开展班组质量活动。"  # no 效果 cue word
ENDING = "效果亮点：产品一次合格率提升到99.5%，质量成本降低20%。"


def long_draft(length: int = 4778) -> str:
    """A case draft whose only 效果亮点 sentence is its last: cut anywhere, it is lost."""
    head = f"{TITLE}\n{SECRET}。\n"
    body = (FILLER * (length // len(FILLER) + 1))[: length - len(head) - len(ENDING) - 1]
    draft = f"{head}{body}\n{ENDING}"
    assert len(draft) == length
    return draft


def docx_bytes(text: str) -> bytes:
    document = Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text: str, password: str | None = None) -> bytes:
    import pylopdf_fonts_zh_cn

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("cjk", fname=str(pylopdf_fonts_zh_cn.sans_path()))
    pdf.set_font("cjk", size=11)
    pdf.multi_cell(0, 6, text, wrapmode="CHAR")
    content = bytes(pdf.output())
    if password is None:
        return content
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A .docx whose document part unpacks to 40 MB of zeros (40 KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (40 * 1024 * 1024))
    return buffer.getvalue()


EXE_AS_DOCX = b"MZ\x90\x00\x03" + b"\x00" * 4000  # a Windows program renamed .docx
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def squeeze(text: str) -> str:
    """The text without spaces and NULs (pypdf reads fpdf2's CJK with a NUL before each)."""
    return "".join(text.replace("\x00", "").split())


def pdf_text(content: bytes) -> str:
    return squeeze("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


# ---- over HTTP -------------------------------------------------------------------------------


@pytest.fixture
async def world(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")
    clock = Clock(2027, 5, 1, 10, 0)
    service = ChatService.open(settings, clock=clock)
    app = build_web_app(settings, service, RELAXED)

    def client() -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app)
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    yield service, clock, client
    service.close()


async def visitor_of(client: httpx.AsyncClient) -> Visitor:
    visitor = Visitor(client)
    await visitor.open()
    await visitor.command("start")
    return visitor


async def at_the_draft_step(visitor: Visitor) -> None:
    await visitor.command("start", "area")
    await visitor.say("我们推行六西格玛管理，降低缺陷率")
    await visitor.press(visitor.last()["buttons"][0][0]["label"])  # 选（2）…
    await visitor.press(texts.AREA_BTN_SKIP)
    await visitor.press(texts.AREA_BTN_DRAFT)


async def upload(visitor: Visitor, name: str, content: bytes, mime: str = DOCX):
    files = {"file": (name, content, mime)}
    headers = {"X-CSRF-Token": visitor.csrf or ""}
    return await visitor.client.post("/api/upload", files=files, headers=headers)


async def test_a_long_text_is_refused_with_its_numbers_and_a_long_draft_is_read_whole(world):
    _service, _, client = world
    async with client() as opened:
        visitor = await visitor_of(opened)
        refused = await visitor.post({"type": "text", "text": "字" * 25_000})
        assert refused.status_code == 400
        assert refused.json()["error"].startswith("您发送了 25000 字，上限 20000 字")
        reply = (await visitor.say("问" * 5000))[-1]["text"]
        assert reply.startswith("您发送了 5000 字，上限 4096 字，这条消息没有读取")

        await at_the_draft_step(visitor)
        review = (await visitor.say(long_draft(4778)))[-1]["text"]
        assert "✓ 效果亮点" in review and TITLE in review
        too_long = await visitor.post({"type": "text", "text": long_draft(20_001)})
        assert too_long.json()["error"].startswith("您发送了 20001 字，上限 20000 字")
        file = docx_bytes(long_draft(20_001))
        refused = (await upload(visitor, "长.docx", file)).json()["messages"][-1]["text"]
        assert refused.startswith("文件“长.docx”中有 20001 字，案例草稿上限 20000 字，没有读取")


async def test_uploaded_drafts_are_checked_and_only_the_check_is_kept(world):
    service, _, client = world
    async with client() as opened:
        visitor = await visitor_of(opened)
        await at_the_draft_step(visitor)
        for name, content, mime in (
            ("案例.docx", docx_bytes(long_draft()), DOCX),
            ("案例.pdf", pdf_bytes(long_draft()), "application/pdf"),
        ):
            response = await upload(visitor, name, content, mime)
            assert response.status_code == 200, response.text
            echo, review = response.json()["messages"]
            assert echo["text"].startswith(f"上传了草稿：{name}（") and echo["from"] == "user"
            assert "✓ 效果亮点" in review["text"] and "识别到的标题" in review["text"]
            assert review["text"].startswith(f"以下是对上传文件“{name}”")
    service.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    kept = service.store.path.read_bytes()
    assert SECRET.encode() not in kept  # the draft itself was never written
    assert service.store.db.execute("SELECT COUNT(*) FROM web_files").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("name", "content", "mime", "status", "says"),
    [
        ("程序.docx", EXE_AS_DOCX, DOCX, 400, "not_allowed"),
        ("炸弹.docx", zip_bomb_docx(), DOCX, 400, "bomb"),
        ("加密.pdf", pdf_bytes("机密", password="123"), "application/pdf", 400, "encrypted"),
        ("坏的.pdf", b"%PDF-1.7\n\x00\x01 not a pdf at all", "application/pdf", 400, "damaged"),
        (
            "巨大.pdf",
            b"%PDF-1.7\n" + b"0" * (50 * 1024 * 1024),
            "application/pdf",
            413,
            "too_large",
        ),
        ("空的.docx", b"", DOCX, 400, "empty"),
    ],
)
async def test_a_forged_or_oversized_upload_is_refused_and_nothing_is_stored(
    world, name, content, mime, status, says
):
    service, _, client = world
    async with client() as opened:
        visitor = await visitor_of(opened)
        before = service.store.db.execute("SELECT COUNT(*) FROM web_messages").fetchone()[0]
        response = await upload(visitor, name, content, mime)
        assert response.status_code == status
        assert response.json()["error"] == texts.WEB_UPLOAD_REFUSED[says].format(mb=10)
        after = service.store.db.execute("SELECT COUNT(*) FROM web_messages").fetchone()[0]
        assert after == before  # no echo, no reply: nothing of the file
        assert service.store.db.execute("SELECT COUNT(*) FROM web_files").fetchone()[0] == 0


async def test_the_webs_privacy_says_what_the_web_keeps(world):
    _, _, client = world
    async with client() as opened:
        visitor = await visitor_of(opened)
        text = (await visitor.say("/privacy"))[-1]["text"]
        assert "180 天" in text and "对话记录" in text and "电子邮箱" in text
        assert "Telegram 用户 ID" not in text


async def test_the_pdf_is_the_visitors_own_and_holds_the_result(world):
    _, _, client = world
    async with client() as mine, client() as other:
        visitor = await visitor_of(mine)
        assert (await mine.get("/api/result.pdf")).status_code == 404  # nothing yet
        await at_the_draft_step(visitor)
        response = await mine.get("/api/result.pdf")
        assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
        assert "attachment" in response.headers["content-disposition"]
        shown = pdf_text(response.content)
        assert (
            squeeze("（2）应用管理方法") in shown and squeeze(texts.AREA_CHECKLIST_HEADER) in shown
        )
        await visitor_of(other)
        refused = await other.get("/api/result.pdf")
        assert refused.status_code == 404 and refused.json()["error"] == texts.WEB_NO_RESULT


async def test_a_handover_code_works_once_within_30_minutes_and_guessing_is_slowed(world):
    service, clock, client = world
    async with client() as phone, client() as office, client() as guesser:
        mine = await visitor_of(phone)
        await mine.say("要交费吗")
        issued = (await phone.post("/api/handover", json={}, headers=csrf(mine))).json()
        code = issued["code"]
        assert len(normalised(code) or "") == 8 and set(normalised(code)) <= set(CODE_ALPHABET)
        assert issued["link"].endswith(f"/?continue={normalised(code)}")
        stored = service.store.db.execute("SELECT code_hash FROM web_handover").fetchall()
        assert len(stored) == 1 and normalised(code) not in stored[0][0]  # a hash only

        pc = await visitor_of(office)
        used = await office.post(
            "/api/handover/claim", json={"code": code.lower()}, headers=csrf(pc)
        )
        assert used.status_code == 200 and "biaogan_session=" in used.headers["set-cookie"]
        moved = await Visitor(office).open()
        assert any(m["text"] == "要交费吗" for m in moved)  # the phone's conversation, here
        assert (await phone.get("/api/updates?after=0", headers=PAGE)).status_code == 401
        again = await claim(office, code)
        assert again.json()["error"] == texts.WEB_HANDOVER_REFUSED["used"]

        fresh = await visitor_of(phone)  # the phone starts afresh and asks for another code
        late = (await phone.post("/api/handover", json={}, headers=csrf(fresh))).json()["code"]
        clock.now += timedelta(minutes=31)
        expired = await claim(office, late)
        assert expired.json()["error"] == texts.WEB_HANDOVER_REFUSED["expired"]

        await visitor_of(guesser)
        answers = [await claim(guesser, "ABCD-EFGH") for _ in range(4)]
        # One address (the test client's) has had 3 tries: 2 more of 5 at once, then one a minute.
        assert [a.status_code for a in answers] == [400, 400, 429, 429]
        assert answers[-1].json()["error"] == texts.WEB_HANDOVER_REFUSED["slow"]


PAGE = {"X-Requested-With": "biaogan"}


def csrf(visitor: Visitor) -> dict[str, str]:
    return {"X-CSRF-Token": visitor.csrf or ""}


async def claim(client: httpx.AsyncClient, code: str) -> httpx.Response:
    visitor = Visitor(client)
    await visitor.open()
    return await client.post("/api/handover/claim", json={"code": code}, headers=csrf(visitor))


# ---- in the browser ----------------------------------------------------------------------------


@pytest.fixture
async def context(browser):
    opened = await browser.new_context(**PHONE, locale="zh-CN")
    yield opened
    await opened.close()


async def open_page(context, site: str):
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    await page.goto(site)
    await last_bot(page).wait_for()
    return page


async def draft_step_in_page(page) -> None:
    await press(page, texts.MENU_AREA)
    await type_and_send(page, "我们推行六西格玛管理，降低缺陷率")
    await press(page, "选（2）应用管理方法")
    await press(page, texts.AREA_BTN_SKIP)
    await press(page, texts.AREA_BTN_DRAFT)


async def test_in_the_page_an_over_limit_text_is_refused_with_its_numbers_and_kept(context, site):
    page = await open_page(context, site)
    sent: list[str] = []
    page.on("request", lambda request: "/api/send" in request.url and sent.append(request.url))
    await page.locator("#text").fill("字" * 25_000)
    await page.locator("#text").press("Enter")
    await page.get_by_text("您发送了 25000 字，上限 20000 字").wait_for()
    assert len(await page.locator("#text").input_value()) == 25_000  # not cut, not lost
    assert sent == []
    await draft_step_in_page(page)
    await page.locator("#text").fill(long_draft(4778))  # the box takes it whole
    async with page.expect_response("**/api/send"):
        await page.locator("#text").press("Enter")
    await settled(page)
    await last_bot(page).get_by_text("✓ 效果亮点").wait_for()
    assert page.errors == []  # type: ignore[attr-defined]


async def upload_in_page(page, name: str, content: bytes, mime: str = DOCX) -> None:
    async with page.expect_response("**/api/upload"):
        await page.set_input_files(
            "#draft-file", files=[{"name": name, "mimeType": mime, "buffer": content}]
        )
    await settled(page)


async def test_in_the_page_docx_and_pdf_are_checked_and_forgeries_refused(
    context, site, served, tmp_path
):
    page = await open_page(context, site)
    await draft_step_in_page(page)
    await upload_in_page(page, "草稿.docx", docx_bytes(long_draft()))
    await last_bot(page).get_by_text("✓ 效果亮点").wait_for()
    await upload_in_page(page, "草稿.pdf", pdf_bytes(long_draft()), "application/pdf")
    await last_bot(page).get_by_text("以下是对上传文件“草稿.pdf”").wait_for()
    count = await page.locator(".msg").count()

    await upload_in_page(page, "报告.docx", EXE_AS_DOCX)
    await page.get_by_text(texts.WEB_UPLOAD_REFUSED["not_allowed"]).wait_for()
    await upload_in_page(page, "报告.docx", zip_bomb_docx())
    await page.get_by_text(texts.WEB_UPLOAD_REFUSED["bomb"]).wait_for()
    big = tmp_path / "大.pdf"  # 50 MB: refused before it is sent
    big.write_bytes(b"%PDF-1.7\n" + b"0" * (50 * 1024 * 1024))
    await page.set_input_files("#draft-file", big)
    await page.get_by_text(texts.WEB_UPLOAD_REFUSED["too_large"].format(mb=10)).wait_for()
    assert await page.locator(".msg").count() == count  # refused files leave no message
    store = served.service.store
    assert store.db.execute("SELECT COUNT(*) FROM web_files").fetchone()[0] == 0
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert SECRET.encode() not in store.path.read_bytes()
    assert page.errors == []  # type: ignore[attr-defined]


async def test_a_typed_forget_confirmed_wipes_the_db_and_wal_and_clears_the_cookie(
    context, site, served
):
    page = await open_page(context, site)
    store = served.service.store
    wal = store.path.with_name(store.path.name + "-wal")
    await type_and_send(page, f"{SECRET}是什么意思")
    assert SECRET.encode() in store.path.read_bytes() + wal.read_bytes()  # kept until forgotten
    (old,) = [c["value"] for c in await context.cookies() if c["name"] == "biaogan_session"]

    await type_and_send(page, "/forget")
    await last_bot(page).get_by_text(texts.FORGET_ASK).wait_for()
    async with page.expect_response("**/api/send") as answer:
        await last_bot(page).get_by_role("button", name=texts.FORGET_YES, exact=True).click()
    cleared = await (await answer.value).header_value("set-cookie")
    assert cleared and "biaogan_session=" in cleared and "max-age=0" in cleared.lower()
    await last_bot(page).get_by_role("button", name=texts.MENU_CHECK).wait_for()  # fresh start
    await page.get_by_text("质量标杆", exact=False).first.wait_for()
    assert await page.get_by_text(SECRET, exact=False).count() == 0
    (new,) = [c["value"] for c in await context.cookies() if c["name"] == "biaogan_session"]
    assert new != old

    await asyncio.sleep(0.2)  # the fresh session's start is written too
    assert SECRET.encode() not in store.path.read_bytes()
    assert SECRET.encode() not in (wal.read_bytes() if wal.exists() else b"")


async def test_printing_shows_the_messages_only_black_on_white(context, site):
    page = await open_page(context, site)
    await answer_the_check_by_buttons(page)
    await last_bot(page).get_by_role("link", name=texts.WEB_PDF).wait_for()
    await page.emulate_media(media="print")
    for hidden in ("#composer", ".bar", ".keyboard", ".keep-result"):
        assert not await page.locator(hidden).first.is_visible(), hidden
    result = last_bot(page)
    assert await result.is_visible()
    colour = await result.evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
    )
    assert colour == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    await page.emulate_media(media="screen")
    assert await page.locator("#composer").is_visible()


async def test_the_pdf_downloads_with_the_result(context, site):
    page = await open_page(context, site)
    await answer_the_check_by_buttons(page)
    async with page.expect_download() as loading:
        await last_bot(page).get_by_role("link", name=texts.WEB_PDF).click()
    download = await loading.value
    assert download.suggested_filename == texts.WEB_PDF_NAME
    content = (await download.path()).read_bytes()
    shown = pdf_text(content)
    assert squeeze("自测结果：符合基本条件") in shown and "四(二)" in shown


async def test_continue_on_another_device_with_a_code_that_expires(browser, site, served):
    phone = await browser.new_context(**PHONE, locale="zh-CN")
    office = await browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    try:
        mine = await open_page(phone, site)
        await type_and_send(mine, "要交费吗")
        await mine.get_by_role("button", name=texts.WEB_HANDOVER).click()
        code = await mine.locator("#handover-code-shown").inner_text()
        await mine.get_by_text("30 分钟内有效", exact=False).wait_for()

        pc = await open_page(office, f"{site.rstrip('/')}/?continue={normalised(code)}")
        await pc.get_by_text(texts.WEB_HANDOVER_DONE).wait_for()
        await pc.locator(".msg.user", has_text="要交费吗").wait_for()
        assert "continue" not in pc.url

        await mine.get_by_role("button", name=texts.WEB_HANDOVER_CLOSE).click()
        await type_and_send_any(mine, "还在吗")  # the phone's session has moved: it starts anew
        await mine.locator(".msg.user", has_text="要交费吗").wait_for(state="detached")

        await mine.get_by_role("button", name=texts.WEB_HANDOVER).click()
        late = await mine.locator("#handover-code-shown").inner_text()
        served.clock.now += timedelta(minutes=31)
        for typed, refusal in ((late, "expired"), (code, "used"), ("ABCD-EFGH", "unknown")):
            await pc.get_by_role("button", name=texts.WEB_HANDOVER).click()
            await pc.locator("#handover-code").fill(typed)
            await pc.get_by_role("button", name=texts.WEB_HANDOVER_USE).click()
            await pc.get_by_text(texts.WEB_HANDOVER_REFUSED[refusal]).wait_for()
            await pc.get_by_role("button", name=texts.WEB_HANDOVER_CLOSE).click()
        await pc.locator(".msg.user", has_text="要交费吗").wait_for()  # still here
    finally:
        await phone.close()
        await office.close()


async def type_and_send_any(page, text: str) -> None:
    """Send and wait for the answer, whatever its status (a moved session answers 401)."""
    async with page.expect_response("**/api/send"):
        await page.locator("#text").fill(text)
        await page.locator("#text").press("Enter")
    await settled(page)
