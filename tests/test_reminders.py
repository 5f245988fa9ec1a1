"""Reminders over Telegram (the fake Bot API server), under a controlled clock: sent once at
their due time, not lost while the bot was down, not doubled by restarts, crashes or two
workers, moved with their date, stopped by unsubscribing or a blocked bot, waiting out 429s.

The adapter's own dispatcher (``bot.dispatch``) sends them; an idle channel looks again only
after ``Limits.poll`` (an hour here), so a test decides when due rows go: ``send_due`` drains
the Telegram channel and waits for the sends in flight."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import threading
from datetime import date

import pytest

from bot.dispatch import Budget, Dispatcher
from bot.outbox import Outbox, Tally
from bot.runtime import Knobs, make_dispatcher
from bot.service import ChatService
from bot.store import Store
from bot.telegram.limits import BudgetRateLimiter, Limits
from bot.telegram.transport import TelegramTransport
from bot.transports import SENT, Pace
from conversations import texts
from conversations.core import CalendarDate, Context
from knowledge import load_knowledge
from tests.driver import Clock
from tests.fake_bot_api import visible_text

FAST = dataclasses.replace(Limits(), network_backoff=0.05, poll=3600)


@pytest.fixture
def clock():
    return Clock(2027, 5, 31, 8, 59)  # a minute before the 30-day reminder of 6月30日


@pytest.fixture
async def service(bot_settings, clock, bot_runner):
    service = ChatService.open(bot_settings, clock=clock)
    yield service
    await bot_runner.stop_all()  # the bots (and their dispatchers) before their store
    service.close()


def set_date(store: Store, milestone: str, day: date) -> str:
    entry = CalendarDate(year=day.year, milestone=milestone, day=day)
    return store.set_calendar_date(store.operator(), entry)


def dispatcher_of(app) -> Dispatcher:
    """The dispatcher the Telegram adapter started in ``post_init``."""
    dispatcher = app.post_init.__self__.dispatcher
    assert dispatcher is not None, "the adapter has no dispatcher"
    return dispatcher


def tally_of(app) -> Tally:
    """What the reminders' sends did."""
    return dispatcher_of(app).source("reminders").outbox.tally


async def settled(dispatcher: Dispatcher, timeout: float = 10.0) -> None:
    """Every send the channel's worker has under way has finished (its row marked)."""
    lane = dispatcher.lanes["telegram"]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while lane.in_flight:
        if loop.time() > deadline:
            raise AssertionError("sends still in flight")
        await asyncio.sleep(0.01)


async def send_due(app) -> int:
    """Send every reminder due now (beside whatever the worker already has in flight)."""
    dispatcher = dispatcher_of(app)
    await asyncio.wait_for(dispatcher.started.wait(), 5)
    await settled(dispatcher)
    handled = await dispatcher.drain("telegram")
    await settled(dispatcher)
    return handled


def sent_to(fake, chat_id: int, word: str = "提醒") -> list[str]:
    return [
        visible_text(c.text, "HTML")
        for c in fake.calls_to("sendMessage", chat_id=chat_id)
        if word in visible_text(c.text, "HTML")
    ]


def statuses(store: Store, chat_id: int) -> dict[tuple[str, int, str], str]:
    rows = store.db.execute(
        "SELECT milestone, offset_days, kind, status FROM reminders WHERE chat_id = ?", [chat_id]
    ).fetchall()
    return {(m, o, k): s for m, o, k, s in rows}


async def subscribe(fake, chat_id: int, args: str = "") -> None:
    fake.send_command(chat_id, "remind", args)
    await fake.wait_for_reply(chat_id, timeout=5)  # the confirmation
    await fake.wait_for_reply(chat_id, timeout=5)  # the profile question, asked once


# ---- due time -------------------------------------------------------------------------------


async def test_a_reminder_goes_out_once_at_0900_shanghai_not_a_second_before(
    fake_bot_api, bot_runner, service, clock
):
    set_date(service.store, "submission", date(2027, 6, 30))
    app = await bot_runner.start(service, limits=FAST)
    await subscribe(fake_bot_api, 1)
    clock.set(2027, 5, 31, 8, 59, 59)
    await send_due(app)
    assert sent_to(fake_bot_api, 1, "⏰") == []
    clock.set(2027, 5, 31, 9, 0, 0)
    await send_due(app)
    await send_due(app)
    [reminder] = sent_to(fake_bot_api, 1, "⏰")
    assert "报送推荐材料" in reminder and "2027年6月30日" in reminder and "还有30天" in reminder
    assert "附件2" in reminder and "典型经验" in reminder and texts.SET_BY_ORGANIZERS in reminder
    call = fake_bot_api.calls_to("sendMessage", chat_id=1)[-1]
    assert call.button_labels() == [texts.REMINDER_BTN_CHECK, texts.BTN_UNSUBSCRIBE]
    assert statuses(service.store, 1)[("submission", 30, "due")] == "sent"
    assert statuses(service.store, 1)[("submission", 7, "due")] == "pending"


