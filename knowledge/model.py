"""The trained answer model at run time: a linear layer over sparse features, then a softmax.

``data/answer_model.json`` is written by ``python -m knowledge.train`` from the paraphrases of
every answer unit (FAQ entries, the notice's passages) and of questions outside the programme
(class ``_none``). It holds, per feature, the classes it weighs on and by how much (weights
below a floor are dropped, the rest rounded to thousandths), and a key hashing every input
of the training; ``fresh()`` says whether the packaged data still matches it (a test holds it).
Scoring a question: the weights of its features summed per class, plus the class's bias, and
the softmax over every class — pure Python, a few hundred additions.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from array import array
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).parent
MODEL_FILE = PACKAGE / "data" / "answer_model.json"
NONE = "_none"  # the class of questions outside the programme
SCALE = 1000  # weights are stored as integers of thousandths
INPUTS = (
    "data/faq.yaml",
    "data/passages.yaml",
    "data/outside.yaml",
    "data/lexicon.yaml",
    "data/glossary.yaml",
    "data/notice.txt",
    "data/jieba_small.txt",
    "analysis.py",
    "text.py",
    "lexicon.py",
    "segmenter.py",
    "features.py",
    "passages.py",
    "train.py",
)


def input_key() -> str:
    """A hash of every file the training reads (data, features, the trainer itself)."""
    digest = hashlib.sha256()
    for name in INPUTS:
        path = PACKAGE / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


@dataclass(frozen=True)
class Scored:
    """A class and its probability."""

    unit: str
    p: float


class AnswerModel:
    """The packaged linear model; ``probabilities`` of every class for a feature vector."""

    def __init__(self, raw: dict) -> None:
        self.key: str = raw["key"]
        self.classes: list[str] = raw["classes"]
        self._bias = [b / SCALE for b in raw["bias"]]
        # compact arrays (4 bytes a weight, 1 a class): the model is resident in every process
        self._offsets = array("I", raw["offsets"])
        self._position = {f: i for i, f in enumerate(raw["features"])}
        self._cls = array("B" if len(self.classes) < 256 else "H", raw["index"])
        self._w = array("f", (w / SCALE for w in raw["weights"]))

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> AnswerModel | None:
        try:
            return cls(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError):
            return None

    def fresh(self) -> bool:
        return self.key == input_key()

    def known(self, vec: dict[str, float]) -> float:
        """The share of the vector's weight on features the model has seen."""
        total = sum(v * v for v in vec.values())
        seen = sum(v * v for f, v in vec.items() if f in self._position)
        return seen / total if total else 0.0

    def logits(self, vec: dict[str, float]) -> list[float]:
        logits = list(self._bias)
        cls, w, offsets = self._cls, self._w, self._offsets
        for feature, value in vec.items():
            at = self._position.get(feature)
            if at is None:
                continue
            start, end = offsets[at], offsets[at + 1]
            for c, weight in zip(cls[start:end], w[start:end], strict=True):
                logits[c] += value * weight
        return logits

    def probabilities(self, vec: dict[str, float]) -> list[Scored]:
        """Every class with its probability, most probable first."""
        logits = self.logits(vec)
        top = max(logits)
        exps = [math.exp(x - top) for x in logits]
        total = sum(exps)
        ranked = sorted(range(len(exps)), key=lambda i: -exps[i])
        return [Scored(self.classes[i], exps[i] / total) for i in ranked]


@functools.cache
def packaged_model() -> AnswerModel | None:
    """The packaged model, loaded once per process (None when the file is missing)."""
    return AnswerModel.load()
