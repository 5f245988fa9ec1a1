"""Users and their profile (the profile's one home)."""

from __future__ import annotations

from bot.store.people import PeopleStore, chat_channel
from conversations.core import Profile, UpdateProfile

PROFILE_FIELDS = ("enterprise_name", "city", "association", "contact_person", "contact")
ASKED = "profile_asked"  # column of Profile.asked


class UserStore(PeopleStore):
    def touch_user(
        self,
        chat_id: int,
        *,
        user_id: int | None = None,
        person_id: int | None = None,
        username: str | None = None,
        first_name: str | None = None,
    ) -> None:
        """Create or refresh the user record of a chat, with the person behind it."""
        now = self.now_iso()
        if person_id is None:
            channel = chat_channel(chat_id)
            who = user_id if channel == "telegram" and user_id is not None else chat_id
            person_id = self.person_of(channel, str(who))
        self.db.execute(
            "INSERT INTO users (chat_id, user_id, person_id, username, first_name, first_seen,"
            " last_seen) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET"
            " user_id = coalesce(excluded.user_id, user_id),"
            " person_id = coalesce(excluded.person_id, person_id),"
            " username = coalesce(excluded.username, username),"
            " first_name = coalesce(excluded.first_name, first_name),"
            " last_seen = excluded.last_seen",
            [chat_id, user_id, person_id, username, first_name, now, now],
        )
        if user_id is not None:  # the user writes to us again: reachable again
            self.reactivate(chat_channel(chat_id), str(chat_id))

    def user(self, chat_id: int) -> dict | None:
        rows = list(self.db["users"].rows_where("chat_id = ?", [chat_id]))
        return rows[0] if rows else None

    def profile(self, chat_id: int) -> Profile:
        row = self.db.execute(
            f"SELECT {', '.join(PROFILE_FIELDS)}, {ASKED} FROM users WHERE chat_id = ?", [chat_id]
        ).fetchone()
        if row is None:
            return Profile()
        return Profile(**dict(zip(PROFILE_FIELDS, row[:-1], strict=True)), asked=bool(row[-1]))

    def update_profile(self, chat_id: int, effect: UpdateProfile) -> None:
        changes = effect.model_dump(exclude={"kind"}, exclude_none=True)
        if "asked" in changes:
            changes[ASKED] = int(changes.pop("asked"))
        self.touch_user(chat_id)
        if changes:
            assignments = ", ".join(f"{name} = ?" for name in changes)
            self.db.execute(
                f"UPDATE users SET {assignments} WHERE chat_id = ?", [*changes.values(), chat_id]
            )
