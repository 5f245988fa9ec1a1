"""Dates per scope (issue 19, point 1): a 无锡 organizer sets 无锡's own dates; a 无锡 enterprise
sees them first in /deadlines and its .ics, labelled with who set them, then the province's; a
苏州 enterprise never does; a city organizer cannot set the province's or another city's dates
(refused by the flow with the reason, and by the store whatever a flow claims); the command
line sets a scope's dates with ``--scope`` and refuses bad input with exit code 2."""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar

from bot.config import Settings
from bot.service import ChatService
from bot.store import NotAllowed
from conversations import texts
from conversations.core import (
    CalendarDate,
    CallbackEvent,
    CommandEvent,
    SetCalendarDate,
    TextEvent,
    UpdateProfile,
)
from tests.driver import Clock
from tests.test_cli import biaogan

ADMIN = 500
WUXI_ORG, SUZHOU_ORG, PROVINCE_ORG = 700, 701, 702
WUXI_ENT, SUZHOU_ENT, NO_PROFILE = 11, 12, 13
WUXI_LABEL = "无锡市经信委设定"


@pytest.fixture
def clock():
    return Clock(2027, 4, 1, 10, 0)


@pytest.fixture
def service(tmp_path, clock):
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", admin_ids=[ADMIN])
    service = ChatService.open(settings, clock=clock)
    store = service.store
    for user, scope in ((WUXI_ORG, "city:无锡"), (SUZHOU_ORG, "city:苏州"),
                        (PROVINCE_ORG, "province")):  # fmt: skip
        store.grant(store.operator(), store.telegram_person(user), scope)
    for chat, city in ((WUXI_ENT, "无锡"), (SUZHOU_ENT, "苏州市")):
        service.actor(chat, chat)
        store.touch_user(chat, user_id=chat)
        store.apply_effects(chat, [UpdateProfile(enterprise_name=f"企业{chat}", city=city,
                                                 asked=True)])  # fmt: skip
    yield service
    service.close()


def say(service, chat_id: int, name: str, args: str = "") -> str:
    actor = service.actor(chat_id, chat_id)
    return "\n".join(
        r.text for r in service.handle(actor, CommandEvent(name=name, args=args)).replies
    )


def calendar_rows(service) -> list[tuple]:
    return service.store.db.execute(
        "SELECT year, scope, milestone, day FROM calendar ORDER BY scope, milestone"
    ).fetchall()


def wuxi_and_province(service) -> None:
    done = say(
        service, WUXI_ORG, "calendar_set", "2027 submission 2027-05-31 报送至无锡市经信委科技处"
    )
    assert "已设定" in done and "无锡市" in done and "2027年5月31日" in done, done
    say(service, WUXI_ORG, "calendar_set", "2027 training 2027-04-20 地点：无锡市民中心3楼")
    say(service, ADMIN, "calendar_set", "2027 submission 2027-06-30")


# ---- /deadlines ----


def test_a_wuxi_enterprise_sees_wuxis_dates_first_labelled_then_the_provinces(service):
    wuxi_and_province(service)
    text = say(service, WUXI_ENT, "deadlines")
    assert WUXI_LABEL in text and texts.SET_BY_ORGANIZERS in text
    assert text.index(WUXI_LABEL) < text.index(texts.SET_BY_ORGANIZERS)  # its own city's first
    assert "本市企业报送截止：2027年5月31日（还有60天）" in text
    assert "说明：报送至无锡市经信委科技处" in text
    assert "培训会：2027年4月20日（还有19天）" in text and "无锡市民中心3楼" in text
    assert text.index("培训会") < text.index("本市企业报送截止")  # in order of day
    assert "报送推荐材料：2027年6月30日（还有90天）" in text and "见通知五" in text


def test_a_suzhou_enterprise_and_one_without_a_city_never_see_wuxis_dates(service):
    wuxi_and_province(service)
    for chat in (SUZHOU_ENT, NO_PROFILE):
        text = say(service, chat, "deadlines")
        assert "报送推荐材料：2027年6月30日" in text  # the province's, as before
        assert "无锡" not in text and "2027年5月31日" not in text and "培训会" not in text


