"""Train the answer model: ``python -m knowledge.train`` writes ``data/answer_model.json``.

A multinomial logistic regression (softmax) over the sparse features of ``knowledge.features``,
in the manner of Rasa's ResponseSelector with sparse features: each answer unit (an FAQ entry,
a passage of the notice) is a class, learnt from the questions we wrote for it, its keywords
and its own answer text; ``_none`` is learnt from questions outside the programme
(``data/outside.yaml``). Each class's examples weigh as much in all as any other class's, so a
unit with many phrasings does not crowd out one with few. Full-batch Adam with an L2 penalty,
a fixed number of steps and no randomness: the same data gives the same model. Weights too
small to move a decision are dropped. Needs numpy (installed with the project's dependencies);
the model at run time does not.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from knowledge.analysis import remember
from knowledge.features import feature_set, vector
from knowledge.loader import data_dir, load_knowledge, read_yaml
from knowledge.memo import memo, release_memo
from knowledge.model import MODEL_FILE, NONE, SCALE, input_key
from knowledge.models import Knowledge
from knowledge.passages import answer_units

STEPS = 400
LEARNING_RATE = 0.05
L2 = 1e-4  # per example, on the weights (not the biases)
NONE_WEIGHT = 8.0  # "outside the programme" weighs as much as this many units
FLOOR = 0.05  # weights smaller than this are dropped from the packaged model


def examples(kb: Knowledge) -> list[tuple[str, str]]:
    """(text, class) pairs: every unit's questions, keywords and answer; outside questions."""
    pairs: list[tuple[str, str]] = []
    for unit in answer_units(kb):
        texts = list(dict.fromkeys(unit.questions))
        if unit.keywords:
            texts.append(" ".join(unit.keywords))
        texts.append(unit.answer)
        pairs += [(t, unit.id) for t in texts]
    outside = read_yaml(data_dir() / "outside.yaml")
    pairs += [(q, NONE) for q in outside["questions"]]
    return pairs


def train(pairs: list[tuple[str, str]], steps: int = STEPS) -> dict:
    import numpy as np

    classes = list(dict.fromkeys(c for _, c in pairs))
    class_index = {c: i for i, c in enumerate(classes)}
    vectors = [vector(feature_set(remember(text))) for text, _ in pairs]
    memo().save()
    release_memo()
    features = sorted({f for v in vectors for f in v})
    feature_index = {f: i for i, f in enumerate(features)}
    rows, cols, vals = [], [], []
    for r, vec in enumerate(vectors):
        for f, v in vec.items():
            rows.append(r)
            cols.append(feature_index[f])
            vals.append(v)
    rows_a, cols_a = np.array(rows), np.array(cols)
    vals_a = np.array(vals, dtype=np.float64)[:, None]
    n, n_features, n_classes = len(pairs), len(features), len(classes)
    y = np.array([class_index[c] for _, c in pairs])
    counts = np.bincount(y, minlength=n_classes)
    class_weight = np.ones(n_classes)
    class_weight[class_index[NONE]] = NONE_WEIGHT
    sample_weight = class_weight[y] / counts[y] * (n / class_weight.sum())  # per class, not row
    starts = np.flatnonzero(np.r_[True, rows_a[1:] != rows_a[:-1]])
    order = np.argsort(cols_a, kind="stable")
    sorted_cols = cols_a[order]
    col_starts = np.flatnonzero(np.r_[True, sorted_cols[1:] != sorted_cols[:-1]])
    col_ids = sorted_cols[col_starts]

    weights = np.zeros((n_features, n_classes))
    bias = np.zeros(n_classes)
    moments = [
        np.zeros_like(weights),
        np.zeros_like(weights),
        np.zeros(n_classes),
        np.zeros(n_classes),
    ]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, steps + 1):
        logits = np.add.reduceat(weights[cols_a] * vals_a, starts, axis=0) + bias
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        probs[np.arange(n), y] -= 1.0
        residual = probs * sample_weight[:, None] / n
        contributions = (residual[rows_a] * vals_a)[order]
        grad_w = L2 * weights
        grad_w[col_ids] += np.add.reduceat(contributions, col_starts, axis=0)
        grad_b = residual.sum(axis=0)
        for k, (param, grad) in enumerate(((weights, grad_w), (bias, grad_b))):
            m, v = moments[2 * k], moments[2 * k + 1]
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            m_hat = m / (1 - beta1**step)
            v_hat = v / (1 - beta2**step)
            param -= LEARNING_RATE * m_hat / (np.sqrt(v_hat) + eps)
    return _packed(features, classes, weights, bias)


def _packed(features: list[str], classes: list[str], weights, bias) -> dict:
    offsets, index, values, kept = [0], [], [], []
    for f, row in zip(features, weights, strict=True):
        strong = [(c, w) for c, w in enumerate(row) if abs(w) >= FLOOR]
        if not strong:
            continue
        kept.append(f)
        index += [c for c, _ in strong]
        values += [round(w * SCALE) for _, w in strong]
        offsets.append(len(index))
    return {
        "key": input_key(),
        "classes": classes,
        "bias": [round(b * SCALE) for b in bias],
        "features": kept,
        "offsets": offsets,
        "index": index,
        "weights": values,
    }


def main(argv: list[str] | None = None) -> int:
    out = Path(argv[0]) if argv else MODEL_FILE
    kb = load_knowledge()
    pairs = examples(kb)
    model = train(pairs)
    out.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")), "utf-8")
    sizes = f"{len(model['features'])} features, {len(model['weights'])} weights"
    print(f"{len(pairs)} examples, {len(model['classes'])} classes, {sizes} -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
