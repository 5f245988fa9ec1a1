"""Cold start: ``biaogan ask "要交费吗"`` in a fresh process, next to the bare library imports.

Runs the command and ``python -c "import telegram.ext, pydantic, sqlite_utils"`` (what any bot
on these libraries pays before doing anything) alternately, in one run, so both see the same
machine load; prints the median (and min/max) wall time of each and the ratio of the medians.
Target (issue 16): the cold ask at most 1.5 x the bare imports. The first run of each is not
counted (it fills the OS caches and the analyses cache, ``knowledge.memo``).

``--with-store`` runs the ask over a data folder that has a store (the bot has run there), so
the answer also reads the calendars organizers set; by default the data folder is empty. Run
from the repo root:

    .venv/bin/python bench/startup.py [--runs N] [--with-store]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5
ASK = [sys.executable, "-m", "bot.cli", "ask", "要交费吗"]
BARE = [sys.executable, "-c", "import telegram.ext, pydantic, sqlite_utils"]


def once(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, env=env, capture_output=True, check=True)
    return time.perf_counter() - started


def interleaved(runs: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """(ask samples, bare samples), the two commands alternating, each first run discarded."""
    once(ASK, env), once(BARE, env)  # warm the OS caches and the analyses cache
    ask: list[float] = []
    bare: list[float] = []
    for index in range(runs):
        # alternate which goes first, so neither always follows the other
        pair = ((ASK, ask), (BARE, bare)) if index % 2 == 0 else ((BARE, bare), (ASK, ask))
        for command, samples in pair:
            samples.append(once(command, env))
    return ask, bare


def line(name: str, samples: list[float]) -> str:
    return (
        f"{name:<44} median {statistics.median(samples):.3f} s "
        f"(min {min(samples):.3f}, max {max(samples):.3f}, {len(samples)} runs)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--with-store", action="store_true", help="a data folder with a store (SQLite file)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="biaogan-startup-") as data:
        env = {**os.environ, "BIAOGAN_DATA_DIR": data}
        if args.with_store:
            code = "from bot.config import Settings; from bot.store import Store; "
            code += "Store(Settings().db_path).close()"
            subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True)
        ask, bare = interleaved(args.runs, env)
    store = "store" if args.with_store else "no store"
    print(line(f'biaogan ask "要交费吗" (cold, {store})', ask))
    print(line("import telegram.ext, pydantic, sqlite_utils", bare))
    ratio = statistics.median(ask) / statistics.median(bare)
    ok = ratio <= TARGET_RATIO
    print(f"ratio of the medians: {ratio:.2f} x (target <= {TARGET_RATIO:g} x: "
          f"{'ok' if ok else 'ABOVE TARGET'})")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
