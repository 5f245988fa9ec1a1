"""The transport for tests: keeps what it was given in a list (Django's ``locmem`` backend).

``script`` makes the next sends to an address answer something else than ``sent`` (a blocked
chat, a 429, a transient failure), so the dispatcher's handling of each outcome can be tested.
"""

from __future__ import annotations

import itertools
from collections import defaultdict, deque
from dataclasses import dataclass, field

from bot.transports import SENT, Pace, Result
from conversations.core import Reply


@dataclass(frozen=True)
class Sent:
    address: str
    reply: Reply
    replace: str | None
    ref: str


@dataclass
class MemoryTransport:
    channel: str = "telegram"
    pace: Pace = field(default_factory=Pace)
    outbox: list[Sent] = field(default_factory=list)
    _script: dict[str, deque[Result]] = field(default_factory=lambda: defaultdict(deque))
    _refs: itertools.count = field(default_factory=lambda: itertools.count(1))

    def script(self, address: str, *results: Result) -> None:
        """The next sends to ``address`` answer these, in order (then ``sent`` again)."""
        self._script[address].extend(results)

    async def send(
        self, address: str, reply: Reply, *, replace: str | None = None, interactive: bool = False
    ) -> Result:
        planned = self._script.get(address)
        if planned:
            return planned.popleft()
        ref = str(next(self._refs))
        self.outbox.append(Sent(address, reply, replace, ref))
        return Result(SENT.outcome, ref=ref)

    def texts(self, address: str | None = None) -> list[str]:
        return [s.reply.text for s in self.outbox if address is None or s.address == address]
