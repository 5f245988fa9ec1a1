"""One turn, one transaction; who is speaking; one clock — through the real store on disk."""

from __future__ import annotations

import sqlite3

import time_machine

from bot.config import Settings
from bot.service import ChatService
from conversations import texts
from conversations.callbacks import encode
from conversations.core import CallbackEvent, CommandEvent, TextEvent

PARTS = ["c1a", "c1b", "c2", "c3", "c4", "c5_years", "c5_effective", "c6"]


def open_service(tmp_path, **settings) -> ChatService:
    return ChatService.open(Settings(_env_file=None, data_dir=tmp_path, **settings))


def to_summary(service: ChatService, actor) -> None:
    service.handle(actor, CommandEvent(name="check"))
    for key in PARTS:
        code = "ge3" if key == "c5_years" else "y"
        service.handle(actor, CallbackEvent(data=encode("e", "ans", f"{key}.{code}")))


def test_an_effect_failing_mid_turn_changes_nothing_and_the_user_is_told(tmp_path):
    service = open_service(tmp_path)
    actor = service.actor(42, 42)
    to_summary(service, actor)
    before = service.store.load_state(42)
    assert before.step == "summary"
    # The check's row cannot be written (as if the disk were full): the whole turn rolls back.
    service.store.db.execute(
        "CREATE TRIGGER no_checks BEFORE INSERT ON checks BEGIN SELECT RAISE(ABORT, 'full'); END"
    )
    replies = service.handle(actor, CallbackEvent(data=encode("e", "done"))).replies
    assert [r.text for r in replies] == [texts.TURN_NOT_SAVED]
    again = ChatService.open(Settings(_env_file=None, data_dir=tmp_path))  # a fresh connection
    assert again.store.load_state(42) == before  # the state did not move on
    assert again.store.db["checks"].count == 0
    service.store.db.execute("DROP TRIGGER no_checks")
    replies = service.handle(actor, CallbackEvent(data=encode("e", "done"))).replies  # retry works
    assert "自测结果" in replies[0].text and service.store.db["checks"].count == 1


def test_a_state_write_failing_keeps_the_records_out_too(tmp_path):
    service = open_service(tmp_path)
    actor = service.actor(7, 7)
    service.handle(actor, CommandEvent(name="check"))  # a state row exists now
    service.store.db.execute(
        "CREATE TRIGGER no_states BEFORE UPDATE ON states BEGIN SELECT RAISE(ABORT, 'x'); END"
    )
    # A question the notice does not answer, typed while a state change is pending (the detour
    # mark): the unanswered row and the state would commit together; neither does.
    replies = service.handle(actor, TextEvent(text="我们的补贴能拿多少钱")).replies
    assert [r.text for r in replies] == [texts.TURN_NOT_SAVED]
    assert service.store.db["unanswered"].count == 0
    assert service.store.load_state(7).detour is False


def test_admins_come_from_the_settings_and_only_on_telegram(tmp_path):
    service = open_service(tmp_path, admin_ids="5, 6")
    assert service.actor(5, 5).role == "admin"
    assert service.actor(9, 9).role == "enterprise"
    assert service.actor(5, 5, channel="web").role == "enterprise"


def test_the_one_clock_dates_what_the_store_records(tmp_path):
    with time_machine.travel("2027-03-04 23:59:30+08:00", tick=False):
        service = open_service(tmp_path)
        actor = service.actor(3, 3)
        service.handle(actor, TextEvent(text="补贴能拿多少钱"))
        (row,) = service.store.db["unanswered"].rows
        assert row["at"] == "2027-03-04T23:59:30+08:00"
        assert service.ctx.today().isoformat() == "2027-03-04"


def test_sqlite_errors_of_a_turn_are_logged(tmp_path, caplog):
    service = open_service(tmp_path)
    service.store.db.execute(
        "CREATE TRIGGER no_users BEFORE INSERT ON users BEGIN SELECT RAISE(ABORT, 'x'); END"
    )
    replies = service.handle(service.actor(8, 8), CommandEvent(name="start")).replies
    assert replies[0].text == texts.TURN_NOT_SAVED
    assert any("rolled back" in r.getMessage() for r in caplog.records)
    assert isinstance(sqlite3.IntegrityError("x"), sqlite3.Error)
