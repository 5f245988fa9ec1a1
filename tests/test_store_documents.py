"""The store's documents: who may publish and withdraw (read from its own tables, never from
the caller), the content checked again, the audit rows, and what an enterprise reads."""

from __future__ import annotations

import pytest

from bot.store import NotAllowed, Store
from bot.store.documents import DocumentRefused
from bot.uploads import UploadRefused
from tests.documents_data import docx, exe, pdf, xlsx, zip_bomb_docx
from tests.driver import Clock


@pytest.fixture
def store(tmp_path):
    opened = Store(tmp_path / "b.db", clock=Clock(2027, 3, 1, 10, 0))
    yield opened
    opened.close()


def organizer(store: Store, scope: str, name: str) -> int:
    return store.invite_by_email(store.operator(), f"{name}@example.cn", scope, name)


def publish(store, by, title, content=None, *, kind="form", unit="苏州市经信委", year=2027):
    return store.publish_document(
        by, title=title, kind=kind, publisher=unit, year=year,
        filename=f"{title}.docx", content=content if content is not None else docx(title),
    )  # fmt: skip


def counted(store: Store) -> int:
    return store.db.execute("SELECT count(*) FROM documents").fetchone()[0]


def test_an_organizer_publishes_for_its_own_scope_audited(store):
    suzhou = organizer(store, "city:苏州", "zhang")
    document = publish(store, suzhou, "2027年质量标杆申报表")
    row = store.db["documents"].get(document)
    assert (row["scope"], row["publisher"], row["uploaded_by"]) == (
        "city:苏州",
        "苏州市经信委",
        suzhou,
    )
    assert row["mime"].endswith("wordprocessingml.document") and row["size"] == len(row["content"])
    [audit] = [r for r in store.audit_rows(suzhou) if r["action"] == "document_publish"]
    assert audit["scope"] == "city:苏州" and "2027年质量标杆申报表" in audit["detail"]


def test_the_store_refuses_what_a_form_may_not_claim(store):
    suzhou = organizer(store, "city:苏州", "zhang")
    enterprise = store.telegram_person(4001)
    with pytest.raises(NotAllowed):
        publish(store, enterprise, "伪造的申报表")
    with pytest.raises(ValueError):  # 无锡's unit, offered to 无锡 only
        publish(store, suzhou, "申报表", unit="无锡市经信委")
    with pytest.raises(ValueError):
        publish(store, suzhou, "申报表", kind="virus")
    for forged in (exe(), zip_bomb_docx(200), b"\0" * 100):
        with pytest.raises(UploadRefused):
            publish(store, suzhou, "伪造", forged)
    assert counted(store) == 0
    assert not [r for r in store.recent_audit(50) if r["action"] == "document_publish"]


def test_the_same_file_twice_is_refused(store):
    suzhou = organizer(store, "city:苏州", "zhang")
    publish(store, suzhou, "申报表", pdf("same"))
    with pytest.raises(DocumentRefused) as refused:
        publish(store, suzhou, "申报表（重复）", pdf("same"))
    assert (refused.value.reason, refused.value.title) == ("duplicate", "申报表")
    assert counted(store) == 1


def test_wuxi_cannot_withdraw_suzhous_file_the_province_and_suzhou_can(store):
    suzhou = organizer(store, "city:苏州", "zhang")
    wuxi = organizer(store, "city:无锡", "chen")
    province = organizer(store, "province", "wang")
    first = publish(store, suzhou, "申报表")
    second = publish(store, suzhou, "案例要求", kind="requirements")
    with pytest.raises(NotAllowed):
        store.withdraw_document(wuxi, first)
    assert store.db["documents"].get(first)["withdrawn_at"] is None
    assert store.scope_documents(wuxi) == [] and store.scope_document_file(wuxi, first) is None
    assert store.withdraw_document(suzhou, first) is True
    assert store.withdraw_document(province, second) is True
    assert store.withdraw_document(suzhou, first) is False  # already withdrawn
    gone = store.db["documents"].get(first)
    assert gone["content"] is None and gone["withdrawn_by"] == suzhou and gone["sha256"]
    actions = [(r["action"], r["scope"]) for r in store.recent_audit(10)]
    assert actions.count(("document_withdraw", "city:苏州")) == 2


def test_an_enterprise_reads_its_city_its_association_and_the_province(store):
    suzhou = organizer(store, "city:苏州", "zhang")
    wuxi = organizer(store, "city:无锡", "chen")
    province = organizer(store, "province", "wang")
    machinery = organizer(store, "assoc:江苏省机械行业协会", "liu")
    publish(store, suzhou, "苏州申报表")
    publish(store, wuxi, "无锡培训会", pdf("wuxi"), kind="notice", unit="无锡市质量协会")
    publish(store, province, "全省案例要求", xlsx(), kind="requirements", unit="江苏省经信委")
    publish(store, machinery, "机械协会通知", pdf("assoc"), unit="江苏省机械行业协会")
    publish(store, suzhou, "2026年的表", pdf("old"), year=2026)

    def titles(city, association=None):
        return [d.title for d in store.published_documents(city, association, 2027)]

    assert titles("苏州") == ["全省案例要求", "苏州申报表"]  # newest first
    assert titles("苏州市", "江苏省机械行业协会") == ["机械协会通知", "全省案例要求", "苏州申报表"]
    assert titles(None) == ["全省案例要求"]
    assert titles("无锡") == ["全省案例要求", "无锡培训会"]
    [listed] = [d for d in store.published_documents("苏州", None, 2027) if d.scope != "province"]
    assert listed.content == b""  # a list carries no bytes
    assert store.published_document(listed.id, "苏州", None, 2027).content == docx("苏州申报表")
    assert store.published_document(listed.id, "无锡", None, 2027) is None
    assert store.scope_documents(province)[0]["title"] == "2026年的表"  # newest first


def test_forgetting_the_uploader_keeps_the_file_not_who_sent_it(store):
    suzhou = organizer(store, "city:苏州", "zhang")
    store.ensure_destination("telegram", "777", suzhou)
    store.touch_user(777, user_id=777, person_id=suzhou)
    document = publish(store, suzhou, "申报表")
    store.forget(777, 777)
    row = store.db["documents"].get(document)
    assert row["uploaded_by"] is None and row["content"] == docx("申报表")
