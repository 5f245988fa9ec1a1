"""The word segmenter: jieba with a small dictionary made for this project.

jieba's full dictionary (349,046 words) takes ~0.6 s to load, most of a cold ``biaogan ask``.
``data/jieba_small.txt`` keeps the words jieba's dictionary counts at least ``MIN_FREQ`` times
(~52,000) plus every word jieba finds in our own data files, with jieba's frequencies (loaded
whole it would take ~0.05 s), and segments our data as the full dictionary does for over 99 % of
its runs (31 of 5,419 differ, mostly for the better: 看板 stays whole). Tests hold both. The
programme's terms (glossary.yaml, the notice's quoted terms) are added on top.

The small dictionary is not loaded whole: it is sorted, so the words that begin with a character
are one block of lines, found and read the first time a text holds that character
(``PrefixDictionary``). A question reads a few blocks (~1 ms, instead of ~50 ms and ~8 MiB for
the whole), and a server never holds the words of characters nobody typed. Segmentation is the
same as jieba's own loading gives (a test compares the two dictionaries entry by entry).
Regenerate after changing the data files:

    .venv/bin/python -m knowledge.segmenter

Derived from jieba's ``dict.txt`` (MIT licence, like jieba).
"""

from __future__ import annotations

import functools
import logging
import re
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

MIN_FREQ = 50
SMALL_DICTIONARY = Path(__file__).parent / "data" / "jieba_small.txt"
# "<sum of the frequencies> <bytes of jieba_small.txt>", written by build(): jieba needs the sum
# before any look-up, and adding up 52,500 lines costs ~10 ms of a cold ask.
SMALL_TOTAL = SMALL_DICTIONARY.with_name("jieba_small_total.txt")
_RUN_RE = re.compile(r"[\u4e00-\u9fff0-9]+")
_FREQ_RE = re.compile(rb"^[^ \n]+ (\d+)", re.MULTILINE)  # a line's second field


def jieba() -> ModuleType:
    """jieba, imported without ``pkg_resources``.

    jieba's ``_compat`` tries ``import pkg_resources`` (setuptools' legacy API: ~40 ms and
    ~5 MiB) only to open its own data files, and falls back to ``open`` when it is missing:
    the import is refused while jieba loads. What jieba does is the same either way.
    """
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    refuse = "pkg_resources" not in sys.modules
    if refuse:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # "import" fails
    try:
        import jieba as module
    finally:
        if refuse and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    module.setLogLevel(logging.WARNING)
    return module


def full_dictionary() -> Path:
    return Path(jieba().get_dict_file().name)


