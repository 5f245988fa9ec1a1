"""The console's 企业 (and its CSV), 未回答的问题 and 概览's additions, as organizers read them:
signed in by the mailed link (tests/test_org.py's fixture), over a store seeded with
enterprises in 苏州 and 无锡 (checks, areas, subscriptions on Telegram, the web page and
e-mail), and what a 苏州 organizer gets when they change the address to reach 无锡."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlite_utils import Database

from bot.reports import stats_text
from bot.store import Store, migrations
from conversations import texts
from conversations.core import (
    RecordAreaSuggestion,
    RecordCheck,
    RecordUnanswered,
    UpdateProfile,
)
from conversations.reports import Period
from tests.test_org import Console, clock, console, invite, server  # noqa: F401

WEB_CHAT = -(2**53) - 7
JINGGONG, YUANHANG, WEIZHI, HUAGUANG, TAIHU = 7350101, 7350102, 7350104, 7350201, 7350202
SUZHOU_NAMES = ("苏州精工有限公司", "苏州远航公司", "苏州网上企业", "苏州未自测公司")
SUZHOU_BY_LAST_SEEN = ("苏州远航公司", "苏州精工有限公司", "苏州网上企业", "苏州未自测公司")
WUXI_NAMES = ("无锡华光公司", "无锡太湖公司")
ADDRESSES = ("jinggong@example.cn", "huaguang@wuxi.example.cn")


def enterprise(site: Console, chat_id: int, day: int, name: str, city: str) -> None:
    """An enterprise that used the bot on 2027-02-``day`` and gave its name and city."""
    store = site.service.store
    site.clock.set(2027, 2, day, 10, 0)
    user_id = chat_id if chat_id > 0 else None
    store.touch_user(chat_id, user_id=user_id, username=f"u{chat_id}", first_name="联系人")
    store.apply(chat_id, UpdateProfile(enterprise_name=name, city=city))


def checked(site: Console, chat_id: int, verdict: str, failing=(), unsure=()) -> None:
    record = RecordCheck(
        answers={"c1a": True}, verdict=verdict, failing=list(failing), unsure=list(unsure),
        priority=False,
    )  # fmt: skip
    site.service.store.apply(chat_id, record)


def mailed(site: Console, chat_id: int, address: str) -> None:
    """The enterprise confirmed an e-mail address for 2027's reminders."""
    store = site.service.store
    email = store.ensure_destination("email", address, store.user(chat_id)["person_id"])
    store.subscribe(chat_id, 2027, destination_id=email)


def seed(site: Console) -> None:
    store = site.service.store
    enterprise(site, JINGGONG, 20, "苏州精工有限公司", "苏州")
    checked(site, JINGGONG, "not_eligible", ["c5"], ["c2"])
    store.apply(JINGGONG, RecordAreaSuggestion(text="QC小组", ranked=[3, 1], chosen=3))
    store.subscribe(JINGGONG, 2027)  # Telegram
    mailed(site, JINGGONG, ADDRESSES[0])
    enterprise(site, YUANHANG, 25, "苏州远航公司", "苏州")
    checked(site, YUANHANG, "not_eligible", ["c5"])
    checked(site, YUANHANG, "eligible")  # the latest counts
    enterprise(site, WEB_CHAT, 10, "苏州网上企业", "苏州")
    checked(site, WEB_CHAT, "unsure", [], ["c4", "c5"])
    store.subscribe(WEB_CHAT, 2027)  # the web page
    enterprise(site, WEIZHI, 5, "苏州未自测公司", "苏州市")
    enterprise(site, HUAGUANG, 26, "无锡华光公司", "无锡")
    checked(site, HUAGUANG, "eligible")
    store.subscribe(HUAGUANG, 2027)
    mailed(site, HUAGUANG, ADDRESSES[1])
    enterprise(site, TAIHU, 27, "无锡太湖公司", "无锡")
    checked(site, TAIHU, "not_eligible", ["c2"], ["c4"])
    store.subscribe(TAIHU, 2027)
    store.set_inactive(store.chat_destination(TAIHU), "blocked")  # gone: not subscribed now
    for chat_id, text in (
        (JINGGONG, "苏州有没有配套奖励？"),
        (YUANHANG, "苏州有没有配套奖励"),
        (WEB_CHAT, "苏州有没有配套奖励"),
        (WEB_CHAT, "评审专家是谁"),
        (HUAGUANG, "无锡的申报窗口在哪里"),
    ):
        store.apply(chat_id, RecordUnanswered(text=text))
    site.clock.set(2027, 3, 1, 9, 0)


