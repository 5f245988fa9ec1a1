"""Migration ``m019_heartbeat`` (registered in order by ``bot.store.migrations``): a row the
health check (``GET /healthz``) writes and commits, proving the database takes writes."""

from __future__ import annotations

from sqlite_utils import Database


def m019_heartbeat(db: Database) -> None:
    db["heartbeat"].create({"name": str, "at": str}, pk="name")