async def test_down_at_the_due_time_sent_at_start_up_while_the_milestone_is_ahead(
    fake_bot_api, bot_runner, service, clock
):
    set_date(service.store, "submission", date(2027, 6, 30))
    service.store.subscribe(5, 2027)
    clock.set(2027, 6, 25, 14, 0)  # the 30- and 7-day reminders were missed while down
    app = await bot_runner.start(service, limits=FAST)
    await fake_bot_api.wait_for("sendMessage", chat_id=5, timeout=5)
    await send_due(app)
    [reminder] = sent_to(fake_bot_api, 5, "⏰")  # the nearest one only
    assert "还有5天" in reminder
    assert statuses(service.store, 5)[("submission", 30, "due")] == "skipped"


async def test_started_after_the_milestone_passed_nothing_is_sent_and_it_is_logged(
    fake_bot_api, bot_runner, service, clock, caplog
):
    caplog.set_level(logging.INFO, logger="bot.reminders")
    set_date(service.store, "submission", date(2027, 6, 30))
    service.store.subscribe(6, 2027)
    clock.set(2027, 7, 1, 0, 0)  # midnight in Shanghai: 6月30日 is over
    app = await bot_runner.start(service, limits=FAST)
    await send_due(app)
    assert sent_to(fake_bot_api, 6) == []
    assert set(statuses(service.store, 6).values()) == {"skipped"}
    assert any("passed" in r.getMessage() for r in caplog.records)


# ---- restarts and crashes --------------------------------------------------------------------


async def test_a_restart_right_after_a_send_sends_nothing_again(
    fake_bot_api, bot_runner, service, clock
):
    set_date(service.store, "submission", date(2027, 6, 30))
    service.store.subscribe(7, 2027)
    clock.set(2027, 5, 31, 9, 0)
    app = await bot_runner.start(service, limits=FAST)
    await send_due(app)
    assert len(sent_to(fake_bot_api, 7, "⏰")) == 1
    await bot_runner.stop(app)
    again = await bot_runner.start(service, limits=FAST)
    await send_due(again)
    assert len(sent_to(fake_bot_api, 7, "⏰")) == 1


async def test_an_exception_between_send_and_record_resends_once_and_counts_it(
    fake_bot_api, bot_runner, service, clock, monkeypatch
):
    set_date(service.store, "submission", date(2027, 6, 30))
    service.store.subscribe(8, 2027)
    clock.set(2027, 5, 31, 9, 0)
    real_mark = Outbox.mark

    def crash_on_sent(self, row, status, **columns):
        if status == "sent":
            raise RuntimeError("power cut between Telegram's answer and the commit")
        return real_mark(self, row, status, **columns)

    monkeypatch.setattr(Outbox, "mark", crash_on_sent)
    app = await bot_runner.start(service, limits=FAST)  # its worker's first send hits the crash
    await fake_bot_api.wait_for("sendMessage", chat_id=8)
    await asyncio.sleep(0.2)
    await settled(dispatcher_of(app))
    await bot_runner.stop(app)
    assert len(sent_to(fake_bot_api, 8, "⏰")) == 1
    assert statuses(service.store, 8)[("submission", 30, "due")] == "sending"

    monkeypatch.setattr(Outbox, "mark", real_mark)
    again = await bot_runner.start(service, limits=FAST)
    assert tally_of(again).in_doubt == 1
    await send_due(again)
    assert len(sent_to(fake_bot_api, 8, "⏰")) == 2  # one duplicate for one crash, no loss
    assert statuses(service.store, 8)[("submission", 30, "due")] == "sent"
    row = service.store.db.execute(
        "SELECT in_doubt FROM reminders WHERE chat_id = 8 AND offset_days = 30"
    ).fetchone()
    assert row[0] == 1


