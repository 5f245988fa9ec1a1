"""The main menu and what it opens besides flows: help, the notice's contacts, the apply route."""

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
        [b(texts.MENU_FAQ, "faq"), b(texts.MENU_CALENDAR, "deadlines")],
        [b(texts.MENU_CONTACT, "contact"), b(texts.MENU_PROFILE, "profile")],
        [b(texts.MENU_FILES, "files"), b(texts.MENU_PRIVACY, "privacy")],
    ]


def back_button() -> list[Button]:
    return [Button(label=texts.BACK_TO_MENU, data=encode(MENU_CODE, "open", "menu"))]


def open_button(label: str, target: str) -> Button:
    return Button(label=label, data=encode(MENU_CODE, "open", target))


def resume_button(label: str, flow: str) -> Button:
    return Button(label=label, data=encode(MENU_CODE, "resume", flow))


def menu_reply(text: str = texts.MENU_PROMPT, *, edit: bool = False) -> Reply:
    return Reply(text=text, buttons=menu_buttons(), edit=edit)


def doc(ctx: Context) -> dict[str, object]:
    """The notice's document number and year, for texts templated with them."""
    p = ctx.kb.programme
    return {"doc": p.document_number, "notice_year": p.calendar_year}


def greeting(ctx: Context) -> str:
    return texts.GREETING.format(bot=texts.BOT_NAME, **doc(ctx))


def help_reply(ctx: Context, commands: str) -> Reply:
    return menu_reply(texts.HELP.format(commands=commands, **doc(ctx)))


def contacts_line(ctx: Context) -> tuple[str, str]:
    """(names, phones) of the notice's contacts, ready to put in a sentence."""
    c = ctx.kb.programme.contacts
    return "、".join(c.names), "、".join(c.phones)


def contacts(ctx: Context) -> str:
    """The notice's contacts in a sentence, always said as the notice's year's (2016's)."""
    names, phones = contacts_line(ctx)
    year = ctx.kb.programme.calendar_year
    return texts.CONTACTS_2016.format(notice_year=year, names=names, phones=phones)


def apply_reply(ctx: Context) -> Reply:
    """怎么申请: the route the notice lays out, each step with its clause; the facts (materials,
    organizing units, the 2016 submission) from the knowledge, never typed here."""
    p = ctx.kb.programme
    materials = {m.id: m for m in p.materials}
    submit = next(m for m in p.calendar if m.id == "submit")
    units = next(o.name for o in p.organizers if o.id == "organizing_units")
    text = texts.APPLY_ROUTE.format(
        case_rules="，".join(materials["case"].requirements),
        form=materials["form"].name,
        form_attachment=materials["form"].attachment,
        case=materials["case"].name,
        units=units,
        submit_when=submit.when,
        submit_who=submit.who,
        submit_what=submit.what,
        contacts=contacts(ctx),
        **doc(ctx),
    )
    buttons = [
        [open_button(texts.MENU_CHECK, "check"), open_button(texts.MENU_AREA, "area")],
        [open_button(texts.MENU_CALENDAR, "calendar")],
        back_button(),
    ]
    return Reply(text=text, buttons=buttons)


def discard_question(ctx: Context, flow: str) -> Reply:
    """Asked before a half-done flow is thrown away."""
    buttons = [
        [
            Button(label=texts.DISCARD_YES, data=encode(MENU_CODE, "discard", flow)),
            resume_button(texts.DISCARD_NO, flow),
        ]
    ]
    return Reply(text=texts.DISCARD_ASK, buttons=buttons)


def info_reply(ctx: Context, target: str) -> Reply | None:
    """The informational menu entries (not flows; the contact reply is in
    ``conversations.contact_replies``: it reads the profile)."""
    if target == "apply":
        return apply_reply(ctx)
    return None