@pytest.fixture
def seeded(console):  # noqa: F811
    seed(console)
    invite(console, "zhou@suzhou.gov.cn", "city:苏州", "周科长")
    invite(console, "sheng@js.gov.cn", "province", "省经信委")
    return console


@contextlib.asynccontextmanager
async def signed_in(site: Console, address: str) -> AsyncIterator[httpx.AsyncClient]:
    """A browser of its own, signed in with the link mailed to ``address``."""
    async with site.browser() as browser:
        await site.sign_in(browser, address)
        yield browser


def names_in(page: str) -> list[str]:
    """The enterprise names of the 企业 table, in order."""
    body = page.split("<tbody>", 1)[1] if "<tbody>" in page else ""
    return re.findall(r"<tr>\s*<td>([^<]+)</td>", body)


def csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def exports(store: Store) -> list[dict]:
    return list(store.db["audit"].rows_where("action = 'export'", order_by="id"))


# ---- 企业 ---------------------------------------------------------------------------------------


async def test_a_city_organizer_reads_their_citys_enterprises_only(seeded):
    async with signed_in(seeded, "zhou@suzhou.gov.cn") as browser:
        page = await browser.get("/org/enterprises")
    assert page.status_code == 200
    assert names_in(page.text) == list(SUZHOU_BY_LAST_SEEN)
    assert not any(name in page.text for name in WUXI_NAMES)
    assert 'aria-current="page">企业' in page.text
    row = page.text.split("苏州精工有限公司", 1)[1].split("</tr>", 1)[0]
    assert "暂不符合" in row and "不满足：5. " in row and "不确定：2. " in row
    assert "(3) " in row and "Telegram、电子邮件" in row and "2027-02-20 10:00" in row
    assert "网页" in page.text.split("苏州网上企业", 1)[1].split("</tr>", 1)[0]
    assert texts.ORG_NOT_CHECKED in page.text.split("苏州未自测公司", 1)[1]
    for private in (*ADDRESSES, str(JINGGONG), str(WEB_CHAT)):
        assert private not in page.text
    assert 'name="city"' not in page.text  # a city organizer has no city to choose
    assert "<script" not in page.text


async def test_the_filters_and_orders_of_the_form(seeded):
    async with signed_in(seeded, "zhou@suzhou.gov.cn") as browser:

        async def names(query: str) -> list[str]:
            page = await browser.get(f"/org/enterprises?{query}")
            assert page.status_code == 200, page.text
            return names_in(page.text)

        assert await names("verdict=eligible") == ["苏州远航公司"]
        assert await names("verdict=unsure") == ["苏州网上企业"]
        assert await names("verdict=none") == ["苏州未自测公司"]
        assert await names("subscribed=yes") == ["苏州精工有限公司", "苏州网上企业"]
        assert await names("subscribed=no") == ["苏州远航公司", "苏州未自测公司"]
        assert await names("q=精工") == ["苏州精工有限公司"]
        assert await names("q=%25") == []  # a typed % is a character, not a wildcard
        assert await names("city=苏州&verdict=not_eligible") == ["苏州精工有限公司"]
        assert await names("sort=verdict") == ["苏州远航公司", "苏州网上企业",
                                               "苏州精工有限公司", "苏州未自测公司"]  # fmt: skip
        assert await names("sort=name") == sorted(SUZHOU_NAMES)
        empty = await browser.get("/org/enterprises?q=不存在的企业")
        assert texts.ORG_ENTERPRISES_NONE_FILTERED in empty.text
        kept = await browser.get("/org/enterprises?verdict=unsure&sort=name")
        assert '<option value="unsure" selected>' in kept.text
        assert 'href="/org/enterprises.csv?verdict=unsure&amp;sort=name"' in kept.text


