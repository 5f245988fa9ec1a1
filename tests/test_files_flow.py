"""文件下载 and the download button under answers, as flows: no bot, no store — the documents
come from a small stand-in for the store's reader (``Records``)."""

from __future__ import annotations

from datetime import datetime

from conversations import router, texts
from conversations.core import (
    SHANGHAI,
    CallbackEvent,
    ChatState,
    CommandEvent,
    Profile,
    TextEvent,
    Turn,
    UpdateProfile,
)
from conversations.documents import PublishedDocument
from conversations.scopes import scopes_of
from tests.driver import ENTERPRISE, check


def document(id: int, scope: str, title: str, kind: str = "form", **more) -> PublishedDocument:
    unit = {"province": "江苏省经信委"}.get(scope, scope.partition(":")[2] + "市经信委")
    fields = dict(id=id, scope=scope, year=2027, kind=kind, title=title, publisher=unit,
                  filename=f"{title}.docx", mime="application/msword", size=35 * 1024,
                  uploaded_at="2027-03-01T10:00:00+08:00", content=b"PK")  # fmt: skip
    return PublishedDocument(**{**fields, **more})


class Published:
    """What the store's reader answers, over a list (withdrawn: left out of the list)."""

    def __init__(self, *documents: PublishedDocument) -> None:
        self.documents = list(documents)

    def published_documents(self, city, association, year):
        scopes = scopes_of(city, association)
        return [d for d in self.documents if d.scope in scopes and d.year >= year]

    def published_document(self, document_id, city, association, year):
        found = [d for d in self.published_documents(city, association, year)]
        return next((d for d in found if d.id == document_id), None)


FILES = Published(
    document(1, "city:苏州", "2027年质量标杆申报表"),
    document(2, "province", "案例总结材料要求", kind="requirements"),
    document(3, "city:无锡", "无锡市培训会通知", kind="notice"),
    document(4, "city:苏州", "2026年旧表", year=2026),
)


def run(ctx, event, profile=None, records=FILES, state=None):
    ctx.clock = lambda: datetime(2027, 3, 2, 9, tzinfo=SHANGHAI)
    turn = Turn(ENTERPRISE, state or ChatState(), profile or Profile(), records=records)
    outcome = router.handle(ctx, turn, event)
    check(outcome)
    return outcome


def labels(reply) -> list[str]:
    return [b.label for row in reply.buttons for b in row]


def test_a_suzhou_enterprise_sees_its_city_and_the_province_never_another_city(ctx):
    reply = run(ctx, CommandEvent(name="files"), Profile(city="苏州")).replies[0]
    assert "适用于苏州市企业的文件" in reply.text
    assert (
        "《2027年质量标杆申报表》— 苏州市经信委发布，2027-03-01；申报表，docx，35 KB" in reply.text
    )
    assert "《案例总结材料要求》— 江苏省经信委发布，2027-03-01" in reply.text
    assert "无锡" not in reply.text and "2026年旧表" not in reply.text
    assert (
        "通知附件" not in reply.text and "不是通知（苏经信科技〔2016〕222号）的原文" in reply.text
    )
    assert labels(reply)[:2] == ["下载：2027年质量标杆申报表", "下载：案例总结材料要求"]
    assert "苏州" not in labels(reply)  # the city is known: not asked


def test_the_button_sends_the_file_labelled_as_its_publishers(ctx):
    out = run(ctx, CallbackEvent(data="w:get:1"), Profile(city="苏州市"))
    [reply] = out.replies
    assert reply.file.filename == "2027年质量标杆申报表.docx" and reply.file.content == b"PK"
    assert reply.text.startswith("《2027年质量标杆申报表》，苏州市经信委发布，2027-03-01。")
    assert "不是通知" in reply.text


def test_another_citys_file_or_a_withdrawn_one_is_not_sent(ctx):
    out = run(ctx, CallbackEvent(data="w:get:3"), Profile(city="苏州"))  # 无锡's, forged
    assert out.replies[0].file is None and out.replies[0].text.startswith(texts.DOC_GONE)
    assert "无锡" not in out.replies[0].text
    forged = run(ctx, CallbackEvent(data="w:get:x"), Profile(city="苏州"))
    assert forged.replies[0].file is None


def test_without_a_city_the_province_and_one_tap_for_the_city(ctx):
    out = run(ctx, CommandEvent(name="files"))
    reply = out.replies[0]
    assert "适用于全省企业的文件" in reply.text and "案例总结材料要求" in reply.text
    assert "申报表" not in reply.text.split(texts.DOC_ASK_CITY)[0].replace("案例", "")
    assert texts.DOC_ASK_CITY in reply.text and "苏州" in labels(reply)
    tapped = next(b.data for row in reply.buttons for b in row if b.label == "苏州")
    chosen = run(ctx, CallbackEvent(data=tapped))
    assert chosen.effects == [UpdateProfile(city="苏州")]
    assert chosen.replies[0].text.startswith("已记下：苏州市。")
    assert "2027年质量标杆申报表" in chosen.replies[0].text and "无锡" not in chosen.replies[0].text


def test_nothing_published_or_no_store(ctx):
    for records in (Published(), None):
        reply = run(ctx, CommandEvent(name="files"), Profile(city="苏州"), records).replies[0]
        assert reply.text.startswith("目前没有适用于苏州市企业的文件")


def test_an_answer_about_the_form_offers_the_published_form(ctx):
    out = run(ctx, TextEvent(text="申报表是哪个附件"), Profile(city="苏州"))
    reply = out.replies[0]
    assert "附件2" in reply.text
    assert labels(reply)[0] == "下载2027年质量标杆申报表"
    assert "苏州市经信委已于2027-03-01发布《2027年质量标杆申报表》" in reply.text
    assert out.kind in ("answered", "quoted")
    wuxi = run(ctx, TextEvent(text="申报表是哪个附件"), Profile(city="无锡")).replies[0]
    assert not any(label.startswith("下载") for label in labels(wuxi))  # 无锡 has no 申报表
    bare = run(ctx, TextEvent(text="申报表是哪个附件"), Profile(city="苏州"), None).replies[0]
    assert not any(label.startswith("下载") for label in labels(bare))
    assert bare.text == reply.text.split("\n\n苏州市经信委已于")[0]  # the answer itself as is


def test_an_answer_about_the_case_requirements_offers_them(ctx):
    out = run(ctx, TextEvent(text="附件1是什么"), Profile(city="南京"))
    assert "下载案例总结材料要求" in labels(out.replies[0])
    fee = run(ctx, TextEvent(text="要交费吗"), Profile(city="苏州")).replies[0]
    assert not any(label.startswith("下载") for label in labels(fee))


def test_the_faq_flows_button_answer_gets_the_button_too(ctx):
    out = run(ctx, CallbackEvent(data="f:q:materials"), Profile(city="苏州"))
    assert "下载2027年质量标杆申报表" in labels(out.replies[0])
