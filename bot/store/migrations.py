"""The schema, built only by these ordered, named migrations (applied at start-up).

Never edit a migration that has shipped: add the next one. ``tests/test_store.py`` checks the
migrated schema.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from bot.store.schema_later import LATER

migrations = Migrations("biaogan")


@migrations()
def m001_initial(db: Database) -> None:
    db["users"].create(
        {
            "chat_id": int,
            "user_id": int,
            "username": str,
            "first_name": str,
            "enterprise_name": str,
            "city": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk="chat_id",
    )
    db["states"].create({"chat_id": int, "state": str, "updated_at": str}, pk="chat_id")
    db["unanswered"].create({"id": int, "chat_id": int, "text": str, "at": str}, pk="id")
    db["checks"].create(
        {
            "id": int,
            "chat_id": int,
            "at": str,
            "answers": str,
            "verdict": str,
            "failing": str,
            "priority": int,
        },
        pk="id",
    )
    db["area_suggestions"].create(
        {"id": int, "chat_id": int, "at": str, "text": str, "ranked": str, "chosen": int},
        pk="id",
    )
    db["checks"].create_index(["chat_id"])
    db["area_suggestions"].create_index(["chat_id"])
    db["unanswered"].create_index(["at"])


@migrations()
def m002_profile_association(db: Database) -> None:
    """The profile's one home is ``users``: its provincial industry association joins it."""
    db["users"].add_column("association", str)
    db["users"].create_index(["city"])


@migrations()
def m003_calendar_subscriptions_reminders(db: Database) -> None:
    """The organizer-set calendar per year; subscriptions; reminder rows (an outbox: one row
    per chat × year × milestone × offset × kind, claimed, sent, marked); chats that blocked us;
    and whether the profile questions were asked once."""
    db["calendar"].create(
        {"year": int, "milestone": str, "day": str, "note": str, "set_by": int, "set_at": str},
        pk=("year", "milestone"),
    )
    db["subscriptions"].create(
        {
            "chat_id": int,
            "year": int,
            "offsets": str,  # JSON list of days before each milestone
            "active": int,
            "created_at": str,
            "updated_at": str,
        },
        pk=("chat_id", "year"),
    )
    db["reminders"].create(
        {
            "id": int,
            "chat_id": int,
            "year": int,
            "milestone": str,  # a milestone id; "calendar" for the publication notice
            "offset_days": int,
            "kind": str,  # due | published | moved
            "due_at": str,  # ISO, Asia/Shanghai (+08:00): compares as text
            "status": str,  # pending | sending | sent | skipped | cancelled | blocked | failed
            "retry_at": str,
            "claimed_by": str,
            "claimed_at": str,
            "attempts": int,
            "in_doubt": int,  # times found claimed but unmarked after a crash (then resent)
            "sent_at": str,
            "error": str,
            "created_at": str,
        },
        pk="id",
        defaults={"status": "pending", "attempts": 0, "in_doubt": 0},
        not_null={"chat_id", "year", "milestone", "offset_days", "kind", "due_at", "status"},
    )
    db["reminders"].create_index(
        ["chat_id", "year", "milestone", "offset_days", "kind"], unique=True
    )
    db["reminders"].create_index(["status", "due_at"])
    db["reminders"].create_index(["year", "milestone", "status"])
    db["subscriptions"].create_index(["year", "active"])
    db["inactive_chats"].create({"chat_id": int, "since": str, "reason": str}, pk="chat_id")
    db["users"].add_column("profile_asked", int)


@migrations()
def m010_web_sessions(db: Database) -> None:
    """The web chat: sessions (a cookie's hash -> a chat id in the web's own id range), the
    bounded transcript each session's page re-renders, and files replies carried (.ics)."""
    db["web_sessions"].create(
        {"chat_id": int, "token_hash": str, "created": str, "last_seen": str}, pk="chat_id"
    )
    db["web_sessions"].create_index(["token_hash"], unique=True)
    db["web_messages"].create(
        {
            "id": int,
            "chat_id": int,
            "at": str,
            "sender": str,  # "user" or "bot"
            "text": str,
            "buttons": str,  # JSON: [[{"label", "data"}]]
            "file_id": int,
        },
        pk="id",
    )
    db["web_messages"].create_index(["chat_id", "id"])
    db["web_files"].create(
        {"id": int, "chat_id": int, "name": str, "mime": str, "content": bytes}, pk="id"
    )
    db["web_files"].create_index(["chat_id"])


@migrations()
def m003_organizers_invites_audit(db: Database) -> None:
    """Organizers and their scope (a revoked one keeps its row, ``revoked_at`` set), one-time
    invites (only the token's hash), and the audit log of organizer actions."""
    db["organizers"].create(
        {
            "user_id": int,
            "scope": str,
            "granted_by": int,
            "granted_at": str,
            "revoked_by": int,
            "revoked_at": str,
        },
        pk="user_id",
    )
    db["invites"].create(
        {
            "token_hash": str,
            "scope": str,
            "created_by": int,
            "created_at": str,
            "expires_at": str,
            "used_by": int,
            "used_at": str,
        },
        pk="token_hash",
    )
    db["audit"].create(
        {"id": int, "at": str, "actor": int, "action": str, "scope": str, "detail": str},
        pk="id",
    )
    db["audit"].create_index(["at"])


