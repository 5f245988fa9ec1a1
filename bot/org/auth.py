"""Who is signed in to the organizers' console, and whether a form is theirs.

The session cookie (``biaogan_org``, path ``/org``) is HttpOnly, SameSite=Lax, and Secure when
the request came over HTTPS (behind a proxy: uvicorn's ``proxy_headers`` sets the scheme from
``X-Forwarded-Proto``). Every form carries the session's CSRF token (an HMAC of the cookie, so
nothing more is stored) and every POST must come from this site (``Origin``/``Referer``).
The person's role is read from the store on every request: a revoked organizer's open session
is refused at once.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from bot.store import Store
from conversations import scopes, texts

COOKIE = "biaogan_org"
PATH = "/org"


class OrgError(Exception):
    """A refused request: its status and a short Chinese message for the error page."""

    def __init__(self, status: int, message: str, *, signin: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.signin = signin  # offer the sign-in page


@dataclass(frozen=True)
class Officer:
    """The signed-in person: id, name, role (admin | organizer), scope, and the form token."""

    person_id: int
    name: str
    role: str
    scope: str
    csrf: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def scope_label(self) -> str:
        return scopes.label(self.scope)


def csrf_of(token: str) -> str:
    return hmac.new(token.encode(), b"biaogan org csrf", hashlib.sha256).hexdigest()


def officer(store: Store, request: Request) -> Officer | None:
    token = request.cookies.get(COOKIE)
    person = store.session_person(token)
    if person is None or token is None:
        return None
    role = store.role(person)
    if role is None:
        return None
    return Officer(person, store.person_name(person), role[0], role[1], csrf_of(token))


def same_site(request: Request) -> bool:
    """A POST from a page of this site (Origin, else Referer); a missing header is refused."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source:
        return False
    parts = urlsplit(source)
    return parts.netloc == request.url.netloc


def check_form(request: Request, who: Officer, form: dict[str, str]) -> None:
    if not same_site(request):
        raise OrgError(403, "请从工作台的页面提交表单。")
    if not hmac.compare_digest(form.get("csrf", ""), who.csrf):
        raise OrgError(403, texts.ORG_FORM_EXPIRED)


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        path=PATH,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path=PATH)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
