"""The flows and commands the router knows: every flow by name and by button code, the
commands that act rather than open a flow, and the command list each role sees."""

from __future__ import annotations

from conversations import forwarding, texts
from conversations.flows import (
    areas,
    broadcast,
    deadlines,
    eligibility,
    faq,
    files,
    mail,
    organizers,
    privacy,
    profile,
    reports,
)
from conversations.flows.reports import REPORT_COMMANDS
from conversations.menu import MENU_CODE
from conversations.steps import Flow

MAX_TEXT = 4096  # characters of one message we read (Telegram's own limit)

FLOWS: dict[str, Flow] = {
    f.name: f
    for f in (
        eligibility.FLOW,
        areas.FLOW,
        faq.FLOW,
        deadlines.FLOW,
        profile.FLOW,
        mail.FLOW,
        privacy.FLOW,
        broadcast.FLOW,
        files.FLOW,
    )
}
BUTTON_FLOWS = (forwarding.FLOW,)  # reached by buttons only: no command, not in the menu
FLOWS_BY_CODE: dict[str, Flow] = {f.code: f for f in (*FLOWS.values(), *BUTTON_FLOWS)}
assert len(FLOWS_BY_CODE) == len(FLOWS) + len(BUTTON_FLOWS), "a flow code is taken"
assert MENU_CODE not in FLOWS_BY_CODE, "the menu's code is taken"
ALIASES = {"calendar": "deadlines"}  # older menu buttons and deep links
# Commands that act rather than open a flow: name -> handler(ctx, turn, args).
ACTIONS = {**deadlines.ACTIONS, **reports.ACTIONS}
ADMIN_ACTIONS = deadlines.ADMIN_ACTIONS  # not in the public command list; checked in the flow
# Organizers set their own scope's dates, admins and the province any scope's (the store checks).
CALENDAR_COMMANDS = {"calendar_set": texts.CMD_CALENDAR_SET}

# Commands a user can type: name -> description (Telegram command list); flows add theirs.
COMMANDS: dict[str, str] = {
    "start": texts.CMD_START,
    "menu": texts.CMD_MENU,
    **{f.command: f.description for f in FLOWS.values() if not f.organizers_only},
    "remind": texts.CMD_REMIND,
    "stop_reminders": texts.CMD_STOP_REMINDERS,
    "ics": texts.CMD_ICS,
    "privacy": texts.CMD_PRIVACY,
    "help": texts.CMD_HELP,
    "cancel": texts.CMD_CANCEL,
}
# Shown in organizers' and admins' own command lists only (a per-chat scope).
ORGANIZER_COMMANDS: dict[str, str] = {
    **COMMANDS,
    **organizers.ORGANIZER_COMMANDS,
    **REPORT_COMMANDS,
    **CALENDAR_COMMANDS,
}
ADMIN_COMMANDS: dict[str, str] = {
    **ORGANIZER_COMMANDS,
    **organizers.ADMIN_COMMANDS,
}


def commands_for(role: str) -> dict[str, str]:
    """The command list of an enterprise, an organizer or an admin."""
    return {"admin": ADMIN_COMMANDS, "organizer": ORGANIZER_COMMANDS}.get(role, COMMANDS)


def commands_help() -> str:
    return " ".join(f"/{name}" for name in COMMANDS)
