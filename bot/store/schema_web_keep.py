"""Migration ``m023_web_handover`` (registered in order by ``bot.store.migrations``): the codes
that move a web conversation to another browser ("在其他设备继续").

Only a code's SHA-256 is kept, with the chat it moves, when it was made, when it expires and
when it was used (a code works once). The ``chat_id`` column puts the rows under the store's
one forget (``bot.store.privacy``), like every table holding a chat."""

from __future__ import annotations

from sqlite_utils import Database


def m023_web_handover(db: Database) -> None:
    db["web_handover"].create(
        {"code_hash": str, "chat_id": int, "created": str, "expires": str, "used": str},
        pk="code_hash",
        not_null={"chat_id", "created", "expires"},
    )
    db["web_handover"].create_index(["chat_id"])
