"""The SQLite store (sqlite-utils): one file, WAL mode, one module per table family.

The schema comes only from the ordered migrations of ``bot.store.migrations``. A chat turn runs
in one ``transaction()``: the new state, every effect's rows (and an organizer action's audit
row) commit together or not at all.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from bot.store.base import SECURE_DELETE, StoreError
from bot.store.broadcasts import BroadcastStore
from bot.store.contacts import ContactStore
from bot.store.documents import DocumentStore
from bot.store.handover import HandoverStore
from bot.store.mail import MailStore
from bot.store.migrations import migrations
from bot.store.people import NotAllowed, chat_channel
from bot.store.privacy import PrivacyStore
from bot.store.questions import QuestionStore
from bot.store.records import RecordStore
from bot.store.roster import RosterStore
from bot.store.signin import SigninStore
from bot.store.states import StateStore
from bot.store.users import UserStore
from conversations.core import (
    AuditExport,
    CreateBroadcast,
    CreateInvite,
    Effect,
    ForgetUser,
    ForwardQuestion,
    GrantOrganizer,
    RecordAreaSuggestion,
    RecordCheck,
    RecordUnanswered,
    RemoveCalendarDate,
    RequestMail,
    RevokeOrganizer,
    SetCalendarDate,
    StopMail,
    Subscribe,
    Unsubscribe,
    UpdateProfile,
    UseInvite,
    now_shanghai,
)

__all__ = [
    "NotAllowed",
    "Store",
    "StoreError",
    "chat_channel",
    "migrations",
]


class Store(
    SigninStore,
    DocumentStore,
    ContactStore,
    BroadcastStore,
    StateStore,
    UserStore,
    RecordStore,
    MailStore,
    RosterStore,
    PrivacyStore,
    QuestionStore,
    HandoverStore,
):
    """All persistent data of one bot; opened once at start-up, closed at shutdown.

    ``admin_ids``: the admins of the settings (``BIAOGAN_ADMIN_IDS``, Telegram user ids): the
    one place the admin list is kept; every permission is decided here (``bot.store.people``).
    """

    def __init__(
        self,
        path: Path,
        clock: Callable[[], datetime] = now_shanghai,
        admin_ids: Iterable[int] = (),
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.clock = clock
        self.admin_telegram_ids = frozenset(admin_ids)
        self.db = Database(path)
        self.db.enable_wal()
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=5000")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute(SECURE_DELETE)  # a forgotten row leaves no bytes behind
        migrations.apply(self.db)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """All or nothing (nested: a savepoint)."""
        with self.db.atomic():
            yield self
        self.wipe_wal()  # after a forget has committed (bot.store.base)

    def apply_effects(self, chat_id: int, effects: Iterable[Effect]) -> None:
        """Record what a flow asked to be recorded, all in one transaction."""
        with self.transaction():
            for effect in effects:
                self.apply(chat_id, effect)

    def apply(self, chat_id: int, effect: Effect) -> None:
        match effect:
            case RecordUnanswered():
                self.record_unanswered(chat_id, effect)
            case RecordCheck():
                self.record_check(chat_id, effect)
            case RecordAreaSuggestion():
                self.record_area(chat_id, effect)
            case UpdateProfile():
                self.update_profile(chat_id, effect)
                if effect.city is not None or effect.association is not None:
                    self.follow_profile(chat_id)  # its reminders follow its city's dates
            case GrantOrganizer():
                self.grant(_person(effect.by), self.telegram_person(effect.user_id), effect.scope)
            case RevokeOrganizer():
                found = self.destination("telegram", str(effect.user_id))
                self.require_admin(_person(effect.by))
                if found is not None and found["person_id"] is not None:
                    self.revoke(_person(effect.by), found["person_id"])
            case CreateInvite():
                by = _person(effect.by)
                self.create_invite(by, effect.token_hash, effect.scope, effect.expires_at)
            case UseInvite():
                self.use_invite(_person(effect.person_id), effect.token_hash)
            case CreateBroadcast():
                by = _person(effect.by)
                if self.require_scope(by, effect.segment) != effect.scope:
                    raise NotAllowed(f"person {by}'s scope changed")
                self.create_broadcast(by, chat_id, effect.segment, effect.text)
            case SetCalendarDate():
                self.set_calendar_date(_person(effect.by), effect.entry)
            case RemoveCalendarDate():
                by = _person(effect.by)
                self.remove_calendar_date(by, effect.year, effect.milestone, effect.scope)
            case AuditExport():
                self.audit_export(_person(effect.by), effect.detail)
            case Subscribe():
                self.subscribe(chat_id, effect.year, effect.offsets)
            case Unsubscribe():
                self.unsubscribe(chat_id, effect.year)
            case RequestMail():
                self.request_mail(chat_id, effect.person_id, effect.address, effect.year)
            case StopMail():
                owned = self.destination_of(effect.destination_id)
                mine = {a["id"] for a in self.mail_addresses(effect.person_id)}
                if owned is None or effect.destination_id not in mine:
                    raise NotAllowed(f"destination {effect.destination_id} is not the person's")
                self.unsubscribe_destination(effect.destination_id)
            case ForgetUser():
                self.forget(chat_id, effect.user_id)
            case ForwardQuestion():
                self.forward_question(chat_id, effect)
            case _:
                raise StoreError(f"no table records {type(effect).__name__}")

    def close(self) -> None:
        self.db.close()


def _person(by: int | None) -> int:
    """The acting person of an effect; an effect without one is refused."""
    if by is None:
        raise NotAllowed("an organizer action without a person")
    return by
