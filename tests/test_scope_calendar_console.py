"""日程 in the organizers' console (/org/calendar): the 无锡 organizer, signed in by the mailed
link, sets 无锡's submission date with a form carrying the CSRF token; the subscribed 无锡
enterprise is told, a 无锡 visitor of the web page sees the date in /deadlines, the 苏州 one does
not; a forged form for the province's or 苏州's dates is refused by the store with the reason,
nothing stored; a bad date is refused next to its field."""

from __future__ import annotations

import html
import re

from bot.web.sessions import WebSessions
from conversations import texts
from conversations.core import UpdateProfile
from tests.test_org import SAME_SITE
from tests.test_org_broadcasts import WUXI, WUXI_CHAT, hidden_fields, site  # noqa: F401
from tests.web_visitor import Visitor

NOTE = "报送至无锡市经信委科技处"


def dates(site) -> list[tuple]:  # noqa: F811
    return site.store.db.execute("SELECT scope, milestone, day FROM calendar").fetchall()


async def set_date(browser, **fields: str):
    page = await browser.get("/org/calendar")
    form = {"csrf": hidden_fields(page.text)["csrf"], "year": "2027", "scope": "city:无锡",
            "milestone": "local/submission", "day": "2027-05-31", "note": NOTE,
            **fields}  # fmt: skip
    return await browser.post("/org/calendar", data=form, headers=SAME_SITE)


def options(page: str, select: str) -> list[str]:
    part = page.split(f'id="{select}"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]+)"', part)


async def test_the_wuxi_organizer_sets_wuxis_date_and_wuxi_alone_hears_of_it(site):  # noqa: F811
    browser = await site.signed_in(WUXI)
    page = await browser.get("/org/calendar")
    assert page.status_code == 200 and texts.ORG_CAL_EMPTY in page.text
    assert 'href="/org/calendar" aria-current="page">日程</a>' in page.text
    assert options(page.text, "scope") == ["city:无锡"]  # its own scope only
    assert options(page.text, "milestone") == [
        "local/submission",
        "local/prereview",
        "local/training",
    ]
    assert "本市企业报送截止" in page.text and "<script" not in page.text

    sent = await set_date(browser)
    assert sent.status_code == 303 and sent.headers["location"] == "/org/calendar?done=set"
    listed = (await browser.get(sent.headers["location"])).text
    assert texts.ORG_CAL_DONE["set"] in listed and "2027-05-31" in listed and NOTE in listed
    assert "无锡市经信委设定，非通知原文" in listed
    assert dates(site) == [("city:无锡", "submission", "2027-05-31")]
    audit = site.store.db.execute("SELECT scope FROM audit WHERE action = 'calendar'").fetchall()
    assert audit == [("city:无锡",)]

    await site.dispatcher.drain("telegram")
    [told] = [t for t in site.telegram.texts(str(WUXI_CHAT)) if "无锡市经信委设定了" in t]
    assert "本市企业报送截止：2027年5月31日" in told and NOTE in told
    suzhou_rows = site.store.db.execute(
        "SELECT count(*) FROM reminders r JOIN users u ON u.chat_id = r.chat_id"
        " WHERE u.city LIKE '苏州%' AND r.milestone LIKE 'city:无锡/%'"
    ).fetchone()[0]
    assert suzhou_rows == 0

    moved = await set_date(browser, day="2027-05-25")
    assert moved.headers["location"] == "/org/calendar?done=moved"
    await site.dispatcher.drain("telegram")
    assert any("改为 2027年5月25日" in t for t in site.telegram.texts(str(WUXI_CHAT)))


async def test_a_wuxi_web_visitor_sees_the_date_and_the_suzhou_one_does_not(site):  # noqa: F811
    browser = await site.signed_in(WUXI)
    assert (await set_date(browser)).status_code == 303
    wuxi = Visitor(site.browser())
    await wuxi.open()
    sessions = WebSessions(site.store.db, clock=site.store.clock, forget_chat=site.store.forget)
    chat = sessions.find(wuxi.client.cookies["biaogan_session"])
    site.store.apply_effects(chat, [UpdateProfile(city="无锡", asked=True)])
    [shown] = [m for m in await wuxi.say("/deadlines") if m["from"] == "bot"]
    assert "无锡市经信委设定的2027年日程" in shown["text"]
    assert "本市企业报送截止：2027年5月31日（还有91天）" in shown["text"] and NOTE in shown["text"]
    suzhou = Visitor(site.visitor)
    await suzhou.open()
    [other] = [m for m in await suzhou.say("/deadlines") if m["from"] == "bot"]
    assert "无锡" not in other["text"] and "2027年5月31日" not in other["text"]
    await wuxi.client.aclose()


async def test_a_forged_form_for_the_provinces_or_suzhous_dates_is_refused(site):  # noqa: F811
    browser = await site.signed_in(WUXI)
    province = await set_date(browser, scope="province", milestone="province/submission")
    assert province.status_code == 403
    assert texts.CALSET_NOT_YOUR_SCOPE.format(own="无锡市", scope="全省") in html.unescape(
        province.text
    )
    suzhou = await set_date(browser, scope="city:苏州")
    assert suzhou.status_code == 403 and "不能设定苏州市的" in html.unescape(suzhou.text)
    no_token = await set_date(browser, csrf="0" * 64)
    assert no_token.status_code == 403
    wrong_group = await set_date(browser, milestone="province/announcement")
    assert wrong_group.status_code == 400 and "不是无锡市可以设定的节点" in html.unescape(
        wrong_group.text
    )
    bad_day = await set_date(browser, day="2027-02-30")
    assert bad_day.status_code == 400
    error = re.search(r'<p id="day-error" class="field-message"[^>]*>([^<]*)</p>', bad_day.text)
    assert error and "无法识别" in html.unescape(error.group(1))
    other_year = await set_date(browser, day="2028-05-31")
    assert "不在 2027 年内" in html.unescape(other_year.text)
    assert dates(site) == []
    removing = await browser.post(
        "/org/calendar/remove",
        data={"csrf": hidden_fields((await browser.get("/org/calendar")).text)["csrf"],
              "year": "2027", "scope": "province", "milestone": "submission"},
        headers=SAME_SITE,
    )  # fmt: skip
    assert removing.status_code == 403
