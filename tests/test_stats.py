"""Statistics, export and grouped questions from a real store, scoped by the reader."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from bot.reports import export_csv, group_questions, stats_text
from bot.store import NotAllowed, Store
from bot.store.scope import Scope, narrowed
from conversations.reports import Period, parse_period, stats_json
from tests.stats_data import Clock, ask, check, enterprise, pick

TODAY = date(2026, 12, 1)


def suzhou(store: Store) -> int:
    """The person of Telegram user 900, an organizer of 苏州 (granted by the operator)."""
    person = store.telegram_person(900)
    if store.organizer(person) is None:
        store.grant(store.operator(), person, "city:苏州")
    return person


def province(store: Store) -> int:
    return store.operator()  # an admin: the province


@pytest.fixture
def store(tmp_path):
    clock = Clock(None)
    clock.at(2026, 1, 1)
    store = Store(tmp_path / "b.db", clock=clock)
    enterprise(store, clock, 1, (2026, 3, 2), enterprise_name="苏州甲公司", city="苏州")
    check(store, clock, 1, (2026, 3, 2), "not_eligible", ["c5"])
    check(store, clock, 1, (2026, 5, 9), "eligible")  # the latest one counts
    pick(store, clock, 1, (2026, 5, 9), 10)
    enterprise(store, clock, 2, (2026, 4, 1), enterprise_name="苏州乙公司", city="苏州市")
    check(store, clock, 2, (2026, 4, 1), "not_eligible", ["c2", "c5"])
    enterprise(store, clock, 3, (2026, 6, 1), enterprise_name="南京丙公司", city="南京")
    check(store, clock, 3, (2026, 6, 1), "eligible")
    pick(store, clock, 3, (2026, 6, 1), 3)
    enterprise(store, clock, 4, (2025, 6, 1), enterprise_name="去年的公司", city="苏州")
    check(store, clock, 4, (2025, 6, 1), "eligible")
    enterprise(store, clock, 5, (2026, 7, 1))  # no profile
    ask(store, clock, 1, (2026, 7, 2), "苏州有没有配套奖励？")
    ask(store, clock, 2, (2026, 7, 3), "苏州有没有配套奖励")
    ask(store, clock, 3, (2026, 7, 4), "南京的申报截止时间")
    yield store
    store.close()


def test_periods_are_parsed_this_year_by_default():
    assert parse_period("", TODAY) == Period.year(2026)
    assert parse_period("2027", TODAY) == Period.year(2027)
    assert parse_period("2026-01-01..2026-06-30", TODAY) == Period(
        date(2026, 1, 1), date(2026, 6, 30)
    )
    for bad in ("last year", "2026-13-01..2026-12-01", "2026-06-30..2026-01-01"):
        with pytest.raises(ValueError):
            parse_period(bad, TODAY)


def test_a_city_organizer_counts_their_city_only(store):
    stats = store.stats(suzhou(store), Period.year(2026))
    assert (stats.enterprises, stats.checked, stats.checks, stats.eligible) == (2, 2, 3, 1)
    assert dict(stats.failing) == {"c2": 1, "c5": 1}  # latest checks only: 乙 fails c2 and c5
    assert stats.areas == [(10, 1)]
    assert stats.by_city == []  # per month instead
    months = {m.label: (m.checked, m.eligible) for m in stats.by_month}
    assert (
        months["2026-03"] == (1, 0) and months["2026-05"] == (1, 1) and months["2026-04"] == (1, 0)
    )


def test_the_province_sees_every_city_and_the_period_holds(store):
    stats = store.stats(province(store), Period.year(2026))
    assert (stats.enterprises, stats.checked, stats.eligible) == (4, 3, 2)
    assert [(c.label, c.checked, c.eligible) for c in stats.by_city] == [
        ("南京", 1, 1),
        ("苏州", 2, 1),
        ("", 0, 0),
    ]
    assert store.stats(province(store), Period.year(2025)).checked == 1
    half = store.stats(province(store), Period(date(2026, 1, 1), date(2026, 4, 30)))
    assert (half.checks, half.checked, half.eligible) == (2, 2, 0)


def test_an_enterprise_is_refused_whatever_it_claims(store):
    for actor in (store.telegram_person(1), store.telegram_person(2)):
        for read in (
            lambda a: store.stats(a, Period.year(2026)),
            store.export_rows,
            store.unanswered_texts,
        ):
            with pytest.raises(NotAllowed):
                read(actor)


def test_the_message_names_conditions_and_areas_with_their_clause(store, kb):
    text = stats_text(store.stats(suzhou(store), Period.year(2026)), kb)
    assert text.startswith("统计 · 苏州市 · 2026年")
    assert "完成资格自测：2 家企业，共 3 次" in text and "1 家（50%）" in text
    assert "四(二)5" in text and "用户满意与客户关系管理" in text
    assert "南京" not in text


def test_json_has_the_same_numbers(store):
    data = stats_json(store.stats(province(store), Period.year(2026)))
    assert json.loads(json.dumps(data, ensure_ascii=False))["eligible"] == 2
    assert data["failing"] == {"c2": 1, "c5": 1}


def test_the_csv_opens_as_utf8_sig_and_holds_the_scope_only(store, kb):
    content = export_csv(store.export_rows(suzhou(store)), kb)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [r["企业名称"] for r in rows] == ["去年的公司", "苏州甲公司", "苏州乙公司"]
    first = rows[1]
    assert (first["城市"], first["最近自测结果"], first["自测日期"]) == (
        "苏州",
        "符合",
        "2026-05-09",
    )
    assert first["选定领域"] == "(10) 用户满意与客户关系管理"
    assert "5. " in rows[2]["不满足的条件"] and "2. " in rows[2]["不满足的条件"]
    assert (
        len(export_csv(store.export_rows(province(store)), kb).decode("utf-8-sig").splitlines())
        == 5
    )


def test_a_typed_formula_is_not_run_by_a_spreadsheet(store, kb):
    clock = store.clock
    enterprise(store, clock, 8, (2026, 8, 1), enterprise_name="=HYPERLINK(1)", city="苏州")
    rows = list(
        csv.reader(
            io.StringIO(export_csv(store.export_rows(suzhou(store)), kb).decode("utf-8-sig"))
        )
    )
    assert [r[0] for r in rows if "HYPERLINK" in r[0]] == ["'=HYPERLINK(1)"]


def test_an_export_is_audited_in_the_callers_transaction(store):
    with store.transaction():
        store.audit_export(suzhou(store), {"rows": 3})
    row = list(store.db["audit"].rows)[-1]
    who = store.person_label(row["actor"])
    assert (who, row["action"], row["scope"]) == ("900", "export", "city:苏州")
    with pytest.raises(RuntimeError), store.transaction():
        store.audit_export(suzhou(store), {"rows": 3})
        raise RuntimeError("the export failed")
    assert len(list(store.db["audit"].rows_where("action = 'export'"))) == 1  # rolled back


def test_unanswered_questions_are_grouped_and_scoped(store):
    groups = group_questions(store.unanswered_texts(province(store)))
    assert [(g.count, len(g.variants)) for g in groups] == [(2, 2), (1, 1)]
    assert "配套奖励" in groups[0].text
    local = store.unanswered_texts(suzhou(store))
    assert len(local) == 2 and not any("南京" in q for q in local)


def test_grouping_keeps_different_questions_apart():
    groups = group_questions(
        ["要交费吗", "要交费吗？", "要 交费吗", "截止日期是哪天", "名额有几个"]
    )
    assert [g.count for g in groups] == [3, 1, 1]


def test_scopes_parse_and_a_reader_narrows_only_within_its_own():
    assert str(Scope.parse("city:苏州市")) == "city:苏州"
    assert str(narrowed("province", "assoc:省机械行业协会")) == "assoc:省机械行业协会"
    assert str(narrowed("city:苏州", None)) == "city:苏州"
    with pytest.raises(NotAllowed):
        narrowed("city:苏州", "city:南京")
    with pytest.raises(ValueError):
        narrowed("province", "city:")


def test_organizers_are_not_counted_as_enterprises(store):
    before = store.stats(province(store), Period.year(2026)).enterprises
    store.touch_user(900, user_id=900)  # the Suzhou organizer uses the bot
    suzhou(store)
    assert store.stats(province(store), Period.year(2026)).enterprises == before
    store.revoke(store.operator(), store.telegram_person(900))
    assert store.stats(province(store), Period.year(2026)).enterprises == before + 1


def test_broadcasts_and_their_delivery_within_the_scope(store, kb):
    suzhou(store)
    store.grant(store.operator(), store.telegram_person(902), "city:南京")
    for chat in (1, 2, 3, 4):  # broadcasts reach subscribers
        store.subscribe(chat, 2026)
    store.create_broadcast(suzhou(store), 900, "city:苏州", "申报截止提醒")
    store.create_broadcast(store.telegram_person(902), 902, "city:南京", "南京的通知")
    store.db.execute("UPDATE deliveries SET status = 'sent' WHERE chat_id = 1")
    store.db.execute("UPDATE deliveries SET status = 'blocked' WHERE chat_id = 2")
    local = store.stats(suzhou(store), Period.year(2026))
    assert local.broadcasts == 1
    assert local.deliveries == {"sent": 1, "blocked": 1, "pending": 1}  # 去年的公司 too
    everyone = store.stats(province(store), Period.year(2026))
    assert everyone.broadcasts == 2 and sum(everyone.deliveries.values()) == 4
    text = stats_text(local, kb)
    assert "群发通知：1 次" in text and "已送达 1，待发送 1，对方已屏蔽 1" in text
    assert store.stats(suzhou(store), Period.year(2027)).broadcasts == 0


def test_subscriptions_are_counted_and_exported(store, kb):
    if not store.db["subscriptions"].exists():  # the calendar branch's table, as it defines it
        store.db["subscriptions"].create(
            {"chat_id": int, "year": int, "offsets": str, "active": int}, pk=("chat_id", "year")
        )
    for chat in (1, 2, 3):
        store.subscribe(chat, 2026, [7])
    store.unsubscribe(2, 2026)
    assert store.stats(suzhou(store), Period.year(2026)).subscriptions == 1
    assert store.stats(province(store), Period.year(2026)).subscriptions == 2
    assert store.stats(province(store), Period.year(2027)).subscriptions == 0
    assert "订阅提醒的企业：1" in stats_text(store.stats(suzhou(store), Period.year(2026)), kb)
    rows = csv.DictReader(
        io.StringIO(export_csv(store.export_rows(suzhou(store)), kb).decode("utf-8-sig"))
    )
    assert {r["企业名称"]: r["订阅提醒"] for r in rows} == {
        "去年的公司": "否",
        "苏州甲公司": "是",
        "苏州乙公司": "否",
    }


def test_a_city_organizers_chart_is_drawn_from_their_city_only(store):
    from bot.reports.chart import chart_labels, chart_rows

    stats = store.stats(suzhou(store), Period.year(2026))
    bars = {row.label: row.checked for row in chart_rows(stats) if row.checked}
    assert bars == {"2026-03": 1, "2026-04": 1, "2026-05": 1}  # not 南京丙公司's June check
    assert not any("南京" in label for label in chart_labels(stats))
    everyone = store.stats(province(store), Period.year(2026))
    assert [row.label for row in chart_rows(everyone)] == ["南京", "苏州", ""]
