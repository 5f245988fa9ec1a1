"""Migration ``m012_mail`` (registered in order by ``bot.store.migrations``): e-mail as a
channel.

- ``mail_tokens``: confirmation links, by their SHA-256 only (the link itself is made when its
  mail is rendered and never stored), each for one destination, chat and year, with an expiry
  and the time it was used;
- ``messages``: an outbox table for one-off mails to one destination (a confirmation link);
  the same columns as ``reminders`` and ``deliveries``, so ``bot.outbox`` works through it;
- ``secrets``: the key that signs each address's unsubscribe/manage link (made once, random);
- unverified e-mail destinations: ``destinations.verified`` is 0 until the link is used.
"""

from __future__ import annotations

import secrets

from sqlite_utils import Database


def m012_mail(db: Database) -> None:
    db["mail_tokens"].create(
        {
            "id": int,
            "token_hash": str,
            "destination_id": int,
            "chat_id": int,  # the chat that asked (its profile decides the broadcasts' scope)
            "person_id": int,
            "year": int,
            "created_at": str,
            "expires_at": str,
            "used_at": str,
        },
        pk="id",
        not_null={"token_hash", "destination_id", "expires_at"},
    )
    db["mail_tokens"].create_index(["token_hash"], unique=True)
    db["mail_tokens"].create_index(["destination_id"])
    db["messages"].create(
        {
            "id": int,
            "destination_id": int,
            "channel": str,
            "chat_id": int,
            "kind": str,  # confirm
            "payload": str,  # JSON: what the mail needs (the year)
            "status": str,  # pending | sending | sent | blocked | failed | skipped
            "due_at": str,
            "retry_at": str,
            "claimed_by": str,
            "claimed_at": str,
            "attempts": int,
            "in_doubt": int,
            "sent_at": str,
            "error": str,
            "created_at": str,
        },
        pk="id",
        defaults={"status": "pending", "attempts": 0, "in_doubt": 0},
        not_null={"destination_id", "channel", "kind", "status", "due_at"},
    )
    db["messages"].create_index(["status", "channel", "due_at"])
    db["messages"].create_index(["destination_id"])
    db["secrets"].create({"name": str, "value": str}, pk="name")
    db["secrets"].insert({"name": "mail_links", "value": secrets.token_hex(32)})