async def test_fifty_a_page_and_the_links_keep_the_filters(seeded):
    store = seeded.service.store
    seeded.clock.set(2027, 1, 3, 8, 0)
    with store.transaction():
        for n in range(120):
            store.touch_user(8000 + n, user_id=8000 + n)
            store.apply(8000 + n, UpdateProfile(enterprise_name=f"批量企业{n:03d}", city="南京"))
    seeded.clock.set(2027, 3, 1, 9, 0)
    async with signed_in(seeded, "sheng@js.gov.cn") as browser:
        first = await browser.get("/org/enterprises?city=南京&sort=name")
        assert names_in(first.text) == [f"批量企业{n:03d}" for n in range(50)]
        assert "共 120 家企业，第 1 / 3 页" in first.text
        assert 'href="/org/enterprises?city=%E5%8D%97%E4%BA%AC&amp;sort=name&amp;page=2"' in (
            first.text
        )
        last = await browser.get("/org/enterprises?city=南京&sort=name&page=3")
        assert names_in(last.text)[-1] == "批量企业119" and len(names_in(last.text)) == 20
        beyond = await browser.get("/org/enterprises?city=南京&sort=name&page=99")
        assert "第 3 / 3 页" in beyond.text  # the last page, said plainly
        everyone = await browser.get("/org/enterprises")
        assert "共 126 家企业" in everyone.text and 'name="city"' in everyone.text


