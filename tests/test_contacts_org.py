"""联系方式 in the organizers' console (/org/contacts) over real HTTP, and what the web page's
visitors then read: a 无锡 organizer, signed in by the mailed link, saves 无锡's card; a forged
scope, a form without its token or from another site, and empty, huge or malformed fields are
refused with a clear message and nothing stored; a 无锡 visitor of the web page gets the card
first (labelled), a 苏州 one never does; a visitor without a city is asked it with one tap."""

from __future__ import annotations

import html
import re

from conversations import texts
from tests.test_org import SAME_SITE
from tests.test_org_broadcasts import SUZHOU, WUXI, hidden_fields, site, web_visitor
from tests.web_visitor import Visitor

__all__ = ["site"]  # the fixture of tests/test_org_broadcasts.py, used here

CARD = {"unit": "无锡市经信委", "person": "陈科长", "phone": "0510-81234567",
        "address": "无锡市观山路199号", "hours": "工作日 9:00-17:00"}  # fmt: skip
LABEL = "无锡市经信委（组织单位提供，2027-03-01更新）"
PHONE_2016 = "025-83392940"
NOT_IN_NOTICE = "获奖企业有奖金吗"


async def save(browser, **fields: str):
    form = hidden_fields((await browser.get("/org/contacts")).text)
    return await browser.post("/org/contacts", data={**form, **fields}, headers=SAME_SITE)


def errors(page: str) -> dict[str, str]:
    found = re.findall(r'<p id="(\w+)-error" class="field-message" role="alert">([^<]*)</p>', page)
    return {field: html.unescape(message) for field, message in found}


def cards(site) -> list[tuple]:
    return site.store.db.execute("SELECT scope, unit, person, phone FROM contact_cards").fetchall()


async def test_a_wuxi_organizer_saves_its_card_and_wuxis_visitors_see_it_first(site):
    browser = await site.signed_in(WUXI)
    empty = await browser.get("/org/contacts")
    assert empty.status_code == 200 and texts.ORG_CONTACTS_EMPTY in empty.text
    assert 'href="/org/contacts" aria-current="page">联系方式</a>' in empty.text
    assert "无锡市的联系方式" in empty.text and 'name="scope" value="city:无锡"' in empty.text
    assert '<select id="choose"' not in empty.text  # a city edits its own scope only

    saved = await save(browser, **CARD)
    assert saved.status_code == 303
    assert saved.headers["location"] == "/org/contacts?done=set&scope=city%3A%E6%97%A0%E9%94%A1"
    listing = await browser.get(saved.headers["location"])
    assert texts.ORG_CONTACTS_DONE["set"] in listing.text
    assert "<td>陈科长</td>" in listing.text and 'value="0510-81234567"' in listing.text
    assert cards(site) == [("city:无锡", "无锡市经信委", "陈科长", "0510-81234567")]
    audit = site.store.db.execute("SELECT actor, scope FROM audit WHERE action = 'contact_set'")
    assert audit.fetchall() == [(site.wuxi_person, "city:无锡")]

    wuxi_page, _ = await web_visitor(site.app)  # a new visitor: no city yet
    visitor = Visitor(wuxi_page)
    await visitor.open()
    [*_, asked] = await visitor.say("人工")
    assert texts.CONTACT_ASK_CITY in asked["text"] and "陈科长" not in asked["text"]
    [*_, card] = await visitor.press("无锡")
    assert card["text"].startswith("已记下所在城市：无锡市。") and LABEL in card["text"]
    assert (
        card["text"].index(LABEL)
        < card["text"].index("2016年通知")
        < card["text"].index(PHONE_2016)
    )
    [*_, declined] = await visitor.say(NOT_IN_NOTICE)
    assert (
        "无锡市经信委（组织单位提供）陈科长，电话：0510-81234567；或2016年通知所列联系人"
        in (declined["text"])
    )
    [*_, contact] = await visitor.say("联系人")
    assert LABEL in contact["text"] and "0510-81234567" in contact["text"]
    await wuxi_page.aclose()

    suzhou = Visitor(site.visitor)  # a 苏州 enterprise on the web page
    await suzhou.open()
    for asked_text in ("联系人", "人工", NOT_IN_NOTICE):
        [*_, reply] = await suzhou.say(asked_text)
        assert "无锡" not in reply["text"] and "陈科长" not in reply["text"], asked_text
        assert PHONE_2016 in reply["text"], asked_text
    await browser.aclose()


