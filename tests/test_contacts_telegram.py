"""Contact cards over Telegram: the real Application polling the fake Bot API server, a card
set by ``biaogan contact set``'s store call beforehand; each assertion on the message the user
reads (HTML as Telegram checks it)."""

from __future__ import annotations

from bot.store import Store
from conversations import texts
from conversations.contacts import make_card
from tests.fake_bot_api import visible_text

WUXI_CARD = {"unit": "无锡市经信委", "person": "陈科长", "phone": "0510-81234567",
             "address": "无锡市观山路199号<3号楼>", "hours": "工作日 9:00-17:00"}  # fmt: skip
PHONE_2016 = "025-83392940"
NAMED = "无锡市经信委（组织单位提供）陈科长，电话：0510-81234567；或2016年通知所列联系人"


async def said(fake_bot_api, chat_id: int, text: str):
    fake_bot_api.send_text(chat_id, text)
    call = await fake_bot_api.wait_for_reply(chat_id)
    return visible_text(call.text, call.params.get("parse_mode")), call.button_labels()


async def pressed(fake_bot_api, chat_id: int, label: str) -> str:
    fake_bot_api.press_label(chat_id, label)
    call = await fake_bot_api.wait_for_reply(chat_id)
    return visible_text(call.text, call.params.get("parse_mode"))


async def test_tg_the_city_asked_by_one_tap_then_its_card_first(
    fake_bot_api, bot_runner, bot_settings
):
    store = Store(bot_settings.db_path)
    store.set_contact_card(store.operator(), make_card("city:无锡", **WUXI_CARD))
    store.close()
    await bot_runner.start()
    wuxi, suzhou = 4101, 4102

    text, buttons = await said(fake_bot_api, wuxi, "人工")
    assert text.startswith(texts.HUMAN_LEAD) and PHONE_2016 in text and "陈科长" not in text
    assert texts.CONTACT_ASK_CITY in text and {"无锡", "苏州", "宿迁"} <= set(buttons)
    card = await pressed(fake_bot_api, wuxi, "无锡")
    assert card.startswith("已记下所在城市：无锡市。")
    label = "无锡市经信委（组织单位提供，"
    assert "地址：无锡市观山路199号<3号楼>" in card  # the organizer's text, escaped, as typed
    assert card.index(label) < card.index("2016年通知") < card.index(PHONE_2016)

    text, _ = await said(fake_bot_api, wuxi, "联系人")
    assert text.index(label) < text.index("2016年通知所列联系人") and "陈科长" in text
    text, _ = await said(fake_bot_api, wuxi, "人工")
    assert text.startswith(texts.CONTACT_HUMAN_LEAD_CARDS) and label in text
    text, buttons = await said(fake_bot_api, wuxi, "获奖企业有奖金吗")
    assert NAMED in text and texts.CONTACT_CITY_BUTTON not in buttons
    text, _ = await said(fake_bot_api, wuxi, "明天南京天气怎么样")
    assert "陈科长" not in text and PHONE_2016 not in text

    text, buttons = await said(fake_bot_api, suzhou, "获奖企业有奖金吗")
    assert PHONE_2016 in text and "2016年通知所列联系人" in text and "无锡" not in text
    assert texts.CONTACT_CITY_BUTTON in buttons
    asked = await pressed(fake_bot_api, suzhou, texts.CONTACT_CITY_BUTTON)
    assert texts.CONTACT_ASK_CITY in asked
    chosen = await pressed(fake_bot_api, suzhou, "苏州")
    assert "苏州市的组织单位还没有在这里提供联系方式。" in chosen and "无锡" not in chosen
    text, _ = await said(fake_bot_api, suzhou, "联系人")
    assert "陈科长" not in text and "无锡" not in text and PHONE_2016 in text
