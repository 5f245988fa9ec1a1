"""The calendar organizers set, subscriptions, and the reminder rows they schedule.

Rows first, messages second: setting a date, subscribing or unsubscribing changes the reminder
rows in the same transaction (the sweep, ``bot.reminders``, sends them later). Due times are ISO
text in Asia/Shanghai (+08:00), so they compare as text; reminders go out at 09:00.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from bot.store.people import PeopleStore
from conversations.calendar import DEFAULT_OFFSETS, REMIND_AT
from conversations.core import CalendarDate, YearCalendar

_AT = f"T{REMIND_AT.isoformat()}+08:00"

# Reminder rows of every active subscription of :year (or only destination :dest) for
# milestone :milestone on :day, one per offset; a row that exists is moved (pending) or
# re-armed (cancelled), never a
# sent one. Only due times still ahead are scheduled.
_SCHEDULE = f"""
INSERT INTO reminders (chat_id, destination_id, channel, year, milestone, offset_days, kind,
                       due_at, status, created_at)
SELECT s.chat_id, s.destination_id, d.channel, s.year, :milestone, o.value, 'due',
       date(:day, '-' || o.value || ' days') || '{_AT}', 'pending', :now
FROM subscriptions s JOIN destinations d ON d.id = s.destination_id, json_each(s.offsets) o
WHERE s.year = :year AND s.active = 1 AND (:dest IS NULL OR s.destination_id = :dest)
  AND date(:day, '-' || o.value || ' days') || '{_AT}' > :now
ON CONFLICT (destination_id, year, milestone, offset_days, kind) DO UPDATE
SET due_at = excluded.due_at, status = 'pending', retry_at = NULL, error = NULL
WHERE reminders.status IN ('pending', 'cancelled')
"""

# One notice row per active subscriber ("published" / "moved"), due now; a sent one is re-armed.
_NOTICE = """
INSERT INTO reminders (chat_id, destination_id, channel, year, milestone, offset_days, kind,
                       due_at, status, created_at)
SELECT s.chat_id, s.destination_id, d.channel, s.year, :milestone, 0, :kind, :now, 'pending', :now
FROM subscriptions s JOIN destinations d ON d.id = s.destination_id
WHERE s.year = :year AND s.active = 1
  AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.destination_id = s.destination_id
                  AND r.year = s.year AND r.kind = 'published' AND r.status = 'pending')
ON CONFLICT (destination_id, year, milestone, offset_days, kind) DO UPDATE
SET due_at = excluded.due_at, status = 'pending', retry_at = NULL, error = NULL
"""


class CalendarStore(PeopleStore):
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

    def set_calendar_date(self, by: int, entry: CalendarDate) -> str:
        """Set or move a milestone's date: "set", "moved" or "same". Subscribers get their
        reminders (re)scheduled, and one notice: the publication (the year's first date) or
        日期已调整 (a moved date)."""
        self.require_admin(by)  # the flow checked too; the store does not take its word
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
                    by,
                    now,
                ],
            )
            if old is not None and old[0] == entry.day.isoformat():
                return "same"
            detail = {"year": entry.year, "milestone": entry.milestone, "day": str(entry.day)}
            if old is not None:
                detail["was"] = old[0]
            self.audit(by, "calendar", "province", detail)
            params = {"year": entry.year, "milestone": entry.milestone, "now": now}
            self.db.execute(_SCHEDULE, {**params, "day": entry.day.isoformat(), "dest": None})
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

    def remove_calendar_date(self, by: int, year: int, milestone: str) -> bool:
        """Remove a milestone's date; its unsent reminders are cancelled."""
        self.require_admin(by)
        with self.db.atomic():
            gone = self.db.execute(
                "DELETE FROM calendar WHERE year = ? AND milestone = ?", [year, milestone]
            ).rowcount
            if gone:
                detail = {"year": year, "milestone": milestone, "removed": True}
                self.audit(by, "calendar", "province", detail)
            self.db.execute(
                "UPDATE reminders SET status = 'cancelled', error = 'milestone removed'"
                " WHERE year = ? AND milestone = ? AND status = 'pending'",
                [year, milestone],
            )
        return bool(gone)

    # ---- subscriptions -------------------------------------------------------------------------

    def subscription(self, chat_id: int, year: int) -> list[int] | None:
        """The offsets of the chat's active subscription, or None."""
        row = self.db.execute(
            "SELECT offsets FROM subscriptions WHERE chat_id = ? AND year = ? AND active = 1"
            " ORDER BY updated_at DESC LIMIT 1",
            [chat_id, year],
        ).fetchone()
        return json.loads(row[0]) if row else None

    def subscribe(
        self,
        chat_id: int,
        year: int,
        offsets: list[int] | None = None,
        *,
        destination_id: int | None = None,
    ) -> list[int]:
        """Subscribe a destination (by default the chat's own) or change its offsets; returns
        the offsets in force."""
        now = self.now_iso()
        with self.db.atomic():
            dest = destination_id if destination_id is not None else self.chat_destination(chat_id)
            row = self.db.execute(
                "SELECT offsets FROM subscriptions WHERE destination_id = ? AND year = ?",
                [dest, year],
            ).fetchone()
            if offsets is None:
                offsets = json.loads(row[0]) if row else list(DEFAULT_OFFSETS)
            self.db.execute(
                "INSERT INTO subscriptions (destination_id, chat_id, year, offsets, active,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)"
                " ON CONFLICT (destination_id, year) DO UPDATE SET offsets = excluded.offsets,"
                " active = 1, updated_at = excluded.updated_at",
                [dest, chat_id, year, json.dumps(offsets), now, now],
            )
            self.db.execute(
                "UPDATE destinations SET active = 1, inactive_since = NULL, reason = NULL"
                " WHERE id = ? AND active = 0",
                [dest],
            )
            self.db.execute(
                "UPDATE reminders SET status = 'cancelled', error = 'offset dropped'"
                " WHERE destination_id = ? AND year = ? AND kind = 'due' AND status = 'pending'"
                " AND offset_days NOT IN (SELECT value FROM json_each(?))",
                [dest, year, json.dumps(offsets)],
            )
            for milestone, day in self.db.execute(
                "SELECT milestone, day FROM calendar WHERE year = ?", [year]
            ).fetchall():
                self.db.execute(
                    _SCHEDULE,
                    {"year": year, "milestone": milestone, "day": day, "dest": dest, "now": now},
                )
        return offsets

    def unsubscribe(self, chat_id: int, year: int) -> bool:
        """Stop the chat's reminders for ``year``: False when there was no active
        subscription."""
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
