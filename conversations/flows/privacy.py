"""What the bot keeps about a user (/privacy), and deleting all of it (/forget).

/forget asks first; only the 确定删除 button of that question deletes, through the
``ForgetUser`` effect, which the store applies in the turn's one transaction. The wording of
/privacy says what ``bot/store`` actually keeps and for how long.
"""

from __future__ import annotations

from conversations import texts
from conversations.callbacks import encode
from conversations.core import Button, ChatState, Context, ForgetUser, Outcome, Reply, Turn
from conversations.menu import back_button, menu_reply, open_button
from conversations.steps import LEAVE, Edge, Flow, Step, StepTable

CODE = "x"  # p is the profile flow
NAME = "forget"


def privacy_reply(ctx: Context, channel: str = "telegram") -> Reply:
    """What is kept, in the words of the channel asking: the web keeps a transcript and
    forgets after 180 days idle; Telegram keeps the account's ids."""
    if channel == "web":
        text = texts.PRIVACY_WEB
    elif channel == "console":  # the terminal chat: no Telegram account behind it
        text = texts.PRIVACY.replace(texts.PRIVACY_TELEGRAM_ACCOUNT, texts.PRIVACY_CONSOLE_ACCOUNT)
    else:
        text = texts.PRIVACY
    return Reply(text=text, buttons=[[open_button(texts.FORGET_BUTTON, NAME)], back_button()])


def _question() -> Reply:
    buttons = [
        [
            Button(label=texts.FORGET_YES, data=encode(CODE, "yes")),
            Button(label=texts.FORGET_NO, data=encode(CODE, "no")),
        ]
    ]
    return Reply(text=texts.FORGET_ASK, buttons=buttons)


def start(ctx: Context, turn: Turn) -> Outcome:
    return Outcome(state=turn.state.pause().at(NAME, "confirm"), replies=[_question()])


def _yes(ctx: Context, turn: Turn, arg: str) -> Outcome:
    return Outcome(
        state=ChatState(),
        replies=[menu_reply(texts.FORGET_DONE)],
        effects=[ForgetUser(user_id=turn.actor.user_id)],
        kind="forgotten",
    )


def _no(ctx: Context, turn: Turn, arg: str) -> Outcome:
    state = turn.state.dropped(NAME).at("menu")
    return Outcome(state=state, replies=[menu_reply(texts.FORGET_KEPT)])


_TABLE = StepTable(
    steps=(
        Step(
            "confirm",
            "确定删除全部数据？",
            buttons={
                "yes": Edge(_yes, (LEAVE,), "确定删除：ForgetUser"),
                "no": Edge(_no, (LEAVE,), "不删除"),
            },
        ),
    ),
    entry="/forget · /privacy 的“删除我的全部数据”",
)

FLOW = Flow(
    name=NAME,
    code=CODE,
    command="forget",
    description=texts.CMD_FORGET,
    table=lambda ctx: _TABLE,
    start=start,
    screen=lambda ctx, turn: _question() if turn.state.step == "confirm" else None,
    resume_label=lambda ctx, turn: texts.FORGET_RESUME,
    diagram="privacy.mmd",
)
