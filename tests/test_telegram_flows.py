"""The eligibility check and the focus-area suggestion, played by a user over Telegram: the real
Application polling the fake Bot API server, buttons pressed by their labels, results read back
from the SQLite file the bot wrote."""

from __future__ import annotations

import dataclasses
import json

from bot.store import Store
from bot.telegram.limits import Limits
from conversations import texts
from tests.fake_bot_api import visible_text


def read_store(settings, chat_id: int):
    """(checks, area suggestions, user record) as the bot stored them for one chat."""
    store = Store(settings.db_path)
    try:
        checks = list(store.db["checks"].rows_where("chat_id = ?", [chat_id]))
        suggestions = list(store.db["area_suggestions"].rows_where("chat_id = ?", [chat_id]))
        return checks, suggestions, store.user(chat_id)
    finally:
        store.close()


async def shown(fake_bot_api, chat_id: int) -> str:
    """The text of the bot's next message or edit in this chat, as the user sees it."""
    call = await fake_bot_api.wait_for_reply(chat_id)
    return visible_text(call.text, call.params.get("parse_mode"))


async def test_a_full_check_by_buttons_gives_the_verdict_and_is_recorded(
    fake_bot_api, bot_runner, bot_settings
):
    # A person takes seconds per question; this test taps at once, so the flood gate is wider.
    limits = dataclasses.replace(Limits.from_settings(bot_settings), flood_burst=50)
    await bot_runner.start(limits=limits)
    chat = 4101
    fake_bot_api.send_command(chat, "check")
    text = await shown(fake_bot_api, chat)
    pressed = 0
    while texts.CHECK_SUMMARY_HEADER not in text:
        labels = fake_bot_api.last_bot_message(chat, with_buttons=True)["reply_markup"]
        flat = [b["text"] for row in labels["inline_keyboard"] for b in row]
        answer = texts.CHECK_YEARS_GE3 if texts.CHECK_YEARS_GE3 in flat else texts.CHECK_BTN_YES
        fake_bot_api.press_label(chat, answer)
        text = await shown(fake_bot_api, chat)
        pressed += 1
        assert pressed <= 12, f"the interview did not reach the summary: {text}"
    assert pressed == 8  # c1 has two parts, c5 has two parts: 8 questions
    fake_bot_api.press_label(chat, texts.CHECK_BTN_CONFIRM)
    verdict = await shown(fake_bot_api, chat)
    assert "符合基本条件" in verdict and "暂不符合" not in verdict
    fake_bot_api.press_label(chat, texts.CHECK_BTN_BASIS)
    basis = await shown(fake_bot_api, chat)
    assert "附件2" in basis and "025-83392940" in basis
    checks, _, _ = read_store(bot_settings, chat)
    assert [c["verdict"] for c in checks] == ["eligible"]
    assert json.loads(checks[0]["answers"])["c5_years"] >= 3


async def test_a_check_answered_no_on_years_is_not_eligible_with_its_clause(
    fake_bot_api, running_bot, bot_settings
):
    chat = 4102
    fake_bot_api.send_command(chat, "start", "check")
    text = await shown(fake_bot_api, chat)
    while texts.CHECK_SUMMARY_HEADER not in text:
        markup = fake_bot_api.last_bot_message(chat, with_buttons=True)["reply_markup"]
        flat = [b["text"] for row in markup["inline_keyboard"] for b in row]
        if texts.CHECK_YEARS_LT1 in flat:
            fake_bot_api.send_text(chat, "两年半")  # typed, not tapped
        else:
            fake_bot_api.press_label(chat, texts.CHECK_BTN_YES)
        text = await shown(fake_bot_api, chat)
    assert "2.5" in text
    fake_bot_api.press_label(chat, texts.CHECK_BTN_CONFIRM)
    verdict = await shown(fake_bot_api, chat)
    assert "暂不符合" in verdict and "四(二)5" in verdict
    checks, _, _ = read_store(bot_settings, chat)
    assert json.loads(checks[0]["failing"]) == ["c5_years"]  # the part that fails


