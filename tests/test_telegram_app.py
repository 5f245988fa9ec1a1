"""The Telegram adapter through the real path: the real python-telegram-bot Application, built by
``build_application``, long-polling a fake Bot API server on loopback (tests/fake_bot_api.py);
each test plays users by injecting updates and watches what the bot sends back."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import subprocess
import sys
from collections import Counter
from types import SimpleNamespace

import pytest

from bot.config import Settings
from bot.service import Turned
from bot.store import Store
from bot.telegram.app import run
from bot.telegram.limits import Limits
from bot.telegram.render import split_text, strip_mention
from conversations import texts
from conversations.commands import COMMANDS
from conversations.core import Actor, CallbackEvent, ChatState, CommandEvent, Context, Reply
from conversations.menu import greeting, menu_buttons
from knowledge import load_knowledge
from tests.conftest import ROOT
from tests.driver import handle
from tests.fake_bot_api import BOT_USERNAME, FakeBotApi, visible_text

MENU_LABELS = [b.label for row in menu_buttons() for b in row]
MENU_DATA = [b.data for row in menu_buttons() for b in row]

GREETING = greeting(Context(kb=load_knowledge()))


def stored_state(settings: Settings, chat_id: int) -> ChatState:
    """The chat's state as the bot saved it (a second connection to the same SQLite file)."""
    store = Store(settings.db_path)
    try:
        return store.load_state(chat_id)
    finally:
        store.close()


def expected_text(ctx: Context, event) -> str:
    """What the conversations layer answers a fresh chat (the adapter must pass it through)."""
    return handle(ctx, ChatState(), event).replies[0].text


class StubStore:
    def touch_user(self, chat_id: int, **user: object) -> None:
        pass

    def close(self) -> None:
        pass


class StubService:
    """Stands in for ChatService to make the adapter render chosen replies."""

    def __init__(self, respond) -> None:
        self.respond = respond
        self.store = StubStore()
        self.ctx = SimpleNamespace(bot_username="")

    def actor(self, chat_id: int, user_id: int, channel: str = "telegram") -> Actor:
        return Actor(user_id=user_id, chat_id=chat_id, channel=channel)

    def handle(self, actor: Actor, event, user=None) -> Turned:
        return Turned(self.respond(event))

    async def finish(self, replies: list[Reply]) -> list[Reply]:
        return replies

    def close(self) -> None:
        pass


# ---- start, menu, commands -------------------------------------------------------------------


async def test_start_greets_and_shows_the_menu_as_inline_keyboard(fake_bot_api, running_bot):
    fake_bot_api.send_command(1, "start")
    reply = await fake_bot_api.wait_for_reply(1)
    assert reply.method == "sendMessage"
    assert reply.params["parse_mode"] == "HTML"
    assert visible_text(reply.text, "HTML") == GREETING
    assert reply.button_labels() == MENU_LABELS
    assert reply.button_data() == MENU_DATA


async def test_commands_are_registered_with_chinese_descriptions(fake_bot_api, running_bot):
    registered = await running_bot.bot.get_my_commands()
    assert [c.command for c in registered] == list(COMMANDS)
    assert [c.description for c in registered] == list(COMMANDS.values())
    for command in registered:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in command.description), command


async def test_every_command_gets_a_reply(fake_bot_api, running_bot, ctx):
    for chat_id, name in enumerate(COMMANDS, start=100):
        fake_bot_api.send_command(chat_id, name)
        reply = await fake_bot_api.wait_for_reply(chat_id)
        expected = expected_text(ctx, CommandEvent(name=name))
        assert visible_text(reply.text, "HTML") == expected, name
    fake_bot_api.send_command(99, "nosuchcommand")
    reply = await fake_bot_api.wait_for_reply(99)
    assert visible_text(reply.text, "HTML") == texts.NOT_UNDERSTOOD


