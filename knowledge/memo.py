"""A cache of text analyses across processes, so a cold start does not re-segment the FAQ.

Building the FAQ matcher segments ~2,400 phrasings, keywords and notice sentences (~0.15 s of a
cold ``biaogan ask``). The results are stored as JSON — plain data, never code: no pickle — in
``$BIAOGAN_CACHE_DIR`` (default ``~/.cache/biaogan``), under a key that hashes everything an
analysis depends on: the lexicon, glossary, notice and segmenter dictionary files, the source of
the analysing modules, jieba's version and the installed OpenCC files. Any change makes a new
key and a fresh cache. Each key has its own file (``analyses-<key>.json``), so two checkouts or
versions on one machine do not overwrite each other's cache at every start; the few most recently
written are kept. A cache that cannot be read or written is ignored; results are always the same
as without it.

The memo is loaded while the indexes are built (``remember``) and released afterwards;
questions only look into it while it is loaded (``loaded_memo``), never load it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).parent
INPUTS = (
    "data/lexicon.yaml",
    "data/glossary.yaml",
    "data/notice.txt",
    "data/jieba_small.txt",
    "data/jieba_small_total.txt",
    "analysis.py",
    "text.py",
    "lexicon.py",
    "segmenter.py",
    "memo.py",
)
FILE_PREFIX = "analyses-"
KEEP = 4  # cache files kept (the newest): other checkouts, the version before an upgrade


def cache_dir() -> Path:
    """``$BIAOGAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/biaogan``, else ``~/.cache/biaogan``."""
    configured = os.environ.get("BIAOGAN_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no home directory: a per-user folder in tmp
            base = str(Path(tempfile.gettempdir()) / f"biaogan-{os.getuid()}")
    return Path(base) / "biaogan"


def input_key() -> str:
    """A hash of every input an analysis depends on."""
    from knowledge.segmenter import jieba
    from knowledge.text import opencc_file

    digest = hashlib.sha256(str(jieba().__version__).encode())
    for installed in (opencc_file(), opencc_file().parent / "dictionary"):
        stat = installed.stat()  # the t2s converter as installed (no version attribute)
        digest.update(f"{installed.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for name in INPUTS:
        path = PACKAGE / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def file_name(key: str) -> str:
    return f"{FILE_PREFIX}{key[:16]}.json"


class Memo:
    """Analyses by kind and text; ``save`` writes them when something new was added."""

    def __init__(self, path: Path, key: str, entries: dict[str, dict[str, Any]]) -> None:
        self.path, self.key, self.entries = path, key, entries
        self.dirty = False

    @classmethod
    def load(cls) -> Memo:
        key = input_key()
        path = cache_dir() / file_name(key)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(raw, dict) and raw.get("key") == key:
                entries = raw.get("entries")
                if isinstance(entries, dict):
                    return cls(path, key, entries)
        except (OSError, ValueError):
            pass
        return cls(path, key, {})

    def get(self, kind: str, text: str) -> Any:
        return self.entries.get(kind, {}).get(text)

    def put(self, kind: str, text: str, value: Any) -> None:
        self.entries.setdefault(kind, {})[text] = value
        self.dirty = True

    def save(self) -> None:
        """Write atomically (a temporary file renamed), only the owner may read or write it."""
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            payload = json.dumps({"key": self.key, "entries": self.entries}, ensure_ascii=False)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".analyses-")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
            os.replace(tmp, self.path)
            self.dirty = False
            self._prune()
        except OSError:
            pass

    def _prune(self) -> None:
        """Remove all but the ``KEEP`` newest cache files (and the unkeyed file of old)."""
        folder = self.path.parent
        caches = sorted(
            folder.glob(f"{FILE_PREFIX}*.json"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for stale in [*caches[KEEP:], folder / "analyses.json"]:
            if stale != self.path:
                stale.unlink(missing_ok=True)


@functools.cache
def memo() -> Memo:
    """The process-wide memo, loaded on first use."""
    return Memo.load()


def loaded_memo() -> Memo | None:
    """The memo while it is loaded (an index is being built), else None; never loads it.

    Questions are looked up here, not through ``memo()``: once the indexes are built and the
    memo released, a question must not read the file again (nor keep it in memory)."""
    return memo() if memo.cache_info().currsize else None


def release_memo() -> None:
    """Forget the loaded memo (it is read again from disk if another index is built)."""
    memo.cache_clear()
