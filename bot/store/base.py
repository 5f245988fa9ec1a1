"""What every table family shares: the connection and the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlite_utils import Database

from conversations.core import SHANGHAI


class StoreError(RuntimeError):
    """An effect the store cannot apply (the turn's transaction is rolled back)."""


class StoreBase:
    db: Database
    clock: Callable[[], datetime]

    def now_iso(self) -> str:
        """Now, Asia/Shanghai, to the second (how every timestamp is stored)."""
        return self.clock().astimezone(SHANGHAI).isoformat(timespec="seconds")
