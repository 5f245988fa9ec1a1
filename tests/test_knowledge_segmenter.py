"""knowledge.segmenter: the small jieba dictionary segments our data like the full one."""

from __future__ import annotations

import re

import pytest

from knowledge.segmenter import (
    SMALL_DICTIONARY,
    _keep,
    data_words,
    full_dictionary,
    tokenizer,
)
from knowledge.text import fold


@pytest.fixture(scope="module")
def full():
    return tokenizer(full_dictionary())


def test_the_small_dictionary_holds_every_word_of_our_data(full) -> None:
    small = {line.split(" ")[0] for line in SMALL_DICTIONARY.read_text("utf-8").splitlines()}
    full_words = {line.split(" ")[0] for line in full_dictionary().read_text("utf-8").splitlines()}
    missing = sorted((data_words(full.lcut) & full_words) - small)
    assert not missing, f"regenerate: .venv/bin/python -m knowledge.segmenter ({missing[:10]})"


def test_it_segments_our_data_like_the_full_dictionary(full) -> None:
    small = tokenizer(SMALL_DICTIONARY)
    runs = [
        run
        for path in sorted(SMALL_DICTIONARY.parent.glob("*.yaml"))
        for run in re.findall(r"[\u4e00-\u9fff0-9]+", fold(path.read_text("utf-8")))
    ]
    same = sum(full.lcut(run) == small.lcut(run) for run in runs)
    assert same / len(runs) >= 0.99


def test_the_rule_of_the_build() -> None:
    assert (
        _keep("质量 50 n", set()) and not _keep("冷僻 3 n", set()) and _keep("冷僻 3 n", {"冷僻"})
    )


def test_the_programme_terms_stay_whole() -> None:
    assert "树标杆" in tokenizer().lcut("营造树标杆学标杆超标杆的氛围")
    assert "质量标杆" in tokenizer().lcut("质量标杆的申报")
