"""The issue's crash test: a real ``biaogan run`` process with 2,000 due reminders, killed with
SIGKILL in the middle of its sending and started again, twice: every reminder arrives, and the
duplicates are at most the rows found in doubt at the restarts, themselves at most the sends the
dispatcher keeps in flight (``Limits.in_flight``) per kill (counted on the fake Bot API server)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import timedelta

from bot.store import Store
from bot.telegram.limits import Limits
from conversations.core import SHANGHAI, CalendarDate, now_shanghai
from tests.conftest import ROOT
from tests.fake_bot_api import FakeBotApi, visible_text

REMINDERS = 2000
IN_FLIGHT = Limits().in_flight  # sends under way at once: each may be resent after a kill


def prepare(path) -> None:
    """2,000 subscribers whose reminder of a milestone 10 days ahead is due since a minute."""
    store = Store(path)
    day = (now_shanghai() + timedelta(days=10)).date()
    store.set_calendar_date(
        store.operator(), CalendarDate(year=day.year, milestone="submission", day=day)
    )
    with store.transaction():
        for chat in range(1, REMINDERS + 1):
            store.subscribe(chat, day.year, [5])
    past = (now_shanghai() - timedelta(minutes=1)).astimezone(SHANGHAI)
    with store.db.atomic():
        store.db.execute("UPDATE reminders SET due_at = ?", [past.isoformat(timespec="seconds")])
    assert store.db.execute("SELECT count(*) FROM reminders").fetchone()[0] == REMINDERS
    store.close()


async def start_bot(server: FakeBotApi, data_dir, log) -> asyncio.subprocess.Process:
    env = {
        "PATH": "/usr/bin:/bin",
        "BIAOGAN_TELEGRAM_TOKEN": "123456:TEST-TOKEN",
        "BIAOGAN_TELEGRAM_BASE_URL": server.base_url,
        "BIAOGAN_DATA_DIR": str(data_dir),
        "BIAOGAN_TELEGRAM_RATE": "0",  # as fast as it goes: the kills land mid-way
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", cwd=ROOT, env=env, stdout=log, stderr=log
    )


async def test_sigkill_mid_send_loses_nothing_and_duplicates_at_most_in_flight_per_kill(tmp_path):
    data_dir = tmp_path / "data"
    prepare(data_dir / "biaogan.db")
    received: Counter[int] = Counter()
    progress = asyncio.Event()

    def count(call) -> None:
        if call.method == "sendMessage" and call.ok and "⏰" in visible_text(call.text, "HTML"):
            received[call.chat_id] += 1
            progress.set()

    async def until(total: int, timeout: float = 60) -> None:
        async def wait() -> None:
            while sum(received.values()) < total:
                progress.clear()
                await progress.wait()

        await asyncio.wait_for(wait(), timeout)

    kills = 0
    with open(tmp_path / "bot.log", "wb") as log:
        async with FakeBotApi() as server:
            server.listeners.append(count)
            for threshold in (300, 900):  # two kills, each in the middle of the sending
                bot = await start_bot(server, data_dir, log)
                await until(threshold)
                os.kill(bot.pid, signal.SIGKILL)
                await bot.wait()
                kills += 1
                assert sum(received.values()) < REMINDERS  # it was mid-way
            bot = await start_bot(server, data_dir, log)
            try:
                await until(REMINDERS, timeout=120)
                await asyncio.sleep(1.0)  # anything more would be a duplicate: let it come
            finally:
                bot.send_signal(signal.SIGINT)
                await asyncio.wait_for(bot.wait(), 20)

    assert set(received) == set(range(1, REMINDERS + 1)), "every reminder arrives"
    duplicates = sum(n - 1 for n in received.values())
    store = Store(data_dir / "biaogan.db")
    status = dict(store.db.execute("SELECT status, count(*) FROM reminders GROUP BY status"))
    in_doubt = store.db.execute("SELECT sum(in_doubt) FROM reminders").fetchone()[0]
    store.close()
    assert status == {"sent": REMINDERS}
    assert duplicates <= in_doubt <= kills * IN_FLIGHT, (duplicates, in_doubt, kills)
    print(f"kills={kills} duplicates={duplicates} in_doubt={in_doubt}")
