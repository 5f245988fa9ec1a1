"""One permission model, in the store: an actor forged to say "admin" gets nothing written.

Each organizer action is run through the real service with an ``Actor`` that claims the admin
role and the province for an enterprise's person — as a flow bug or a forged form would. The
flows let it through (they trust the actor for what they show); the store reads the person's
role from its own tables, refuses, and the turn is rolled back whole.
"""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.service import ChatService
from bot.store import NotAllowed, Store
from conversations import texts
from conversations.core import (
    Actor,
    AuditExport,
    CommandEvent,
    Context,
    CreateBroadcast,
    CreateInvite,
    GrantOrganizer,
    SetCalendarDate,
)
from tests.driver import Clock

ENT, ADMIN = 11, 900
WRITES = ("calendar", "organizers", "invites", "broadcasts", "deliveries", "audit")


@pytest.fixture
def service(kb, tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path, admin_ids=[ADMIN])
    clock = Clock(2027, 3, 1, 10, 0)
    store = Store(settings.db_path, clock=clock, admin_ids=settings.admin_ids)
    svc = ChatService(Context(kb=kb, clock=clock), store, settings)
    for chat in (12, 13):  # enterprises a broadcast could reach
        store.touch_user(chat, user_id=chat)
        store.subscribe(chat, 2027)
    yield svc
    svc.close()


def forged(service: ChatService) -> Actor:
    """An enterprise's own person, dressed up as an admin of the province."""
    real = service.actor(ENT, ENT)
    assert real.role == "enterprise"
    return real.model_copy(update={"role": "admin", "scope": "province"})


def written(store: Store) -> dict[str, int]:
    return {t: store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in WRITES}


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("calendar_set", "2027 submission 2027-06-30"),
        ("grant", "501 city 苏州"),
        ("invite", "city 苏州"),
        ("revoke", "501"),
        ("stats", ""),
        ("export", ""),
        ("unanswered", ""),
    ],
)
def test_a_forged_admin_command_is_refused_by_the_store_and_nothing_is_written(
    service, command, args
):
    store = service.store
    before = written(store)
    replies = service.handle(forged(service), CommandEvent(name=command, args=args)).replies
    assert written(store) == before
    assert store.role(store.telegram_person(501)) is None
    if command != "revoke":  # (revoke finds no organizer 501 and says so: nothing to do)
        assert [r.text for r in replies] == [texts.TURN_NOT_SAVED]
        assert all(r.file is None for r in replies)  # no chart, no CSV


def test_forged_effects_are_refused_one_by_one(service):
    from datetime import date

    from conversations.core import CalendarDate

    store, person = service.store, forged(service).person_id
    effects = [
        SetCalendarDate(by=person, entry=CalendarDate(year=2027, milestone="submission",
                                                      day=date(2027, 6, 30))),
        GrantOrganizer(by=person, user_id=501, scope="province"),
        CreateInvite(by=person, token_hash="x" * 64, scope="province", expires_at="2099"),
        CreateBroadcast(by=person, scope="province", segment="all", text="伪造的通知"),
        AuditExport(by=person, detail={"channel": "web", "rows": 2}),
        GrantOrganizer(by=None, user_id=501, scope="province"),  # no person at all
    ]  # fmt: skip
    before = written(store)
    for effect in effects:
        with pytest.raises(NotAllowed), store.transaction():
            store.apply(ENT, effect)
    assert written(store) == before


def test_the_same_commands_from_a_real_admin_are_carried_out(service):
    admin = service.actor(ADMIN, ADMIN)
    assert (admin.role, admin.scope) == ("admin", "province")
    say = lambda name, args="": service.handle(admin, CommandEvent(name=name, args=args))  # noqa: E731
    say("grant", "501 city 苏州")
    say("calendar_set", "2027 submission 2027-06-30")
    exported = service.handle(admin, CommandEvent(name="export")).replies
    assert service.store.role(service.store.telegram_person(501)) == ("organizer", "city:苏州")
    assert service.store.year_calendar(2027) is not None
    assert [r["action"] for r in service.store.recent_audit()] == ["export", "calendar", "grant"]
    assert exported[0].text != texts.TURN_NOT_SAVED
