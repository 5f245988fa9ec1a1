"""/privacy says what is kept; /forget deletes every row about the user, in every table that
holds a chat or user id — found from the schema, so a table added later is covered too."""

from __future__ import annotations

import sqlite3

import pytest

from bot.service import ChatService
from bot.store import Store
from bot.store.privacy import PERSON_REFERENCES
from conversations import texts
from conversations.core import Actor, CallbackEvent, CommandEvent, Context, TextEvent
from tests.driver import Chat
from tests.stats_data import Clock, ask, check, enterprise, pick

ME, OTHER = 11, 12


def filler(column) -> object:
    kind = (column.type or "").upper()
    if "INT" in kind:
        return 1
    if "REAL" in kind or "FLOA" in kind:
        return 1.0
    return "x"


def row_for(store: Store, table: str, person: int) -> dict:
    """A row for ``table`` with ``person`` in every column naming a person, plausible values
    elsewhere (a text key made unique per person)."""
    people = {"chat_id", "user_id", "person_id", "destination_id"}
    people |= set(PERSON_REFERENCES.get(table, ()))
    row = {}
    for column in store.db[table].columns:
        if column.name in people:
            row[column.name] = person
        elif column.is_pk and "INT" in (column.type or "").upper():
            continue
        elif column.is_pk:
            row[column.name] = f"{table}-{person}"
        else:
            value = filler(column)  # text varied per person: a unique text key (a token hash)
            row[column.name] = f"{column.name}-{person}" if value == "x" else value
    return row


def person_columns(store: Store) -> dict[str, list[str]]:
    found = {t: list(c) for t, c in store.personal_tables().items()}
    for table, columns in PERSON_REFERENCES.items():
        if store.db[table].exists():
            found.setdefault(table, []).extend(columns)
    return found


def test_every_table_with_a_chat_or_user_id_is_forgotten(tmp_path):
    store = Store(tmp_path / "b.db")
    tables = person_columns(store)
    assert {"users", "states", "checks", "area_suggestions", "unanswered"} <= set(tables)
    assert {"organizers", "broadcasts", "deliveries", "audit", "invites"} <= set(tables)
    assert {"destinations"} <= set(tables)  # a person's contact points
    with store.transaction():
        store.db.execute("PRAGMA defer_foreign_keys = ON")
        for table in tables:
            for person in (ME, OTHER):
                try:
                    store.db[table].insert(row_for(store, table, person))
                except sqlite3.IntegrityError as exc:  # a unique key: vary the filler
                    pytest.fail(f"cannot seed {table}: {exc}")
    store.forget(ME, ME)
    for table, columns in tables.items():
        for column in columns:
            left = store.db.execute(
                f"SELECT count(*) FROM {table} WHERE {column} = ?", [ME]
            ).fetchone()[0]
            assert left == 0, f"{table}.{column} still holds the forgotten user"
            kept = store.db.execute(
                f"SELECT count(*) FROM {table} WHERE {column} = ?", [OTHER]
            ).fetchone()[0]
            assert kept == 1, f"{table}.{column}: another user's row was touched"


def test_a_table_added_later_is_covered_without_changing_forget(tmp_path):
    store = Store(tmp_path / "b.db")
    store.db["future_feature"].create({"id": int, "chat_id": int, "note": str}, pk="id")
    store.db["future_feature"].insert_all([{"chat_id": ME, "note": "a"}, {"chat_id": OTHER}])
    assert store.forget(ME)["future_feature"] == 1
    assert [r["chat_id"] for r in store.db["future_feature"].rows] == [OTHER]