def test_two_outboxes_claiming_at_once_never_take_the_same_row(bot_settings, clock):
    """Two workers (own connections, own tokens) claiming the same due rows concurrently:
    every row is taken by exactly one of them."""
    store = Store(bot_settings.db_path, clock=clock)
    set_date(store, "submission", date(2027, 6, 30))
    for chat in range(100, 140):
        store.subscribe(chat, 2027)
    clock.set(2027, 5, 31, 9, 0)
    due = {r[0] for r in store.db.execute(
        "SELECT id FROM reminders WHERE status = 'pending' AND due_at <= ?", [store.now_iso()]
    )}  # fmt: skip
    store.close()
    assert len(due) == 40
    claimed: list[list[int]] = [[], []]
    tokens: list[str] = ["", ""]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def claim_all(i: int) -> None:
        own = Store(bot_settings.db_path, clock=clock)
        try:
            outbox = Outbox(own.db, "reminders", clock=clock)
            tokens[i] = outbox.token
            start.wait()
            while (row := outbox.claim("telegram")) is not None:
                claimed[i].append(row["id"])
                outbox.settle(row, SENT)
        except BaseException as exc:
            errors.append(exc)
        finally:
            own.close()

    workers = [threading.Thread(target=claim_all, args=(i,)) for i in (0, 1)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert not errors, errors
    assert tokens[0] != tokens[1]
    first, second = claimed
    assert not set(first) & set(second), "a row was claimed twice"
    assert len(first) + len(second) == 40 and set(first) | set(second) == due
    check = Store(bot_settings.db_path, clock=clock)
    by_token = dict(check.db.execute(
        "SELECT claimed_by, count(*) FROM reminders WHERE status = 'sent' GROUP BY claimed_by"
    ).fetchall())  # fmt: skip
    check.close()
    assert by_token == {t: len(c) for t, c in zip(tokens, claimed, strict=True) if c}


async def test_two_dispatchers_at_once_send_every_reminder_once(fake_bot_api, bot_settings, clock):
    from telegram.ext import ExtBot

    first = Store(bot_settings.db_path, clock=clock)
    second = Store(bot_settings.db_path, clock=clock)
    set_date(first, "submission", date(2027, 6, 30))
    for chat in range(100, 140):
        first.subscribe(chat, 2027)
    clock.set(2027, 5, 31, 9, 0)
    ctx = Context(kb=load_knowledge(), clock=clock)
    pace = Pace(in_flight=8)  # no rate: the two claim as fast as they can
    limiter = BudgetRateLimiter(FAST, Budget(pace))
    bot = ExtBot("1:x", base_url=fake_bot_api.base_url, rate_limiter=limiter)
    async with bot:
        dispatchers = [
            make_dispatcher(
                ChatService(ctx, store),
                [TelegramTransport(bot, pace)],
                Knobs(poll=3600, progress_every=3600),
            )
            for store in (first, second)
        ]
        for dispatcher in dispatchers:
            dispatcher.start()
        try:
            for _ in range(500):
                if len(fake_bot_api.calls_to("sendMessage")) >= 40:
                    break
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.3)  # anything more would be a duplicate: let it come
        finally:
            for dispatcher in dispatchers:
                await dispatcher.stop()
    sent = [d.source("reminders").outbox.tally.sent for d in dispatchers]
    assert sum(sent) == 40 and all(sent), sent
    chats = [c.chat_id for c in fake_bot_api.calls_to("sendMessage")]
    assert sorted(chats) == list(range(100, 140))
    first.close()
    second.close()


# ---- dates change, users leave -----------------------------------------------------------------


async def test_publication_then_a_moved_date_then_a_removed_one(
    fake_bot_api, bot_runner, service, clock
):
    app = await bot_runner.start(service, limits=FAST)
    await subscribe(fake_bot_api, 9)  # no 2027 calendar yet: subscribed to its publication
    assert statuses(service.store, 9) == {}
    set_date(service.store, "submission", date(2027, 6, 30))
    set_date(service.store, "announcement", date(2027, 7, 31))
    await send_due(app)
    [published] = sent_to(fake_bot_api, 9, "2027年“质量标杆”日程已设定")
    assert "2027年6月30日" in published and "2027年7月31日" in published

    assert set_date(service.store, "submission", date(2027, 6, 20)) == "moved"
    await send_due(app)
    [moved] = sent_to(fake_bot_api, 9, "日期已调整")
    assert "2027年6月20日" in moved
    due = service.store.db.execute(
        "SELECT due_at FROM reminders WHERE chat_id = 9 AND milestone = 'submission'"
        " AND kind = 'due' AND offset_days = 7"
    ).fetchone()[0]
    assert due == "2027-06-13T09:00:00+08:00"
    clock.set(2027, 6, 13, 9, 0)
    await send_due(app)
    assert "还有7天" in sent_to(fake_bot_api, 9, "⏰")[-1]

    service.store.remove_calendar_date(service.store.operator(), 2027, "submission")
    clock.set(2027, 6, 19, 9, 0)
    await send_due(app)
    assert len(sent_to(fake_bot_api, 9, "⏰")) == 1
    assert statuses(service.store, 9)[("submission", 1, "due")] == "cancelled"


