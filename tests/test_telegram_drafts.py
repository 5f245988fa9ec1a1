"""A case draft sent as a file over Telegram (the real Application polling the fake Bot API
server, which serves getFile and the file itself): a .docx or .pdf goes to the draft check as
the web page's upload does; an .exe renamed .docx, a ZIP bomb or a file over the limit gets its
reason in one sentence; nothing of the file is kept."""

from __future__ import annotations

import dataclasses

import pytest

from bot.service import ChatService
from bot.telegram.limits import Limits
from conversations import texts
from tests.driver import Clock
from tests.fake_bot_api import visible_text
from tests.test_web_keep import (
    DOCX,
    EXE_AS_DOCX,
    SECRET,
    docx_bytes,
    long_draft,
    pdf_bytes,
    zip_bomb_docx,
)

FAST = dataclasses.replace(Limits(), network_backoff=0.05, poll=3600, flood_burst=50)
CHAT = 4401


@pytest.fixture
async def service(bot_settings, bot_runner):
    opened = ChatService.open(bot_settings, clock=Clock(2027, 3, 1, 9, 0))
    yield opened
    await bot_runner.stop_all()
    opened.close()


async def said(fake_bot_api, text: str) -> str:
    fake_bot_api.send_text(CHAT, text)
    return await shown(fake_bot_api)


async def shown(fake_bot_api) -> str:
    call = await fake_bot_api.wait_for_reply(CHAT, timeout=10)
    return visible_text(call.text, call.params.get("parse_mode"))


async def pressed(fake_bot_api, label: str) -> str:
    fake_bot_api.press_label(CHAT, label)
    return await shown(fake_bot_api)


async def test_a_draft_sent_as_a_file_is_checked_and_a_forged_one_refused(
    fake_bot_api, bot_runner, service
):
    await bot_runner.start(service, limits=FAST)
    fake_bot_api.send_command(CHAT, "start", "area")
    await shown(fake_bot_api)
    await said(fake_bot_api, "我们推行六西格玛管理，降低缺陷率")
    first = fake_bot_api.last_bot_message(CHAT, with_buttons=True)["reply_markup"]
    await pressed(fake_bot_api, first["inline_keyboard"][0][0]["text"])  # 选（2）…
    await pressed(fake_bot_api, texts.AREA_BTN_SKIP)
    await pressed(fake_bot_api, texts.AREA_BTN_DRAFT)
    for name, content, mime in (
        ("案例.docx", docx_bytes(long_draft()), DOCX),
        ("案例.pdf", pdf_bytes(long_draft()), "application/pdf"),
    ):
        fake_bot_api.send_document(CHAT, content, name, mime)
        review = await shown(fake_bot_api)
        assert review.startswith(f"以下是对上传文件“{name}”") and "✓ 效果亮点" in review
    for name, content, says in (
        ("程序.docx", EXE_AS_DOCX, "not_allowed"),
        ("炸弹.docx", zip_bomb_docx(), "bomb"),
    ):
        fake_bot_api.send_document(CHAT, content, name, DOCX)
        assert await shown(fake_bot_api) == texts.WEB_UPLOAD_REFUSED[says].format(mb=10)
    fetched = len(fake_bot_api.calls_to("getFile"))
    fake_bot_api.send_document(CHAT, b"%PDF-1.7\n" + b"0" * (11 << 20), "巨大.pdf")
    assert await shown(fake_bot_api) == texts.WEB_UPLOAD_REFUSED["too_large"].format(mb=10)
    assert len(fake_bot_api.calls_to("getFile")) == fetched  # too big: never fetched
    service.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert SECRET.encode() not in service.store.path.read_bytes()  # the draft was not kept
