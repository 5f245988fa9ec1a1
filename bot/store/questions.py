"""Questions forwarded to an organizer, the answers organizers give back, and the answers they
publish for their scope (issue 19, 4). Rows first, messages second: answering a group writes
the answer, marks its questions and queues one ``messages`` row per asker's destination (the
chat they asked from, and their confirmed, subscribed e-mail addresses) in one transaction;
the dispatcher sends them (``bot.mail.Letters`` renders the text), so a restart loses none.

Who may do what is read here from the store's own tables: a question is forwarded only from
its own chat, to a scope of that chat's profile; an organizer reads and answers the questions
forwarded to its own scope (the province: all) and withdraws its scope's answers.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from bot.store.base import StoreError
from bot.store.people import NotAllowed, PeopleStore, chat_channel
from conversations import scopes
from conversations.core import ForwardQuestion, LocalAnswer

ANSWER_LENGTH = 2000  # characters of an organizer's answer
PUBLISHED_READ = 500  # published answers a question is compared with, newest first
NOTE_EVERY = timedelta(hours=1)  # an organizer is told of waiting questions at most this often


class QuestionsGone(StoreError):
    """The questions were answered meanwhile, or are not forwarded: nothing was written."""


class QuestionStore(PeopleStore):
    # ---- the asker's side ----------------------------------------------------------------------

    def forwardable(self, chat_id: int, key: str) -> dict[str, Any] | None:
        """The chat's question behind a forward button (its text, and ``scope`` once sent)."""
        row = self.db.execute(
            "SELECT id, text, scope FROM unanswered WHERE chat_id = ? AND key = ?", [chat_id, key]
        ).fetchone()
        return {"id": row[0], "text": row[1], "scope": row[2]} if row else None

    def forward_question(self, chat_id: int, effect: ForwardQuestion) -> None:
        """Record the question as forwarded to ``effect.scope``, with the asker's person and
        channel; NotAllowed for another chat's question or a scope not of the chat's profile."""
        found = self.forwardable(chat_id, effect.key)
        if found is None:
            raise NotAllowed(f"chat {chat_id} has no question {effect.key!r}")
        if found["scope"] is not None:
            return  # forwarded before (a double tap)
        profile = self.db.execute(
            "SELECT city, association, person_id FROM users WHERE chat_id = ?", [chat_id]
        ).fetchone()
        city, association, person = profile if profile else (None, None, None)
        if effect.scope not in scopes.scopes_of(city, association):
            raise NotAllowed(f"chat {chat_id} may not forward to {effect.scope}")
        now = self.now_iso()
        self.db.execute(
            "UPDATE unanswered SET scope = ?, person_id = ?, channel = ?, forwarded_at = ?"
            " WHERE id = ?",
            [effect.scope, person, chat_channel(chat_id), now, found["id"]],
        )
        self._tell_organizers(effect.scope, now)

    def _tell_organizers(self, scope: str, now: str) -> None:
        """A mail to the scope's organizers (none: the province's) that a question waits for
        them in the console (which they sign in to by e-mail): rows first, in the forward's
        transaction; at most one per address an hour, so a burst of questions is one mail."""
        since = (datetime.fromisoformat(now) - NOTE_EVERY).isoformat()
        for wanted in dict.fromkeys((scope, scopes.PROVINCE)):
            found = self.db.execute(
                "SELECT d.id, d.channel FROM organizers o JOIN destinations d"
                " ON d.person_id = o.person_id WHERE o.scope = ? AND o.revoked_at IS NULL"
                " AND d.channel = 'email' AND d.active = 1 ORDER BY d.id",
                [wanted],
            ).fetchall()
            if found:
                break
        payload = json.dumps({"scope": scope}, ensure_ascii=False)
        for destination, channel in found:  # e-mail
            if self.db.execute(
                "SELECT 1 FROM messages WHERE destination_id = ? AND kind = 'forwarded'"
                " AND created_at > ?",
                [destination, since],
            ).fetchone():
                continue
            self.db.execute(
                "INSERT INTO messages (destination_id, channel, kind, payload, status, due_at,"
                " created_at) VALUES (?, ?, 'forwarded', ?, 'pending', ?, ?)",
                [destination, channel, payload, now, now],
            )

    def waiting_count(self, scope: str) -> int:
        """Questions forwarded to ``scope`` and not answered yet."""
        return self.db.execute(
            "SELECT count(*) FROM unanswered WHERE scope = ? AND forwarded_at IS NOT NULL"
            " AND answer_id IS NULL",
            [scope],
        ).fetchone()[0]

    def local_answers_for(self, wanted: list[str]) -> list[LocalAnswer]:
        """The answers published (not withdrawn) for the scopes ``wanted``, newest first."""
        if not wanted:
            return []
        marks = ", ".join("?" for _ in wanted)
        rows = self.db.execute(
            "SELECT id, scope, publisher, text, questions, written_at FROM local_answers"
            f" WHERE published = 1 AND withdrawn_at IS NULL AND scope IN ({marks})"
            " ORDER BY id DESC LIMIT ?",
            [*wanted, PUBLISHED_READ],
        )
        return [
            LocalAnswer(id=i, scope=s, unit=u, day=at[:10], text=t, questions=json.loads(q))
            for i, s, u, t, q, at in rows
        ]

    # ---- the organizer's side --------------------------------------------------------------------

    def _own_scope(self, person_id: int) -> tuple[str, str, list[Any]]:
        """The reader's scope, and the condition on a forwarded question's scope it reads."""
        own = self.require_organizer(person_id)
        if own == scopes.PROVINCE:
            return own, "1 = 1", []
        return own, "q.scope = ?", [own]

    def forwarded_questions(self, person_id: int) -> list[dict[str, Any]]:
        """The questions forwarded to the reader's scope (the province: all) and not yet
        answered, newest first."""
        _, where, params = self._own_scope(person_id)
        rows = self.db.execute(
            "SELECT q.id, q.text, q.scope, q.forwarded_at, q.chat_id FROM unanswered q"
            f" WHERE q.forwarded_at IS NOT NULL AND q.answer_id IS NULL AND {where}"
            " ORDER BY q.id DESC LIMIT 5000",
            params,
        )
        keys = ("id", "text", "scope", "forwarded_at", "chat_id")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def answer_questions(
        self, person_id: int, ids: list[int], unit: str, text: str, *, publish: bool = False
    ) -> int:
        """One answer to a group of forwarded questions: its row, the questions marked, one
        ``messages`` row per asker's destination, the audit row; the answer's id. NotAllowed
        for a question outside the reader's scope or a unit not theirs; QuestionsGone when a
        question is answered already (or was never forwarded)."""
        own, where, params = self._own_scope(person_id)
        text = text.strip()
        if unit not in self.signing_units(own):
            raise NotAllowed(f"person {person_id} may not sign as {unit!r}")
        if not ids or not text or len(text) > ANSWER_LENGTH:
            raise ValueError("an answer needs questions and a text")
        marks = ", ".join("?" for _ in ids)
        with self.db.atomic():
            rows = self.db.execute(
                "SELECT q.id, q.text, q.chat_id, q.person_id, q.forwarded_at, q.answer_id,"
                f" {where} FROM unanswered q WHERE q.id IN ({marks})",
                [*params, *ids],
            ).fetchall()
            if not all(r[6] for r in rows):
                raise NotAllowed(f"person {person_id} reads no question of {ids}")
            if len(rows) != len(set(ids)) or any(r[4] is None or r[5] is not None for r in rows):
                raise QuestionsGone(f"questions {ids} are answered or not forwarded")
            now = self.now_iso()
            questions = list(dict.fromkeys(r[1].strip() for r in rows))
            cursor = self.db.execute(
                "INSERT INTO local_answers (scope, publisher, text, questions, written_by,"
                " written_at, published) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [own, unit, text, json.dumps(questions, ensure_ascii=False), person_id, now,
                 int(publish)],
            )  # fmt: skip
            answer_id = cursor.lastrowid
            assert answer_id is not None
            self.db.execute(
                f"UPDATE unanswered SET answer_id = ? WHERE id IN ({marks})", [answer_id, *ids]
            )
            queued = self._queue_answer(answer_id, rows, now)
            detail = {"answer": answer_id, "questions": len(rows), "messages": queued,
                      "published": publish}  # fmt: skip
            self.audit(person_id, "answer", own, detail)  # type: ignore[attr-defined]
        return answer_id

    def _queue_answer(self, answer_id: int, rows: list[tuple], now: str) -> int:
        """One ``messages`` row per destination of the askers: each chat asked from, and each
        confirmed, subscribed, reachable e-mail address of its person."""
        queued: set[int] = set()
        for _, question, chat_id, person, *_ in rows:
            targets = [self.chat_destination(chat_id)]
            if person is not None:
                targets += [
                    d for (d,) in self.db.execute(
                        "SELECT d.id FROM destinations d WHERE d.person_id = ?"
                        " AND d.channel = 'email' AND d.verified = 1 AND d.active = 1"
                        " AND EXISTS (SELECT 1 FROM subscriptions s"
                        " WHERE s.destination_id = d.id AND s.active = 1)",
                        [person],
                    )
                ]  # fmt: skip
            for destination in targets:
                if destination in queued:
                    continue
                queued.add(destination)
                channel, _ = self.destination_of(destination) or ("", "")
                payload = json.dumps({"answer_id": answer_id, "question": question},
                                     ensure_ascii=False)  # fmt: skip
                self.db.execute(
                    "INSERT INTO messages (destination_id, channel, chat_id, kind, payload,"
                    " status, due_at, created_at) VALUES (?, ?, ?, 'answer', ?, 'pending', ?, ?)",
                    [destination, channel, chat_id, payload, now, now],
                )
        return len(queued)

    def answer_of(self, answer_id: int) -> dict[str, Any] | None:
        """An answer as it is delivered: unit, day and text."""
        row = self.db.execute(
            "SELECT publisher, written_at, text FROM local_answers WHERE id = ?", [answer_id]
        ).fetchone()
        return {"unit": row[0], "day": row[1][:10], "text": row[2]} if row else None

    def published_answers(self, person_id: int) -> list[dict[str, Any]]:
        """The answers published in the reader's scope (the province: every scope's), newest
        first, with who wrote (and withdrew) each and when."""
        own = self.require_organizer(person_id)
        mine, params = ("", []) if own == scopes.PROVINCE else (" AND a.scope = ?", [own])
        rows = self.db.execute(
            "SELECT a.id, a.scope, a.publisher, a.text, a.questions, a.written_at,"
            " a.withdrawn_at, a.written_by, a.withdrawn_by FROM local_answers a"
            f" WHERE a.published = 1{mine} ORDER BY a.id DESC LIMIT 500",
            params,
        ).fetchall()
        found = []
        for row in rows:
            answer_id, scope, unit, text, questions, at, withdrawn_at, by, gone_by = row
            found.append({
                "id": answer_id, "scope": scope, "unit": unit, "text": text,
                "question": json.loads(questions)[0], "at": at, "withdrawn_at": withdrawn_at,
                "who": self._who(by), "withdrawn_who": self._who(gone_by),
            })  # fmt: skip
        return found

    def _who(self, person_id: int | None) -> str:
        return self.person_name(person_id) if person_id else "—"  # type: ignore[attr-defined]

    def withdraw_answer(self, person_id: int, answer_id: int) -> bool:
        """Withdraw a published answer (its scope's organizers, or the province): no enterprise
        is given it any more. False: none such, or withdrawn already; audited."""
        own = self.require_organizer(person_id)
        row = self.db.execute(
            "SELECT scope FROM local_answers WHERE id = ? AND published = 1"
            " AND withdrawn_at IS NULL",
            [answer_id],
        ).fetchone()
        if row is None:
            return False
        if own != scopes.PROVINCE and row[0] != own:
            raise NotAllowed(f"person {person_id} may not withdraw answer {answer_id}")
        with self.db.atomic():
            self.db.execute(
                "UPDATE local_answers SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ?",
                [self.now_iso(), person_id, answer_id],
            )
            self.audit(person_id, "answer_withdraw", row[0], {"answer": answer_id})  # type: ignore[attr-defined]
        return True
