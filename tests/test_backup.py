"""``biaogan backup`` while turns and a broadcast are writing (separate processes, a real
SQLite file), and ``biaogan restore``: a good copy back in place, and every bad file refused
with nothing changed (bot.ops.backup, bot.cli_ops)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings
from bot.ops.backup import backup, known_migrations
from bot.ops.lock import data_lock
from bot.runtime import Knobs, make_dispatcher, started
from bot.service import ChatService
from bot.transports import Pace
from bot.transports.memory import MemoryTransport
from conversations.core import Actor, TextEvent
from tests.conftest import ROOT

YEAR = 2027
SUBSCRIBERS = 1500


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}


def consistent(path: Path) -> dict[str, int]:
    """What must hold in any copy of a moment: intact; every broadcast with all its delivery
    rows (they are written in one transaction); every chat with a state has its user row (a
    turn writes both)."""
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        for broadcast, total in db.execute("SELECT id, total FROM broadcasts"):
            rows = db.execute(
                "SELECT count(*) FROM deliveries WHERE broadcast_id = ?", [broadcast]
            ).fetchone()[0]
            assert rows == total, (broadcast, rows, total)
        orphans = db.execute(
            "SELECT count(*) FROM states WHERE chat_id NOT IN (SELECT chat_id FROM users)"
        ).fetchone()[0]
        assert orphans == 0
        sent = db.execute("SELECT count(*) FROM deliveries WHERE status = 'sent'").fetchone()[0]
    return {**counts(path), "sent": sent}


def cli_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIAOGAN_")}
    return {**env, "PYTHONPATH": str(ROOT), "BIAOGAN_DATA_DIR": str(data_dir)}


async def biaogan(data_dir: Path, *args: str) -> tuple[int, str, str]:
    """``biaogan ARGS`` in a process of its own."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main(sys.argv[1:]))",
        *args, env=cli_env(data_dir), cwd=data_dir.parent,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.fixture
def settings(tmp_path):
    return Settings(_env_file=None, data_dir=tmp_path / "data")


async def test_a_backup_while_turns_and_a_broadcast_write_is_a_consistent_copy(settings, tmp_path):
    service = ChatService.open(settings)
    store = service.store
    with store.transaction():
        for chat in range(1, SUBSCRIBERS + 1):
            store.touch_user(chat)
            store.subscribe(chat, YEAR)
    telegram = MemoryTransport("telegram", pace=Pace(per_second=400))
    dispatcher = make_dispatcher(service, [telegram], Knobs(poll=0.05))
    operator = store.operator()
    turns = 0
    stop = asyncio.Event()

    async def chatting() -> None:  # people asking while the broadcast goes out
        nonlocal turns
        while not stop.is_set():
            chat = 100_000 + turns
            actor = service.actor(chat, chat)
            service.handle(actor, TextEvent(text="要交费吗" if turns % 2 else "火星上有标杆吗"))
            turns += 1
            await asyncio.sleep(0.001)

    copies = []
    try:
        async with started(dispatcher):
            store.create_broadcast(operator, None, "all", "全省通知：请于6月30日前报送材料")
            talk = asyncio.create_task(chatting())
            for n in range(3):
                await asyncio.sleep(0.4)
                if n == 1:  # a second broadcast's rows are being written as a copy is made
                    store.create_broadcast(operator, None, "all", "第二份通知")
                before = counts(settings.db_path)
                copy = tmp_path / "b" / f"copy{n}.db"  # (a missing folder is made)
                code, out, err = await biaogan(settings.data_dir, "backup", str(copy))
                after = counts(settings.db_path)
                assert code == 0, err
                assert "完整性检查 ok" in out
                copies.append((before, after))
            stop.set()
            await talk
    finally:
        service.close()
    files = sorted((tmp_path / "b").glob("copy*.db"))
    assert len(files) == 3
    for path in files:
        seen = consistent(path)
        assert seen["sent"] > 0  # taken while the broadcast was under way
        assert seen["unanswered"] > 0 and seen["broadcasts"] >= 1
    for path, (before, after) in zip(files, copies, strict=True):
        seen = counts(path)
        for table in ("unanswered", "users", "audit"):
            assert before[table] <= seen[table] <= after[table], table
    assert turns > 50 and telegram.texts()
    assert not list((tmp_path / "b").glob(".*partial"))
    assert {path.stat().st_mode & 0o777 for path in files} == {0o600}


# ---- restore -------------------------------------------------------------------------------