async def test_unsubscribing_with_a_tap_stops_the_reminders(
    fake_bot_api, bot_runner, service, clock
):
    set_date(service.store, "submission", date(2027, 6, 30))
    app = await bot_runner.start(service, limits=FAST)
    await subscribe(fake_bot_api, 10)
    fake_bot_api.press_label(10, texts.PROFILE_SKIP)
    await fake_bot_api.wait_for_reply(10)
    fake_bot_api.send_command(10, "deadlines")
    await fake_bot_api.wait_for_reply(10)
    fake_bot_api.press_label(10, texts.BTN_UNSUBSCRIBE)
    assert "已取消" in visible_text((await fake_bot_api.wait_for_reply(10)).text, "HTML")
    clock.set(2027, 5, 31, 9, 0)
    await send_due(app)
    assert sent_to(fake_bot_api, 10, "⏰") == []
    assert set(statuses(service.store, 10).values()) == {"cancelled"}


async def test_stop_reminders_command_and_adjusted_offsets(fake_bot_api, bot_runner, service):
    set_date(service.store, "submission", date(2027, 6, 30))
    await bot_runner.start(service, limits=FAST)
    await subscribe(fake_bot_api, 11, "14 3")
    assert {k[1] for k, s in statuses(service.store, 11).items() if s == "pending"} == {14, 3}
    fake_bot_api.send_command(11, "stop_reminders")
    await fake_bot_api.wait_for_reply(11)
    assert service.store.subscription(11, 2027) is None


# ---- Telegram's answers: 403, 429, 5xx ---------------------------------------------------------


async def test_a_blocked_chat_is_marked_inactive_and_not_sent_to_again(
    fake_bot_api, bot_runner, service, clock
):
    set_date(service.store, "submission", date(2027, 6, 30))
    set_date(service.store, "announcement", date(2027, 7, 1))
    for chat in (12, 13):
        service.store.subscribe(chat, 2027)
    fake_bot_api.block_chat(12)
    clock.set(2027, 5, 31, 9, 0)
    app = await bot_runner.start(service, limits=FAST)
    await send_due(app)
    assert len(fake_bot_api.calls_to("sendMessage", chat_id=12, ok=False)) == 1
    assert len(sent_to(fake_bot_api, 13, "⏰")) == 1
    blocked = service.store.destination("telegram", "12")
    assert blocked is not None and blocked["active"] == 0
    reason = service.store.db.execute(
        "SELECT reason FROM destinations WHERE id = ?", [blocked["id"]]
    ).fetchone()[0]
    assert reason
    assert service.store.destination("telegram", "13")["active"] == 1
    assert statuses(service.store, 12)[("submission", 30, "due")] == "blocked"
    clock.set(2027, 6, 1, 9, 0)  # announcement's 30-day reminder is due now
    await send_due(app)
    assert len(fake_bot_api.calls_to("sendMessage", chat_id=12, ok=None)) == 1
    assert len(sent_to(fake_bot_api, 13, "⏰")) == 2
    assert statuses(service.store, 12)[("announcement", 30, "due")] == "pending"


async def test_a_429_is_waited_out_and_the_reminder_delivered(
    fake_bot_api, bot_runner, service, clock
):
    set_date(service.store, "submission", date(2027, 6, 30))
    service.store.subscribe(14, 2027)
    clock.set(2027, 5, 31, 9, 0)
    fake_bot_api.fail_next("sendMessage", 1, code=429, retry_after=1, chat_id=14)
    app = await bot_runner.start(service, limits=FAST)
    await send_due(app)
    [refused] = fake_bot_api.calls_to("sendMessage", chat_id=14, ok=None)
    assert refused.status == 429
    row = service.store.db.execute(
        "SELECT status, retry_at, attempts FROM reminders WHERE chat_id = 14 AND offset_days = 30"
    ).fetchone()
    assert row == ("pending", "2027-05-31T09:00:01+08:00", 0)  # waits retry_after, no attempt
    assert tally_of(app).rate_limited == 1
    await send_due(app)  # not before its retry_after has passed
    assert len(fake_bot_api.calls_to("sendMessage", chat_id=14, ok=None)) == 1
    clock.set(2027, 5, 31, 9, 0, 1)
    await send_due(app)
    refused, delivered = fake_bot_api.calls_to("sendMessage", chat_id=14, ok=None)
    assert delivered.ok and delivered.at - refused.at >= 1.0  # (and the chat's own gap)
    assert "⏰" in visible_text(delivered.text, "HTML")
    assert statuses(service.store, 14)[("submission", 30, "due")] == "sent"


