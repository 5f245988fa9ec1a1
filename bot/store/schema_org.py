"""Migration ``m014_org_console`` (registered in order by ``bot.store.migrations``): signing in
to the organizers' console without Telegram.

- ``signin_tokens``: one-time sign-in links (an invite's, or one asked for on the sign-in page),
  by their SHA-256 only — the link is made when its mail is rendered — each for one person and
  e-mail destination, with an expiry and the time it was used;
- ``org_sessions``: console sessions by the SHA-256 of their cookie, with the person, the last
  request (idle expiry), an absolute expiry and the time they were ended (sign-out).
An admin who signs in by e-mail is a person of kind ``admin`` (no schema change).
"""

from __future__ import annotations

from sqlite_utils import Database


def m014_org_console(db: Database) -> None:
    db["signin_tokens"].create(
        {
            "id": int,
            "token_hash": str,
            "person_id": int,
            "destination_id": int,
            "purpose": str,  # signin | invite
            "created_at": str,
            "expires_at": str,
            "used_at": str,
        },
        pk="id",
        not_null={"token_hash", "person_id", "expires_at"},
    )
    db["signin_tokens"].create_index(["token_hash"], unique=True)
    db["signin_tokens"].create_index(["person_id"])
    db["org_sessions"].create(
        {
            "id": int,
            "token_hash": str,
            "person_id": int,
            "created_at": str,
            "last_seen": str,
            "expires_at": str,
            "ended_at": str,
        },
        pk="id",
        not_null={"token_hash", "person_id", "created_at", "expires_at"},
    )
    db["org_sessions"].create_index(["token_hash"], unique=True)
    db["org_sessions"].create_index(["person_id"])
