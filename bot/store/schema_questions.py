"""Migration ``m022_answers_back`` (registered in order by ``bot.store.migrations``): questions
forwarded to an organizer and the answers organizers give back (issue 19, 4).

- ``unanswered`` gains what forwarding records: ``key`` (the handle the chat's 转给本市组织单位
  button names), the ``scope`` it was forwarded to, the asker's ``person_id`` and ``channel``,
  ``forwarded_at``, and the ``answer_id`` that answered it.
- ``local_answers``: one row per answer an organizer wrote to a group of forwarded questions —
  the scope it was written in, the unit it is signed as (无锡市经信委), the text, the questions
  it answered (JSON, to match a paraphrase), who wrote it and when; ``published`` when it
  answers the scope's next similar question, until withdrawn (who, when). The deliveries to
  the askers are rows of the ``messages`` outbox (kind ``answer``).
"""

from __future__ import annotations

from sqlite_utils import Database


def m022_answers_back(db: Database) -> None:
    for column, kind in (
        ("key", str),
        ("scope", str),
        ("person_id", int),
        ("channel", str),
        ("forwarded_at", str),
        ("answer_id", int),
    ):
        db["unanswered"].add_column(column, kind)
    db["unanswered"].create_index(["chat_id", "key"])
    db["unanswered"].create_index(["scope", "answer_id"])
    db["local_answers"].create(
        {
            "id": int,
            "scope": str,
            "publisher": str,
            "text": str,
            "questions": str,
            "written_by": int,  # a person (blanked when that person is forgotten)
            "written_at": str,
            "published": int,
            "withdrawn_by": int,
            "withdrawn_at": str,
        },
        pk="id",
        not_null={"scope", "publisher", "text", "questions", "written_at", "published"},
        defaults={"published": 0},
    )
    db["local_answers"].create_index(["published", "withdrawn_at", "scope"])
