"""m011 on a database in use: yesterday's rows (Telegram ids as people, a chat-keyed outbox,
``inactive_chats``) moved over, and the upgraded schema equal to a new one."""

from __future__ import annotations

from sqlite_utils import Database

from bot.store import Store, migrations

M011 = "m011_people_destinations"
WEB = -(2**53) - 5  # a web chat id
ADMIN, ORG, ENT = 900, 501, 11
AT = "2026-11-01T10:00:00+08:00"


def yesterdays_database(path) -> None:
    """A database as the previous release left it, with a little of everything."""
    db = Database(path)
    migrations.apply(db, stop_before=M011)
    db["users"].insert_all(
        [
            {"chat_id": ENT, "user_id": ENT, "city": "苏州"},
            {"chat_id": ORG, "user_id": ORG},
            {"chat_id": WEB, "user_id": WEB},
            {"chat_id": 0, "user_id": 0},  # the console chat
        ]
    )
    db["organizers"].insert({"user_id": ORG, "scope": "city:苏州", "granted_by": ADMIN})
    db["audit"].insert_all(
        [
            {"at": AT, "actor": ADMIN, "action": "grant", "scope": "city:苏州"},
            {"at": AT, "actor": 0, "action": "calendar", "scope": "province"},  # the CLI
        ]
    )
    db["calendar"].insert(
        {"year": 2027, "milestone": "submission", "day": "2027-06-30", "set_by": 0}
    )
    for chat in (ENT, WEB):
        db["subscriptions"].insert(
            {"chat_id": chat, "year": 2027, "offsets": "[30]", "active": 1, "created_at": AT}
        )
        db["reminders"].insert(
            {"chat_id": chat, "year": 2027, "milestone": "submission", "offset_days": 30,
             "kind": "due", "due_at": "2027-05-31T09:00:00+08:00"}
        )  # fmt: skip
    db["broadcasts"].insert(
        {"id": 1, "by_user": ORG, "chat_id": ORG, "scope": "city:苏州", "segment": "city:苏州",
         "text": "通知", "total": 1, "state": "sending", "created_at": AT}
    )  # fmt: skip
    db["deliveries"].insert({"broadcast_id": 1, "chat_id": ENT, "due_at": AT})
    db["inactive_chats"].insert({"chat_id": ENT, "since": AT, "reason": "blocked"})
    db.close()


def schema(db: Database) -> dict[str, tuple]:
    return {
        t.name: (
            tuple(sorted(t.columns_dict)),
            tuple(t.pks),
            tuple(sorted((tuple(i.columns), bool(i.unique)) for i in t.indexes)),
        )
        for t in db.tables
        if t.name != "_sqlite_migrations"
    }


def test_an_upgraded_database_has_the_schema_of_a_new_one(tmp_path):
    yesterdays_database(tmp_path / "old.db")
    upgraded = Store(tmp_path / "old.db")
    fresh = Store(tmp_path / "new.db")
    assert schema(upgraded.db) == schema(fresh.db)
    assert migrations.pending(upgraded.db) == []


def test_yesterdays_rows_are_moved_to_people_and_destinations(tmp_path):
    yesterdays_database(tmp_path / "old.db")
    store = Store(tmp_path / "old.db", admin_ids=[ADMIN])
    org, ent = store.telegram_person(ORG), store.telegram_person(ENT)
    # Roles follow the person: the organizer still is one, the admin is one by the settings.
    assert store.role(org) == ("organizer", "city:苏州")
    assert store.role(store.telegram_person(ADMIN)) == ("admin", "province")
    assert store.role(ent) is None
    # Who did it: the admin's person, and 0 — the CLI — is the operator, not the console chat.
    who = [store.person_label(row["actor"]) for row in store.recent_audit()]
    assert who == ["命令行", str(ADMIN)]
    console = store.person_of("console", "0", kind="console")
    assert console != store.operator()
    # Outbox rows and subscriptions name their destination; inactive is per destination.
    rows = store.db.execute(
        "SELECT r.chat_id, d.channel, d.address, d.active FROM reminders r"
        " JOIN destinations d ON d.id = r.destination_id ORDER BY r.chat_id"
    ).fetchall()
    assert rows == [(WEB, "web", str(WEB), 1), (ENT, "telegram", str(ENT), 0)]
    assert {r["channel"] for r in store.db["reminders"].rows} == {"web", "telegram"}
    delivery = store.db.execute("SELECT channel, destination_id FROM deliveries").fetchone()
    assert delivery == ("telegram", store.chat_destination(ENT))
    assert store.db.execute("SELECT destination_id FROM broadcasts").fetchone() == (
        store.chat_destination(ORG),
    )
    assert store.subscription(WEB, 2027) == [30]
    # The inactive chat is not claimed; the web chat's reminder is.
    from bot.outbox import Outbox

    outbox = Outbox(store.db, "reminders", clock=store.clock)
    assert outbox.next_due("telegram") is None
    assert outbox.next_due("web") == "2027-05-31T09:00:00+08:00"
    # Writing to the chat again makes it reachable again.
    store.touch_user(ENT, user_id=ENT)
    assert store.destination("telegram", str(ENT))["active"] == 1


# ---- m013: the web page as a push channel --------------------------------------------------

M013 = "m013_web_notices"


def test_m013_gives_web_messages_an_order_of_change_and_a_pushed_mark(tmp_path):
    """A transcript written before m013 carries over: nothing of it is new to its visitor, and
    what is written next follows it."""
    from bot.web.sessions import WebSessions

    db = Database(tmp_path / "old.db")
    migrations.apply(db, stop_before=M013)
    db["web_sessions"].insert({"chat_id": WEB, "token_hash": "h", "created": AT, "last_seen": AT})
    for text in ("问候", "订阅成功", "⏰ 提醒"):  # the last one came from the dispatcher
        db["web_messages"].insert(
            {"chat_id": WEB, "at": AT, "sender": "bot", "text": text, "buttons": "[]"}
        )
    db.close()
    store = Store(tmp_path / "old.db")
    columns = store.db["web_messages"].columns_dict
    assert columns["seq"] is int and columns["pushed"] is int
    assert store.db["web_sessions"].columns_dict["seen_seq"] is int
    assert (["chat_id", "seq"], False) in [(i.columns, bool(i.unique)) for i in
                                           store.db["web_messages"].indexes]  # fmt: skip
    sessions = WebSessions(store.db, forget_chat=store.forget)
    messages, seen = sessions.visit(WEB)
    assert [(m.text, m.seq, m.pushed) for m in messages] == [
        ("问候", 1, False), ("订阅成功", 2, False), ("⏰ 提醒", 3, False)
    ]  # fmt: skip
    assert seen == 3  # all of it counts as seen: none is shown as new
    notice = sessions.add(WEB, "bot", "全省通知")
    assert notice.seq == 4 and [m.text for m in sessions.since(WEB, 3)] == ["全省通知"]
