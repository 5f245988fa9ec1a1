"""文件 in the organizers' console (/org/documents): an organizer, signed in by the mailed link,
publishes a file by a multipart form; forged uploads (an .exe renamed .docx, a 50 MB file, a
ZIP bomb in a .docx, a form without its token) are refused with a clear message and nothing
stored; a 无锡 organizer can neither withdraw nor read 苏州's file; a 苏州 enterprise on the web
page gets 苏州's and the province's files, never 无锡's, each labelled with who published it."""

from __future__ import annotations

import html
import re
import tracemalloc

import httpx

from conversations import texts
from tests.documents_data import DOCX_MIME, docx, exe, pdf, zip_bomb_docx
from tests.test_org import SAME_SITE
from tests.test_org_broadcasts import SUZHOU, WUXI, hidden_fields, site  # noqa: F401
from tests.web_visitor import Visitor

PROVINCE = "wang@jiangsu.gov.cn"
FORM_TITLE = "苏州市质量标杆申报表（2027）"


def counted(site, table: str = "documents") -> int:  # noqa: F811
    return site.store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def published_audits(site) -> int:  # noqa: F811
    rows = site.store.db.execute("SELECT count(*) FROM audit WHERE action = 'document_publish'")
    return rows.fetchone()[0]


async def upload(browser: httpx.AsyncClient, title: str, name: str, content: bytes, *,
                 unit: str = "苏州市经信委", kind: str = "form", csrf: str | None = None,
                 mime: str = DOCX_MIME) -> httpx.Response:  # fmt: skip
    token = hidden_fields((await browser.get("/org/documents")).text)["csrf"]
    fields = {"csrf": token if csrf is None else csrf, "title": title, "kind": kind,
              "unit": unit, "year": "2027"}  # fmt: skip
    return await browser.post(
        "/org/documents", data=fields, files={"file": (name, content, mime)}, headers=SAME_SITE
    )


def field_error(page: str) -> str:
    found = re.search(r'<p id="file-error" class="field-message" role="alert">([^<]*)</p>', page)
    return html.unescape(found.group(1)) if found else ""


async def test_an_organizer_publishes_and_a_suzhou_visitor_downloads_it(site):  # noqa: F811
    browser = await site.signed_in(SUZHOU)
    empty = await browser.get("/org/documents")
    assert empty.status_code == 200 and texts.ORG_DOCS_EMPTY in empty.text
    assert 'href="/org/documents" aria-current="page">文件</a>' in empty.text
    assert 'enctype="multipart/form-data"' in empty.text and "<script" not in empty.text
    units = re.findall(r'<option value="([^"]+)"', empty.text.split('id="unit"')[1])[:2]
    assert units == ["苏州市经信委", "苏州市质量协会"]  # 苏州's units only

    sent = await upload(browser, FORM_TITLE, "申报表（模板）.docx", docx())
    assert sent.status_code == 303 and sent.headers["location"] == "/org/documents?done=published"
    listing = await browser.get(sent.headers["location"])
    assert texts.ORG_DOCS_DONE["published"] in listing.text
    assert FORM_TITLE in listing.text and "申报表（模板）.docx" in listing.text
    assert "苏州市经信委，2027-03-01 09:00（张科长" in listing.text
    own = await browser.get("/org/documents/1/file")
    assert own.content == docx() and own.headers["content-type"] == DOCX_MIME
    assert "attachment" in own.headers["content-disposition"]

    wuxi = await site.signed_in(WUXI)
    shown = await upload(wuxi, "无锡市培训会通知", "通知.pdf", pdf("wuxi"), unit="无锡市质量协会",
                         kind="notice", mime="application/pdf")  # fmt: skip
    assert shown.status_code == 303
    assert FORM_TITLE not in (await wuxi.get("/org/documents")).text  # 苏州's is not listed

    site.store.invite_by_email(site.store.operator(), PROVINCE, "province", "王处长")
    province = await site.signed_in(PROVINCE)
    put = await upload(province, "案例总结材料要求", "要求.pdf", pdf("p"), unit="江苏省经信委",
                       kind="requirements", mime="application/pdf")  # fmt: skip
    assert put.status_code == 303
    everything = (await province.get("/org/documents")).text
    assert FORM_TITLE in everything and "无锡市培训会通知" in everything  # the province: all

    visitor = Visitor(site.visitor)
    await visitor.open()
    [*_, listed] = await visitor.say("/files")
    assert "适用于苏州市企业的文件" in listed["text"]
    assert f"《{FORM_TITLE}》— 苏州市经信委发布，2027-03-01" in listed["text"]
    assert "《案例总结材料要求》— 江苏省经信委发布，2027-03-01" in listed["text"]
    assert "无锡" not in listed["text"] and "通知附件" not in listed["text"]
    [*_, got] = await visitor.press(f"下载：{FORM_TITLE}")
    assert got["text"].startswith(f"《{FORM_TITLE}》，苏州市经信委发布，2027-03-01。")
    assert got["file"]["name"] == "申报表（模板）.docx"
    downloaded = await site.visitor.get(got["file"]["url"])
    assert downloaded.status_code == 200 and downloaded.content == docx()
    [*_, answer] = await visitor.say("申报表在哪里下载")
    labels = [b["label"] for row in answer["buttons"] for b in row]
    assert f"下载{FORM_TITLE}" in labels and "不是通知原文" in answer["text"]
    await browser.aclose()
    await wuxi.aclose()
    await province.aclose()


