"""Organizers over Telegram: the real Application polling the fake Bot API server with
Telegram's send limits on (30/s overall, 1/s per chat; 429 with retry_after over them)."""

from __future__ import annotations

import asyncio
import dataclasses
import time

import pytest

from bot.store import Store
from bot.telegram.limits import Limits
from conversations import texts
from conversations.flows.broadcast import render
from tests.fake_bot_api import visible_text

ADMIN, ORG, ENT = 900, 501, 7
LIMITS = Limits(
    network_backoff=0.05,
    broadcast_backoff=0.1,
    broadcast_progress_every=1.5,
    poll=0.2,
)


@pytest.fixture
def settings(bot_settings):
    return bot_settings.model_copy(update={"admin_ids": [ADMIN]})


def seed(settings, chats, city="苏州", *, organizer: tuple[int, str] | None = None) -> None:
    store = Store(settings.db_path, admin_ids=settings.admin_ids)
    with store.transaction():
        for chat in chats:
            store.touch_user(chat, user_id=chat)
            store.subscribe(chat, 2026)
            store.db.execute("UPDATE users SET city = ? WHERE chat_id = ?", [city, chat])
        if organizer is not None:
            user_id, scope = organizer
            store.grant(store.telegram_person(ADMIN), store.telegram_person(user_id), scope)
    store.close()


async def command(fake, chat_id, name, args="") -> str:
    """Send /name args; the bot's next message to that chat (what came before is skipped)."""
    mark = fake.mark()
    fake.send_command(chat_id, name, args)
    call = await fake.wait_for("sendMessage", since=mark, chat_id=chat_id)
    return visible_text(call.text, "HTML")


def received(fake, chat_id, text):
    return [
        c
        for c in fake.calls_to("sendMessage", chat_id=chat_id)
        if visible_text(c.text, "HTML") == text
    ]


async def compose_and_confirm(fake, user, notice):
    fake.send_command(user, "broadcast")
    prompt = await fake.wait_for_reply(user)
    assert "发给" in visible_text(prompt.text, "HTML")
    await asyncio.sleep(1.0)  # one message a second in a chat, as a person types
    fake.send_text(user, notice)
    preview = await fake.wait_for_reply(user)
    await asyncio.sleep(1.0)
    confirm = next(label for label in preview.button_labels() if label.startswith("确认发送"))
    fake.press_label(user, confirm)
    return preview, confirm


