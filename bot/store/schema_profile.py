"""Migration ``m018_profile_contact`` (registered in order by ``bot.store.migrations``): the
enterprise's own details for the organizer's follow-up, and the associations cleaned.

- ``users.contact_person`` and ``users.contact`` (a phone number or an e-mail address): given
  in the profile when the enterprise wants to, shown to the organizers of its scope and in
  their export; deleted with the user's row by /forget.
- ``users.association``: until now any text typed at that question was kept ("不知道
  我们是做机械的" among them), and it showed as an association on the console's 企业 page, in
  the export, in an association organizer's scope and in the user's own summary. Every value
  that does not read as an association's name (``conversations.profile_fields``, the rule the
  profile now applies before keeping one) is cleared here, once, rather than hidden by each
  reader: the scope filter, the statistics, the broadcast segments, the reminders and the
  roster all read the column in SQL, and a reader that skipped it would have to repeat the
  rule in each (or count a row it then hides). The enterprise can give its association again
  with /profile; nothing else of the row changes.
"""

from __future__ import annotations

from sqlite_utils import Database


def m018_profile_contact(db: Database) -> None:
    from conversations.profile_fields import is_association_name  # the rule, read once here

    db["users"].add_column("contact_person", str)
    db["users"].add_column("contact", str)
    found = db.execute(
        "SELECT chat_id, association FROM users WHERE association IS NOT NULL AND association != ''"
    ).fetchall()
    cleared = [chat_id for chat_id, association in found if not is_association_name(association)]
    for chat_id in cleared:
        db.execute("UPDATE users SET association = NULL WHERE chat_id = ?", [chat_id])
