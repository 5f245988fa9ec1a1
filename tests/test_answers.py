"""Issue 20: every defect it lists, asserted on the reply a user reads, asked as ``biaogan ask
--jsonl`` asks (``conversations.ask.ask_record``: one question through the router as a newcomer
would ask it). The questions are the issue's own examples and our own; none is copied into the
knowledge files. ``tests/test_answers_telegram.py`` plays each defect class over Telegram, and
``test_ask_jsonl_answers_the_defects_of_issue_20`` runs the real ``biaogan ask --jsonl``."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from conversations.ask import ask_record
from conversations.core import SHANGHAI, CalendarDate, Context, YearCalendar

PHONE = "83392940"
LABELLED = "2016年通知所列联系人"
NOT_FOUND = re.compile("没有关于这个问题的规定|没有找到回答这个问题")


def ask(ctx: Context, question: str) -> dict:
    return ask_record(ctx, {"q": question})


def ctx_in(kb, year: int, calendar: YearCalendar | None = None) -> Context:
    return Context(
        kb=kb,
        clock=lambda: datetime(year, 3, 1, 9, tzinfo=SHANGHAI),
        calendars=lambda y: calendar if calendar is not None and calendar.year == y else None,
    )


def calendar_2027() -> YearCalendar:
    dates = {
        "submission": CalendarDate(year=2027, milestone="submission", day=date(2027, 6, 20)),
        "announcement": CalendarDate(year=2027, milestone="announcement", day=date(2027, 8, 10)),
    }
    return YearCalendar(year=2027, dates=dates)


# ---- 1. another year is never shown as 2016's -------------------------------------------------


def test_1_a_set_year_is_answered_with_its_dates_and_2016s_step_said_as_2016s(kb) -> None:
    reply = ask(ctx_in(kb, 2027, calendar_2027()), "今年评选结果什么时候公布")["reply"]
    assert "2027年8月10日" in reply
    assert "要做的：省经信委确定2016年度" not in reply  # 2016's task as 2027's
    assert "2016年通知中的这一步：7月底前，省经信委确定2016年度“质量标杆”并正式发布" in reply


def test_1_the_calendar_ics_and_reminders_of_a_set_year_label_2016s_step(kb) -> None:
    from conversations.calendar import ics_bytes
    from conversations.core import Profile
    from conversations.flows.deadlines import deadlines_text, reminder_reply

    ctx = ctx_in(kb, 2027, calendar_2027())
    shown = [deadlines_text(ctx, 2027)]
    shown.append(ics_bytes(ctx, calendar_2027()).decode("utf-8").replace("\r\n ", ""))
    entry = calendar_2027().dates["announcement"]
    shown.append(reminder_reply(ctx, entry, Profile()).text)
    for text in shown:
        assert "要做的：省经信委确定2016年度" not in text
        assert "2016年通知中的这一步" in text


# ---- 2. 2016's contacts are 2016's; off-topic questions get no government phone -------------


@pytest.mark.parametrize(
    "question", ["2027年的安排找谁问", "联系电话是多少", "推荐名额明年会变吗", "评审打几分算通过"]
)
def test_2_the_contacts_are_always_said_as_2016s(kb, question) -> None:
    reply = ask(ctx_in(kb, 2026), question)["reply"]
    assert PHONE in reply
    assert "2016年" in reply and ("2016年通知" in reply or LABELLED in reply), reply


@pytest.mark.parametrize("question", ["明天南京天气怎么样", "附近有什么好吃的餐馆", "个税怎么算"])
def test_2_an_off_topic_question_is_not_sent_to_a_government_office(kb, question) -> None:
    record = ask(ctx_in(kb, 2026), question)
    assert record["entry"] is None and PHONE not in record["reply"], record


# ---- 3. declines that were false ------------------------------------------------------------

ANSWERED = [
    ("啥叫质量标杆", "最佳实践"),
    ("这个通知是发给哪些单位的", "省辖市经信委"),
    ("费这么大劲搞标杆活动图个啥", "示范带动"),
    ("省质协在活动里管哪块", "遴选"),
    ("who runs this program", "省经信委负责"),
    ("what's the point of this program", "示范带动"),
    ("deadline是几号 怕来不及", "6月30"),
    ("review是谁做的 有没有专家", "组织专家"),
    ("集团下属子公司用的是总部推行的方法，算在本企业应用吗", "在本企业应用"),
    ("我们是服务业企业能申报吗", "工业企业"),
    ("我们的质量月活动搞得很好，算哪个领域", "开展质量活动"),
    ("我们在知识产权管理上的做法能报吗", "不收费|工业企业|领域|基本条件|自愿"),
]


@pytest.mark.parametrize(("question", "fact"), ANSWERED)
def test_3_a_question_the_notice_answers_is_answered(kb, question, fact) -> None:
    record = ask(ctx_in(kb, 2026), question)
    assert not NOT_FOUND.search(record["reply"]), record
    assert record["kind"] not in ("other_programme", "outside"), record
    assert re.search(fact, record["reply"]), record


# ---- 4. the entry asked about, not a neighbour ----------------------------------------------

ASKED_ABOUT = [
    ("省经信委负责啥", "策划组织和协调管理", None),
    ("经验通过什么途径宣传", "汇编|宣传报道", "组织单位推荐"),
    ("结果公示几天", "没有写明|没有规定", "公示期"),
    ("高企认定能加分吗", "没有关于|没有在通知", "遴选和确定"),
    ("科技与质量处处长是谁", "没有写明|没有规定", None),
    ("学习交流活动谁组织", "省经信委全面策划组织", None),
]


@pytest.mark.parametrize(("question", "wanted", "wrong"), ASKED_ABOUT)
def test_4_the_clause_asked_about_answers(kb, question, wanted, wrong) -> None:
    reply = ask(ctx_in(kb, 2026), question)["reply"]
    assert re.search(wanted, reply), reply
    assert wrong is None or not re.search(wrong, reply), reply
    if "7月底" in reply:
        assert "2016" in reply


# ---- 5. whole answers -----------------------------------------------------------------------


def test_5_a_city_award_is_not_said_to_be_provincial(kb) -> None:
    reply = ask(ctx_in(kb, 2026), "市级质量奖算不算省以上")["reply"]
    assert "市级" in reply and "不在其内" in reply and "具有较高质量声誉" in reply


def test_5_an_award_and_the_benchmark_are_contrasted(kb) -> None:
    reply = ask(ctx_in(kb, 2026), "质量奖和质量标杆是一回事吗")["reply"]
    assert "不是一回事" in reply and "最佳实践" in reply and "优先" in reply


def test_5_the_benefits_are_all_there_and_no_money_is_promised(kb) -> None:
    reply = ask(ctx_in(kb, 2026), "有什么好处")["reply"]
    for fact in ("全国“质量标杆”", "江苏企业质量管理成功实践", "表彰", "没有提到奖金"):
        assert fact in reply, reply


def test_5_review_criteria_say_the_notice_gives_no_scoring_rules(kb) -> None:
    reply = ask(ctx_in(kb, 2026), "专家评审依据什么标准")["reply"]
    assert "没有关于" in reply and "组织专家" in reply


def test_5_condition_3_keeps_its_reputation_clause(kb) -> None:
    reply = ask(ctx_in(kb, 2026), "第三条是什么意思")["reply"]
    assert "具有较高质量声誉" in reply and "优先" in reply


# ---- 6. the assistant's own features asked in words -----------------------------------------

FEATURES = [
    ("提醒", "feature", "已订阅"),
    ("订阅", "feature", "已订阅"),
    ("截止前提醒我", "feature", "已订阅"),
    ("能提醒我吗", "feature", "已订阅"),
    ("我的数据", "feature", "保存的关于您的内容"),
    ("你们会保存我哪些信息", "feature", "保存的关于您的内容"),
    ("企业信息", "feature", "企业名称"),
    ("清除记录", "feature", "确定删除"),
    ("Is there an English version?", "feature", "中文"),
    ("资格自测", "feature", "资格自测：逐条核对"),
    ("领域推荐", "feature", "领域推荐：请用"),
    ("what are you", "help", "资格自测"),
]


@pytest.mark.parametrize(("question", "kind", "shown"), FEATURES)
def test_6_a_feature_asked_in_words_is_opened(kb, question, kind, shown) -> None:
    record = ask(ctx_in(kb, 2026), question)
    assert record["kind"] == kind and record["entry"] is None, record
    assert shown in record["reply"], record
    assert PHONE not in record["reply"]


def test_6_continue_resumes_the_paused_check(kb) -> None:
    from conversations.core import CommandEvent, TextEvent
    from tests.driver import Chat

    chat = Chat(ctx_in(kb, 2026))
    chat.send(CommandEvent(name="check"))
    chat.send(CommandEvent(name="menu"))  # the check is paused
    assert chat.state.flow != "check"
    chat.send(TextEvent(text="继续自测"))
    assert chat.state.flow == "check" and chat.state.step
    chat.send(CommandEvent(name="menu"))
    chat.send(TextEvent(text="继续"))
    assert chat.state.flow == "check"


# ---- 7. several questions in one message ----------------------------------------------------


def test_7_each_part_is_answered_with_its_clause(kb) -> None:
    reply = ask(ctx_in(kb, 2026), "申报条件有哪些需要什么材料什么时候截止交到哪里")["reply"]
    assert "1. " in reply and "4. " in reply
    for fact in ("基本条件", "申报表", "6月30", "科技与质量处", "见通知四(二)", "见通知五"):
        assert fact in reply, reply
    assert "2016" in reply


def test_7_a_part_the_notice_does_not_answer_is_said_so(kb) -> None:
    reply = ask(ctx_in(kb, 2026), "评上有多少奖金？另外能推荐到全国吗")["reply"]
    assert "没有关于这一点的规定" in reply and "优先推荐申报全国" in reply
    assert PHONE in reply


def test_7_a_date_and_a_reminder_in_one_message(kb) -> None:
    record = ask(ctx_in(kb, 2026), "今年几号截止？能不能到时候提醒我一下")
    assert record["kind"] == "multi"
    assert "没有给出2026年的日期" in record["reply"] and "订阅提醒" in record["buttons"]