@migrations()
def m004_broadcasts_deliveries(db: Database) -> None:
    """A broadcast and one delivery row per recipient (unique per broadcast × chat): rows first,
    messages second. ``deliveries`` is an outbox table (``bot.outbox``: status, due_at,
    retry_at, claimed_by/at, attempts, in_doubt, sent_at, error)."""
    db["broadcasts"].create(
        {
            "id": int,
            "by_user": int,
            "chat_id": int,  # where progress and the report go (None: from the CLI)
            "scope": str,  # the sender's scope
            "segment": str,  # all, city:<city>, assoc:<name>
            "text": str,  # exactly what recipients get
            "total": int,
            "state": str,  # sending, done
            "created_at": str,
            "finished_at": str,
            "progress_message_id": int,
        },
        pk="id",
    )
    db["deliveries"].create(
        {
            "id": int,
            "broadcast_id": int,
            "chat_id": int,
            "status": str,  # pending | sending | sent | blocked | failed
            "due_at": str,
            "retry_at": str,
            "claimed_by": str,
            "claimed_at": str,
            "attempts": int,
            "in_doubt": int,  # times found claimed but unmarked after a crash (then resent)
            "sent_at": str,
            "error": str,
        },
        pk="id",
        foreign_keys=[("broadcast_id", "broadcasts", "id")],
        defaults={"status": "pending", "attempts": 0, "in_doubt": 0},
        not_null={"broadcast_id", "chat_id", "status", "due_at"},
    )
    db["deliveries"].create_index(["broadcast_id", "chat_id"], unique=True)
    db["deliveries"].create_index(["status", "due_at"])
    db["deliveries"].create_index(["broadcast_id", "status"])


@migrations()
def m005_stats_indexes(db: Database) -> None:
    """/stats and /export read checks and area picks by period and the profile by association."""
    db["checks"].create_index(["at"])
    db["area_suggestions"].create_index(["at"])
    db["users"].create_index(["association"])


# Names never change; migrations run in the order registered here, not by name (m010 was written
# beside m003/m004). m012 and later live in modules of their own, registered at the end.

WEB_CEILING = -(2**53)  # web chat ids are below this (bot.web.sessions.WEB_ID_CEILING)


