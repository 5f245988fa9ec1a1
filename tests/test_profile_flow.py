"""企业信息: asked once when subscribing, editable with /profile; names the organizing unit
from 三 / 四(四) without inventing addresses or phone numbers."""

from __future__ import annotations

import re
from datetime import date

from conversations import texts
from conversations.core import (
    CalendarDate,
    ChatState,
    Profile,
    Subscribe,
    UpdateProfile,
    YearCalendar,
)
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
    assert chat.text == texts.PROFILE_ASK_PERSON
    chat.press(texts.PROFILE_SKIP)
    assert chat.text == texts.PROFILE_ASK_CONTACT
    chat.press(texts.PROFILE_SKIP)
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
    assert chat.text == "确认：江苏省机械行业协会？"
    chat.press(texts.PROFILE_BTN_YES)
    chat.type("跳过")  # the contact person
    chat.type("跳过")  # the phone or e-mail
    assert "江苏省机械行业协会（省级行业协会）" in chat.text and "无锡市经信委" in chat.text
    assert chat.profile.association == "江苏省机械行业协会"
    assert chat.profile.contact_person is None and chat.profile.contact is None


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
    ctx.clock = Clock(2027, 3, 1, 12, 0)  # within a campaign year (December may mean the next)
    chat = Chat(ctx, ChatState(), Profile(asked=True))
    out = chat.command("start", "remind")
    assert [e for e in out.effects if isinstance(e, Subscribe)] == [Subscribe(year=2027)]
    chat.press(texts.BTN_OFFSETS)
    out = chat.press(texts.BTN_OFFSET_PRESET.format(offsets="14、3"))
    assert [e.offsets for e in out.effects if isinstance(e, Subscribe)] == [[14, 3]]
    assert "14、3" in chat.text


# ---- the association: from the organizers' list, or typed and confirmed ----------------------


class Organizers:
    """What the store answers the profile: the associations organizers exist for."""

    def __init__(self, *names: str) -> None:
        self.names = list(names)

    def associations(self) -> list[str]:
        return list(self.names)


ASSOCIATIONS = Organizers("江苏省机械行业协会", "江苏省纺织工业协会")


def at_association(ctx, records=ASSOCIATIONS, profile=None) -> Chat:
    chat = Chat(ctx, ChatState(), profile or Profile(asked=True), records=records)
    chat.command("profile")
    chat.type("苏州某某精密制造有限公司")
    chat.press("苏州")
    return chat


def saved(chat: Chat) -> list[UpdateProfile]:
    """The profile changes the turns asked the store to keep (besides ``asked``)."""
    return [
        e
        for o in chat.outcomes
        for e in o.effects
        if isinstance(e, UpdateProfile)
        and e.model_dump(exclude={"kind", "asked"}, exclude_none=True)
    ]


def test_the_association_is_chosen_from_the_organizers_and_the_contact_given(ctx):
    chat = at_association(ctx)
    assert chat.text == texts.PROFILE_ASK_ASSOCIATION
    assert chat.labels[:4] == [
        "江苏省机械行业协会", "江苏省纺织工业协会",
        texts.PROFILE_OTHER_ASSOCIATION, texts.PROFILE_NO_ASSOCIATION,
    ]  # fmt: skip
    ASSOCIATIONS.names.reverse()  # the list changes between showing and pressing
    try:
        chat.press("江苏省纺织工业协会")  # the button means what it showed
    finally:
        ASSOCIATIONS.names.reverse()
    assert chat.text == texts.PROFILE_ASK_PERSON and "/privacy" in chat.text
    chat.type("王经理")
    assert chat.text == texts.PROFILE_ASK_CONTACT
    chat.type("0512 - 1234 5678")
    assert "联系人：王经理；联系方式：0512-12345678（组织单位可见，见 /privacy）" in chat.text
    assert "江苏省纺织工业协会（省级行业协会）" in chat.text and "苏州市经信委" in chat.text
    assert chat.state.flow == "menu"
    profile = chat.profile
    assert (profile.association, profile.contact_person, profile.contact) == (
        "江苏省纺织工业协会", "王经理", "0512-12345678"
    )  # fmt: skip


def test_a_typed_association_is_kept_only_once_confirmed(ctx):
    chat = at_association(ctx)
    chat.press(texts.PROFILE_OTHER_ASSOCIATION)
    assert chat.text == texts.PROFILE_TYPE_ASSOCIATION
    chat.type("“江苏省电子信息行业协会”")
    assert chat.text == "确认：江苏省电子信息行业协会？"
    assert chat.labels[:2] == [texts.PROFILE_BTN_YES, texts.PROFILE_BTN_RETYPE]
    assert saved(chat) == [] and chat.profile.association is None
    chat.press(texts.PROFILE_BTN_RETYPE)
    assert chat.text == texts.PROFILE_TYPE_ASSOCIATION and chat.state.step == "association_name"
    chat.type("机械行业协会")  # the organizers' own name is proposed
    assert chat.text == "确认：江苏省机械行业协会？"
    chat.type("是")
    assert chat.text == texts.PROFILE_ASK_PERSON
    chat.press(texts.PROFILE_SKIP)
    chat.press(texts.PROFILE_SKIP)
    assert chat.profile.association == "江苏省机械行业协会"


