"""The calendar organizers set, subscriptions, and the reminder rows they schedule.

Rows first, messages second: setting a date, subscribing or unsubscribing changes the reminder
rows in the same transaction (the sweep, ``bot.reminders``, sends them later). Due times are ISO
text in Asia/Shanghai (+08:00), so they compare as text; reminders go out at 09:00.

Dates per scope: the province's milestones (``scope = 'province'``) reach every subscriber; a
city's or an association's own dates (``city:无锡``…) reach the subscribers whose profile falls
in that scope, under the milestone name ``<scope>/<milestone>`` in ``reminders``. Who may set
which scope's dates is decided here, from the person's role in the store: an organizer its own
scope, the province (admins, province organizers) the province and any scope.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from bot.store.people import NotAllowed, PeopleStore
from conversations import scopes
from conversations.calendar import DEFAULT_OFFSETS, REMIND_AT, reminder_key, split_key
from conversations.core import CalendarDate, YearCalendar

PROVINCE = scopes.PROVINCE

_AT = f"T{REMIND_AT.isoformat()}+08:00"

# The subscriber's profile falls in :scope (:scope_kind, :name): the province's reach everyone.
_IN_SCOPE = """(:scope = 'province'
  OR (:scope_kind = 'city' AND u.city IN (:name, :name || '市'))
  OR (:scope_kind = 'assoc' AND u.association = :name))"""

# Reminder rows of every active subscription of :year in :scope (or only destination :dest)
# for milestone :milestone (its reminder key) on :day, one per offset; a row that exists is
# moved (pending) or re-armed (cancelled), never a sent one. Only due times still ahead are
# scheduled.
_SCHEDULE = f"""
INSERT INTO reminders (chat_id, destination_id, channel, year, milestone, offset_days, kind,
                       due_at, status, created_at)
SELECT s.chat_id, s.destination_id, d.channel, s.year, :milestone, o.value, 'due',
       date(:day, '-' || o.value || ' days') || '{_AT}', 'pending', :now
FROM subscriptions s JOIN destinations d ON d.id = s.destination_id
  LEFT JOIN users u ON u.chat_id = s.chat_id JOIN json_each(s.offsets) o
WHERE s.year = :year AND s.active = 1 AND (:dest IS NULL OR s.destination_id = :dest)
  AND {_IN_SCOPE}
  AND date(:day, '-' || o.value || ' days') || '{_AT}' > :now
ON CONFLICT (destination_id, year, milestone, offset_days, kind) DO UPDATE
SET due_at = excluded.due_at, status = 'pending', retry_at = NULL, error = NULL
WHERE reminders.status IN ('pending', 'cancelled')
"""

# One notice row per active subscriber in :scope ("published", "set", "moved"), due now; a
# sent one is re-armed. A province's date moved while its publication waits: the publication
# says it.
_NOTICE = f"""
INSERT INTO reminders (chat_id, destination_id, channel, year, milestone, offset_days, kind,
                       due_at, status, created_at)
SELECT s.chat_id, s.destination_id, d.channel, s.year, :milestone, 0, :kind, :now, 'pending', :now
FROM subscriptions s JOIN destinations d ON d.id = s.destination_id
  LEFT JOIN users u ON u.chat_id = s.chat_id
WHERE s.year = :year AND s.active = 1 AND {_IN_SCOPE}
  AND (:scope != 'province'
       OR NOT EXISTS (SELECT 1 FROM reminders r WHERE r.destination_id = s.destination_id
                      AND r.year = s.year AND r.kind = 'published' AND r.status = 'pending'))
