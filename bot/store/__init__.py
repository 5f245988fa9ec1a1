"""The SQLite store (sqlite-utils): one file, WAL mode, one module per table family.

The schema comes only from the ordered migrations of ``bot.store.migrations``. A chat turn runs
in one ``transaction()``: the new state, every effect's rows (and an organizer action's audit
row) commit together or not at all.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from bot.store.migrations import migrations
from bot.store.privacy import PrivacyStore
from bot.store.records import RecordStore
from bot.store.scope import NotAllowed
from bot.store.states import StateStore
from bot.store.stats import StatsStore
from bot.store.users import UserStore
from conversations.core import (
    Effect,
    ForgetUser,
    RecordAreaSuggestion,
    RecordCheck,
    RecordUnanswered,
    UpdateProfile,
    now_shanghai,
)

__all__ = ["NotAllowed", "Store", "StoreError", "migrations"]


class StoreError(RuntimeError):
    """An effect the store cannot apply (the turn's transaction is rolled back)."""


class Store(StateStore, UserStore, RecordStore, StatsStore, PrivacyStore):
    """All persistent data of one bot; opened once at start-up, closed at shutdown."""

    def __init__(self, path: Path, clock: Callable[[], datetime] = now_shanghai) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.clock = clock
        self.db = Database(path)
        self.db.enable_wal()
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=5000")
        self.db.execute("PRAGMA foreign_keys=ON")
        migrations.apply(self.db)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """All or nothing (nested: a savepoint)."""
        with self.db.atomic():
            yield self

    def apply_effects(self, chat_id: int, effects: Iterable[Effect]) -> None:
        """Record what a flow asked to be recorded, all in one transaction."""
        with self.transaction():
            for effect in effects:
                self.apply(chat_id, effect)

    def apply(self, chat_id: int, effect: Effect) -> None:
        match effect:
            case RecordUnanswered():
                self.record_unanswered(chat_id, effect)
            case RecordCheck():
                self.record_check(chat_id, effect)
            case RecordAreaSuggestion():
                self.record_area(chat_id, effect)
            case UpdateProfile():
                self.update_profile(chat_id, effect)
            case ForgetUser():
                self.forget(chat_id, effect.user_id)
            case _:
                raise StoreError(f"no table records {type(effect).__name__}")

    def close(self) -> None:
        self.db.close()
