"""Toneless pinyin of Han characters, for reading homophone typos (截至 for 截止, 现厂 for 现场).

Input methods turn a slip of the finger into a character with the same sound. ``data/pinyin.txt``
holds the toneless readings of the CJK unified ideographs (U+4E00-U+9FFF), generated once from
pypinyin's data (MIT, from pinyin-data) — pypinyin is a tool to regenerate the file, not a
dependency at run time:

    .venv/bin/pip install pypinyin && .venv/bin/python -m knowledge.pinyin

The file is read only when a question needs it (a question the FAQ does not answer as typed).
It stays in memory compactly (``Table``): one slot per code point, and each distinct set of
readings stored once — ~0.4 MiB where a dict of 20,924 characters took ~4.5 MiB.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "pinyin.txt"
MAX_KEYS = 8  # readings combined per word (polyphonic characters multiply them)
FIRST, LAST = 0x4E00, 0x9FFF  # the CJK unified ideographs the file covers

Readings = tuple[str, ...]


class Table(Mapping[str, Readings]):
    """Character -> its toneless readings, as a list indexed by code point (characters outside
    ``FIRST``-``LAST``, if a file had any, in a dict); equal reading sets are one tuple."""

    def __init__(self, pairs: Iterator[tuple[str, Readings]]) -> None:
        self._slots: list[Readings | None] = [None] * (LAST - FIRST + 1)
        self._other: dict[str, Readings] = {}
        shared: dict[Readings, Readings] = {}
        for ch, readings in pairs:
            readings = shared.setdefault(readings, readings)
            if len(ch) == 1 and FIRST <= ord(ch) <= LAST:
                self._slots[ord(ch) - FIRST] = readings
            else:
                self._other[ch] = readings
        self._count = sum(r is not None for r in self._slots) + len(self._other)

    def get(self, ch: str, default: Readings | None = None) -> Readings | None:  # type: ignore[override]
        if len(ch) == 1 and FIRST <= (code := ord(ch)) <= LAST:
            found = self._slots[code - FIRST]
            return default if found is None else found
        return self._other.get(ch, default)

    def __getitem__(self, ch: str) -> Readings:
        found = self.get(ch)
        if found is None:
            raise KeyError(ch)
        return found

    def __iter__(self) -> Iterator[str]:
        yield from (chr(FIRST + i) for i, r in enumerate(self._slots) if r is not None)
        yield from self._other

    def __len__(self) -> int:
        return self._count


def _pairs(text: str) -> Iterator[tuple[str, Readings]]:
    syllables: dict[str, str] = {}  # one string per syllable (~400), shared by every character
    for line in text.splitlines():
        ch, _, readings = line.partition(" ")
        if ch and readings:
            yield ch, tuple(syllables.setdefault(r, r) for r in readings.split(","))


@functools.cache
def table() -> Table:
    """Character -> its toneless readings."""
    return Table(_pairs(TABLE.read_text(encoding="utf-8")))


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
