"""Shared fixtures. Helpers for the fake Telegram Bot API live in tests/fake_bot_api.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from conversations.core import Context
from knowledge import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT.parent / "shared" / "eval"  # the development evaluation sets, beside the repo
_missing_eval: list[str] = []


def eval_file(name: str) -> Path:
    """A development evaluation file; a test that needs a missing one is skipped, and the run
    ends with a banner saying so (pytest_terminal_summary), never silently."""
    path = EVAL_DIR / name
    if not path.exists():
        _missing_eval.append(name)
        pytest.skip(f"EVALUATION SET MISSING: {path} (put ../shared/eval beside the repository)")
    return path


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _missing_eval:
        terminalreporter.write_sep(
            "!",
            f"EVALUATION SETS MISSING: {len(_missing_eval)} tests skipped ({EVAL_DIR})",
            red=True,
            bold=True,
        )


@pytest.fixture(scope="session")
def kb():
    return load_knowledge()


@pytest.fixture
def ctx(kb):
    return Context(kb=kb)


# ---- Telegram: a fake Bot API server on loopback and the real Application polling it -------


@pytest.fixture
async def fake_bot_api():
    """A running fake Telegram Bot API server (tests/fake_bot_api.py) on a random port."""
    from tests.fake_bot_api import FakeBotApi

    async with FakeBotApi() as server:
        yield server


@pytest.fixture
def bot_settings(fake_bot_api, tmp_path):
    """Settings pointing the bot at the fake server, with its SQLite file under tmp_path."""
    from bot.config import Settings

    return Settings(
        _env_file=None,
        telegram_token="123456:TEST-TOKEN",
        telegram_base_url=fake_bot_api.base_url,
        data_dir=tmp_path / "data",
    )


class BotRunner:
    """Starts the real biaogan Application (``build_application``) polling the fake server,
    and stops it cleanly; a test may stop one bot and start another on the same data_dir."""

    def __init__(self, settings) -> None:
        self.settings = settings
        self._running: dict[int, object] = {}

    async def start(self, service=None, *, limits=None, settings=None):
        import dataclasses

        from bot.telegram.app import build_application
        from bot.telegram.limits import Limits
        from tests.fake_bot_api import polling

        # Quick network retries keep fault tests fast; Telegram's overall rate stays on. A chat's
        # messages are not spaced a second apart here (the fake server does not count per chat
        # unless a test enforces its limits, and those tests pass their own Limits).
        limits = limits or dataclasses.replace(
            Limits.from_settings(settings or self.settings), network_backoff=0.05, chat_gap=0.0
        )
        application = build_application(settings or self.settings, service, limits=limits)
        context = polling(application, timeout=1)
        await context.__aenter__()
        self._running[id(application)] = context
        return application

    async def stop(self, application) -> None:
        context = self._running.pop(id(application))
        await context.__aexit__(None, None, None)

    async def stop_all(self) -> None:
        for context in reversed(list(self._running.values())):
            await context.__aexit__(None, None, None)
        self._running.clear()


@pytest.fixture
async def bot_runner(bot_settings):
    """``await bot_runner.start(service=None, limits=…, settings=…)`` / ``.stop(app)``."""
    runner = BotRunner(bot_settings)
    yield runner
    await runner.stop_all()


@pytest.fixture
async def running_bot(bot_runner):
    """The biaogan Application polling the fake server (``fake_bot_api``)."""
    return await bot_runner.start()
