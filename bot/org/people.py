"""组织单位 (admins only): who may use the console, inviting, changing a scope, revoking.

  GET  /org/organizers                  the organizers and e-mail admins, a scope form per row
  GET  /org/organizers/invite           the invitation form (e-mail, name, scope, admin?)
  POST /org/organizers/invite           the role at once, the invitation mail sent now
  POST /org/organizers/{id}/scope       move an organizer to another scope
  GET  /org/organizers/{id}/revoke      who and what revoking means, and the button
  POST /org/organizers/{id}/revoke      revoke, at once (an open session stops with it)

Every handler asks the store whether the signed-in person is an admin (``require_admin`` with
their id), and every store write asks again; a refused or malformed form writes nothing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.org.app import OrgConsole
from bot.org.auth import Officer, OrgError
from bot.org.render import page
from bot.store import NotAllowed
from bot.store.organizers import RoleRefused
from bot.store.signin import LinkRefused
from conversations import scopes, texts
from conversations.flows.mail import normalized

NAME_LENGTH = 40
OTHER_ASSOC = "assoc"  # the scope select's choice "a provincial association, named below"
REFUSED_STATUS = {"not_organizer": 404, "is_admin": 400, "self": 409, "last_admin": 409}


def register(console: OrgConsole) -> None:
    """Add this module's routes to ``console.extra``."""
    pages = PeoplePages(console)
    console.extra += [
        Route("/organizers", pages.listing, methods=["GET", "HEAD"]),
        Route("/organizers/invite", pages.invite_page, methods=["GET", "HEAD"]),
        Route("/organizers/invite", pages.invite, methods=["POST"]),
        Route("/organizers/{person:int}/scope", pages.change_scope, methods=["POST"]),
        Route("/organizers/{person:int}/revoke", pages.revoke_page, methods=["GET", "HEAD"]),
        Route("/organizers/{person:int}/revoke", pages.revoke, methods=["POST"]),
    ]


def read_scope(choice: str, assoc: str) -> tuple[str | None, tuple[str, str] | None]:
    """The scope a form chose (the select, or an association named in the text field), or
    the field to mark and what to say there."""
    if choice == OTHER_ASSOC:
        scope = scopes.parse_scope("assoc", assoc)
        return (scope, None) if scope else (None, ("assoc", texts.ORG_PEOPLE_BAD_ASSOC))
    if scopes.valid_scope(choice):
        return choice, None
    return None, ("scope", texts.ORG_PEOPLE_BAD_SCOPE)


