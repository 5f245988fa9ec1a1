"""One server per data folder: ``biaogan run`` and ``biaogan web`` hold an advisory lock on
``<data>/biaogan.lock`` while they run (the kernel lets it go when the process ends, however
it ends). A second server on the same data would send the same outbox rows; ``biaogan
restore`` must not replace a database a server has open."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import signal
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


Main = Callable[[Any, asyncio.Event], Coroutine[Any, Any, None]]


async def _until_signalled(main: Main, service: Any) -> None:
    """``main(service, stop)`` with SIGTERM and Ctrl-C setting ``stop``: the servers shut down
    the way they end on their own (the outbox rows in flight kept, the bot's update fetcher
    stopped in order), whether the signal comes before, while or after uvicorn serves (uvicorn
    catches it while serving and raises it again afterwards; it then lands here too)."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await main(service, stop)
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)


def serve_locked(settings: Any, main: Main) -> int:
    """Run a server (``biaogan run``, ``biaogan web``): ``main(service, stop)`` on a new event
    loop, holding the data folder's lock, the service opened once and closed at the end, until
    SIGTERM or Ctrl-C sets ``stop``. A start that cannot go on says why in one line (exit
    code 2)."""
    from bot.service import ChatService
    from conversations import texts

    try:
        with data_lock(settings.data_dir):
            service = ChatService.open(settings)
            try:
                asyncio.run(_until_signalled(main, service))
            except KeyboardInterrupt:  # a second Ctrl-C while shutting down
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