@pytest.fixture
def saved(settings, tmp_path):
    """A database with a few turns, and a backup of it."""
    service = ChatService.open(settings)
    for chat in (1, 2, 3):
        service.handle(Actor(user_id=chat, chat_id=chat), TextEvent(text="火星上有标杆吗"))
    service.close()
    path, _ = backup(settings.db_path, tmp_path / "saved.db")
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(monkeypatch, settings, *args: str) -> int:
    monkeypatch.setenv("BIAOGAN_DATA_DIR", str(settings.data_dir))
    monkeypatch.chdir(settings.data_dir.parent)
    return main(list(args))


def test_restore_puts_a_backup_back_and_keeps_what_it_replaced(
    monkeypatch, capsys, settings, saved
):
    service = ChatService.open(settings)
    service.handle(Actor(user_id=9, chat_id=9), TextEvent(text="月球上有标杆吗"))  # after the copy
    service.close()
    assert counts(settings.db_path)["unanswered"] == 4
    assert run_cli(monkeypatch, settings, "restore", str(saved), "--yes") == 0
    out = capsys.readouterr().out
    assert "已恢复" in out and "before-restore" in out
    assert counts(settings.db_path)["unanswered"] == 3
    (kept,) = settings.data_dir.glob("biaogan.db.before-restore-*")
    assert counts(kept)["unanswered"] == 4
    service = ChatService.open(settings)  # the bot starts on it
    service.close()


def test_restore_needs_a_yes(monkeypatch, capsys, settings, saved):
    before = digest(settings.db_path)
    assert run_cli(monkeypatch, settings, "restore", str(saved)) == 1
    assert "--yes" in capsys.readouterr().err
    assert digest(settings.db_path) == before


def refused(monkeypatch, capsys, settings, path: Path) -> str:
    before = digest(settings.db_path)
    assert run_cli(monkeypatch, settings, "restore", str(path), "--yes") == 1
    assert digest(settings.db_path) == before  # nothing changed
    assert not list(settings.data_dir.glob("biaogan.db.before-restore-*"))
    return capsys.readouterr().err


def test_restore_refuses_a_file_that_is_not_a_database(monkeypatch, capsys, settings, saved):
    text = settings.data_dir.parent / "notes.txt"
    text.write_text("这不是数据库", encoding="utf-8")
    assert "不是 SQLite 数据库文件" in refused(monkeypatch, capsys, settings, text)


def test_restore_refuses_another_programs_database(monkeypatch, capsys, settings, saved):
    other = settings.data_dir.parent / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    assert "不是标杆助手的数据库" in refused(monkeypatch, capsys, settings, other)


def test_restore_refuses_a_newer_schema(monkeypatch, capsys, settings, saved):
    with sqlite3.connect(saved) as db:
        db.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('biaogan', 'm099_from_the_future', '2030-01-01')"
        )
    err = refused(monkeypatch, capsys, settings, saved)
    assert "更新的版本" in err and "m099_from_the_future" in err


def test_restore_refuses_a_damaged_copy(monkeypatch, capsys, settings, saved):
    data = bytearray(saved.read_bytes())
    page = 4096
    data[page * 2 : page * 2 + 512] = b"\xff" * 512  # a page of a table's b-tree overwritten
    saved.write_bytes(bytes(data))
    err = refused(monkeypatch, capsys, settings, saved)
    assert "完整性检查" in err or "不是 SQLite" in err


def test_restore_refuses_while_the_service_runs(monkeypatch, capsys, settings, saved):
    with data_lock(settings.data_dir):  # what biaogan run / web hold
        assert "服务正在使用" in refused(monkeypatch, capsys, settings, saved)


def test_backup_into_a_folder_keeps_the_newest(monkeypatch, capsys, settings, saved, tmp_path):
    folder = tmp_path / "daily"
    folder.mkdir()
    for day in range(1, 6):
        (folder / f"biaogan-200001{day:02d}-033000.db").write_bytes(saved.read_bytes())
    assert run_cli(monkeypatch, settings, "backup", str(folder), "--keep", "3") == 0
    left = sorted(p.name for p in folder.iterdir())
    assert len(left) == 3 and left[:2] == [
        "biaogan-20000104-033000.db",
        "biaogan-20000105-033000.db",
    ]
    assert "删除了较早的 3 份" in capsys.readouterr().out


def test_the_migrations_this_version_knows_are_those_a_new_store_applies(settings):
    from bot.store import Store, migrations

    Store(settings.db_path).close()
    with sqlite3.connect(settings.db_path) as db:
        applied = [r[0] for r in db.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    assert applied == known_migrations() and "m019_heartbeat" in applied
    assert applied[-1] == "m023_web_handover"  # the newest
    assert migrations.name == "biaogan"
