"""The web page as a transport: a reminder or a notice lands in the visitor's conversation (the
transcript the page shows), marked pushed. An open page polls for it and shows it at once; else
it is shown on the next visit, marked new (Web Push cannot be reached from mainland China). A
session that no longer exists (forgotten, expired) is a destination gone."""

from __future__ import annotations

import itertools

from bot.transports import Pace, Result
from bot.web.sessions import Shown, WebSessions
from conversations.core import Reply


class WebTransport:
    channel = "web"

    def __init__(self, sessions: WebSessions, pace: Pace | None = None) -> None:
        self.sessions = sessions
        self.pace = pace or Pace(in_flight=1)  # a write to the store: nothing to wait for
        self._count = itertools.count()

    async def send(
        self, address: str, reply: Reply, *, replace: str | None = None, interactive: bool = False
    ) -> Result:
        chat_id = int(address)
        if not self.sessions.exists(chat_id):
            return Result("blocked", "web session gone")
        file = reply.file
        carried = None if file is None else (file.filename, file.mime, file.content)
        shown = Shown(reply.text, reply.buttons, carried, edit=replace is not None)
        origin = int(replace) if replace else None
        messages, _ = self.sessions.record(chat_id, None, [shown], origin, pushed=True)
        return Result("sent", ref=str(messages[-1].id))
