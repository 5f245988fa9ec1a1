"""The enterprises of a reader's scope, one row each (the console's 企业 page, its CSV, /export).

A row is an enterprise that gave a profile (what /privacy says organizers see): its name, city
and association, the contact person and phone or e-mail it gave for follow-up (if any), its
latest self-check (verdict, date, the conditions it failed and those left 不确定), its latest
chosen focus area, the channels its active subscriptions reach (Telegram, 网页, 电子邮件 — the
channel's name, never the subscription's address) and when it was last seen. Filtered,
sorted and paged in SQL: a page of 50 out of 10,000 is a count, the page's ids, and the
details of those 50 (bench/org.py).

The reader's person id decides the scope (``reading_scope``): a city filter outside a city
organizer's city is refused (``NotAllowed``) before anything is read.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from bot.store.scope import NotAllowed, Scope, city_name
from bot.store.stats import StatsStore
from conversations.reports import ExportRow

PAGE_SIZE = 50
VERDICTS = ("eligible", "unsure", "not_eligible", "none")  # none: no self-check yet
SORTS = ("last_seen", "name", "verdict", "city")
SUBSCRIBED = ("yes", "no")
CHANNEL_ORDER = ("telegram", "web", "email", "console")

# Each enterprise's latest check (the largest id of its chat, from the chat_id index), latest
# chosen area, and the channels of its active subscriptions to destinations still reachable:
# looked up per enterprise, so a page reads them for its 50 rows only.
_LATEST_CHECK = "(SELECT max(id) FROM checks WHERE chat_id = u.chat_id)"
_LATEST_VERDICT = "(SELECT verdict FROM checks WHERE chat_id = u.chat_id ORDER BY id DESC LIMIT 1)"
_AREA = (
    "(SELECT chosen FROM area_suggestions WHERE chat_id = u.chat_id AND chosen IS NOT NULL"
    " ORDER BY id DESC LIMIT 1)"
)
_REACHED = (
    "FROM subscriptions s JOIN destinations d ON d.id = s.destination_id"
    " WHERE s.chat_id = u.chat_id AND s.active = 1 AND d.active = 1"
)
_CHANNELS = f"(SELECT group_concat(DISTINCT d.channel) {_REACHED})"
_DETAILS = (
    "SELECT u.chat_id, u.enterprise_name, u.city, u.association, u.last_seen, c.at, c.verdict,"
    f" c.failing, c.unsure, {_AREA}, {_CHANNELS}, u.contact_person, u.contact"
    f" FROM users u LEFT JOIN checks c ON c.id = {_LATEST_CHECK}"
)
_VERDICT_RANK = (
    f"CASE {_LATEST_VERDICT} WHEN 'eligible' THEN 0 WHEN 'unsure' THEN 1"
    " WHEN 'not_eligible' THEN 2 ELSE 3 END"
)
_ORDER = {
    "last_seen": "u.last_seen DESC, u.chat_id DESC",
    "name": "u.enterprise_name IS NULL, u.enterprise_name, u.chat_id",
    "verdict": "{rank}, u.last_seen DESC, u.chat_id DESC",
    "city": "u.city, u.enterprise_name, u.chat_id",  # /export's order
}
_PROFILED = "(u.enterprise_name IS NOT NULL OR u.city IS NOT NULL OR u.association IS NOT NULL)"


@dataclass(frozen=True)
class RosterQuery:
    """What the reader asked for: filters, an order and a page (validated: ValueError)."""

    city: str = ""  # a city (within the scope), '' for all
    verdict: str = ""  # one of VERDICTS, '' for all
    subscribed: str = ""  # yes | no | ''
    name: str = ""  # part of the enterprise's name
    sort: str = "last_seen"
    page: int = 1

    def __post_init__(self) -> None:
        if self.verdict not in ("", *VERDICTS):
            raise ValueError(f"verdict {self.verdict!r}")
        if self.subscribed not in ("", *SUBSCRIBED):
            raise ValueError(f"subscribed {self.subscribed!r}")
        if self.sort not in SORTS:
            raise ValueError(f"sort {self.sort!r}")
        if self.page < 1:
            raise ValueError(f"page {self.page}")

    @property
    def filtered(self) -> bool:
        return bool(self.city or self.verdict or self.subscribed or self.name)


@dataclass(frozen=True)
class RosterPage:
    rows: list[ExportRow]
    total: int  # rows matching the filters (all pages)
    page: int  # the page shown (the last one when a later was asked for)
    pages: int
    scope: Scope


class RosterStore(StatsStore):
    def roster(self, person_id: int, query: RosterQuery, size: int = PAGE_SIZE) -> RosterPage:
        """One page of the enterprises of the reader's scope that match ``query``."""
        read = self.reading_scope(person_id)
        where, params = self._roster_where(read, query)
        total = self.db.execute(f"SELECT count(*) FROM users u WHERE {where}", params).fetchone()
        pages = max(1, -(-total[0] // size))
        page = min(query.page, pages)
        rows = self._rows(where, params, query.sort, (size, (page - 1) * size))
        return RosterPage(rows, total[0], page, pages, read)

    def roster_rows(
        self, person_id: int, query: RosterQuery, scope: str | None = None
    ) -> list[ExportRow]:
        """Every enterprise of the reader's scope (or of ``scope`` within it) that matches
        ``query``, in its order: what a CSV holds."""
        read = self.reading_scope(person_id, scope)
        where, params = self._roster_where(read, query)
        return self._rows(where, params, query.sort)

    def _rows(
        self, where: str, params: list, sort: str, page: tuple[int, int] | None = None
    ) -> list[ExportRow]:
        """The rows matching ``where`` in ``sort``'s order (``page``: limit and offset): their
        ids in order from ``users`` alone (a lookup per enterprise only for a verdict or
        subscription filter, or the verdict order), then the details of those rows, unordered
        (sorting the details would carry every looked-up column through the sorter)."""
        paging, values = (" LIMIT ? OFFSET ?", list(page)) if page else ("", [])
        ids = [
            chat_id
            for (chat_id,) in self.db.execute(
                f"SELECT u.chat_id FROM users u WHERE {where}"
                f" ORDER BY {_ORDER[sort].format(rank=_VERDICT_RANK)}{paging}",
                [*params, *values],
            )
        ]
        if page:
            details = self.db.execute(
                f"{_DETAILS} WHERE u.chat_id IN ({', '.join('?' for _ in ids)})", ids
            )
        else:
            details = self.db.execute(f"{_DETAILS} WHERE {where}", params)
        found = {row[0]: _row(row) for row in details}
        return [found[chat_id] for chat_id in ids if chat_id in found]  # (a row gone between)

    def export_rows(self, person_id: int, scope: str | None = None) -> list[ExportRow]:
        """Every enterprise in scope that gave a profile (/export, ``biaogan export``)."""
        return self.roster_rows(person_id, RosterQuery(sort="city"), scope)

    def _roster_where(self, read: Scope, query: RosterQuery) -> tuple[str, list]:
        """The condition on ``users u`` for the reader's scope and the query's filters
        (NotAllowed: a city outside a city organizer's scope)."""
        where, params = self._enterprises(read)
        where += f" AND {_PROFILED}"
        if query.city:
            city = city_name(query.city)
            if read.kind == "city" and city != read.name:
                raise NotAllowed(f"scope {read} may not read city {city}")
            where += " AND u.city IN (?, ?)"
            params += [city, f"{city}市"]
        if query.verdict == "none":
            where += " AND NOT EXISTS (SELECT 1 FROM checks WHERE chat_id = u.chat_id)"
        elif query.verdict:
            where += f" AND {_LATEST_VERDICT} = ?"
            params.append(query.verdict)
        if query.subscribed:
            negation = "" if query.subscribed == "yes" else "NOT "
            where += f" AND {negation}EXISTS (SELECT 1 {_REACHED})"
        if query.name.strip():
            escaped = query.name.strip().replace("\\", "\\\\").replace("%", "\\%")
            where += " AND u.enterprise_name LIKE ? ESCAPE '\\'"
            params.append("%" + escaped.replace("_", "\\_") + "%")
        return where, params


def _row(found: tuple) -> ExportRow:
    _, name, city, association, last_seen, at, verdict, failing, unsure, area, channels = found[:11]
    person, contact = found[11:]
    reached = _channels(channels) if channels else ()
    return ExportRow(
        name=name or "",
        city=city_name(city),
        association=association or "",
        verdict=verdict or "",
        checked_at=at or "",
        failing=_keys(failing),
        area=area,
        subscribed=bool(reached),
        last_seen=last_seen or "",
        unsure=_keys(unsure),
        channels=reached,
        contact_person=person or "",
        contact=contact or "",
    )


def _keys(stored: str | None) -> list[str]:
    """A stored JSON list of condition keys (a few combinations recur: each parsed once)."""
    return list(_parsed(stored)) if stored and stored != "[]" else []


@functools.lru_cache(maxsize=1024)  # a few dozen combinations in practice
def _parsed(stored: str) -> tuple[str, ...]:
    return tuple(json.loads(stored))


@functools.lru_cache(maxsize=1024)  # a few dozen combinations in practice
def _channels(found: str) -> tuple[str, ...]:
    """'email,telegram' as ('telegram', 'email'): the channels in the order they are shown."""
    known = {channel: n for n, channel in enumerate(CHANNEL_ORDER)}
    return tuple(sorted(found.split(","), key=lambda c: (known.get(c, len(known)), c)))