async def test_a_5xx_is_retried_later_and_does_not_block_the_others(
    fake_bot_api, bot_runner, service, clock
):
    set_date(service.store, "submission", date(2027, 6, 30))
    for chat in (15, 16):
        service.store.subscribe(chat, 2027)
    clock.set(2027, 5, 31, 9, 0)
    fake_bot_api.fail_next("sendMessage", 2, code=502, chat_id=15)  # twice, each an attempt
    app = await bot_runner.start(service, limits=FAST)
    await send_due(app)
    assert len(sent_to(fake_bot_api, 16, "⏰")) == 1
    assert statuses(service.store, 15)[("submission", 30, "due")] == "pending"
    retry_at = "SELECT retry_at FROM reminders WHERE chat_id = 15 AND offset_days = 30"
    assert service.store.db.execute(retry_at).fetchone()[0] == "2027-05-31T09:00:30+08:00"
    await send_due(app)  # not before the backoff
    assert len(fake_bot_api.calls_to("sendMessage", chat_id=15, ok=False)) == 1
    clock.set(2027, 5, 31, 9, 0, 30)
    await send_due(app)
    assert statuses(service.store, 15)[("submission", 30, "due")] == "pending"
    assert service.store.db.execute(retry_at).fetchone()[0] == "2027-05-31T09:01:30+08:00"
    clock.set(2027, 5, 31, 9, 1, 30)  # after the doubled backoff
    await send_due(app)
    assert len(sent_to(fake_bot_api, 15, "⏰")) == 1
    assert statuses(service.store, 15)[("submission", 30, "due")] == "sent"
    assert tally_of(app).retried == 2


async def test_ics_arrives_as_a_document(fake_bot_api, bot_runner, service):
    set_date(service.store, "submission", date(2027, 6, 30))
    await bot_runner.start(service, limits=FAST)
    fake_bot_api.send_command(17, "ics")
    document = await fake_bot_api.wait_for("sendDocument", chat_id=17)
    assert document.params["document"]["filename"] == "biaogan-2027.ics"
    assert document.params["document"]["size"] > 200


async def test_sending_reminders_does_not_hold_up_replies_to_people_chatting(
    fake_bot_api, bot_runner, service, clock
):
    fake_bot_api.enforce_limits(overall_per_second=30, per_chat_per_second=1)
    set_date(service.store, "submission", date(2027, 6, 30))
    with service.store.transaction():
        for chat in range(1000, 1090):  # three seconds of sending at 28/s
            service.store.subscribe(chat, 2027)
    clock.set(2027, 5, 31, 9, 0)
    await bot_runner.start(service, limits=FAST)  # the worker sends them at once, at 28.5/s
    await fake_bot_api.wait_for("sendMessage", chat_id=1010, timeout=10)  # mid-way
    asked = fake_bot_api.send_command(50, "start")
    reply = await fake_bot_api.wait_for_reply(50, timeout=5)
    waited = reply.at - fake_bot_api.injected_at[asked["update_id"]]
    assert waited < 0.5, f"the reply waited {waited:.2f}s behind the reminders"
    await fake_bot_api.wait_for("sendMessage", chat_id=1089, timeout=10)
    assert fake_bot_api.limit_429s == 0


async def test_admins_alone_get_calendar_set_in_their_command_list(
    fake_bot_api, bot_runner, bot_settings, clock
):
    settings = bot_settings.model_copy(update={"admin_ids": [77]})
    service = ChatService.open(settings, clock=clock)  # the admin list is the store's
    try:
        await bot_runner.start(service, limits=FAST, settings=settings)
        await fake_bot_api.wait_for("setMyCommands", scope={"type": "chat", "chat_id": 77})
    finally:
        await bot_runner.stop_all()
        service.close()
    public = [c["command"] for c in fake_bot_api.calls_to("setMyCommands")[0].params["commands"]]
    admin = fake_bot_api.calls_to("setMyCommands", scope={"type": "chat", "chat_id": 77})[0]
    assert "calendar_set" not in public and "remind" in public
    assert "calendar_set" in [c["command"] for c in admin.params["commands"]]
