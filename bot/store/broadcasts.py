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

from bot.store.people import PeopleStore
from conversations import scopes
from conversations.organizer_models import Reach

STATUSES = ("pending", "sending", "sent", "blocked", "failed")  # of a delivery row
STUCK_AFTER = 120.0  # seconds without a delivery attempt before a broadcast shows as stalled


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
        self, by: int, chat_id: int | None, segment: str, text: str
    ) -> tuple[int, int]:
        """The broadcast row, one delivery per subscribed destination of the segment's
        recipients (``_recipients``) and its audit row: (broadcast id, deliveries). ``by``: a
        person id; ``chat_id``: where progress and the report go (None: from the command line)."""
        scope = self.require_scope(by, segment)
        recipients, params = self._recipients(segment)
        with self.db.atomic():
            now = self.now_iso()
            report_to = self.chat_destination(chat_id) if chat_id is not None else None
            cursor = self.db.execute(
                "INSERT INTO broadcasts (by_user, chat_id, destination_id, scope, segment, text,"
                " total, state, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, 'sending', ?)",
                [by, chat_id, report_to, scope, segment, text, now],
            )
            broadcast_id = cursor.lastrowid
            assert broadcast_id is not None
            total = self.db.execute(
                "INSERT INTO deliveries (broadcast_id, chat_id, destination_id, channel, status,"
                " due_at) SELECT ?, chat_id, destination_id, channel, 'pending', ?"
                f" FROM ({recipients}) ORDER BY chat_id, destination_id",
                [broadcast_id, now, *params],
            ).rowcount
            self.db.execute("UPDATE broadcasts SET total = ? WHERE id = ?", [total, broadcast_id])
            detail = {"broadcast_id": broadcast_id, "recipients": total, "by_scope": scope}
            self.audit(by, "broadcast", segment, detail)
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
        delivery was tried, and a state: queued, sending, stalled, done."""
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
        if row["state"] != "done" and started is None:
            row["state"] = "queued"  # behind another broadcast, or the bot is not running
        elif row["state"] != "done":
            idle = self.clock().timestamp() - datetime.fromisoformat(active).timestamp()
            if idle > STUCK_AFTER:
                row["state"] = "stalled"
        return row
