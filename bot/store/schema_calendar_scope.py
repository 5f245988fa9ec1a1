"""Migration ``m020_calendar_scope`` (registered in order by ``bot.store.migrations``): each
organizer's own dates beside the province's.

- ``calendar.scope``: ``province`` (every row so far: the province's milestones), ``city:无锡``
  or ``assoc:<name>``; the key becomes (year, scope, milestone), so 无锡's 报送截止 and the
  province's 报送推荐材料 of one year live side by side.
- Reminder rows keep their unique key (destination × year × milestone × offset × kind): a
  scope's milestone is named ``<scope>/<milestone>`` there (``city:无锡/submission``); the
  province's keep their plain ids, so rows already queued go on as they were.
"""

from __future__ import annotations

from sqlite_utils import Database


def m020_calendar_scope(db: Database) -> None:
    db["calendar"].add_column("scope", str, not_null_default="province")
    db["calendar"].transform(pk=("year", "scope", "milestone"))
    db["calendar"].create_index(["scope", "year"])
