"""knowledge.memo: analyses cached across processes as JSON, keyed by every input."""

from __future__ import annotations

import json
import os

import pytest

from knowledge import memo as memo_module
from knowledge.analysis import _analyse, analyse, remember
from knowledge.memo import KEEP, Memo, file_name, input_key, loaded_memo


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BIAOGAN_CACHE_DIR", str(tmp_path))
    memo_module.memo.cache_clear()
    yield tmp_path
    memo_module.memo.cache_clear()


def test_a_remembered_analysis_is_the_same_and_survives_a_restart(cache) -> None:
    text = "申报材料什么时候截止"
    first = remember(text)
    memo_module.memo().save()
    assert (cache / file_name(input_key())).exists()
    memo_module.memo.cache_clear()  # a new process
    assert memo_module.memo().get("analysis", text) is not None
    assert analyse(text) == first == _analyse(text, True)


def test_a_cache_with_another_key_is_ignored(cache) -> None:
    (cache / file_name(input_key())).write_text(
        json.dumps({"key": "old", "entries": {"analysis": {"x": ["x", [], [], [], "x"]}}}),
        encoding="utf-8",
    )
    assert Memo.load().get("analysis", "x") is None
    assert Memo.load().key == input_key()


def test_a_broken_or_unwritable_cache_is_ignored(cache) -> None:
    (cache / file_name(input_key())).write_text("{not json", encoding="utf-8")
    memo = Memo.load()
    assert memo.entries == {}
    memo.path = cache / "missing" / "deeper" / file_name(input_key())
    memo.path.parent.parent.write_text("a file where a folder should be", encoding="utf-8")
    memo.put("words", "质量", ["质量"])
    memo.save()  # no exception
    assert memo.dirty


def test_questions_are_not_remembered(cache) -> None:
    analyse("一个从未见过的问题")
    assert memo_module.memo().get("analysis", "一个从未见过的问题") is None


def test_each_key_has_its_own_file_and_the_newest_are_kept(cache) -> None:
    others = [cache / file_name(f"{n:016d}") for n in range(KEEP + 2)]
    for age, path in enumerate(others):
        path.write_text("{}", encoding="utf-8")
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    (cache / "analyses.json").write_text("{}", encoding="utf-8")  # the unkeyed file of old
    remember("申报材料什么时候截止")
    memo_module.memo().save()
    kept = sorted(p.name for p in cache.glob("analyses*.json"))
    newest = sorted(p.name for p in others[-(KEEP - 1) :])
    assert kept == sorted([file_name(input_key()), *newest])


def test_a_question_never_loads_the_memo(cache) -> None:
    remember("申报材料什么时候截止")
    memo_module.memo().save()
    memo_module.release_memo()
    assert analyse("申报材料什么时候截止") == _analyse("申报材料什么时候截止", True)
    assert loaded_memo() is None