async def test_every_main_menu_entry_by_button(fake_bot_api, running_bot, ctx):
    for chat_id, data in enumerate(MENU_DATA, start=200):
        fake_bot_api.send_command(chat_id, "start")
        await fake_bot_api.wait_for_reply(chat_id)
        press = fake_bot_api.press(chat_id, data)
        answered = await fake_bot_api.wait_for(
            "answerCallbackQuery", callback_query_id=press["callback_query"]["id"]
        )
        reply = await fake_bot_api.wait_for_reply(chat_id)
        assert answered.seq < reply.seq, "the callback query is answered before anything else"
        expected = expected_text(ctx, CallbackEvent(data=data))
        assert visible_text(reply.text, "HTML") == expected, data


@pytest.mark.parametrize("payload", ["faq", "check", "area"])
async def test_deep_link_opens_the_flow(fake_bot_api, running_bot, ctx, payload):
    fake_bot_api.send_command(7, "start", payload)
    reply = await fake_bot_api.wait_for_reply(7)
    expected = expected_text(ctx, CommandEvent(name="start", args=payload))
    assert visible_text(reply.text, "HTML") == expected
    assert expected != GREETING


# ---- questions ------------------------------------------------------------------------------


async def test_faq_question_is_answered_with_its_clause(fake_bot_api, running_bot, kb):
    entry = kb.faq[0]
    fake_bot_api.send_text(3, entry.questions[0])
    reply = await fake_bot_api.wait_for_reply(3, timeout=10)
    shown = visible_text(reply.text, "HTML")
    assert "见通知" in shown
    assert entry.clause in shown


async def test_user_text_is_escaped_and_unanswered_question_recorded(
    fake_bot_api, running_bot, bot_settings
):
    question = "<b>食堂</b>几点开饭&？"  # the notice does not say
    fake_bot_api.send_text(4, question)
    reply = await fake_bot_api.wait_for_reply(4, timeout=10)  # the fake server parsed the HTML
    assert reply.ok
    store = Store(bot_settings.db_path)
    try:
        assert question in [row["text"] for row in store.unanswered()]
    finally:
        store.close()


async def test_user_derived_text_is_html_escaped(fake_bot_api, bot_runner):
    echo = StubService(lambda event: [Reply(text=f"您说：{getattr(event, 'text', '')}")])
    await bot_runner.start(echo)
    fake_bot_api.send_text(5, "<b>x</b>&")
    reply = await fake_bot_api.wait_for_reply(5)
    assert reply.text == "您说：&lt;b&gt;x&lt;/b&gt;&amp;"
    assert visible_text(reply.text, "HTML") == "您说：<b>x</b>&"


# ---- buttons: forged data, edits ------------------------------------------------------------

FORGED = [
    "x" * 200,
    "m:open:nosuchthing",
    "e:zz:1",
    "f:q:../../etc/passwd",
    "",
    None,
    "\x00\xff\ufffd",
    "m:open:faq:extra:parts",
    "🙂" * 20,
]


async def test_forged_callbacks_get_a_polite_reply_and_change_nothing(
    fake_bot_api, bot_runner, bot_settings, ctx
):
    await bot_runner.start(limits=dataclasses.replace(Limits(), flood_burst=50))
    fake_bot_api.send_command(8, "start", "faq")
    await fake_bot_api.wait_for_reply(8)
    before = stored_state(bot_settings, 8)
    assert before.flow == "faq"
    for data in FORGED:
        press = fake_bot_api.press(8, data)
        await fake_bot_api.wait_for(
            "answerCallbackQuery", callback_query_id=press["callback_query"]["id"]
        )
        reply = await fake_bot_api.wait_for_reply(8)
        polite = handle(ctx, before, CallbackEvent(data=data or "")).replies[0].text
        assert visible_text(reply.text, "HTML") == polite, data
        assert polite != texts.ERROR_GENERIC
    assert stored_state(bot_settings, 8) == before
    assert not fake_bot_api.calls_to("sendMessage", chat_id=8, ok=False)


