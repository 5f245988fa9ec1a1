"""The pages a mail's links open, server-rendered (Jinja2), working without script or login:

  GET  /mail/confirm?t=…      what the confirmation link will do, and its button
  POST /mail/confirm          use it: the address is verified and subscribed; then the offsets
  GET  /mail/manage?t=…       an address's settings: the offsets per year, and 退订
  POST /mail/manage           save the offsets of one year
  GET  /mail/unsubscribe?t=…  the 退订 button
  POST /mail/unsubscribe?t=…  退订: from the page's form, or one click from the mail program
                              (RFC 8058: body ``List-Unsubscribe=One-Click``)

A GET never changes anything: mail scanners open links. The token in the link is the
authority (a confirmation token, or an address's signed manage token: ``bot.store.mail``), so
the forms carry it back instead of a session.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.forms import FormTooLarge, parse_form, read_body
from bot.mail import CONFIRM_PATH, MANAGE_PATH, UNSUBSCRIBE_PATH
from bot.store import Store
from conversations import texts
from conversations.calendar import OFFSET_PRESETS, offsets_text

log = logging.getLogger(__name__)

FORM_BYTES = 4096  # a form here holds a token and a choice
ONE_CLICK = "List-Unsubscribe=One-Click"

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("bot.mail", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass
class MailPages:
    store: Store

    def routes(self) -> list[Route]:
        return [
            Route(CONFIRM_PATH, self.confirm_page, methods=["GET", "HEAD"]),
            Route(CONFIRM_PATH, self.confirm, methods=["POST"]),
            Route(MANAGE_PATH, self.manage_page, methods=["GET", "HEAD"]),
            Route(MANAGE_PATH, self.save_offsets, methods=["POST"]),
            Route(UNSUBSCRIBE_PATH, self.unsubscribe_page, methods=["GET", "HEAD"]),
            Route(UNSUBSCRIBE_PATH, self.unsubscribe, methods=["POST"]),
            Route("/mail/page.css", self.stylesheet, methods=["GET", "HEAD"]),
        ]

    # ---- confirming --------------------------------------------------------------------------

    async def confirm_page(self, request: Request) -> Response:
        token = request.query_params.get("t", "")
        found = self.store.confirmation_of(token) if token else None
        if found is None or found.status != "new":
            return self._status_page(found.status if found else "unknown", found)
        lead = texts.PAGE_CONFIRM_LEAD.format(year=found.year, address=found.address)
        return _page(
            heading=texts.PAGE_CONFIRM_HEADING,
            lead=lead,
            form={"action": CONFIRM_PATH, "token": token, "button": texts.PAGE_CONFIRM_BUTTON},
        )

    async def confirm(self, request: Request) -> Response:
        form = await _form(request)
        token = form.get("t", "")
        done = self.store.confirm_mail(token) if token else None
        if done is None or done.status != "confirmed":
            return self._status_page(done.status if done else "unknown", done)
        log.info("e-mail destination %s confirmed for %s", done.destination_id, done.year)
        manage = self.store.manage_token(done.address)
        lead = texts.PAGE_CONFIRMED_LEAD.format(
            address=done.address, year=done.year, offsets=offsets_text(done.offsets)
        )
        return _page(
            heading=texts.PAGE_CONFIRMED_HEADING,
            lead=lead,
            offsets=_offsets_form(manage, {done.year: list(done.offsets)}),
            notice=True,
        )

    def _status_page(self, status: str, found: object) -> Response:
        address = getattr(found, "address", "")
        text = {
            "used": texts.PAGE_USED.format(address=address),
            "expired": texts.PAGE_EXPIRED,
        }.get(status, texts.PAGE_UNKNOWN)
        code = 200 if status == "used" else 410 if status == "expired" else 404
        return _page(heading=texts.PAGE_CONFIRM_HEADING, lead=text, status_code=code)

    # ---- managing ----------------------------------------------------------------------------

    async def manage_page(self, request: Request, saved: str = "") -> Response:
        token = request.query_params.get("t", "")
        return self._manage(token, saved)

    def _manage(self, token: str, saved: str = "", error: str = "") -> Response:
        found = self.store.managed(token) if token else None
        if found is None:
            return _page(
                heading=texts.PAGE_MANAGE_HEADING, lead=texts.PAGE_UNKNOWN, status_code=404
            )
        lead = texts.PAGE_MANAGE_LEAD.format(address=found["address"])
        if not found["active"]:
            return _page(
                heading=texts.PAGE_MANAGE_HEADING, lead=lead, notes=[texts.PAGE_MANAGE_NONE]
            )
        return _page(
            heading=texts.PAGE_MANAGE_HEADING,
            lead=lead,
            message=saved,
            error=error,
            offsets=_offsets_form(token, found["subscriptions"]),
            unsubscribe={"action": f"{UNSUBSCRIBE_PATH}?t={token}", "token": token},
            notice=bool(saved),
        )

    async def save_offsets(self, request: Request) -> Response:
        form = await _form(request)
        token = form.get("t", "")
        found = self.store.managed(token) if token else None
        if found is None:
            return _page(
                heading=texts.PAGE_MANAGE_HEADING, lead=texts.PAGE_UNKNOWN, status_code=404
            )
        year_text, choice = form.get("year", ""), form.get("offsets", "")
        presets = {"-".join(map(str, p)): list(p) for p in OFFSET_PRESETS}
        if not year_text.isdigit() or choice not in presets:
            return self._manage(token, error=texts.PAGE_OFFSETS_BAD)
        year, offsets = int(year_text), presets[choice]
        if not self.store.set_mail_offsets(found["id"], year, offsets):
            return self._manage(token, error=texts.PAGE_MANAGE_NONE)
        saved = texts.PAGE_OFFSETS_SAVED.format(year=year, offsets=offsets_text(offsets))
        return self._manage(token, saved=saved)

    # ---- unsubscribing -----------------------------------------------------------------------

    async def unsubscribe_page(self, request: Request) -> Response:
        token = request.query_params.get("t", "")
        found = self.store.managed(token) if token else None
        if found is None:
            return _page(
                heading=texts.PAGE_UNSUBSCRIBE_HEADING, lead=texts.PAGE_UNKNOWN, status_code=404
            )
        if not found["active"]:
            lead = texts.PAGE_UNSUBSCRIBED.format(address=found["address"])
            return _page(heading=texts.PAGE_UNSUBSCRIBE_HEADING, lead=lead)
        return _page(
            heading=texts.PAGE_UNSUBSCRIBE_HEADING,
            lead=texts.PAGE_UNSUBSCRIBE_LEAD.format(address=found["address"]),
            form={
                "action": f"{UNSUBSCRIBE_PATH}?t={token}",
                "token": token,
                "button": texts.PAGE_UNSUBSCRIBE_BUTTON,
            },
        )

    async def unsubscribe(self, request: Request) -> Response:
        raw = await _body(request)
        form = parse_form(raw, max_fields=8)
        token = request.query_params.get("t") or form.get("t", "")
        one_click = raw.decode("utf-8", "replace").strip() == ONE_CLICK
        found = self.store.managed(token) if token else None
        if found is None:
            if one_click:
                return PlainTextResponse("unknown link", status_code=404)
            return _page(
                heading=texts.PAGE_UNSUBSCRIBE_HEADING, lead=texts.PAGE_UNKNOWN, status_code=404
            )
        ended = self.store.unsubscribe_destination(found["id"])
        log.info(
            "e-mail destination %s unsubscribed (%s)%s",
            found["id"], "one-click" if one_click else "page", "" if ended else ": nothing active",
        )  # fmt: skip
        if one_click:
            return PlainTextResponse("unsubscribed")
        lead = texts.PAGE_UNSUBSCRIBED.format(address=found["address"])
        return _page(heading=texts.PAGE_UNSUBSCRIBE_HEADING, lead=lead, notice=True)

    async def stylesheet(self, request: Request) -> Response:
        css = _templates.loader.get_source(_templates, "page.css")[0]  # type: ignore[union-attr]
        return Response(css, media_type="text/css", headers={"cache-control": "max-age=3600"})


def _offsets_form(token: str | None, years: dict[int, list[int]]) -> list[dict]:
    """One form per subscribed year: the presets as radio buttons, the current one checked."""
    forms = []
    for year, current in sorted(years.items()):
        choices = [
            {
                "value": "-".join(map(str, preset)),
                "label": texts.BTN_OFFSET_PRESET.format(offsets=offsets_text(preset)),
                "checked": list(preset) == list(current),
            }
            for preset in OFFSET_PRESETS
        ]
        forms.append(
            {
                "action": MANAGE_PATH,
                "token": token,
                "year": year,
                "legend": texts.PAGE_OFFSETS_LEGEND.format(year=year),
                "choices": choices,
                "button": texts.PAGE_OFFSETS_BUTTON,
            }
        )
    return forms


def _bad_link(heading: str) -> HTMLResponse:
    return _page(heading=heading, lead=texts.PAGE_UNKNOWN, status_code=404)


def _page(*, status_code: int = 200, **values: object) -> HTMLResponse:
    html = _templates.get_template("page.html").render(texts=texts, **values)
    return HTMLResponse(html, status_code=status_code, headers={"cache-control": "no-store"})


async def _body(request: Request) -> bytes:
    try:
        return await read_body(request, FORM_BYTES)
    except FormTooLarge:
        return b""  # not one of our forms: read as empty (the page says the link is bad)


async def _form(request: Request) -> dict[str, str]:
    return parse_form(await _body(request), max_fields=8)
