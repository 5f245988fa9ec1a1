"""Subscribing in December: the campaign of this year is over when none of its dates lies
ahead, so the reminders are for the next one (and the subscriber is told when its dates are
set); a date still ahead this December keeps this year's."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.service import ChatService
from conversations.core import CommandEvent, UpdateProfile
from tests.driver import Clock

ADMIN, WUXI_ENT = 500, 11


@pytest.fixture
def clock():
    return Clock(2026, 12, 6, 10, 0)


@pytest.fixture
def service(tmp_path, clock):
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", admin_ids=[ADMIN])
    opened = ChatService.open(settings, clock=clock)
    opened.actor(WUXI_ENT, WUXI_ENT)
    opened.store.touch_user(WUXI_ENT, user_id=WUXI_ENT)
    opened.store.apply_effects(WUXI_ENT, [UpdateProfile(city="无锡", asked=True)])
    yield opened
    opened.close()


def said(service, chat: int, name: str, args: str = "") -> str:
    actor = service.actor(chat, chat)
    replies = service.handle(actor, CommandEvent(name=name, args=args)).replies
    return "\n".join(r.text for r in replies)


def test_in_december_with_nothing_ahead_reminders_are_for_next_year(service, clock):
    assert "2027年" in said(service, WUXI_ENT, "remind")
    assert service.store.subscription(WUXI_ENT, 2027) is not None
    assert service.store.subscription(WUXI_ENT, 2026) is None
    said(service, ADMIN, "calendar_set", "2027 submission 2027-06-30")  # set in the new year
    rows = service.store.db.execute(
        "SELECT year, kind, due_at FROM reminders WHERE chat_id = ? ORDER BY due_at", [WUXI_ENT]
    ).fetchall()
    assert ("2027", "published") in {(str(y), k) for y, k, _ in rows}  # told it is set
    assert any(k == "due" and due.startswith("2027-05-31") for _, k, due in rows)  # 30 days
    assert "2027年" in said(service, WUXI_ENT, "stop_reminders")
    assert service.store.subscription(WUXI_ENT, 2027) is None


def test_a_date_still_ahead_this_december_keeps_this_years_reminders(service):
    said(service, ADMIN, "calendar_set", "2026 summary 2026-12-20")
    assert "2026年" in said(service, WUXI_ENT, "remind")
    assert service.store.subscription(WUXI_ENT, 2026) is not None


def test_before_december_it_is_always_this_year(service, clock):
    clock.set(2026, 11, 30, 10, 0)
    said(service, WUXI_ENT, "remind")
    assert service.store.subscription(WUXI_ENT, 2026) is not None
