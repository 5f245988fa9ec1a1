"""Toneless pinyin of Han characters, for reading homophone typos (截至 for 截止, 现厂 for 现场).

Input methods turn a slip of the finger into a character with the same sound. ``data/pinyin.txt``
holds the toneless readings of the CJK unified ideographs (U+4E00-U+9FFF), generated once from
pypinyin's data (MIT, from pinyin-data) — pypinyin is a tool to regenerate the file, not a
dependency at run time:

    .venv/bin/pip install pypinyin && .venv/bin/python -m knowledge.pinyin

The file is read only when a question needs it (a question the FAQ does not answer as typed).
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "pinyin.txt"
MAX_KEYS = 8  # readings combined per word (polyphonic characters multiply them)


@functools.cache
def table() -> dict[str, tuple[str, ...]]:
    """Character -> its toneless readings."""
    result: dict[str, tuple[str, ...]] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        ch, _, readings = line.partition(" ")
        if ch and readings:
            result[ch] = tuple(readings.split(","))
    return result


def keys(word: str) -> set[str]:
    """The toneless pinyin spellings of a word ("截止" -> {"jie zhi"}); empty if unknown."""
    readings = [table().get(ch) for ch in word]
    if not all(readings):
        return set()
    combos = itertools.islice(itertools.product(*readings), MAX_KEYS)
    return {" ".join(combo) for combo in combos}


def _toneless(reading: str) -> str:
    decomposed = unicodedata.normalize("NFKD", reading)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ü", "v")


def build(target: Path = TABLE) -> int:
    """Write the table from pypinyin's data; the number of characters."""
    from pypinyin.pinyin_dict import pinyin_dict

    lines = []
    for code in range(0x4E00, 0xA000):
        if code in pinyin_dict:
            readings = dict.fromkeys(_toneless(r) for r in pinyin_dict[code].split(","))
            lines.append(f"{chr(code)} {','.join(readings)}")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


if __name__ == "__main__":
    print(f"{TABLE}: {build()} characters")
