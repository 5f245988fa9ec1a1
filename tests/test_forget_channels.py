"""One forget for every channel: the /forget flow's confirmation on Telegram, the web and the
console goes through the store's one path; afterwards no table holds the chat, its user or its
person. The console chat and the command-line operator are two people: forgetting the console
leaves the operator's audit rows alone. A forget on the web touches no Telegram command list."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.service import ChatService
from bot.store import Store
from bot.web.sessions import WebSessions
from conversations import texts
from conversations.core import CallbackEvent, CommandEvent, Context, TextEvent
from tests.driver import Clock


@pytest.fixture
def service(kb, tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path)
    clock = Clock(2027, 3, 1, 10, 0)
    store = Store(settings.db_path, clock=clock)
    svc = ChatService(Context(kb=kb, clock=clock), store, settings)
    yield svc
    svc.close()


def traces(store: Store, chat_id: int, user_id: int, person_id: int) -> dict[str, int]:
    """Rows left anywhere that name this chat, user or person."""
    ids = {"chat_id": chat_id, "user_id": user_id, "person_id": person_id}
    left = {}
    for table, columns in store.personal_tables().items():
        match = " OR ".join(f"{c} = ?" for c in columns)
        n = store.db.execute(
            f"SELECT count(*) FROM {table} WHERE {match}", [ids[c] for c in columns]
        ).fetchone()[0]
        if n:
            left[table] = n
    for table, column in (("people", "id"), ("destinations", "address")):
        value = person_id if column == "id" else str(chat_id)
        n = store.db.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", [value])
        if n := n.fetchone()[0]:
            left[table] = n
    return left


def use_everything(service: ChatService, actor) -> None:
    """A self-check answered, a question the notice does not answer, reminders."""
    service.handle(actor, CommandEvent(name="check"))
    service.handle(actor, TextEvent(text="食堂几点开门"))
    service.handle(actor, CommandEvent(name="remind"))


def forget(service: ChatService, actor):
    asked = service.handle(actor, CommandEvent(name="forget")).replies
    yes = next(
        b.data for r in asked for row in r.buttons for b in row if b.label == texts.FORGET_YES
    )
    return service.handle(actor, CallbackEvent(data=yes))


@pytest.mark.parametrize("channel", ["telegram", "web", "console"])
def test_forget_leaves_nothing_of_the_chat_on_every_channel(service, channel):
    store = service.store
    chat = {"telegram": 11, "web": -(2**53) - 7, "console": 0}[channel]
    if channel == "web":
        WebSessions(store.db, forget_chat=store.forget).create()  # another visitor, kept
        store.db["web_sessions"].insert(
            {"chat_id": chat, "token_hash": "h" * 64, "created": "x", "last_seen": "x"}
        )
    actor = service.actor(chat, chat, channel=channel)
    other = service.actor(12, 12)
    use_everything(service, actor)
    use_everything(service, other)
    assert traces(store, chat, chat, actor.person_id)  # there was something to forget
    store.grant(store.operator(), store.telegram_person(501), "city:苏州")  # an operator act
    turned = forget(service, actor)
    assert turned.forgotten and turned.replies[0].text.startswith(texts.FORGET_DONE)
    assert traces(store, chat, chat, actor.person_id) == {}
    assert traces(store, 12, 12, other.person_id)  # another chat's rows are kept
    # The operator's act keeps its author: the console chat was never the operator.
    assert [store.person_label(r["actor"]) for r in store.recent_audit()] == ["命令行"]
    # Only a Telegram forget refreshes a Telegram command list, and only its user's.
    assert turned.command_lists == (frozenset({chat}) if channel == "telegram" else frozenset())


def test_the_console_chat_and_the_operator_are_two_people(service):
    store = service.store
    console = service.actor(0, 0, channel="console")
    assert console.person_id != store.operator()
    assert console.role == "enterprise"  # the console chat is no admin
    assert store.role(store.operator()) == ("admin", "province")