def test_wuxis_dates_without_a_provincial_calendar_keep_2016_said_as_2016s(service):
    say(service, WUXI_ORG, "calendar_set", "2027 submission 2027-05-31")
    text = say(service, WUXI_ENT, "deadlines")
    assert text.index("本市企业报送截止：2027年5月31日") < text.index("2027年的日程尚未设定")
    assert "以下是2016年的，不是2027年的" in text and "6月30日前" in text
    assert "2027年6月30日" not in text


# ---- the .ics ----


def events_of(service, chat_id: int) -> list:
    actor = service.actor(chat_id, chat_id)
    [reply] = service.handle(actor, CommandEvent(name="ics")).replies
    assert reply.file is not None, reply.text
    return Calendar.from_ical(reply.file.content).walk("VEVENT")


def test_the_wuxi_enterprises_ics_has_wuxis_dates_and_the_suzhou_ones_does_not(service):
    wuxi_and_province(service)
    wuxi = {str(e["summary"]): e for e in events_of(service, WUXI_ENT)}
    assert set(wuxi) == {
        "质量标杆：本市企业报送截止（无锡市经信委）",
        "质量标杆：培训会（无锡市经信委）",
        "质量标杆：报送推荐材料",
    }
    own = wuxi["质量标杆：本市企业报送截止（无锡市经信委）"]
    assert own.decoded("dtstart").date() == date(2027, 5, 31)
    assert WUXI_LABEL in str(own["description"]) and "科技处" in str(own["description"])
    suzhou = [str(e["summary"]) for e in events_of(service, SUZHOU_ENT)]
    assert suzhou == ["质量标杆：报送推荐材料"]


# ---- who may set which dates ----


def test_a_city_organizer_cannot_set_the_provinces_or_another_citys_dates(service):
    province = say(service, WUXI_ORG, "calendar_set", "province 2027 submission 2027-06-01")
    assert province == texts.CALSET_NOT_YOUR_SCOPE.format(own="无锡市", scope="全省")
    suzhou = say(service, WUXI_ORG, "calendar_set", "city:苏州 2027 submission 2027-05-01")
    assert "不能设定苏州市的" in suzhou
    notice_step = say(service, WUXI_ORG, "calendar_set", "2027 announcement 2027-07-31")
    assert "无锡市的日程没有“announcement”这个节点" in notice_step
    removing = say(service, WUXI_ORG, "calendar_set", "remove province 2027 submission")
    assert "不能设定全省的" in removing
    assert say(service, SUZHOU_ENT, "calendar_set", "2027 submission 2027-05-01") == (
        texts.CALSET_ADMIN_ONLY
    )
    assert calendar_rows(service) == []


def test_the_store_refuses_a_city_organizers_date_outside_its_scope_whatever_the_flow_said(
    service,
):
    store = service.store
    wuxi = store.telegram_person(WUXI_ORG)
    for scope in ("province", "city:苏州", "assoc:江苏省机械行业协会"):
        entry = CalendarDate(year=2027, milestone="submission", day=date(2027, 5, 1), scope=scope)
        with pytest.raises(NotAllowed):
            store.set_calendar_date(wuxi, entry)
        with pytest.raises(NotAllowed), store.transaction():  # a forged effect, as a turn would
            store.apply(WUXI_ORG, SetCalendarDate(by=wuxi, entry=entry))
        with pytest.raises(NotAllowed):
            store.remove_calendar_date(wuxi, 2027, "submission", scope)
    enterprise = store.telegram_person(WUXI_ENT)
    own = CalendarDate(year=2027, milestone="submission", day=date(2027, 5, 1), scope="city:无锡")
    with pytest.raises(NotAllowed):
        store.set_calendar_date(enterprise, own)
    assert calendar_rows(service) == []
    assert store.set_calendar_date(wuxi, own) == "set"  # its own: yes
    assert calendar_rows(service) == [(2027, "city:无锡", "submission", "2027-05-01")]


