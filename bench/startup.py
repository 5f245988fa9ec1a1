"""Cold start: ``biaogan ask "要交费吗"`` in a fresh process, next to the bare library imports.

Prints the median (and min/max) wall time of several subprocess runs of the command, and of
``python -c "import telegram.ext, pydantic, sqlite_utils"`` — what any bot on these libraries
pays before doing anything. Target (issue 8): the cold ask under 1.0 s. Run from the repo root:

    .venv/bin/python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_S = 1.0
ASK = [sys.executable, "-m", "bot.cli", "ask", "要交费吗"]
BARE = [sys.executable, "-c", "import telegram.ext, pydantic, sqlite_utils"]


def timed(command: list[str], runs: int) -> list[float]:
    subprocess.run(command, cwd=REPO, capture_output=True, check=True)  # warm the OS caches
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=REPO, capture_output=True, check=True)
        samples.append(time.perf_counter() - started)
    return samples


def line(name: str, samples: list[float]) -> str:
    return (
        f"{name:<44} median {statistics.median(samples):.3f} s "
        f"(min {min(samples):.3f}, max {max(samples):.3f}, {len(samples)} runs)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    ask, bare = timed(ASK, args.runs), timed(BARE, args.runs)
    print(line('biaogan ask "要交费吗" (cold process)', ask))
    print(line("import telegram.ext, pydantic, sqlite_utils", bare))
    median = statistics.median(ask)
    mark = "ok" if median < TARGET_S else "ABOVE TARGET"
    print(f"cold ask - bare imports: {median - statistics.median(bare):.3f} s; "
          f"target cold ask < {TARGET_S:g} s: {mark}")  # fmt: skip
    return 0 if median < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
