"""The web chat's HTTP API (bot/web/) through httpx's ASGI transport, on a real SQLite file."""

from __future__ import annotations

import asyncio
import dataclasses
import re

import httpx
import pytest

from bot.config import Settings
from bot.service import ChatService, Turned
from bot.web import WebLimits, build_web_app, texts
from bot.web.app import CSP
from bot.web.sessions import MAX_TRANSCRIPT, WEB_ID_CEILING, WebSessions
from conversations import texts as texts_flow
from conversations.core import Attachment, Reply

from .conftest import ROOT
from .web_visitor import PAGE_HEADERS, Visitor

STATIC = ROOT / "bot" / "web" / "static"
RELAXED = WebLimits(session_per_second=0, address_per_second=0)  # no flood gate


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data")


@pytest.fixture
def service(settings):
    opened = ChatService.open(settings)
    yield opened
    opened.close()


def client_for(app, **transport) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, **transport), base_url="http://testserver"
    )


@pytest.fixture
async def client(settings, service):
    async with client_for(build_web_app(settings, service, RELAXED)) as opened:
        yield opened


@pytest.fixture
async def visitor(client) -> Visitor:
    visitor = Visitor(client)
    await visitor.open()
    return visitor


def chat_ids(service, table: str) -> set[int]:
    return {row[0] for row in service.store.db.execute(f"SELECT chat_id FROM {table}")}


async def answer_the_check(visitor: Visitor) -> list[dict]:
    """Answer every question of the self-check by button (是, or 3 years and more)."""
    await visitor.press(texts_menu_check())
    for _ in range(12):
        labels = [b["label"] for row in visitor.last()["buttons"] for b in row]
        if "确认，查看结果" in labels:
            return await visitor.press("确认，查看结果")
        await visitor.press("是" if "是" in labels else "3年以上（含3年）")
    raise AssertionError("the check never reached its summary")


def texts_menu_check() -> str:
    from conversations import texts as flow_texts

    return flow_texts.MENU_CHECK


# ---- the page ------------------------------------------------------------------------------


async def test_page_is_served_with_a_strict_policy_and_no_inline_script(client):
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    page = response.text
    assert texts.TITLE in page and "{{" not in page
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"https?://", page), "nothing fetched from another origin"
    assert not re.search(r"\son[a-z]+=", page), "no inline event handlers"