async def test_the_csv_holds_the_filtered_rows_without_addresses_and_is_audited(seeded):
    store = seeded.service.store
    async with signed_in(seeded, "zhou@suzhou.gov.cn") as browser:
        response = await browser.get("/org/enterprises.csv?subscribed=yes")
        everything = await browser.get("/org/enterprises.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = csv_rows(response.content)
    assert list(rows[0]) == list(texts.EXPORT_HEADER)
    assert {r["企业名称"]: r["订阅方式"] for r in rows} == {
        "苏州精工有限公司": "Telegram、电子邮件",
        "苏州网上企业": "网页",
    }
    first = rows[0]
    assert (first["最近自测结果"], first["自测日期"], first["选定领域"][:4]) == (
        "暂不符合", "2027-02-20", "(3) "
    )  # fmt: skip
    assert first["不满足的条件"].startswith("5. ") and first["不确定的条件"].startswith("2. ")
    assert [r["企业名称"] for r in csv_rows(everything.content)] == list(SUZHOU_BY_LAST_SEEN)
    text = response.content.decode("utf-8-sig") + everything.content.decode("utf-8-sig")
    assert "@" not in text
    for private in (str(JINGGONG), str(YUANHANG), str(WEB_CHAT), "u7350101", *WUXI_NAMES):
        assert private not in text
    audit = exports(store)
    assert [(a["scope"], json.loads(a["detail"])) for a in audit] == [
        ("city:苏州", {"channel": "org", "rows": 2, "subscribed": "yes"}),
        ("city:苏州", {"channel": "org", "rows": 4}),
    ]
    assert store.person_label(audit[0]["actor"]).startswith("周科长")


async def test_the_contact_for_follow_up_is_shown_to_its_organizer_only(seeded):
    store = seeded.service.store
    store.apply(JINGGONG, UpdateProfile(contact_person="王经理", contact="0512-12345678"))
    store.apply(YUANHANG, UpdateProfile(contact="li@yuanhang.example.cn"))
    store.apply(HUAGUANG, UpdateProfile(contact_person="=陈主任", contact="13912345678"))
    invite(seeded, "chen@wuxi.gov.cn", "city:无锡", "陈科长")
    async with signed_in(seeded, "zhou@suzhou.gov.cn") as browser:
        page = (await browser.get("/org/enterprises")).text
        rows = csv_rows((await browser.get("/org/enterprises.csv")).content)
    heading = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert '<th scope="col">联系人</th><th scope="col">联系方式</th>' in heading
    row = page.split("苏州精工有限公司", 1)[1].split("</tr>", 1)[0]
    assert "<td>王经理</td>\n  <td>0512-12345678</td>" in row
    assert "li@yuanhang.example.cn" in page.split("苏州远航公司", 1)[1].split("</tr>", 1)[0]
    contacts = {r["企业名称"]: (r["联系人"], r["联系方式"]) for r in rows}
    assert contacts == {
        "苏州远航公司": ("", "li@yuanhang.example.cn"),
        "苏州精工有限公司": ("王经理", "0512-12345678"),
        "苏州网上企业": ("", ""),
        "苏州未自测公司": ("", ""),
    }
    for wuxi in ("陈主任", "13912345678"):
        assert wuxi not in page and all(wuxi not in v for r in rows for v in r.values())
    async with signed_in(seeded, "chen@wuxi.gov.cn") as browser:
        page = (await browser.get("/org/enterprises")).text
        rows = csv_rows((await browser.get("/org/enterprises.csv")).content)
    assert "<td>=陈主任</td>\n  <td>13912345678</td>" in page
    assert {r["企业名称"]: (r["联系人"], r["联系方式"]) for r in rows}["无锡华光公司"] == (
        "'=陈主任",
        "13912345678",
    )  # a typed '=' never starts a spreadsheet formula
    for suzhou in ("王经理", "0512-12345678", "li@yuanhang.example.cn"):
        assert suzhou not in page and all(suzhou not in v for r in rows for v in r.values())


async def test_a_suzhou_organizer_changing_the_address_reads_nothing_of_wuxi(seeded):
    store = seeded.service.store
    statements: list[str] = []
    async with signed_in(seeded, "zhou@suzhou.gov.cn") as browser:
        store.db.conn.set_trace_callback(statements.append)
        try:
            refused = [
                await browser.get(f"/org/{path}?city={city}")
                for path in ("enterprises", "enterprises.csv")
                for city in ("无锡", "无锡市", "%E6%97%A0%E9%94%A1")
            ]
        finally:
            store.db.conn.set_trace_callback(None)
        for response in refused:
            assert response.status_code == 403
            assert "您的范围（苏州市）不包括无锡市的企业" in response.text
            assert not any(name in response.text for name in WUXI_NAMES)
        assert not [s for s in statements if "FROM users" in s or "FROM checks" in s]
        assert exports(store) == []  # no file, no export recorded
        # Parameters the page does not take change nothing: still 苏州, all of it.
        for query in ("scope=city:无锡", "scope=province", "city=&scope=province"):
            page = await browser.get(f"/org/enterprises?{query}")
            assert sorted(names_in(page.text)) == sorted(SUZHOU_NAMES)
        for query in ("sort=chat_id", "verdict=all", "subscribed=1", "page=0", "page=x",
                      "city=东京", "sort=last_seen;DROP TABLE users"):  # fmt: skip
            bad = await browser.get(f"/org/enterprises.csv?{query}")
            assert bad.status_code == 400 and texts.ORG_BAD_FILTER in bad.text
        assert exports(store) == []
        wuxi_overview = await browser.get("/org/overview?by=city")
        assert wuxi_overview.status_code == 200 and "无锡" not in wuxi_overview.text


async def test_the_province_reads_every_city_and_filters_one(seeded):
    async with signed_in(seeded, "sheng@js.gov.cn") as browser:
        page = await browser.get("/org/enterprises?city=无锡")
        csv_file = await browser.get("/org/enterprises.csv?city=无锡")
    assert names_in(page.text) == ["无锡太湖公司", "无锡华光公司"]
    rows = {r["企业名称"]: r["订阅方式"] for r in csv_rows(csv_file.content)}
    assert rows == {"无锡太湖公司": "", "无锡华光公司": "Telegram、电子邮件"}  # 太湖 blocked us
    [audit] = exports(seeded.service.store)
    assert audit["scope"] == "province"
    assert json.loads(audit["detail"]) == {"channel": "org", "rows": 2, "city": "无锡"}


# ---- 未回答的问题 ------------------------------------------------------------------------------


async def test_the_unanswered_questions_grouped_within_the_scope(seeded):
    async with signed_in(seeded, "zhou@suzhou.gov.cn") as browser:
        local = await browser.get("/org/unanswered")
    assert local.status_code == 200 and 'aria-current="page">未回答的问题' in local.text
    rows = re.findall(r"<tr>\s*<td class=\"num\">(\d+)</td>\s*<td>([^<]+)</td>\s*"
                      r"<td class=\"num\">(\d+)</td>\s*<td class=\"detail\">([^<]*)</td>",
                      local.text)  # fmt: skip
    assert [(rank, text, n) for rank, text, n, _ in rows] == [
        ("1", "苏州有没有配套奖励", "3"),
        ("2", "评审专家是谁", "1"),
    ]
    assert rows[0][3] == "苏州有没有配套奖励？（1）"
    assert "苏州市的企业最近问到" in local.text and "（共 4 次）" in local.text
    assert "无锡的申报窗口" not in local.text
    async with signed_in(seeded, "sheng@js.gov.cn") as browser:
        everyone = await browser.get("/org/unanswered")
    assert "无锡的申报窗口在哪里" in everyone.text and "全省" in everyone.text


async def test_no_unanswered_questions_is_said_plainly(console):  # noqa: F811
    invite(console, "wang@nanjing.gov.cn", "city:南京", "王")
    async with signed_in(console, "wang@nanjing.gov.cn") as browser:
        page = await browser.get("/org/unanswered")
    assert page.status_code == 200 and "南京市还没有未能回答的问题。" in page.text


# ---- 概览 -------------------------------------------------------------------------------------


async def test_the_overview_counts_unsure_apart_and_subscriptions_per_channel(seeded):
    async with signed_in(seeded, "zhou@suzhou.gov.cn") as browser:
        page = (await browser.get("/org/overview?period=2027")).text
    table = page.split("最常不满足的基本条件", 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<td>(\d)\. [^<]*</td><td class=\"num\">(\d+)</td>"
                       r"<td class=\"num\">(\d+)</td>", table)  # fmt: skip
    # Latest checks: 精工 fails 5, unsure of 2; 网上企业 unsure of 4 and 5; 远航's later check
    # is eligible. Most failed first, then most unsure.
    assert cells == [("5", "1", "1"), ("2", "0", "1"), ("4", "0", "1")]
    channels = page.split(texts.ORG_CHANNELS_HEADING, 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<td>([^<]+)</td><td class=\"num\">(\d+)</td>", channels) == [
        ("Telegram", "1"), ("网页", "1"), ("电子邮件", "1")
    ]  # fmt: skip
    assert "<dd>2</dd>" in page.split("订阅提醒的企业", 1)[1][:40]  # 精工 (twice) and 网上企业
    assert 'name="by"' not in page and "分月份" in page


async def test_the_province_chooses_by_city_or_by_month(seeded):
    async with signed_in(seeded, "sheng@js.gov.cn") as browser:
        by_city = (await browser.get("/org/overview?period=2027")).text
        by_month = (await browser.get("/org/overview?period=2027&by=month")).text
        chart = await browser.get("/org/chart.png?period=2027&by=month")
        bad = await browser.get("/org/overview?by=week")
    assert '<option value="city" selected>' in by_city and "<h2>分城市</h2>" in by_city
    assert "<td>无锡</td>" in by_city and "<td>苏州</td>" in by_city
    assert '<option value="month" selected>' in by_month and "<h2>分月份</h2>" in by_month
    assert "<td>2027-02</td>" in by_month and "chart.png?period=2027&amp;by=month" in by_month
    assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")
    assert bad.status_code == 400


def test_the_stats_message_counts_unsure_and_channels_too(seeded, kb):
    store = seeded.service.store
    person = store.db.execute(
        "SELECT person_id FROM organizers WHERE scope = 'city:苏州'"
    ).fetchone()[0]
    stats = store.stats(person, Period.year(2027))
    assert stats.failing == [("c5", 1)] and stats.unsure == [("c2", 1), ("c4", 1), ("c5", 1)]
    assert stats.channels == {"telegram": 1, "web": 1, "email": 1} and stats.subscriptions == 2
    text = stats_text(stats, kb)
    assert "订阅提醒的企业：2\n  按方式：Telegram 1，网页 1，电子邮件 1" in text
    assert texts.STATS_UNSURE_HEADER in text and "  4. " in text.split(texts.STATS_UNSURE_HEADER)[1]
    province = store.stats(store.operator(), Period.year(2027))
    assert province.channels == {"telegram": 2, "web": 1, "email": 2}  # 太湖's chat is gone
    assert store.stats(store.operator(), Period.year(2027), by="month").by_city == []


# ---- the migration ----------------------------------------------------------------------------


def test_checks_from_before_get_their_unsure_conditions(tmp_path):
    db = Database(tmp_path / "old.db")
    migrations.apply(db, stop_before="m015_enterprise_roster")
    answers = {"c1a": True, "c1b": True, "c2": None, "c4": False, "c5_years": 5}
    db["checks"].insert(
        {"chat_id": 1, "at": "2026-05-01T10:00:00+08:00", "answers": json.dumps(answers),
         "verdict": "not_eligible", "failing": '["c4"]', "priority": 0}
    )  # fmt: skip
    db.close()
    store = Store(tmp_path / "old.db")
    [row] = store.db["checks"].rows
    assert json.loads(row["unsure"]) == ["c2", "c5", "c6"]
    store.close()
