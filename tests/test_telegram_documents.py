"""文件下载 over Telegram (the real Application polling the fake Bot API server): a 苏州
enterprise gets 苏州's and the province's files, never 无锡's, each labelled with who published
it and when, and the file arrives as a document; an enterprise without a city gets the
province's and the cities to tap; an answer about the 申报表 carries its download button."""

from __future__ import annotations

import dataclasses

import pytest

from bot.service import ChatService
from bot.store import Store
from bot.telegram.limits import Limits
from conversations import texts
from tests.documents_data import docx, pdf
from tests.driver import Clock
from tests.fake_bot_api import visible_text

FAST = dataclasses.replace(Limits(), network_backoff=0.05, poll=3600, flood_burst=50)
SUZHOU_CHAT, NEWCOMER = 4301, 4302
FORM = "苏州市质量标杆申报表（2027）"


@pytest.fixture
async def service(bot_settings, bot_runner):
    service = ChatService.open(bot_settings, clock=Clock(2027, 3, 1, 9, 0))
    publish_three(service.store)
    yield service
    await bot_runner.stop_all()
    service.close()


def publish_three(store: Store) -> None:
    """苏州's 申报表, the province's case requirements, 无锡's meeting notice; a 苏州 enterprise."""
    operator = store.operator()
    people = {
        scope: store.invite_by_email(operator, f"{n}@example.cn", scope, f"organizer{n}")
        for n, scope in enumerate(("city:苏州", "province", "city:无锡"))
    }
    for scope, title, kind, unit, content in (
        ("city:苏州", FORM, "form", "苏州市经信委", docx()),
        ("province", "案例总结材料要求", "requirements", "江苏省质量管理协会", pdf("p")),
        ("city:无锡", "无锡市培训会通知", "notice", "无锡市经信委", pdf("w")),
    ):
        store.publish_document(people[scope], title=title, kind=kind, publisher=unit, year=2027,
                               filename=f"{title}.{'docx' if kind == 'form' else 'pdf'}",
                               content=content)  # fmt: skip
    store.touch_user(SUZHOU_CHAT, user_id=SUZHOU_CHAT)
    store.db.execute("UPDATE users SET city = '苏州市' WHERE chat_id = ?", [SUZHOU_CHAT])


async def shown(fake_bot_api, chat_id: int) -> str:
    call = await fake_bot_api.wait_for_reply(chat_id)
    return visible_text(call.text, call.params.get("parse_mode"))


def labels(fake_bot_api, chat_id: int) -> list[str]:
    markup = fake_bot_api.last_bot_message(chat_id, with_buttons=True)["reply_markup"]
    return [b["text"] for row in markup["inline_keyboard"] for b in row]


async def test_a_suzhou_enterprise_gets_suzhous_and_the_provinces_files(
    fake_bot_api, bot_runner, service
):
    await bot_runner.start(service, limits=FAST)
    fake_bot_api.send_command(SUZHOU_CHAT, "files")
    listed = await shown(fake_bot_api, SUZHOU_CHAT)
    assert f"《{FORM}》— 苏州市经信委发布，2027-03-01" in listed
    assert "《案例总结材料要求》— 江苏省质量管理协会发布，2027-03-01" in listed
    assert "无锡" not in listed and "通知附件" not in listed
    assert "不是通知（苏经信科技〔2016〕222号）的原文" in listed
    newest_first = ["下载：案例总结材料要求", f"下载：{FORM}"]  # published in this order
    assert labels(fake_bot_api, SUZHOU_CHAT)[:2] == newest_first

    fake_bot_api.press_label(SUZHOU_CHAT, f"下载：{FORM}")
    caption = await shown(fake_bot_api, SUZHOU_CHAT)
    assert caption.startswith(f"《{FORM}》，苏州市经信委发布，2027-03-01。")
    sent = await fake_bot_api.wait_for("sendDocument", chat_id=SUZHOU_CHAT)
    assert sent.params["document"]["filename"] == f"{FORM}.docx"
    assert sent.params["document"]["content"] == docx()

    fake_bot_api.send_text(SUZHOU_CHAT, "申报表在哪里下载")
    answer = await shown(fake_bot_api, SUZHOU_CHAT)
    assert "附件2" in answer and f"苏州市经信委已于2027-03-01发布《{FORM}》" in answer
    assert labels(fake_bot_api, SUZHOU_CHAT)[0] == f"下载{FORM}"
    assert not fake_bot_api.calls_to("sendDocument", chat_id=SUZHOU_CHAT)[1:]


async def test_without_a_city_the_province_and_one_tap_for_the_city(
    fake_bot_api, bot_runner, service
):
    await bot_runner.start(service, limits=FAST)
    fake_bot_api.send_command(NEWCOMER, "start")
    await shown(fake_bot_api, NEWCOMER)
    fake_bot_api.press_label(NEWCOMER, texts.MENU_FILES)
    listed = await shown(fake_bot_api, NEWCOMER)
    assert "案例总结材料要求" in listed and FORM not in listed and "无锡市培训会" not in listed
    assert texts.DOC_ASK_CITY in listed
    fake_bot_api.press_label(NEWCOMER, "无锡")
    chosen = await shown(fake_bot_api, NEWCOMER)
    assert chosen.startswith("已记下：无锡市。") and "无锡市培训会通知" in chosen
    assert FORM not in chosen  # never another city's
    assert service.store.profile(NEWCOMER).city == "无锡"