async def test_reply_marked_edit_replaces_the_pressed_message(fake_bot_api, bot_runner):
    def respond(event):
        if isinstance(event, CallbackEvent):
            return [Reply(text=f"已选 {event.data}", buttons=menu_buttons(), edit=True)]
        return [Reply(text="请选择", buttons=menu_buttons())]

    await bot_runner.start(StubService(respond))
    fake_bot_api.send_text(9, "hi")
    menu = await fake_bot_api.wait_for_reply(9)
    fake_bot_api.press(9, "m:open:faq")
    edited = await fake_bot_api.wait_for_reply(9)
    assert edited.method == "editMessageText"
    assert edited.params["message_id"] == menu.result["message_id"]
    assert edited.text == "已选 m:open:faq"
    # the message cannot be edited any more (deleted, too old…): a new message instead
    fake_bot_api.press(9, "m:open:check")
    del fake_bot_api.messages[(9, menu.result["message_id"])]
    fallback = await fake_bot_api.wait_for_reply(9)
    assert fallback.method == "sendMessage"
    assert fallback.text == "已选 m:open:check"
    assert fallback.button_data() == MENU_DATA


# ---- anything else a user can send ------------------------------------------------------------


async def test_every_non_text_kind_gets_a_short_reply(fake_bot_api, running_bot, ctx):
    for chat_id, kind in enumerate(FakeBotApi.MEDIA, start=300):
        fake_bot_api.send_media(chat_id, kind)
        reply = await fake_bot_api.wait_for_reply(chat_id)
        # A document is fetched as a case draft; this one the server does not have.
        expected = texts.TG_FILE_NOT_FETCHED if kind == "document" else texts.NON_TEXT
        assert visible_text(reply.text, "HTML") == expected, kind


async def test_edited_message_gets_a_short_reply(fake_bot_api, running_bot):
    sent = fake_bot_api.send_text(10, "要交费吗")
    await fake_bot_api.wait_for_reply(10, timeout=10)
    fake_bot_api.edit_text(10, sent["message"]["message_id"], "要交多少费")
    reply = await fake_bot_api.wait_for_reply(10)
    assert visible_text(reply.text, "HTML") == texts.TG_EDITED


async def test_group_messages_are_answered_only_when_addressed(fake_bot_api, running_bot):
    group = -1001
    fake_bot_api.send_text(group, "大家好，今天开会", user_id=11)
    fake_bot_api.send_media(group, "photo", user_id=11)
    fake_bot_api.send_text(group, "/help@some_other_bot", user_id=11)
    await fake_bot_api.expect_none("sendMessage", within=0.6, chat_id=group)

    fake_bot_api.send_text(group, f"@{BOT_USERNAME} 材料交给谁", user_id=11)
    mentioned = await fake_bot_api.wait_for_reply(group, timeout=10)
    fake_bot_api.send_text(
        group, "要交费吗", user_id=12, reply_to_message_id=mentioned.result["message_id"]
    )
    await fake_bot_api.wait_for_reply(group, timeout=10)
    fake_bot_api.send_command(group, f"help@{BOT_USERNAME}", user_id=13)
    help_reply = await fake_bot_api.wait_for_reply(group)
    assert "/start" in visible_text(help_reply.text, "HTML")
    fake_bot_api.send_command(group, "menu", user_id=13)
    menu = await fake_bot_api.wait_for_reply(group)
    assert menu.button_data() == MENU_DATA


def test_mention_is_stripped_from_the_question():
    assert strip_mention(f"@{BOT_USERNAME.upper()} 要交费吗", BOT_USERNAME) == "要交费吗"
    assert strip_mention("要交费吗", None) == "要交费吗"


# ---- state survives a restart ----------------------------------------------------------------


