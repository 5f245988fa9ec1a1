"""bot/flood.py: the token bucket shared by the Telegram adapter and the web chat."""

from bot.flood import FloodGate


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_one_warning_then_silence_until_a_token_is_back():
    clock = Clock()
    gate = FloodGate(burst=3, rate=1.0, clock=clock)
    assert [gate.admit("a") for _ in range(5)] == ["ok", "ok", "ok", "warn", "drop"]
    assert gate.admit("b") == "ok"  # other keys are not affected
    clock.now += 1.0
    assert gate.admit("a") == "ok"
    assert gate.admit("a") == "warn"  # warned again after a token was spent


def test_keys_may_be_anything_hashable_and_rate_zero_means_no_limit():
    clock = Clock()
    gate = FloodGate(burst=1, rate=1.0, clock=clock)
    assert gate.admit(-(2**60)) == "ok" and gate.admit("127.0.0.1") == "ok"
    assert gate.admit("127.0.0.1") == "warn"
    unlimited = FloodGate(burst=1, rate=0)
    assert {unlimited.admit("x") for _ in range(100)} == {"ok"}


def test_idle_buckets_are_forgotten():
    clock = Clock()
    gate = FloodGate(burst=2, rate=1.0, clock=clock)
    gate.MAX_TRACKED = 10
    for key in range(11):
        gate.admit(key)
    clock.now += 5
    gate.admit("new")
    assert len(gate._buckets) <= 2
