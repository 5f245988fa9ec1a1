"""``m013_web_notices``: the web page as a push channel (registered in ``migrations.py``, after
every migration before it; its body lives here because that file is full).

- ``web_messages.seq``: per chat, bumped each time a message is written or replaced; the page's
  poll asks for what changed after the last ``seq`` it has (a broadcast's progress message is
  replaced in place, so a message id alone would miss it).
- ``web_messages.pushed``: 1 when the dispatcher's web transport wrote it (a reminder, a
  broadcast delivery, a broadcast's progress), 0 for a turn's own messages.
- ``web_sessions.seen_seq``: the highest ``seq`` the visitor's page has been handed (by loading
  the page or by a poll); pushed messages past it are new on the next visit.

Rows written before it count as seen and as replies: nothing old is shown as new.
"""

from __future__ import annotations

from sqlite_utils import Database


def m013_web_notices(db: Database) -> None:
    """Web messages get ``seq`` and ``pushed``; web sessions ``seen_seq``."""
    db["web_messages"].add_column("seq", int)
    db["web_messages"].add_column("pushed", int, not_null_default=0)
    db.execute("UPDATE web_messages SET seq = id")  # ids grow, within a chat too
    db["web_messages"].create_index(["chat_id", "seq"])
    db["web_sessions"].add_column("seen_seq", int, not_null_default=0)
    db.execute(
        "UPDATE web_sessions SET seen_seq = (SELECT IFNULL(MAX(m.seq), 0) FROM web_messages m"
        " WHERE m.chat_id = web_sessions.chat_id)"
    )
