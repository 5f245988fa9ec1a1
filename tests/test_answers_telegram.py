"""Issue 20 over Telegram: each defect class played by a user against the real Application
polling the fake Bot API server, asserted on the message the user reads."""

from __future__ import annotations

import dataclasses
from datetime import date

from bot.telegram.limits import Limits
from conversations import texts
from tests.fake_bot_api import visible_text
from tests.test_reminders import FAST, clock, send_due, sent_to, service, set_date, subscribe

__all__ = ["clock", "service"]  # fixtures of tests/test_reminders.py, used here

PHONE = "83392940"


async def said(fake_bot_api, chat_id: int, text: str) -> str:
    """The user types ``text``; the text of the bot's reply as the user sees it."""
    fake_bot_api.send_text(chat_id, text)
    call = await fake_bot_api.wait_for_reply(chat_id)
    return visible_text(call.text, call.params.get("parse_mode"))


async def test_tg_1_a_set_year_shows_its_dates_and_2016s_step_as_2016s(
    fake_bot_api, bot_runner, service, clock
):
    set_date(service.store, "submission", date(2027, 6, 30))
    set_date(service.store, "announcement", date(2027, 8, 10))
    app = await bot_runner.start(service, limits=FAST)
    fake_bot_api.send_command(2001, "deadlines")
    call = await fake_bot_api.wait_for_reply(2001)
    calendar = visible_text(call.text, "HTML")
    assert "2027年8月10日" in calendar and "2016年通知中的这一步" in calendar
    assert "要做的：省经信委确定2016年度" not in calendar
    answer = await said(fake_bot_api, 2001, "今年评选结果什么时候公布")
    assert "2027年8月10日" in answer and "要做的：省经信委确定2016年度" not in answer
    await subscribe(fake_bot_api, 2002)
    clock.set(2027, 5, 31, 9, 0, 0)  # the 30-day reminder of 6月30日 is due
    await send_due(app)
    [reminder] = sent_to(fake_bot_api, 2002, "⏰")
    assert "2016年通知中的这一步" in reminder and "要做的：" not in reminder


async def test_tg_2_off_topic_gets_no_phone_and_the_contacts_are_2016s(fake_bot_api, running_bot):
    weather = await said(fake_bot_api, 2101, "明天南京天气怎么样")
    assert PHONE not in weather
    later = await said(fake_bot_api, 2101, "2028年的安排问谁")
    assert PHONE in later and "2016年通知所列联系人" in later


async def test_tg_3_a_question_the_notice_answers_is_not_declined(fake_bot_api, running_bot):
    reply = await said(fake_bot_api, 2201, "啥叫质量标杆")
    assert "最佳实践" in reply and "没有关于这个问题的规定" not in reply


async def test_tg_4_the_clause_asked_about_answers(fake_bot_api, running_bot):
    reply = await said(fake_bot_api, 2301, "经验通过什么途径宣传")
    assert "汇编" in reply and "组织单位推荐" not in reply


async def test_tg_5_the_benefits_whole(fake_bot_api, running_bot):
    reply = await said(fake_bot_api, 2401, "评上了有什么好处")
    assert "全国" in reply and "表彰" in reply and "没有提到奖金" in reply


async def test_tg_6_features_asked_in_words(fake_bot_api, bot_runner, bot_settings):
    limits = dataclasses.replace(Limits.from_settings(bot_settings), flood_burst=50)
    await bot_runner.start(limits=limits)
    chat = 2501
    reply = await said(fake_bot_api, chat, "资格自测")
    assert reply.startswith("资格自测：逐条核对")
    fake_bot_api.send_command(chat, "menu")
    await fake_bot_api.wait_for_reply(chat)
    resumed = await said(fake_bot_api, chat, "继续")
    assert "第1/" in resumed or "1/8" in resumed or "质量管理体系" in resumed
    data = await said(fake_bot_api, chat, "你们会保存我哪些信息")
    assert "保存的关于您的内容" in data and PHONE not in data
    remind = await said(fake_bot_api, 2502, "截止前提醒我")
    assert "已订阅" in remind


async def test_tg_7_several_questions_in_one_message(fake_bot_api, running_bot):
    reply = await said(fake_bot_api, 2601, "申报条件有哪些需要什么材料什么时候截止交到哪里")
    assert reply.startswith(texts.MULTI_HEADER.format(count=4))
    assert "科技与质量处" in reply and "申报表" in reply and "2016" in reply


async def test_tg_8_the_verdict_names_the_failing_part(fake_bot_api, running_bot):
    chat = 2701
    fake_bot_api.send_command(chat, "check")
    call = await fake_bot_api.wait_for_reply(chat)
    text = visible_text(call.text, call.params.get("parse_mode"))
    while texts.CHECK_SUMMARY_HEADER not in text:
        markup = fake_bot_api.last_bot_message(chat, with_buttons=True)["reply_markup"]
        flat = [b["text"] for row in markup["inline_keyboard"] for b in row]
        label = texts.CHECK_YEARS_LT1 if texts.CHECK_YEARS_LT1 in flat else texts.CHECK_BTN_YES
        fake_bot_api.press_label(chat, label)
        call = await fake_bot_api.wait_for_reply(chat)
        text = visible_text(call.text, call.params.get("parse_mode"))
    fake_bot_api.press_label(chat, texts.CHECK_BTN_CONFIRM)
    call = await fake_bot_api.wait_for_reply(chat)
    verdict = visible_text(call.text, call.params.get("parse_mode"))
    failing = verdict.split(texts.CHECK_VERDICT_FAILING, 1)[1].split("\n")[1]
    assert "方法应用年限" in failing and "取得显著成效" not in failing


async def test_tg_9_the_apply_route_is_a_suggested_order(fake_bot_api, running_bot):
    reply = await said(fake_bot_api, 2801, "怎么申报质量标杆")
    assert "顺序是建议" in reply and "按通知" not in reply and "2016年通知所列联系人" in reply


async def test_tg_specifics_the_notice_does_not_give(fake_bot_api, running_bot):
    mark = await said(fake_bot_api, 2901, "专家评审的及格线定在多少")
    assert "没有关于这个问题的规定" in mark and "组织专家对推荐材料进行评审" in mark
    assert "分以上" not in mark and PHONE in mark and "2016年通知所列联系人" in mark
    what_if = await said(fake_bot_api, 2902, "推荐的企业超出名额会怎样")
    assert "没有写明" in what_if and "1—2个" in what_if and "2016" in what_if
    english = await said(fake_bot_api, 2903, "Where can I get a good massage in Suzhou?")
    assert PHONE not in english