@migrations()
def m011_people_destinations(db: Database) -> None:
    """People with an id of our own, and their destinations (a Telegram chat, a web session,
    the console; e-mail next), each verified and active or not.

    Organizer roles, the audit log and every "who did it" column name people, no longer
    Telegram user ids; the command-line operator and the console chat are two people (both were
    id 0). Outbox rows (reminders, deliveries) and subscriptions point at a destination, and
    "inactive" (a chat that blocked us) is per destination: ``inactive_chats`` moves there."""
    now = db.execute("SELECT strftime('%Y-%m-%dT%H:%M:%S+08:00', 'now', '+8 hours')").fetchone()[0]
    db["people"].create(
        {"id": int, "kind": str, "name": str, "created_at": str},
        pk="id",
        not_null={"kind"},
    )
    db["destinations"].create(
        {
            "id": int,
            "person_id": int,  # None: a group chat (nobody's own)
            "channel": str,  # telegram | web | console | email
            "address": str,  # a chat id, a web chat id, an e-mail address
            "verified": int,
            "active": int,  # 0: the address is gone (a blocked bot, a hard bounce)
            "created_at": str,
            "inactive_since": str,
            "reason": str,
        },
        pk="id",
        not_null={"channel", "address"},
        defaults={"verified": 1, "active": 1},
    )
    db["destinations"].create_index(["channel", "address"], unique=True)
    db["destinations"].create_index(["person_id"])
    db["destinations"].create_index(["active"])

    def person(kind: str, name: str | None = None) -> int:
        cursor = db.execute(
            "INSERT INTO people (kind, name, created_at) VALUES (?, ?, ?)", [kind, name, now]
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def destination(channel: str, address: str, person_id: int | None) -> int:
        found = db.execute(
            "SELECT id FROM destinations WHERE channel = ? AND address = ?", [channel, address]
        ).fetchone()
        if found:
            return found[0]
        cursor = db.execute(
            "INSERT INTO destinations (person_id, channel, address, created_at)"
            " VALUES (?, ?, ?, ?)",
            [person_id, channel, address, now],
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    operator = person("operator", "命令行")
    telegram_people: dict[int, int] = {}

    def telegram_person(user_id: int) -> int:
        if user_id not in telegram_people:
            telegram_people[user_id] = person("person")
            destination("telegram", str(user_id), telegram_people[user_id])
        return telegram_people[user_id]

    # Everyone who acted or holds a role, then every chat's own person.
    acted = """
        SELECT user_id FROM organizers UNION SELECT granted_by FROM organizers
        UNION SELECT revoked_by FROM organizers UNION SELECT actor FROM audit
        UNION SELECT set_by FROM calendar UNION SELECT by_user FROM broadcasts
        UNION SELECT created_by FROM invites UNION SELECT used_by FROM invites"""
    for (user_id,) in db.execute(acted).fetchall():
        if user_id:  # 0 was the operator (and the console): never a Telegram user
            telegram_person(user_id)
    db["users"].add_column("person_id", int)
    chats = """
        SELECT chat_id FROM users UNION SELECT chat_id FROM subscriptions
        UNION SELECT chat_id FROM reminders UNION SELECT chat_id FROM deliveries
        UNION SELECT chat_id FROM inactive_chats UNION SELECT chat_id FROM web_sessions"""
    for (chat_id,) in db.execute(chats).fetchall():
        row = db.execute("SELECT user_id FROM users WHERE chat_id = ?", [chat_id]).fetchone()
        user_id = row[0] if row and row[0] is not None else chat_id
        if chat_id <= WEB_CEILING:
            owner = person("person")
            destination("web", str(chat_id), owner)
        elif chat_id == 0:
            owner = person("console", "控制台")
            destination("console", "0", owner)
        else:
            owner = telegram_person(user_id)
            destination("telegram", str(chat_id), owner if chat_id == user_id else None)
        db.execute("UPDATE users SET person_id = ? WHERE chat_id = ?", [owner, chat_id])
    db["users"].create_index(["person_id"])

    # Who did it: people, not Telegram ids (0, the operator, becomes the operator person).
    remap = (
        "UPDATE {table} SET {column} = CASE WHEN {column} = 0 THEN :operator ELSE"
        " (SELECT person_id FROM destinations WHERE channel = 'telegram'"
        " AND address = CAST({table}.{column} AS TEXT)) END WHERE {column} IS NOT NULL"
    )
    for table, column in [
        ("audit", "actor"), ("calendar", "set_by"), ("broadcasts", "by_user"),
        ("invites", "created_by"), ("invites", "used_by"), ("organizers", "granted_by"),
        ("organizers", "revoked_by"), ("organizers", "user_id"),
    ]:  # fmt: skip
        db.execute(remap.format(table=table, column=column), {"operator": operator})
    db["organizers"].transform(rename={"user_id": "person_id"}, pk="person_id")

    # Inactive is per destination.
    db.execute(
        "UPDATE destinations SET active = 0, inactive_since = i.since, reason = i.reason"
        " FROM inactive_chats i WHERE destinations.address = CAST(i.chat_id AS TEXT)"
        " AND destinations.channel = CASE WHEN i.chat_id <= ? THEN 'web'"
        " WHEN i.chat_id = 0 THEN 'console' ELSE 'telegram' END",
        [WEB_CEILING],
    )
    db["inactive_chats"].drop()

    # Outbox rows and subscriptions name their destination.
    chat_destination = (
        "(SELECT d.id FROM destinations d WHERE d.address = CAST({t}.chat_id AS TEXT)"
        " AND d.channel = CASE WHEN {t}.chat_id <= {web} THEN 'web'"
        " WHEN {t}.chat_id = 0 THEN 'console' ELSE 'telegram' END)"
    )
    for table in ("subscriptions", "reminders", "deliveries"):
        db[table].add_column("destination_id", int)
        db.execute(
            f"UPDATE {table} SET destination_id = "
            + chat_destination.format(t=table, web=WEB_CEILING)
        )
    for table in ("reminders", "deliveries"):  # each channel's worker claims its own rows
        db[table].add_column("channel", str)
        db.execute(
            f"UPDATE {table} SET channel = (SELECT channel FROM destinations d"
            f" WHERE d.id = {table}.destination_id)"
        )
        db[table].create_index(["status", "channel", "due_at"])
    db["subscriptions"].transform(pk=("destination_id", "year"), not_null={"destination_id"})
    db["subscriptions"].create_index(["chat_id"])
    # The old unique keys were per chat; a chat may now have more than one destination.
    for table, columns in (("reminders", "chat_id, year, milestone, offset_days, kind"),
                           ("deliveries", "broadcast_id, chat_id")):  # fmt: skip
        for index in db[table].indexes:
            if index.unique and ", ".join(index.columns) == columns:
                db.execute(f"DROP INDEX [{index.name}]")
    db["reminders"].transform(not_null={"destination_id"})
    db["reminders"].create_index(
        ["destination_id", "year", "milestone", "offset_days", "kind"], unique=True
    )
    db["reminders"].create_index(["chat_id"])
    db["deliveries"].transform(not_null={"destination_id"})
    db["deliveries"].create_index(["broadcast_id", "destination_id"], unique=True)
    db["broadcasts"].add_column("destination_id", int)  # where progress and the report go
    db.execute(
        "UPDATE broadcasts SET destination_id = "
        + chat_destination.format(t="broadcasts", web=WEB_CEILING)
        + " WHERE chat_id IS NOT NULL"
    )


for _later in LATER:
    migrations()(_later)
