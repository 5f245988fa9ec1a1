"""企业信息 (the profile): enterprise name, city (one of Jiangsu's 13), optionally a provincial
industry association, and optionally a contact for the organizer's follow-up; then the
organizing unit the enterprise goes through (三, 四(四)).

Steps: ``name`` (text, or 跳过), ``city`` (a city button, or its name typed), ``association``
(a button per association an organizer exists for — the store's list, read through
``turn.records`` and kept in the state, so a button means what it showed — or 没有/跳过, or
其他 and a typed name), ``association_name`` (a typed name), ``association_confirm`` (是 /
重新输入: a typed name is kept only once confirmed, and only if it reads as an association's
name, ``conversations.profile_fields``), ``person`` (联系人, or 跳过) and ``contact`` (a phone
number or an e-mail address, or 跳过). Asked once when first needed (subscribing, the end of a
check), editable with /profile. Saved with ``UpdateProfile``; the notice gives no addresses or
phones of the organizing units, so none are given.
"""

from __future__ import annotations

from conversations import texts
from conversations.core import Context, Outcome, Profile, Reply, Turn, UpdateProfile
from conversations.flows import profile_screens as screens
from conversations.flows.profile_screens import CITIES as CITIES  # re-exported
from conversations.flows.profile_screens import CODE
from conversations.menu import back_button, contacts, open_button
from conversations.profile_fields import (
    association_name,
    bare_name,
    contact_point,
    is_association_name,
    person_name,
)
from conversations.steps import LEAVE, Edge, Flow, Step, StepTable

FLOW_NAME = "profile"
NAME_LENGTH = (2, 60)
MAX_ASSOCIATIONS = 20  # buttons offered; any other is typed
NO_WORDS = ("没有", "无", "没", "不是", "不属于")


def organizing_unit(ctx: Context, profile: Profile) -> str:
    """Whom the enterprise goes through, from the notice's 三 / 四(四); no invented contacts."""
    if profile.city and profile.association:
        unit = texts.PROFILE_UNIT_ASSOCIATION.format(
            city=profile.city, association=profile.association
        )
    elif profile.city:
        unit = texts.PROFILE_UNIT_CITY.format(city=profile.city)
    else:
        unit = texts.PROFILE_UNIT_UNKNOWN
    return unit + "\n" + texts.PROFILE_NO_ADDRESSES.format(contacts=contacts(ctx))


def unit_name(profile: Profile) -> str:
    """The organizing unit in a few words, for reminders."""
    if profile.association:
        return profile.association
    if profile.city:
        return f"{profile.city}市经信委或{profile.city}市质量协会"
    return "所在地区或行业的组织单位"


def _known_associations(turn: Turn) -> list[str]:
    """The associations organizers exist for (the store's list), at most MAX_ASSOCIATIONS."""
    if turn.records is None:
        return []
    return list(turn.records.associations())[:MAX_ASSOCIATIONS]


def start(ctx: Context, turn: Turn) -> Outcome:
    state = turn.state.pause().dropped(FLOW_NAME).at(FLOW_NAME, "name")
    return Outcome(
        state=state, replies=[screens.name_reply(turn)], effects=[UpdateProfile(asked=True)]
    )


def screen(ctx: Context, turn: Turn) -> Reply | None:
    step = turn.state.step if turn.state.flow == FLOW_NAME else ""
    data = turn.state.data
    shown = {
        "name": lambda: screens.name_reply(turn),
        "city": screens.city_reply,
        "association": lambda: screens.association_reply(data.get("offered", [])),
        "association_name": screens.type_reply,
        "association_confirm": lambda: screens.confirm_reply(data.get("typed", "")),
        "person": lambda: screens.person_reply(turn),
        "contact": lambda: screens.contact_reply(turn),
    }
    return shown[step]() if step in shown else None


# ---- name and city ---------------------------------------------------------------------------


def _on_name(ctx: Context, turn: Turn, text: str) -> Outcome | None:
    if turn.reading is not None and turn.reading.is_question:
        return None
    name = text.strip().strip("“”\"'「」《》 ")
    if name.lower() in texts.PROFILE_WORDS_SKIP:
        return _on_skip(ctx, turn, "")
    if not NAME_LENGTH[0] <= len(name) <= NAME_LENGTH[1] or name.startswith("/"):
        reply = Reply(
            text=texts.PROFILE_BAD_NAME, buttons=[[screens.button(texts.PROFILE_SKIP, "skip")]]
        )
        return Outcome(state=turn.state, replies=[reply])
    return Outcome(
        state=turn.state.with_data(step="city", name=name), replies=[screens.city_reply()]
    )


