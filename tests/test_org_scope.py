"""Scope where the data is: a 苏州 organizer, signed in, tries every page, export, broadcast,
status and people URL of the console with ids and parameters of 无锡 — changed query strings,
guessed ids, changed form fields, a replayed form — and reads nothing of 无锡, writes nothing.
The console's own route table is walked, so a page added later is tried too."""

from __future__ import annotations

import re

from starlette.routing import Route

from bot.org.app import OrgConsole
from bot.org.pages import add_pages
from tests.test_org import SAME_SITE
from tests.test_org_broadcasts import SUZHOU as SUZHOU_ADDRESS
from tests.test_org_broadcasts import WUXI, WUXI_CHAT, hidden_fields, preview, site  # noqa: F401

WUXI_TEXT = "无锡的通知：只给无锡"
DATA = ("broadcasts", "deliveries", "messages", "organizers", "people", "destinations",
        "subscriptions", "reminders", "users", "checks", "unanswered", "documents",
        "local_answers")  # fmt: skip
WUXI_FILE = "无锡的培训会通知"
WUXI_ANSWER = "无锡的答复：只给无锡"
WUXI_QUERIES = "?city=无锡&city=无锡市&scope=city:无锡&segment=city:无锡&by=city&page=1"


def console_routes(service) -> list[Route]:
    console = OrgConsole(service)
    add_pages(console)
    return [r for r in console.app().routes if isinstance(r, Route)]


def snapshot(store) -> dict[str, int]:
    return {t: store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in DATA}


async def test_a_suzhou_organizer_reaches_nothing_of_wuxi_on_any_console_url(site):  # noqa: F811
    store = site.store
    store.record_unanswered(WUXI_CHAT, _unanswered("无锡的企业问的问题"))
    wuxi_answer, wuxi_question = _answered_and_forwarded(store, site.wuxi_person)
    wuxi = await site.signed_in(WUXI)
    wuxi_form = hidden_fields((await preview(wuxi, WUXI_TEXT)).text)
    sent = await wuxi.post("/org/broadcasts/send", data=wuxi_form, headers=SAME_SITE)
    wuxi_broadcast = int(re.search(r"/broadcasts/(\d+)", sent.headers["location"]).group(1))
    wuxi_file = store.publish_document(
        site.wuxi_person, title=WUXI_FILE, kind="notice", publisher="无锡市经信委", year=2027,
        filename="无锡通知.pdf", content=b"%PDF-1.4 wuxi",
    )  # fmt: skip
    suzhou = await site.signed_in(SUZHOU_ADDRESS)
    mine = hidden_fields((await suzhou.get("/org/broadcasts/new")).text)["csrf"]
    before = snapshot(store)

    ids = {"broadcast_id": wuxi_broadcast, "person": site.wuxi_person, "document": wuxi_file,
           "answer": wuxi_answer}  # fmt: skip
    tried = []
    for route in console_routes(site.service):
        if route.path.startswith(("/signin", "/signout", "/static")) or route.path == "/":
            continue
        path = re.sub(
            r"\{(\w+):int\}", lambda m: str(ids[m.group(1)]), "/org" + route.path
        )  # 无锡's ids
        for method in route.methods or ():
            if method == "HEAD":
                continue
            if method == "GET":
                response = await suzhou.get(path + WUXI_QUERIES)
            else:  # 无锡's own draft and ids, with 苏州's token; and as 无锡 sent it
                forged = {"person": str(site.wuxi_person), "scope": "city:无锡",
                          "email": "x@wuxi.gov.cn", "name": "伪造", "q": str(wuxi_question),
                          "text": "伪造的答复", "unit": "苏州市经信委", "publish": "1"}  # fmt: skip
                fields = {**wuxi_form, **forged, "csrf": mine}
                response = await suzhou.post(path, data=fields, headers=SAME_SITE)
                replayed = await suzhou.post(path, data=wuxi_form, headers=SAME_SITE)
                assert replayed.status_code == 403, (path, replayed.status_code)
            tried.append((method, path, response.status_code))
            shown = response.text
            assert WUXI_TEXT not in shown and "无锡测试机械有限公司" not in shown, (method, path)
            assert "无锡的企业问的问题" not in shown and "chen@wuxi.gov.cn" not in shown
            assert WUXI_FILE not in shown and b"%PDF-1.4 wuxi" not in response.content
            assert WUXI_ANSWER not in shown and "无锡的转来的问题" not in shown
            if response.status_code == 200 and method == "POST":
                assert path.endswith("/broadcasts/new"), (path, "a write was accepted")
    assert snapshot(store) == before, "nothing written"
    assert store.role(site.wuxi_person) == ("organizer", "city:无锡")
    assert len(tried) >= 15 and {m for m, _, _ in tried} == {"GET", "POST"}
    refused = {p for m, p, code in tried if code in (403, 404)}
    assert f"/org/broadcasts/{wuxi_broadcast}" in refused
    assert f"/org/broadcasts/{wuxi_broadcast}.csv" in refused
    assert "/org/enterprises.csv" in refused and "/org/organizers" in refused
    assert f"/org/documents/{wuxi_file}/file" in refused
    assert f"/org/documents/{wuxi_file}/withdraw" in refused
    assert store.db["documents"].get(wuxi_file)["withdrawn_at"] is None
    assert {"/org/unanswered/answer", f"/org/unanswered/answers/{wuxi_answer}/withdraw"} <= refused
    assert store.db["local_answers"].get(wuxi_answer)["withdrawn_at"] is None
    await wuxi.aclose()
    await suzhou.aclose()


def _unanswered(text: str):
    from conversations.core import RecordUnanswered

    return RecordUnanswered(text=text)


def _answered_and_forwarded(store, wuxi_person: int) -> tuple[int, int]:
    """Two questions 无锡's enterprise forwarded to 无锡: one answered (and published), one
    waiting; (the answer's id, the waiting question's id)."""
    from conversations.core import ForwardQuestion, RecordUnanswered

    for key, text in (("a" * 12, "无锡的转来的问题，已答复"), ("b" * 12, "无锡的转来的问题")):
        store.record_unanswered(WUXI_CHAT, RecordUnanswered(text=text, key=key))
        store.forward_question(WUXI_CHAT, ForwardQuestion(key=key, scope="city:无锡"))
    first, waiting = (store.forwardable(WUXI_CHAT, k)["id"] for k in ("a" * 12, "b" * 12))
    answer = store.answer_questions(wuxi_person, [first], "无锡市经信委", WUXI_ANSWER, publish=True)
    return answer, waiting
