"""Roles through the service and a real SQLite file: grant, invite, revoke, refusals, audit."""

from datetime import datetime, timedelta

import pytest

from bot.config import Settings
from bot.service import ChatService
from bot.store import NotAllowed, Store
from conversations import texts
from conversations.core import SHANGHAI, CommandEvent, Context, TextEvent
from conversations.flows.broadcast import render

ADMIN, ORG, ENT = 900, 501, 1


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def service(kb, tmp_path, clock):
    settings = Settings(_env_file=None, data_dir=tmp_path, admin_ids=[ADMIN])
    store = Store(settings.db_path, clock=clock, admin_ids=settings.admin_ids)
    svc = ChatService(Context(kb=kb, clock=clock), store, settings)
    svc.ctx.bot_username = "biaogan_test_bot"
    yield svc
    svc.close()


def say(service, user, name, args=""):
    replies = service.handle(service.actor(user, user), CommandEvent(name=name, args=args)).replies
    return "\n".join(r.text for r in replies)


def test_admin_grants_by_user_id_and_the_actor_gets_the_scope(service):
    assert service.actor(ORG, ORG).role == "enterprise"
    assert "苏州市" in say(service, ADMIN, "grant", f"{ORG} city 苏州市")
    actor = service.actor(ORG, ORG)
    assert (actor.role, actor.scope) == ("organizer", "city:苏州")
    assert service.store.organizer(service.store.telegram_person(ORG)) == ("organizer", "city:苏州")
    say(service, ADMIN, "grant", "502 assoc 江苏省机械行业协会")
    say(service, ADMIN, "grant", "503 province")
    listing = say(service, ADMIN, "organizers")
    assert "501" in listing and "江苏省机械行业协会" in listing and "全省" in listing


@pytest.mark.parametrize("args", ["", "abc city 苏州", "501 city 上海", "501 planet", "501"])
def test_a_bad_grant_gets_the_usage_and_changes_nothing(service, args):
    assert "用法" in say(service, ADMIN, "grant", args)
    assert service.store.organizers() == []


@pytest.mark.parametrize("name", ["grant", "revoke", "invite", "organizers", "audit"])
def test_admin_commands_are_refused_to_everyone_else(service, name):
    say(service, ADMIN, "grant", f"{ORG} city 苏州")
    for user in (ENT, ORG):
        assert say(service, user, name, f"{ENT} province") == texts.ADMIN_ONLY
    assert service.store.organizer(service.store.telegram_person(ENT)) is None
    assert [row["action"] for row in service.store.recent_audit()] == ["grant"]


def test_the_store_refuses_a_write_by_someone_who_is_no_admin(service):
    store = service.store
    ent, seven = store.telegram_person(ENT), store.telegram_person(7)
    with pytest.raises(NotAllowed):
        store.grant(ent, seven, "province")
    with pytest.raises(NotAllowed):
        store.create_broadcast(ent, ENT, "all", "x")
    assert store.organizer(seven) is None


def test_revoke_takes_effect_at_the_next_turn_and_is_audited(service):
    say(service, ADMIN, "grant", f"{ORG} city 苏州")
    assert "苏州市" in say(service, ADMIN, "revoke", str(ORG))
    assert service.actor(ORG, ORG).role == "enterprise"
    assert say(service, ORG, "broadcast") == texts.ORG_ONLY
    assert "不是组织单位" in say(service, ADMIN, "revoke", str(ORG))
    actions = [(r["action"], r["who"], r["scope"]) for r in service.store.recent_audit()]
    assert actions == [("revoke", str(ADMIN), "city:苏州"), ("grant", str(ADMIN), "city:苏州")]


def invite_payload(text: str) -> str:
    return text.split("start=")[1].split()[0]


