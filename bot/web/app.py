"""The web chat as an ASGI app (Starlette): the page, its static files and a small JSON API.

Routes (and ``bot.web.keep``'s: the draft upload, the result PDF, the hand-over):
  GET  /                  the chat page (``static/index.html``); deep links ``?start=check``…
  GET  /static/…          its stylesheet and script (package data, nothing from third parties)
  GET  /api/session       the visitor's session (made on first visit): CSRF token and transcript
  GET  /api/updates       ?after=<seq>: what changed since (notices landing while the page is open)
  POST /api/send          one event (typed text, a pressed button, a command) -> the replies
  POST /api/forget        delete the session and everything of its chat
  GET  /api/files/{id}    a file a reply carried (.ics), for this session only

Every state-changing request needs the session cookie and its CSRF token (``X-CSRF-Token``);
``/api/session`` and ``/api/updates`` need ``X-Requested-With: biaogan``, which no other site's
page can send. Polls are reads with a gate of their own, never the visitor's event budget.
Handlers are thin: the turn is ``ChatService.handle``.
"""

from __future__ import annotations

import html
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.config import Settings
from bot.flood import FloodGate
from bot.mail.pages import MailPages
from bot.ops.health import ops_routes
from bot.org import build_org_app
from bot.service import ChatService
from bot.web import texts
from bot.web.events import EventError, parse_request
from bot.web.keep import WebKeep, keep_ui  # upload, PDF, hand-over (it reads this module)
from bot.web.sessions import Message as LogMessage
from bot.web.sessions import Shown, WebSessions, csrf_ok, csrf_token
from bot.web.turns import web_actor, web_turn
from conversations.core import CallbackEvent, Reply
from conversations.keep import keeps_result

log = logging.getLogger(__name__)

STATIC = Path(str(resources.files("bot.web") / "static"))
COOKIE = "biaogan_session"
COOKIE_MAX_AGE = 180 * 24 * 3600  # half a year: a campaign's length
PAGE_HEADER = "x-requested-with"
PAGE_HEADER_VALUE = "biaogan"
CSRF_HEADER = "x-csrf-token"

# No inline script or style, nothing from another origin, no framing by other sites.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"x-frame-options", b"SAMEORIGIN"),
]


@dataclass(frozen=True)
class WebLimits:
    """The web channel's knobs; defaults are for production, tests and benchmarks vary them."""

    body_bytes: int = 128 * 1024  # a request body (a 20,000-character case draft fits)
    # Twice Telegram's burst: the 8 questions and the confirmation of a self-check are often
    # tapped within seconds on the page.
    session_burst: int = 20  # events a session may send in a burst…
    session_per_second: float = 1.0  # …and sustained (0: no limit)
    address_burst: int = 120  # an office behind one address holds many sessions…
    address_per_second: float = 10.0  # …so an address gets more (0: no limit)
    # The open page asks /api/updates for notices this often (0: never); a light read, with a
    # gate of its own: a few tabs of one session, each polling at once when shown again.
    poll_seconds: float = 15.0
    updates_burst: int = 10
    updates_per_second: float = 0.5  # (0: no limit)