ON CONFLICT (destination_id, year, milestone, offset_days, kind) DO UPDATE
SET due_at = excluded.due_at, status = 'pending', retry_at = NULL, error = NULL
"""


def _scope_params(scope: str) -> dict[str, str]:
    kind, _, name = scope.partition(":")
    return {"scope": scope, "scope_kind": kind, "name": name}


class CalendarStore(PeopleStore):
    audit: Callable[..., None]  # OrganizerStore's: a calendar change is audited with it

    # ---- the calendar ------------------------------------------------------------------------

    def year_calendar(self, year: int, scope: str = PROVINCE) -> YearCalendar | None:
        """The dates of one scope (by default the province's) for ``year``; None: none set."""
        rows = self.db.execute(
            "SELECT milestone, day, note FROM calendar WHERE year = ? AND scope = ?", [year, scope]
        ).fetchall()
        if not rows:
            return None
        dates = {
            m: CalendarDate(year=year, milestone=m, day=date.fromisoformat(d), note=n, scope=scope)
            for m, d, n in rows
        }
        return YearCalendar(year=year, dates=dates, scope=scope)

    def calendar_years(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT year FROM calendar ORDER BY year")]

    def calendar_entries(self, year: int | None = None) -> list[dict]:
        """Every date set (of one year, or all), the province's first in each year, with who
        set it and when."""
        rows = self.db.execute(
            "SELECT c.year, c.scope, c.milestone, c.day, c.note, c.set_at, p.name"
            " FROM calendar c LEFT JOIN people p ON p.id = c.set_by"
            " WHERE (:year IS NULL OR c.year = :year)"
            " ORDER BY c.year, c.scope != 'province', c.scope, c.day",
            {"year": year},
        ).fetchall()
        keys = ("year", "scope", "milestone", "day", "note", "set_at", "set_by")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def scope_calendar(self, person_id: int, since: int) -> tuple[str, list[dict]]:
        """The organizer's scope and the dates it sees from year ``since`` on: the province
        every scope's, others their own and the province's; each row marked ``editable``
        when the person may change it. NotAllowed for anyone not an organizer."""
        own = self.require_organizer(person_id)
        rows = [r for r in self.calendar_entries() if r["year"] >= since]
        if own != PROVINCE:
            rows = [r for r in rows if r["scope"] in (own, PROVINCE)]
        for row in rows:
            row["editable"] = own == PROVINCE or row["scope"] == own
        return own, rows

    def calendar_scopes(self, person_id: int) -> list[str]:
        """The scopes whose dates the person may set: its own; the province's the province,
        the 13 cities and the associations organizers exist for."""
        own = self.require_organizer(person_id)
        if own != PROVINCE:
            return [own]
        associations = [
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT scope FROM organizers WHERE revoked_at IS NULL"
                " AND scope LIKE 'assoc:%' ORDER BY scope"
            )
        ]
        return [PROVINCE, *(f"city:{c}" for c in scopes.CITIES), *associations]

    def may_set_dates(self, person_id: int, scope: str) -> bool:
        """An organizer sets its own scope's dates; the province (an admin, a province
        organizer) the province's and any scope's."""
        found = self.role(person_id)
        if found is None or not scopes.valid_scope(scope):
            return False
        role, own = found
        return role == "admin" or own in (PROVINCE, scope)

    def require_calendar_scope(self, person_id: int, scope: str) -> None:
        if not self.may_set_dates(person_id, scope):
            raise NotAllowed(f"person {person_id} may not set the dates of {scope}")

    def set_calendar_date(self, by: int, entry: CalendarDate) -> str:
        """Set or move a milestone's date of a scope: "set", "moved" or "same". The scope's
        subscribers get their reminders (re)scheduled and one notice: for the province the
        publication (the year's first date) or 日期已调整; for a city or an association each
        new date, or its move."""
        self.require_calendar_scope(by, entry.scope)  # the flow checked; the store does not
        scope, now = entry.scope, self.now_iso()  # take its word
        key = reminder_key(scope, entry.milestone)
        with self.db.atomic():
            year_had_dates = self.db.execute(
                "SELECT count(*) FROM calendar WHERE year = ? AND scope = ?", [entry.year, scope]
            ).fetchone()[0]
            old = self.db.execute(
                "SELECT day FROM calendar WHERE year = ? AND scope = ? AND milestone = ?",
                [entry.year, scope, entry.milestone],
            ).fetchone()
            self.db.execute(
                "INSERT INTO calendar (year, scope, milestone, day, note, set_by, set_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (year, scope, milestone) DO UPDATE"
                " SET day = excluded.day, note = excluded.note, set_by = excluded.set_by,"
                " set_at = excluded.set_at",
                [entry.year, scope, entry.milestone, entry.day.isoformat(), entry.note, by, now],
            )
            if old is not None and old[0] == entry.day.isoformat():
                return "same"
            detail = {"year": entry.year, "milestone": entry.milestone, "day": str(entry.day)}
            if old is not None:
                detail["was"] = old[0]
            self.audit(by, "calendar", scope, detail)
            params = {"year": entry.year, "milestone": key, "now": now, **_scope_params(scope)}
            self.db.execute(_SCHEDULE, {**params, "day": entry.day.isoformat(), "dest": None})
            # pending reminders the new date put in the past are not sent
            self.db.execute(
                "UPDATE reminders SET status = 'cancelled', error = 'date moved'"
                " WHERE year = :year AND milestone = :milestone AND kind = 'due'"
                " AND status = 'pending' AND due_at <= :now",
                params,
            )
            if old is not None:
                self.db.execute(_NOTICE, {**params, "kind": "moved"})
            elif scope != PROVINCE:
                self.db.execute(_NOTICE, {**params, "kind": "set"})
            elif not year_had_dates:
                self.db.execute(_NOTICE, {**params, "milestone": "calendar", "kind": "published"})
        return "moved" if old is not None else "set"

    def remove_calendar_date(
        self, by: int, year: int, milestone: str, scope: str = PROVINCE
    ) -> bool:
        """Remove a milestone's date of a scope; its unsent reminders are cancelled."""
        self.require_calendar_scope(by, scope)
        with self.db.atomic():
            gone = self.db.execute(
                "DELETE FROM calendar WHERE year = ? AND scope = ? AND milestone = ?",
                [year, scope, milestone],
            ).rowcount
            if gone:
                detail = {"year": year, "milestone": milestone, "removed": True}
                self.audit(by, "calendar", scope, detail)
            self.db.execute(
                "UPDATE reminders SET status = 'cancelled', error = 'milestone removed'"
                " WHERE year = ? AND milestone = ? AND status = 'pending'",
                [year, reminder_key(scope, milestone)],
            )
        return bool(gone)

    def _own_scopes(self, chat_id: int) -> list[str]:
        """The scopes whose dates reach a chat: its city's, its association's, the province."""
        row = self.db.execute(
            "SELECT city, association FROM users WHERE chat_id = ?", [chat_id]
        ).fetchone()
        return scopes.scopes_of(*(row or (None, None)))

    def _schedule_scopes(self, dest: int, year: int, wanted: list[str]) -> None:
        """Reminder rows of destination ``dest`` for every date of ``wanted`` in ``year``."""
        marks = ", ".join("?" * len(wanted))
        for scope, milestone, day in self.db.execute(
            f"SELECT scope, milestone, day FROM calendar WHERE year = ? AND scope IN ({marks})",
            [year, *wanted],
        ).fetchall():
            self.db.execute(
                _SCHEDULE,
                {"year": year, "milestone": reminder_key(scope, milestone), "day": day,
                 "dest": dest, "now": self.now_iso(), **_scope_params(scope)},
            )  # fmt: skip

    def follow_profile(self, chat_id: int) -> None:
        """The chat's city or association changed: its unsent reminders and notices of a scope
        no longer its own are cancelled, its new scope's dates scheduled."""
        own = self._own_scopes(chat_id)
        for row_id, key in self.db.execute(
            "SELECT id, milestone FROM reminders WHERE chat_id = ? AND status = 'pending'"
            " AND milestone LIKE '%/%'",
            [chat_id],
        ).fetchall():
            if split_key(key)[0] not in own:
                self.db.execute(
                    "UPDATE reminders SET status = 'cancelled', error = 'profile moved'"
                    " WHERE id = ?",
                    [row_id],
                )
        for dest, year in self.db.execute(
            "SELECT destination_id, year FROM subscriptions WHERE chat_id = ? AND active = 1",
            [chat_id],
        ).fetchall():
            self._schedule_scopes(dest, year, [s for s in own if s != PROVINCE])

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
            self._schedule_scopes(dest, year, self._own_scopes(chat_id))
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
