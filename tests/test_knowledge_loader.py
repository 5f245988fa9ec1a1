"""The knowledge files load and validate; a broken file fails naming the file, entry and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from knowledge.faq import load_scope
from knowledge.loader import KnowledgeError, data_dir, load_from, load_knowledge


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the packaged data directory, safe to break."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


def _edit_yaml(path: Path, change) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_packaged_knowledge_loads_with_expected_counts() -> None:
    kb = load_knowledge()
    assert len(kb.conditions) == 6
    assert len(kb.areas) == 10
    assert len(kb.faq) >= 40
    assert kb.programme.calendar_year == 2016
    assert [c.number for c in kb.conditions if c.priority_only] == [3]
    assert kb.programme.contacts.names == ["李凯", "黄海勇"]


def test_load_is_cached() -> None:
    assert load_knowledge() is load_knowledge()


def test_faq_entries_are_well_formed() -> None:
    kb = load_knowledge()
    for entry in kb.faq:
        assert len(entry.questions) >= 4, entry.id
        assert len(set(entry.questions)) == len(entry.questions), entry.id
        assert entry.keywords, entry.id
        assert all(c in kb.clauses for c in entry.clauses), entry.id


def test_a_copy_loads_like_the_package(data_copy: Path) -> None:
    assert load_from(data_copy).faq == load_knowledge().faq


def test_missing_answer_names_file_entry_and_field(data_copy: Path) -> None:
    _edit_yaml(data_copy / "faq.yaml", lambda raw: raw["faq"][1].pop("answer"))
    with pytest.raises(KnowledgeError) as err:
        load_from(data_copy)
    message = str(err.value)
    assert "faq.yaml" in message and "id=quota_first_batch" in message and "'answer'" in message


def test_too_few_phrasings_is_rejected(data_copy: Path) -> None:
    _edit_yaml(data_copy / "faq.yaml", lambda raw: raw["faq"][0].update(questions=["收费吗"]))
    with pytest.raises(KnowledgeError, match=r"faq\.yaml: entry #1 \(id=fee\): field 'questions'"):
        load_from(data_copy)


def test_unknown_clause_is_rejected(data_copy: Path) -> None:
    _edit_yaml(data_copy / "faq.yaml", lambda raw: raw["faq"][0].update(clause="四(九)9"))
    with pytest.raises(KnowledgeError, match=r"faq\.yaml: entry id=fee: field 'clause'.*四\(九\)9"):
        load_from(data_copy)


def test_duplicate_faq_ids_are_rejected(data_copy: Path) -> None:
    _edit_yaml(data_copy / "faq.yaml", lambda raw: raw["faq"][1].update(id="fee"))
    with pytest.raises(KnowledgeError, match=r"faq\.yaml: duplicate entry ids \['fee'\]"):
        load_from(data_copy)


def test_unexpected_field_is_rejected(data_copy: Path) -> None:
    _edit_yaml(data_copy / "faq.yaml", lambda raw: raw["faq"][2].update(anwser="typo"))
    with pytest.raises(KnowledgeError, match=r"faq\.yaml: entry #3 .*field 'anwser'"):
        load_from(data_copy)


def test_bad_programme_field_names_file_and_field(data_copy: Path) -> None:
    _edit_yaml(data_copy / "programme.yaml", lambda raw: raw["calendar"][1].update(month=13))
    with pytest.raises(KnowledgeError, match=r"programme\.yaml: field 'calendar\.1\.month'"):
        load_from(data_copy)


def test_broken_yaml_names_the_file(data_copy: Path) -> None:
    (data_copy / "faq.yaml").write_text("faq: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"faq\.yaml: cannot read"):
        load_from(data_copy)


def test_missing_file_names_the_file(data_copy: Path) -> None:
    (data_copy / "notice.txt").unlink()
    with pytest.raises(KnowledgeError, match=r"notice\.txt: cannot read"):
        load_from(data_copy)


def test_missing_top_level_list_is_explained(data_copy: Path) -> None:
    (data_copy / "faq.yaml").write_text("entries: []\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"faq\.yaml: expected a top-level 'faq:' list"):
        load_from(data_copy)


def test_scope_rules_load_and_compile() -> None:
    rules = load_scope()
    assert {"other_programme", "money", "scoring", "paperwork"} <= {r.id for r in rules}


def test_broken_scope_rule_names_file_rule_and_field(data_copy: Path) -> None:
    def break_money_rule(raw: dict) -> None:
        rule = next(r for r in raw["rules"] if r["id"] == "money")
        rule["pattern"] = "奖励(("

    _edit_yaml(data_copy / "scope.yaml", break_money_rule)
    expected = r"scope\.yaml: entry #\d+ \(id=money\): field 'pattern'"
    with pytest.raises(KnowledgeError, match=expected):
        load_scope(data_copy / "scope.yaml")
