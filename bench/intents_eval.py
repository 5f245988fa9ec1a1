"""Score ``knowledge.intent.read`` on the dev and dev2 intents and on our own batches (100 %).

``dev_intents.jsonl`` kinds map to readings: menu -> navigation (any sub-kind), help -> help,
contact -> human, apply -> apply, not_faq -> a bare yes/no, thanks, greeting or nonsense (never a
question for the FAQ). ``tests/data/intents_own*.jsonl`` name the reading itself (``kind`` and,
for navigation, ``sub``). Run from the repository root:

    .venv/bin/python bench/intents_eval.py [--eval-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from knowledge.intent import Intent, read  # noqa: E402

OWN_DIR = REPO / "tests" / "data"  # intents_own*.jsonl: our batches, each written before tuning
DEV_KINDS = {
    "menu": {"navigation"},
    "help": {"help"},
    "contact": {"human"},
    "apply": {"apply"},
    "not_faq": {"yes", "no", "thanks", "greeting", "nonsense"},
}


def default_eval_dir() -> Path:
    return Path(os.environ.get("BIAOGAN_EVAL_DIR") or REPO.parent / "shared" / "eval")


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def dev_passes(intent: Intent, row: dict) -> bool:
    return intent.kind in DEV_KINDS[row["kind"]]


def own_passes(intent: Intent, row: dict) -> bool:
    return intent.kind == row["kind"] and (row.get("sub") is None or intent.sub == row["sub"])


def score(name: str, batch: list[dict], passes) -> bool:
    failures = []
    for row in batch:
        intent = read(row["q"])
        if not passes(intent, row):
            failures.append(
                f"    {row['id']} [{row['kind']}] {row['q']} -> {intent.kind} {intent.sub}"
            )
    passed = len(batch) - len(failures)
    print(f"{name}: {passed}/{len(batch)} = {passed / len(batch):.1%} (target 100%)")
    for failure in failures:
        print(failure)
    return not failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=default_eval_dir())
    args = parser.parse_args(argv)
    ok = True
    for path in sorted(OWN_DIR.glob("intents_own*.jsonl")):
        ok = score(path.stem, rows(path), own_passes) and ok
    for name in ("dev_intents", "dev2_intents"):
        dev = args.eval_dir / f"{name}.jsonl"
        if dev.exists():
            ok = score(name, rows(dev), dev_passes) and ok
        else:
            print(f"{name}: MISSING {dev} (the shared eval directory is not beside the repo)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
