"""Answers an enterprise can trust (issue 11): each faithfulness defect found, as the reply a user
reads (``biaogan ask``'s path: the router from a fresh chat), with the clock in a later year."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from conversations import texts
from conversations.ask import ask_record
from conversations.core import SHANGHAI, ChatState, Context, TextEvent
from knowledge.models import OURS_LABEL
from tests.driver import Chat, handle

# Facts of 五 (the 2016 campaign): stated only with the year beside them.
FIVE_FACTS = re.compile(r"6月30|7月底|8月[—-]11月|12月份|1[—-]2个|1至2个|首批.{0,6}10个")
SILENCE = re.compile(
    "没有规定|未规定|没有说明|未说明|没有提到|未提及|没有关于|没有给出|未给出|没有提供|未提供|"
    "没有明确|未明确|不便|没有写|未写明|没有涉及|未涉及|没有要求"
)
INVENTED = ("公布为准", "活动每年开展", "以后年度仍有机会", "每年都会", "每年开展")


@pytest.fixture
def later(kb) -> Context:
    return Context(kb=kb, clock=lambda: datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI))


def reply(ctx: Context, question: str) -> str:
    return ask_record(ctx, {"q": question})["reply"]


def every_phrasing(kb) -> list[str]:
    return [q for entry in kb.faq for q in entry.questions]


def test_every_fact_of_five_comes_with_its_year_in_a_later_year(later, kb):
    questions = [*every_phrasing(kb), "今年每个市能推荐几个", "明年什么时候截止", "名额多少"]
    for question in questions:
        text = reply(later, question)
        if FIVE_FACTS.search(text):
            assert "2016" in text, (question, text)


def test_the_quota_asked_about_this_year_is_said_as_2016s(later):
    text = reply(later, "今年每个省辖市可以推荐几个")
    assert re.search(r"1[—-]2个|1至2个", text) and "2016" in text


@pytest.mark.parametrize("question", ["明年还办吗", "2027年什么时候报", "以后每年都有吗"])
def test_no_invented_promise_about_later_years(later, question):
    text = reply(later, question)
    assert not any(phrase in text for phrase in INVENTED), text
    assert SILENCE.search(text) or "83392940" in text


def test_no_invented_promise_anywhere_the_bot_speaks(later, kb):
    chat = Chat(later)
    chat.tap("m:open:calendar")
    spoken = [chat.text, *(entry.answer for entry in kb.faq)]
    spoken += [c.remedy for c in kb.conditions] + [texts.CHECK_NEXT_SUBMIT]
    for text in spoken:
        assert not any(phrase in text for phrase in INVENTED), text


def test_the_calendar_in_a_later_year_is_2016s_and_names_only_units_of_five(later, kb):
    chat = Chat(later)
    chat.tap("m:open:calendar")
    text = chat.text
    assert "2016" in text and "不是2026年的" in text and "83392940" in text
    for line in text.splitlines():
        if "8月" in line or "12月" in line:
            assert "省经信委、各组织单位" not in line.replace("各组织单位可根据实际", "")


def test_handing_material_to_the_organizing_unit_is_not_the_exchange_period(later):
    text = reply(later, "企业什么时候把材料交给组织单位")
    assert "8月—11月" not in text and "8月-11月" not in text


def test_cases_per_enterprise_is_not_the_quota_per_city(later):
    text = reply(later, "一个企业最多可以报几个案例")
    assert not ("每个省辖市" in text and not SILENCE.search(text)), text


def test_applying_across_industries_is_not_the_learning_exchanges(later):
    text = reply(later, "我们能跨行业申报吗")
    assert "鼓励跨地区、跨行业开展标杆学习交流" not in text or SILENCE.search(text), text


def test_where_to_download_the_form_says_the_notice_gives_no_download(later):
    text = reply(later, "申报表在哪里下载")
    assert SILENCE.search(text) or "83392940" in text, text


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("6月30日以后交的材料还收吗", "6月30"),
        ("必须通过ISO9001认证才行吗", "四(二)1"),
        ("民营企业可以参加吗", "工业企业"),
        ("公司成立不到三年能申请吗", "三年"),
    ],
)
def test_half_answers_say_the_fact_and_what_the_notice_leaves_open(later, question, fact):
    text = reply(later, question)
    assert fact in text and SILENCE.search(text), text


def test_the_case_material_is_not_labelled_attachment_1(later, kb):
    case = next(m for m in kb.programme.materials if m.id == "case")
    assert case.attachment_role == "requirements"  # 附件1 gives its requirements only
    chat = Chat(later)
    chat.command("area")
    chat.tap("a:all")
    chat.tap("a:pick:2")
    chat.tap("a:skip")
    assert f"{case.name}（附件1" not in chat.text and "要求见附件1" in chat.text
    assert "××公司+" not in reply(later, "案例怎么命名")


def test_our_own_wording_is_labelled_where_it_is_shown(later):
    chat = Chat(later)
    chat.command("area")
    chat.tap("a:all")
    assert "非通知原文" in chat.text
    chat = Chat(later)
    chat.command("check")
    for _ in range(5):
        chat.press(texts.CHECK_BTN_YES)
    chat.press(texts.CHECK_BTN_EXPLAIN)  # condition 5, years: our reading of 3年以上
    assert OURS_LABEL in chat.text


def test_the_contacts_are_the_notices_of_2016(later):
    out = handle(later, ChatState(), TextEvent(text="联系方式"))
    text = out.replies[0].text
    assert "83392940" in text and "2016" in text
