"""Migration ``m016_console_broadcasts`` (registered in order by ``bot.store.migrations``):
broadcasts sent from the organizers' console.

- ``broadcasts.test_mode``: 1 for a broadcast recorded in test mode (测试模式: its state and every
  delivery row are ``test``; no outbox claim takes a row that is not ``pending``, so nothing of
  it is ever sent or counted as delivered);
- ``broadcasts.personal``: 1 when its text has placeholders (``{企业名称}``) the sender fills
  for each recipient (``conversations.placeholders``); a notice typed in Telegram is sent as is;
- ``broadcasts.form_key``: the confirm form's own random id, unique per person, so a form sent
  twice (a double click, a replay) makes one broadcast.
"""

from __future__ import annotations

from sqlite_utils import Database


def m016_console_broadcasts(db: Database) -> None:
    db["broadcasts"].add_column("test_mode", int, not_null_default=0)
    db["broadcasts"].add_column("personal", int, not_null_default=0)
    db["broadcasts"].add_column("form_key", str)
    db["broadcasts"].create_index(["by_user", "form_key"], unique=True)
