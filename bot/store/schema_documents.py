"""Migration ``m017_documents`` (registered in order by ``bot.store.migrations``): the files each
organizer publishes for its scope (issue 19, 3).

``documents``: one row per published file — its scope (``province``, ``city:苏州``,
``assoc:<name>``), the year it is for, its kind (``form`` 申报表, ``requirements``, ``notice``,
``other``), title, the unit it is published as (苏州市经信委), file name, MIME type (from the
content, checked at upload: ``bot.uploads``), size, SHA-256 and the bytes themselves; who
uploaded it and when, and who withdrew it and when. A withdrawn file keeps its row (and hash)
for the record, not its bytes. Enterprises read a scope's files newest first.
"""

from __future__ import annotations

from sqlite_utils import Database


def m017_documents(db: Database) -> None:
    db["documents"].create(
        {
            "id": int,
            "scope": str,
            "year": int,
            "kind": str,
            "title": str,
            "publisher": str,
            "filename": str,
            "mime": str,
            "size": int,
            "sha256": str,
            "content": bytes,
            "uploaded_by": int,  # a person (blanked when that person is forgotten)
            "uploaded_at": str,
            "withdrawn_by": int,
            "withdrawn_at": str,
        },
        pk="id",
        not_null={"scope", "year", "kind", "title", "filename", "mime", "size", "sha256"},
    )
    db["documents"].create_index(["scope", "withdrawn_at", "year"])