def _on_skip(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    """跳过 at the name: keep what is saved; with nothing saved, leave the questions."""
    if turn.profile.enterprise_name or turn.profile.city:
        return Outcome(state=turn.state.with_data(step="city"), replies=[screens.city_reply()])
    reply = Reply(text=texts.PROFILE_SKIPPED, buttons=[back_button()])
    return Outcome(state=turn.state.at("menu"), replies=[reply], effects=[])


def _city(ctx: Context, turn: Turn, city: str) -> Outcome:
    """On to the association: the organizers' list, the one saved before first (/profile)."""
    offered = _known_associations(turn)
    saved = turn.profile.association
    if saved and saved not in offered and is_association_name(saved):
        offered = [saved, *offered]
    state = turn.state.with_data(step="association", city=city, offered=offered)
    return Outcome(state=state, replies=[screens.association_reply(offered)])


def _on_city_button(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    if not arg.isdigit() or int(arg) >= len(CITIES):
        return None
    return _city(ctx, turn, CITIES[int(arg)])


def _on_city_text(ctx: Context, turn: Turn, text: str) -> Outcome | None:
    typed = text.strip().removeprefix("江苏").removeprefix("省").removesuffix("市")
    if typed in CITIES:
        return _city(ctx, turn, typed)
    if turn.reading is not None and turn.reading.is_question:
        return None
    return Outcome(state=turn.state, replies=[screens.city_reply(texts.PROFILE_BAD_CITY)])


# ---- the association -------------------------------------------------------------------------


def _chosen(ctx: Context, turn: Turn, association: str) -> Outcome:
    """The association settled ('' for none): on to the contact person."""
    state = turn.state.with_data(step="person", association=association, typed=None)
    return Outcome(state=state, replies=[screens.person_reply(turn)])


def _on_association_button(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    offered = turn.state.data.get("offered", [])
    if not arg.isdigit() or int(arg) >= len(offered):
        return None
    return _chosen(ctx, turn, offered[int(arg)])


def _on_no_association(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    return _chosen(ctx, turn, "")


def _on_other(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    return Outcome(
        state=turn.state.with_data(step="association_name"), replies=[screens.type_reply()]
    )


def _on_association_text(ctx: Context, turn: Turn, text: str) -> Outcome | None:
    """A typed association: one the organizers' list holds is taken; another is confirmed
    first; a text that is no association's name is answered with why, and nothing is kept."""
    typed = text.strip()
    if typed.lower() in (*texts.PROFILE_WORDS_SKIP, *NO_WORDS):
        return _chosen(ctx, turn, "")
    try:
        name = association_name(typed)
    except ValueError as why:
        about_us = any(word in typed for word in texts.PROFILE_WORDS_ABOUT_US)
        if turn.reading is not None and turn.reading.is_question and not about_us:
            return None  # a question mid-way: the router answers it, the step waits
        shown = typed[:40]
        bad = texts.PROFILE_BAD_ASSOCIATION.format(text=shown, why=why)
        offered = turn.state.data.get("offered", [])
        reply = screens.association_reply(offered, bad) if offered else screens.type_reply(bad)
        return Outcome(state=turn.state, replies=[reply], kind="profile_bad_association")
    offered = turn.state.data.get("offered") or _known_associations(turn)
    known = {bare_name(n): n for n in offered}
    if name in known.values():
        return _chosen(ctx, turn, name)
    name = known.get(bare_name(name), name)
    state = turn.state.with_data(step="association_confirm", typed=name)
    return Outcome(state=state, replies=[screens.confirm_reply(name)])


def _on_confirm_yes(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    typed = turn.state.data.get("typed")
    return _chosen(ctx, turn, typed) if typed else None


def _on_retype(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    state = turn.state.with_data(step="association_name", typed=None)
    return Outcome(state=state, replies=[screens.type_reply()])


def _on_confirm_text(ctx: Context, turn: Turn, text: str) -> Outcome | None:
    kind = turn.reading.intent.kind if turn.reading is not None else ""
    if kind == "yes":
        return _on_confirm_yes(ctx, turn, "")
    if kind == "no" or text.strip() == texts.PROFILE_BTN_RETYPE:
        return _on_retype(ctx, turn, "")
    return _on_association_text(ctx, turn, text)


# ---- the contact for follow-up ---------------------------------------------------------------


def _on_person_text(ctx: Context, turn: Turn, text: str) -> Outcome | None:
    if text.strip().lower() in texts.PROFILE_WORDS_SKIP:
        return _on_person_skip(ctx, turn, "")
    try:
        person = person_name(text)
    except ValueError as why:
        if turn.reading is not None and turn.reading.is_question:
            return None
        reply = screens.person_reply(turn, texts.PROFILE_BAD_PERSON.format(why=why))
        return Outcome(state=turn.state, replies=[reply], kind="profile_bad_person")
    state = turn.state.with_data(step="contact", person=person)
    return Outcome(state=state, replies=[screens.contact_reply(turn)])


def _on_person_skip(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    return Outcome(
        state=turn.state.with_data(step="contact"), replies=[screens.contact_reply(turn)]
    )


def _on_person_clear(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    state = turn.state.with_data(step="contact", person="")
    return Outcome(state=state, replies=[screens.contact_reply(turn)])


def _on_contact_text(ctx: Context, turn: Turn, text: str) -> Outcome | None:
    if text.strip().lower() in texts.PROFILE_WORDS_SKIP:
        return _done(ctx, turn)
    try:
        contact = contact_point(text)
    except ValueError as why:
        if turn.reading is not None and turn.reading.is_question:
            return None
        bad = texts.PROFILE_BAD_CONTACT.format(text=text.strip()[:40], why=why)
        reply = screens.contact_reply(turn, bad)
        return Outcome(state=turn.state, replies=[reply], kind="profile_bad_contact")
    return _done(ctx, turn.moved(turn.state.with_data(contact=contact)))


def _on_contact_skip(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    return _done(ctx, turn)


def _on_contact_clear(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    return _done(ctx, turn.moved(turn.state.with_data(contact="")))


def _done(ctx: Context, turn: Turn) -> Outcome:
    """Save what was given (a skipped contact field keeps what was saved; '' clears it)."""
    data = turn.state.data
    name = data.get("name") or turn.profile.enterprise_name
    person, contact = data.get("person"), data.get("contact")
    profile = Profile(
        enterprise_name=name,
        city=data.get("city"),
        association=data.get("association") or None,
        contact_person=turn.profile.contact_person if person is None else person,
        contact=turn.profile.contact if contact is None else contact,
        asked=True,
    )
    effect = UpdateProfile(
        enterprise_name=name,
        city=profile.city,
        association=profile.association or "",
        contact_person=person,
        contact=contact,
        asked=True,
    )
    text = screens.summary(profile) + "\n" + organizing_unit(ctx, profile)
    buttons = [
        [open_button(texts.MENU_CALENDAR, "calendar"), screens.button(texts.PROFILE_EDIT, "edit")],
        back_button(),
    ]
    return Outcome(
        state=turn.state.at("menu"), replies=[Reply(text=text, buttons=buttons)], effects=[effect]
    )


def _on_edit(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    return start(ctx, turn)


_TYPED = Edge(_on_association_text, ("association_confirm", "person"), "协会名称")
_NONE = Edge(_on_no_association, ("person",), "没有/跳过")
_CONFIRM_TEXT = Edge(
    _on_confirm_text, ("person", "association_name", "association_confirm"), "是/重新输入/名称"
)
_TABLE = StepTable(
    steps=(
        Step(
            "name",
            "企业名称",
            buttons={"skip": Edge(_on_skip, ("city", LEAVE), "跳过")},
            text=Edge(_on_name, ("city",), "名称"),
        ),
        Step(
            "city",
            "所在设区市（13个）",
            buttons={"city": Edge(_on_city_button, ("association",), "p:city:<0-12>")},
            text=Edge(_on_city_text, ("association",), "城市名"),
        ),
        Step(
            "association",
            "省级行业协会（可选）：按钮列出有组织单位的协会",
            buttons={
                "assoc": Edge(_on_association_button, ("person",), "p:assoc:<列表序号>"),
                "other": Edge(_on_other, ("association_name",), "其他（输入名称）"),
                "noassoc": _NONE,
            },
            text=_TYPED,
        ),
        Step("association_name", "输入协会全称", buttons={"noassoc": _NONE}, text=_TYPED),
        Step(
            "association_confirm",
            "确认输入的协会名称",
            buttons={
                "yes": Edge(_on_confirm_yes, ("person",), "是"),
                "retype": Edge(_on_retype, ("association_name",), "重新输入"),
            },
            text=_CONFIRM_TEXT,
        ),
        Step(
            "person",
            "联系人（可选）",
            buttons={
                "skip": Edge(_on_person_skip, ("contact",), "跳过"),
                "clear": Edge(_on_person_clear, ("contact",), "删除已填的"),
            },
            text=Edge(_on_person_text, ("contact",), "姓名"),
        ),
        Step(
            "contact",
            "联系电话或邮箱（可选）",
            buttons={
                "skip": Edge(_on_contact_skip, (LEAVE,), "跳过"),
                "clear": Edge(_on_contact_clear, (LEAVE,), "删除已填的"),
            },
            text=Edge(_on_contact_text, (LEAVE,), "电话或邮箱"),
        ),
    ),
    anywhere={"edit": Edge(_on_edit, ("name",), "修改企业信息")},
    entry="/profile · 订阅提醒或自测结束时（只问一次） · 自测结果的按钮",
)

FLOW = Flow(
    name=FLOW_NAME,
    code=CODE,
    command="profile",
    description=texts.CMD_PROFILE,
    table=lambda ctx: _TABLE,
    start=start,
    screen=screen,
    diagram="profile.mmd",
    resume_label=lambda ctx, turn: texts.PROFILE_RESUME,
)
