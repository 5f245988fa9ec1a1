"""文件, a page of the organizers' console (registered by ``bot.org.pages``): the files an
organizer publishes for the enterprises of its scope.

  GET  /org/documents                  the scope's files (the province: every scope's) with a
                                       withdraw button each, and the upload form
  POST /org/documents                  publish: a multipart form (title, kind, unit, year, the
                                       file and the CSRF token), at most UPLOAD_BYTES read
  GET  /org/documents/{id}/file        a published file of the scope, to check what was sent
  POST /org/documents/{id}/withdraw    withdraw it (its scope's organizers and the province)

The file's type is read from its content (``bot.uploads``: PDF, .docx, .xlsx; an executable
renamed .docx, a ZIP bomb, a file over 10 MB are refused with the reason next to the field,
nothing stored). The store checks the person's scope and the content again, and audits.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.forms import FORM_BYTES, FormMalformed, FormTooLarge, discard_body, read_upload
from bot.org import auth
from bot.org.app import OrgConsole
from bot.org.auth import Officer, OrgError
from bot.org.render import page
from bot.store import NotAllowed
from bot.store.documents import MAX_PUBLISHED, DocumentRefused
from bot.uploads import FILE_BYTES, UploadRefused, file_type, stored_name
from bot.web.app import content_disposition
from conversations import scopes, texts
from conversations.documents import KINDS, TITLE_LENGTH, size_label

UPLOAD_BYTES = FILE_BYTES + FORM_BYTES  # the file and the form's few fields
DISCARD_BYTES = 64 * 1024 * 1024  # of a refused upload, read and dropped so the browser shows why
LIMIT_LABEL = size_label(FILE_BYTES)
FIELDS = ("title", "kind", "unit", "year", "file")


def register(console: OrgConsole) -> None:
    """Add this module's routes to ``console.extra``."""
    pages = DocumentPages(console)
    console.extra += [
        Route("/documents", pages.listing, methods=["GET", "HEAD"]),
        Route("/documents", pages.publish, methods=["POST"]),
        Route("/documents/{document:int}/file", pages.download, methods=["GET", "HEAD"]),
        Route("/documents/{document:int}/withdraw", pages.withdraw, methods=["POST"]),
    ]


