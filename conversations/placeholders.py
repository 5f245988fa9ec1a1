"""Placeholders in a notice written in the organizers' console: ``{企业名称}`` is filled for
each recipient from their enterprise profile when the message is sent (a recipient without one
gets a neutral word, 贵企业). Braces of either width (``{…}``, ``｛…｝``) mark a placeholder;
any other name between them is refused before anything is previewed or sent. Pure: plain data
in, text out (``bot.broadcast.sender`` fills each delivery, the console's preview one sample).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from conversations import texts
from conversations.flows.profile import NAME_LENGTH

PLACEHOLDER = re.compile(r"[{｛]([^{}｛｝\n]*)[}｝]")
FIELDS = {"企业名称": "enterprise_name"}  # a placeholder -> the profile field that fills it
LONGEST = {"enterprise_name": NAME_LENGTH[1]}  # the longest value a field can hold

Profile = Mapping[str, str | None]  # a recipient's profile fields (``users`` columns)


def names_in(text: str) -> list[str]:
    """The placeholders of ``text`` as written, each once, in order (``{企业名称}``)."""
    return list(dict.fromkeys(match.group(0) for match in PLACEHOLDER.finditer(text)))


def unknown(text: str) -> list[str]:
    """The placeholders of ``text`` nobody can fill, as written."""
    return [name for name in names_in(text) if _name(name) not in FIELDS]


def has_any(text: str) -> bool:
    return any(_name(name) in FIELDS for name in names_in(text))


def fill(text: str, profile: Profile) -> str:
    """``text`` with every known placeholder replaced by the recipient's own value (or the
    neutral word when their profile has none); anything else is left as it is."""

    def value(match: re.Match[str]) -> str:
        field = FIELDS.get(match.group(1).strip())
        if field is None:
            return match.group(0)
        found = (profile.get(field) or "").strip()
        return found or texts.ORG_BC_NEUTRAL[field]

    return PLACEHOLDER.sub(value, text)


def longest(text: str) -> str:
    """``text`` filled with the longest values its fields can hold (to measure the longest
    message a recipient can get)."""
    return fill(text, {field: "国" * size for field, size in LONGEST.items()})


def _name(written: str) -> str:
    return written[1:-1].strip()
