"""Organizers' reports and /forget over Telegram: the real Application polling the fake Bot API
server; the files the bot uploads are read back from the multipart request (CSV, PNG)."""

from __future__ import annotations

import csv
import io

import pytest

from bot.service import ChatService
from bot.store import Store
from conversations import texts
from conversations.core import Context
from tests.fake_bot_api import visible_text
from tests.stats_data import Clock, ask, check, enterprise, pick

SUZHOU_ORGANIZER, NANJING_ORGANIZER, ADMIN = 9001, 9002, 9003


@pytest.fixture
def service(bot_settings, kb):
    """Two city organizers granted by the admin (BIAOGAN_ADMIN_IDS), and enterprises."""
    settings = bot_settings.model_copy(update={"admin_ids": [ADMIN]})
    clock = Clock(None)
    clock.at(2026, 11, 30)
    store = Store(settings.db_path, clock=clock, admin_ids=settings.admin_ids)
    admin = store.telegram_person(ADMIN)
    store.grant(admin, store.telegram_person(SUZHOU_ORGANIZER), "city:苏州")
    store.grant(admin, store.telegram_person(NANJING_ORGANIZER), "city:南京")
    enterprise(store, clock, 101, (2026, 3, 1), enterprise_name="苏州精工有限公司", city="苏州",
               contact_person="王经理", contact="0512-12345678")  # fmt: skip
    check(store, clock, 101, (2026, 3, 1), "eligible")
    pick(store, clock, 101, (2026, 3, 1), 2)
    enterprise(store, clock, 102, (2026, 4, 1), enterprise_name="苏州远航公司", city="苏州")
    check(store, clock, 102, (2026, 4, 1), "not_eligible", ["c5"])
    enterprise(store, clock, 201, (2026, 5, 1), enterprise_name="南京秦淮电子公司", city="南京",
               contact_person="赵主任", contact="zhao@qinhuai.example.cn")  # fmt: skip
    check(store, clock, 201, (2026, 5, 1), "eligible")
    ask(store, clock, 201, (2026, 5, 2), "南京秦淮区有没有额外补贴")
    ask(store, clock, 101, (2026, 5, 3), "苏州的配套奖励是多少")
    ask(store, clock, 102, (2026, 5, 4), "苏州的配套奖励是多少？")
    clock.at(2026, 11, 30)
    service = ChatService(Context(kb=kb, clock=clock), store, settings)
    yield service
    service.close()


async def text_of(fake_bot_api, chat_id: int) -> str:
    call = await fake_bot_api.wait_for_reply(chat_id)
    return visible_text(call.text, call.params.get("parse_mode"))


async def test_a_city_organizer_sees_only_their_city_in_stats_and_chart(
    fake_bot_api, bot_runner, service
):
    await bot_runner.start(service)
    fake_bot_api.send_command(SUZHOU_ORGANIZER, "stats")
    table = await text_of(fake_bot_api, SUZHOU_ORGANIZER)
    assert table.startswith("统计 · 苏州市 · 2026年")
    assert "完成资格自测：2 家企业，共 2 次" in table and "1 家（50%）" in table
    assert "南京" not in table and "秦淮" not in table
    assert "分月份" in table and "2026-03：1 / 1" in table
    photo = await fake_bot_api.wait_for("sendPhoto", chat_id=SUZHOU_ORGANIZER)
    png = photo.params["photo"]["content"]
    assert png.startswith(b"\x89PNG") and photo.params["photo"]["filename"].endswith(".png")
    assert photo.params["caption"].startswith("图：苏州市 2026年")
    from matplotlib import image

    assert image.imread(io.BytesIO(png)).shape[1] > 600


async def test_the_province_gets_every_city_and_a_period(fake_bot_api, bot_runner, service):
    await bot_runner.start(service)
    fake_bot_api.send_command(ADMIN, "stats", "2026-01-01..2026-04-30")
    table = await text_of(fake_bot_api, ADMIN)
    assert table.startswith("统计 · 全省 · 2026-01-01 至 2026-04-30")
    assert "分城市" in table and "苏州：2 / 2 / 1" in table and "南京" not in table
    await fake_bot_api.wait_for("sendPhoto", chat_id=ADMIN)
    fake_bot_api.send_command(ADMIN, "stats", "去年")
    assert "没有看懂时间范围" in await text_of(fake_bot_api, ADMIN)


async def test_an_enterprise_is_refused_every_report(fake_bot_api, bot_runner, service):
    await bot_runner.start(service)
    for command in ("stats", "export", "unanswered"):
        fake_bot_api.send_command(101, command)
        assert await text_of(fake_bot_api, 101) == texts.REPORT_REFUSED
    await fake_bot_api.expect_none("sendDocument", chat_id=101, within=0.3)
    await fake_bot_api.expect_none("sendPhoto", chat_id=101, within=0.1)