class PrefixDictionary(dict):
    """jieba's prefix dictionary — word -> frequency, and 0 for a prefix that is no word — over a
    dictionary file sorted by word, filled one first character at a time, on first look-up.

    For every key jieba asks about (``in``, ``[]``, ``get``, and the assignments of
    ``add_word``) it holds what ``jieba.Tokenizer.gen_pfdict`` builds from the whole file, with
    ``added`` words put in as ``add_word`` puts them (their frequency wins over the file's).
    Iterating or counting sees only the blocks read so far: ``complete()`` reads the rest.
    """

    def __init__(self, data: bytes, added: Mapping[str, int] | None = None) -> None:
        super().__init__()
        self._data = b"\n" + data + (b"" if data.endswith(b"\n") else b"\n")
        self._added: dict[str, list[tuple[str, int]]] = {}
        for word, freq in (added or {}).items():
            if word:
                self._added.setdefault(word[0], []).append((word, freq))
        self._read: set[str] = set()  # first characters whose block is in
        self._lock = threading.Lock()  # a block is read once, whole, before anyone sees it

    @staticmethod
    def total(data: bytes) -> int:
        """The sum of the frequencies of a dictionary file (jieba's ``total``)."""
        return sum(map(int, _FREQ_RE.findall(data)))

    @staticmethod
    def small_total(data: bytes) -> int:
        """``total`` of the small dictionary: the figure ``build`` wrote, unless the file has
        changed size since (then added up again)."""
        try:
            total, size = map(int, SMALL_TOTAL.read_text(encoding="ascii").split())
        except (OSError, ValueError):
            return PrefixDictionary.total(data)
        return total if size == len(data) else PrefixDictionary.total(data)

    def _block(self, first: str) -> None:
        """Read the lines of the words that begin with ``first`` (one block: the file is sorted,
        and UTF-8 sorts as the characters do), then the added words that begin with it."""
        with self._lock:
            if first in self._read:
                return
            data, start = self._data, b"\n" + first.encode("utf-8")
            at = data.find(start)
            entries: list[tuple[str, int]] = []
            if at >= 0:
                end = at
                while data.startswith(start, end):
                    end = data.index(b"\n", end + 1)
                for line in data[at + 1 : end].decode("utf-8").split("\n"):
                    word, freq = line.strip().split(" ")[:2]
                    entries.append((word, int(freq)))
            for word, freq in [*entries, *self._added.get(first, ())]:
                dict.__setitem__(self, word, freq)
                for stop in range(1, len(word)):
                    if not dict.__contains__(self, word[:stop]):
                        dict.__setitem__(self, word[:stop], 0)
            self._read.add(first)

    def complete(self) -> PrefixDictionary:
        """Every block read (for comparisons and tests)."""
        for line in self._data.decode("utf-8").splitlines():
            if line and line[0] not in self._read:
                self._block(line[0])
        for first in list(self._added):
            self._block(first)
        return self

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str) and key and key[0] not in self._read:
            self._block(key[0])
        return dict.__contains__(self, key)

    def __getitem__(self, key: str) -> int:
        if key and key[0] not in self._read:
            self._block(key[0])
        return dict.__getitem__(self, key)

    def get(self, key: str, default: int | None = None) -> int | None:  # type: ignore[override]
        if key and key[0] not in self._read:
            self._block(key[0])
        return dict.get(self, key, default)

    def __setitem__(self, key: str, value: int) -> None:
        if key and key[0] not in self._read:
            self._block(key[0])  # a word added later overrides the file's, as with jieba's
        dict.__setitem__(self, key, value)


TERM_FREQ = 200000  # the programme's terms win over any split of them


@functools.cache
def tokenizer(dictionary: Path | None = None):
    """A jieba tokenizer over ``dictionary`` (default: the small one) and the programme's terms.

    The small dictionary is a ``PrefixDictionary``, read as texts need it; any other file is
    loaded whole by jieba.
    """
    from knowledge.text import programme_terms

    path = dictionary or (SMALL_DICTIONARY if SMALL_DICTIONARY.exists() else full_dictionary())
    result = jieba().Tokenizer(str(path))
    terms = dict.fromkeys(programme_terms(), TERM_FREQ)
    if path == SMALL_DICTIONARY:
        data = path.read_bytes()
        result.FREQ = PrefixDictionary(data, terms)
        # jieba's add_word adds each word's frequency to the total, as here
        result.total = PrefixDictionary.small_total(data) + sum(terms.values())
        result.initialized = True  # jieba's own loading (the whole file) is skipped
    else:
        for term, freq in terms.items():
            result.add_word(term, freq=freq)
    return result


def data_words(segment) -> set[str]:
    """Every word ``segment`` finds in the data files: the YAML files and the notice."""
    from knowledge.text import fold

    found: set[str] = set()
    folder = Path(__file__).parent / "data"
    for path in [*sorted(folder.glob("*.yaml")), folder / "notice.txt"]:
        for run in _RUN_RE.findall(fold(path.read_text(encoding="utf-8"))):
            found.update(segment(run))
    return found


def build(target: Path = SMALL_DICTIONARY) -> int:
    """Write the small dictionary; the number of words kept."""
    full = full_dictionary()
    lines = full.read_text(encoding="utf-8").splitlines()
    full_tokenizer = tokenizer(full)
    ours = data_words(full_tokenizer.lcut)
    kept = [line for line in lines if _keep(line, ours)]
    kept.sort(key=lambda line: line.split(" ")[0])  # by word: PrefixDictionary reads blocks
    target.write_text("\n".join(kept) + "\n", encoding="utf-8")
    if target == SMALL_DICTIONARY:
        data = target.read_bytes()
        SMALL_TOTAL.write_text(f"{PrefixDictionary.total(data)} {len(data)}\n", encoding="ascii")
    return len(kept)


def _keep(line: str, ours: set[str]) -> bool:
    word, freq, *_ = line.split(" ")
    return int(freq) >= MIN_FREQ or word in ours


if __name__ == "__main__":
    print(f"{SMALL_DICTIONARY}: {build()} words")
    sys.exit(0)
