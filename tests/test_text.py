"""knowledge/text.py: one canonical form for simplified, traditional, full-width and English."""

from pathlib import Path

import opencc
import pytest

from knowledge.text import _converter, fold, normalize, to_simplified, words


def dictionary_words(limit: int = 20000) -> list[str]:
    folder = Path(opencc.__file__).parent / "dictionary"
    found: list[str] = []
    for name in ("TSPhrases.txt", "TSCharacters.txt", "STPhrases.txt", "STCharacters.txt"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines()[: limit // 4]:
            key, _, values = line.partition("\t")
            found += [key, *values.split(" ")]
    return found


def test_skipping_conversion_never_changes_the_result():
    """The fast path (no traditional character seen) agrees with full OpenCC t2s."""
    samples = [*dictionary_words(), "参加质量标杆要交钱吗", "反覆", "沈默是金", "一目瞭然"]
    mismatches = [w for w in samples if to_simplified(w) != _converter().convert(w)]
    assert mismatches == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("參加質量標桿要交錢嗎", "参加质量标杆要交钱吗"),
        ("ＱＣ小組　活動", "qc小组 活动"),
        ("  Quality   Benchmark  ", "quality benchmark"),
    ],
)
def test_fold(given, expected):
    assert fold(given) == expected


def test_english_programme_terms_become_chinese():
    assert "费用" in normalize("Is there a FEE?")
    assert "质量标杆" in normalize("the quality benchmark programme")


def test_programme_terms_stay_whole_when_segmented():
    assert "质量标杆" in words(normalize("參加質量標桿要交錢嗎"))