class ApiError(Exception):
    """A refused request: its status and a short Chinese message for the page to show."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def build_web_app(
    settings: Settings, service: ChatService, limits: WebLimits | None = None
) -> ASGIApp:
    """The web chat over an open ``service`` (not closed here: the caller owns it)."""

    web = WebChat(service, limits or WebLimits())
    routes = [
        *ops_routes(service, settings),  # /healthz, /metrics (bot.ops.health)
        Route("/", web.page, methods=["GET", "HEAD"]),
        Route("/api/session", web.session, methods=["GET"]),
        Route("/api/updates", web.updates, methods=["GET"]),
        Route("/api/send", web.send, methods=["POST"]),
        Route("/api/forget", web.forget, methods=["POST"]),
        Route("/api/files/{file_id:int}", web.download, methods=["GET"]),
        *WebKeep(web).routes(),  # /api/upload, /api/result.pdf, /api/handover (bot.web.keep)
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        *MailPages(service.store).routes(),  # the links in mails (confirm, manage, 退订)
        Mount("/org", build_org_app(service)),  # the organizers' console: its own path, cookie
    ]
    handlers: dict[Any, Any] = {
        ApiError: _api_error,
        HTTPException: _http_error,
        Exception: _server_error,
    }
    app = Starlette(routes=routes, exception_handlers=handlers)
    return SecurityHeaders(app)  # outermost: errors answered by Starlette get the headers too


class SecurityHeaders:
    """Pure ASGI middleware: the CSP and its companions on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                own = {name.lower() for name, _ in headers}  # a page may set its own
                headers += [(name, value) for name, value in SECURITY_HEADERS if name not in own]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class WebChat:
    """The endpoints, the sessions and the flood gates of one web app."""

    def __init__(self, service: ChatService, limits: WebLimits) -> None:
        self.service = service
        self.limits = limits
        store = service.store
        self.sessions = WebSessions(store.db, clock=store.clock, forget_chat=store.forget)
        expired = self.sessions.expire(timedelta(seconds=COOKIE_MAX_AGE))
        if expired:
            log.info(
                "forgot %d web sessions idle for over %d days", expired, COOKIE_MAX_AGE // 86400
            )
        self.by_session = FloodGate(limits.session_burst, limits.session_per_second)
        self.by_address = FloodGate(limits.address_burst, limits.address_per_second)
        self.polls = FloodGate(limits.updates_burst, limits.updates_per_second)
        template = (STATIC / "index.html").read_text(encoding="utf-8")
        self.page_html = render_page(template, service.ctx.kb.programme.document_number)

    # ---- endpoints ---------------------------------------------------------------------------

    async def page(self, request: Request) -> Response:
        return Response(
            self.page_html,
            media_type="text/html; charset=utf-8",
            headers={"cache-control": "no-cache"},
        )

    async def session(self, request: Request) -> Response:
        """The visitor's session (made on the first visit): CSRF token and transcript."""
        if request.headers.get(PAGE_HEADER) != PAGE_HEADER_VALUE:
            raise ApiError(403, texts.ERR_NOT_FROM_PAGE)
        token = request.cookies.get(COOKIE)
        chat_id = self.sessions.find(token)
        fresh = chat_id is None or token is None
        if fresh:
            self._gate(self.by_address, _address(request))
            token, chat_id = self.sessions.create()
        assert token is not None and chat_id is not None
        messages, seen = self.sessions.visit(chat_id)
        body = {
            "csrf": csrf_token(token),
            # Notices that landed since the page was last open are new (marked 新消息).
            "messages": [render_message(m, new=m.pushed and m.seq > seen) for m in messages],
            "cursor": max((m.seq for m in messages), default=0),
            "poll_seconds": self.limits.poll_seconds,
        }
        response = _json(body)
        _set_cookie(response, request, token)  # each visit renews the cookie's half year
        return response

    async def updates(self, request: Request) -> Response:
        """What changed after ``?after=<seq>``: notices landing while the page is open (and a
        broadcast's progress replaced in place); a read, never an event of the visitor's."""
        if request.headers.get(PAGE_HEADER) != PAGE_HEADER_VALUE:
            raise ApiError(403, texts.ERR_NOT_FROM_PAGE)
        chat_id = self.sessions.find(request.cookies.get(COOKIE))
        if chat_id is None:
            raise ApiError(401, texts.ERR_NO_SESSION)
        after = request.query_params.get("after", "0")
        if not after.isdigit() or len(after) > 18:
            raise ApiError(400, texts.ERR_BAD_FIELDS.format(detail=texts.ERR_AFTER))
        self._gate(self.polls, chat_id)
        changed = self.sessions.since(chat_id, int(after))
        return _json(
            {
                "messages": [render_message(m, new=m.pushed) for m in changed],
                "cursor": changed[-1].seq if changed else int(after),
            }
        )

    async def send(self, request: Request) -> Response:
        """One event in, the visitor's echo and the bot's replies out."""
        chat_id = self._authorised(request)
        self._gate(self.by_session, chat_id)
        self._gate(self.by_address, _address(request))
        payload = await read_json(request, self.limits.body_bytes)
        try:
            incoming = parse_request(payload)
        except EventError as exc:
            raise ApiError(400, exc.shown or texts.ERR_BAD_FIELDS.format(detail=exc)) from None
        event, echo, origin = incoming.event, incoming.echo, incoming.origin
        if isinstance(event, CallbackEvent):
            pressed = self.sessions.message(chat_id, origin) if origin is not None else None
            if pressed is None or not pressed.offers(event.data):
                raise ApiError(400, texts.ERR_BUTTON)
        # The turn (its own transaction, a savepoint here) and the transcript commit together;
        # a reply whose file is still to be drawn (a chart, a CSV) is recorded once it is, in a
        # transaction of its own (no transaction stays open while a worker thread draws).
        store = self.service.store
        with store.transaction():
            turned = web_turn(self.service, chat_id, event)
            if turned.forgotten:  # /forget confirmed: nothing of this chat is written again
                return self._forgotten()
            if not any(r.file is not None and r.file.deferred for r in turned.replies):
                shown, replaced = self.sessions.record(
                    chat_id, echo, [_shown(r) for r in turned.replies], origin
                )
                return _json({"messages": [render_message(m) for m in shown], "replaced": replaced})
        replies = await self.service.finish(turned.replies)
        shown, replaced = self.sessions.record(chat_id, echo, [_shown(r) for r in replies], origin)
        return _json({"messages": [render_message(m) for m in shown], "replaced": replaced})

    async def forget(self, request: Request) -> Response:
        """清除记录: the store's one forget, as the /forget flow's confirmation does."""
        chat_id = self._authorised(request)
        self.service.forget(web_actor(chat_id))
        return self._forgotten()

    async def download(self, request: Request) -> Response:
        chat_id = self.sessions.find(request.cookies.get(COOKIE))
        if chat_id is None:
            raise ApiError(401, texts.ERR_NO_SESSION)
        found = self.sessions.file(chat_id, request.path_params["file_id"])
        if found is None:
            raise ApiError(404, texts.ERR_NOT_FOUND)
        name, mime, content = found
        disposition = {"content-disposition": content_disposition(name)}
        return Response(content, media_type=mime, headers=disposition)

    # ---- helpers -----------------------------------------------------------------------------

    def _authorised(self, request: Request) -> int:
        """The session of a state-changing request, with its CSRF token checked."""
        token = request.cookies.get(COOKIE)
        chat_id = self.sessions.find(token)
        if token is None or chat_id is None:
            raise ApiError(401, texts.ERR_NO_SESSION)
        if not csrf_ok(token, request.headers.get(CSRF_HEADER)):
            raise ApiError(403, texts.ERR_CSRF)
        return chat_id

    def _gate(self, gate: FloodGate, key: object) -> None:
        if gate.admit(key) != "ok":
            raise ApiError(429, texts.ERR_SLOW_DOWN)

    def _forgotten(self) -> Response:
        """The answer once a chat is forgotten: the cookie cleared, the next visit starts clean."""
        response = _json({"forgotten": True, "notice": texts.FORGOTTEN})
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
        return response


