"""One server per data folder: ``biaogan run`` and ``biaogan web`` hold an advisory lock on
``<data>/biaogan.lock`` while they run (the kernel lets it go when the process ends, however
it ends). A second server on the same data would send the same outbox rows; ``biaogan
restore`` must not replace a database a server has open."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import sqlite3
import sys
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any


class DataInUse(RuntimeError):
    """Another process holds the data folder's lock."""

    def __init__(self, path: Path, holder: str) -> None:
        super().__init__(f"{path} is locked by process {holder or '?'}")
        self.path = path
        self.holder = holder


@contextlib.contextmanager
def data_lock(data_dir: Path) -> Iterator[Path]:
    """Hold the lock for the block, or raise ``DataInUse`` at once."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "biaogan.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            raise DataInUse(path, holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def serve_locked(settings: Any, main: Callable[[Any], Coroutine[Any, Any, None]]) -> int:
    """Run a server (``biaogan run``, ``biaogan web``): ``main(service)`` on a new event loop,
    holding the data folder's lock, the service opened once and closed at the end, SIGTERM
    taken as Ctrl-C. A start that cannot go on says why in one line (exit code 2)."""
    from bot.service import ChatService
    from bot.web.server import stop_on_sigterm
    from conversations import texts

    try:
        with data_lock(settings.data_dir):
            service = ChatService.open(settings)
            stop_on_sigterm()
            try:
                asyncio.run(main(service))
            except KeyboardInterrupt:  # uvicorn stops on Ctrl-C / SIGTERM and raises it again
                pass
            finally:
                service.close()
    except DataInUse as exc:
        print(texts.OPS_DATA_IN_USE.format(path=exc.path.parent, pid=exc.holder or "?"),
              file=sys.stderr)  # fmt: skip
        return 2
    except (sqlite3.Error, OSError) as exc:  # a folder not writable, a full disk, not a database
        print(texts.OPS_DB_UNUSABLE.format(path=settings.db_path, error=exc), file=sys.stderr)
        return 2
    return 0