async def wait_report(fake, chat_id, timeout=10.0) -> str:
    """The final report: the progress message edited into it, or a message of its own."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for call in reversed(fake.calls):
            if call.ok and call.chat_id == chat_id and "已完成" in (call.text or ""):
                return visible_text(call.text, "HTML")
        await asyncio.sleep(0.05)
    raise AssertionError("no report")


async def wait_done(settings, timeout=30.0):
    store = Store(settings.db_path)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rows = store.recent_broadcasts()
            if rows and all(r["state"] == "done" for r in rows):
                return rows
            await asyncio.sleep(0.1)
        raise AssertionError(f"broadcast not done: {store.recent_broadcasts()}")
    finally:
        store.close()


async def test_an_organizers_whole_path(fake_bot_api, bot_runner, settings):
    fake = fake_bot_api
    fake.enforce_limits()
    recipients = list(range(1000, 1040))
    seed(settings, recipients)
    seed(settings, [2000, 2001], city="南京")
    await bot_runner.start(settings=settings, limits=LIMITS)
    fake.send_command(ADMIN, "grant", f"{ORG} city 苏州")
    assert "苏州市" in visible_text((await fake.wait_for_reply(ADMIN)).text, "HTML")
    await fake.wait_for("setMyCommands", scope={"type": "chat", "chat_id": ORG})
    own = fake.commands[f'{{"chat_id": {ORG}, "type": "chat"}}|']
    assert "broadcast" in [c["command"] for c in own] and "grant" not in str(own)
    assert not any(key.startswith(f'{{"chat_id": {ENT}') for key in fake.commands)

    preview, confirm = await compose_and_confirm(fake, ORG, "请于6月30日前报送推荐材料。")
    expected = render("city:苏州", "请于6月30日前报送推荐材料。")
    shown = visible_text(preview.text, "HTML")
    assert shown.startswith(expected + "\n\n")
    assert "将发给苏州市 40 家企业，共 40 份：Telegram 40。" in shown
    assert confirm == "确认发送40份给苏州市"
    rows = await wait_done(settings)
    for chat in recipients:
        assert len(received(fake, chat, expected)) == 1, chat
    assert not fake.calls_to("sendMessage", chat_id=2000)
    report = await wait_report(fake, ORG)
    assert "共 40 份，送达 40" in report and "失败 0" in report and "用时" in report
    assert "• Telegram 40 份：送达 40，已屏蔽机器人 0，失败 0" in report
    assert rows[0]["sent"] == 40
    assert fake.limit_429s == 0

    await asyncio.sleep(1.1)
    listing = await command(fake, ORG, "broadcasts")
    assert "已完成" in listing and "送达 40 / 40" in listing

    fake.send_command(ADMIN, "revoke", str(ORG))
    await fake.wait_for("deleteMyCommands", scope={"type": "chat", "chat_id": ORG})
    await asyncio.sleep(1.1)
    assert await command(fake, ORG, "broadcast") == texts.ORG_ONLY


async def test_an_enterprise_cannot_broadcast(fake_bot_api, bot_runner, settings):
    seed(settings, [1000])
    await bot_runner.start(settings=settings, limits=LIMITS)
    fake_bot_api.send_command(ENT, "broadcast")
    assert visible_text((await fake_bot_api.wait_for_reply(ENT)).text, "HTML") == texts.ORG_ONLY
    await asyncio.sleep(1.1)
    fake_bot_api.press(ENT, "b:confirm:deadbeef")
    await fake_bot_api.wait_for_reply(ENT)
    await fake_bot_api.expect_none("sendMessage", within=0.5, chat_id=1000)


async def test_429_403_and_transient_500s(fake_bot_api, bot_runner, settings):
    fake = fake_bot_api
    fake.enforce_limits()
    recipients = list(range(1000, 1012))
    seed(settings, recipients, organizer=(ORG, "city:苏州"))
    fake.block_chat(1003)
    fake.block_chat(1007)
    fake.fail_next("sendMessage", 1, code=429, retry_after=1, chat_id=1001)
    # each 500 costs the delivery an attempt (a send the dispatcher paced is not retried by the
    # rate limiter): fewer than broadcast_attempts, so it goes through at a later attempt
    fake.fail_next("sendMessage", LIMITS.broadcast_attempts - 1, code=500, chat_id=1002)
    fake.fail_next("sendMessage", 100, code=502, chat_id=1004)  # never comes back
    await bot_runner.start(settings=settings, limits=LIMITS)
    await compose_and_confirm(fake, ORG, "截止时间提醒")
    rows = await wait_done(settings)
    expected = render("city:苏州", "截止时间提醒")
    delivered = {c for c in recipients if received(fake, c, expected)}
    assert delivered == set(recipients) - {1003, 1007, 1004}
    assert all(len(received(fake, c, expected)) == 1 for c in delivered)
    row = rows[0]
    assert (row["sent"], row["blocked"], row["failed"]) == (9, 2, 1)
    store = Store(settings.db_path)
    inactive = {
        int(r[0])
        for r in store.db.execute(
            "SELECT address FROM destinations WHERE channel = 'telegram' AND active = 0"
        )
    }
    store.close()
    assert inactive == {1003, 1007}
    report = await wait_report(fake, ORG)
    assert "• Telegram 12 份：送达 9，已屏蔽机器人 2，失败 1" in report


async def test_interactive_replies_during_a_broadcast_are_prompt(
    fake_bot_api, bot_runner, settings
):
    fake = fake_bot_api
    fake.enforce_limits()
    seed(settings, list(range(1000, 1300)), organizer=(ORG, "city:苏州"))  # ~10 s of sending
    await bot_runner.start(settings=settings, limits=LIMITS)
    fake.send_text(ENT, "要交费吗")  # the first question builds the FAQ matcher
    await fake.wait_for("sendMessage", chat_id=ENT)
    await compose_and_confirm(fake, ORG, "通知")
    await fake.wait_for("sendMessage", chat_id=1010)
    delays = []
    for _ in range(3):
        mark = fake.mark()
        start = time.perf_counter()
        fake.send_text(ENT, "要交费吗")
        await fake.wait_for("sendMessage", since=mark, chat_id=ENT)
        delays.append(time.perf_counter() - start)
        await asyncio.sleep(1.1)
    store = Store(settings.db_path)
    still_sending = store.recent_broadcasts()[0]["pending"]
    store.close()
    assert still_sending > 0, "the broadcast was over before the questions"
    assert max(delays) < 0.5, delays
    await wait_done(settings)
    progress = [c.text for c in fake.calls_to("editMessageText", chat_id=ORG)]
    assert any("已发送" in t and "/ 300" in t for t in progress)
    assert "送达 300" in await wait_report(fake, ORG)
    assert fake.limit_429s == 0


async def test_a_revoked_organizer_is_refused_mid_compose(fake_bot_api, bot_runner, settings):
    fake = fake_bot_api
    seed(settings, [1000], organizer=(ORG, "city:苏州"))
    await bot_runner.start(settings=settings, limits=dataclasses.replace(LIMITS))
    fake.send_command(ORG, "broadcast")
    await fake.wait_for_reply(ORG)
    fake.send_text(ORG, "通知全文")
    await fake.wait_for_reply(ORG)
    fake.send_command(ADMIN, "revoke", str(ORG))
    await fake.wait_for_reply(ADMIN)
    fake.press_label(ORG, "确认发送1份给苏州市")
    refusal = await fake.wait_for_reply(ORG)
    assert visible_text(refusal.text, "HTML") == texts.ORG_ONLY
    await fake.expect_none("sendMessage", within=0.5, chat_id=1000)


async def test_paid_broadcasts_are_a_setting_off_by_default(fake_bot_api, bot_runner, settings):
    from bot.telegram.limits import telegram_pace

    assert settings.paid_broadcast is False
    assert telegram_pace(Limits(overall_per_second=30)).per_second < 30
    assert telegram_pace(Limits(overall_per_second=30), paid=True).per_second > 900
    paid = settings.model_copy(update={"paid_broadcast": True})
    seed(paid, [1000, 1001], organizer=(ORG, "city:苏州"))
    await bot_runner.start(settings=paid, limits=LIMITS)
    await compose_and_confirm(fake_bot_api, ORG, "通知")
    await wait_done(paid)
    calls = [fake_bot_api.calls_to("sendMessage", chat_id=c)[0] for c in (1000, 1001)]
    assert all(c.params.get("allow_paid_broadcast") is True for c in calls)
    replies = fake_bot_api.calls_to("sendMessage", chat_id=ORG)
    assert all("allow_paid_broadcast" not in c.params for c in replies)


async def test_an_invite_link_is_single_use_over_telegram(fake_bot_api, bot_runner, settings):
    fake = fake_bot_api
    await bot_runner.start(settings=settings, limits=LIMITS)
    text = await command(fake, ADMIN, "invite", "assoc 江苏省机械行业协会")
    link = next(word for word in text.split() if word.startswith("https://t.me/"))
    assert link.startswith(f"https://t.me/{fake.bot_user['username']}?start=inv_")
    payload = link.split("start=")[1]
    assert "江苏省机械行业协会" in await command(fake, 610, "start", payload)
    await fake.wait_for("setMyCommands", scope={"type": "chat", "chat_id": 610})
    assert await command(fake, 611, "start", payload) == texts.ORG_INVITE_BAD
    await asyncio.sleep(1.1)
    assert "江苏省机械行业协会" in await command(fake, 610, "broadcast")
    assert await command(fake, 611, "broadcast") == texts.ORG_ONLY
    audit = await command(fake, ADMIN, "audit")
    assert "使用邀请" in audit and "610" in audit


async def test_replies_and_deliveries_share_one_budget_under_a_strict_window(
    fake_bot_api, bot_runner, settings
):
    """A broadcast sending while 60 chats ask for reminders at once (two messages each): the
    replies and the deliveries together stay under Telegram's 30/s, counted as a strict
    one-second window — no 429 — and the replies go first."""
    fake = fake_bot_api
    fake.enforce_limits(mode="sliding_window")
    seed(settings, list(range(1000, 1200)), organizer=(ORG, "city:苏州"))
    await bot_runner.start(settings=settings, limits=LIMITS)
    await compose_and_confirm(fake, ORG, "通知")
    await fake.wait_for("sendMessage", chat_id=1010)
    mark = fake.mark()
    asking = range(5000, 5060)
    for chat in asking:
        fake.send_command(chat, "remind")
    for _ in range(150):
        if (
            len(
                {c.chat_id for c in fake.calls_to("sendMessage", since=mark) if c.chat_id in asking}
            )
            == 60
        ):
            break
        await asyncio.sleep(0.1)
    await wait_done(settings)
    replies = [c for c in fake.calls_to("sendMessage", since=mark) if c.chat_id in asking]
    assert len(replies) == 120  # every chat's two messages
    assert fake.limit_429s == 0
    assert "送达 200" in await wait_report(fake, ORG)
