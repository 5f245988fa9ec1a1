"""What organizers read: statistics for a period, unanswered questions, all in scope (the
enterprises one by one, for the console and /export: ``bot.store.roster``).

Every reader takes the reader's person id and reads their scope from the store itself
(``reading_scope``). Timestamps are stored
as Asia/Shanghai ISO strings, so a period is a plain string range on them. Tables other branches
add (subscriptions, broadcasts, deliveries, audit) are read only when they exist.
"""

from __future__ import annotations

from bot.store.people import PeopleStore
from bot.store.scope import NotAllowed, Scope, city_name, city_order, narrowed
from conversations.reports import Counts, ExportRow, Period, Stats, parse_period

VIEWS = ("city", "month")  # the table and chart of 概览: per city or per month


class StatsStore(PeopleStore):
    def _has(self, table: str, column: str | None = None) -> bool:
        if not self.db[table].exists():
            return False
        return column is None or column in self.db[table].columns_dict

    def _enterprises(self, scope: Scope) -> tuple[str, list]:
        """The users of a scope who are enterprises: organizers and admins are not counted."""
        where, params = scope.where("u")
        staff = sorted(getattr(self, "admin_telegram_ids", ()))
        marks = ", ".join("?" for _ in staff)
        if staff:
            where += f" AND coalesce(u.user_id, u.chat_id) NOT IN ({marks})"
        where += (
            " AND (u.person_id IS NULL OR u.person_id NOT IN"
            " (SELECT person_id FROM organizers WHERE revoked_at IS NULL))"
        )
        return where, [*params, *staff]

    # ---- /stats ------------------------------------------------------------------------------

    def reading_scope(self, person_id: int, wanted: str | None = None) -> Scope:
        """The scope ``person_id`` may read (their own, or a part of it they ask for), from the
        store's own tables; NotAllowed for an enterprise."""
        return narrowed(self.require_organizer(person_id), wanted)  # type: ignore[attr-defined]

    def stats(
        self, person_id: int, period: Period, scope: str | None = None, by: str | None = None
    ) -> Stats:
        """The numbers of the reader's scope for ``period`` (NotAllowed for an enterprise),
        with the table per city (``by="city"``, the province's default) or per month.

        Counted in SQL (window functions pick each enterprise's latest check), so Python only
        adds up a few dozen grouped rows: about 20 ms for 10,000 enterprises (bench/stats.py).
        """
        read = self.reading_scope(person_id, scope)
        if by not in (None, *VIEWS):
            raise ValueError(f"not a view: {by!r}")
        by = by or ("city" if read.is_province else "month")
        where, params = self._enterprises(read)
        lo, hi = period.bounds
        result = Stats(scope=str(read), period=period)
        cities: dict[str, Counts] = {}
        months = {m: Counts(m) for m in period.months()}

        def city_row(city: str | None) -> Counts:
            key = city_name(city)
            return cities.setdefault(key, Counts(key))

        for city, used, profiled in self.db.execute(
            "SELECT u.city, count(*), sum(u.enterprise_name IS NOT NULL OR u.city IS NOT NULL"
            f" OR u.association IS NOT NULL) FROM users u WHERE {where}"
            " AND u.last_seen >= ? AND u.first_seen < ? GROUP BY u.city",
            [*params, lo, hi],
        ):
            result.enterprises += used
            result.profiles += profiled
            city_row(city).enterprises += used

        # One pass over the period's checks, one window (a check is an enterprise's latest when
        # no check follows it, the latest of its month when the next is in another month); the
        # CTE is materialized once and read twice: per city and month, then the conditions
        # failed in each enterprise's latest check.
        rows = self.db.execute(
            "WITH c AS MATERIALIZED (SELECT u.city, substr(c.at, 1, 7) AS month, c.verdict,"
            " c.failing, c.unsure, lead(c.id) OVER w IS NULL AS last,"
            " coalesce(lead(substr(c.at, 1, 7)) OVER w, '') != substr(c.at, 1, 7)"
            " AS last_of_month FROM checks c JOIN users u ON u.chat_id = c.chat_id"
            f" WHERE {where} AND c.at >= ? AND c.at < ?"
            " WINDOW w AS (PARTITION BY c.chat_id ORDER BY c.id))"
            " SELECT 0, city, month, count(*), sum(last = 1),"
            " sum(last = 1 AND verdict = 'eligible'), sum(last_of_month = 1),"
            " sum(last_of_month = 1 AND verdict = 'eligible') FROM c GROUP BY city, month"
            " UNION ALL SELECT 1, j.value, NULL, count(*), 0, 0, 0, 0"
            " FROM c, json_each(c.failing) j WHERE c.last = 1 GROUP BY j.value"
            " UNION ALL SELECT 2, j.value, NULL, count(*), 0, 0, 0, 0"
            " FROM c, json_each(coalesce(c.unsure, '[]')) j WHERE c.last = 1 GROUP BY j.value",
            [*params, lo, hi],
        )
        failing, unsure = [], []
        for kind, city, month, checks, checked, eligible, m_checked, m_eligible in rows:
            if kind:  # city holds the condition key: failed (1) or left 不确定 (2)
                (failing if kind == 1 else unsure).append((city, checks))
                continue
            result.checks += checks
            result.checked += checked
            result.eligible += eligible
            row = city_row(city)
            row.checked += checked
            row.eligible += eligible
            if month in months:
                months[month].checked += m_checked
                months[month].eligible += m_eligible
        result.failing = sorted(failing, key=lambda item: (-item[1], item[0]))
        result.unsure = sorted(unsure, key=lambda item: (-item[1], item[0]))
        result.by_month = list(months.values())
        if by == "city":
            result.by_city = sorted(cities.values(), key=lambda c: city_order(c.label))
        result.areas = self._chosen_areas(where, params, lo, hi)
        result.subscriptions, result.channels = self._subscriptions(where, params, period)
        self._broadcasts(result, read, where, params, lo, hi)
        return result

    def _chosen_areas(self, where: str, params: list, lo: str, hi: str) -> list[tuple[int, int]]:
        """Focus areas picked in the period, each enterprise's latest pick once."""
        rows = self.db.execute(
            "SELECT chosen, count(*) AS n FROM (SELECT a.chosen, row_number() OVER"
            " (PARTITION BY a.chat_id ORDER BY a.id DESC) AS last FROM area_suggestions a"
            f" JOIN users u ON u.chat_id = a.chat_id WHERE {where}"
            " AND a.chosen IS NOT NULL AND a.at >= ? AND a.at < ?)"
            " WHERE last = 1 GROUP BY chosen ORDER BY n DESC, chosen",
            [*params, lo, hi],
        )
        return [(chosen, n) for chosen, n in rows]

    def _subscriptions(
        self, where: str, params: list, period: Period
    ) -> tuple[int | None, dict[str, int] | None]:
        """Enterprises subscribed to reminders for a year of the period (all, and per channel
        of the subscribed destination: Telegram, 网页, 电子邮件), counting destinations still
        reachable; (None, None) before the subscriptions table exists."""
        if not self._has("subscriptions", "chat_id"):
            return None, None
        active = " AND s.active" if self._has("subscriptions", "active") else ""
        if self._has("subscriptions", "year"):
            active += f" AND s.year BETWEEN {period.start.year:d} AND {period.end.year:d}"
        rows = self.db.execute(
            "WITH s AS MATERIALIZED (SELECT s.chat_id, d.channel FROM subscriptions s"
            " JOIN users u ON u.chat_id = s.chat_id"
            " JOIN destinations d ON d.id = s.destination_id AND d.active = 1"
            f" WHERE {where}{active})"
            " SELECT NULL, count(DISTINCT chat_id) FROM s"
            " UNION ALL SELECT channel, count(DISTINCT chat_id) FROM s GROUP BY channel",
            params,
        ).fetchall()
        total = rows[0][1]
        channels = {channel: n for channel, n in rows[1:]}
        order = ("telegram", "web", "email", "console")
        return total, {k: channels[k] for k in sorted(channels, key=_state_order(order))}

    def _broadcasts(
        self, result: Stats, scope: Scope, where: str, params: list, lo: str, hi: str
    ) -> None:
        """Broadcasts of the period within the scope (sent by its organizers or aimed at it;
        the province: all), and their deliveries to the scope's enterprises by state."""
        if not self.db["broadcasts"].exists():
            return
        # Test-mode broadcasts (the console's training mode) were never sent: not counted.
        mine, values = "coalesce(b.test_mode, 0) = 0", []
        if not scope.is_province:
            mine += " AND (b.scope = ? OR b.segment = ?)"
            values = [str(scope), str(scope)]
        result.broadcasts = self.db.execute(
            f"SELECT count(*) FROM broadcasts b WHERE b.created_at >= ? AND b.created_at < ?"
            f" AND {mine}",
            [lo, hi, *values],
        ).fetchone()[0]
        rows = self.db.execute(
            "SELECT d.status, count(*) FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id"
            " JOIN users u ON u.chat_id = d.chat_id"
            f" WHERE b.created_at >= ? AND b.created_at < ? AND coalesce(b.test_mode, 0) = 0"
            f" AND {where} GROUP BY d.status",
            [lo, hi, *params],
        )
        order = ("sent", "pending", "sending", "blocked", "failed")
        found = dict(rows.fetchall())
        result.deliveries = {k: found[k] for k in sorted(found, key=_state_order(order))}

    # ---- /export (the rows: ``bot.store.roster``) ------------------------------------------

    def audit_export(self, person_id: int, detail: dict, scope: str | None = None) -> None:
        """Record who exported what, in the caller's transaction (the organizers' audit log)."""
        read = str(self.reading_scope(person_id, scope))
        self.audit(person_id, "export", read, detail)  # type: ignore[attr-defined]

    # ---- /unanswered -------------------------------------------------------------------------

    def unanswered_texts(
        self, person_id: int, limit: int = 5000, scope: str | None = None
    ) -> list[str]:
        """The most recent unanswered questions asked from within the scope, newest first."""
        read = self.reading_scope(person_id, scope)
        if read.is_province:
            sql, params = "SELECT text FROM unanswered ORDER BY id DESC LIMIT ?", [limit]
        else:
            where, params = self._enterprises(read)
            sql = (
                "SELECT q.text FROM unanswered q JOIN users u ON u.chat_id = q.chat_id"
                f" WHERE {where} ORDER BY q.id DESC LIMIT ?"
            )
            params = [*params, limit]
        return [text for (text,) in self.db.execute(sql, params)]


def _state_order(order: tuple[str, ...]):
    return lambda state: (order.index(state) if state in order else len(order), state)


__all__ = ["ExportRow", "NotAllowed", "Period", "Stats", "StatsStore", "parse_period"]
