"""What the profile flow (``conversations.flows.profile``) shows at each step: the questions,
their buttons, and the profile's summary."""

from __future__ import annotations

from conversations import texts
from conversations.callbacks import encode
from conversations.core import Button, Profile, Reply, Turn
from conversations.menu import back_button
from conversations.scopes import CITIES as CITIES  # the 13 cities, one list
from conversations.scopes import city_rows

CODE = "p"


def button(label: str, action: str, arg: str | int = "") -> Button:
    return Button(label=label, data=encode(CODE, action, arg))


def name_reply(turn: Turn) -> Reply:
    text = texts.PROFILE_ASK_NAME
    if turn.profile.enterprise_name:
        text = summary(turn.profile) + "\n" + text
    return Reply(text=text, buttons=[[button(texts.PROFILE_SKIP, "skip")], back_button()])


def city_reply(text: str = texts.PROFILE_ASK_CITY) -> Reply:
    return Reply(text=text, buttons=[*city_rows(CODE, "city"), back_button()])


def association_reply(offered: list[str], text: str = texts.PROFILE_ASK_ASSOCIATION) -> Reply:
    named = [button(name, "assoc", i) for i, name in enumerate(offered)]
    rows = [named[i : i + 2] for i in range(0, len(named), 2)]
    rows.append(
        [
            button(texts.PROFILE_OTHER_ASSOCIATION, "other"),
            button(texts.PROFILE_NO_ASSOCIATION, "noassoc"),
        ]
    )
    return Reply(text=text, buttons=[*rows, back_button()])


def type_reply(text: str = texts.PROFILE_TYPE_ASSOCIATION) -> Reply:
    buttons = [[button(texts.PROFILE_NO_ASSOCIATION, "noassoc")], back_button()]
    return Reply(text=text, buttons=buttons)


def confirm_reply(name: str) -> Reply:
    buttons = [
        [button(texts.PROFILE_BTN_YES, "yes"), button(texts.PROFILE_BTN_RETYPE, "retype")],
        back_button(),
    ]
    return Reply(text=texts.PROFILE_CONFIRM_ASSOCIATION.format(name=name), buttons=buttons)


def optional_reply(text: str, saved: str | None) -> Reply:
    """The contact person's or the contact's question: 跳过 keeps what is saved."""
    row = [button(texts.PROFILE_SKIP, "skip")]
    if saved:
        text += texts.PROFILE_KEEP_NOW.format(value=saved)
        row.append(button(texts.PROFILE_CLEAR, "clear"))
    return Reply(text=text, buttons=[row, back_button()])


def person_reply(turn: Turn, text: str = texts.PROFILE_ASK_PERSON) -> Reply:
    return optional_reply(text, turn.profile.contact_person)


def contact_reply(turn: Turn, text: str = texts.PROFILE_ASK_CONTACT) -> Reply:
    return optional_reply(text, turn.profile.contact)


def summary(profile: Profile) -> str:
    association = f"，{profile.association}" if profile.association else ""
    text = texts.PROFILE_SUMMARY.format(
        name=profile.enterprise_name or "（未填）",
        city=f"{profile.city}市" if profile.city else "（城市未填）",
        association=association,
    )
    if profile.contact_person or profile.contact:
        text += texts.PROFILE_SUMMARY_CONTACT.format(
            person=profile.contact_person or texts.PROFILE_NOT_GIVEN,
            contact=profile.contact or texts.PROFILE_NOT_GIVEN,
        )
    return text