def test_the_province_sets_the_provinces_dates_and_any_citys(service):
    said = say(service, PROVINCE_ORG, "calendar_set", "city:无锡 2027 prereview 2027-05-10 初审")
    assert "已设定" in said and "预审" in said
    say(service, PROVINCE_ORG, "calendar_set", "2027 summary 2027-12-15")
    assert calendar_rows(service) == [
        (2027, "city:无锡", "prereview", "2027-05-10"),
        (2027, "province", "summary", "2027-12-15"),
    ]
    audit = service.store.db.execute("SELECT scope FROM audit WHERE action = 'calendar'")
    assert sorted(r[0] for r in audit) == ["city:无锡", "province"]
    assert "预审：2027年5月10日" in say(service, WUXI_ENT, "deadlines")
    assert "预审" not in say(service, SUZHOU_ENT, "deadlines")


# ---- the reminder rows follow the scope and the profile ----


def pending(service, chat_id: int) -> set[tuple[str, int, str]]:
    rows = service.store.db.execute(
        "SELECT milestone, offset_days, kind FROM reminders WHERE chat_id = ?"
        " AND status = 'pending'",
        [chat_id],
    )
    return {tuple(r) for r in rows}


def test_reminder_rows_reach_the_scopes_subscribers_and_follow_a_change_of_city(service):
    for chat in (WUXI_ENT, SUZHOU_ENT):
        say(service, chat, "remind")
    say(service, WUXI_ORG, "calendar_set", "2027 submission 2027-05-31")
    wuxi = pending(service, WUXI_ENT)
    assert ("city:无锡/submission", 0, "set") in wuxi  # told at once
    assert {("city:无锡/submission", o, "due") for o in (30, 7, 1)} <= wuxi
    assert pending(service, SUZHOU_ENT) == set()
    moved = say(service, WUXI_ORG, "calendar_set", "2027 submission 2027-05-20")
    assert "已设定" in moved
    assert ("city:无锡/submission", 0, "moved") in pending(service, WUXI_ENT)
    # the enterprise moves to 苏州: 无锡's rows are cancelled, nothing of 苏州's appears
    service.store.apply_effects(WUXI_ENT, [UpdateProfile(city="苏州")])
    assert pending(service, WUXI_ENT) == set()
    assert "无锡" not in say(service, WUXI_ENT, "deadlines")
    service.store.apply_effects(WUXI_ENT, [UpdateProfile(city="无锡")])  # and back
    assert {("city:无锡/submission", o, "due") for o in (30, 7, 1)} <= pending(service, WUXI_ENT)


# ---- the command line ----


def test_cli_sets_lists_and_exports_a_citys_dates(tmp_path):
    env = {"BIAOGAN_DATA_DIR": str(tmp_path / "data")}
    done = biaogan("calendar", "set", "2027", "submission", "2027-05-31", "--scope", "city:无锡",
                   "--note", "报送至无锡市经信委科技处", env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "city:无锡" in done.stdout and WUXI_LABEL in done.stdout
    biaogan("calendar", "set", "2027", "submission", "2027-06-30", env=env)
    lines = biaogan("calendar", "list", env=env).stdout.splitlines()
    assert lines == [
        "2027\tprovince\tsubmission\t2027-06-30\t报送推荐材料（省经信委设定，非通知原文）",
        "2027\tcity:无锡\tsubmission\t2027-05-31\t本市企业报送截止（无锡市经信委设定，非通知原文）"
        "\t报送至无锡市经信委科技处",
    ]
    ics = biaogan("calendar", "ics", "2027", "--scope", "city:无锡", env=env)
    summaries = [str(e["summary"]) for e in Calendar.from_ical(ics.stdout).walk("VEVENT")]
    assert summaries == ["质量标杆：本市企业报送截止（无锡市经信委）", "质量标杆：报送推荐材料"]
    assert biaogan("calendar", "remove", "2027", "submission", "--scope", "city:无锡",
                   env=env).returncode == 0  # fmt: skip
    assert len(biaogan("calendar", "list", env=env).stdout.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--scope", "city:北京"], "范围“city:北京”无法识别"),
        (["--scope", "无锡"], "范围“无锡”无法识别"),
        (["--scope", "city:无锡", "--note", "很长" * 101], "说明太长了"),
    ],
)
def test_cli_refuses_a_bad_scope_and_changes_nothing(tmp_path, args, said):
    env = {"BIAOGAN_DATA_DIR": str(tmp_path / "data")}
    result = biaogan("calendar", "set", "2027", "submission", "2027-05-31", *args, env=env)
    assert result.returncode == 2 and said in result.stderr, result.stderr
    assert biaogan("calendar", "list", env=env).stdout == ""


