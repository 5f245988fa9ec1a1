"""联系方式, a page of the organizers' console (registered by ``bot.org.pages``): the contact
card an organizer keeps for its scope, which enterprises see first when they ask for a person.

  GET  /org/contacts[?scope=…]   the cards the organizer may edit (the province: every card,
                                 and a chooser of the scope to edit), and the form of one
  POST /org/contacts             save a card: scope, unit, person, phone, address, hours and
                                 the CSRF token
  POST /org/contacts/remove      remove a scope's card

Every field is checked (``conversations.contacts``): a refused one is said next to its field,
nothing stored. The store checks the person's scope again (a city organizer who forges another
scope into the form is refused with the reason) and audits.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.org.app import OrgConsole
from bot.org.auth import Officer, OrgError
from bot.org.render import page
from bot.store import NotAllowed
from bot.store.contacts import CardNotYours
from conversations import scopes, texts
from conversations.contacts import (
    FIELDS,
    LENGTHS,
    CardInputError,
    checked_scope,
    field_errors,
    make_card,
)


def register(console: OrgConsole) -> None:
    """Add this module's routes to ``console.extra``."""
    pages = ContactPages(console)
    console.extra += [
        Route("/contacts", pages.listing, methods=["GET", "HEAD"]),
        Route("/contacts", pages.save, methods=["POST"]),
        Route("/contacts/remove", pages.remove, methods=["POST"]),
    ]


class ContactPages:
    def __init__(self, console: OrgConsole) -> None:
        self.console = console
        self.store = console.store

    def _choices(self, who: Officer) -> list[str]:
        """The scopes the province may choose to edit (others edit their own only)."""
        if who.scope != scopes.PROVINCE:
            return []
        cities = [f"city:{city}" for city in scopes.CITIES]
        associations = [f"assoc:{name}" for name in self.store.associations()]
        return [scopes.PROVINCE, *cities, *associations]

    def _page(self, who: Officer, scope: str, *, status_code: int = 200, **values) -> Response:
        try:
            cards = self.store.editable_contact_cards(who.person_id)
        except NotAllowed as exc:
            raise OrgError(403, texts.ORG_FORBIDDEN.format(scope=who.scope_label)) from exc
        saved = next((card for card in cards if card.scope == scope), None)
        typed = {field: getattr(saved, field) if saved else "" for field in FIELDS}
        typed |= dict(values.pop("typed", None) or {})
        errors = {field: "" for field in FIELDS} | dict(values.pop("errors", None) or {})
        return page(
            "contacts.html",
            who=who,
            here="contacts",
            heading=texts.ORG_CONTACTS_HEADING,
            lead=texts.ORG_CONTACTS_LEAD.format(scope=_named(who.scope)),
            cards=cards,
            choices=self._choices(who),
            scope=scope,
            fields=FIELDS,
            lengths=LENGTHS,
            typed=typed,
            errors=errors,
            label=_named,
            status_code=status_code,
            **values,
        )

    def _scope(self, who: Officer, asked: str | None) -> str:
        """The scope whose form is shown: the one asked for when ``who`` may edit it."""
        if not asked:
            return who.scope
        try:
            scope = checked_scope(asked)
        except CardInputError as exc:
            raise OrgError(400, exc.message) from exc
        if who.scope not in (scope, scopes.PROVINCE):
            raise OrgError(403, _not_yours(who, scope))
        return scope

    async def listing(self, request: Request) -> Response:
        who = self.console.who(request)
        scope = self._scope(who, request.query_params.get("scope"))
        done = request.query_params.get("done", "")
        return self._page(who, scope, notice=texts.ORG_CONTACTS_DONE.get(done, ""))

    async def save(self, request: Request) -> Response:
        who = self.console.who(request)
        form = await self.console.form(request, who)  # the CSRF token and same-site
        scope = self._scope(who, form.get("scope") or who.scope)
        typed = {field: form.get(field, "") for field in FIELDS}
        errors = field_errors(typed)
        if errors:
            return self._page(who, scope, typed=typed, errors=errors, status_code=400)
        try:
            saved = self.store.set_contact_card(who.person_id, make_card(scope, **typed))
        except CardNotYours as exc:
            raise OrgError(403, str(exc)) from exc
        return _back(scope, saved)

    async def remove(self, request: Request) -> Response:
        who = self.console.who(request)
        form = await self.console.form(request, who)
        scope = self._scope(who, form.get("scope") or who.scope)
        try:
            removed = self.store.remove_contact_card(who.person_id, scope)
        except CardNotYours as exc:
            raise OrgError(403, str(exc)) from exc
        if not removed:
            raise OrgError(404, texts.ORG_CONTACTS_NONE_TO_REMOVE)
        return _back(scope, "removed")


def _named(scope: str) -> str:
    return "江苏省（全省）" if scope == scopes.PROVINCE else scopes.label(scope)


def _not_yours(who: Officer, scope: str) -> str:
    return texts.CONTACT_NOT_YOURS.format(mine=_named(who.scope), scope=_named(scope))


def _back(scope: str, done: str) -> Response:
    location = f"/org/contacts?done={done}&scope={quote(scope)}"
    return RedirectResponse(location, status_code=303)