async def test_forged_uploads_are_refused_with_a_clear_message_nothing_stored(site):  # noqa: F811
    browser = await site.signed_in(SUZHOU)
    limit = "10 MB"
    renamed = await upload(browser, FORM_TITLE, "申报表.docx", exe())
    assert renamed.status_code == 400
    assert field_error(renamed.text) == texts.ORG_DOCS_ERRORS["not_allowed"]
    assert f'value="{FORM_TITLE}"' in renamed.text  # what was typed is kept

    bomb = await upload(browser, FORM_TITLE, "申报表.docx", zip_bomb_docx(200))
    assert bomb.status_code == 400 and field_error(bomb.text) == texts.ORG_DOCS_ERRORS["bomb"]

    large = await upload(browser, FORM_TITLE, "大文件.pdf", b"%PDF-1.4\n" + b"0" * (50 << 20))
    assert large.status_code == 413
    assert field_error(large.text) == texts.ORG_DOCS_ERRORS["too_large"].format(limit=limit)

    pulled = []  # the same 50 MB without a Content-Length: refused once 10 MB are read

    async def body():
        head = (
            '--B\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
        )
        yield head.encode()
        for _ in range(50):
            pulled.append(1)
            yield b"0" * (1 << 20)
        yield b"\r\n--B--\r\n"

    tracemalloc.start()
    chunked = await browser.post(
        "/org/documents", content=body(),
        headers={**SAME_SITE, "content-type": "multipart/form-data; boundary=B"},
    )  # fmt: skip
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert chunked.status_code == 413 and field_error(chunked.text).startswith("文件太大")
    assert len(pulled) == 50  # the rest read and dropped (so a browser shows the answer) …
    assert peak < 20 << 20, peak  # … never held: at most a few MB at a time, not 50

    no_token = await upload(browser, FORM_TITLE, "申报表.docx", docx(), csrf="")
    assert no_token.status_code == 403 and texts.ORG_FORM_EXPIRED in no_token.text
    elsewhere = await browser.post("/org/documents", files={"file": ("a.docx", docx())},
                                   headers={"origin": "https://evil.example"})  # fmt: skip
    assert elsewhere.status_code == 403
    no_file = await upload(browser, FORM_TITLE, "", b"")
    assert field_error(no_file.text) == texts.ORG_DOCS_ERRORS["no_file"]
    assert counted(site) == 0 and published_audits(site) == 0
    await browser.aclose()


async def test_a_wuxi_organizer_cannot_withdraw_suzhous_file(site):  # noqa: F811
    suzhou = await site.signed_in(SUZHOU)
    assert (await upload(suzhou, FORM_TITLE, "申报表.docx", docx())).status_code == 303
    wuxi = await site.signed_in(WUXI)
    token = hidden_fields((await wuxi.get("/org/documents")).text)["csrf"]
    refused = await wuxi.post("/org/documents/1/withdraw", data={"csrf": token}, headers=SAME_SITE)
    assert refused.status_code == 403
    assert texts.ORG_DOCS_NOT_YOURS.format(scope="无锡市") in refused.text
    assert (await wuxi.get("/org/documents/1/file")).status_code == 404
    assert site.store.db["documents"].get(1)["withdrawn_at"] is None

    visitor = Visitor(site.visitor)
    await visitor.open()
    await visitor.say("/files")
    mine = hidden_fields((await suzhou.get("/org/documents")).text)["csrf"]
    done = await suzhou.post("/org/documents/1/withdraw", data={"csrf": mine}, headers=SAME_SITE)
    assert done.status_code == 303 and done.headers["location"] == "/org/documents?done=withdrawn"
    listing = (await suzhou.get(done.headers["location"])).text
    assert "已撤回：2027-03-01 09:00（张科长" in listing and "/org/documents/1/file" not in listing
    [*_, stale] = await visitor.press(f"下载：{FORM_TITLE}")  # the button of the old list
    assert stale["text"].startswith(texts.DOC_GONE) and stale["file"] is None
    assert FORM_TITLE not in stale["text"]
    audit = [r["action"] for r in site.store.audit_rows(site.suzhou_person)]
    assert audit[:2] == ["document_withdraw", "document_publish"]
    await suzhou.aclose()
    await wuxi.aclose()
