"""Dates per scope over Telegram (the real Application against the fake Bot API, a controlled
clock): a 无锡 organizer sets 无锡's submission date with /calendar_set; the subscribed 无锡
enterprise is told, sees it first in /deadlines with the province's, and its reminder arrives
when the clock reaches it; the subscribed 苏州 enterprise gets neither; the organizer's attempt
at the province's or 苏州's dates is refused with the reason, nothing stored."""

from __future__ import annotations

from datetime import date

import pytest

from bot.service import ChatService
from conversations import texts
from conversations.core import CalendarDate, UpdateProfile
from tests.driver import Clock
from tests.fake_bot_api import visible_text
from tests.test_reminders import FAST, send_due, sent_to, subscribe

WUXI_ORG, WUXI_ENT, SUZHOU_ENT = 700, 11, 12


@pytest.fixture
def clock():
    return Clock(2027, 4, 1, 10, 0)


@pytest.fixture
async def service(bot_settings, clock, bot_runner):
    service = ChatService.open(bot_settings, clock=clock)
    store = service.store
    store.grant(store.operator(), store.telegram_person(WUXI_ORG), "city:无锡")
    yield service
    await bot_runner.stop_all()
    service.close()


async def command(fake, chat_id: int, name: str, args: str = "") -> str:
    """The bot's reply to a command (not a notice sent before it)."""
    since = fake.mark()
    fake.send_command(chat_id, name, args)
    call = await fake.wait_for("sendMessage", since=since, chat_id=chat_id, timeout=5)
    return visible_text(call.text or "", "HTML")


async def enterprise(fake, service, chat_id: int, city: str) -> None:
    await subscribe(fake, chat_id)
    service.store.apply_effects(chat_id, [UpdateProfile(city=city, asked=True)])


async def test_a_wuxi_organizer_sets_wuxis_date_over_telegram_and_only_wuxi_hears_of_it(
    fake_bot_api, bot_runner, service, clock
):
    app = await bot_runner.start(service, limits=FAST)
    await enterprise(fake_bot_api, service, WUXI_ENT, "无锡")
    await enterprise(fake_bot_api, service, SUZHOU_ENT, "苏州")
    province = CalendarDate(year=2027, milestone="submission", day=date(2027, 6, 30))
    service.store.set_calendar_date(service.store.operator(), province)
    await send_due(app)  # the province's publication reaches both
    for chat in (WUXI_ENT, SUZHOU_ENT):
        assert sent_to(fake_bot_api, chat, "日程已设定")

    done = await command(fake_bot_api, WUXI_ORG, "calendar_set",
                         "2027 submission 2027-05-31 报送至无锡市经信委科技处")  # fmt: skip
    assert "已设定" in done and "无锡市" in done
    await send_due(app)
    [told] = sent_to(fake_bot_api, WUXI_ENT, "无锡市经信委设定了")
    assert "本市企业报送截止：2027年5月31日（还有60天" in told and "科技处" in told
    assert sent_to(fake_bot_api, SUZHOU_ENT, "无锡") == []

    shown = await command(fake_bot_api, WUXI_ENT, "deadlines")
    assert shown.index("无锡市经信委设定") < shown.index(texts.SET_BY_ORGANIZERS)
    assert "本市企业报送截止：2027年5月31日" in shown and "报送推荐材料：2027年6月30日" in shown
    other = await command(fake_bot_api, SUZHOU_ENT, "deadlines")
    assert "无锡" not in other and "2027年5月31日" not in other

    clock.set(2027, 5, 1, 9, 0)  # 30 days before 无锡's date, 09:00 Shanghai
    await send_due(app)
    [reminder] = sent_to(fake_bot_api, WUXI_ENT, "⏰")
    assert "无锡市经信委设定的2027年" in reminder and "本市企业报送截止" in reminder
    assert "还有30天" in reminder and "无锡市经信委设定，非通知原文" in reminder
    assert sent_to(fake_bot_api, SUZHOU_ENT, "⏰") == []

    moved = await command(fake_bot_api, WUXI_ORG, "calendar_set", "2027 submission 2027-05-25")
    assert "2027年5月25日" in moved
    await send_due(app)
    [notice] = sent_to(fake_bot_api, WUXI_ENT, "日期已调整")
    assert "无锡市经信委设定的本市企业报送截止改为 2027年5月25日" in notice
    assert sent_to(fake_bot_api, SUZHOU_ENT, "日期已调整") == []
    clock.set(2027, 5, 18, 9, 0)  # 7 days before the moved date
    await send_due(app)
    assert any("2027年5月25日（还有7天）" in r for r in sent_to(fake_bot_api, WUXI_ENT, "⏰"))
    assert sent_to(fake_bot_api, SUZHOU_ENT, "⏰") == []


async def test_a_city_organizer_is_refused_the_provinces_and_another_citys_dates(
    fake_bot_api, bot_runner, service
):
    await bot_runner.start(service, limits=FAST)
    province = await command(fake_bot_api, WUXI_ORG, "calendar_set",
                             "province 2027 submission 2027-06-01")  # fmt: skip
    assert province == texts.CALSET_NOT_YOUR_SCOPE.format(own="无锡市", scope="全省")
    suzhou = await command(fake_bot_api, WUXI_ORG, "calendar_set",
                           "city:苏州 2027 submission 2027-05-01")  # fmt: skip
    assert "只能设定无锡市自己的日程，不能设定苏州市的" in suzhou
    enterprise_tries = await command(fake_bot_api, SUZHOU_ENT, "calendar_set",
                                     "2027 submission 2027-05-01")  # fmt: skip
    assert enterprise_tries == texts.CALSET_ADMIN_ONLY
    assert service.store.db.execute("SELECT count(*) FROM calendar").fetchone()[0] == 0
