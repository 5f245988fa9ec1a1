"""The main menu and the two informational entries (日程与提醒, 联系方式)."""

from __future__ import annotations

from conversations import texts
from conversations.callbacks import encode
from conversations.core import Button, Context, Reply

MENU_CODE = "m"


def menu_buttons() -> list[list[Button]]:
    def b(label: str, target: str) -> Button:
        return Button(label=label, data=encode(MENU_CODE, "open", target))

    return [
        [b(texts.MENU_CHECK, "check"), b(texts.MENU_AREA, "area")],
        [b(texts.MENU_FAQ, "faq"), b(texts.MENU_CALENDAR, "calendar")],
        [b(texts.MENU_CONTACT, "contact")],
    ]


def back_button() -> list[Button]:
    return [Button(label=texts.BACK_TO_MENU, data=encode(MENU_CODE, "open", "menu"))]


def menu_reply(text: str = texts.MENU_PROMPT, *, edit: bool = False) -> Reply:
    return Reply(text=text, buttons=menu_buttons(), edit=edit)


def contacts_line(ctx: Context) -> tuple[str, str]:
    """(names, phones) of the notice's contacts, ready to put in a sentence."""
    c = ctx.kb.programme.contacts
    return "、".join(c.names), "、".join(c.phones)


def contact_reply(ctx: Context) -> Reply:
    names, phones = contacts_line(ctx)
    office = ctx.kb.programme.contacts.office
    text = texts.CONTACT.format(names=names, phones=phones, office=office)
    return Reply(text=text, buttons=[back_button()])


def calendar_text(ctx: Context) -> str:
    """The notice's calendar, and a plain word that it is 2016's when today is another year."""
    programme = ctx.kb.programme
    lines = [texts.CALENDAR_HEADER.format(year=programme.calendar_year)]
    for m in programme.calendar:
        lines.append(f"• {m.when}：{m.who}{m.what}（见通知{m.clause}）")
    year = ctx.clock().year
    if year != programme.calendar_year:
        lines.append(texts.CALENDAR_NOT_THIS_YEAR.format(year=year))
    lines.append(texts.REMINDERS_SOON)
    return "\n".join(lines)


def calendar_reply(ctx: Context) -> Reply:
    return Reply(text=calendar_text(ctx), buttons=[back_button()])
