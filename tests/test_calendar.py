"""The calendar per year: set by admins (Telegram and CLI), shown with days left, used by the
FAQ and the self-check; a year without one shows 2016's dates as 2016's."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from bot.config import Settings
from bot.service import ChatService
from conversations import texts
from conversations.calendar import CalendarInputError, parse_setting
from conversations.core import CallbackEvent, CommandEvent, TextEvent
from tests.driver import Clock
from tests.test_cli import biaogan

ADMIN_ID = 500


@pytest.fixture
def clock():
    return Clock(2027, 6, 1, 10, 0)


@pytest.fixture
def service(tmp_path, clock):
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", admin_ids=[ADMIN_ID])
    service = ChatService.open(settings, clock=clock)
    yield service
    service.close()


def say(service, chat_id: int, event, user_id: int | None = None):
    actor = service.actor(chat_id, user_id or chat_id)
    return service.handle(actor, event).replies


def text_of(replies) -> str:
    return "\n".join(r.text for r in replies)


def calendar_rows(service) -> list[dict]:
    return list(service.store.db["calendar"].rows)


# ---- a year without a calendar ----------------------------------------------------------------


def test_a_year_without_a_calendar_shows_2016_as_2016_with_the_contacts(service):
    text = text_of(say(service, 1, CommandEvent(name="deadlines")))
    assert "2027年的日程尚未设定" in text and "以下是2016年的，不是2027年的" in text
    assert "6月30日前" in text and "通知没有给出其他年份的日期" in text
    assert "李凯" in text and "025-83392940" in text
    assert "2027年6月30日" not in text and "还有" not in text  # no 2016 date as this year's
    assert "公布" not in text.replace("正式发布", "")  # no promise of when dates come


def test_the_menu_entry_is_the_deadlines_view(service):
    from conversations.core import CallbackEvent

    by_menu = text_of(say(service, 1, CallbackEvent(data="m:open:deadlines")))
    old_button = text_of(say(service, 1, CallbackEvent(data="m:open:calendar")))
    assert by_menu == old_button == text_of(say(service, 1, CommandEvent(name="deadlines")))


# ---- setting a year's calendar from Telegram ---------------------------------------------------


def test_an_admin_sets_a_date_and_it_is_shown_with_days_left_and_the_label(service):
    done = text_of(
        say(
            service,
            9,
            CommandEvent(name="calendar_set", args="2027 submission 2027-06-30"),
            ADMIN_ID,
        )
    )
    assert "已设定" in done and "2027年6月30日" in done
    text = text_of(say(service, 1, CommandEvent(name="deadlines")))
    assert texts.SET_BY_ORGANIZERS in text
    assert "报送推荐材料：2027年6月30日（还有29天）" in text
    assert "见通知五" in text
    assert "确定并发布：2027年尚未设定" in text


def test_an_enterprise_cannot_set_the_calendar(service):
    replies = say(service, 1, CommandEvent(name="calendar_set", args="2027 submission 2027-06-30"))
    assert text_of(replies) == texts.CALSET_ADMIN_ONLY
    assert calendar_rows(service) == []


def test_the_store_refuses_a_non_admin_even_if_a_flow_forgot_to_check(service):
    from bot.store import NotAllowed
    from conversations.core import CalendarDate

    entry = CalendarDate(year=2027, milestone="submission", day=date(2027, 6, 30))
    with pytest.raises(NotAllowed):
        service.store.set_calendar_date(service.store.telegram_person(1), entry)
    assert calendar_rows(service) == []


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ("2027 submission 2027-13-01", "无法识别"),
        ("2027 submission 2027/06/30", "无法识别"),
        ("2027 submission 明天", "无法识别"),
        ("2027 deadline 2027-06-30", "没有“deadline”这个节点"),
        ("2015 submission 2015-06-30", "早于通知的 2016 年"),
        ("二〇二七 submission 2027-06-30", "年份“二〇二七”无法识别"),
        ("2027 submission 2028-06-30", "不在 2027 年内"),
        ("2027 submission 2027-02-30", "无法识别"),
        ("2027 submission", "用法"),
        ("", "用法"),
    ],
)
def test_every_bad_calendar_set_input_is_refused_in_chinese_and_changes_nothing(
    service, args, said
):
    replies = say(service, 9, CommandEvent(name="calendar_set", args=args), ADMIN_ID)
    assert said in text_of(replies)
    assert calendar_rows(service) == []


def test_parse_setting_names_the_first_problem():
    with pytest.raises(CalendarInputError, match="早于"):
        parse_setting("2010", "nope", "x")
    assert parse_setting("2027", "Summary", "2027-12-15").milestone == "summary"


def test_removing_a_date_brings_back_not_set(service):
    say(service, 9, CommandEvent(name="calendar_set", args="2027 submission 2027-06-30"), ADMIN_ID)
    say(
        service, 9, CommandEvent(name="calendar_set", args="2027 announcement 2027-07-31"), ADMIN_ID
    )
    replies = say(
        service, 9, CommandEvent(name="calendar_set", args="remove 2027 submission"), ADMIN_ID
    )
    assert "已删除" in text_of(replies)
    text = text_of(say(service, 1, CommandEvent(name="deadlines")))
    assert "报送推荐材料：2027年尚未设定" in text and "2027年7月31日" in text


# ---- the dates answer questions, the self-check and the past ------------------------------------


def test_faq_answers_from_the_set_calendar_labelled_as_the_organizers(service):
    before = text_of(say(service, 1, TextEvent(text="申报截止时间")))
    assert "2016年通知的安排" in before
    say(service, 9, CommandEvent(name="calendar_set", args="2027 submission 2027-06-30"), ADMIN_ID)
    after = text_of(say(service, 1, TextEvent(text="申报截止时间")))
    assert "2027年6月30日" in after and texts.SET_BY_ORGANIZERS in after
    named_2016 = text_of(say(service, 1, TextEvent(text="2016年材料什么时候交")))
    assert "6月30日前" in named_2016 and texts.SET_BY_ORGANIZERS not in named_2016
    unset = text_of(say(service, 1, TextEvent(text="评选结果什么时候公布")))
    assert "2016年通知的安排" in unset  # announcement not set: the notice's answer, caveated


def test_ask_jsonl_answers_from_the_store(tmp_path):
    env = {"BIAOGAN_DATA_DIR": str(tmp_path / "data")}
    assert biaogan("calendar", "set", "2030", "submission", "2030-06-28", env=env).returncode == 0
    line = json.dumps({"id": 1, "q": "2030年材料什么时候交"}, ensure_ascii=False)
    row = json.loads(biaogan("ask", "--jsonl", stdin=line + "\n", env=env).stdout)
    assert "2030年6月28日" in row["reply"] and texts.SET_BY_ORGANIZERS in row["reply"]
    assert row["entry"] == "deadline_submit"


def test_the_self_checks_next_steps_use_the_set_submission_date(service):
    say(service, 9, CommandEvent(name="calendar_set", args="2027 submission 2027-06-30"), ADMIN_ID)
    say(service, 1, CommandEvent(name="check"))
    replies = []
    for _ in range(12):
        replies = say(service, 1, TextEvent(text="是"))
        if text_of(replies).startswith("自测结果："):
            break
    buttons = {b.label: b.data for r in replies for row in r.buttons for b in row}
    assert texts.PROFILE_BTN_FROM_CHECK in buttons
    basis = say(service, 1, CallbackEvent(data=buttons[texts.CHECK_BTN_BASIS]))
    text = text_of(basis)
    assert "2027年：2027年6月30日前报送" in text and texts.SET_BY_ORGANIZERS in text


def test_past_milestones_are_marked_and_shanghai_midnight_counts(service, clock):
    say(service, 9, CommandEvent(name="calendar_set", args="2027 submission 2027-06-30"), ADMIN_ID)
    clock.set(2027, 6, 29, 23, 59)
    assert "还有1天" in text_of(say(service, 1, CommandEvent(name="deadlines")))
    clock.now = datetime(2027, 6, 29, 16, 0, tzinfo=UTC)  # 00:00 on the 30th in Shanghai
    assert "就是今天" in text_of(say(service, 1, CommandEvent(name="deadlines")))
    clock.set(2027, 7, 1, 0, 0)
    assert "2027年6月30日（已过）" in text_of(say(service, 1, CommandEvent(name="deadlines")))


# ---- the CLI -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["2027", "submission", "2027-06-31"],
        ["2027", "submit", "2027-06-30"],
        ["2014", "submission", "2014-06-30"],
        ["2027", "summary", "2026-12-01"],
        ["x", "summary", "2027-12-01"],
    ],
)
def test_cli_calendar_set_refuses_bad_input_and_changes_nothing(tmp_path, args):
    env = {"BIAOGAN_DATA_DIR": str(tmp_path / "data")}
    result = biaogan("calendar", "set", *args, env=env)
    assert result.returncode == 2 and result.stderr.strip()
    assert any(word in result.stderr for word in ("无法识别", "没有", "早于", "不在"))
    listed = biaogan("calendar", "list", env=env)
    assert listed.stdout == ""


def test_cli_calendar_set_list_remove_ics(tmp_path):
    from icalendar import Calendar

    env = {"BIAOGAN_DATA_DIR": str(tmp_path / "data")}
    ok = biaogan(
        "calendar", "set", "2027", "submission", "2027-06-30", "--note", "以正式通知为准", env=env
    )
    assert ok.returncode == 0, ok.stderr
    biaogan("calendar", "set", "2027", "summary", "2027-12-15", env=env)
    lines = biaogan("calendar", "list", "2027", env=env).stdout.splitlines()
    assert lines == [
        "2027\tprovince\tsubmission\t2027-06-30\t报送推荐材料（省经信委设定，非通知原文）\t以正式通知为准",
        "2027\tprovince\tsummary\t2027-12-15\t总结上报（省经信委设定，非通知原文）",
    ]
    ics = biaogan("calendar", "ics", "2027", env=env)
    events = Calendar.from_ical(ics.stdout).walk("VEVENT")
    assert [e.decoded("dtstart").date() for e in events] == [date(2027, 6, 30), date(2027, 12, 15)]
    assert biaogan("calendar", "remove", "2027", "summary", env=env).returncode == 0
    assert len(biaogan("calendar", "list", env=env).stdout.splitlines()) == 1
    assert biaogan("calendar", "remove", "2027", "summary", env=env).returncode == 2
    assert biaogan("calendar", "ics", "2031", env=env).returncode == 2


def test_the_faq_button_for_the_deadline_uses_the_set_date(service):
    from conversations.core import CallbackEvent

    say(service, 9, CommandEvent(name="calendar_set", args="2027 submission 2027-06-30"), ADMIN_ID)
    text = text_of(say(service, 1, CallbackEvent(data="f:q:deadline_submit")))
    assert "2027年6月30日" in text and texts.SET_BY_ORGANIZERS in text
