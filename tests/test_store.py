import json
import sqlite3

from bot.store import Store, migrations
from conversations.core import (
    ChatState,
    RecordAreaSuggestion,
    RecordCheck,
    RecordUnanswered,
    UpdateProfile,
)


def test_migrated_schema(tmp_path):
    store = Store(tmp_path / "b.db")
    tables = set(store.db.table_names())
    assert {"users", "states", "unanswered", "checks", "area_suggestions"} <= tables
    assert store.db["users"].pks == ["chat_id"]
    assert {"enterprise_name", "city"} <= set(store.db["users"].columns_dict)
    assert migrations.pending(store.db) == []
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_applies_nothing_twice_and_keeps_data(tmp_path):
    path = tmp_path / "b.db"
    store = Store(path)
    store.save_state(7, ChatState(flow="check", step="c2", data={"c1a": True}))
    store.close()
    again = Store(path)
    names = [m.name for m in migrations.applied(again.db)]
    assert names and len(names) == len(set(names))
    assert again.load_state(7).data == {"c1a": True}
    assert again.load_state(7).step == "c2"


def test_unknown_chat_starts_at_the_menu(tmp_path):
    assert Store(tmp_path / "b.db").load_state(123) == ChatState()


def test_unreadable_state_starts_afresh_without_crashing(tmp_path):
    store = Store(tmp_path / "b.db")
    store.db["states"].insert({"chat_id": 5, "state": "{not json", "updated_at": "x"})
    assert store.load_state(5) == ChatState()


def test_effects_are_recorded(tmp_path):
    store = Store(tmp_path / "b.db")
    store.touch_user(9, user_id=99, username="qc", first_name="王")
    store.apply_effects(
        9,
        [
            RecordUnanswered(text="补贴多少钱"),
            RecordCheck(answers={"c1": True}, verdict="unsure", failing=[], priority=False),
            RecordAreaSuggestion(text="QC小组", ranked=[3, 2, 4], chosen=3),
            UpdateProfile(enterprise_name="苏州某某公司"),
        ],
    )
    assert [r["text"] for r in store.db["unanswered"].rows] == ["补贴多少钱"]
    check = next(store.db["checks"].rows)
    assert (check["verdict"], json.loads(check["answers"])) == ("unsure", {"c1": True})
    assert json.loads(next(store.db["area_suggestions"].rows)["ranked"]) == [3, 2, 4]
    user = store.user(9)
    assert (user["enterprise_name"], user["username"], user["first_name"]) == (
        "苏州某某公司",
        "qc",
        "王",
    )


def test_profile_update_for_an_unseen_chat_creates_the_user(tmp_path):
    store = Store(tmp_path / "b.db")
    store.apply_effects(4, [UpdateProfile(city="南京")])
    assert store.user(4)["city"] == "南京"


def test_state_survives_a_second_connection(tmp_path):
    """What one process wrote, another reads: the file is the source of truth."""
    path = tmp_path / "b.db"
    store = Store(path)
    store.save_state(1, ChatState(flow="area", step="describe"))
    store.apply_effects(1, [UpdateProfile(enterprise_name="甲公司")])
    raw = sqlite3.connect(path).execute("SELECT state FROM states WHERE chat_id = 1").fetchone()[0]
    assert ChatState.model_validate_json(raw).step == "describe"
    other = Store(path)
    assert other.profile(1).enterprise_name == "甲公司"


def test_calendar_and_reminder_tables_are_migrated_with_their_unique_key(tmp_path):
    store = Store(tmp_path / "b.db")
    assert {"calendar", "subscriptions", "reminders", "destinations", "people"} <= set(
        store.db.table_names()
    )
    assert "inactive_chats" not in store.db.table_names()  # inactive is per destination
    assert store.db["calendar"].pks == ["year", "scope", "milestone"]  # m020: per scope
    unique = [i.columns for i in store.db["reminders"].indexes if i.unique]
    assert unique == [["destination_id", "year", "milestone", "offset_days", "kind"]]
    assert ["status", "channel", "due_at"] in [i.columns for i in store.db["reminders"].indexes]
    assert "profile_asked" in store.db["users"].columns_dict


def test_the_profile_keeps_a_contact_for_follow_up_and_clears_it(tmp_path):
    store = Store(tmp_path / "b.db")
    store.apply_effects(
        3, [UpdateProfile(city="苏州", contact_person="王经理", contact="0512-12345678")]
    )
    profile = store.profile(3)
    assert (profile.contact_person, profile.contact) == ("王经理", "0512-12345678")
    store.apply_effects(3, [UpdateProfile(contact="")])  # cleared; the person left as it is
    profile = store.profile(3)
    assert (profile.city, profile.contact_person, profile.contact) == ("苏州", "王经理", "")


def test_the_associations_offered_are_those_of_active_organizers(tmp_path):
    store = Store(tmp_path / "b.db")
    admin = store.operator()
    for user_id, scope in (
        (501, "assoc:江苏省纺织工业协会"),
        (502, "assoc:江苏省机械行业协会"),
        (503, "assoc:江苏省机械行业协会"),  # two organizers, one association
        (504, "city:苏州"),
        (505, "assoc:江苏省电子信息行业协会"),
    ):
        store.grant(admin, store.telegram_person(user_id), scope)
    store.revoke(admin, store.telegram_person(505))
    assert store.associations() == ["江苏省机械行业协会", "江苏省纺织工业协会"]


def test_free_text_kept_as_an_association_is_cleared_by_m018(tmp_path):
    from sqlite_utils import Database

    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m018_profile_contact")
    db["users"].insert_all(
        [
            {"chat_id": 1, "city": "苏州", "association": "不知道 我们是做机械的"},
            {"chat_id": 2, "city": "无锡", "association": "江苏省机械行业协会"},
            {"chat_id": 3, "city": "南京", "association": "机械"},
            {"chat_id": 4, "city": "南通", "association": ""},
            {"chat_id": 5, "enterprise_name": "戊公司", "association": None},
        ]
    )
    db.close()
    store = Store(path)
    kept = {r["chat_id"]: r["association"] for r in store.db["users"].rows}
    assert kept == {1: None, 2: "江苏省机械行业协会", 3: None, 4: "", 5: None}
    assert store.profile(1).city == "苏州"  # nothing else of the row changes
    assert {"contact_person", "contact"} <= set(store.db["users"].columns_dict)
