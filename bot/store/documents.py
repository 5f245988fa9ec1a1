"""The files organizers publish for their scope, and what enterprises read of them.

Every write names the acting person and reads their role here (``require_organizer``): an
organizer publishes for its own scope only, as one of that scope's units
(``conversations.documents.units``); a document is withdrawn by an organizer of its scope or
of the province. The content is checked again (``bot.uploads.file_type``): the store takes no
form's word for a file's type either. Both writes are audited in the same transaction.

Enterprises read by their profile (``published_documents``): their city's, their
association's and the province's files, newest first, never another city's.
"""

from __future__ import annotations

import hashlib
from typing import Any

from bot.store.base import StoreError
from bot.store.organizers import OrganizerStore
from bot.store.people import NotAllowed
from bot.uploads import FILE_BYTES, file_type
from conversations import scopes
from conversations.documents import KINDS, TITLE_LENGTH, PublishedDocument
from conversations.scopes import scopes_of

MAX_PUBLISHED = 50  # files a scope may have published at once
LISTED = 20  # files an enterprise's list shows

_COLUMNS = "id, scope, year, kind, title, publisher, filename, mime, size, uploaded_at"


class DocumentRefused(StoreError):
    """A document the store will not publish, nothing written. ``reason``: ``duplicate``
    (the same file is published in the scope: ``title`` names it), ``too_many``."""

    def __init__(self, reason: str, title: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.title = title


class DocumentStore(OrganizerStore):
    # ---- organizers ------------------------------------------------------------------------

    def publish_document(
        self,
        by: int,
        *,
        title: str,
        kind: str,
        publisher: str,
        year: int,
        filename: str,
        content: bytes,
    ) -> int:
        """Publish a file for ``by``'s own scope; its id. NotAllowed, ValueError (a field no
        form offers, a bad title), UploadRefused (the content) or DocumentRefused."""
        scope = self.require_organizer(by)
        title = " ".join(title.split())
        if kind not in KINDS or publisher not in self.signing_units(scope):
            raise ValueError(f"kind {kind!r} or unit {publisher!r} not offered to {scope}")
        if not TITLE_LENGTH[0] <= len(title) <= TITLE_LENGTH[1]:
            raise ValueError(f"title of {len(title)} characters")
        found = file_type(content, FILE_BYTES)
        digest = hashlib.sha256(content).hexdigest()
        with self.db.atomic():
            same = self.db.execute(
                "SELECT title FROM documents WHERE scope = ? AND sha256 = ?"
                " AND withdrawn_at IS NULL",
                [scope, digest],
            ).fetchone()
            if same is not None:
                raise DocumentRefused("duplicate", same[0])
            if self._published_count(scope) >= MAX_PUBLISHED:
                raise DocumentRefused("too_many")
            cursor = self.db.execute(
                "INSERT INTO documents (scope, year, kind, title, publisher, filename, mime,"
                " size, sha256, content, uploaded_by, uploaded_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [scope, year, kind, title, publisher, filename, found.mime, len(content),
                 digest, content, by, self.now_iso()],
            )  # fmt: skip
            document_id = cursor.lastrowid
            assert document_id is not None
            detail = {"id": document_id, "title": title, "filename": filename,
                      "size": len(content), "sha256": digest, "year": year}  # fmt: skip
            self.audit(by, "document_publish", scope, detail)
        return document_id

    def withdraw_document(self, by: int, document_id: int) -> bool:
        """Withdraw a published file (its bytes dropped, its row kept); False when there is
        none to withdraw (unknown, or withdrawn already). NotAllowed: another scope's."""
        mine = self.require_organizer(by)
        with self.db.atomic():
            row = self.db.execute(
                "SELECT scope, title FROM documents WHERE id = ? AND withdrawn_at IS NULL",
                [document_id],
            ).fetchone()
            if row is None:
                return False
            if mine not in (row[0], scopes.PROVINCE):
                raise NotAllowed(f"person {by} ({mine}) may not withdraw a file of {row[0]}")
            self.db.execute(
                "UPDATE documents SET withdrawn_by = ?, withdrawn_at = ?, content = NULL"
                " WHERE id = ?",
                [by, self.now_iso(), document_id],
            )
            self.audit(by, "document_withdraw", row[0], {"id": document_id, "title": row[1]})
        return True

    def scope_documents(self, by: int) -> list[dict[str, Any]]:
        """The files of ``by``'s scope (the province: every scope's), newest first, withdrawn
        ones too, without their bytes; ``who`` and ``withdrawn_who`` name the people."""
        scope = self.require_organizer(by)
        where, params = ("1", []) if scope == scopes.PROVINCE else ("scope = ?", [scope])
        rows = self.db.execute(
            f"SELECT {_COLUMNS}, uploaded_by, withdrawn_at, withdrawn_by FROM documents"
            f" WHERE {where} ORDER BY withdrawn_at IS NOT NULL, uploaded_at DESC, id DESC",
            params,
        ).fetchall()
        names = [*_COLUMNS.split(", "), "uploaded_by", "withdrawn_at", "withdrawn_by"]
        found = [dict(zip(names, row, strict=True)) for row in rows]
        for row in found:
            row["who"] = self._named(row["uploaded_by"])
            row["withdrawn_who"] = self._named(row["withdrawn_by"])
        return found

    def _named(self, person_id: int | None) -> str:
        """A person by the name they were invited with (张科长), else as the audit log names
        them."""
        row = self.db.execute("SELECT name FROM people WHERE id = ?", [person_id]).fetchone()
        return (row[0] if row else None) or self.person_label(person_id)

    def scope_document_file(self, by: int, document_id: int) -> PublishedDocument | None:
        """A published file of ``by``'s scope (the province: any), with its bytes; None:
        unknown, withdrawn, or another scope's."""
        scope = self.require_organizer(by)
        found = self._document(document_id)
        if found is None or scope not in (found.scope, scopes.PROVINCE):
            return None
        return found

    def _published_count(self, scope: str) -> int:
        row = self.db.execute(
            "SELECT count(*) FROM documents WHERE scope = ? AND withdrawn_at IS NULL", [scope]
        ).fetchone()
        return row[0]

    # ---- enterprises (``conversations.organizer_models.Records``) ---------------------------

    def published_documents(
        self, city: str | None, association: str | None, year: int
    ) -> list[PublishedDocument]:
        """The files that apply to an enterprise of ``city`` and ``association``: its
        organizers' and the province's, for ``year`` or later, newest first (at most LISTED)."""
        applying = scopes_of(city, association)
        marks = ", ".join("?" for _ in applying)
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM documents WHERE scope IN ({marks})"
            " AND withdrawn_at IS NULL AND year >= ? ORDER BY uploaded_at DESC, id DESC LIMIT ?",
            [*applying, year, LISTED],
        ).fetchall()
        return [_document(row) for row in rows]

    def published_document(
        self, document_id: int, city: str | None, association: str | None, year: int
    ) -> PublishedDocument | None:
        """One of ``published_documents`` with its bytes; None when it does not apply."""
        found = self._document(document_id)
        if found is None or found.scope not in scopes_of(city, association) or found.year < year:
            return None
        return found

    def _document(self, document_id: int) -> PublishedDocument | None:
        row = self.db.execute(
            f"SELECT {_COLUMNS}, content FROM documents WHERE id = ? AND withdrawn_at IS NULL",
            [document_id],
        ).fetchone()
        return _document(row[:-1], row[-1]) if row is not None else None


def _document(row: tuple, content: bytes | None = None) -> PublishedDocument:
    values = dict(zip(_COLUMNS.split(", "), row, strict=True))
    return PublishedDocument(**values, content=content or b"")
