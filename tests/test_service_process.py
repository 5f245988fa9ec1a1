"""bot/service_process.py: the chat service in a forked child process — answers, errors that
cross the pipe, and a child that dies being started again with nothing lost."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from bot.config import Settings
from bot.service import ChatService
from bot.service_process import InlineService, ServiceGone, ServiceProcess, Turns
from bot.store import Store
from conversations.core import CommandEvent, TextEvent

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (Linux, macOS)")

USER = (7, "qc", "王")


class Exploding:
    """A service whose every turn fails, as a bug in a flow would."""

    class store:
        @staticmethod
        def touch_user(*args, **kwargs) -> None:
            pass

        @staticmethod
        def close() -> None:
            pass

    def handle(self, chat_id, event):
        raise ValueError("flow bug")

    def close(self) -> None:
        pass


def opener(tmp_path):
    return lambda: Turns(ChatService.open(Settings(_env_file=None, data_dir=tmp_path)))


async def test_turns_are_answered_by_the_child(tmp_path):
    runner = ServiceProcess(opener(tmp_path))
    runner.spawn()
    await runner.start()
    try:
        replies = await runner.call("turn", 1, USER, TextEvent(text="参加要交费吗"))
        assert "不向企业收取任何费用" in replies[0].text
        assert runner._process.pid != os.getpid()
    finally:
        await runner.stop()
    store = Store(tmp_path / "biaogan.db")
    assert store.user(1)["username"] == "qc"  # the child wrote the user record


async def test_an_error_in_the_child_reaches_the_caller(tmp_path):
    runner = ServiceProcess(lambda: Turns(Exploding()))
    await runner.start()
    try:
        with pytest.raises(ValueError, match="flow bug"):
            await runner.call("turn", 1, None, TextEvent(text="x"))
        # The child is still serving after the error.
        with pytest.raises(ValueError, match="flow bug"):
            await runner.call("turn", 2, None, TextEvent(text="y"))
    finally:
        await runner.stop()


async def test_a_killed_child_is_started_again_and_state_survives(tmp_path):
    runner = ServiceProcess(opener(tmp_path))
    wakeups: list[int] = []
    original = runner._on_readable
    runner._on_readable = lambda: (wakeups.append(1), original())  # every registration counts
    await runner.start()
    try:
        await runner.call("turn", 5, USER, CommandEvent(name="check"))
        first = runner._process.pid
        os.kill(first, signal.SIGKILL)
        runner._process.join(5)
        replies = await runner.call("turn", 5, USER, CommandEvent(name="check"))
        assert runner._process.pid != first
        assert "继续" in " ".join(b.label for r in replies for row in r.buttons for b in row)
        # Nothing is left watching the dead child's pipe: an idle loop is not woken up.
        wakeups.clear()
        await asyncio.sleep(0.3)
        assert wakeups == []
    finally:
        await runner.stop()


async def test_calls_after_stop_fail_clearly(tmp_path):
    runner = InlineService(opener(tmp_path))
    with pytest.raises(ServiceGone):
        await runner.call("turn", 1, None, TextEvent(text="x"))
