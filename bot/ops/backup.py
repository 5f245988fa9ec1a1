"""Backups and restores of the one SQLite file.

``backup`` copies the database while the bot runs, with SQLite's online backup API in one step:
the copy is read inside one read transaction, so it is the database as it stood at one moment
(a turn, a broadcast's rows: all or nothing), and in WAL mode the bot's writes go on meanwhile.
The copy is written beside its final name and renamed once checked (``PRAGMA integrity_check``),
as one self-contained file (journal mode DELETE: no -wal beside it).

``restore`` checks a file before anything changes: an SQLite database, intact, made by biaogan
(its ``_sqlite_migrations`` rows), and of no newer schema than this version knows (a migration
it does not know means a newer version made it). The running service must be stopped (the data
folder's lock); the database it replaces is kept beside it first.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from bot.ops.lock import data_lock
from bot.store.migrations import migrations

HEADER = b"SQLite format 3\x00"
NAME_FORMAT = "biaogan-%Y%m%d-%H%M%S.db"
PATTERN = "biaogan-????????-??????.db"


class BackupError(Exception):
    """A backup or restore refused: ``reason`` names which (``conversations.texts`` words it)."""

    def __init__(self, reason: str, **detail: object) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass
class Inspection:
    """What a database file holds."""

    integrity: str
    applied: list[str]  # biaogan's migrations applied, in order
    counts: dict[str, int] = field(default_factory=dict)  # rows per table

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def known_migrations() -> list[str]:
    """The migrations this version applies, in order."""
    return [m.name for m in migrations.pending(Database(memory=True))]


def inspect(connection: sqlite3.Connection) -> Inspection:
    """Integrity, biaogan's migrations and the rows per table of an open database."""
    integrity = "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
    ]
    applied: list[str] = []
    if "_sqlite_migrations" in tables:
        applied = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'biaogan' ORDER BY rowid"
            )
        ]
    counts = {t: connection.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}
    return Inspection(integrity, applied, counts)


def backup(source: Path, target: Path, *, now: datetime | None = None) -> tuple[Path, Inspection]:
    """Copy the database at ``source`` to ``target`` (a file, or a folder: a dated name in
    it); the copy's path and what it holds. Raises ``BackupError`` when the copy is not
    intact (then nothing is left under the final name)."""
    if not source.exists():
        raise BackupError("no_database", path=source)
    if target.is_dir():
        target = target / (now or datetime.now()).strftime(NAME_FORMAT)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)  # people's data: readable by the service's user only
    with _connect(source) as live, _connect(partial) as copy:
        live.backup(copy)  # all pages in one step: one read transaction, one moment
        copy.execute("PRAGMA journal_mode=DELETE")
        found = inspect(copy)
    if found.integrity != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError("not_intact", integrity=found.integrity)
    os.replace(partial, target)
    _sync_folder(target.parent)
    return target, found


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` dated backups in ``folder``; those deleted."""
    dated = sorted(folder.glob(PATTERN))
    doomed = dated[: max(len(dated) - keep, 0)]
    for path in doomed:
        path.unlink()
    return doomed


def check(path: Path) -> Inspection:
    """What a file to restore holds, or ``BackupError`` saying why it cannot be restored."""
    if not path.is_file():
        raise BackupError("missing", path=path)
    with path.open("rb") as file:
        if file.read(len(HEADER)) != HEADER:
            raise BackupError("not_sqlite", path=path)
    try:
        with _connect(path, read_only=True) as connection:
            found = inspect(connection)
    except sqlite3.DatabaseError as exc:
        raise BackupError("not_sqlite", path=path, error=str(exc)) from None
    if found.integrity != "ok":
        raise BackupError("not_intact", integrity=found.integrity)
    if not found.applied:
        raise BackupError("not_biaogan", path=path)
    unknown = [name for name in found.applied if name not in known_migrations()]
    if unknown:
        raise BackupError("newer_schema", unknown=unknown)
    return found


def restore(
    path: Path, data_dir: Path, *, now: datetime | None = None
) -> tuple[Inspection, Path | None]:
    """Replace the database of ``data_dir`` by the checked file at ``path``; what it holds and
    where the database it replaced was kept (None: there was none). ``DataInUse`` when a
    server runs on this data."""
    found = check(path)
    database = data_dir / "biaogan.db"
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    with data_lock(data_dir):
        kept = None
        if database.exists():
            kept, _ = backup(database, data_dir / f"biaogan.db.before-restore-{stamp}")
        partial = data_dir / ".biaogan.db.restoring"
        partial.unlink(missing_ok=True)
        with _connect(path, read_only=True) as source, _connect(partial) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        for leftover in ("-wal", "-shm"):  # the old database's: they must not meet the new one
            Path(f"{database}{leftover}").unlink(missing_ok=True)
        os.replace(partial, database)
        _sync_folder(data_dir)
    return found, kept


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    try:
        connection.execute("PRAGMA busy_timeout=10000")
        yield connection
    finally:
        connection.close()


def _sync_folder(folder: Path) -> None:
    """The rename itself on disk (a crash right after keeps the new name)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