async def test_area_suggestion_title_and_enterprise_name_over_telegram(
    fake_bot_api, running_bot, bot_settings
):
    chat = 4201
    fake_bot_api.send_command(chat, "area")
    assert "领域" in await shown(fake_bot_api, chat)
    fake_bot_api.send_text(
        chat, "我们建立了客户投诉快速响应机制，每季度开展客户满意度测评，满意度从85分提升到93分"
    )
    suggestion = await shown(fake_bot_api, chat)
    assert "用户满意与客户关系管理" in suggestion and "四(一)(10)" in suggestion
    fake_bot_api.press_label(
        chat, texts.AREA_BTN_PICK.format(number=10, title="用户满意与客户关系管理")
    )
    assert "名称" in await shown(fake_bot_api, chat)
    fake_bot_api.send_text(chat, "南京<安达>电器有限公司")
    title = await fake_bot_api.wait_for_reply(chat)
    assert "南京&lt;安达&gt;电器有限公司" in title.text  # user text is escaped for HTML
    assert "实践经验" in title.text and "附件1" in title.text and "附件2" in title.text
    _, suggestions, user = read_store(bot_settings, chat)
    assert suggestions and json.loads(suggestions[0]["ranked"])[0] == 10
    assert any(s["chosen"] == 10 for s in suggestions)
    assert user["enterprise_name"] == "南京<安达>电器有限公司"


async def test_the_profile_over_telegram_by_buttons_and_typing(
    fake_bot_api, bot_runner, bot_settings
):
    """An association organizer exists; the enterprise chooses it by its button, a sentence
    typed as an association and a bad phone number are refused with their reason, nothing of
    them kept; the contact person and e-mail given are stored and shown in the summary."""
    store = Store(bot_settings.db_path)
    store.grant(store.operator(), store.telegram_person(4399), "assoc:江苏省机械行业协会")
    store.close()
    limits = dataclasses.replace(Limits.from_settings(bot_settings), flood_burst=50)
    await bot_runner.start(limits=limits)
    chat = 4301
    fake_bot_api.send_command(chat, "profile")
    assert texts.PROFILE_ASK_NAME in await shown(fake_bot_api, chat)
    fake_bot_api.send_text(chat, "苏州某某精密制造有限公司")
    assert await shown(fake_bot_api, chat) == texts.PROFILE_ASK_CITY
    fake_bot_api.press_label(chat, "苏州")
    assert await shown(fake_bot_api, chat) == texts.PROFILE_ASK_ASSOCIATION
    markup = fake_bot_api.last_bot_message(chat, with_buttons=True)["reply_markup"]
    labels = [b["text"] for row in markup["inline_keyboard"] for b in row]
    assert labels[:3] == ["江苏省机械行业协会", texts.PROFILE_OTHER_ASSOCIATION,
                          texts.PROFILE_NO_ASSOCIATION]  # fmt: skip
    fake_bot_api.send_text(chat, "不知道 我们是做机械的")
    refused = await shown(fake_bot_api, chat)
    assert refused.startswith("没有把“不知道 我们是做机械的”记为行业协会：这像是一句话")
    _, _, user = read_store(bot_settings, chat)
    assert user["association"] is None and user["enterprise_name"] is None  # nothing kept yet
    fake_bot_api.press_label(chat, "江苏省机械行业协会")
    assert await shown(fake_bot_api, chat) == texts.PROFILE_ASK_PERSON
    fake_bot_api.send_text(chat, "王经理")
    assert await shown(fake_bot_api, chat) == texts.PROFILE_ASK_CONTACT
    fake_bot_api.send_text(chat, "0512-123")
    assert (await shown(fake_bot_api, chat)).startswith(
        f"没有记下“0512-123”：{texts.PROFILE_WHY_PHONE}"
    )
    fake_bot_api.send_text(chat, "wang@example.cn")
    done = await shown(fake_bot_api, chat)
    assert "企业信息：苏州某某精密制造有限公司，苏州市，江苏省机械行业协会。" in done
    assert "联系人：王经理；联系方式：wang@example.cn" in done
    _, _, user = read_store(bot_settings, chat)
    assert (user["association"], user["contact_person"], user["contact"]) == (
        "江苏省机械行业协会", "王经理", "wang@example.cn"
    )  # fmt: skip
