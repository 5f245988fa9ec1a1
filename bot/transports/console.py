"""The console transport: prints what would be sent (Django's ``console`` backend), so a
developer sees the whole path with nothing configured."""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass, field
from typing import TextIO

from bot.transports import SENT, Pace, Result
from conversations.core import Reply


@dataclass
class ConsoleTransport:
    channel: str = "console"
    pace: Pace = field(default_factory=Pace)
    out: TextIO | None = None
    _refs: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def send(
        self, address: str, reply: Reply, *, replace: str | None = None, interactive: bool = False
    ) -> Result:
        out = self.out or sys.stdout
        head = f"—— {self.channel} → {address}" + (f"（替换 {replace}）" if replace else "")
        print(head, reply.text, sep="\n", file=out, flush=True)
        if reply.file is not None:
            print(f"[附件] {reply.file.filename}", file=out, flush=True)
        return Result(SENT.outcome, ref=str(next(self._refs)))
