"""Broadcasts and their deliveries: rows first, messages second.

Confirming a broadcast writes its row, one delivery row per recipient and the audit row in the
turn's transaction. The sender (``bot.broadcast.sender``) claims one delivery (``sending``),
sends it, and marks it (``sent``, ``blocked``, ``failed``, or back to ``pending`` with a later
``next_at``). A delivery still ``sending`` when the bot starts was in flight at a crash: it is
sent again and counted in the broadcast's ``resends`` (the only possible duplicates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.store.base import StoreBase
from conversations import scopes

STUCK_AFTER = 120.0  # seconds without a delivery attempt before a broadcast shows as stalled


@dataclass(frozen=True)
class Delivery:
    id: int
    broadcast_id: int
    chat_id: int
    attempts: int
    text: str
    paid: bool = False


class BroadcastStore(StoreBase):
    def audit(self, actor: int, action: str, scope: str | None, detail: Any = None) -> None:
        raise NotImplementedError  # OrganizerStore's

    def require_scope(self, by: int, segment: str) -> str:
        raise NotImplementedError  # OrganizerStore's

    # ---- segments --------------------------------------------------------------------------

    def _segment_where(self, segment: str) -> tuple[str, list[Any]]:
        """Enterprise users a segment reaches: still reachable, no organizer or admin, in the
        city or association."""
        admins = sorted(getattr(self, "admin_ids", ()))
        where = (
            "chat_id NOT IN (SELECT chat_id FROM inactive_chats) AND chat_id NOT IN"
            " (SELECT user_id FROM organizers WHERE revoked_at IS NULL)"
            f" AND chat_id NOT IN ({', '.join('?' * len(admins))})"
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

    def segment_chats(self, segment: str) -> list[int]:
        where, params = self._segment_where(segment)
        rows = self.db.execute(f"SELECT chat_id FROM users WHERE {where} ORDER BY chat_id", params)
        return [row[0] for row in rows]

    def segment_count(self, segment: str) -> int:
        where, params = self._segment_where(segment)
        return self.db.execute(f"SELECT count(*) FROM users WHERE {where}", params).fetchone()[0]

    # ---- a confirmed broadcast -------------------------------------------------------------

    def create_broadcast(
        self, by: int, chat_id: int | None, segment: str, text: str
    ) -> tuple[int, int]:
        """The broadcast row, its deliveries and its audit row: (broadcast id, recipients)."""
        scope = self.require_scope(by, segment)
        where, params = self._segment_where(segment)
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO broadcasts (by_user, chat_id, scope, segment, text, total, state,"
                " created_at, resends) VALUES (?, ?, ?, ?, ?, 0, 'sending', ?, 0)",
                [by, chat_id, scope, segment, text, self.now_iso()],
            )
            broadcast_id = cursor.lastrowid
            assert broadcast_id is not None
            total = self.db.execute(
                "INSERT INTO deliveries (broadcast_id, chat_id, state, attempts, next_at)"
                f" SELECT ?, chat_id, 'pending', 0, 0 FROM users WHERE {where} ORDER BY chat_id",
                [broadcast_id, *params],
            ).rowcount
            self.db.execute("UPDATE broadcasts SET total = ? WHERE id = ?", [total, broadcast_id])
            self.audit(
                by,
                "broadcast",
                scope,
                {"broadcast_id": broadcast_id, "segment": segment, "recipients": total},
            )
        return broadcast_id, total

    # ---- the sender's side -----------------------------------------------------------------

    def requeue_in_doubt(self) -> int:
        """Deliveries in flight at a crash go back to pending, counted as possible resends."""
        with self.db.atomic():
            rows = self.db.execute(
                "SELECT broadcast_id, count(*) FROM deliveries WHERE state = 'sending'"
                " GROUP BY broadcast_id"
            ).fetchall()
            for broadcast_id, count in rows:
                self.db.execute(
                    "UPDATE broadcasts SET resends = resends + ? WHERE id = ?",
                    [count, broadcast_id],
                )
            self.db.execute("UPDATE deliveries SET state = 'pending' WHERE state = 'sending'")
        return sum(count for _, count in rows)

    def claim_delivery(self, now: float) -> Delivery | None:
        """The next due delivery, marked ``sending`` (committed before the message is sent)."""
        with self.db.atomic():
            row = self.db.execute(
                "SELECT d.id, d.broadcast_id, d.chat_id, d.attempts, b.text FROM deliveries d"
                " JOIN broadcasts b ON b.id = d.broadcast_id"
                " WHERE d.state = 'pending' AND d.next_at <= ? ORDER BY d.next_at, d.id LIMIT 1",
                [now],
            ).fetchone()
            if row is None:
                return None
            self.db.execute("UPDATE deliveries SET state = 'sending' WHERE id = ?", [row[0]])
            self.db.execute(
                "UPDATE broadcasts SET active_at = ?, started_at = coalesce(started_at, ?)"
                " WHERE id = ?",
                [now, self.now_iso(), row[1]],
            )
        return Delivery(*row)

    def next_due(self) -> float | None:
        row = self.db.execute(
            "SELECT min(next_at) FROM deliveries WHERE state = 'pending'"
        ).fetchone()
        return row[0]

    def mark_delivery(self, delivery: Delivery, state: str, error: str | None = None) -> None:
        """``sent``, ``blocked`` (and the user inactive) or ``failed``: final."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE deliveries SET state = ?, done_at = ?, error = ?,"
                " attempts = attempts + 1 WHERE id = ?",
                [state, self.now_iso(), error, delivery.id],
            )
            if state == "blocked":
                self.db.execute(
                    "INSERT OR IGNORE INTO inactive_chats (chat_id, since, reason)"
                    " VALUES (?, ?, ?)",
                    [delivery.chat_id, self.now_iso(), error or "blocked"],
                )

    def retry_delivery(
        self, delivery: Delivery, at: float, error: str, *, count: bool = True
    ) -> None:
        """Back to pending until ``at`` (``count``: the attempt counts toward giving up)."""
        self.db.execute(
            "UPDATE deliveries SET state = 'pending', next_at = ?, error = ?,"
            " attempts = attempts + ? WHERE id = ?",
            [at, error, int(count), delivery.id],
        )

    def finish_if_done(self, broadcast_id: int) -> bool:
        """Mark the broadcast done when no delivery is left; True the first time only."""
        left = self.db.execute(
            "SELECT count(*) FROM deliveries WHERE broadcast_id = ?"
            " AND state IN ('pending', 'sending')",
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
        counts = dict.fromkeys(("pending", "sending", "sent", "blocked", "failed"), 0)
        for state, count in self.db.execute(
            "SELECT state, count(*) FROM deliveries WHERE broadcast_id = ? GROUP BY state",
            [row["id"]],
        ):
            counts[state] = count
        row = {**row, **counts}
        if row["state"] != "done":
            active = row["active_at"] or datetime.fromisoformat(row["created_at"]).timestamp()
            if self.clock().timestamp() - active > STUCK_AFTER:
                row["state"] = "stalled"
        return row
