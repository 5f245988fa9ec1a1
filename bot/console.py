"""``biaogan chat``: a terminal conversation over the same flows the Telegram bot runs.

Buttons are shown as numbered choices; type the number to press one. ``/command`` works as on
Telegram. ``exit`` or Ctrl-D leaves.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TextIO

from bot.dispatch import Dispatcher
from bot.runtime import make_dispatcher
from bot.service import ChatService
from bot.store.people import CONSOLE_CHAT as CONSOLE_CHAT_ID
from bot.transports.console import ConsoleTransport
from conversations import texts
from conversations.core import Button, CallbackEvent, CommandEvent, Event, Reply, TextEvent

EXIT_WORDS = {"exit", "quit", "退出", "/exit", "/quit"}


def render(reply: Reply) -> tuple[str, list[Button]]:
    """The reply as terminal text, and its buttons in the order they are numbered."""
    buttons = [button for row in reply.buttons for button in row]
    lines = [reply.text]
    if buttons:
        lines.append("  ".join(f"[{i}] {b.label}" for i, b in enumerate(buttons, start=1)))
    return "\n".join(lines), buttons


def to_event(line: str, buttons: list[Button]) -> Event:
    """A typed line as an event: a button number, a /command, or free text."""
    stripped = line.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(buttons):
        return CallbackEvent(data=buttons[int(stripped) - 1].data)
    if stripped.startswith("/") and len(stripped) > 1:
        name, _, args = stripped[1:].partition(" ")
        return CommandEvent(name=name, args=args)
    return TextEvent(text=line)


def chat(
    service: ChatService, read: Callable[[str], str] = input, out: TextIO | None = None
) -> int:
    """Run the console conversation until ``exit`` or end of input."""
    import sys

    out = out or sys.stdout
    buttons: list[Button] = []

    def show(replies: list[Reply]) -> None:
        nonlocal buttons
        for reply in replies:
            text, shown = render(reply)
            print(text, file=out)
            if reply.file is not None:
                print(texts.CONSOLE_FILE.format(name=reply.file.filename), file=out)
            buttons = shown or buttons
        print(file=out)

    def turn(event: Event) -> list[Reply]:
        return service.finish_now(service.handle(actor, event).replies)

    actor = service.actor(CONSOLE_CHAT_ID, CONSOLE_CHAT_ID, channel="console")
    dispatcher = make_dispatcher(service, [ConsoleTransport(out=out)])
    print(texts.CONSOLE_WELCOME, file=out)
    show(turn(CommandEvent(name="start")))
    while True:
        asyncio.run(_drain(dispatcher))  # reminders and mails due meanwhile, before the prompt
        try:
            line = read("> ")
        except (EOFError, KeyboardInterrupt):
            break
        if line.strip().lower() in EXIT_WORDS:
            break
        show(turn(to_event(line, buttons)))
    print(texts.CONSOLE_BYE, file=out)
    return 0


async def _drain(dispatcher: Dispatcher) -> None:
    """Send what is due on the console and by e-mail (without SMTP: to the log)."""
    await dispatcher.drain("console")
    await dispatcher.drain("email")
