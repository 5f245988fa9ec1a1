"""The dispatcher (bot.dispatch) over a real SQLite store: reminders and broadcast deliveries
handed to the transport of their channel, in priority order, each outcome marked on its row,
the send budget (replies first, a gap per address), several sends in flight, and the web chat
alone running it."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from bot.config import Settings
from bot.dispatch import Budget, Dispatcher
from bot.outbox import Outbox
from bot.runtime import Knobs, make_dispatcher, started
from bot.service import ChatService
from bot.store import Store
from bot.store.people import WEB_ID_CEILING
from bot.transports import Pace, Result
from bot.transports.memory import MemoryTransport
from conversations.core import SHANGHAI, CalendarDate, Context, Reply

YEAR = 2027
SUBMISSION = date(YEAR, 6, 30)  # 报送推荐材料; reminders 30, 7 and 1 days before, at 09:00
FIRST_DUE = datetime(YEAR, 5, 31, 9, 0, tzinfo=SHANGHAI)  # the 30-day reminder
ADMIN = 900
WEB_CHAT = WEB_ID_CEILING - 12_345
KNOBS = Knobs(poll=0.05, reminder_backoff=10.0, broadcast_backoff=1.0, progress_every=0.05)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(YEAR, 5, 1, 10, 0, tzinfo=SHANGHAI)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Tick:
    """A monotonic clock that moves only when the test moves it."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


@dataclass
class World:
    clock: Clock
    store: Store
    service: ChatService
    telegram: MemoryTransport
    web: MemoryTransport
    dispatcher: Dispatcher


def build(kb, tmp_path, *, telegram_pace: Pace | None = None, knobs: Knobs = KNOBS) -> World:
    clock = Clock()
    store = Store(tmp_path / "b.db", clock=clock, admin_ids=[ADMIN])
    service = ChatService(Context(kb=kb, clock=clock), store)
    telegram = MemoryTransport("telegram", pace=telegram_pace or Pace())
    web = MemoryTransport("web")
    dispatcher = make_dispatcher(service, [telegram, web], knobs)
    return World(clock, store, service, telegram, web, dispatcher)


@pytest.fixture
def world(kb, tmp_path):
    w = build(kb, tmp_path)
    yield w
    w.service.close()


def calendar_set(store: Store) -> None:
    store.set_calendar_date(store.operator(), CalendarDate(year=YEAR, milestone="submission",
                                                           day=SUBMISSION))  # fmt: skip


def due_reminders(w: World, *chats: int) -> None:
    """The calendar set, then the chats subscribed (no publication notice: they subscribed
    after it), and the clock at the first reminder's time."""
    calendar_set(w.store)
    for chat in chats:
        w.store.subscribe(chat, YEAR)
    w.clock.now = FIRST_DUE


def reminder(store: Store, chat: int, offset: int = 30) -> dict:
    rows = list(
        store.db["reminders"].rows_where(
            "chat_id = ? AND offset_days = ? AND kind = 'due'", [chat, offset]
        )
    )
    assert len(rows) == 1, rows
    return rows[0]


def destination_active(store: Store, chat: int) -> int:
    found = store.destination("telegram", str(chat))
    assert found is not None
    return found["active"]


def iso(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).isoformat(timespec="seconds")


