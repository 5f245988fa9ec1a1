"""What every table family shares: the connection, the clock, and wiping what was deleted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlite_utils import Database

from conversations.core import SHANGHAI

# Set on the connection when the store opens it: a deleted row's bytes are overwritten with
# zeros in the page (the free pages too), not left behind for anyone reading the file.
SECURE_DELETE = "PRAGMA secure_delete=ON"


class StoreError(RuntimeError):
    """An effect the store cannot apply (the turn's transaction is rolled back)."""


class StoreBase:
    db: Database
    clock: Callable[[], datetime]
    _wipe_wal: bool = False  # something was forgotten: copy the WAL in and empty it at commit

    def now_iso(self, delta: timedelta | None = None) -> str:
        """Now (plus ``delta``), Asia/Shanghai, to the second (how every timestamp is
        stored)."""
        moment = self.clock() + (delta or timedelta())
        return moment.astimezone(SHANGHAI).isoformat(timespec="seconds")

    def wipe_after_commit(self) -> None:
        """Ask for the WAL to be emptied once the open transaction commits (now if none)."""
        self._wipe_wal = True
        self.wipe_wal()

    def wipe_wal(self) -> None:
        """After a forget has committed: ``wal_checkpoint(TRUNCATE)`` copies the WAL's pages
        (with the deleted rows zeroed, ``secure_delete``) into the database and truncates the
        WAL file, so the forgotten text is in neither file. Inside a transaction: later."""
        if not self._wipe_wal or self.db.conn.in_transaction:
            return
        self._wipe_wal = False
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