def scope_choices(people: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The scope select's options: the province, the 13 cities, the associations already in
    use, and "another association"."""
    assocs = sorted({p["scope"] for p in people if p["scope"].startswith("assoc:")})
    return [
        (scopes.PROVINCE, texts.ORG_PEOPLE_SCOPE_PROVINCE),
        *((f"city:{city}", f"{city}市") for city in scopes.CITIES),
        *((scope, scopes.label(scope)) for scope in assocs),
        (OTHER_ASSOC, texts.ORG_PEOPLE_SCOPE_OTHER_ASSOC),
    ]


def role_text(admin: bool, scope: str) -> str:
    if admin:
        return texts.ORG_PEOPLE_ROLE_ADMIN
    return texts.ORG_PEOPLE_ROLE_ORGANIZER.format(scope=scopes.label(scope))


class PeoplePages:
    def __init__(self, console: OrgConsole) -> None:
        self.console = console
        self.store = console.store

    def admin(self, request: Request) -> Officer:
        """The signed-in person, when the store says they are an admin; else a 403 page."""
        who = self.console.who(request)
        try:
            self.store.require_admin(who.person_id)
        except NotAllowed as exc:
            raise OrgError(403, texts.ORG_PEOPLE_ADMINS_ONLY) from exc
        return who

    def people(self, who: Officer) -> list[dict[str, Any]]:
        try:
            return self.store.console_people(who.person_id)
        except NotAllowed as exc:
            raise OrgError(403, texts.ORG_PEOPLE_ADMINS_ONLY) from exc

    @staticmethod
    def person_of(request: Request) -> int:
        """The person id in the path; one past SQLite's integers is no one's."""
        person = request.path_params["person"]
        if person >= 2**63:
            raise OrgError(404, texts.ORG_PEOPLE_REFUSED["not_organizer"])
        return person

    def one(self, who: Officer, person: int) -> dict[str, Any]:
        for row in self.people(who):
            if row["person_id"] == person:
                return row
        raise OrgError(404, texts.ORG_PEOPLE_REFUSED["not_organizer"])

    # ---- the list ------------------------------------------------------------------------

    async def listing(self, request: Request) -> Response:
        return self.render_list(self.admin(request))

    def render_list(
        self,
        who: Officer,
        *,
        notice: str = "",
        row_error: tuple[int, str, str] | None = None,  # person, field, message
        typed: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response:
        people = self.people(who)
        return page(
            "organizers.html",
            who=who,
            here="organizers",
            heading=texts.ORG_PEOPLE_HEADING,
            people=people,
            label=scopes.label,
            choices=scope_choices(people),
            config_admins=len(self.store.admin_telegram_ids),
            notice=notice,
            error=texts.ORG_PEOPLE_FIX if row_error else "",
            row_error=row_error,
            typed=typed or {},
            status_code=status_code,
        )

    # ---- inviting ------------------------------------------------------------------------

    async def invite_page(self, request: Request) -> Response:
        who = self.admin(request)
        return self.render_invite(who, typed={}, errors={})

    def render_invite(
        self, who: Officer, *, typed: dict[str, str], errors: dict[str, str], status_code: int = 200
    ) -> Response:
        return page(
            "invite.html",
            who=who,
            here="organizers",
            heading=texts.ORG_PEOPLE_INVITE_HEADING,
            choices=scope_choices(self.people(who)),
            typed=typed,
            errors=errors,
            error=texts.ORG_PEOPLE_FIX if errors else "",
            status_code=status_code,
        )

    async def invite(self, request: Request) -> Response:
        who = self.admin(request)
        form = await self.console.form(request, who)
        fields = ("email", "name", "scope", "assoc", "telegram")
        typed = {key: form.get(key, "")[:254] for key in fields}
        admin = form.get("admin", "") == "1"
        typed["admin"] = "1" if admin else ""
        errors: dict[str, str] = {}
        try:
            address = normalized(typed["email"])
        except ValueError:
            errors["email"] = texts.ORG_PEOPLE_BAD_EMAIL
        else:
            if not admin and self.is_admin_address(address):
                errors["email"] = texts.ORG_PEOPLE_ALREADY_ADMIN
        name = " ".join(typed["name"].split())
        if not 0 < len(name) <= NAME_LENGTH:
            errors["name"] = texts.ORG_PEOPLE_BAD_NAME
        scope, bad = read_scope(typed["scope"], typed["assoc"])
        if admin and (scope is not None or typed["scope"] in ("", OTHER_ASSOC)):
            scope, bad = scopes.PROVINCE, None  # an admin's scope is the province
        if bad:
            errors[bad[0]] = bad[1]
        telegram = typed["telegram"].strip()
        if telegram and not (telegram.isdigit() and 0 < int(telegram) < 2**52):
            errors["telegram"] = texts.ORG_PEOPLE_BAD_TELEGRAM
        if errors or scope is None:
            return self.render_invite(who, typed=typed, errors=errors, status_code=400)
        scope = scopes.PROVINCE if admin else scope
        try:
            person = self.store.invite_by_email(
                who.person_id, address, scope, name, admin=admin,
                telegram_id=int(telegram) if telegram else None,
            )  # fmt: skip
        except NotAllowed as exc:
            raise OrgError(403, texts.ORG_PEOPLE_ADMINS_ONLY) from exc
        except LinkRefused:
            errors["telegram"] = texts.ORG_PEOPLE_TELEGRAM_TAKEN
            return self.render_invite(who, typed=typed, errors=errors, status_code=400)
        service = self.console.service
        if service.dispatcher is not None:
            service.dispatcher.wake()
        return self.invited(request, who, person, address, name, role_text(admin, scope))

    def is_admin_address(self, address: str) -> bool:
        found = self.store.destination("email", address)
        return bool(found and found["person_id"] and self.store.is_admin(found["person_id"]))

    def invited(
        self, request: Request, who: Officer, person: int, address: str, name: str, role: str
    ) -> Response:
        """The invitation's outcome; without an SMTP server, a sign-in link to hand over."""
        settings = self.console.service.settings
        link = ""
        if settings is not None and settings.mail_configured:
            lead = texts.ORG_PEOPLE_INVITED.format(name=name, address=address, role=role)
        else:
            lead = texts.ORG_PEOPLE_INVITED_NO_MAIL.format(name=name, address=address, role=role)
            site = settings.site_url if settings else f"{request.url.scheme}://{request.url.netloc}"
            token = self.store.signin_link_token(person, purpose="invite")
            link = f"{site}/org/signin/link?t={quote(token)}"
        return page(
            "invited.html",
            who=who,
            here="organizers",
            heading=texts.ORG_PEOPLE_INVITED_HEADING,
            lead=lead,
            link=link,
        )

    # ---- changing a scope ----------------------------------------------------------------

    async def change_scope(self, request: Request) -> Response:
        who = self.admin(request)
        form = await self.console.form(request, who)
        person = self.person_of(request)
        typed = {"scope": form.get("scope", "")[:254], "assoc": form.get("assoc", "")[:254]}
        if self.one(who, person)["role"] == "admin":
            raise self.refused(RoleRefused("is_admin"))
        scope, bad = read_scope(typed["scope"], typed["assoc"])
        if bad or scope is None:
            field, message = bad or ("scope", texts.ORG_PEOPLE_BAD_SCOPE)
            return self.render_list(
                who, row_error=(person, field, message), typed=typed, status_code=400
            )
        try:
            old = self.store.change_scope(who.person_id, person, scope)
        except NotAllowed as exc:
            raise OrgError(403, texts.ORG_PEOPLE_ADMINS_ONLY) from exc
        except RoleRefused as exc:
            raise self.refused(exc) from exc
        said = texts.ORG_PEOPLE_SCOPE_SAME if old == scope else texts.ORG_PEOPLE_SCOPE_CHANGED
        notice = said.format(name=self.store.person_name(person), scope=scopes.label(scope))
        return self.render_list(who, notice=notice)

    # ---- revoking ------------------------------------------------------------------------

    async def revoke_page(self, request: Request) -> Response:
        who = self.admin(request)
        target = self.one(who, self.person_of(request))
        people = self.people(who)
        reason = ""
        if target["person_id"] == who.person_id:
            reason = "self"
        elif target["role"] == "admin" and sum(p["role"] == "admin" for p in people) <= 1:
            reason = "last_admin"
        return page(
            "revoke.html",
            who=who,
            here="organizers",
            heading=texts.ORG_PEOPLE_REVOKE_HEADING,
            target=target,
            role=role_text(target["role"] == "admin", target["scope"]),
            error=texts.ORG_PEOPLE_REFUSED[reason] if reason else "",
            status_code=REFUSED_STATUS[reason] if reason else 200,
        )

    async def revoke(self, request: Request) -> Response:
        who = self.admin(request)
        await self.console.form(request, who)
        person = self.person_of(request)
        try:
            self.store.revoke_role(who.person_id, person)
        except NotAllowed as exc:
            raise OrgError(403, texts.ORG_PEOPLE_ADMINS_ONLY) from exc
        except RoleRefused as exc:
            raise self.refused(exc) from exc
        notice = texts.ORG_PEOPLE_REVOKED.format(name=self.store.person_name(person))
        return self.render_list(who, notice=notice)

    @staticmethod
    def refused(exc: RoleRefused) -> OrgError:
        return OrgError(REFUSED_STATUS.get(exc.reason, 400), texts.ORG_PEOPLE_REFUSED[exc.reason])
