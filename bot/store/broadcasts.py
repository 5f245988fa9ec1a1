"""Broadcasts and their deliveries: rows first, messages second.

Confirming a broadcast writes its row, one delivery row per recipient destination (a chat may
have several: its Telegram chat or web session, confirmed e-mail addresses) and the audit row
in the turn's transaction; the preview counts the same rows (``segment_reach``).
``deliveries`` is an outbox table: the sender (``bot.broadcast.sender``) works through it with
``bot.outbox.Outbox`` (claim one row ``sending``, send, mark it ``sent``, ``blocked`` or
``failed``, or back to ``pending`` with a ``retry_at``). A row still ``sending``
when the bot starts was in flight at a crash: it is sent again and counted ``in_doubt`` (the
only possible duplicates, shown in the report).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.store.base import StoreError
from bot.store.people import NotAllowed, PeopleStore
from conversations import scopes
from conversations.organizer_models import Reach

# Of a delivery row; ``test``: recorded in the console's test mode, never claimed nor sent.
STATUSES = ("pending", "sending", "sent", "blocked", "failed", "test")
STUCK_AFTER = 120.0  # seconds without a delivery attempt before a broadcast shows as stalled


class ReachChanged(StoreError):
    """The recipients changed since the preview: nothing was written."""

    def __init__(self, reach: Reach) -> None:
        super().__init__(f"the reach is now {reach.channels}")
        self.reach = reach


class AlreadySent(StoreError):
    """This confirm form was sent before (a double click, a replay): nothing more written."""

    def __init__(self, broadcast_id: int) -> None:
        super().__init__(f"already broadcast #{broadcast_id}")
        self.broadcast_id = broadcast_id


class BroadcastStore(PeopleStore):
    def audit(self, actor: int, action: str, scope: str | None, detail: Any = None) -> None:
        raise NotImplementedError  # OrganizerStore's

    # ---- segments --------------------------------------------------------------------------

    def _segment_where(self, segment: str) -> tuple[str, list[Any]]:
        """Subscribers a segment reaches (on ``users``): subscribed, their chat still reachable,
        no organizer or admin, in the city or association of their profile."""
        admins = sorted(self.admin_telegram_ids)
        where = (
            "chat_id IN (SELECT s.chat_id FROM subscriptions s JOIN destinations d"
            " ON d.id = s.destination_id WHERE s.active = 1 AND d.active = 1)"
            " AND (person_id IS NULL OR person_id NOT IN"
            " (SELECT person_id FROM organizers WHERE revoked_at IS NULL))"
            f" AND coalesce(user_id, chat_id) NOT IN ({', '.join('?' * len(admins))})"
        )
        params: list[Any] = list(admins)
        kind, _, name = segment.partition(":")
        if kind == "city":
            where += " AND city IN (?, ?)"
            params += [name, f"{name}市"]
        elif kind == "assoc":
            where += " AND association = ?"
            params.append(name)
        elif segment != scopes.ALL:
            raise ValueError(f"not a segment: {segment!r}")
        return where, params

    def _recipients(self, segment: str) -> tuple[str, list[Any]]:
        """The deliveries a broadcast to ``segment`` makes, one row ``(chat_id,
        destination_id, channel)`` per destination: subscribed (any year) and active, verified
        (an e-mail address only once its link was used), of a chat of the segment. Counting
        (``segment_reach``) and confirming (``create_broadcast``) read this one query."""
        where, params = self._segment_where(segment)
        query = (
            "SELECT min(s.chat_id) AS chat_id, s.destination_id, d.channel FROM subscriptions s"
            " JOIN destinations d ON d.id = s.destination_id"
            " WHERE s.active = 1 AND d.active = 1 AND d.verified = 1 AND s.chat_id IN"
            f" (SELECT chat_id FROM users WHERE {where})"
            " GROUP BY s.destination_id"
        )
        return query, params

    def segment_reach(self, segment: str) -> Reach:
        """How many enterprises (chats) a broadcast to ``segment`` reaches, and how many
        messages it makes on each channel: exactly the deliveries confirming it would write."""
        query, params = self._recipients(segment)
        channels = self.db.execute(
            f"SELECT channel, count(*) FROM ({query}) GROUP BY channel ORDER BY channel", params
        ).fetchall()
        chats = self.db.execute(f"SELECT count(DISTINCT chat_id) FROM ({query})", params)
        return Reach(enterprises=chats.fetchone()[0], channels=dict(channels))

    # ---- a confirmed broadcast -------------------------------------------------------------

    def create_broadcast(
        self,
        by: int,
        chat_id: int | None,
        segment: str,
        text: str,
        *,
        test: bool = False,
        personal: bool = False,
        form_key: str | None = None,
        expect: dict[str, int] | None = None,
    ) -> tuple[int, int]:
        """The broadcast row, one delivery per subscribed destination of the segment's
        recipients (``_recipients``) and its audit row: (broadcast id, deliveries). ``by``: a
        person id; ``chat_id``: where progress and the report go (None: from the command line
        or the console). From the console: ``test`` records it with every row ``test`` (never
        sent), ``personal`` has the sender fill its placeholders, ``form_key`` makes a confirm
        form sent twice one broadcast (``AlreadySent``), and ``expect`` (messages per channel
        the preview showed) refuses it with ``ReachChanged`` when the recipients changed."""
        scope = self.require_scope(by, segment)
        recipients, params = self._recipients(segment)
        with self.db.atomic():
            if form_key is not None:
                done = self.db.execute(
                    "SELECT id FROM broadcasts WHERE by_user = ? AND form_key = ?", [by, form_key]
                ).fetchone()
                if done is not None:
                    raise AlreadySent(done[0])
            if expect is not None and (reach := self.segment_reach(segment)).channels != expect:
                raise ReachChanged(reach)
            now = self.now_iso()
            report_to = self.chat_destination(chat_id) if chat_id is not None else None
            state = "test" if test else "sending"
            cursor = self.db.execute(
                "INSERT INTO broadcasts (by_user, chat_id, destination_id, scope, segment, text,"
                " total, state, created_at, test_mode, personal, form_key)"
                " VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)",
                [by, chat_id, report_to, scope, segment, text, state, now, int(test),
                 int(personal), form_key],
            )  # fmt: skip
            broadcast_id = cursor.lastrowid
            assert broadcast_id is not None
            total = self.db.execute(
                "INSERT INTO deliveries (broadcast_id, chat_id, destination_id, channel, status,"
                " due_at) SELECT ?, chat_id, destination_id, channel, ?, ?"
                f" FROM ({recipients}) ORDER BY chat_id, destination_id",
                [broadcast_id, "test" if test else "pending", now, *params],
            ).rowcount
            self.db.execute("UPDATE broadcasts SET total = ? WHERE id = ?", [total, broadcast_id])
            detail = {"broadcast_id": broadcast_id, "recipients": total, "by_scope": scope}
            self.audit(by, "broadcast_test" if test else "broadcast", segment, detail)
        return broadcast_id, total

    # ---- the sender's side (the rows themselves: bot.outbox) --------------------------------

    def broadcast_text(self, broadcast_id: int) -> str | None:
        row = self.db.execute("SELECT text FROM broadcasts WHERE id = ?", [broadcast_id]).fetchone()
        return row[0] if row else None

    def active_broadcasts(self) -> list[int]:
        rows = self.db.execute("SELECT id FROM broadcasts WHERE state = 'sending' ORDER BY id")
        return [row[0] for row in rows]

    def finish_if_done(self, broadcast_id: int) -> bool:
        """Mark the broadcast done when no delivery is left; True the first time only. A chat
        that blocked us meanwhile (a reminder found out) is never claimed: its row is blocked."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE deliveries SET status = 'blocked', error = 'inactive'"
                " WHERE broadcast_id = ? AND status = 'pending'"
                " AND destination_id IN (SELECT id FROM destinations WHERE active = 0)",
                [broadcast_id],
            )
            left = self.db.execute(
                "SELECT count(*) FROM deliveries WHERE broadcast_id = ?"
                " AND status IN ('pending', 'sending')",
                [broadcast_id],
            ).fetchone()[0]
            if left:
                return False
            cursor = self.db.execute(
                "UPDATE broadcasts SET state = 'done', finished_at = ?"
                " WHERE id = ? AND state != 'done'",
                [self.now_iso(), broadcast_id],
            )
        return cursor.rowcount == 1

    def set_progress_message(self, broadcast_id: int, message_id: int) -> None:
        self.db.execute(
            "UPDATE broadcasts SET progress_message_id = ? WHERE id = ?", [message_id, broadcast_id]
        )

    # ---- reading ---------------------------------------------------------------------------

    def broadcast(self, broadcast_id: int) -> dict[str, Any] | None:
        rows = list(self.db["broadcasts"].rows_where("id = ?", [broadcast_id]))
        return self._with_counts(rows[0]) if rows else None

    def recent_broadcasts(self, by: int | None = None, limit: int = 10) -> list[dict[str, Any]]:
        """Newest first, with delivery counts and a state (sending/stalled/done)."""
        where, params = ("by_user = ?", [by]) if by is not None else (None, [])
        rows = self.db["broadcasts"].rows_where(where, params, order_by="id desc", limit=limit)
        return [self._with_counts(row) for row in rows]

    def _with_counts(self, row: dict[str, Any]) -> dict[str, Any]:
        """The row with its delivery counts, overall and by channel (``channels``: channel ->
        counts and ``total``), ``resends`` (in doubt after a crash), when its first and last
        delivery was tried, and a state: queued, sending, stalled, done (or test)."""
        counts = dict.fromkeys(STATUSES, 0)
        channels: dict[str, dict[str, int]] = {}
        for channel, status, count in self.db.execute(
            "SELECT channel, status, count(*) FROM deliveries WHERE broadcast_id = ?"
            " GROUP BY channel, status ORDER BY channel",
            [row["id"]],
        ):
            of_channel = channels.setdefault(channel, {**dict.fromkeys(STATUSES, 0), "total": 0})
            of_channel[status] += count
            of_channel["total"] += count
            counts[status] += count
        started, active, resends = self.db.execute(
            "SELECT min(claimed_at), max(claimed_at), coalesce(sum(in_doubt), 0)"
            " FROM deliveries WHERE broadcast_id = ?",
            [row["id"]],
        ).fetchone()
        row = {
            **row,
            **counts,
            "channels": channels,
            "started_at": started,
            "active_at": active,
            "resends": resends,
        }
        if row["state"] in ("done", "test"):  # settled, or never to be sent
            return row
        if started is None:
            row["state"] = "queued"  # behind another broadcast, or the bot is not running
        elif self.clock().timestamp() - datetime.fromisoformat(active).timestamp() > STUCK_AFTER:
            row["state"] = "stalled"
        return row

    # ---- the organizers' console (every read checked here with the person's id) -------------

    def _readable(self, person_id: int, broadcast_id: int) -> dict[str, Any]:
        """The broadcast row when ``person_id`` may read it: the province (and an admin) every
        one, an organizer those aimed at their scope or sent from it. Else NotAllowed — the same
        for a broadcast outside the scope and for none at all."""
        scope = self.require_organizer(person_id)
        rows = list(self.db["broadcasts"].rows_where("id = ?", [broadcast_id]))
        if not rows or not _may_read(scope, rows[0]):
            raise NotAllowed(f"person {person_id} may not read broadcast {broadcast_id}")
        return rows[0]

    def scope_broadcasts(self, person_id: int, limit: int = 50) -> list[dict[str, Any]]:
        """The broadcasts ``person_id`` may read, newest first, with their counts."""
        scope = self.require_organizer(person_id)
        where, params = ("1 = 1", []) if scope == scopes.PROVINCE else (
            "segment = ? OR scope = ?", [scope, scope]
        )  # fmt: skip
        rows = self.db["broadcasts"].rows_where(where, params, order_by="id desc", limit=limit)
        return [self._with_counts(row) for row in rows]

    def scope_broadcast(self, person_id: int, broadcast_id: int) -> dict[str, Any]:
        """One broadcast with its counts (as ``recent_broadcasts``' rows, and ``enterprises``:
        the chats it went to); NotAllowed unless ``person_id`` may read it."""
        row = self._with_counts(self._readable(person_id, broadcast_id))
        row["enterprises"] = self.db.execute(
            "SELECT count(DISTINCT chat_id) FROM deliveries WHERE broadcast_id = ?", [broadcast_id]
        ).fetchone()[0]
        return row

    def broadcast_recipients(
        self, person_id: int, broadcast_id: int, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """A broadcast's deliveries, one per recipient destination, in the order they were
        queued: the enterprise's name, channel, address, status, error and times; NotAllowed
        unless ``person_id`` may read the broadcast."""
        self._readable(person_id, broadcast_id)
        cursor = self.db.execute(
            "SELECT d.id, d.chat_id, d.channel, d.status, d.error, d.sent_at, d.claimed_at,"
            " d.attempts, d.in_doubt, u.enterprise_name, t.address FROM deliveries d"
            " LEFT JOIN users u ON u.chat_id = d.chat_id"
            " LEFT JOIN destinations t ON t.id = d.destination_id"
            " WHERE d.broadcast_id = ? ORDER BY d.id LIMIT ?",
            [broadcast_id, -1 if limit is None else limit],
        )
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def sample_recipient(self, person_id: int, segment: str) -> dict[str, Any] | None:
        """The profile of one recipient of ``segment`` (one with an enterprise name when there
        is one), for a preview with its placeholders filled; NotAllowed outside the scope."""
        self.require_scope(person_id, segment)
        query, params = self._recipients(segment)
        cursor = self.db.execute(
            "SELECT u.enterprise_name, u.city, u.association"
            f" FROM ({query}) r JOIN users u ON u.chat_id = r.chat_id"
            " ORDER BY coalesce(u.enterprise_name, '') = '', r.chat_id LIMIT 1",
            params,
        )
        row = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], row, strict=True)) if row else None

    def recipient_profile(self, chat_id: int) -> dict[str, Any]:
        """The profile fields a placeholder is filled from (the sender's, per delivery)."""
        fields = ("enterprise_name", "city", "association")
        row = self.db.execute(
            f"SELECT {', '.join(fields)} FROM users WHERE chat_id = ?", [chat_id]
        ).fetchone()
        return dict(zip(fields, row or (None,) * len(fields), strict=True))

    def own_destinations(self, person_id: int) -> list[tuple[str, str]]:
        """Where a person's own test of a notice can go: their active e-mail addresses (once
        confirmed), Telegram chats and web sessions, as (channel, address)."""
        rows = self.db.execute(
            "SELECT channel, address FROM destinations WHERE person_id = ? AND active = 1"
            " AND channel IN ('email', 'telegram', 'web') AND (channel != 'email' OR verified = 1)"
            " ORDER BY id",
            [person_id],
        )
        return [(row[0], row[1]) for row in rows]


def _may_read(scope: str, row: dict[str, Any]) -> bool:
    return scope == scopes.PROVINCE or scope in (row["segment"], row["scope"])
