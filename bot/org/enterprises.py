"""企业, a page of the organizers' console (registered by ``bot.org.pages``).

  GET /org/enterprises      the enterprises of the officer's scope: a plain GET form filters
                            (?q= name, city=, verdict=, subscribed=) and sorts (sort=), 50 a
                            page (page=); works without script
  GET /org/enterprises.csv  the same filtered rows as a CSV (UTF-8 BOM, the columns /privacy
                            names: never an e-mail address or a Telegram id), audited as an
                            export (channel 'org')

(未回答的问题 is ``bot.org.questions``.)

The store reads with the officer's person id and checks the scope itself
(``bot.store.roster``): a city outside a city organizer's scope is refused before anything is
read (403, and no audit row, no file).
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.org.app import OrgConsole
from bot.org.auth import Officer, OrgError
from bot.org.render import page
from bot.reports import export_csv
from bot.store import NotAllowed
from bot.store.roster import PAGE_SIZE, RosterQuery
from conversations import texts
from conversations.reports import channel_label, condition_name, scope_label
from conversations.scopes import CITIES

NAME_LENGTH = 60  # a name search longer than this is cut
MAX_PAGE = 100_000


def register(console: OrgConsole) -> None:
    """Add this module's routes to ``console.extra``."""
    pages = EnterprisePages(console)
    console.extra += [
        Route("/enterprises", pages.enterprises, methods=["GET", "HEAD"]),
        Route("/enterprises.csv", pages.enterprises_csv, methods=["GET", "HEAD"]),
    ]


def read_query(request: Request) -> RosterQuery:
    """The filter form's fields as a query; a value no form offers is a 400."""
    params = request.query_params
    city = params.get("city", "").strip().removesuffix("市")
    page_text = params.get("page", "1").strip() or "1"
    if (city and city not in CITIES) or not page_text.isdigit() or int(page_text) > MAX_PAGE:
        raise OrgError(400, texts.ORG_BAD_FILTER)
    try:
        return RosterQuery(
            city=city,
            verdict=params.get("verdict", ""),
            subscribed=params.get("subscribed", ""),
            name=" ".join(params.get("q", "").split())[:NAME_LENGTH],
            sort=params.get("sort", "") or "last_seen",
            page=int(page_text),
        )
    except ValueError as exc:
        raise OrgError(400, texts.ORG_BAD_FILTER) from exc


def query_string(query: RosterQuery, **changes: object) -> str:
    """The form's fields for a link (a page, the CSV), only those set."""
    fields = {
        "q": query.name,
        "city": query.city,
        "verdict": query.verdict,
        "subscribed": query.subscribed,
        "sort": "" if query.sort == "last_seen" else query.sort,
        "page": query.page,
    }
    fields.update(changes)
    return urlencode({k: v for k, v in fields.items() if v not in ("", None, 1)})


class EnterprisePages:
    def __init__(self, console: OrgConsole) -> None:
        self.console = console
        self.store = console.store

    def _refused(self, who: Officer, query: RosterQuery) -> OrgError:
        if query.city:
            message = texts.ORG_CITY_FORBIDDEN.format(scope=who.scope_label, city=query.city)
        else:  # the role went between the session check and the read
            message = texts.ORG_FORBIDDEN.format(scope=who.scope_label)
        return OrgError(403, message)

    async def enterprises(self, request: Request) -> Response:
        who = self.console.who(request)
        query = read_query(request)
        try:
            found = self.store.roster(who.person_id, query)
        except NotAllowed as exc:
            raise self._refused(who, query) from exc
        kb = self.console.service.ctx.kb
        shown = RosterQuery(**{**vars(query), "page": found.page})
        return page(
            "enterprises.html",
            who=who,
            here="enterprises",
            heading=texts.ORG_ENTERPRISES_HEADING,
            lead=texts.ORG_ENTERPRISES_LEAD.format(scope=scope_label(str(found.scope))),
            found=found,
            query=shown,
            size=PAGE_SIZE,
            cities=() if found.scope.kind == "city" else CITIES,
            condition=lambda key: condition_name(kb, key),
            areas={a.number: a for a in kb.areas},
            channel_label=channel_label,
            verdicts=dict(texts.ORG_FILTER_VERDICTS),
            csv_href="/org/enterprises.csv?" + query_string(shown, page=None),
            previous_href=_href(shown, found.page - 1) if found.page > 1 else "",
            next_href=_href(shown, found.page + 1) if found.page < found.pages else "",
            empty=texts.ORG_ENTERPRISES_NONE_FILTERED
            if query.filtered
            else texts.ORG_ENTERPRISES_NONE.format(scope=scope_label(str(found.scope))),
        )

    async def enterprises_csv(self, request: Request) -> Response:
        who = self.console.who(request)
        query = read_query(request)
        try:
            with self.store.transaction():
                rows = self.store.roster_rows(who.person_id, query)
                detail = {"channel": "org", "rows": len(rows), **_filters(query)}
                self.store.audit_export(who.person_id, detail)
        except NotAllowed as exc:
            raise self._refused(who, query) from exc
        content = await asyncio.to_thread(export_csv, rows, self.console.service.ctx.kb)
        name = f"enterprises-{self.console.service.ctx.today().isoformat()}.csv"
        return Response(
            content,
            media_type="text/csv; charset=utf-8",
            headers={
                "content-disposition": f'attachment; filename="{name}"',
                "cache-control": "no-store",
            },
        )


def _href(query: RosterQuery, number: int) -> str:
    return "/org/enterprises?" + query_string(query, page=number)


def _filters(query: RosterQuery) -> dict[str, str]:
    """The filters of an export, for its audit row (only those set)."""
    fields = {
        "city": query.city,
        "verdict": query.verdict,
        "subscribed": query.subscribed,
        "q": query.name,
    }
    return {k: v for k, v in fields.items() if v}