class DocumentPages:
    def __init__(self, console: OrgConsole) -> None:
        self.console = console
        self.store = console.store

    def _years(self) -> list[int]:
        this = self.console.service.ctx.this_year()
        return [this, this + 1]

    def _page(self, who: Officer, *, status_code: int = 200, **values: object) -> Response:
        try:
            rows = self.store.scope_documents(who.person_id)
        except NotAllowed as exc:
            raise OrgError(403, texts.ORG_FORBIDDEN.format(scope=who.scope_label)) from exc
        # every field named, so the template reads each (StrictUndefined) whether set or not
        values["typed"] = {field: "" for field in FIELDS} | dict(values.get("typed") or {})
        values["errors"] = {field: "" for field in FIELDS} | dict(values.get("errors") or {})
        return page(
            "documents.html",
            who=who,
            here="documents",
            heading=texts.ORG_DOCS_HEADING,
            lead=texts.ORG_DOCS_LEAD.format(scope=who.scope_label),
            rows=rows,
            kinds=texts.DOC_KINDS,
            units=self.store.signing_units(who.scope),
            years=self._years(),
            limit=LIMIT_LABEL,
            size_label=size_label,
            label=scopes.label,
            status_code=status_code,
            **values,
        )

    async def listing(self, request: Request) -> Response:
        who = self.console.who(request)
        done = request.query_params.get("done", "")
        return self._page(who, notice=texts.ORG_DOCS_DONE.get(done, ""))

    async def publish(self, request: Request) -> Response:
        who = self.console.who(request)
        if not auth.same_site(request):
            raise OrgError(403, "请从工作台的页面提交表单。")
        try:
            fields, files = await read_upload(request, UPLOAD_BYTES)
        except FormTooLarge:
            await discard_body(request, DISCARD_BYTES)
            message = texts.ORG_DOCS_ERRORS["too_large"].format(limit=LIMIT_LABEL)
            return self._page(who, errors={"file": message}, status_code=413)
        except FormMalformed:
            message = texts.ORG_DOCS_ERRORS["malformed"]
            return self._page(who, errors={"file": message}, status_code=400)
        auth.check_form(request, who, fields)
        typed = {k: fields.get(k, "").strip() for k in ("title", "kind", "unit", "year")}
        errors = self._field_errors(who, typed)
        name, content = files.get("file", ("", b""))
        try:
            kind = await asyncio.to_thread(file_type, content, FILE_BYTES) if content else None
        except UploadRefused as exc:
            errors["file"] = texts.ORG_DOCS_ERRORS[exc.reason].format(limit=LIMIT_LABEL)
        else:
            if kind is None:
                errors["file"] = texts.ORG_DOCS_ERRORS["no_file" if not name else "empty"]
        if errors:
            status = 413 if content and len(content) > FILE_BYTES else 400
            return self._page(who, typed=typed, errors=errors, status_code=status)
        assert kind is not None
        try:  # on the loop (the store's connection is this thread's): a few ms, once a file
            self._publish(who, typed, stored_name(name, kind, typed["title"]), content)
        except NotAllowed as exc:
            raise OrgError(403, texts.ORG_FORBIDDEN.format(scope=who.scope_label)) from exc
        except DocumentRefused as exc:
            message = texts.ORG_DOCS_ERRORS[exc.reason].format(title=exc.title, n=MAX_PUBLISHED)
            return self._page(who, typed=typed, errors={"file": message}, status_code=409)
        return RedirectResponse("/org/documents?done=published", status_code=303)

    def _publish(self, who: Officer, typed: dict[str, str], filename: str, content: bytes) -> int:
        return self.store.publish_document(
            who.person_id,
            title=typed["title"],
            kind=typed["kind"],
            publisher=typed["unit"],
            year=int(typed["year"]),
            filename=filename,
            content=content,
        )

    def _field_errors(self, who: Officer, typed: dict[str, str]) -> dict[str, str]:
        errors = {}
        title = " ".join(typed["title"].split())
        if not TITLE_LENGTH[0] <= len(title) <= TITLE_LENGTH[1]:
            errors["title"] = texts.ORG_DOCS_BAD_TITLE
        if typed["kind"] not in KINDS:
            errors["kind"] = texts.ORG_DOCS_BAD_CHOICE
        if typed["unit"] not in self.store.signing_units(who.scope):
            errors["unit"] = texts.ORG_DOCS_BAD_CHOICE
        if typed["year"] not in [str(year) for year in self._years()]:
            errors["year"] = texts.ORG_DOCS_BAD_CHOICE
        return errors

    async def download(self, request: Request) -> Response:
        who = self.console.who(request)
        try:
            found = self.store.scope_document_file(who.person_id, request.path_params["document"])
        except NotAllowed as exc:
            raise OrgError(403, texts.ORG_FORBIDDEN.format(scope=who.scope_label)) from exc
        if found is None:
            raise OrgError(404, texts.ORG_DOCS_GONE)
        return Response(
            found.content,
            media_type=found.mime,
            headers={
                "content-disposition": content_disposition(found.filename),
                "cache-control": "no-store",
                "x-content-type-options": "nosniff",
            },
        )

    async def withdraw(self, request: Request) -> Response:
        who = self.console.who(request)
        await self.console.form(request, who)
        try:
            done = self.store.withdraw_document(who.person_id, request.path_params["document"])
        except NotAllowed as exc:
            raise OrgError(403, texts.ORG_DOCS_NOT_YOURS.format(scope=who.scope_label)) from exc
        if not done:
            raise OrgError(404, texts.ORG_DOCS_GONE)
        return RedirectResponse("/org/documents?done=withdrawn", status_code=303)