def test_an_association_typed_before_is_offered_again_on_profile(ctx):
    kept = Profile(enterprise_name="甲公司", city="苏州", association="江苏省电子信息行业协会",
                   asked=True)  # fmt: skip
    chat = at_association(ctx, profile=kept)
    assert chat.labels[:3] == ["江苏省电子信息行业协会", "江苏省机械行业协会", "江苏省纺织工业协会"]
    chat.press("江苏省电子信息行业协会")
    assert chat.text.startswith(texts.PROFILE_ASK_PERSON)


def test_an_organizers_association_typed_in_full_needs_no_confirmation(ctx):
    chat = at_association(ctx)
    chat.type("江苏省纺织工业协会")
    assert chat.text == texts.PROFILE_ASK_PERSON and chat.state.data["association"] == (
        "江苏省纺织工业协会"
    )


def test_a_sentence_is_not_kept_as_an_association(ctx):
    chat = at_association(ctx)
    out = chat.type("不知道 我们是做机械的")
    assert chat.text.startswith("没有把“不知道 我们是做机械的”记为行业协会：这像是一句话")
    assert "所在市经信委或质量协会推荐即可（见通知三、四(四)）" in chat.text
    assert out.effects == [] and chat.state.step == "association"
    assert texts.PROFILE_NO_ASSOCIATION in chat.labels and "江苏省机械行业协会" in chat.labels
    for text, why in (
        ("不知道", texts.PROFILE_WHY_SENTENCE),
        ("我们是机械行业协会的会员", texts.PROFILE_WHY_SENTENCE),
        ("机械行业", texts.PROFILE_WHY_ENDING),
        ("江苏省" + "机械" * 18 + "协会", texts.PROFILE_WHY_ASSOC_LONG.format(high=40)),
    ):
        out = chat.type(text)
        assert why in chat.text and out.effects == [], text
        assert chat.state.step == "association", text
    chat.press(texts.PROFILE_NO_ASSOCIATION)
    chat.press(texts.PROFILE_SKIP)
    chat.press(texts.PROFILE_SKIP)
    assert chat.profile.association in (None, "")
    [kept] = saved(chat)
    assert kept.association == "" and "不知道" not in kept.model_dump_json()


def test_with_no_association_organizers_a_name_is_typed(ctx):
    chat = at_association(ctx, records=Organizers())
    assert chat.labels[:2] == [texts.PROFILE_OTHER_ASSOCIATION, texts.PROFILE_NO_ASSOCIATION]
    chat.type("没有")
    assert chat.text == texts.PROFILE_ASK_PERSON


def test_a_question_mid_way_is_answered_and_the_place_kept(ctx):
    chat = at_association(ctx)
    chat.press(texts.PROFILE_NO_ASSOCIATION)
    out = chat.type("申报要交费吗")
    assert out.kind != "profile_bad_person" and texts.PROFILE_RESUME in chat.labels
    assert chat.state.flow == "profile" and chat.state.step == "person"
    chat.press(texts.PROFILE_RESUME)
    assert chat.text == texts.PROFILE_ASK_PERSON


# ---- the contact for follow-up ---------------------------------------------------------------


def test_bad_contacts_are_refused_with_a_reason_and_good_ones_kept(ctx):
    chat = at_association(ctx)
    chat.press(texts.PROFILE_NO_ASSOCIATION)
    chat.type("13812345678")  # a phone where the name is asked
    assert chat.text.startswith(texts.PROFILE_BAD_PERSON.format(
        why=texts.PROFILE_WHY_PERSON_CONTACT))  # fmt: skip
    assert chat.state.step == "person"
    chat.type("张伟（质量部）")
    for typed, why in (
        ("12345", texts.PROFILE_WHY_PHONE),
        ("0512-123", texts.PROFILE_WHY_PHONE),
        ("wang@", texts.PROFILE_WHY_EMAIL.format(why=texts.MAIL_WHY_FORMAT)),
        ("明天再说", texts.PROFILE_WHY_CONTACT),
    ):
        out = chat.type(typed)
        assert chat.text.startswith(f"没有记下“{typed}”：{why}"), chat.text
        assert out.effects == [] and chat.state.step == "contact"
    chat.type("wang@Example.CN")
    assert chat.profile.contact == "wang@example.cn"
    assert chat.profile.contact_person == "张伟（质量部）"


def test_profile_shows_the_saved_contact_and_can_delete_it(ctx):
    kept = Profile(enterprise_name="甲公司", city="苏州", contact_person="王经理",
                   contact="13812345678", asked=True)  # fmt: skip
    chat = Chat(ctx, ChatState(), kept, records=ASSOCIATIONS)
    chat.command("profile")
    assert "联系人：王经理；联系方式：13812345678" in chat.text  # the summary above the question
    chat.press(texts.PROFILE_SKIP)  # the name kept
    chat.press("苏州")
    chat.press(texts.PROFILE_NO_ASSOCIATION)
    assert texts.PROFILE_KEEP_NOW.format(value="王经理") in chat.text
    chat.press(texts.PROFILE_SKIP)  # kept
    assert texts.PROFILE_KEEP_NOW.format(value="13812345678") in chat.text
    out = chat.press(texts.PROFILE_CLEAR)
    [effect] = [e for e in out.effects if isinstance(e, UpdateProfile)]
    assert effect.contact == "" and effect.contact_person is None  # cleared / left as it is
    assert chat.profile.contact_person == "王经理" and not chat.profile.contact