async def test_the_export_is_a_utf8_sig_csv_of_the_scope_and_is_audited(
    fake_bot_api, bot_runner, service
):
    store = service.store
    await bot_runner.start(service)
    fake_bot_api.send_command(SUZHOU_ORGANIZER, "export")
    assert "共 2 家" in await text_of(fake_bot_api, SUZHOU_ORGANIZER)
    sent = await fake_bot_api.wait_for("sendDocument", chat_id=SUZHOU_ORGANIZER)
    content = sent.params["document"]["content"]
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert sorted(r["企业名称"] for r in rows) == ["苏州精工有限公司", "苏州远航公司"]
    assert {r["城市"] for r in rows} == {"苏州"}
    contacts = {r["企业名称"]: (r["联系人"], r["联系方式"]) for r in rows}
    assert contacts == {"苏州精工有限公司": ("王经理", "0512-12345678"), "苏州远航公司": ("", "")}
    for nanjing in ("南京", "赵主任", "zhao@qinhuai.example.cn"):
        assert nanjing not in content.decode("utf-8-sig")
    audit = list(store.db["audit"].rows_where("action = 'export'"))
    who = [(store.person_label(a["actor"]), a["scope"], a["detail"]) for a in audit]
    assert who == [(str(SUZHOU_ORGANIZER), "city:苏州", '{"channel": "telegram", "rows": 2}')]


async def test_unanswered_questions_grouped_within_the_scope(fake_bot_api, bot_runner, service):
    await bot_runner.start(service)
    fake_bot_api.send_command(SUZHOU_ORGANIZER, "unanswered")
    text = await text_of(fake_bot_api, SUZHOU_ORGANIZER)
    assert "1. 苏州的配套奖励是多少（2 次）" in text or "1. 苏州的配套奖励是多少？（2 次）" in text
    assert "秦淮" not in text
    fake_bot_api.send_command(NANJING_ORGANIZER, "unanswered")
    text = await text_of(fake_bot_api, NANJING_ORGANIZER)
    assert "秦淮" in text and "苏州" not in text


async def test_forget_over_telegram_really_deletes(fake_bot_api, bot_runner, service):
    await bot_runner.start(service)
    fake_bot_api.send_command(102, "forget")
    assert await text_of(fake_bot_api, 102) == texts.FORGET_ASK
    assert service.store.user(102) is not None
    fake_bot_api.press_label(102, texts.FORGET_YES)
    assert texts.FORGET_DONE in await text_of(fake_bot_api, 102)
    store = Store(service.store.path)  # a second connection: what is on disk
    try:
        for table in ("users", "states", "checks", "unanswered"):
            sql = f"SELECT count(*) FROM {table} WHERE chat_id = 102"
            assert store.db.execute(sql).fetchone()[0] == 0, table
        assert store.user(101)["enterprise_name"] == "苏州精工有限公司"
    finally:
        store.close()
    fake_bot_api.send_command(SUZHOU_ORGANIZER, "stats")
    assert "完成资格自测：1 家企业，共 1 次" in await text_of(fake_bot_api, SUZHOU_ORGANIZER)


async def test_a_revoked_organizer_is_refused_at_once(fake_bot_api, bot_runner, service):
    await bot_runner.start(service)
    fake_bot_api.send_command(NANJING_ORGANIZER, "stats")
    assert (await text_of(fake_bot_api, NANJING_ORGANIZER)).startswith("统计 · 南京市")
    await fake_bot_api.wait_for("sendPhoto", chat_id=NANJING_ORGANIZER)
    store = service.store
    store.revoke(store.telegram_person(ADMIN), store.telegram_person(NANJING_ORGANIZER))
    fake_bot_api.send_command(NANJING_ORGANIZER, "export")
    assert await text_of(fake_bot_api, NANJING_ORGANIZER) == texts.REPORT_REFUSED
    await fake_bot_api.expect_none("sendDocument", chat_id=NANJING_ORGANIZER, within=0.3)


async def test_reports_are_not_posted_in_a_group(fake_bot_api, bot_runner, service):
    await bot_runner.start(service)
    group = -5005
    fake_bot_api.send_command(group, "export", user_id=SUZHOU_ORGANIZER)
    assert await text_of(fake_bot_api, group) == texts.REPORT_PRIVATE_ONLY
    fake_bot_api.send_command(group, "stats", user_id=SUZHOU_ORGANIZER)
    assert await text_of(fake_bot_api, group) == texts.REPORT_PRIVATE_ONLY
    await fake_bot_api.expect_none("sendDocument", chat_id=group, within=0.3)
    await fake_bot_api.expect_none("sendPhoto", chat_id=group, within=0.1)
