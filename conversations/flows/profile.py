"""企业信息 (the profile): enterprise name, city (one of Jiangsu's 13), optionally a provincial
industry association; then the organizing unit the enterprise goes through (三, 四(四)).

Steps: ``name`` (text, or 跳过), ``city`` (a city button, or its name typed), ``association``
(text, or 没有/跳过). Asked once when first needed (subscribing, the end of a check), editable
with /profile. Saved with ``UpdateProfile``; the notice gives no addresses or phones of the
organizing units, so none are given.
"""

from __future__ import annotations

from conversations import texts
from conversations.callbacks import encode
from conversations.core import Button, Context, Outcome, Profile, Reply, Turn, UpdateProfile
from conversations.menu import back_button, contacts, open_button
from conversations.steps import LEAVE, Edge, Flow, Step, StepTable

CODE = "p"
FLOW_NAME = "profile"
CITIES = (
    "南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安", "盐城", "扬州", "镇江",
    "泰州", "宿迁",
)  # fmt: skip
NAME_LENGTH = (2, 60)


def _button(label: str, action: str, arg: str | int = "") -> Button:
    return Button(label=label, data=encode(CODE, action, arg))


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


# ---- screens ---------------------------------------------------------------------------------


def _name_reply(turn: Turn) -> Reply:
    text = texts.PROFILE_ASK_NAME
    if turn.profile.enterprise_name:
        text = summary(turn.profile) + "\n" + text
    return Reply(text=text, buttons=[[_button(texts.PROFILE_SKIP, "skip")], back_button()])


def _city_reply(text: str = texts.PROFILE_ASK_CITY) -> Reply:
    buttons = [_button(city, "city", i) for i, city in enumerate(CITIES)]
    rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    return Reply(text=text, buttons=[*rows, back_button()])


def _association_reply() -> Reply:
    buttons = [[_button(texts.PROFILE_NO_ASSOCIATION, "noassoc")], back_button()]
    return Reply(text=texts.PROFILE_ASK_ASSOCIATION, buttons=buttons)


def summary(profile: Profile) -> str:
    association = f"，{profile.association}" if profile.association else ""
    return texts.PROFILE_SUMMARY.format(
        name=profile.enterprise_name or "（未填）",
        city=f"{profile.city}市" if profile.city else "（城市未填）",
        association=association,
    )


def start(ctx: Context, turn: Turn) -> Outcome:
    state = turn.state.pause().dropped(FLOW_NAME).at(FLOW_NAME, "name")
    return Outcome(state=state, replies=[_name_reply(turn)], effects=[UpdateProfile(asked=True)])


def screen(ctx: Context, turn: Turn) -> Reply | None:
    step = turn.state.step if turn.state.flow == FLOW_NAME else ""
    if step == "name":
        return _name_reply(turn)
    if step == "city":
        return _city_reply()
    if step == "association":
        return _association_reply()
    return None


# ---- handlers --------------------------------------------------------------------------------


def _on_name(ctx: Context, turn: Turn, text: str) -> Outcome | None:
    if turn.reading is not None and turn.reading.is_question:
        return None
    name = text.strip().strip("“”\"'「」《》 ")
    if name.lower() in texts.PROFILE_WORDS_SKIP:
        return _on_skip(ctx, turn, "")
    if not NAME_LENGTH[0] <= len(name) <= NAME_LENGTH[1] or name.startswith("/"):
        reply = Reply(text=texts.PROFILE_BAD_NAME, buttons=[[_button(texts.PROFILE_SKIP, "skip")]])
        return Outcome(state=turn.state, replies=[reply])
    return Outcome(state=turn.state.with_data(step="city", name=name), replies=[_city_reply()])


def _on_skip(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    """跳过 at the name: keep what is saved; with nothing saved, leave the questions."""
    if turn.profile.enterprise_name or turn.profile.city:
        return Outcome(state=turn.state.with_data(step="city"), replies=[_city_reply()])
    reply = Reply(text=texts.PROFILE_SKIPPED, buttons=[back_button()])
    return Outcome(state=turn.state.at("menu"), replies=[reply], effects=[])


def _city(ctx: Context, turn: Turn, city: str) -> Outcome:
    state = turn.state.with_data(step="association", city=city)
    return Outcome(state=state, replies=[_association_reply()])


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
    return Outcome(state=turn.state, replies=[_city_reply(texts.PROFILE_BAD_CITY)])


def _done(ctx: Context, turn: Turn, association: str | None) -> Outcome:
    data = turn.state.data
    name = data.get("name") or turn.profile.enterprise_name
    profile = Profile(
        enterprise_name=name, city=data.get("city"), association=association, asked=True
    )
    effect = UpdateProfile(
        enterprise_name=name, city=profile.city, association=association or "", asked=True
    )
    text = summary(profile) + "\n" + organizing_unit(ctx, profile)
    buttons = [
        [open_button(texts.MENU_CALENDAR, "calendar"), _button(texts.PROFILE_EDIT, "edit")],
        back_button(),
    ]
    return Outcome(
        state=turn.state.at("menu"), replies=[Reply(text=text, buttons=buttons)], effects=[effect]
    )


def _on_association_text(ctx: Context, turn: Turn, text: str) -> Outcome | None:
    name = text.strip().strip("“”\"'「」《》 ")
    named = name.endswith(("协会", "商会", "联合会")) and not any(q in name for q in "?？吗")
    if not named and turn.reading is not None and turn.reading.is_question:
        return None
    if not NAME_LENGTH[0] <= len(name) <= NAME_LENGTH[1] or name.startswith("/"):
        return Outcome(state=turn.state, replies=[_association_reply()])
    return _done(ctx, turn, name)


def _on_no_association(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    return _done(ctx, turn, None)


def _on_edit(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    return start(ctx, turn)


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
            "省级行业协会（可选）",
            buttons={"noassoc": Edge(_on_no_association, (LEAVE,), "没有/跳过")},
            text=Edge(_on_association_text, (LEAVE,), "协会名称"),
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
