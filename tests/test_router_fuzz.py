"""Random walks through every flow: whatever a user sends, in whatever order, the bot answers
something true-looking, never raises, and leaves a state that survives a restart.

Each step either presses a button of the last reply (what a real user mostly does), sends a
command or a deep link, types text (answers, questions, junk), or forges callback data.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversations import commands
from conversations.callbacks import MAX_BYTES
from conversations.core import (
    CallbackEvent,
    ChatState,
    CommandEvent,
    OtherEvent,
    TextEvent,
)
from tests.driver import handle as drive

TEXTS = [
    "是", "否", "不确定", "3年", "两年半", "abc", "", "🙂", "要交费吗", "2025年材料什么时候交",
    "我们全面推行六西格玛管理，三年完成项目一百多个", "苏州某某机械有限公司", "跳过", "说明",
    "上一步", "确认", "<b>x</b>&", "\x00\x1b", "问" * 3000, "退出", "谢谢", "你好",
]  # fmt: skip
COMMANDS = [*commands.COMMANDS, "start check", "start area", "start faq", "start nowhere", "zzz"]
FORGED = ["", ":", "e:ans:zz", "a:pick:99", "m:open:../../etc", "f:q:nope", "e:" + "x" * 80]

steps = st.one_of(
    st.tuples(st.just("press"), st.integers(min_value=0, max_value=30)),
    st.tuples(st.just("command"), st.sampled_from(COMMANDS)),
    st.tuples(st.just("text"), st.sampled_from(TEXTS) | st.text(max_size=40)),
    st.tuples(st.just("forged"), st.sampled_from(FORGED) | st.text(max_size=70)),
    st.tuples(st.just("other"), st.sampled_from(["photo", "sticker", "voice", "location"])),
)


def to_event(step: tuple, last_buttons: list[str]):
    kind, value = step
    if kind == "press":
        return CallbackEvent(data=last_buttons[value % len(last_buttons)]) if last_buttons else None
    if kind == "command":
        name, _, args = value.partition(" ")
        return CommandEvent(name=name, args=args)
    if kind == "text":
        return TextEvent(text=value)
    if kind == "forged":
        return CallbackEvent(data=value)
    return OtherEvent(what=value)


# The context holds only read-only knowledge and built-once matchers: sharing it is safe.
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(walk=st.lists(steps, min_size=1, max_size=25))
def test_any_walk_gets_replies_and_a_resumable_state(ctx, walk):
    state = ChatState()
    last_buttons: list[str] = []
    for step in walk:
        event = to_event(step, last_buttons)
        if event is None:
            continue
        outcome = drive(ctx, state, event)
        assert outcome.replies, f"no reply to {event!r}"
        for reply in outcome.replies:
            assert reply.text.strip()
            for row in reply.buttons:
                for button in row:
                    assert len(button.data.encode()) <= MAX_BYTES
                    assert button.label.strip()
        # What the store writes and reads back after a restart is the same state.
        state = ChatState.model_validate_json(outcome.state.model_dump_json())
        assert state == outcome.state
        shown = [b.data for r in outcome.replies for row in r.buttons for b in row]
        last_buttons = shown or last_buttons
