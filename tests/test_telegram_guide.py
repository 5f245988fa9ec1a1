"""The guide never loses the user's place, over Telegram: a question mid-check, /help, the
commonest navigation words and a bare 是 — the real Application against the fake Bot API."""

from __future__ import annotations

from conversations import texts
from tests.fake_bot_api import visible_text


async def shown(fake_bot_api, chat_id: int) -> str:
    call = await fake_bot_api.wait_for_reply(chat_id)
    return visible_text(call.text, call.params.get("parse_mode"))


def labels(fake_bot_api, chat_id: int) -> list[str]:
    markup = fake_bot_api.last_bot_message(chat_id, with_buttons=True)["reply_markup"]
    return [b["text"] for row in markup["inline_keyboard"] for b in row]


async def to_question_three(fake_bot_api, chat: int) -> str:
    fake_bot_api.send_command(chat, "check")
    await shown(fake_bot_api, chat)
    for _ in range(2):
        fake_bot_api.press_label(chat, texts.CHECK_BTN_YES)
        text = await shown(fake_bot_api, chat)
    assert text.startswith("第3/8题")
    return text


async def test_a_question_mid_check_without_a_question_mark_returns_to_the_same_question(
    fake_bot_api, running_bot
):
    chat = 5101
    question = await to_question_three(fake_bot_api, chat)
    fake_bot_api.send_text(chat, "参加这个活动要交钱吗")
    answer = await shown(fake_bot_api, chat)
    assert "不向企业收取任何费用" in answer and "见通知三" in answer
    assert "继续自测（第3/8题）" in labels(fake_bot_api, chat)
    fake_bot_api.send_text(chat, "是")  # the question is not on screen: this answers nothing
    reply = await shown(fake_bot_api, chat)
    assert not reply.startswith("第4/8题")
    fake_bot_api.press_label(chat, "继续自测（第3/8题）")
    assert await shown(fake_bot_api, chat) == question
    fake_bot_api.press_label(chat, texts.CHECK_BTN_YES)
    assert (await shown(fake_bot_api, chat)).startswith("第4/8题")


async def test_help_then_check_resumes_the_answers_given(fake_bot_api, running_bot):
    chat = 5102
    await to_question_three(fake_bot_api, chat)
    fake_bot_api.send_command(chat, "help")
    help_text = await shown(fake_bot_api, chat)
    assert "资格自测" in help_text and "继续自测（第3/8题）" in labels(fake_bot_api, chat)
    fake_bot_api.send_command(chat, "check")
    offer = await shown(fake_bot_api, chat)
    assert "第3题" in offer
    fake_bot_api.press_label(chat, texts.CHECK_BTN_RESUME)
    assert (await shown(fake_bot_api, chat)).startswith("第3/8题")


async def test_the_commonest_words_get_guidance_not_a_clause(fake_bot_api, running_bot):
    chat = 5103
    expectations = {
        "帮助": "资格自测",
        "菜单": texts.MENU_PROMPT,
        "怎么申请": "附件2",
        "人工客服": "83392940",
        "是": texts.BARE_YES_NO,
    }
    for typed, expected in expectations.items():
        fake_bot_api.send_text(chat, typed)
        reply = await shown(fake_bot_api, chat)
        assert expected in reply, (typed, reply)
        assert "（见通知" not in reply.splitlines()[0], typed  # not an FAQ entry's answer


async def test_discarding_a_half_done_check_asks_first(fake_bot_api, running_bot):
    chat = 5104
    await to_question_three(fake_bot_api, chat)
    fake_bot_api.send_text(chat, "取消")
    assert await shown(fake_bot_api, chat) == texts.DISCARD_ASK
    fake_bot_api.press_label(chat, texts.DISCARD_NO)
    assert (await shown(fake_bot_api, chat)).startswith("第3/8题")
