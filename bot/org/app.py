"""The organizers' console (组织单位工作台): server-rendered pages under ``/org/``, served by the
same process and event loop as the chat page (``bot.web.app`` mounts it), working without
script. Sign-in is by a one-time link mailed to the organizer (``bot.store.signin``).

  GET  /org/                 概览 when signed in, else the sign-in page
  GET  /org/signin           the e-mail form;  POST: mail a link (same answer for any address)
  GET  /org/signin/link?t=…  the link's page (a button: a mail scanner's GET signs nobody in)
  POST /org/signin/link      use the link: a fresh session
  POST /org/signout          end the session
  GET  /org/overview         概览: the scope's numbers for a period (?period=2027), the table and
                             the chart by city or by month (?by=city|month)
  GET  /org/chart.png        that chart (same parameters)
  GET  /org/audit            操作记录 (the scope's; everything for admins)

Every page reads through the store with the signed-in person's id: the store checks the scope
(``bot.store.stats``), never the page. Pages are in ``pages.py`` beside this module.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.flood import FloodGate
from bot.forms import FormTooLarge, read_form
from bot.org import auth
from bot.org.auth import Officer, OrgError
from bot.org.render import STATIC, page
from bot.service import ChatService
from bot.store import NotAllowed
from bot.store.stats import VIEWS
from conversations import texts
from conversations.flows.mail import normalized
from conversations.reports import (
    channel_label,
    condition_counts,
    condition_name,
    parse_period,
    scope_label,
)

log = logging.getLogger(__name__)

SIGNIN_PER_ADDRESS = (3, 3 / 900)  # links a minute apart at most three, then one per 5 minutes
SIGNIN_PER_CLIENT = (10, 10 / 900)


class OrgConsole:
    """The console's endpoints over an open service."""

    def __init__(self, service: ChatService) -> None:
        self.service = service
        self.store = service.store
        self.by_address = FloodGate(*SIGNIN_PER_ADDRESS)
        self.by_client = FloodGate(*SIGNIN_PER_CLIENT)
        self.extra: list[Route] = []  # pages added by other modules (enterprises, broadcasts…)

    def app(self) -> Starlette:
        routes = [
            Route("/", self.home, methods=["GET", "HEAD"]),
            Route("/signin", self.signin_page, methods=["GET", "HEAD"]),
            Route("/signin", self.signin, methods=["POST"]),
            Route("/signin/link", self.link_page, methods=["GET", "HEAD"]),
            Route("/signin/link", self.use_link, methods=["POST"]),
            Route("/signout", self.signout, methods=["POST"]),
            Route("/overview", self.overview, methods=["GET", "HEAD"]),
            Route("/chart.png", self.chart, methods=["GET", "HEAD"]),
            Route("/audit", self.audit, methods=["GET", "HEAD"]),
            *self.extra,
            Mount("/static", StaticFiles(directory=STATIC), name="org-static"),
        ]
        handlers: dict[Any, Any] = {OrgError: self._error, HTTPException: self._http_error}
        return Starlette(routes=routes, exception_handlers=handlers)

    # ---- who is asking -----------------------------------------------------------------------

    def who(self, request: Request) -> Officer:
        found = auth.officer(self.store, request)
        if found is None:
            raise OrgError(401, texts.ORG_SESSION_GONE, signin=True)
        return found

    async def form(self, request: Request, who: Officer | None = None) -> dict[str, str]:
        try:
            form = await read_form(request)
        except FormTooLarge as exc:
            raise OrgError(413, texts.ORG_BAD_REQUEST.format(detail="内容太长")) from exc
        if who is not None:
            auth.check_form(request, who, form)
        elif not auth.same_site(request):
            raise OrgError(403, "请从工作台的页面提交表单。")
        return form

    # ---- signing in --------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        if auth.officer(self.store, request) is None:
            return RedirectResponse("/org/signin", status_code=303)
        return RedirectResponse("/org/overview", status_code=303)

    async def signin_page(self, request: Request) -> Response:
        return page("signin.html", heading=texts.ORG_SIGNIN_HEADING)

    async def signin(self, request: Request) -> Response:
        form = await self.form(request)
        typed = form.get("email", "")
        try:
            address = normalized(typed)
        except ValueError:
            return page(
                "signin.html",
                heading=texts.ORG_SIGNIN_HEADING,
                error=texts.ORG_SIGNIN_BAD_ADDRESS,
                typed=typed[:254],
                status_code=400,
            )
        client = auth.client_address(request)
        if self.by_client.admit(client) != "ok" or self.by_address.admit(address.lower()) != "ok":
            log.warning("sign-in requests over the limit from %s", client)
            return page(
                "signin.html",
                heading=texts.ORG_SIGNIN_HEADING,
                error=texts.ORG_SIGNIN_TOO_MANY,
                status_code=429,
            )
        if self.store.request_signin(address) and self.service.dispatcher is not None:
            self.service.dispatcher.wake()
        return page(
            "message.html",
            heading=texts.ORG_SIGNIN_SENT_HEADING,
            lead=texts.ORG_SIGNIN_SENT.format(address=address),
        )

    async def link_page(self, request: Request) -> Response:
        token = request.query_params.get("t", "")
        return page("link.html", heading=texts.ORG_LINK_HEADING, token=token)

    async def use_link(self, request: Request) -> Response:
        form = await self.form(request)
        done = self.store.use_signin(form.get("t", ""))
        if done.person_id is None:
            message = texts.ORG_LINK_FAILED.get(done.reason, texts.ORG_LINK_FAILED["unknown"])
            return page(
                "message.html", heading=texts.ORG_LINK_HEADING, error=message, again=True,
                status_code=400,
            )  # fmt: skip
        token = self.store.open_session(done.person_id)
        response = RedirectResponse("/org/overview", status_code=303)
        auth.set_session_cookie(response, request, token)
        return response

    async def signout(self, request: Request) -> Response:
        who = self.who(request)
        await self.form(request, who)
        self.store.end_session(request.cookies.get(auth.COOKIE))
        self.store.audit(who.person_id, "signout", None)
        response = page("message.html", heading=texts.ORG_SIGNIN_HEADING, lead=texts.ORG_SIGNED_OUT,
                        again=True)  # fmt: skip
        auth.clear_session_cookie(response)
        return response

    # ---- 概览 --------------------------------------------------------------------------------

    def _stats(self, request: Request, who: Officer):
        text = request.query_params.get("period", "")
        try:
            period = parse_period(text, self.service.ctx.today())
        except ValueError as exc:
            raise OrgError(400, texts.REPORT_BAD_PERIOD.format(text=text[:40])) from exc
        by = request.query_params.get("by", "")
        if by not in ("", *VIEWS):
            raise OrgError(400, texts.ORG_BAD_REQUEST.format(detail=texts.ORG_BAD_VIEW))
        try:
            return self.store.stats(who.person_id, period, by=by or None)
        except NotAllowed as exc:
            raise OrgError(403, texts.ORG_FORBIDDEN.format(scope=who.scope_label)) from exc

    async def overview(self, request: Request) -> Response:
        who = self.who(request)
        stats = self._stats(request, who)
        return page(
            "overview.html",
            who=who,
            here="overview",
            heading="概览",
            stats=stats,
            scope_label=scope_label(stats.scope),
            kb=self.service.ctx.kb,
            period_text=request.query_params.get("period", ""),
            by="city" if stats.per_city else "month",
            condition_rows=[
                (condition_name(self.service.ctx.kb, key, clause=True), failed, unsure)
                for key, failed, unsure in condition_counts(stats)
            ],
            channel_label=channel_label,
            may_choose=not who.scope.startswith("city:"),
            waiting=len(self.store.forwarded_questions(who.person_id)),  # the store's scope
        )

    async def chart(self, request: Request) -> Response:
        from bot.reports.chart import chart_png

        who = self.who(request)
        stats = self._stats(request, who)
        png = await asyncio.to_thread(chart_png, stats)
        return Response(png, media_type="image/png", headers={"cache-control": "no-store"})

    # ---- 操作记录 ----------------------------------------------------------------------------

    async def audit(self, request: Request) -> Response:
        who = self.who(request)
        rows = self.store.audit_rows(who.person_id, limit=200)
        return page("audit.html", who=who, here="audit", heading="操作记录", rows=rows)

    # ---- errors ------------------------------------------------------------------------------

    async def _error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, OrgError)
        log.info("org %s %s: %s %s", request.method, request.url.path, exc.status, exc.message)
        if exc.signin and request.method in ("GET", "HEAD"):
            return RedirectResponse("/org/signin", status_code=303)
        return page(
            "message.html",
            heading="无法完成",
            error=exc.message,
            again=exc.signin,
            status_code=exc.status,
        )

    async def _http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = texts.ORG_NOT_FOUND if exc.status_code == 404 else str(exc.detail)
        return page("message.html", heading="无法完成", error=message, status_code=exc.status_code)


def build_org_app(service: ChatService) -> Starlette:
    """The console as an ASGI app, to mount at ``/org``."""
    from bot.org import calendar
    from bot.org.pages import add_pages

    console = OrgConsole(service)
    add_pages(console)
    calendar.register(console)  # 日程: each organizer's own dates (bot/org/calendar.py)
    return console.app()