async def until(condition: Callable[[], object], timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


# ---- 1. a due reminder goes to the transport of its channel --------------------------------


async def test_a_due_telegram_reminder_is_sent_by_drain_and_marked_sent(world):
    due_reminders(world, 8)
    assert await world.dispatcher.drain("web") == 0  # nothing of the web's
    assert await world.dispatcher.drain("telegram") == 1
    [text] = world.telegram.texts("8")
    assert text.startswith("⏰") and "报送推荐材料" in text and "2027年6月30日" in text
    assert world.web.outbox == []
    row = reminder(world.store, 8)
    assert (row["status"], row["channel"], row["attempts"]) == ("sent", "telegram", 1)
    assert row["sent_at"] == iso(FIRST_DUE)
    assert reminder(world.store, 8, offset=7)["status"] == "pending"  # not due yet
    assert await world.dispatcher.drain("telegram") == 0


async def test_a_due_web_reminder_is_handed_to_the_web_transport_by_the_running_dispatcher(world):
    due_reminders(world, WEB_CHAT)
    async with started(world.dispatcher):
        await until(lambda: world.web.outbox)
        await until(lambda: reminder(world.store, WEB_CHAT)["status"] == "sent")
    [sent] = world.web.outbox
    assert sent.address == str(WEB_CHAT) and "报送推荐材料" in sent.reply.text
    assert world.telegram.outbox == []
    assert reminder(world.store, WEB_CHAT)["channel"] == "web"


async def test_a_reminder_that_falls_due_while_running_is_sent_without_a_restart(world):
    calendar_set(world.store)
    world.store.subscribe(8, YEAR)
    async with started(world.dispatcher):
        await asyncio.sleep(0.1)
        assert world.telegram.outbox == []  # not due yet
        world.clock.now = FIRST_DUE
        await until(lambda: world.telegram.texts("8"))
    assert "报送推荐材料" in world.telegram.texts("8")[0]


# ---- 2. reminders before broadcast deliveries ----------------------------------------------


async def test_a_due_reminder_goes_before_an_older_broadcast_delivery(world):
    calendar_set(world.store)
    world.store.touch_user(8)
    world.store.subscribe(8, YEAR)
    world.clock.now = FIRST_DUE - timedelta(hours=1)  # the broadcast is queued first
    _, total = world.store.create_broadcast(world.store.operator(), None, "all", "全省通知")
    assert total == 1
    world.clock.now = FIRST_DUE
    assert await world.dispatcher.drain("telegram") == 2
    texts = world.telegram.texts("8")
    assert texts[0].startswith("⏰") and texts[1] == "全省通知"


# ---- 3. what the far end answered ----------------------------------------------------------


async def test_blocked_marks_the_destination_inactive_and_nothing_more_is_claimed_for_it(world):
    due_reminders(world, 8, 9)
    world.telegram.script("8", Result("blocked", "Forbidden: bot was blocked by the user"))
    assert await world.dispatcher.drain("telegram") == 2
    assert world.telegram.texts("8") == [] and len(world.telegram.texts("9")) == 1
    row = reminder(world.store, 8)
    assert row["status"] == "blocked" and "blocked" in row["error"]
    assert destination_active(world.store, 8) == 0
    assert destination_active(world.store, 9) == 1

    world.clock.now = datetime(YEAR, 6, 23, 9, 0, tzinfo=SHANGHAI)  # the 7-day reminders
    assert await world.dispatcher.drain("telegram") == 1  # only chat 9's
    assert len(world.telegram.texts("9")) == 2 and world.telegram.texts("8") == []
    assert reminder(world.store, 8, offset=7)["status"] == "pending"  # never claimed


async def test_retry_after_puts_the_row_back_without_an_attempt_and_holds_nothing_else(world):
    due_reminders(world, 8, 9)
    world.telegram.script("8", Result("retry_after", "Too Many Requests", retry_after=30))
    assert await world.dispatcher.drain("telegram") == 2  # 8 put back, 9 sent
    assert world.telegram.texts("8") == [] and len(world.telegram.texts("9")) == 1
    row = reminder(world.store, 8)
    assert (row["status"], row["attempts"]) == ("pending", 0)
    assert row["retry_at"] == iso(FIRST_DUE + timedelta(seconds=30))
    assert destination_active(world.store, 8) == 1

    world.clock.advance(29)
    assert await world.dispatcher.drain("telegram") == 0  # still waiting
    world.clock.advance(1)
    assert await world.dispatcher.drain("telegram") == 1
    assert len(world.telegram.texts("8")) == 1
    row = reminder(world.store, 8)
    assert (row["status"], row["attempts"]) == ("sent", 1)


async def test_transient_failures_back_off_doubling_then_the_row_fails(world):
    due_reminders(world, 8)
    outbox = world.dispatcher.source("reminders").outbox
    assert outbox.max_attempts == 5
    world.telegram.script("8", *[Result("transient", "Bad Gateway")] * 5)
    delays = []
    for attempt in range(1, 5):
        assert await world.dispatcher.drain("telegram") == 1
        row = reminder(world.store, 8)
        assert (row["status"], row["attempts"], row["error"]) == ("pending", attempt, "Bad Gateway")
        retry_at = datetime.fromisoformat(row["retry_at"])
        delays.append((retry_at - world.clock.now).total_seconds())
        assert await world.dispatcher.drain("telegram") == 0  # not before its retry_at
        world.clock.now = retry_at
    assert delays == [10, 20, 40, 80]  # Knobs.reminder_backoff, doubling
    assert await world.dispatcher.drain("telegram") == 1  # the fifth and last attempt
    row = reminder(world.store, 8)
    assert (row["status"], row["attempts"], row["error"]) == ("failed", 5, "Bad Gateway")
    world.clock.advance(3600)
    assert await world.dispatcher.drain("telegram") == 0
    assert world.telegram.outbox == []
    assert destination_active(world.store, 8) == 1  # a failure is no blocked chat


async def test_a_permanent_refusal_fails_the_row_at_once(world):
    due_reminders(world, 8)
    world.telegram.script("8", Result("permanent", "Bad Request: message is too long"))
    assert await world.dispatcher.drain("telegram") == 1
    row = reminder(world.store, 8)
    assert (row["status"], row["error"]) == ("failed", "Bad Request: message is too long")
    world.clock.advance(3600)
    assert await world.dispatcher.drain("telegram") == 0
    assert world.telegram.outbox == [] and destination_active(world.store, 8) == 1


async def test_a_permanent_refusal_in_the_running_dispatcher_is_failed_not_left_sending(world):
    due_reminders(world, 8, 9)
    world.telegram.script("8", Result("permanent", "Bad Request: message is too long"))
    async with started(world.dispatcher):
        await until(lambda: reminder(world.store, 9)["status"] == "sent")
        await asyncio.sleep(0.1)
    row = reminder(world.store, 8)
    assert (row["status"], row["error"]) == ("failed", "Bad Request: message is too long")
    async with started(world.dispatcher):  # a restart sends it no more
        await asyncio.sleep(0.2)
    assert world.telegram.texts("8") == [] and reminder(world.store, 8)["in_doubt"] == 0


# ---- 4. a crash between send and mark --------------------------------------------------------


async def test_start_puts_back_a_row_left_sending_and_counts_it_in_doubt(world):
    due_reminders(world, 8)
    crashed = Outbox(world.store.db, "reminders", clock=world.clock)  # a process that died
    assert crashed.claim("telegram") is not None
    assert reminder(world.store, 8)["status"] == "sending"
    async with started(world.dispatcher):
        await until(lambda: reminder(world.store, 8)["status"] == "sent")
    assert world.dispatcher.source("reminders").outbox.tally.in_doubt == 1
    assert len(world.telegram.texts("8")) == 1
    assert reminder(world.store, 8)["in_doubt"] == 1


# ---- 5. the budget ---------------------------------------------------------------------------


async def test_a_waiting_reply_takes_the_next_token_before_background_work_waiting_longer():
    tick = Tick()
    budget = Budget(Pace(per_second=100), clock=tick)  # a token every 0.01 (fake) s
    await budget.take("1", interactive=False)
    order: list[str] = []

    async def take(name: str, address: str, interactive: bool) -> None:
        await budget.take(address, interactive=interactive)
        order.append(name)

    background = [asyncio.create_task(take(f"bg{i}", str(10 + i), False)) for i in range(3)]
    await asyncio.sleep(0.02)  # the background sends wait for the next token
    reply = asyncio.create_task(take("reply", "20", True))
    await asyncio.sleep(0.02)
    assert order == []
    tick.t = 0.5  # one token
    await until(lambda: order)
    await asyncio.sleep(0.03)
    assert order == ["reply"]  # the rate holds the others back until the clock moves
    for step, count in ((1.0, 2), (2.0, 3), (3.0, 4)):
        tick.t = step
        await until(lambda count=count: len(order) == count)
    await asyncio.gather(reply, *background)
    assert order[0] == "reply" and sorted(order[1:]) == ["bg0", "bg1", "bg2"]


async def test_a_second_message_to_one_address_waits_for_the_gap_others_do_not():
    tick = Tick()
    budget = Budget(Pace(address_gap=0.01), clock=tick)
    await budget.take("7", interactive=False)
    again = asyncio.create_task(budget.take("7", interactive=False))
    await asyncio.wait_for(budget.take("8", interactive=False), 1)  # another chat: at once
    await asyncio.wait_for(budget.take("9", interactive=True), 1)
    await asyncio.sleep(0.05)
    assert not again.done()  # (fake) time has not moved: the gap is not over
    tick.t = 1.0
    await asyncio.wait_for(again, 1)


async def test_the_dispatcher_holds_a_second_message_to_a_chat_but_not_the_next_chat(world):
    tick = Tick()
    lane = world.dispatcher.lanes["telegram"]
    lane.budget = Budget(Pace(address_gap=0.01), clock=tick)
    calendar_set(world.store)
    for chat in (8, 9):
        world.store.touch_user(chat)
        world.store.subscribe(chat, YEAR)
    world.clock.now = FIRST_DUE
    world.store.create_broadcast(world.store.operator(), None, "all", "全省通知")
    # due: a reminder to 8 and one to 9, then the broadcast to 8 and to 9
    async with started(world.dispatcher):
        await until(lambda: len(world.telegram.outbox) == 2)
        await asyncio.sleep(0.1)
        assert sorted(s.address for s in world.telegram.outbox) == ["8", "9"]  # one each
        tick.t = 1.0
        await until(lambda: len(world.telegram.outbox) == 4)
    assert world.telegram.texts("8")[1] == world.telegram.texts("9")[1] == "全省通知"


# ---- 6. several sends in flight --------------------------------------------------------------


FOUR_IN_FLIGHT = Pace(in_flight=4)


@dataclass
class SlowTransport:
    """A far-away API: every send waits until the test opens the gate."""

    channel: str = "telegram"
    pace: Pace = FOUR_IN_FLIGHT

    def __post_init__(self) -> None:
        self.gate = asyncio.Event()
        self.under_way = 0
        self.most = 0
        self.done: list[str] = []

    async def send(self, address: str, reply: Reply, *, replace: str | None = None) -> Result:
        self.under_way += 1
        self.most = max(self.most, self.under_way)
        try:
            await self.gate.wait()
        finally:
            self.under_way -= 1
        self.done.append(address)
        return Result("sent", ref=str(len(self.done)))


async def test_four_sends_are_under_way_at_once_and_no_more(kb, tmp_path):
    clock = Clock()
    store = Store(tmp_path / "b.db", clock=clock, admin_ids=[ADMIN])
    service = ChatService(Context(kb=kb, clock=clock), store)
    slow = SlowTransport()
    dispatcher = make_dispatcher(service, [slow], KNOBS)
    chats = list(range(101, 107))
    calendar_set(store)
    for chat in chats:
        store.subscribe(chat, YEAR)
    clock.now = FIRST_DUE
    try:
        async with started(dispatcher):
            await until(lambda: slow.under_way == 4)
            await asyncio.sleep(0.1)
            assert (slow.under_way, slow.most, slow.done) == (4, 4, [])
            sending = store.db.execute(
                "SELECT count(*) FROM reminders WHERE status = 'sending'"
            ).fetchone()[0]
            assert sending == 4
            slow.gate.set()
            await until(lambda: len(slow.done) == 6)
            await until(lambda: all(reminder(store, c)["status"] == "sent" for c in chats))
        assert sorted(slow.done) == [str(c) for c in chats] and slow.most == 4
    finally:
        service.close()


# ---- 7. a broadcast's report goes back to the organizer's chat -------------------------------


async def test_an_organizers_broadcast_report_is_sent_to_their_chat_with_the_counts(world):
    store = world.store
    organizer = store.telegram_person(501)
    store.grant(store.operator(), organizer, "city:苏州")
    for chat in (11, 12, 13):
        store.touch_user(chat)
        store.subscribe(chat, YEAR)
        store.db.execute("UPDATE users SET city = '苏州市' WHERE chat_id = ?", [chat])
    world.telegram.script("13", Result("blocked", "Forbidden: bot was blocked by the user"))
    broadcast_id, total = store.create_broadcast(organizer, 501, "city:苏州", "苏州的通知")
    assert total == 3
    async with started(world.dispatcher):
        await until(lambda: any("已完成" in t for t in world.telegram.texts("501")))
    assert world.telegram.texts("11") == world.telegram.texts("12") == ["苏州的通知"]
    assert world.telegram.texts("13") == []
    report = world.telegram.outbox[-1]
    assert report.address == "501"
    assert f"群发 #{broadcast_id} 已完成" in report.reply.text
    assert "共 3 份，送达 2，无法送达 1，失败 0" in report.reply.text
    assert "• Telegram 3 份：送达 2，已屏蔽机器人 1，失败 0" in report.reply.text
    shown = [s for s in world.telegram.outbox if s.address == "501"]
    for earlier, later in itertools.pairwise(shown):
        assert later.replace == earlier.ref  # progress then report, each in the place of the last
    row = store.broadcast(broadcast_id)
    assert (row["state"], row["sent"], row["blocked"]) == ("done", 2, 1)
    assert row["progress_message_id"] == int(report.ref)


# ---- 8. ``biaogan web`` alone runs the dispatcher -------------------------------------------


async def test_biaogan_web_alone_lands_a_due_reminder_in_the_web_transcript(kb, tmp_path):
    from bot.web.server import serve_web_alone
    from bot.web.sessions import WebSessions

    clock = Clock()
    settings = Settings(_env_file=None, web_port=0, data_dir=tmp_path, admin_ids=[ADMIN])
    store = Store(settings.db_path, clock=clock, admin_ids=settings.admin_ids)
    service = ChatService(Context(kb=kb, clock=clock), store, settings)
    sessions = WebSessions(store.db, clock=clock, forget_chat=store.forget)
    _, chat_id = sessions.create()
    calendar_set(store)
    store.subscribe(chat_id, YEAR)
    clock.now = FIRST_DUE
    stop = asyncio.Event()
    serving = asyncio.create_task(serve_web_alone(settings, service, stop=stop))

    def landed() -> list[str]:
        return [m.text for m in sessions.history(chat_id) if m.sender == "bot"]

    try:
        await until(landed, timeout=30)
        [text] = landed()
        assert text.startswith("⏰") and "报送推荐材料" in text
        assert reminder(store, chat_id)["status"] == "sent"
    finally:
        stop.set()
        await asyncio.wait_for(serving, 30)
        service.close()


async def test_a_stall_is_made_up_only_where_the_channel_allows_it():
    """After the loop stalled a second, Telegram's budget (no catch-up) sends on at its rate; a
    mail provider's (catch_up 0.5 s) sends half a second's worth at once, then at its rate."""
    for catch_up, expected in ((0.0, 1), (0.5, 6)):
        now = [0.0]
        budget = Budget(Pace(per_second=10, catch_up=catch_up), clock=lambda now=now: now[0])
        await budget.take("a", interactive=False)  # the schedule starts
        now[0] = 1.1  # a one-second stall
        at_once = 0
        while budget.next_at <= now[0]:
            await budget.take("a", interactive=False)
            at_once += 1
        assert at_once == expected, (catch_up, at_once)
