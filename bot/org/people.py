"""(being written) Pages of the organizers' console; see bot/org/pages.py."""

from __future__ import annotations

from bot.org.app import OrgConsole


def register(console: OrgConsole) -> None:
    """Add this module's routes to ``console.extra``."""