# ---- rendering -------------------------------------------------------------------------------


def render_page(template: str, document: str) -> str:
    """The page with its wording filled in (escaped) and the script's strings as JSON data."""
    page = template.replace("{{SUBTITLE}}", html.escape(texts.SUBTITLE.format(document=document)))
    for name in (
        "TITLE", "INPUT_PLACEHOLDER", "SEND", "MENU", "FORGET", "NO_SCRIPT",
        "LOG_LABEL", "LOADING",
    ):  # fmt: skip
        page = page.replace("{{" + name + "}}", html.escape(getattr(texts, name)))
    ui = json.dumps(texts.UI, ensure_ascii=False).replace("<", "\\u003c")
    return page.replace("{{UI_JSON}}", ui).replace("{{KEEP_JSON}}", keep_ui())


def render_message(message: LogMessage, *, new: bool = False) -> dict[str, Any]:
    """A transcript message as the page's script reads it (text, never markup); ``new``: a
    notice the visitor has not seen yet."""
    return {
        "id": message.id,
        "seq": message.seq,
        "new": new,
        "from": message.sender,
        "text": message.text,
        "buttons": [[{"label": b.label, "data": b.data} for b in row] for row in message.buttons],
        "keep": keeps_result(message.buttons),  # a result: printed or downloaded as a PDF
        "file": (
            {"name": message.file.name, "url": f"/api/files/{message.file.id}"}
            if message.file is not None
            else None
        ),
    }


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the real one in RFC 5987 form."""
    fallback = "".join(c if (c.isascii() and c.isalnum()) or c in "._-" else "_" for c in name)
    return f"attachment; filename=\"{fallback or 'file'}\"; filename*=UTF-8''{quote(name)}"


def _shown(reply: Reply) -> Shown:
    """A reply as the transcript keeps it, with the file it carries (an .ics)."""
    file = reply.file
    carried = None if file is None else (file.filename, file.mime, file.content)
    return Shown(reply.text, reply.buttons, carried, reply.edit)


# ---- requests and responses ------------------------------------------------------------------


async def read_json(request: Request, limit: int) -> Any:
    """The request body as JSON, at most ``limit`` bytes (413 past it, 400 if not JSON)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, texts.ERR_TOO_LARGE.format(limit=limit))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ApiError(413, texts.ERR_TOO_LARGE.format(limit=limit))
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiError(400, texts.ERR_BAD_JSON) from None


def _json(body: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers={"cache-control": "no-store"})


def _address(request: Request) -> str:
    return request.client.host if request.client is not None else "?"


def _set_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=COOKIE_MAX_AGE,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _json({"error": exc.message}, exc.status)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = {404: texts.ERR_NOT_FOUND, 405: texts.ERR_METHOD}.get(exc.status_code)
    return _json({"error": message or texts.ERR_SERVER}, exc.status_code)


async def _server_error(request: Request, exc: Exception) -> Response:
    # The server logs the traceback (Starlette raises it on after this answer); the visitor
    # gets one short sentence.
    log.error("web request %s %s failed: %r", request.method, request.url.path, exc)
    return _json({"error": texts.ERR_SERVER}, 500)