async def test_another_scope_forged_bad_fields_and_forged_forms_store_nothing(site):
    browser = await site.signed_in(WUXI)
    forged = await save(browser, **{**CARD, "scope": "city:苏州"})
    assert forged.status_code == 403
    assert "您是无锡市的组织单位，只能编辑无锡市的联系方式，不能编辑苏州市的。" in forged.text
    opened = await browser.get("/org/contacts?scope=province")
    assert opened.status_code == 403 and "不能编辑江苏省（全省）的" in opened.text

    empty = await save(browser, **{**CARD, "person": " ", "phone": ""})
    assert empty.status_code == 400
    assert errors(empty.text) == {"person": "请填写联系人。", "phone": "请填写电话。"}
    assert 'value="无锡市观山路199号"' in empty.text  # what was typed is kept
    huge = await save(browser, **{**CARD, "address": "路" * 100_000})
    assert huge.status_code in (400, 413)
    bad = await save(browser, **{**CARD, "phone": "0510-8123 ext. 5", "hours": "9点\r\n17点"})
    assert errors(bad.text) == {
        "phone": texts.CONTACT_ERR_PHONE,
        "hours": "办公时间只能写一行文字，不能包含换行或控制字符。",
    }
    no_token = await browser.post("/org/contacts", data=CARD, headers=SAME_SITE)
    assert no_token.status_code == 403
    token = hidden_fields((await browser.get("/org/contacts")).text)["csrf"]
    other_site = await browser.post(
        "/org/contacts",
        data={**CARD, "csrf": token},
        headers={"origin": "https://evil.example"},
    )
    assert other_site.status_code == 403
    assert cards(site) == []
    audited = "SELECT count(*) FROM audit WHERE action LIKE 'contact%'"
    assert site.store.db.execute(audited).fetchone()[0] == 0

    suzhou = await site.signed_in(SUZHOU)
    theirs = await save(suzhou, unit="苏州市经信委", person="张科长", phone="0512-65201234")
    assert theirs.status_code == 303
    removal = hidden_fields((await browser.get("/org/contacts")).text)
    refused = await browser.post(
        "/org/contacts/remove", data={**removal, "scope": "city:苏州"}, headers=SAME_SITE
    )
    assert refused.status_code == 403 and [row[0] for row in cards(site)] == ["city:苏州"]
    await browser.aclose()
    await suzhou.aclose()


async def test_the_province_edits_any_scopes_card(site):
    site.store.invite_by_email(site.store.operator(), "wang@jiangsu.gov.cn", "province", "王处长")
    browser = await site.signed_in("wang@jiangsu.gov.cn")
    page = await browser.get("/org/contacts")
    assert '<select id="choose" name="scope">' in page.text and '"city:宿迁"' in page.text
    opened = await browser.get("/org/contacts?scope=city:无锡")
    assert "无锡市的联系方式" in opened.text and 'name="scope" value="city:无锡"' in opened.text
    form = hidden_fields(opened.text)
    sent = await browser.post("/org/contacts", data={**form, **CARD}, headers=SAME_SITE)
    assert sent.status_code == 303 and cards(site)[0][0] == "city:无锡"
    removal = hidden_fields((await browser.get("/org/contacts?scope=city:无锡")).text)
    removed = await browser.post("/org/contacts/remove", data=removal, headers=SAME_SITE)
    assert removed.status_code == 303 and cards(site) == []
    await browser.aclose()
