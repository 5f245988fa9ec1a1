"""Contact cards per scope (issue 19, 2) through the real store on disk: who may edit which
card, what is refused, ``biaogan contact``, and what an enterprise reads — its own organizer's
card first, labelled as that unit's, then the notice's contacts said as 2016's; never another
city's; without a city, one tap asks it."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.config import Settings
from bot.service import ChatService
from bot.store.contacts import CardNotYours
from conversations import texts
from conversations.contacts import CardInputError, ContactCard, make_card
from conversations.core import CallbackEvent, CommandEvent, TextEvent, UpdateProfile
from tests.driver import Clock

PHONE_2016 = "025-83392940"
WUXI_CARD = {"unit": "无锡市经信委", "person": "陈科长", "phone": "0510-81234567",
             "address": "无锡市观山路199号", "hours": "工作日 9:00-17:00"}  # fmt: skip
WUXI_LABEL = "无锡市经信委（组织单位提供，2027-03-01更新）"
NOT_IN_NOTICE = "获奖企业有奖金吗"
WUXI_CHAT, SUZHOU_CHAT, NEW_CHAT = 701, 702, 703


@pytest.fixture
def service(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path)
    opened = ChatService.open(settings, clock=Clock(2027, 3, 1, 9, 0))
    yield opened
    opened.close()


def organizer(service: ChatService, scope: str) -> int:
    store = service.store
    person = store.new_person("person", scope)
    store.grant(store.operator(), person, scope)
    return person


def enterprise(service: ChatService, chat: int, city: str | None) -> None:
    with service.store.transaction():
        service.store.touch_user(chat, user_id=chat)
        if city:
            service.store.apply(chat, UpdateProfile(city=city))


def said(service: ChatService, chat: int, text: str) -> tuple[str, list[str]]:
    [*_, reply] = service.handle(service.actor(chat, chat), TextEvent(text=text)).replies
    return reply.text, [b.label for row in reply.buttons for b in row]


def counted(service: ChatService, action: str | None = None) -> int:
    if action is None:
        return service.store.db["contact_cards"].count
    sql = "SELECT count(*) FROM audit WHERE action = ?"
    return service.store.db.execute(sql, [action]).fetchone()[0]


# ---- who may edit which card --------------------------------------------------------------


def test_a_city_organizer_edits_its_own_card_only_and_the_province_any(service):
    wuxi = organizer(service, "city:无锡")
    card = make_card("city:无锡", **WUXI_CARD)
    assert service.store.set_contact_card(wuxi, card) == "set"
    assert service.store.set_contact_card(wuxi, card) == "same"
    assert counted(service, "contact_set") == 1  # audited once: nothing changed the second time
    with pytest.raises(CardNotYours) as refused:
        service.store.set_contact_card(wuxi, make_card("city:苏州", **WUXI_CARD))
    refusal = "您是无锡市的组织单位，只能编辑无锡市的联系方式，不能编辑苏州市的。"
    assert str(refused.value) == refusal
    with pytest.raises(CardNotYours):
        service.store.set_contact_card(wuxi, make_card("province", **WUXI_CARD))
    with pytest.raises(CardNotYours):
        service.store.remove_contact_card(wuxi, "province")
    assert [c.scope for c in service.store.all_contact_cards()] == ["city:无锡"]

    province = organizer(service, "province")
    suzhou = make_card("city:苏州", unit="苏州市经信委", person="张科长", phone="0512-65201234")
    assert service.store.set_contact_card(province, suzhou) == "set"
    enterprise_person = service.store.person_of("telegram", "9999")
    with pytest.raises(CardNotYours) as nobody:
        service.store.set_contact_card(enterprise_person, card)
    assert str(nobody.value) == texts.CONTACT_NOT_ORGANIZER
    assert service.store.remove_contact_card(wuxi, "city:无锡") is True
    assert service.store.remove_contact_card(wuxi, "city:无锡") is False
    assert [c.scope for c in service.store.all_contact_cards()] == ["city:苏州"]
    assert counted(service, "contact_remove") == 1


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("unit", "", "请填写单位。"),
        ("person", "   ", "请填写联系人。"),
        ("phone", "", "请填写电话。"),
        ("phone", "call me", texts.CONTACT_ERR_PHONE),
        ("phone", "123", texts.CONTACT_ERR_PHONE),
        ("phone", "0510-8123<script>", texts.CONTACT_ERR_PHONE),
        ("person", "陈" * 21, "联系人最多20个字（现在是21个字）。"),
        ("address", "路" * 5000, "地址最多80个字（现在是5000个字）。"),
        ("hours", "9:00\n17:00", "办公时间只能写一行文字，不能包含换行或控制字符。"),
        ("unit", "无锡\x00经信委", "单位只能写一行文字，不能包含换行或控制字符。"),
        ("unit", "无", "单位至少2个字。"),
    ],
)
def test_empty_huge_or_malformed_fields_are_refused_nothing_stored(service, field, value, says):
    wuxi = organizer(service, "city:无锡")
    with pytest.raises(CardInputError) as refused:
        make_card("city:无锡", **{**WUXI_CARD, field: value})
    assert refused.value.field == field and refused.value.message == says
    forged = ContactCard(scope="city:无锡", **{**WUXI_CARD, field: value})  # past any form
    with pytest.raises(CardInputError):
        service.store.set_contact_card(wuxi, forged)
    assert counted(service) == 0 and counted(service, "contact_set") == 0


def test_a_scope_that_is_none_is_refused(service):
    with pytest.raises(CardInputError) as refused:
        make_card("city:杭州", **WUXI_CARD)
    assert refused.value.field == "scope" and "杭州" in refused.value.message


# ---- what an enterprise reads ---------------------------------------------------------------


def test_a_wuxi_enterprise_sees_wuxis_card_first_then_2016s_labelled(service):
    service.store.set_contact_card(service.store.operator(), make_card("city:无锡", **WUXI_CARD))
    enterprise(service, WUXI_CHAT, "无锡")
    for asked in ("联系人", "人工"):
        text, buttons = said(service, WUXI_CHAT, asked)
        assert WUXI_LABEL in text and "陈科长" in text and "0510-81234567" in text
        assert "无锡市观山路199号" in text and "工作日 9:00-17:00" in text
        assert text.index(WUXI_LABEL) < text.index("2016年通知") < text.index(PHONE_2016)
        assert "南京" not in buttons  # the city is known: not asked
    menu = service.handle(service.actor(WUXI_CHAT, WUXI_CHAT), CallbackEvent(data="m:open:contact"))
    assert WUXI_LABEL in menu.replies[0].text
    command = service.handle(service.actor(WUXI_CHAT, WUXI_CHAT), CommandEvent(name="contact"))
    assert WUXI_LABEL in command.replies[0].text

    text, buttons = said(service, WUXI_CHAT, NOT_IN_NOTICE)
    assert "没有关于这个问题的规定" in text
    named = "无锡市经信委（组织单位提供）陈科长，电话：0510-81234567；或2016年通知所列联系人"
    assert named in text and PHONE_2016 in text
    assert texts.CONTACT_CITY_BUTTON not in buttons
    other_year, _ = said(service, WUXI_CHAT, "2028年什么时候报送材料")
    assert named in other_year
    weather, _ = said(service, WUXI_CHAT, "明天南京天气怎么样")
    assert "陈科长" not in weather and PHONE_2016 not in weather  # off-topic: no contacts


def test_a_suzhou_enterprise_never_sees_wuxis_card(service):
    store = service.store
    store.set_contact_card(store.operator(), make_card("city:无锡", **WUXI_CARD))
    province = make_card("province", unit="江苏省经信委", person="李处长", phone="025-83390000")
    store.set_contact_card(store.operator(), province)
    enterprise(service, SUZHOU_CHAT, "苏州")
    for asked in ("联系人", "人工", NOT_IN_NOTICE, "2028年什么时候报送材料"):
        text, _ = said(service, SUZHOU_CHAT, asked)
        assert "无锡" not in text and "陈科长" not in text, asked
        assert "江苏省经信委（组织单位提供" in text and PHONE_2016 in text, asked
    text, _ = said(service, SUZHOU_CHAT, "人工")
    assert "苏州市的组织单位还没有在这里提供联系方式。" in text
    assert text.index("江苏省经信委（组织单位提供") < text.index("2016年通知")


def test_without_a_city_one_tap_asks_it_and_shows_the_card(service):
    service.store.set_contact_card(service.store.operator(), make_card("city:无锡", **WUXI_CARD))
    enterprise(service, NEW_CHAT, None)
    actor = service.actor(NEW_CHAT, NEW_CHAT)
    text, buttons = said(service, NEW_CHAT, NOT_IN_NOTICE)
    assert "2016年通知所列联系人" in text and PHONE_2016 in text and "陈科长" not in text
    assert texts.CONTACT_CITY_BUTTON in buttons
    [reply] = service.handle(actor, CallbackEvent(data="m:open:contact")).replies
    assert texts.CONTACT_ASK_CITY in reply.text and "陈科长" not in reply.text
    assert "2016年通知（苏经信科技〔2016〕222号）所列联系人" in reply.text
    cities = {b.label: b.data for row in reply.buttons for b in row}
    assert len([c for c in cities if c in ("南京", "无锡", "宿迁")]) == 3
    [card] = service.handle(actor, CallbackEvent(data=cities["无锡"])).replies
    assert card.text.startswith("已记下所在城市：无锡市。") and WUXI_LABEL in card.text
    assert service.store.profile(NEW_CHAT).city == "无锡"  # stored by UpdateProfile
    again, buttons = said(service, NEW_CHAT, NOT_IN_NOTICE)
    assert "陈科长" in again and texts.CONTACT_CITY_BUTTON not in buttons
    stale = service.handle(actor, CallbackEvent(data="m:city:99")).replies[0]
    assert stale.text == texts.CALLBACK_STALE and service.store.profile(NEW_CHAT).city == "无锡"


# ---- biaogan contact ----------------------------------------------------------------------


def cli(monkeypatch, tmp_path, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("BIAOGAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_cli_sets_lists_and_removes_a_card(monkeypatch, tmp_path, capsys):
    fields = [f"--{k}={v}" for k, v in WUXI_CARD.items()]
    wuxi = ["contact", "set", "--scope", "city:无锡"]
    code, out = cli(monkeypatch, tmp_path, capsys, *wuxi, *fields)
    assert code == 0 and out.startswith("已保存：city:无锡\n无锡市经信委（组织单位提供，")
    code, out = cli(monkeypatch, tmp_path, capsys, "contact", "list")
    assert code == 0 and out.startswith("city:无锡\t无锡市经信委\t陈科长\t0510-81234567\t")

    bad = ["--unit", "无锡市经信委", "--person", "陈科长", "--phone", "请拨总机"]
    code, out = cli(monkeypatch, tmp_path, capsys, "contact", "set", "--scope", "city:无锡", *bad)
    assert code == 2 and out.strip() == texts.CONTACT_ERR_PHONE
    huge = ["--unit", "单" * 500, "--person", "陈科长", "--phone", "0510-81234567"]
    code, out = cli(monkeypatch, tmp_path, capsys, "contact", "set", "--scope", "city:苏州", *huge)
    assert code == 2 and "单位最多40个字" in out
    code, out = cli(monkeypatch, tmp_path, capsys, "contact", "set", "--scope", "上海", *fields)
    assert code == 2 and "范围“上海”无法识别" in out
    code, out = cli(monkeypatch, tmp_path, capsys, "contact", "list")
    assert out.count("\n") == 1 and "0510-81234567" in out  # nothing else stored

    from bot.store import Store

    store = Store(tmp_path / "data" / "biaogan.db")
    audited = store.db.execute("SELECT actor, scope FROM audit WHERE action = 'contact_set'")
    assert audited.fetchall() == [(store.operator(), "city:无锡")]
    store.close()
    code, out = cli(monkeypatch, tmp_path, capsys, "contact", "remove", "--scope", "city:无锡")
    assert code == 0 and "已删除" in out
    code, out = cli(monkeypatch, tmp_path, capsys, "contact", "remove", "--scope", "city:无锡")
    assert code == 2 and "没有登记联系方式" in out


def test_the_common_questions_button_about_the_contacts_shows_the_card_first(service):
    service.store.set_contact_card(service.store.operator(), make_card("city:无锡", **WUXI_CARD))
    enterprise(service, WUXI_CHAT, "无锡")
    actor = service.actor(WUXI_CHAT, WUXI_CHAT)
    [listing] = service.handle(actor, CommandEvent(name="faq")).replies
    data = next(b.data for row in listing.buttons for b in row if b.data == "f:q:contact")
    [reply] = service.handle(actor, CallbackEvent(data=data)).replies
    assert reply.text.index(WUXI_LABEL) < reply.text.index("2016年通知所列联系人：")


def test_the_cards_unit_names_the_organizer_everywhere_it_signs(service):
    """Cities' 经信委 became 工业和信息化局: the unit on the card is who set the dates (in
    /deadlines) and a unit the organizer may sign answers and files as; another scope's card
    does not let it sign as that unit."""
    store = service.store
    wuxi_user = 7801  # the organizer on Telegram
    wuxi = store.telegram_person(wuxi_user)
    store.grant(store.operator(), wuxi, "city:无锡")
    renamed = {**WUXI_CARD, "unit": "无锡市工业和信息化局"}
    store.set_contact_card(wuxi, make_card("city:无锡", **renamed))
    assert store.signing_units("city:无锡")[0] == "无锡市工业和信息化局"
    assert "无锡市工业和信息化局" not in store.signing_units("city:苏州")
    actor = service.actor(wuxi_user, wuxi_user)
    done = service.handle(
        actor, CommandEvent(name="calendar_set", args="2027 submission 2027-05-31")
    )
    assert "已设定" in done.replies[0].text
    enterprise(service, WUXI_CHAT, "无锡")
    [*_, shown] = service.handle(
        service.actor(WUXI_CHAT, WUXI_CHAT), CommandEvent(name="deadlines")
    ).replies
    assert "无锡市工业和信息化局设定" in shown.text and "无锡市经信委设定" not in shown.text


def test_the_kept_result_names_the_enterprises_own_organizer_before_2016s(service):
    """The self-check's result as printed and in the PDF: 无锡's card before the 2016
    notice's contacts for a 无锡 enterprise, the 2016 contacts alone for one without a card."""
    from conversations.core import Profile
    from conversations.keep import KeptCheck, result_sections

    service.store.set_contact_card(service.store.operator(), make_card("city:无锡", **WUXI_CARD))
    answers = {"c1": "yes", "c2": "yes", "c3": "no", "c4": "yes", "c5_years": 4,
               "c5_effective": "yes", "c6": "yes"}  # fmt: skip
    kept = KeptCheck(answers, "2027-03-01")
    wuxi = result_sections(service.ctx, Profile(city="无锡"), kept, None)[0].body
    assert "陈科长" in wuxi and wuxi.index("陈科长") < wuxi.index(PHONE_2016)
    suzhou = result_sections(service.ctx, Profile(city="苏州"), kept, None)[0].body
    assert "陈科长" not in suzhou and PHONE_2016 in suzhou
