"""The calendar organizers set, subscriptions, and the reminder rows they schedule.

Rows first, messages second: setting a date, subscribing or unsubscribing changes the reminder
rows in the same transaction (the sweep, ``bot.reminders``, sends them later). Due times are ISO
text in Asia/Shanghai (+08:00), so they compare as text; reminders go out at 09:00.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from bot.store.base import StoreBase
from conversations.calendar import DEFAULT_OFFSETS, REMIND_AT
from conversations.core import Actor, CalendarDate, YearCalendar

_AT = f"T{REMIND_AT.isoformat()}+08:00"

# Reminder rows of every active subscriber of :year (or only :chat) for milestone :milestone on
# :day, one per offset; a row that exists is moved (pending) or re-armed (cancelled), never a
# sent one. Only due times still ahead are scheduled.
_SCHEDULE = f"""
INSERT INTO reminders (chat_id, year, milestone, offset_days, kind, due_at, status, created_at)
SELECT s.chat_id, s.year, :milestone, o.value, 'due',
       date(:day, '-' || o.value || ' days') || '{_AT}', 'pending', :now
FROM subscriptions s, json_each(s.offsets) o
WHERE s.year = :year AND s.active = 1 AND (:chat IS NULL OR s.chat_id = :chat)
  AND date(:day, '-' || o.value || ' days') || '{_AT}' > :now
ON CONFLICT (chat_id, year, milestone, offset_days, kind) DO UPDATE
SET due_at = excluded.due_at, status = 'pending', retry_at = NULL, error = NULL
WHERE reminders.status IN ('pending', 'cancelled')
"""

# One notice row per active subscriber ("published" / "moved"), due now; a sent one is re-armed.
_NOTICE = """
INSERT INTO reminders (chat_id, year, milestone, offset_days, kind, due_at, status, created_at)
SELECT s.chat_id, s.year, :milestone, 0, :kind, :now, 'pending', :now
FROM subscriptions s
WHERE s.year = :year AND s.active = 1
  AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.chat_id = s.chat_id AND r.year = s.year
                  AND r.kind = 'published' AND r.status = 'pending')
