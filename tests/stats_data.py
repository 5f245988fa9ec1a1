"""Enterprises written into a real store with a controlled clock, for the statistics tests and
the benchmark: profiles, self-checks, area picks and unanswered questions at chosen dates."""

from __future__ import annotations

import random
from datetime import datetime

from bot.store import Store
from conversations.core import (
    SHANGHAI,
    RecordAreaSuggestion,
    RecordCheck,
    RecordUnanswered,
    UpdateProfile,
)

CITIES = ["南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港"]
CITIES += ["淮安", "盐城", "扬州", "镇江", "泰州", "宿迁"]


class Clock:
    def __init__(self, when: datetime) -> None:
        self.when = when

    def __call__(self) -> datetime:
        return self.when

    def at(self, year: int, month: int, day: int, hour: int = 10) -> None:
        self.when = datetime(year, month, day, hour, tzinfo=SHANGHAI)


def enterprise(store: Store, clock: Clock, chat_id: int, when: tuple, **profile) -> None:
    """An enterprise that used the bot on ``when`` (y, m, d) and gave this profile."""
    clock.at(*when)
    store.touch_user(chat_id, user_id=chat_id, username=f"u{chat_id}", first_name="联系人")
    if profile:
        store.apply(chat_id, UpdateProfile(**profile))


def check(
    store: Store, clock: Clock, chat_id: int, when: tuple, verdict: str, failing=(), unsure=()
) -> None:
    clock.at(*when)
    record = RecordCheck(
        answers={"c1a": True},
        verdict=verdict,
        failing=list(failing),
        priority=False,
        unsure=list(unsure),
    )
    store.apply(chat_id, record)


def pick(store: Store, clock: Clock, chat_id: int, when: tuple, area: int) -> None:
    clock.at(*when)
    store.apply(chat_id, RecordAreaSuggestion(text="QC小组活动", ranked=[area, 3], chosen=area))


def ask(store: Store, clock: Clock, chat_id: int, when: tuple, text: str) -> None:
    clock.at(*when)
    store.apply(chat_id, RecordUnanswered(text=text))


def populate(store: Store, clock: Clock, n: int, year: int = 2026, seed: int = 7) -> None:
    """``n`` enterprises over the 13 cities, most with a check, some with an area pick."""
    rnd = random.Random(seed)
    with store.transaction():
        for chat_id in range(1, n + 1):
            when = (year, rnd.randint(1, 12), rnd.randint(1, 28))
            city = CITIES[chat_id % len(CITIES)]
            enterprise(store, clock, chat_id, when, enterprise_name=f"企业{chat_id}", city=city)
            for _ in range(rnd.choice((0, 1, 1, 2))):
                verdict = rnd.choice(("eligible", "not_eligible", "unsure"))
                failing = [rnd.choice(("c2", "c4", "c5"))] if verdict == "not_eligible" else []
                check(store, clock, chat_id, when, verdict, failing)
            if rnd.random() < 0.4:
                pick(store, clock, chat_id, when, rnd.randint(1, 10))