async def test_static_files_are_served_and_the_script_never_writes_markup(client):
    for name, kind in (("app.js", "javascript"), ("app.css", "text/css")):
        response = await client.get(f"/static/{name}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
    assert "textContent" in script
    styles = (STATIC / "app.css").read_text(encoding="utf-8")
    assert "@import" not in styles and "url(" not in styles, "no web fonts, no remote images"


# ---- sessions ------------------------------------------------------------------------------


async def test_first_visit_makes_a_session_in_the_web_id_range(client, service):
    response = await client.get("/api/session", headers=PAGE_HEADERS)
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    assert response.json()["messages"] == []
    (chat_id,) = chat_ids(service, "web_sessions")
    assert chat_id < WEB_ID_CEILING and abs(chat_id) > 2**53
    again = await client.get("/api/session", headers=PAGE_HEADERS)
    assert again.cookies["biaogan_session"] == response.cookies["biaogan_session"]  # renewed
    assert again.json()["csrf"] == response.json()["csrf"]
    assert chat_ids(service, "web_sessions") == {chat_id}


async def test_the_session_is_only_handed_to_the_page_itself(client, service):
    response = await client.get("/api/session")
    assert response.status_code == 403
    assert response.json() == {"error": texts.ERR_NOT_FROM_PAGE}
    assert chat_ids(service, "web_sessions") == set()


async def test_the_store_keeps_only_a_hash_of_the_cookie(client, service):
    response = await client.get("/api/session", headers=PAGE_HEADERS)
    token = response.cookies["biaogan_session"]
    dump = "\n".join(service.store.db.iterdump())
    assert token not in dump


# ---- events in, replies out ----------------------------------------------------------------


async def test_start_shows_the_greeting_and_the_main_menu(visitor):
    (greeting,) = await visitor.command("start")
    assert greeting["from"] == "bot" and "质量标杆" in greeting["text"]
    labels = [b["label"] for row in greeting["buttons"] for b in row]
    assert labels[:2] == ["资格自测", "领域推荐"]


async def test_a_question_gets_the_cited_answer_and_the_visitors_echo(visitor):
    echo, answer = await visitor.say("要交费吗")
    assert echo == {
        "id": echo["id"],
        "seq": echo["seq"],
        "new": False,
        "from": "user",
        "text": "要交费吗",
        "buttons": [],
        "file": None,
        "keep": False,  # not a result: no 下载PDF under it
    }
    assert answer["from"] == "bot" and "见通知" in answer["text"]


async def test_a_deep_link_opens_its_flow(visitor):
    replies = await visitor.command("start", "check")
    assert "资格自测" in replies[0]["text"] and "第1/8题" in replies[0]["text"]
    replies = await visitor.command("start", "faq")
    assert replies[0]["buttons"]


async def test_typed_commands_work_as_on_telegram(visitor):
    echo, reply = await visitor.say("/start area")
    assert echo["text"] == "/start area"
    assert reply["from"] == "bot" and "领域" in reply["text"]


async def test_a_reply_marked_edit_replaces_the_pressed_message(visitor):
    await visitor.command("start")
    (question,) = await visitor.press("资格自测")
    response = await visitor.post(
        {"type": "button", "data": visitor.button("是")[1], "message": question["id"]}
    )
    body = response.json()
    assert body["replaced"] == question["id"]
    assert body["messages"][0]["id"] == question["id"]
    assert "第2/8题" in body["messages"][0]["text"]
    history = await visitor.open()
    assert [m["id"] for m in history].count(question["id"]) == 1
    assert "第2/8题" in history[-1]["text"]


async def test_the_whole_check_by_buttons_reaches_the_verdict_and_is_recorded(visitor, service):
    await visitor.command("start")
    verdict = await answer_the_check(visitor)
    assert "自测结果" in verdict[-1]["text"]
    assert len(chat_ids(service, "checks")) == 1


async def test_state_and_transcript_survive_a_restart(settings):
    first = ChatService.open(settings)
    try:
        async with client_for(build_web_app(settings, first, RELAXED)) as client:
            visitor = Visitor(client)
            await visitor.open()
            await visitor.command("start")
            await visitor.press("资格自测")
            await visitor.press("是")
            cookies = dict(client.cookies)
    finally:
        first.close()
    second = ChatService.open(settings)
    try:
        async with client_for(build_web_app(settings, second, RELAXED)) as client:
            client.cookies.update(cookies)
            visitor = Visitor(client)
            history = await visitor.open()
            assert [m["from"] for m in history] == ["bot", "bot"]
            assert "第2/8题" in history[-1]["text"]
            replies = await visitor.press("是")
            assert "第3/8题" in replies[0]["text"]
    finally:
        second.close()


# ---- refused: forged, malformed, oversized, unauthorised -----------------------------------


async def test_forged_button_data_is_refused_and_changes_nothing(visitor, service):
    (greeting,) = await visitor.command("start")
    before = service.store.db.execute("SELECT state FROM states").fetchall()
    for forged in (
        {"type": "button", "data": "e:done", "message": greeting["id"]},  # not on that message
        {"type": "button", "data": "m:open:check", "message": greeting["id"] + 999},
        {"type": "button", "data": "x" * 65, "message": greeting["id"]},
        {"type": "button", "data": "m:open:check"},  # no message
    ):
        response = await visitor.post(forged)
        assert response.status_code == 400, forged
        assert response.json()["error"]
    assert service.store.db.execute("SELECT state FROM states").fetchall() == before


async def test_a_button_of_another_session_cannot_be_pressed(client, settings, service):
    first = Visitor(client)
    await first.open()
    (greeting,) = await first.command("start")
    async with client_for(build_web_app(settings, service, RELAXED)) as other_client:
        other = Visitor(other_client)
        await other.open()
        response = await other.post(
            {"type": "button", "data": "m:open:check", "message": greeting["id"]}
        )
    assert response.status_code == 400
    assert response.json() == {"error": texts.ERR_BUTTON}


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"\xff\xfe",
        b"[1, 2]",
        b'"text"',
        b"null",
        b'{"type": "text"}',
        b'{"type": "text", "text": 5}',
        b'{"type": "voice", "text": "x"}',
        b'{"type": "text", "text": "x", "role": "admin"}',
        b'{"type": "command", "name": "broadcast", "args": "x"}',
        b'{"type": "command", "name": "start", "args": "../../etc"}',
        b'{"type": "button", "data": "m:open:menu", "message": "1"}',
    ],
)
async def test_malformed_requests_get_a_short_chinese_400(visitor, body):
    response = await visitor.client.post(
        "/api/send",
        content=body,
        headers={"X-CSRF-Token": visitor.csrf, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert re.search(r"[\u4e00-\u9fff]", error) and len(error) < 120
    assert "Traceback" not in response.text


async def test_an_oversized_body_is_refused_before_it_is_read(visitor):
    limit = WebLimits().body_bytes
    response = await visitor.post({"type": "text", "text": "问" * limit})
    assert response.status_code == 413
    assert response.json() == {"error": texts.ERR_TOO_LARGE.format(limit=limit)}


async def test_an_oversized_streamed_body_is_cut_off(visitor):
    limit = WebLimits().body_bytes

    async def chunks():
        for _ in range(limit // 1024 + 2):
            yield b" " * 1024

    response = await visitor.client.post(
        "/api/send", content=chunks(), headers={"X-CSRF-Token": visitor.csrf}
    )
    assert response.status_code == 413
    assert "content-length" not in response.request.headers


async def test_a_long_text_within_the_body_limit_gets_the_routers_own_answer(visitor):
    _echo, reply = await visitor.say("问" * 5000)
    assert reply["text"].startswith("您发送了 5000 字，上限 4096 字")


async def test_state_changing_requests_need_the_sessions_csrf_token(visitor, client, service):
    event = {"type": "text", "text": "要交费吗"}
    missing = await client.post("/api/send", json=event)
    wrong = await client.post("/api/send", json=event, headers={"X-CSRF-Token": "0" * 64})
    forget = await client.post("/api/forget", headers={"X-CSRF-Token": "nope"})
    for response in (missing, wrong, forget):
        assert response.status_code == 403
        assert response.json() == {"error": texts.ERR_CSRF}
    assert chat_ids(service, "web_messages") == set()
    assert len(chat_ids(service, "web_sessions")) == 1


async def test_another_sessions_csrf_token_does_not_fit(visitor, settings, service):
    async with client_for(build_web_app(settings, service, RELAXED)) as other_client:
        other = Visitor(other_client)
        await other.open()
        response = await other.post(
            {"type": "text", "text": "hi"}, **{"X-CSRF-Token": visitor.csrf}
        )
    assert response.status_code == 403


async def test_without_a_session_a_request_is_told_to_reload(client):
    response = await client.post("/api/send", json={"type": "text", "text": "x"})
    assert response.status_code == 401
    assert response.json() == {"error": texts.ERR_NO_SESSION}
    client.cookies.set("biaogan_session", "forged-token")
    response = await client.post("/api/send", json={"type": "text", "text": "x"})
    assert response.status_code == 401


async def test_unknown_paths_and_methods_answer_in_chinese(client):
    missing = await client.get("/wp-admin")
    assert missing.status_code == 404 and missing.json() == {"error": texts.ERR_NOT_FOUND}
    wrong = await client.get("/api/send")
    assert wrong.status_code == 405 and wrong.json() == {"error": texts.ERR_METHOD}


async def test_a_failing_turn_answers_a_short_500_never_a_traceback(settings, service):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    service.handle = broken
    app = build_web_app(settings, service, RELAXED)
    async with client_for(app, raise_app_exceptions=False) as client:
        visitor = Visitor(client)
        await visitor.open()
        response = await visitor.post({"type": "text", "text": "要交费吗"})
    assert response.status_code == 500
    assert response.json() == {"error": texts.ERR_SERVER}
    assert "secret" not in response.text and "Traceback" not in response.text


# ---- who is speaking: never an organizer ---------------------------------------------------


async def test_the_web_speaks_as_an_enterprise_on_its_own_chat(visitor, service, settings):
    seen = []
    handle = service.handle

    def spy(who, event, *args):
        seen.append(who)
        return handle(who, event, *args)

    service.handle = spy
    settings.admin_ids = [1, 2]
    for command in ("/broadcast 截止提醒", "/appoint 1 南京", "/stats", "/organizer", "/admin"):
        _echo, reply = await visitor.say(command)
        assert reply["from"] == "bot"
        assert "截止提醒" not in reply["text"]
    assert seen
    for who in seen:
        assert who.chat_id < WEB_ID_CEILING and who.user_id == who.chat_id
        assert (who.role, who.channel, who.scope) == ("enterprise", "web", None)


# ---- flood gate ----------------------------------------------------------------------------


async def test_a_flooding_session_is_slowed_down_and_others_are_not(settings, service):
    limits = dataclasses.replace(WebLimits(), session_burst=3, session_per_second=0.01)
    app = build_web_app(settings, service, limits)
    async with client_for(app) as one, client_for(app) as two:
        flooder, calm = Visitor(one), Visitor(two)
        await flooder.open()
        await calm.open()
        codes = [(await flooder.post({"type": "text", "text": "hi"})).status_code for _ in range(5)]
        assert codes == [200, 200, 200, 429, 429]
        refused = await flooder.post({"type": "text", "text": "hi"})
        assert refused.json() == {"error": texts.ERR_SLOW_DOWN}
        assert (await calm.post({"type": "text", "text": "hi"})).status_code == 200


async def test_one_address_cannot_make_sessions_without_end(settings, service):
    limits = dataclasses.replace(WebLimits(), address_burst=4, address_per_second=0.01)
    app = build_web_app(settings, service, limits)
    codes = []
    for _ in range(6):
        async with client_for(app) as client:
            codes.append((await client.get("/api/session", headers=PAGE_HEADERS)).status_code)
    assert codes == [200, 200, 200, 200, 429, 429]
    assert len(chat_ids(service, "web_sessions")) == 4


# ---- forget --------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["button", "command"])
async def test_forget_deletes_every_row_of_the_session_and_nothing_else(
    how, visitor, settings, service
):
    (mine,) = chat_ids(service, "web_sessions")
    async with client_for(build_web_app(settings, service, RELAXED)) as other_client:
        other = Visitor(other_client)
        await other.open()
        await other.command("start")
        await answer_the_check(other)
    (theirs,) = chat_ids(service, "web_sessions") - {mine}
    await visitor.command("start")
    await answer_the_check(visitor)
    await visitor.say("你们的食堂几点开门")  # not in the notice: an unanswered row
    tables = ("web_sessions", "web_messages", "states", "checks", "unanswered")
    assert all(mine in chat_ids(service, table) for table in tables)
    if how == "button":
        response = await visitor.client.post("/api/forget", headers={"X-CSRF-Token": visitor.csrf})
    else:  # typed: asked first, like the button path of /privacy and like Telegram
        asked = (await visitor.say("/forget"))[-1]
        assert asked["text"] == texts_flow.FORGET_ASK
        message, data = visitor.button(texts_flow.FORGET_YES)
        response = await visitor.post({"type": "button", "data": data, "message": message})
    assert response.status_code == 200
    assert response.json() == {"forgotten": True, "notice": texts.FORGOTTEN}
    assert 'biaogan_session=""' in response.headers["set-cookie"]
    for table in tables:
        assert mine not in chat_ids(service, table), table
    for table in ("web_sessions", "web_messages", "states", "checks"):
        assert theirs in chat_ids(service, table), table
    assert await visitor.open() == []  # a fresh session, with a new chat id
    assert len(chat_ids(service, "web_sessions") - {mine, theirs}) == 1


# ---- transcript and files ------------------------------------------------------------------


def test_the_transcript_is_bounded_per_session(service):
    sessions = WebSessions(service.store.db, forget_chat=service.store.forget)
    _, chat_id = sessions.create()
    _, other = sessions.create()
    sessions.add(other, "user", "kept")
    for n in range(MAX_TRANSCRIPT + 15):
        sessions.add(chat_id, "user", f"m{n}")
    history = sessions.history(chat_id)
    assert len(history) == MAX_TRANSCRIPT
    assert history[-1].text == f"m{MAX_TRANSCRIPT + 14}" and history[0].text == "m15"
    assert [m.text for m in sessions.history(other)] == ["kept"]


async def test_a_file_a_reply_carries_downloads_for_its_session_only(
    monkeypatch, settings, service
):
    ics = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    reply = Reply(
        text="日程文件",
        file=Attachment(filename="质量标杆日程.ics", mime="text/calendar", content=ics),
    )
    monkeypatch.setattr("bot.web.app.web_turn", lambda *args: Turned([reply]))
    app = build_web_app(settings, service, RELAXED)
    async with client_for(app) as client, client_for(app) as stranger:
        visitor = Visitor(client)
        await visitor.open()
        (message,) = (await visitor.send({"type": "command", "name": "start"}))[-1:]
        file = message["file"]
        assert file["name"] == "质量标杆日程.ics"
        response = await client.get(file["url"])
        assert response.status_code == 200 and response.content == ics
        assert response.headers["content-type"].startswith("text/calendar")
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
        await Visitor(stranger).open()
        assert (await stranger.get(file["url"])).status_code == 404
        history = await visitor.open()
        assert history[-1]["file"] == file  # the link is there again after a reload


# ---- biaogan run: the bot and the web chat on one loop --------------------------------------


async def test_biaogan_run_serves_telegram_and_the_web_from_one_loop(
    fake_bot_api, bot_settings, capsys
):
    from bot.telegram.app import build_application, poll_and_serve_web

    settings = bot_settings.model_copy(update={"web_port": 0})
    service = ChatService.open(settings)
    stop = asyncio.Event()
    application = build_application(settings, service)
    both = asyncio.create_task(poll_and_serve_web(application, settings, service, stop=stop))
    try:
        for _ in range(500):
            if "http://" in (printed := capsys.readouterr().err):
                break
            await asyncio.sleep(0.01)
        url = re.search(r"http://\S+/", printed).group(0)
        fake_bot_api.send_text(42, "要交费吗")
        async with httpx.AsyncClient(base_url=url) as client:
            visitor = Visitor(client)
            await visitor.open()
            _echo, answer = await visitor.say("要交费吗")
        telegram_answer = await fake_bot_api.wait_for_reply(42)
        assert "见通知" in answer["text"] and "见通知" in (telegram_answer.text or "")
    finally:
        stop.set()
        await asyncio.wait_for(both, 10)
        service.close()
    assert not application.running


def test_biaogan_web_prints_its_address_serves_and_stops_cleanly_on_sigterm(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import urllib.request

    env = {k: v for k, v in os.environ.items() if not k.startswith("BIAOGAN_")}
    env.update(PYTHONPATH=str(ROOT), BIAOGAN_WEB_PORT="0", BIAOGAN_DATA_DIR=str(tmp_path))
    command = [
        sys.executable,
        "-c",
        "import sys; from bot.cli import main; sys.exit(main(['web']))",
    ]
    process = subprocess.Popen(command, env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        lines = iter(process.stderr.readline, "")  # the log's INFO lines come first
        url = next(m for line in lines if (m := re.search(r"http://127\.0\.0\.1:\d+/", line)))[0]
        with urllib.request.urlopen(url, timeout=10) as page:
            assert page.status == 200 and texts.TITLE in page.read().decode()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert "Traceback" not in process.stderr.read()
    assert not (tmp_path / "biaogan.db-wal").exists(), "the store was closed"


def test_sessions_idle_past_the_cookies_life_are_forgotten_at_start_up(settings, service):
    from datetime import datetime, timedelta

    from bot.web.app import COOKIE_MAX_AGE
    from conversations.core import SHANGHAI

    now = datetime(2027, 6, 1, 9, 0, tzinfo=SHANGHAI)
    sessions = WebSessions(
        service.store.db, clock=lambda: now - timedelta(days=181), forget_chat=service.store.forget
    )
    _, old = sessions.create()
    sessions.add(old, "user", "去年的问题")
    recent = WebSessions(
        service.store.db, clock=lambda: now - timedelta(days=179), forget_chat=service.store.forget
    ).create()[1]
    assert (
        WebSessions(service.store.db, clock=lambda: now, forget_chat=service.store.forget).expire(
            timedelta(seconds=COOKIE_MAX_AGE)
        )
        == 1
    )
    assert chat_ids(service, "web_sessions") == {recent}
    assert chat_ids(service, "web_messages") == set()


# ---- the calendar (issue 9) on the web: .ics yes, push reminders and admin commands no ------


@pytest.fixture
def calendar_service(settings):
    from datetime import date

    from conversations.core import CalendarDate
    from tests.driver import Clock

    opened = ChatService.open(settings, clock=Clock(2027, 5, 31, 9, 0))
    opened.store.set_calendar_date(
        opened.store.operator(),
        CalendarDate(year=2027, milestone="submission", day=date(2027, 6, 30)),
    )
    yield opened
    opened.close()


async def test_the_calendars_ics_downloads_from_the_page(settings, calendar_service):
    from conversations import texts as flow_texts

    async with client_for(build_web_app(settings, calendar_service, RELAXED)) as client:
        visitor = Visitor(client)
        await visitor.open()
        await visitor.say("/deadlines")
        (reply,) = await visitor.press(flow_texts.BTN_ICS)
        assert reply["file"]["name"] == "biaogan-2027.ics"
        download = await client.get(reply["file"]["url"])
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/calendar")
    assert download.content.startswith(b"BEGIN:VCALENDAR") and b"20270630" in download.content


async def test_the_web_subscribes_to_its_own_page_but_cannot_set_the_calendar(
    settings, calendar_service
):
    from conversations import texts as flow_texts

    async with client_for(build_web_app(settings, calendar_service, RELAXED)) as client:
        visitor = Visitor(client)
        await visitor.open()
        await visitor.say("/deadlines")
        subscribed = await visitor.press(flow_texts.BTN_SUBSCRIBE)
        assert flow_texts.SUBSCRIBE_WEB_TAIL in subscribed[0]["text"]
        await visitor.say("/calendar_set 2027 submission 2027-07-15")
    store = calendar_service.store
    channels = store.db.execute(
        "SELECT d.channel FROM subscriptions s JOIN destinations d ON d.id = s.destination_id"
    ).fetchall()
    assert channels == [("web",)]  # its reminders land in the page
    days = store.db.execute("SELECT day FROM calendar WHERE year = 2027").fetchall()
    assert days == [("2027-06-30",)]


# ---- reports on the web: any channel can offer them --------------------------------------------


async def test_an_organizers_report_on_the_web_comes_with_its_chart_to_download(visitor, service):
    (chat,) = chat_ids(service, "web_sessions")
    await visitor.say("/stats")  # an enterprise: refused, nothing drawn
    assert visitor.shown[max(visitor.shown)]["text"] == texts_flow.REPORT_REFUSED
    store = service.store
    store.grant(store.operator(), store.person_of("web", str(chat)), "city:苏州")
    shown = (await visitor.say("/stats"))[1:]  # after the echo of what was typed
    assert shown[0]["text"].startswith("统计 · 苏州市")
    chart = shown[-1]["file"]
    assert chart is not None and chart["name"].endswith(".png")
    download = await visitor.client.get(chart["url"])
    assert download.status_code == 200 and download.content.startswith(b"\x89PNG")
    assert [r["action"] for r in store.recent_audit()] == ["grant"]
    await visitor.say("/export")
    latest = store.recent_audit()[0]
    assert latest["action"] == "export" and '"channel": "web"' in latest["detail"]


# ---- notices on the page (issue 17): polled while it is open, new on the next visit --------


async def push(service, chat_id: int, text: str, replace: str | None = None):
    """A notice through the web channel's real transport, as the dispatcher sends it."""
    from bot.runtime import web_transport

    result = await web_transport(service).send(str(chat_id), Reply(text=text), replace=replace)
    assert result.ok, result
    return result


def the_chat(service) -> int:
    (chat_id,) = chat_ids(service, "web_sessions")
    return chat_id


async def test_updates_bring_only_what_changed_after_the_pages_cursor(visitor, service):
    (greeting,) = await visitor.command("start")
    caught_up = await visitor.poll()  # the page's own turn: already shown by /api/send
    assert [(m["id"], m["new"]) for m in caught_up] == [(greeting["id"], False)]
    assert await visitor.poll() == []  # nothing since
    await push(service, the_chat(service), "全省通知：请于6月30日前报送材料")
    (notice,) = await visitor.poll()
    assert notice["from"] == "bot" and notice["text"] == "全省通知：请于6月30日前报送材料"
    assert notice["new"] and notice["seq"] > greeting["seq"]
    assert await visitor.poll() == []
    everything = (await visitor.updates(after=0)).json()["messages"]
    assert [m["id"] for m in everything] == [greeting["id"], notice["id"]]


async def test_a_notice_replaced_in_place_comes_again_under_its_id(visitor, service):
    """A broadcast's progress message on an organizer's page, then its report in its place."""
    chat = the_chat(service)
    progress = await push(service, chat, "广播 #1 发送中：3/10")
    (shown,) = await visitor.poll()
    await push(service, chat, "广播 #1 已完成：10/10", replace=progress.ref)
    (replaced,) = await visitor.poll()
    assert replaced["id"] == shown["id"] == int(progress.ref)
    assert replaced["text"] == "广播 #1 已完成：10/10" and replaced["seq"] > shown["seq"]
    assert [m["text"] for m in await visitor.open()] == ["广播 #1 已完成：10/10"]


async def test_a_notice_landed_while_the_page_was_closed_is_new_on_the_next_visit_only(
    visitor, service
):
    (greeting,) = await visitor.command("start")
    chat = the_chat(service)
    await push(service, chat, "⏰ 提醒：报送推荐材料")  # the page is closed: nobody polls
    history = await visitor.open()
    assert [(m["text"], m["new"]) for m in history] == [
        (greeting["text"], False),
        ("⏰ 提醒：报送推荐材料", True),
    ]
    assert [m["new"] for m in await visitor.open()] == [False, False]  # seen on that visit
    await push(service, chat, "全省通知")
    (polled,) = await visitor.poll()  # the open page was handed it: seen too
    assert polled["new"]
    assert [m["new"] for m in await visitor.open()] == [False, False, False]


async def test_updates_are_only_handed_to_the_page_with_its_session(visitor, client, service):
    refused = await client.get("/api/updates?after=0")  # the page's header missing
    assert refused.status_code == 403 and refused.json() == {"error": texts.ERR_NOT_FROM_PAGE}
    for after in ("-1", "x", "1.5", "9" * 30):
        response = await client.get(f"/api/updates?after={after}", headers=PAGE_HEADERS)
        assert response.status_code == 400, after
    cookies = dict(client.cookies)
    client.cookies.clear()
    assert (await visitor.updates()).status_code == 401  # a poll never makes a session
    client.cookies.set("biaogan_session", "forged-token")
    assert (await visitor.updates()).status_code == 401
    assert len(chat_ids(service, "web_sessions")) == 1
    client.cookies.clear()
    client.cookies.update(cookies)
    assert (await visitor.updates()).status_code == 200


async def test_polls_do_not_use_the_visitors_event_budget(settings, service):
    limits = dataclasses.replace(
        WebLimits(), session_burst=3, session_per_second=0.01, address_burst=4,
        address_per_second=0.01,
    )  # fmt: skip
    async with client_for(build_web_app(settings, service, limits)) as client:
        visitor = Visitor(client)
        await visitor.open()  # one of the address's tokens
        for _ in range(8):
            assert (await visitor.updates()).status_code == 200
        codes = [(await visitor.post({"type": "text", "text": "hi"})).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]  # the whole burst was still there


async def test_polls_have_a_gate_of_their_own(settings, service):
    limits = dataclasses.replace(WebLimits(), updates_burst=3, updates_per_second=0.01)
    async with client_for(build_web_app(settings, service, limits)) as client:
        visitor = Visitor(client)
        await visitor.open()
        codes = [(await visitor.updates()).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert (await visitor.updates()).json() == {"error": texts.ERR_SLOW_DOWN}
        assert (await visitor.post({"type": "text", "text": "hi"})).status_code == 200


async def test_the_session_tells_the_page_how_often_to_poll(settings, service):
    limits = dataclasses.replace(WebLimits(), poll_seconds=2.5)
    async with client_for(build_web_app(settings, service, limits)) as client:
        body = (await client.get("/api/session", headers=PAGE_HEADERS)).json()
    assert body["poll_seconds"] == 2.5 and body["cursor"] == 0
