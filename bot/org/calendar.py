"""日程, a page of the organizers' console (registered by ``bot.org.app``): the dates an
organizer sets for the enterprises of its scope.

  GET  /org/calendar          the dates of the scope (the province: every scope's; a city or an
                              association: its own and, read-only, the province's) and the form
  POST /org/calendar          set or move a date: year, scope, milestone, day, note, CSRF
  POST /org/calendar/remove   remove a date (year, scope, milestone)

A city or association organizer sets its own dates (本市企业报送截止, 预审, 培训会); the province
(admins, province organizers) the notice's milestones and any scope's. The form offers only what
the person may set; the store checks the person's scope again (a forged form is refused there,
nothing written) and audits. Subscribers of the scope are told, their reminders follow.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.org.app import OrgConsole
from bot.org.auth import Officer, OrgError
from bot.org.render import page
from bot.store import NotAllowed
from conversations import scopes, texts
from conversations.calendar import (
    LOCAL_MILESTONES,
    MAX_NOTE,
    PROVINCE,
    CalendarInputError,
    milestone_label,
    parse_day,
    parse_year,
    set_by,
)
from conversations.core import CalendarDate
from knowledge.calendar import MILESTONES

FIELDS = ("year", "scope", "milestone", "day", "note")


def register(console: OrgConsole) -> None:
    """Add this module's routes to ``console.extra``."""
    pages = CalendarPages(console)
    console.extra += [
        Route("/calendar", pages.listing, methods=["GET", "HEAD"]),
        Route("/calendar", pages.save, methods=["POST"]),
        Route("/calendar/remove", pages.remove, methods=["POST"]),
    ]


class CalendarPages:
    def __init__(self, console: OrgConsole) -> None:
        self.console = console
        self.store = console.store
        self.ctx = console.service.ctx

    def _years(self) -> list[int]:
        this = self.ctx.this_year()
        return [this, this + 1]

    def _choices(self, allowed: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
        """The milestone select's groups: (group label, [(value, label)])."""
        groups = []
        if PROVINCE in allowed:
            province = [
                (f"province/{m}", milestone_label(self.ctx, PROVINCE, m)) for m in MILESTONES
            ]
            groups.append((texts.ORG_CAL_GROUP_PROVINCE, province))
        local = next((s for s in allowed if s != PROVINCE), None)
        if local is not None:
            own = [(f"local/{m}", milestone_label(self.ctx, local, m)) for m in LOCAL_MILESTONES]
            groups.append((texts.ORG_CAL_GROUP_LOCAL, own))
        return groups

    def _page(self, who: Officer, *, status_code: int = 200, **values: object) -> Response:
        try:
            own, rows = self.store.scope_calendar(who.person_id, self.ctx.this_year())
            allowed = self.store.calendar_scopes(who.person_id)
        except NotAllowed as exc:
            raise OrgError(403, texts.ORG_FORBIDDEN.format(scope=who.scope_label)) from exc
        for row in rows:
            row["label"] = milestone_label(self.ctx, row["scope"], row["milestone"])
            row["set_by_label"] = set_by(row["scope"], self.ctx)
        values["typed"] = {field: "" for field in FIELDS} | dict(values.get("typed") or {})
        values["errors"] = {field: "" for field in FIELDS} | dict(values.get("errors") or {})
        lead = texts.ORG_CAL_LEAD_PROVINCE if own == PROVINCE else texts.ORG_CAL_LEAD
        return page(
            "calendar.html",
            who=who,
            here="calendar",
            heading=texts.ORG_CAL_HEADING,
            lead=lead.format(scope=who.scope_label),
            rows=rows,
            years=self._years(),
            allowed=allowed,
            groups=self._choices(allowed),
            label=scopes.label,
            max_note=MAX_NOTE,
            status_code=status_code,
            **values,
        )

    async def listing(self, request: Request) -> Response:
        who = self.console.who(request)
        done = request.query_params.get("done", "")
        return self._page(who, notice=texts.ORG_CAL_DONE.get(done, ""))

    def _entry(self, typed: dict[str, str], errors: dict[str, str]) -> CalendarDate | None:
        """The form read into a date, or None with the reason next to each field."""
        scope, (group, _, milestone) = typed["scope"], typed["milestone"].partition("/")
        if not scopes.valid_scope(scope):
            errors["scope"] = texts.ORG_CAL_BAD_CHOICE
        wanted = MILESTONES if group == "province" else LOCAL_MILESTONES
        if group not in ("province", "local") or milestone not in wanted:
            errors["milestone"] = texts.ORG_CAL_BAD_CHOICE
        elif not errors.get("scope") and (group == "province") != (scope == PROVINCE):
            label = milestone_label(self.ctx, scope if group == "local" else PROVINCE, milestone)
            errors["milestone"] = texts.ORG_CAL_WRONG_GROUP.format(
                label=label, scope=scopes.label(scope)
            )
        year = day = None
        try:
            year = parse_year(typed["year"])
        except CalendarInputError as exc:
            errors["year"] = str(exc)
        if year is not None:
            try:
                day = parse_day(typed["day"], year)
            except CalendarInputError as exc:
                errors["day"] = str(exc)
        note = " ".join(typed["note"].split()) or None
        if note is not None and len(note) > MAX_NOTE:
            errors["note"] = texts.CALSET_NOTE_TOO_LONG.format(limit=MAX_NOTE)
        if errors or year is None or day is None:
            return None
        return CalendarDate(year=year, milestone=milestone, day=day, note=note, scope=scope)

    async def save(self, request: Request) -> Response:
        who = self.console.who(request)
        form = await self.console.form(request, who)
        typed = {k: form.get(k, "").strip() for k in FIELDS}
        errors: dict[str, str] = {}
        entry = self._entry(typed, errors)
        if entry is None:
            return self._page(who, typed=typed, errors=errors, status_code=400)
        try:
            done = self.store.set_calendar_date(who.person_id, entry)
        except NotAllowed as exc:
            raise OrgError(403, self._not_yours(who, entry.scope)) from exc
        return RedirectResponse(f"/org/calendar?done={done}", status_code=303)

    async def remove(self, request: Request) -> Response:
        who = self.console.who(request)
        form = await self.console.form(request, who)
        scope, milestone = form.get("scope", ""), form.get("milestone", "")
        try:
            year = parse_year(form.get("year", ""))
        except CalendarInputError as exc:
            raise OrgError(400, str(exc)) from exc
        try:
            gone = self.store.remove_calendar_date(who.person_id, year, milestone, scope)
        except NotAllowed as exc:
            raise OrgError(403, self._not_yours(who, scope)) from exc
        if not gone:
            raise OrgError(404, texts.ORG_CAL_GONE)
        return RedirectResponse("/org/calendar?done=removed", status_code=303)

    @staticmethod
    def _not_yours(who: Officer, scope: str) -> str:
        shown = scopes.label(scope) if scopes.valid_scope(scope) else scope[:40]
        return texts.CALSET_NOT_YOUR_SCOPE.format(own=who.scope_label, scope=shown)
