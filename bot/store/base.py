"""What every table family shares: the connection and the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlite_utils import Database

from conversations.core import SHANGHAI


class StoreError(RuntimeError):
    """An effect the store cannot apply (the turn's transaction is rolled back)."""


class StoreBase:
    db: Database
    clock: Callable[[], datetime]

    def now_iso(self, delta: timedelta | None = None) -> str:
        """Now (plus ``delta``), Asia/Shanghai, to the second (how every timestamp is
        stored)."""
        moment = self.clock() + (delta or timedelta())
        return moment.astimezone(SHANGHAI).isoformat(timespec="seconds")
