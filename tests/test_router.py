"""The main menu, commands, deep links and the inputs every flow shares."""

import pytest

from conversations import commands, router, texts
from conversations.core import (
    CallbackEvent,
    ChatState,
    CommandEvent,
    OtherEvent,
    TextEvent,
)
from conversations.menu import menu_buttons
from tests.driver import Chat, turn_of
from tests.driver import handle as drive

MENU_LABELS = [
    texts.MENU_CHECK,
    texts.MENU_AREA,
    texts.MENU_FAQ,
    texts.MENU_CALENDAR,
    texts.MENU_CONTACT,
    texts.MENU_PROFILE,
    texts.MENU_FILES,
    texts.MENU_PRIVACY,
]


def labels(reply):
    return [b.label for row in reply.buttons for b in row]


def test_start_greets_with_the_main_menu(ctx):
    out = drive(ctx, ChatState(flow="check", step="c2"), CommandEvent(name="start"))
    assert "您好" in out.replies[0].text
    assert labels(out.replies[0]) == ["继续自测（第3/8题）", *MENU_LABELS]
    assert out.state.flow == "menu" and out.state.paused["check"].step == "c2"


@pytest.mark.parametrize("button", [b for row in menu_buttons() for b in row])
def test_every_menu_entry_answers(ctx, button):
    out = drive(ctx, ChatState(), CallbackEvent(data=button.data))
    assert out.replies and all(r.text.strip() for r in out.replies)


def test_contact_entry_gives_the_notice_contacts(ctx):
    out = drive(ctx, ChatState(), CallbackEvent(data="m:open:contact"))
    text = out.replies[0].text
    assert "李凯" in text and "黄海勇" in text and "025-83392940" in text and "83391528" in text


def test_calendar_in_another_year_is_not_presented_as_confirmed(ctx, kb):
    from datetime import datetime

    from conversations.core import SHANGHAI

    ctx.clock = lambda: datetime(2026, 5, 1, tzinfo=SHANGHAI)
    text = drive(ctx, ChatState(), CallbackEvent(data="m:open:calendar")).replies[0].text
    assert "6月30日" in text and "2016" in text
    assert "不是2026年的" in text and "没有给出其他年份的日期" in text
    assert "公布为准" not in text  # no invented promise of a publication


def test_calendar_in_2016_has_no_caveat(ctx):
    from datetime import datetime

    from conversations.core import SHANGHAI

    ctx.clock = lambda: datetime(2016, 5, 1, tzinfo=SHANGHAI)
    text = drive(ctx, ChatState(), CallbackEvent(data="m:open:calendar")).replies[0].text
    assert "以组织单位公布为准" not in text


@pytest.mark.parametrize("payload", ["faq", "check", "area", "calendar", "contact"])
def test_deep_links_open_their_entry_directly(ctx, payload):
    greeting = drive(ctx, ChatState(), CommandEvent(name="start")).replies[0].text
    out = drive(ctx, ChatState(), CommandEvent(name="start", args=payload))
    assert out.replies[0].text != greeting


def test_unknown_deep_link_falls_back_to_the_greeting(ctx):
    out = drive(ctx, ChatState(), CommandEvent(name="start", args="<script>"))
    assert "您好" in out.replies[0].text


def test_every_command_has_help_text_and_a_menu_entry_or_handler(ctx):
    help_text = drive(ctx, ChatState(), CommandEvent(name="help")).replies[0].text
    for name, description in commands.COMMANDS.items():
        assert description.strip(), name
        assert f"/{name}" in help_text
        out = drive(ctx, ChatState(), CommandEvent(name=name))
        assert out.replies[0].text != texts.NOT_UNDERSTOOD, name
    menu_targets = {b.data.split(":")[-1] for row in menu_buttons() for b in row}
    for target in list(menu_targets):  # one step further: the screens the menu opens
        opened = router.open_target(ctx, turn_of(), target)
        buttons = [b for row in opened.replies[0].buttons for b in row] if opened else []
        menu_targets |= {b.data.split(":")[-1] for b in buttons if b.data.startswith("m:open:")}
    for flow in commands.FLOWS.values():
        assert flow.name in menu_targets or flow.organizers_only


def test_unknown_command_gets_the_menu(ctx):
    out = drive(ctx, ChatState(flow="check", step="c2"), CommandEvent(name="foo"))
    assert out.replies[0].text == texts.NOT_UNDERSTOOD
    assert out.state.step == "c2"


def test_cancel_asks_before_discarding_a_half_done_check(ctx):
    chat = Chat(ctx, ChatState(flow="check", step="c2", data={"c1a": True}))
    chat.command("cancel")
    assert chat.text == texts.DISCARD_ASK and chat.state.step == "c2"
    chat.press(texts.DISCARD_NO)
    assert chat.state.step == "c2" and "第3/8题" in chat.text
    chat.command("cancel")
    chat.press(texts.DISCARD_YES)
    assert chat.state.flow == "menu" and not chat.state.paused
    assert texts.CANCELLED in chat.text


def test_cancel_outside_a_flow_returns_to_the_menu(ctx):
    out = drive(ctx, ChatState(), CommandEvent(name="cancel"))
    assert out.state.flow == "menu" and texts.CANCELLED in out.replies[0].text


@pytest.mark.parametrize("what", ["photo", "sticker", "voice", "document", "location", "contact"])
def test_non_text_says_what_the_bot_understands(ctx, what):
    state = ChatState(flow="check", step="c2", data={"c1a": True})
    out = drive(ctx, state, OtherEvent(what=what))
    assert out.replies[0].text == texts.NON_TEXT
    assert (out.state.flow, out.state.step, out.state.data) == (state.flow, state.step, state.data)
    assert "继续自测（第3/8题）" in labels(out.replies[0])  # the way back to the question


@pytest.mark.parametrize("forged", ["", "zz", "m:open:nowhere", "q:x", "m:open:" + "x" * 100])
def test_forged_callbacks_change_nothing(ctx, forged):
    state = ChatState(flow="faq", data={"k": 1})
    out = drive(ctx, state, CallbackEvent(data=forged))
    assert out.replies[0].text == texts.CALLBACK_STALE
    assert out.state == state
    assert out.effects == []


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\x00\x07\x1b", "问" * 5000, "🙂🙂🙂", "？？？！！", "......", "\u200b"],
)
def test_bad_text_gets_a_reply_not_an_exception(ctx, text):
    out = drive(ctx, ChatState(), TextEvent(text=text))
    assert out.replies and out.replies[0].text.strip()
