"""Reminders at scale: 100,000 subscriptions (5 milestones × 3 offsets = 1.5 million reminder
rows), the time to find the due set (how many are due; the next row a worker claims), and the
send rate of one sweep — the dispatcher's Telegram worker sending ``--send`` due reminders —
through the fake Bot API server with Telegram's limits on (30/s overall, 1/s per chat). Run from
the repository root:

    .venv/bin/python bench/reminders.py [--subscriptions 100000] [--send 600]

Targets: the due set found in < 50 ms (it needs the (status, channel, due_at) and (status,
due_at) indexes; ``--no-index`` shows the same queries without them) and a sweep at >= 27
messages/s with zero 429s.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from telegram.ext import ExtBot  # noqa: E402

from bot.dispatch import Budget  # noqa: E402
from bot.outbox import Outbox  # noqa: E402
from bot.runtime import make_dispatcher  # noqa: E402
from bot.service import ChatService  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.telegram.limits import BudgetRateLimiter, Limits, telegram_pace  # noqa: E402
from bot.telegram.transport import TelegramTransport  # noqa: E402
from conversations.core import SHANGHAI, CalendarDate, Context  # noqa: E402
from knowledge import load_knowledge  # noqa: E402
from tests.fake_bot_api import FakeBotApi  # noqa: E402

DAYS = {
    "submission": date(2027, 6, 30),
    "announcement": date(2027, 7, 31),
    "exchange_start": date(2027, 8, 2),
    "exchange_end": date(2027, 11, 30),
    "summary": date(2027, 12, 15),
}


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.now = moment

    def __call__(self) -> datetime:
        return self.now


def build(path: Path, subscriptions: int, clock: Clock) -> Store:
    store = Store(path, clock=clock)
    now = store.now_iso()
    chats = range(1, subscriptions + 1)
    with store.db.atomic():
        store.db.conn.executemany(  # each chat's Telegram destination: its id is the chat's
            "INSERT INTO destinations (id, channel, address, created_at)"
            " VALUES (? + 1000000, 'telegram', ?, ?)",
            [(chat, str(chat), now) for chat in chats],
        )
        store.db.conn.executemany(
            "INSERT INTO subscriptions (destination_id, chat_id, year, offsets, active,"
            " created_at, updated_at) VALUES (? + 1000000, ?, 2027, '[30, 7, 1]', 1, ?, ?)",
            [(chat, chat, now, now) for chat in chats],
        )
    operator = store.operator()
    started = time.perf_counter()
    for milestone, day in DAYS.items():
        store.set_calendar_date(operator, CalendarDate(year=2027, milestone=milestone, day=day))
    took = time.perf_counter() - started
    with store.db.atomic():  # the publication notices went out in an earlier sweep
        store.db.execute("UPDATE reminders SET status = 'sent' WHERE kind = 'published'")
    rows = store.db.execute("SELECT count(*) FROM reminders WHERE kind = 'due'").fetchone()[0]
    print(f"{subscriptions:,} subscriptions → {rows:,} reminder rows (5 dates set in {took:.1f} s)")
    return store


def timed(store: Store, sql: str, params: dict, runs: int = 21) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = store.db.execute(sql, params).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def due_set(store: Store, moment: str) -> None:
    """The due-set queries of the outbox (``bot.outbox.Outbox``): count the due rows
    (``due_count``), and find the next row a worker claims (``claim``'s inner select)."""
    count_sql = "SELECT count(*) FROM reminders WHERE status = 'pending' AND due_at <= :now"
    next_sql = (
        "SELECT id FROM reminders WHERE status = 'pending'"
        " AND channel = :channel AND due_at <= :now"
        " AND (retry_at IS NULL OR retry_at <= :now)"
        " AND destination_id NOT IN (SELECT id FROM destinations WHERE active = 0)"
        " ORDER BY due_at, id LIMIT 1"
    )
    params = {"now": moment, "channel": "telegram"}
    count_ms, count = timed(store, count_sql, params)
    next_ms, _ = timed(store, next_sql, params)
    print(
        f"  at {moment}: {count[0][0]:>7,} due · "
        f"count {count_ms:6.2f} ms · next row {next_ms:6.3f} ms"
    )


async def sweep_rate(store: Store, clock: Clock, send: int) -> tuple[float, int, int]:
    """The process's dispatcher, as ``biaogan run`` assembles it (Telegram's budget shared by
    the rate limiter and the transport, production limits), sending due reminders until
    ``send`` are sent: their rate from the first send to the last."""
    ctx = Context(kb=load_knowledge(), clock=clock)
    limits = Limits()
    budget = Budget(telegram_pace(limits))
    sent_at: list[float] = []
    async with FakeBotApi(limits=True) as server:
        server.listeners.append(
            lambda call: call.method == "sendMessage" and call.ok and sent_at.append(call.at)
        )
        bot = ExtBot(
            "123456:BENCH", base_url=server.base_url, rate_limiter=BudgetRateLimiter(limits, budget)
        )
        async with bot:
            await bot.get_me()
            transport = TelegramTransport(bot, budget.pace, budget=budget)
            dispatcher = make_dispatcher(ChatService(ctx, store), [transport], limits.knobs())
            dispatcher.start()
            try:
                while len(sent_at) < send:
                    await asyncio.sleep(0.05)
            finally:
                await dispatcher.stop()
    outbox: Outbox = dispatcher.source("reminders").outbox
    sent = outbox.tally.sent
    span = sent_at[-1] - sent_at[0] if len(sent_at) > 1 else 0.0
    rate = (len(sent_at) - 1) / span if span else 0.0
    return rate, sent, server.limit_429s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--send", type=int, default=600, help="reminders sent in the sweep")
    parser.add_argument(
        "--no-index", action="store_true", help="drop the (status[, channel], due_at) indexes"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    clock = Clock(datetime(2027, 5, 1, 8, 0, tzinfo=SHANGHAI))
    with tempfile.TemporaryDirectory() as tmp:
        store = build(Path(tmp) / "bench.db", args.subscriptions, clock)
        if args.no_index:
            store.db.execute("DROP INDEX idx_reminders_status_due_at")
            store.db.execute("DROP INDEX idx_reminders_status_channel_due_at")
        store.db.execute("ANALYZE")
        print("finding the due set (median of 21):")
        # a minute before, and at, the worst minute: every subscriber's 30-day reminder at once
        for moment in ("2027-05-31T08:59:00+08:00", "2027-05-31T09:00:00+08:00"):
            due_set(store, moment)
        clock.now = datetime(2027, 5, 31, 9, 0, tzinfo=SHANGHAI)  # 100,000 reminders due
        rate, sent, refused = asyncio.run(sweep_rate(store, clock, args.send))
        store.close()
    ok = rate >= 27 and refused == 0
    print(
        f"one sweep through the fake server (30/s, 1/s per chat): {sent} sent at {rate:.1f}/s, "
        f"{refused} × 429 — {'OK' if ok else 'BELOW TARGET'} (target ≥ 27/s, zero 429s)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