def test_an_invite_link_makes_an_organizer_once(service):
    text = say(service, ADMIN, "invite", "city 苏州")
    assert "https://t.me/biaogan_test_bot?start=inv_" in text
    payload = invite_payload(text)
    stored = service.store.db.execute("SELECT token_hash FROM invites").fetchone()[0]
    assert payload.removeprefix("inv_") not in stored  # only the hash is kept
    assert "苏州市" in say(service, ORG, "start", payload)
    assert service.actor(ORG, ORG).scope == "city:苏州"
    assert say(service, 777, "start", payload) == texts.ORG_INVITE_BAD
    assert service.actor(777, 777).role == "enterprise"
    actions = [r["action"] for r in service.store.recent_audit()]
    assert actions == ["invite_used", "invite"]


def test_an_expired_invite_is_refused(service, clock):
    payload = invite_payload(say(service, ADMIN, "invite", "province"))
    clock.now += timedelta(hours=49)
    assert say(service, ORG, "start", payload) == texts.ORG_INVITE_BAD
    assert service.store.organizer(service.store.telegram_person(ORG)) is None
    assert say(service, ORG, "start", "inv_forged") == texts.ORG_INVITE_BAD


def test_the_store_refuses_a_reused_invite_even_if_the_flow_let_it_through(service):
    payload = invite_payload(say(service, ADMIN, "invite", "province"))
    from conversations.flows.organizers import token_hash

    hashed = token_hash(payload.removeprefix("inv_"))
    service.store.use_invite(service.store.telegram_person(ORG), hashed)
    with pytest.raises(NotAllowed):
        service.store.use_invite(service.store.telegram_person(778), hashed)


def test_enterprise_cannot_broadcast_nor_list_broadcasts(service):
    assert say(service, ENT, "broadcast") == texts.ORG_ONLY
    assert say(service, ENT, "broadcasts") == texts.ORG_ONLY
    assert service.store.load_state(ENT).flow == "menu"


def test_audit_shows_who_what_scope_when(service):
    say(service, ADMIN, "grant", f"{ORG} city 苏州")
    text = say(service, ADMIN, "audit")
    assert "2026-12-01 10:00" in text and str(ADMIN) in text and "授权" in text
    assert "苏州市" in text


def test_cli_operator_is_an_admin_to_the_store(service):
    store = service.store
    store.grant(store.operator(), store.telegram_person(ORG), "assoc:江苏省机械行业协会")
    assert store.organizer(store.telegram_person(ORG)) == ("organizer", "assoc:江苏省机械行业协会")


def test_compose_text_is_taken_verbatim_not_read_as_navigation(service):
    say(service, ADMIN, "grant", f"{ORG} city 苏州")
    service.store.touch_user(5)
    service.store.subscribe(5, 2026)
    service.store.db.execute("UPDATE users SET city = '苏州' WHERE chat_id = 5")
    assert "苏州市 1 家企业" in say(service, ORG, "broadcast")
    notice = "帮助：怎么申请？请于6月30日前报送材料。"
    replies = service.handle(service.actor(ORG, ORG), TextEvent(text=notice)).replies
    assert replies[-1].text.startswith(render("city:苏州", notice) + "\n\n")
    assert "确认发送1份给苏州市" in [b.label for row in replies[-1].buttons for b in row]


def test_a_calendar_change_is_audited_in_its_transaction(service):
    from datetime import date

    from conversations.core import CalendarDate

    admin = service.actor(ADMIN, ADMIN).person_id
    entry = CalendarDate(year=2027, milestone="submission", day=date(2027, 6, 30))
    service.store.set_calendar_date(admin, entry)
    service.store.set_calendar_date(admin, entry)  # the same date again: nothing changed
    service.store.remove_calendar_date(admin, 2027, "submission")
    rows = service.store.recent_audit()
    assert [(r["action"], r["who"]) for r in rows] == [("calendar", str(ADMIN))] * 2
    assert "2027-06-30" in rows[1]["detail"] and "removed" in rows[0]["detail"]
    assert "修改日程" in say(service, ADMIN, "audit")