async def test_restart_mid_flow_resumes_where_the_chat_was(fake_bot_api, bot_runner, bot_settings):
    async def press_first_button(chat_id: int):
        message = fake_bot_api.last_bot_message(chat_id, with_buttons=True)
        data = message["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        fake_bot_api.press(chat_id, data, message_id=message["message_id"])
        return await fake_bot_api.wait_for_reply(chat_id, timeout=10)

    async def walk(chat_id: int, presses: int) -> list[str]:
        shown = []
        for _ in range(presses):
            shown.append(visible_text((await press_first_button(chat_id)).text, "HTML"))
        return shown

    first_bot = await bot_runner.start()
    fake_bot_api.send_command(20, "start", "check")
    opening = visible_text((await fake_bot_api.wait_for_reply(20, timeout=10)).text, "HTML")
    before = await walk(20, 1)
    saved = stored_state(bot_settings, 20)
    assert saved.flow == "check"
    await bot_runner.stop(first_bot)

    await bot_runner.start()  # a new process would do the same: same data_dir, fresh objects
    assert stored_state(bot_settings, 20) == saved
    after = await walk(20, 1)

    # the control: a chat that never saw a restart, walked the same way
    fake_bot_api.send_command(21, "start", "check")
    assert visible_text((await fake_bot_api.wait_for_reply(21, timeout=10)).text, "HTML") == opening
    control = await walk(21, 2)
    assert [*before, *after] == control
    assert after[0] != opening


# ---- faults: 429, 403, dropped connections, errors --------------------------------------------


async def test_429_retry_after_is_waited_out_and_the_reply_delivered(fake_bot_api, running_bot):
    fake_bot_api.fail_next("sendMessage", 1, code=429, retry_after=1)
    fake_bot_api.send_command(30, "start")
    refused = await fake_bot_api.wait_for("sendMessage", chat_id=30, ok=False)
    assert refused.status == 429
    reply = await fake_bot_api.wait_for_reply(30, timeout=5)
    assert reply.at - refused.at >= 1.0
    assert visible_text(reply.text, "HTML") == GREETING


async def test_403_blocked_chat_is_logged_and_others_are_served(fake_bot_api, running_bot, caplog):
    caplog.set_level(logging.INFO, logger="bot.telegram")
    fake_bot_api.block_chat(31)
    fake_bot_api.send_command(31, "start")
    refused = await fake_bot_api.wait_for("sendMessage", chat_id=31, ok=False)
    assert refused.status == 403
    fake_bot_api.send_command(32, "start")
    reply = await fake_bot_api.wait_for_reply(32)
    assert visible_text(reply.text, "HTML") == GREETING
    assert any("31" in r.getMessage() and "blocked" in r.getMessage() for r in caplog.records)
    assert running_bot.running and running_bot.updater.running


async def test_dropped_connection_is_retried(fake_bot_api, running_bot):
    fake_bot_api.drop_next("sendMessage")
    fake_bot_api.send_command(33, "start")
    reply = await fake_bot_api.wait_for_reply(33, timeout=5)
    assert visible_text(reply.text, "HTML") == GREETING
    assert [c.status for c in fake_bot_api.calls_to("sendMessage", chat_id=33, ok=None)] == [
        599,
        200,
    ]


async def test_unexpected_error_is_logged_and_the_user_told(fake_bot_api, bot_runner, caplog):
    def broken(event):
        raise RuntimeError("boom")

    await bot_runner.start(StubService(broken))
    caplog.set_level(logging.ERROR, logger="bot.telegram")
    fake_bot_api.send_text(34, "要交费吗")
    reply = await fake_bot_api.wait_for_reply(34)
    assert visible_text(reply.text, "HTML") == texts.ERROR_GENERIC
    record = next(r for r in caplog.records if "error while handling update" in r.getMessage())
    assert "要交费吗" in record.getMessage()
    assert record.exc_info is not None and "boom" in str(record.exc_info[1])


# ---- long texts, slow work, floods ------------------------------------------------------------


def test_split_text_keeps_lines_whole_and_under_the_limit():
    lines = [f"第{i}行：" + "质量标杆" * (i % 50) for i in range(1000)]
    text = "\n".join(lines)
    chunks = split_text(text)
    assert len(chunks) > 1
    assert all(len(chunk.encode("utf-16-le")) // 2 <= 4096 for chunk in chunks)
    assert "\n".join(chunks) == text
    assert split_text("短消息") == ["短消息"]
    one_line = "😀" * 5000  # 10,000 UTF-16 units, no line break to split on
    cut = split_text(one_line)
    assert "".join(cut) == one_line
    assert all(len(chunk.encode("utf-16-le")) // 2 <= 4096 for chunk in cut)


async def test_long_reply_is_split_under_4096_characters(fake_bot_api, bot_runner):
    long_text = "\n".join(f"{i:04d} 江苏省质量标杆 <&> " + "说明" * 20 for i in range(300))
    service = StubService(lambda event: [Reply(text=long_text, buttons=menu_buttons())])
    await bot_runner.start(service)
    fake_bot_api.send_text(40, "长")
    first = await fake_bot_api.wait_for_reply(40)
    parts = [first]
    while sum(len(visible_text(p.text, "HTML")) for p in parts) + len(parts) - 1 < len(long_text):
        parts.append(await fake_bot_api.wait_for_reply(40))
    shown = [visible_text(p.text, "HTML") for p in parts]
    assert len(parts) >= 3
    assert all(len(s) <= 4096 for s in shown)
    assert "\n".join(shown) == long_text
    assert [bool(p.button_data()) for p in parts] == [False] * (len(parts) - 1) + [True]


async def test_flood_is_throttled_politely_without_starving_others(fake_bot_api, bot_runner):
    service = StubService(lambda event: [Reply(text=f"收到：{getattr(event, 'text', '')}")])
    await bot_runner.start(
        service, limits=dataclasses.replace(Limits(), flood_burst=3, flood_per_second=1.0)
    )
    for n in range(10):
        fake_bot_api.send_text(50, f"刷屏{n}")
    fake_bot_api.send_text(51, "正常提问")
    other = await fake_bot_api.wait_for_reply(51)
    assert visible_text(other.text, "HTML") == "收到：正常提问"

    def flooded_replies() -> list[str]:
        calls = fake_bot_api.calls_to("sendMessage", chat_id=50)
        return [visible_text(c.text, "HTML") for c in calls]

    for _ in range(80):  # messages to one chat are spaced about a second apart
        if len(flooded_replies()) >= 4:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.3)
    flooded = flooded_replies()
    assert flooded == ["收到：刷屏0", "收到：刷屏1", "收到：刷屏2", texts.TG_SLOW_DOWN]
    await asyncio.sleep(1.1)  # a token is back
    fake_bot_api.send_text(50, "现在可以吗")
    later = await fake_bot_api.wait_for("sendMessage", chat_id=50, since=fake_bot_api.mark())
    assert visible_text(later.text, "HTML") == "收到：现在可以吗"


# ---- running without a token ------------------------------------------------------------------


def test_run_without_token_explains_and_exits_2(capsys):
    assert run(Settings(_env_file=None, telegram_token=None)) == 2
    message = capsys.readouterr().err
    assert "@BotFather" in message and "biaogan chat" in message


def test_biaogan_run_without_token_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIAOGAN_")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main(['run']))"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "@BotFather" in done.stderr and "BIAOGAN_TELEGRAM_TOKEN" in done.stderr


async def test_started_bot_logs_one_line_with_its_name_url_and_rate(
    fake_bot_api, bot_runner, bot_settings, caplog
):
    caplog.set_level(logging.INFO, logger="bot.telegram")
    await bot_runner.start(settings=bot_settings.model_copy(update={"telegram_rate": 25}))
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("connected")]
    assert len(lines) == 1
    assert "@biaogan_test_bot" in lines[0] and bot_settings.telegram_base_url in lines[0]
    assert "25/s" in lines[0]


# ---- one turn's two messages under Telegram's limits -----------------------------------------


@pytest.mark.parametrize("mode", ["token_bucket", "sliding_window"])
async def test_300_chats_pressing_remind_at_once_lose_no_reply_and_meet_no_429(
    fake_bot_api, bot_runner, mode
):
    """/remind without a profile answers with two messages (subscribed, then the profile
    question): 600 messages at once, to 300 chats, under Telegram's limits (30/s overall, 1/s
    per chat). Messages to one chat are spaced, not retried into a 429; none is dropped."""
    fake_bot_api.enforce_limits(mode=mode)
    await bot_runner.start(limits=Limits())
    chats = range(1000, 1300)
    for chat in chats:
        fake_bot_api.send_command(chat, "remind")
    for _ in range(600):  # 600 messages at ~28.5/s: about 21 s
        if len(fake_bot_api.calls_to("sendMessage")) >= 600:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.5)  # anything more would be a duplicate: let it come
    per_chat = Counter(c.chat_id for c in fake_bot_api.calls_to("sendMessage"))
    assert per_chat == dict.fromkeys(chats, 2), "every chat gets both its messages, once"
    assert fake_bot_api.limit_429s == 0
    assert fake_bot_api.calls_to("sendMessage", ok=False) == []