ON CONFLICT (chat_id, year, milestone, offset_days, kind) DO UPDATE
SET due_at = excluded.due_at, status = 'pending', retry_at = NULL, error = NULL
"""


class CalendarPermissionError(PermissionError):
    """Someone who is not an admin tried to change the calendar."""


class CalendarStore(StoreBase):
    audit: Callable[..., None]  # OrganizerStore's: a calendar change is audited with it

    # ---- the calendar ------------------------------------------------------------------------

    def year_calendar(self, year: int) -> YearCalendar | None:
        rows = self.db.execute(
            "SELECT milestone, day, note FROM calendar WHERE year = ?", [year]
        ).fetchall()
        if not rows:
            return None
        dates = {
            m: CalendarDate(year=year, milestone=m, day=date.fromisoformat(d), note=n)
            for m, d, n in rows
        }
        return YearCalendar(year=year, dates=dates)

    def calendar_years(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT year FROM calendar ORDER BY year")]

    @staticmethod
    def _check_admin(actor: Actor) -> None:
        if not actor.is_admin:  # the flow checked too; the store does not take its word
            raise CalendarPermissionError(f"user {actor.user_id} may not change the calendar")

    def set_calendar_date(self, actor: Actor, entry: CalendarDate) -> str:
        """Set or move a milestone's date: "set", "moved" or "same". Subscribers get their
        reminders (re)scheduled, and one notice: the publication (the year's first date) or
        日期已调整 (a moved date)."""
        self._check_admin(actor)
        now = self.now_iso()
        with self.db.atomic():
            year_had_dates = self.db.execute(
                "SELECT count(*) FROM calendar WHERE year = ?", [entry.year]
            ).fetchone()[0]
            old = self.db.execute(
                "SELECT day FROM calendar WHERE year = ? AND milestone = ?",
                [entry.year, entry.milestone],
            ).fetchone()
            self.db.execute(
                "INSERT INTO calendar (year, milestone, day, note, set_by, set_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (year, milestone) DO UPDATE SET"
                " day = excluded.day, note = excluded.note, set_by = excluded.set_by,"
                " set_at = excluded.set_at",
                [
                    entry.year,
                    entry.milestone,
                    entry.day.isoformat(),
                    entry.note,
                    actor.user_id,
                    now,
                ],
            )
            if old is not None and old[0] == entry.day.isoformat():
                return "same"
            detail = {"year": entry.year, "milestone": entry.milestone, "day": str(entry.day)}
            if old is not None:
                detail["was"] = old[0]
            self.audit(actor.user_id, "calendar", actor.scope or "province", detail)
            params = {"year": entry.year, "milestone": entry.milestone, "now": now}
            self.db.execute(_SCHEDULE, {**params, "day": entry.day.isoformat(), "chat": None})
            # pending reminders the new date put in the past are not sent
            self.db.execute(
                "UPDATE reminders SET status = 'cancelled', error = 'date moved'"
                " WHERE year = :year AND milestone = :milestone AND kind = 'due'"
                " AND status = 'pending' AND due_at <= :now",
                params,
            )
            if not year_had_dates:
                self.db.execute(_NOTICE, {**params, "milestone": "calendar", "kind": "published"})
            elif old is not None:
                self.db.execute(_NOTICE, {**params, "kind": "moved"})
        return "moved" if old is not None else "set"

    def remove_calendar_date(self, actor: Actor, year: int, milestone: str) -> bool:
        """Remove a milestone's date; its unsent reminders are cancelled."""
        self._check_admin(actor)
        with self.db.atomic():
            gone = self.db.execute(
                "DELETE FROM calendar WHERE year = ? AND milestone = ?", [year, milestone]
            ).rowcount
            if gone:
                detail = {"year": year, "milestone": milestone, "removed": True}
                self.audit(actor.user_id, "calendar", actor.scope or "province", detail)
            self.db.execute(
                "UPDATE reminders SET status = 'cancelled', error = 'milestone removed'"
                " WHERE year = ? AND milestone = ? AND status = 'pending'",
                [year, milestone],
            )
        return bool(gone)

    # ---- subscriptions -------------------------------------------------------------------------

    def subscription(self, chat_id: int, year: int) -> list[int] | None:
        """The offsets of an active subscription, or None."""
        row = self.db.execute(
            "SELECT offsets FROM subscriptions WHERE chat_id = ? AND year = ? AND active = 1",
            [chat_id, year],
        ).fetchone()
        return json.loads(row[0]) if row else None

    def subscribe(self, chat_id: int, year: int, offsets: list[int] | None = None) -> list[int]:
        """Subscribe (or change the offsets); returns the offsets in force."""
        now = self.now_iso()
        with self.db.atomic():
            row = self.db.execute(
                "SELECT offsets FROM subscriptions WHERE chat_id = ? AND year = ?",
                [chat_id, year],
            ).fetchone()
            if offsets is None:
                offsets = json.loads(row[0]) if row else list(DEFAULT_OFFSETS)
            self.db.execute(
                "INSERT INTO subscriptions (chat_id, year, offsets, active, created_at,"
                " updated_at) VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (chat_id, year) DO UPDATE"
                " SET offsets = excluded.offsets, active = 1, updated_at = excluded.updated_at",
                [chat_id, year, json.dumps(offsets), now, now],
            )
            self.db.execute("DELETE FROM inactive_chats WHERE chat_id = ?", [chat_id])
            self.db.execute(
                "UPDATE reminders SET status = 'cancelled', error = 'offset dropped'"
                " WHERE chat_id = ? AND year = ? AND kind = 'due' AND status = 'pending'"
                " AND offset_days NOT IN (SELECT value FROM json_each(?))",
                [chat_id, year, json.dumps(offsets)],
            )
            for milestone, day in self.db.execute(
                "SELECT milestone, day FROM calendar WHERE year = ?", [year]
            ).fetchall():
                self.db.execute(
                    _SCHEDULE,
                    {"year": year, "milestone": milestone, "day": day, "chat": chat_id, "now": now},
                )
        return offsets

    def unsubscribe(self, chat_id: int, year: int) -> bool:
        """Stop reminders for ``year``: False when there was no active subscription."""
        with self.db.atomic():
            active = self.db.execute(
                "UPDATE subscriptions SET active = 0, updated_at = ?"
                " WHERE chat_id = ? AND year = ? AND active = 1",
                [self.now_iso(), chat_id, year],
            ).rowcount
            self.db.execute(
                "UPDATE reminders SET status = 'cancelled', error = 'unsubscribed'"
                " WHERE chat_id = ? AND year = ? AND status = 'pending'",
                [chat_id, year],
            )
        return bool(active)
