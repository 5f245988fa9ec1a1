"""What the web page keeps for the visitor (issue 21): an uploaded case draft checked, the
result as a PDF, and the conversation moved to another device.

Routes (added to ``bot.web.app``'s):
  POST /api/upload          a .docx or .pdf case draft (multipart, field ``file``): checked by
                            the area flow as a ``DocumentEvent``; the file is not kept, only
                            the line saying it was uploaded and the check's reply
  GET  /api/result.pdf      the session's own latest result (404 when it has none)
  POST /api/handover        a one-time code and link, 30 minutes, to continue elsewhere
  POST /api/handover/claim  ``{"code": …}``: this browser takes the conversation over

State-changing routes need the session's CSRF token, as ``/api/send`` does.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import secrets
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import bot.web.app as web_app  # the app imports this module: names are read at call time
from bot.flood import FloodGate
from bot.forms import FormMalformed, FormTooLarge, read_upload
from bot.uploads import DRAFT_BYTES, UploadRefused, draft_text, shown_name
from bot.web import texts as web_texts
from bot.web.events import MAX_TEXT
from bot.web.result import latest_result, result_pdf
from bot.web.sessions import token_hash
from bot.web.turns import web_turn
from conversations import texts
from conversations.core import SHANGHAI, DocumentEvent

log = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, no 1/I: read aloud or typed
CODE_LENGTH = 8
HANDOVER_VALID = timedelta(minutes=30)
UPLOAD_BODY = DRAFT_BYTES + 64 * 1024  # the file and the form's boundaries


def code_hash(code: str) -> str:
    return hashlib.sha256(f"biaogan handover {code}".encode()).hexdigest()


def normalised(typed: str) -> str | None:
    """A code as typed (any case, spaces or a dash) in its stored form; None: not a code."""
    code = re.sub(r"[\s\-]", "", typed or "").upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


class WebKeep:
    """The endpoints of the draft upload, the result PDF and the hand-over."""

    def __init__(self, web: web_app.WebChat) -> None:
        self.web = web
        # Guessing codes: 5 tries at once per address, then one a minute (32**8 codes).
        self.claims = FloodGate(5, 1 / 60)

    def routes(self) -> list[Route]:
        return [
            Route("/api/upload", self.upload, methods=["POST"]),
            Route("/api/result.pdf", self.pdf, methods=["GET"]),
            Route("/api/handover", self.handover, methods=["POST"]),
            Route("/api/handover/claim", self.claim, methods=["POST"]),
        ]

    async def upload(self, request: Request) -> Response:

        web = self.web
        chat_id = web._authorised(request)
        web._gate(web.by_session, chat_id)
        refused = texts.WEB_UPLOAD_REFUSED
        try:
            _, files = await read_upload(request, UPLOAD_BODY)
        except FormTooLarge:
            raise web_app.ApiError(413, refused["too_large"].format(mb=DRAFT_BYTES >> 20)) from None
        except FormMalformed:
            raise web_app.ApiError(400, refused["no_file"]) from None
        if "file" not in files:
            raise web_app.ApiError(400, refused["no_file"])
        name, content = files["file"]
        try:
            text = await asyncio.to_thread(draft_text, content)
        except UploadRefused as exc:
            log.info("chat %s: upload refused (%s, %d bytes)", chat_id, exc.reason, len(content))
            status = 413 if exc.reason == "too_large" else 400
            raise web_app.ApiError(
                status, refused[exc.reason].format(mb=DRAFT_BYTES >> 20)
            ) from None
        shown = shown_name(name)
        echo = texts.WEB_UPLOADED.format(name=shown, length=len(text))
        store = web.service.store
        with store.transaction():
            turned = web_turn(web.service, chat_id, DocumentEvent(name=shown, text=text))
            shown, _ = web.sessions.record(
                chat_id, echo, [web_app._shown(r) for r in turned.replies], None
            )
        return web_app._json(
            {"messages": [web_app.render_message(m) for m in shown], "replaced": None}
        )

    async def pdf(self, request: Request) -> Response:

        web = self.web
        chat_id = web.sessions.find(request.cookies.get(web_app.COOKIE))
        if chat_id is None:
            raise web_app.ApiError(404, texts.WEB_NO_RESULT)
        service = web.service
        sections = latest_result(service.store, service.ctx, chat_id)
        if sections is None:
            raise web_app.ApiError(404, texts.WEB_NO_RESULT)
        content = await asyncio.to_thread(
            result_pdf,
            sections,
            document=service.ctx.kb.programme.document_number,
            enterprise=service.store.profile(chat_id).enterprise_name,
            made=service.store.clock(),
        )

        return Response(
            content,
            media_type="application/pdf",
            headers={
                "content-disposition": web_app.content_disposition(texts.WEB_PDF_NAME),
                "cache-control": "no-store",
            },
        )

    async def handover(self, request: Request) -> Response:

        web = self.web
        chat_id = web._authorised(request)
        web._gate(web.by_session, chat_id)
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        expires = web.service.store.issue_handover(chat_id, code_hash(code), HANDOVER_VALID)
        base = (web.service.settings.public_url or str(request.base_url)).rstrip("/")
        link = f"{base}/?continue={code}"
        shown = f"{code[:4]}-{code[4:]}"
        until = expires.astimezone(SHANGHAI).strftime("%H:%M")
        minutes = int(HANDOVER_VALID.total_seconds() // 60)
        text = texts.WEB_HANDOVER_CODE.format(code=shown, link=link, minutes=minutes, until=until)
        return web_app._json({"code": shown, "link": link, "until": until, "text": text})

    async def claim(self, request: Request) -> Response:

        web = self.web
        chat_id = web._authorised(request)
        refused = texts.WEB_HANDOVER_REFUSED
        if self.claims.admit(web_app._address(request)) != "ok":
            raise web_app.ApiError(429, refused["slow"])
        payload = await web_app.read_json(request, 1024)
        typed = payload.get("code") if isinstance(payload, dict) else None
        code = normalised(typed if isinstance(typed, str) else "")
        if code is None:
            raise web_app.ApiError(400, refused["unknown"])
        token = secrets.token_urlsafe(32)
        store = web.service.store
        outcome, moved = store.claim_handover(code_hash(code), token_hash(token), chat_id)
        if outcome != "ok":
            log.info("hand-over refused: %s", outcome)
            raise web_app.ApiError(400, refused[outcome])
        web.sessions.forget(chat_id)  # this browser's own session before: nothing kept of it
        log.info("chat %s continued in another browser", moved)
        response = web_app._json({"continued": True, "notice": texts.WEB_HANDOVER_DONE})
        web_app._set_cookie(response, request, token)
        return response


def keep_ui() -> str:
    """keep.js's strings and limits, as JSON safe inside a <script> element."""
    mb = DRAFT_BYTES >> 20
    strings = {
        "max_text": MAX_TEXT,
        "too_long": texts.WEB_TEXT_TOO_LONG,
        "upload": texts.WEB_UPLOAD,
        "upload_label": texts.WEB_UPLOAD_LABEL,
        "upload_bytes": DRAFT_BYTES,
        "upload_too_large": texts.WEB_UPLOAD_REFUSED["too_large"].format(mb=mb),
        "handover": texts.WEB_HANDOVER,
        "enter": texts.WEB_HANDOVER_ENTER,
        "use": texts.WEB_HANDOVER_USE,
        "close": texts.WEB_HANDOVER_CLOSE,
        "pdf": texts.WEB_PDF,
        "pdf_name": texts.WEB_PDF_NAME,
        "print": texts.WEB_PRINT,
        "network_error": web_texts.NETWORK_ERROR,
    }
    return json.dumps(strings, ensure_ascii=False).replace("<", "\\u003c")
