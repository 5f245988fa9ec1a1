"""Choose the decline threshold (and the model's weight) on a precision/recall curve.

For each weight of the trained model (``--alphas``) and each threshold, every development
question is asked as ``ask --jsonl`` asks it: the answerable ones (dev, dev2 and our own FAQ
batches) give the recall — the share answered right — and the traps and out-of-scope questions
give the precision of what is said — the share handled right (declined, or answered only with
what the notice says and what it leaves open). Printed per setting with their F1 and the share
of answerable questions answered only hedged ("the closest clause is…"); the chosen setting is
the one with the best F1 whose precision is at least ``--min-precision``. Run from the
repository root:

    .venv/bin/python bench/threshold.py [--alphas 0.3,0.5,0.7] [--min-precision 0.97]

The fresh batch (``tests/data/fresh``) is never read here: it judges the choice afterwards.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# the repository, not bench/ itself: a script there must not shadow a module of the library
sys.path[0] = str(REPO)

from bench.eval_rules import read_rows, score_file  # noqa: E402
from bench.faq_eval import OWN_PATTERNS, default_eval_dir  # noqa: E402
from conversations.core import Context  # noqa: E402
from knowledge import load_knowledge  # noqa: E402
from knowledge.faq import FaqMatcher  # noqa: E402

THRESHOLDS = [t / 100 for t in range(10, 46, 2)]


def development_rows(eval_dir: Path) -> dict[str, list[tuple[str, list[dict]]]]:
    """rule -> [(file name, rows)] over dev, dev2 and our own batches (never the fresh)."""
    rows: dict[str, list[tuple[str, list[dict]]]] = {"faq": [], "traps": [], "oos": []}
    for rule in rows:
        for prefix in ("dev_", "dev2_"):
            if (path := eval_dir / f"{prefix}{rule}.jsonl").exists():
                rows[rule].append((path.stem, read_rows(path)))
        for path in sorted((REPO / "tests" / "data").glob(OWN_PATTERNS[rule])):
            rows[rule].append((path.stem, read_rows(path)))
    return rows


def rates(ctx: Context, rows: dict[str, list[tuple[str, list[dict]]]]) -> dict[str, float]:
    """Pass rate per rule, and the share of answerable questions answered only hedged."""
    found = {}
    for rule, files in rows.items():
        scores = [score_file(ctx, r, name, rule) for name, r in files]
        found[rule] = sum(s.passed for s in scores) / sum(s.rows for s in scores)
        if rule == "faq":
            hedged = sum(s.kinds["related"] for s in scores)
            found["hedged"] = hedged / sum(s.rows for s in scores)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=default_eval_dir())
    parser.add_argument("--alphas", default="0.3,0.5,0.7")
    parser.add_argument("--outside", default="0.35", help="the model's outside probabilities")
    parser.add_argument("--related", default="0.15", help="the hedged band's floors")
    parser.add_argument("--min-precision", type=float, default=0.97)
    args = parser.parse_args(argv)
    rows = development_rows(args.eval_dir)
    kb = load_knowledge()
    matcher = FaqMatcher(kb)
    ctx = Context(kb=kb, answer_cache=0)
    ctx.__dict__["faq"] = matcher  # Context.faq is a cached property: one matcher, retuned
    print("alpha outside related threshold   recall (FAQ)   traps    OOS   precision   F1  hedged")
    best = None
    n_traps = sum(len(r) for _, r in rows["traps"])
    n_oos = sum(len(r) for _, r in rows["oos"])
    grid = [
        (alpha, outside, related, threshold)
        for alpha in (float(a) for a in args.alphas.split(","))
        for outside in (float(o) for o in args.outside.split(","))
        for related in (float(r) for r in args.related.split(","))
        for threshold in THRESHOLDS
        if threshold >= related
    ]
    for alpha, outside, related, threshold in grid:
        matcher.alpha, matcher.outside, matcher.related = alpha, outside, related
        matcher.threshold = threshold
        found = rates(ctx, rows)
        precision = (found["traps"] * n_traps + found["oos"] * n_oos) / (n_traps + n_oos)
        f1 = 2 * precision * found["faq"] / (precision + found["faq"])
        print(f"{alpha:5.2f} {outside:7.2f} {related:7.2f} {threshold:9.2f} {found['faq']:13.1%} "
              f"{found['traps']:7.1%} {found['oos']:6.1%} {precision:10.1%} {f1:5.3f} "
              f"{found['hedged']:6.1%}")  # fmt: skip
        if precision >= args.min_precision and (best is None or f1 > best[6]):
            best = (alpha, outside, related, threshold, found["faq"], precision, f1)
    if best is None:
        print(f"no setting reaches precision {args.min_precision:.0%}")
        return 1
    print(f"chosen: alpha {best[0]:.2f}, outside {best[1]:.2f}, related {best[2]:.2f}, "
          f"threshold {best[3]:.2f} (recall {best[4]:.1%}, precision {best[5]:.1%})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
