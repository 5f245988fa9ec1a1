"""Text normalisation shared by every matcher: one canonical form for Chinese and English input.

``normalize`` folds traditional characters to simplified (OpenCC t2s), full-width forms to
half-width (NFKC), case to lower, and maps English terms to the programme's Chinese terms through
``data/glossary.yaml``, so a question in any of these forms meets the same vocabulary.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import unicodedata
from pathlib import Path

_SPACE_RE = re.compile(r"\s+")
_LATIN_WORD_RE = re.compile(r"[a-z][a-z0-9\-]*")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")


def _data_path(name: str) -> Path:
    return Path(__file__).parent / "data" / name


@functools.cache
def glossary() -> dict[str, str]:
    """English (lower case) -> Chinese programme term, longest phrases first."""
    raw = _glossary_file()
    pairs = {str(k).lower().strip(): str(v) for k, v in (raw.get("english") or {}).items()}
    return dict(sorted(pairs.items(), key=lambda kv: -len(kv[0])))


@functools.cache
def _glossary_re() -> re.Pattern[str] | None:
    terms = glossary()
    if not terms:
        return None
    # bounded by anything but a Latin letter or digit: "deadline是哪天" (no \b between e and 是)
    alternatives = "|".join(re.escape(t) for t in terms)
    return re.compile(r"(?<![a-z0-9])(" + alternatives + r")(?![a-z0-9])")


@functools.cache
def _t2s_triggers() -> frozenset[str]:
    """Characters whose presence can make OpenCC's t2s change a text.

    A character that t2s maps to another one, plus every character of the few traditional
    phrases made only of characters that are also simplified (反覆 -> 反复). Text with none of
    them is already simplified, and the (pure-Python, slow) conversion is skipped.
    """
    folder = opencc_file().parent / "dictionary"

    def pairs(name: str) -> list[tuple[str, str]]:
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        return [(k, v.split(" ")[0]) for k, _, v in (line.partition("\t") for line in lines) if k]

    triggers = {key for key, value in pairs("TSCharacters.txt") if key != value}
    for key, value in pairs("TSPhrases.txt"):
        if key != value and not triggers.intersection(key):
            triggers.update(a for a, b in zip(key, value, strict=False) if a != b)
    return frozenset(triggers)


def opencc_file() -> Path:
    """OpenCC's ``__init__.py``, found without importing it."""
    spec = importlib.util.find_spec("opencc")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("opencc")
    return Path(spec.origin)


@functools.cache
def _converter():
    """OpenCC's t2s converter, made when a text first needs it (most are simplified already)."""
    from opencc import OpenCC

    return OpenCC("t2s")


def prepare() -> None:
    """Make now what the first texts with traditional characters or English words would make
    (the t2s converter, the glossary's pattern): for a matcher built before many texts come."""
    _converter()
    _glossary_re()


def to_simplified(text: str) -> str:
    """Traditional characters to simplified (OpenCC t2s), skipped when there are none."""
    triggers = _t2s_triggers()
    return _converter().convert(text) if any(ch in triggers for ch in text) else text


def fold(text: str) -> str:
    """Simplified, half-width, lower-case, single-spaced."""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text).lower()
    return _SPACE_RE.sub(" ", text).strip()


_EDGE_PUNCTUATION = "。，,!！?？~～;；:：.、 "


def compact(text: str) -> str:
    """``fold`` without any whitespace and without punctuation at either end ("３ 年。" -> "3年").

    The form for reading short answers (a number of years, 是/否); replaces the private
    ``_normalise`` helpers of the flows.
    """
    return re.sub(r"\s+", "", fold(text)).strip(_EDGE_PUNCTUATION)


def normalize(text: str) -> str:
    """``fold`` plus English programme terms replaced by their Chinese equivalents."""
    text = fold(text)
    if not _LATIN_WORD_RE.search(text):
        return text  # no English: the glossary's pattern (~10 ms to compile) is not needed
    pattern = _glossary_re()
    if pattern is not None:
        terms = glossary()
        text = pattern.sub(lambda m: terms[m.group(1)], text)
    return text


def has_han(text: str) -> bool:
    return bool(_HAN_RE.search(text))


_QUOTED_RE = re.compile(r"“([^“”]{2,24})”|《([^《》]{2,30})》")


def notice_terms() -> list[str]:
    """The notice's own quoted terms and titles (“树标杆、学标杆、超标杆”, 《…》), kept whole."""
    notice = _data_path("notice.txt").read_text(encoding="utf-8")
    terms = set()
    for pair in _QUOTED_RE.findall(fold(notice)):
        quoted = "".join(pair).replace("“", "").replace("”", "")
        terms.update(part for part in re.split(r"[、,，]", quoted) if 2 <= len(part) <= 16)
    return sorted(terms)


def programme_terms() -> list[str]:
    """glossary.yaml's terms and the notice's quoted terms: words the segmenter keeps whole."""
    raw = _glossary_file()
    return sorted({str(t) for t in raw.get("terms") or []} | set(notice_terms()))


@functools.cache
def _glossary_file() -> dict:
    from knowledge.loader import read_yaml

    return read_yaml(_data_path("glossary.yaml")) or {}


def words(text: str) -> list[str]:
    """Segment already-normalised text into words (jieba with the programme's own terms)."""
    from knowledge.segmenter import tokenizer

    return [w for w in tokenizer().lcut(text) if w.strip()]