def test_forget_confirmed_in_the_chat_deletes_everything_in_one_turn(tmp_path, kb):
    clock = Clock(None)
    clock.at(2026, 5, 1)
    store = Store(tmp_path / "b.db", clock=clock)
    enterprise(store, clock, ME, (2026, 5, 1), enterprise_name="甲公司", city="苏州")
    check(store, clock, ME, (2026, 5, 1), "eligible")
    pick(store, clock, ME, (2026, 5, 1), 3)
    ask(store, clock, ME, (2026, 5, 1), "火星上能种土豆吗")
    enterprise(store, clock, OTHER, (2026, 5, 1), enterprise_name="乙公司")
    service = ChatService(Context(kb=kb, clock=clock), store)
    me = Actor(user_id=ME, chat_id=ME)
    asked = service.handle(me, CommandEvent(name="forget")).replies
    assert asked[0].text == texts.FORGET_ASK
    assert store.user(ME)["enterprise_name"] == "甲公司"  # nothing deleted before the yes
    yes = next(b.data for row in asked[0].buttons for b in row if b.label == texts.FORGET_YES)
    done = service.handle(me, CallbackEvent(data=yes)).replies
    assert done[0].text.startswith(texts.FORGET_DONE)
    for table in ("users", "states", "checks", "area_suggestions", "unanswered"):
        assert (
            store.db.execute(f"SELECT count(*) FROM {table} WHERE chat_id = ?", [ME]).fetchone()[0]
            == 0
        ), table
    assert store.user(OTHER)["enterprise_name"] == "乙公司"
    service.handle(me, TextEvent(text="你好"))  # using the bot again starts a fresh record
    assert store.user(ME) is not None and store.user(ME)["enterprise_name"] is None


def test_no_keeps_everything_and_privacy_says_what_is_kept(ctx):
    chat = Chat(ctx)
    chat.command("privacy")
    for word in ("企业名称", "资格自测", "没能回答", "订阅", "/forget", "删除为止", "不会自动"):
        assert word in chat.text, word
    chat.press(texts.FORGET_BUTTON)
    assert chat.text == texts.FORGET_ASK
    out = chat.press(texts.FORGET_NO)
    assert out.effects == [] and texts.FORGET_KEPT in chat.text


def test_a_stale_yes_button_deletes_nothing(ctx):
    chat = Chat(ctx)
    chat.command("forget")
    yes = next(b for b in chat.buttons if b.startswith("x:yes"))
    chat.command("menu")
    out = chat.tap(yes)
    assert out.effects == []


def test_privacy_says_the_contact_for_follow_up_is_kept_and_who_sees_it(ctx):
    chat = Chat(ctx)
    chat.command("privacy")
    for words in ("联系人和联系电话或邮箱", "跟进申报", "看到并导出", "其他城市和协会看不到",
                  "/profile 修改或删除"):  # fmt: skip
        assert words in chat.text, words


def test_forget_deletes_the_contact_for_follow_up_everywhere(tmp_path, kb):
    clock = Clock(None)
    clock.at(2026, 5, 1)
    store = Store(tmp_path / "b.db", clock=clock)
    enterprise(store, clock, ME, (2026, 5, 1), enterprise_name="甲公司", city="苏州",
               association="江苏省机械行业协会", contact_person="王经理",
               contact="wang@jia.example.cn")  # fmt: skip
    enterprise(store, clock, OTHER, (2026, 5, 1), city="苏州", contact_person="李经理",
               contact="13812345678")  # fmt: skip
    service = ChatService(Context(kb=kb, clock=clock), store)
    me = Actor(user_id=ME, chat_id=ME)
    asked = service.handle(me, CommandEvent(name="forget")).replies
    yes = next(b.data for row in asked[0].buttons for b in row if b.label == texts.FORGET_YES)
    service.handle(me, CallbackEvent(data=yes))

    def found(value: str) -> list[str]:
        return [
            f"{table}.{column.name}"
            for table in store.db.table_names()
            for column in store.db[table].columns
            if store.db.execute(
                f"SELECT count(*) FROM [{table}] WHERE CAST([{column.name}] AS TEXT) LIKE ?",
                [f"%{value}%"],
            ).fetchone()[0]
        ]

    assert found("王经理") == [] and found("wang@jia.example.cn") == []
    other = store.profile(OTHER)
    assert (other.contact_person, other.contact) == ("李经理", "13812345678")


@pytest.mark.parametrize(
    ("channel", "says", "not_said"),
    [
        ("telegram", "Telegram 用户 ID", "终端对话"),
        ("console", "这个终端对话的编号", "Telegram 用户 ID"),
        ("web", "180 天", "Telegram 用户 ID"),
    ],
)
def test_privacy_says_what_is_kept_in_the_words_of_the_channel_asking(kb, channel, says, not_said):
    from conversations.flows.privacy import privacy_reply

    text = privacy_reply(Context(kb=kb), channel).text
    assert says in text and not_said not in text
