"""Benchmark the focus-area suggestion on ``dev_areas.jsonl`` (and the project's own descriptions).

Reports top-1, top-3 and lenient top-1 (a prediction in ``also`` counts too) accuracy, the
failures, and the latency of one suggestion. Run from the repository root:

    .venv/bin/python bench/areas_eval.py [--eval-dir DIR] [--own tests/data/areas_own.jsonl]

The eval directory defaults to ``../shared/eval`` (relative to the repository root), or
``$BIAOGAN_EVAL_DIR``. Targets (issue 5): top-1 >= 85 %, top-3 >= 97 %.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from knowledge import load_knowledge  # noqa: E402
from knowledge.areas import AreaMatcher  # noqa: E402

TARGET_TOP1 = 0.85
TARGET_TOP3 = 0.97


@dataclass
class Result:
    rows: int = 0
    top1: int = 0
    top3: int = 0
    lenient: int = 0
    failures: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(matcher: AreaMatcher, rows: list[dict]) -> Result:
    result = Result()
    for row in rows:
        started = time.perf_counter()
        suggestion = matcher.suggest(row["text"])
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        ranked = suggestion.numbers()
        expected, also = int(row["area"]), [int(a) for a in row.get("also", [])]
        result.rows += 1
        result.top1 += ranked[0] == expected
        result.top3 += expected in ranked[:3]
        result.lenient += ranked[0] in [expected, *also]
        if ranked[0] != expected:
            best = suggestion.best
            mark = "~" if ranked[0] in also else "x"
            result.failures.append(
                f"  {mark} {row['id']}: expected {expected} (also {also}), got {ranked[:3]} "
                f"score {best.score:.2f} words {list(best.matched)}\n      {row['text'][:90]}"
            )
    return result


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f} %" if whole else "n/a"


def report(name: str, result: Result) -> None:
    lat = sorted(result.latencies_ms)
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else 0.0
    print(f"== {name} ({result.rows} rows)")
    print(f"top-1          {pct(result.top1, result.rows)}")
    print(f"top-3          {pct(result.top3, result.rows)}")
    print(f"lenient top-1  {pct(result.lenient, result.rows)}")
    if lat:
        print(f"latency        p50 {statistics.median(lat):.2f} ms, p99 {p99:.2f} ms")
    if result.failures:
        print("failures (~ = an acceptable `also` area):")
        print("\n".join(result.failures))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    default_eval = os.environ.get("BIAOGAN_EVAL_DIR") or str(REPO.parent / "shared" / "eval")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", default=default_eval, help="directory of dev_areas.jsonl")
    parser.add_argument("--own", default=str(REPO / "tests" / "data" / "areas_own.jsonl"))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    matcher = AreaMatcher(load_knowledge())
    matcher.suggest("预热")  # load the segmenter and caches before timing
    dev_path = Path(args.eval_dir) / "dev_areas.jsonl"
    if not dev_path.exists():
        print(f"not found: {dev_path} (set --eval-dir or BIAOGAN_EVAL_DIR)", file=sys.stderr)
        return 2
    dev = evaluate(matcher, read_rows(dev_path))
    report(f"dev {dev_path}", dev)
    own_path = Path(args.own)
    if own_path.exists():
        print()
        report(f"own {own_path}", evaluate(matcher, read_rows(own_path)))
    ok = dev.top1 >= TARGET_TOP1 * dev.rows and dev.top3 >= TARGET_TOP3 * dev.rows
    verdict = "met" if ok else "NOT met"
    print(f"\ntargets top-1 >= {TARGET_TOP1:.0%}, top-3 >= {TARGET_TOP3:.0%}: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
