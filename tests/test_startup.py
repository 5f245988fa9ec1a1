"""What a command loads: ``biaogan ask`` none of the servers' or the reports' libraries, the
servers not the reports' (bench/startup.py, bench/memory.py measure the time and the memory)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The web server (starlette, uvicorn), Telegram, the chart (matplotlib), the reports' grouping
# (rapidfuzz), the .ics writer, and setuptools' pkg_resources (which jieba would load).
HEAVY = ["matplotlib", "starlette", "uvicorn", "telegram", "rapidfuzz", "icalendar"]
HEAVY += ["pkg_resources"]


def loaded_after(code: str, tmp_path: Path) -> tuple[set[str], str]:
    """The top-level packages in ``sys.modules`` after ``code`` ran in a fresh interpreter."""
    script = (
        code
        + "\nimport json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    env = {**os.environ, "BIAOGAN_DATA_DIR": str(tmp_path / "data")}
    env.pop("BIAOGAN_TELEGRAM_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    *output, modules = done.stdout.splitlines()
    return set(json.loads(modules)), "\n".join(output)


def test_ask_loads_none_of_the_heavy_libraries(tmp_path) -> None:
    loaded, answer = loaded_after("from bot.cli import main; main(['ask', '要交费吗'])", tmp_path)
    assert "不收费" in answer
    assert not loaded & {*HEAVY, "sqlite_utils", "numpy"}  # no store yet: no SQLite layer
    assert "jieba" in loaded  # the question was segmented


MAKE_STORE = "from bot.config import Settings; from bot.store import Store\n"
MAKE_STORE += "Store(Settings().db_path).close()\n"


def test_ask_with_a_store_loads_only_the_store_more(tmp_path) -> None:
    loaded_after(MAKE_STORE, tmp_path)  # the bot has run here: there is a store
    loaded, answer = loaded_after("from bot.cli import main; main(['ask', '要交费吗'])", tmp_path)
    assert "不收费" in answer
    assert "sqlite_utils" in loaded and not loaded & set(HEAVY)


def test_the_servers_load_no_report_library_until_a_report_is_made(tmp_path) -> None:
    code = "import bot.telegram.app, bot.runtime, bot.web.server, bot.reports, conversations.router"
    loaded, _ = loaded_after(code, tmp_path)
    assert {"telegram", "starlette", "uvicorn"} <= loaded
    assert not loaded & {"matplotlib", "rapidfuzz", "pkg_resources"}


def test_commands_that_match_nothing_build_no_matcher(tmp_path) -> None:
    loaded_after(MAKE_STORE, tmp_path)
    code = "\n".join(
        [
            "import knowledge.faq, knowledge.areas",
            "def refuse(*args, **kwargs): raise AssertionError('a matcher was built')",
            "knowledge.faq.FaqMatcher.__init__ = knowledge.areas.AreaMatcher.__init__ = refuse",
            "from bot.cli import main",
            "for command in (['stats'], ['calendar', 'list'], ['organizers', 'list']):",
            "    main(command)",
        ]
    )
    loaded, _ = loaded_after(code, tmp_path)
    assert "jieba" not in loaded and not loaded & set(HEAVY)