def test_cli_refuses_a_provincial_milestone_for_a_city(tmp_path):
    env = {"BIAOGAN_DATA_DIR": str(tmp_path / "data")}
    result = biaogan("calendar", "set", "2027", "announcement", "2027-07-31", "--scope",
                     "city:无锡", env=env)  # fmt: skip
    assert result.returncode == 2
    assert "无锡市的日程没有“announcement”这个节点" in result.stderr
    assert "本市企业报送截止" in result.stderr  # and names what may be set


# ---- a question about a date ----


def asked(service, chat_id: int, text: str) -> str:
    actor = service.actor(chat_id, chat_id)
    return "\n".join(r.text for r in service.handle(actor, TextEvent(text=text)).replies)


def test_asked_when_the_deadline_is_a_wuxi_enterprise_hears_wuxis_date_first(service):
    """The 无锡 enterprise's real deadline is the date 无锡 wants the material: "今年几号截止"
    gives it first, labelled as 无锡's, then the province's; 苏州 never hears it; a question
    about 2016 keeps the notice's answer alone; the 常见问题 button answers the same."""
    wuxi_and_province(service)
    for question in ("今年几号截止", "材料什么时候截止报送"):
        text = asked(service, WUXI_ENT, question)
        assert WUXI_LABEL in text and "2027年5月31日" in text, text
        assert text.index("2027年5月31日") < text.index("2027年6月30日")
        other = asked(service, SUZHOU_ENT, question)
        assert "无锡" not in other and "5月31日" not in other and "2027年6月30日" in other
    assert "无锡" not in asked(service, WUXI_ENT, "2016年几号截止")
    actor = service.actor(WUXI_ENT, WUXI_ENT)
    [button] = service.handle(actor, CallbackEvent(data="f:q:deadline_submit")).replies
    assert button.text.index("2027年5月31日") < button.text.index("2027年6月30日")


def test_without_a_city_one_tap_shows_the_citys_own_dates_first(service):
    """No city in the profile: /deadlines offers the city in one tap (nothing guessed); the tap
    keeps it in the profile and shows that city's own dates first; a forged tap changes
    nothing."""
    wuxi_and_province(service)
    actor = service.actor(NO_PROFILE, NO_PROFILE)
    [shown] = service.handle(actor, CommandEvent(name="deadlines")).replies
    assert "无锡" not in shown.text and "2027年6月30日" in shown.text
    offer = {b.label: b.data for row in shown.buttons for b in row}
    [cities] = service.handle(actor, CallbackEvent(data=offer[texts.DEADLINES_CITY_BUTTON])).replies
    picked = {b.label: b.data for row in cities.buttons for b in row}
    assert {"无锡", "苏州", "宿迁"} <= set(picked)
    [chosen] = service.handle(actor, CallbackEvent(data=picked["无锡"])).replies
    assert chosen.text.startswith("已记下所在城市：无锡市。") and WUXI_LABEL in chosen.text
    assert chosen.text.index("2027年5月31日") < chosen.text.index("2027年6月30日")
    assert service.store.profile(NO_PROFILE).city == "无锡"
    assert texts.DEADLINES_CITY_BUTTON not in [b.label for row in chosen.buttons for b in row]
    forged = service.handle(actor, CallbackEvent(data="d:city:99")).replies[0]
    assert forged.text == texts.CALLBACK_STALE and service.store.profile(NO_PROFILE).city == "无锡"
