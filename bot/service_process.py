"""Where the Telegram adapter runs the ChatService: in a child process, or inline.

A turn (FAQ matching, SQLite) is about a millisecond of pure Python. On the event loop it holds
up every other chat for that long; in a thread it fights the event loop for the GIL and costs
more than it saves. In a child process it runs on another core while the event loop keeps
serving Telegram (and can show "typing…" when a turn is slow). The child owns the SQLite
connection, so the store keeps a single writer.

The parent talks to the child over a pipe watched by the event loop (``add_reader``): no helper
threads in the parent.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import multiprocessing
import pickle
import signal
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Protocol

from bot.service import ChatService
from conversations.core import Event, Reply

log = logging.getLogger(__name__)

UserInfo = tuple[int, str | None, str | None]  # (user id, username, first name)
TOUCH_EVERY = 600.0  # seconds between refreshes of a user's record (last_seen)


class ServiceGone(RuntimeError):
    """The service process ended; pending and new turns fail until it is started again."""


class Turns:
    """The service side of a turn: record the user (at most every TOUCH_EVERY s), handle."""

    def __init__(self, service: ChatService, owned: bool = True) -> None:
        self.service = service
        self.owned = owned
        self._touched: dict[int, tuple[UserInfo, float]] = {}

    def turn(self, chat_id: int, user: UserInfo | None, event: Event) -> list[Reply]:
        if user is not None:
            seen = self._touched.get(chat_id)
            now = time.monotonic()
            if seen is None or seen[0] != user or now - seen[1] > TOUCH_EVERY:
                user_id, username, first_name = user
                self.service.store.touch_user(
                    chat_id, user_id=user_id, username=username, first_name=first_name
                )
                self._touched[chat_id] = (user, now)
        return self.service.handle(chat_id, event)

    def close(self) -> None:
        if self.owned:
            self.service.close()


class ServiceRunner(Protocol):
    def spawn(self) -> None: ...

    async def start(self) -> None: ...

    async def call(self, method: str, *args: Any) -> Any: ...

    async def stop(self) -> None: ...


class InlineService:
    """Turns run on the event loop (no fork available, or asked for)."""

    def __init__(self, open_turns: Callable[[], Turns]) -> None:
        self._open = open_turns
        self._turns: Turns | None = None

    def spawn(self) -> None:
        pass

    async def start(self) -> None:
        self._turns = self._open()

    async def call(self, method: str, *args: Any) -> Any:
        if self._turns is None:
            raise ServiceGone("the service is not started")
        return getattr(self._turns, method)(*args)

    async def stop(self) -> None:
        if self._turns is not None:
            self._turns.close()
            self._turns = None


class ServiceProcess:
    """Turns run in a forked child process; calls are matched to answers by id."""

    START_TIMEOUT = 120.0
    STOP_TIMEOUT = 10.0

    def __init__(self, open_turns: Callable[[], Turns]) -> None:
        self._open = open_turns
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._conn: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        self._starting = asyncio.Lock()
        self._reading = False

    @property
    def alive(self) -> bool:
        return self._conn is not None and self._process is not None and self._process.is_alive()

    def spawn(self) -> None:
        """Fork the child now. Best before the parent opens any connection: a forked child
        holds copies of the parent's sockets (a connection the parent closes would stay open
        in the child), so ``build_application`` spawns before the bot connects anywhere."""
        if self._process is not None and self._process.is_alive():
            return
        context = multiprocessing.get_context("fork")
        self._conn, child_end = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child_end, self._open), name="biaogan-service", daemon=True
        )
        self._process.start()
        child_end.close()

    async def start(self) -> None:
        """Spawn (if not yet done) and wait until the child has opened the service."""
        async with self._starting:
            if self.alive and self._reading:
                return
            if self._conn is not None and self._reading:
                # A child that died left its pipe watched: unwatch and close it first, or the
                # loop would keep waking up for the dead pipe's end-of-file.
                self._gone("the service process ended")
            self.spawn()
            assert self._conn is not None and self._process is not None
            loop = asyncio.get_running_loop()
            ready = loop.create_future()
            self._pending[0] = ready
            loop.add_reader(self._conn.fileno(), self._on_readable)
            self._reading = True
            await asyncio.wait_for(ready, self.START_TIMEOUT)
            log.info("service process %s ready", self._process.pid)

    async def call(self, method: str, *args: Any) -> Any:
        if not (self.alive and self._reading):
            log.warning("service process not running; starting it")
            await self.start()
        assert self._conn is not None
        call_id = next(self._ids)
        answer = asyncio.get_running_loop().create_future()
        self._pending[call_id] = answer
        self._conn.send((call_id, method, args))
        return await answer

    def _on_readable(self) -> None:
        """One answer per wake-up: the loop calls again while the pipe has more (level-triggered),
        and ``Connection.poll`` — which builds a selector on every call — is not needed."""
        assert self._conn is not None
        try:
            call_id, ok, value = self._conn.recv()
        except (EOFError, OSError):
            self._gone("the service process ended")
            return
        answer = self._pending.pop(call_id, None)
        if answer is None or answer.done():
            return
        if ok:
            answer.set_result(value)
        else:
            answer.set_exception(value)

    def _gone(self, why: str) -> None:
        if self._conn is not None:
            if self._reading:
                asyncio.get_running_loop().remove_reader(self._conn.fileno())
            self._conn.close()
            self._conn = None
        self._reading = False
        for answer in self._pending.values():
            if not answer.done():
                answer.set_exception(ServiceGone(why))
        self._pending.clear()

    async def stop(self) -> None:
        process = self._process
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.send(None)  # the child closes the service and exits
        if process is not None:
            deadline = time.monotonic() + self.STOP_TIMEOUT
            while process.is_alive() and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            if process.is_alive():
                log.error("service process %s did not stop; terminating it", process.pid)
                process.terminate()
            process.join(1)
        if self._conn is not None:
            self._gone("the service process was stopped")
        self._process = None


def _serve(conn: Connection, open_turns: Callable[[], Turns]) -> None:
    """The child process: open the service, answer calls until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which stops us
    try:
        turns = open_turns()
    except Exception as exc:
        conn.send((0, False, _sendable(exc)))
        return
    conn.send((0, True, None))
    try:
        while True:
            try:
                request = conn.recv()
            except (EOFError, OSError):
                break  # the parent went away
            if request is None:
                break
            call_id, method, args = request
            try:
                conn.send((call_id, True, getattr(turns, method)(*args)))
            except Exception as exc:
                exc.add_note(f"in the service process:\n{traceback.format_exc()}")
                conn.send((call_id, False, _sendable(exc)))
    finally:
        turns.close()


def _sendable(exc: Exception) -> Exception:
    """The exception itself when it survives pickling, else a RuntimeError naming it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        notes = "\n".join(getattr(exc, "__notes__", []))
        return RuntimeError(f"{type(exc).__name__}: {exc}\n{notes}")
    return exc
