"""企业信息: asked once when subscribing, editable with /profile; names the organizing unit
from 三 / 四(四) without inventing addresses or phone numbers."""

from __future__ import annotations

import re
from datetime import date

from conversations import texts
from conversations.core import CalendarDate, ChatState, Profile, Subscribe, YearCalendar
from conversations.flows.profile import CITIES
from tests.driver import Chat, Clock

PHONE = re.compile(r"\d{3,4}-\d{7,8}")


def test_subscribing_asks_the_profile_once_and_it_names_the_city_units(ctx):
    chat = Chat(ctx)
    first = chat.command("remind")
    assert any(isinstance(e, Subscribe) for e in first.effects)
    assert chat.text == texts.PROFILE_ASK_NAME and chat.state.flow == "profile"
    chat.type("苏州某某精密制造有限公司")
    assert len([b for b in chat.buttons if b.startswith("p:city:")]) == 13
    chat.press("苏州")
    chat.press(texts.PROFILE_NO_ASSOCIATION)
    assert "苏州市经信委或苏州市质量协会" in chat.text and "见通知三、四(四)" in chat.text
    assert "没有列出各组织单位的地址和电话" in chat.text
    assert set(PHONE.findall(chat.text)) <= {"025-83392940", "025-83391528"}
    assert chat.profile.city == "苏州" and chat.profile.asked
    assert chat.profile.enterprise_name == "苏州某某精密制造有限公司"
    again = chat.command("remind")
    assert len(again.replies) == 1  # asked once only
    assert chat.state.flow == "menu"


def test_skipping_is_remembered_and_profile_edits_later(ctx):
    chat = Chat(ctx)
    chat.command("remind")
    chat.press(texts.PROFILE_SKIP)
    assert chat.text == texts.PROFILE_SKIPPED and chat.profile.asked
    assert len(chat.command("remind").replies) == 1
    chat.command("profile")
    chat.type("无锡某某股份有限公司")
    chat.type("无锡市")  # a typed city is understood
    chat.type("江苏省机械行业协会")
    assert "江苏省机械行业协会（省级行业协会）" in chat.text and "无锡市经信委" in chat.text
    assert chat.profile.association == "江苏省机械行业协会"


def test_a_city_outside_jiangsu_is_asked_again_with_the_buttons(ctx):
    chat = Chat(ctx, ChatState(), Profile(asked=True))
    chat.command("profile")
    chat.type("某某公司")
    chat.type("上海")
    assert chat.text == texts.PROFILE_BAD_CITY and chat.state.step == "city"
    assert len(CITIES) == 13


def test_the_verdict_offers_the_profile(ctx):
    chat = Chat(ctx)
    chat.command("check")
    for _ in range(12):
        chat.type("是")
        if texts.PROFILE_BTN_FROM_CHECK in chat.labels:
            break
    chat.press(texts.PROFILE_BTN_FROM_CHECK)
    assert chat.state.flow == "profile" and texts.PROFILE_ASK_NAME in chat.text


def test_ics_is_a_calendar_file_with_shanghai_times_and_an_alarm(ctx):
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from icalendar import Calendar

    ctx.clock = Clock(2027, 3, 1, 12, 0)
    assert Chat(ctx).command("ics").replies[0].file is None  # no calendar set: no file
    dates = {
        "submission": CalendarDate(year=2027, milestone="submission", day=date(2027, 6, 30)),
        "exchange_end": CalendarDate(year=2027, milestone="exchange_end", day=date(2027, 11, 30)),
    }
    ctx.calendars = lambda year: YearCalendar(year=2027, dates=dates) if year == 2027 else None
    reply = Chat(ctx).command("ics").replies[0]
    assert reply.file is not None and reply.file.mime == "text/calendar"
    parsed = Calendar.from_ical(reply.file.content)
    events = parsed.walk("VEVENT")
    starts = [e.decoded("dtstart") for e in events]
    assert [s.date() for s in starts] == [date(2027, 6, 30), date(2027, 11, 30)]
    assert all(s.utcoffset() == timedelta(hours=8) and s.hour == 9 for s in starts)
    assert str(starts[0].tzinfo) in ("Asia/Shanghai", str(ZoneInfo("Asia/Shanghai")))
    assert parsed.walk("VTIMEZONE")
    alarms = events[0].walk("VALARM")
    assert alarms and alarms[0].decoded("trigger") == timedelta(days=-1)
    assert "报送推荐材料" in str(events[0]["summary"])
    assert texts.SET_BY_ORGANIZERS in str(events[0]["description"])


def test_remind_with_bad_offsets_says_how(ctx):
    out = Chat(ctx).command("remind", "30 abc")
    assert "无法识别" in out.replies[0].text and not out.effects
    out = Chat(ctx).command("remind", "120")
    assert "0 到 90" in out.replies[0].text


def test_a_typed_skip_is_not_taken_for_a_name(ctx):
    chat = Chat(ctx)
    chat.command("remind")
    chat.type("跳过")
    assert chat.text == texts.PROFILE_SKIPPED and chat.profile.enterprise_name is None


def test_reminders_on_the_web_land_in_the_page_and_it_says_so(ctx):
    from conversations.core import Actor

    web = Actor(user_id=-(2**60), chat_id=-(2**60), channel="web")
    out = Chat(ctx, actor=web).command("remind")
    assert texts.SUBSCRIBE_WEB_TAIL in out.replies[0].text
    assert [type(e) for e in out.effects][:1] == [Subscribe]


def test_deep_link_and_offset_presets_subscribe(ctx):
    chat = Chat(ctx, ChatState(), Profile(asked=True))
    out = chat.command("start", "remind")
    assert [e for e in out.effects if isinstance(e, Subscribe)] == [Subscribe(year=ctx.this_year())]
    chat.press(texts.BTN_OFFSETS)
    out = chat.press(texts.BTN_OFFSET_PRESET.format(offsets="14、3"))
    assert [e.offsets for e in out.effects if isinstance(e, Subscribe)] == [[14, 3]]
    assert "14、3" in chat.text
