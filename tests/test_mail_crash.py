"""Issue 17's crash test for e-mail: a real ``biaogan web`` process (the web page and the
dispatcher, no Telegram) with 500 due e-mail reminders, sending them over one SMTP connection to
a real SMTP server on loopback, killed with SIGKILL in the middle of its sending and started
again, twice: every address gets its reminder, and the duplicates are at most the one mail in
flight per kill, and at most the rows found in doubt at the restarts (counted by the server, by
each mail's To: header)."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections import Counter
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from bot.store import Store
from conversations.core import SHANGHAI, CalendarDate, now_shanghai
from tests.conftest import ROOT
from tests.mail_server import MailServer, free_port, subscribed_by_mail

REMINDERS = 500
CONNECTIONS = 1  # one mail in flight at a time: a kill may leave that one sent but unmarked
RATE = 60  # mails a second: ~8 s of sending, so the kills land mid-way
KILL_AFTER = (120, 300)  # mails arrived before each kill


def prepare(path: Path) -> list[str]:
    """500 confirmed addresses whose reminder of a milestone 10 days ahead is due since a
    minute."""
    store = Store(path)
    day = (now_shanghai() + timedelta(days=10)).date()
    store.set_calendar_date(
        store.operator(), CalendarDate(year=day.year, milestone="submission", day=day)
    )
    addresses = subscribed_by_mail(store, REMINDERS, day.year, [5])
    past = (now_shanghai() - timedelta(minutes=1)).astimezone(SHANGHAI)
    with store.db.atomic():
        store.db.execute("UPDATE reminders SET due_at = ?", [past.isoformat(timespec="seconds")])
    rows = store.db.execute("SELECT channel, count(*) FROM reminders GROUP BY channel").fetchall()
    assert rows == [("email", REMINDERS)]
    store.close()
    return addresses


async def start_web(server: MailServer, data_dir: Path, log) -> asyncio.subprocess.Process:
    env = {
        "PATH": "/usr/bin:/bin",
        "BIAOGAN_DATA_DIR": str(data_dir),
        "BIAOGAN_WEB_PORT": str(free_port()),
        "BIAOGAN_PUBLIC_URL": "http://biaogan.example.cn",
        "BIAOGAN_SMTP_HOST": "127.0.0.1",
        "BIAOGAN_SMTP_PORT": str(server.port),
        "BIAOGAN_SMTP_TLS": "none",
        "BIAOGAN_SMTP_SENDER": "notice@biaogan.example.cn",
        "BIAOGAN_SMTP_RATE": str(RATE),
        "BIAOGAN_SMTP_CONNECTIONS": str(CONNECTIONS),
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "web", cwd=ROOT, env=env, stdout=log, stderr=log
    )


def statuses(db_path: Path) -> dict[str, int]:
    with sqlite3.connect(db_path) as db:
        return dict(db.execute("SELECT status, count(*) FROM reminders GROUP BY status"))


async def test_sigkill_mid_sweep_loses_no_mail_and_duplicates_at_most_one_per_kill(tmp_path):
    data_dir = tmp_path / "data"
    db_path = data_dir / "biaogan.db"
    addresses = prepare(db_path)
    loop = asyncio.get_running_loop()
    received: Counter[str] = Counter()
    progress = asyncio.Event()

    def count(mail: EmailMessage) -> None:  # in the SMTP server's thread
        loop.call_soon_threadsafe(lambda: (received.update([str(mail["To"])]), progress.set()))

    async def until(total: int, timeout: float = 30) -> None:
        async def wait() -> None:
            while received.total() < total:
                progress.clear()
                await progress.wait()

        await asyncio.wait_for(wait(), timeout)

    async def all_marked_sent(timeout: float = 10) -> None:
        async def wait() -> None:
            while statuses(db_path) != {"sent": REMINDERS}:
                await asyncio.sleep(0.1)

        await asyncio.wait_for(wait(), timeout)

    kills = 0
    with open(tmp_path / "web.log", "wb") as log, MailServer() as server:
        server.mailbox.listeners.append(count)
        for threshold in KILL_AFTER:
            web = await start_web(server, data_dir, log)
            await until(threshold)
            os.kill(web.pid, signal.SIGKILL)
            await web.wait()
            kills += 1
            assert received.total() < REMINDERS, "killed mid-way"
        web = await start_web(server, data_dir, log)
        try:
            await until(REMINDERS)
            await all_marked_sent()  # a row is marked after its mail was accepted: none to come
        finally:
            web.send_signal(signal.SIGINT)
            await asyncio.wait_for(web.wait(), 20)

    assert set(received) == set(addresses), "every address gets its reminder"
    duplicates = received.total() - len(received)
    with sqlite3.connect(db_path) as db:
        in_doubt = db.execute("SELECT sum(in_doubt) FROM reminders").fetchone()[0]
    assert duplicates <= kills * CONNECTIONS, (duplicates, kills)
    assert duplicates <= in_doubt <= kills * CONNECTIONS, (duplicates, in_doubt, kills)
    print(f"kills={kills} duplicates={duplicates} in_doubt={in_doubt}")
