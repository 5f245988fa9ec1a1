"""knowledge.segmenter: the small jieba dictionary segments our data like the full one."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from knowledge.segmenter import (
    SMALL_DICTIONARY,
    SMALL_TOTAL,
    TERM_FREQ,
    PrefixDictionary,
    _keep,
    data_words,
    full_dictionary,
    jieba,
    tokenizer,
)
from knowledge.text import fold, programme_terms


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


@pytest.fixture(scope="module")
def loaded_whole():
    """The small dictionary as jieba itself loads it (the whole file), with the same terms."""
    result = jieba().Tokenizer(str(SMALL_DICTIONARY))
    result.FREQ, result.total = result.gen_pfdict(SMALL_DICTIONARY.open("rb"))
    result.initialized = True
    for term in programme_terms():
        result.add_word(term, freq=TERM_FREQ)
    return result


def test_the_small_dictionary_is_sorted_by_word() -> None:
    words = [line.split(" ")[0] for line in SMALL_DICTIONARY.read_text("utf-8").splitlines()]
    assert words == sorted(words) and len(set(words)) == len(words)


def test_the_recorded_total_is_the_sum_of_the_frequencies() -> None:
    data = SMALL_DICTIONARY.read_bytes()
    total, size = map(int, SMALL_TOTAL.read_text("ascii").split())
    assert (total, size) == (PrefixDictionary.total(data), len(data))
    assert PrefixDictionary.small_total(data) == total
    changed = data + "龘 1 n\n".encode()  # the recorded size no longer fits: added up again
    assert PrefixDictionary.small_total(changed) == total + 1


def test_read_by_blocks_it_is_the_dictionary_jieba_loads(loaded_whole) -> None:
    lazy = tokenizer()
    assert isinstance(lazy.FREQ, PrefixDictionary)
    assert lazy.total == loaded_whole.total
    data = SMALL_DICTIONARY.read_bytes()
    whole = PrefixDictionary(data, dict.fromkeys(programme_terms(), TERM_FREQ)).complete()
    assert dict(whole) == loaded_whole.FREQ
    # look-ups in any order read the right blocks: a prefix, a word, a term, a missing word
    fresh = PrefixDictionary(data, dict.fromkeys(programme_terms(), TERM_FREQ))
    for key in ["质量标", "质量", "质量标杆", "现厂", "龘", "x", "一"]:
        assert (key in fresh, fresh.get(key)) == (
            key in loaded_whole.FREQ,
            loaded_whole.FREQ.get(key),
        )


def test_read_by_blocks_it_segments_as_jieba_does(loaded_whole) -> None:
    folder = SMALL_DICTIONARY.parent
    texts = [
        path.read_text("utf-8") for path in [*sorted(folder.glob("*.yaml")), folder / "notice.txt"]
    ]
    texts += [
        path.read_text("utf-8")
        for path in sorted((folder.parents[1] / "tests" / "data").glob("*.jsonl"))
    ]
    runs = {run for text in texts for run in re.findall(r"[\u4e00-\u9fff0-9a-z]+", fold(text))}
    assert len(runs) > 3000
    assert [tokenizer().lcut(run) for run in sorted(runs)] == [
        loaded_whole.lcut(run) for run in sorted(runs)
    ]


def test_jieba_is_imported_without_pkg_resources() -> None:
    code = "import sys; from knowledge.segmenter import jieba; jieba(); "
    code += "print('pkg_resources' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
