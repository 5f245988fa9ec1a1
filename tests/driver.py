"""The shared chat driver for flow tests: one user talking to the router, no bot, no store.

``Chat`` keeps the state and the profile between events (applying ``UpdateProfile`` as the
store would), checks what every turn must hold (buttons within Telegram's 64 bytes, state
JSON-serialisable), and keeps every outcome for inspection. ``turn_of`` builds a Turn for a
state when a test calls the router directly.
"""

from __future__ import annotations

from datetime import datetime

from conversations import router
from conversations.callbacks import MAX_BYTES
from conversations.core import (
    SHANGHAI,
    Actor,
    CallbackEvent,
    ChatState,
    CommandEvent,
    Context,
    Event,
    Outcome,
    Profile,
    TextEvent,
    Turn,
    UpdateProfile,
)

ENTERPRISE = Actor(user_id=1, chat_id=1)


class Clock:
    """An injected clock a test moves (Asia/Shanghai wall time)."""

    def __init__(self, *args: int) -> None:
        self.set(*args)

    def __call__(self) -> datetime:
        return self.now

    def set(self, *args: int) -> None:
        self.now = datetime(*args, tzinfo=SHANGHAI)


def turn_of(state: ChatState | None = None, profile: Profile | None = None, actor=None) -> Turn:
    return Turn(actor=actor or ENTERPRISE, state=state or ChatState(), profile=profile or Profile())


def handle(ctx: Context, state: ChatState | None, event: Event, profile=None) -> Outcome:
    """One event from ``state`` (the router's answer, checked)."""
    outcome = router.handle(ctx, turn_of(state, profile), event)
    check(outcome)
    return outcome


def check(outcome: Outcome) -> None:
    for reply in outcome.replies:
        assert reply.text.strip(), "every reply says something"
        for row in reply.buttons:
            assert all(len(b.data.encode()) <= MAX_BYTES for b in row)
    ChatState.model_validate_json(outcome.state.model_dump_json())  # survives a restart


class Chat:
    """One user talking to the router across turns."""

    def __init__(
        self, ctx: Context, state: ChatState | None = None, profile=None, actor=None, records=None
    ):
        self.ctx = ctx
        self.state = state or ChatState()
        self.profile = profile or Profile()
        self.actor = actor or ENTERPRISE
        self.records = records  # what the store would answer (a fake with the methods used)
        self.outcomes: list[Outcome] = []

    def send(self, event: Event) -> Outcome:
        turn = Turn(self.actor, self.state, self.profile, records=self.records)
        outcome = router.handle(self.ctx, turn, event)
        check(outcome)
        for effect in outcome.effects:
            if isinstance(effect, UpdateProfile):
                changes = effect.model_dump(exclude={"kind"}, exclude_none=True)
                self.profile = self.profile.model_copy(update=changes)
        self.state = outcome.state
        self.outcomes.append(outcome)
        return outcome

    def tap(self, data: str) -> Outcome:
        return self.send(CallbackEvent(data=data))

    def type(self, text: str) -> Outcome:
        return self.send(TextEvent(text=text))

    def command(self, name: str, args: str = "") -> Outcome:
        return self.send(CommandEvent(name=name, args=args))

    def press(self, label: str) -> Outcome:
        """Press the button labelled ``label`` on the last reply that shows it."""
        for outcome in reversed(self.outcomes):
            for reply in reversed(outcome.replies):
                for row in reply.buttons:
                    for b in row:
                        if b.label == label:
                            return self.tap(b.data)
        raise AssertionError(f"no button {label!r} on screen")

    @property
    def text(self) -> str:
        return self.outcomes[-1].replies[-1].text

    @property
    def buttons(self) -> list[str]:
        return [b.data for row in self.outcomes[-1].replies[-1].buttons for b in row]

    @property
    def labels(self) -> list[str]:
        return [b.label for row in self.outcomes[-1].replies[-1].buttons for b in row]
