import pytest

from conversations.callbacks import MAX_BYTES, CallbackError, encode, parse


def test_round_trip():
    data = encode("e", "ans", "c1a.yes")
    assert data == "e:ans:c1a.yes"
    cb = parse(data)
    assert (cb.flow, cb.action, cb.arg) == ("e", "ans", "c1a.yes")


def test_action_without_argument():
    assert parse(encode("m", "menu")).arg == ""


@pytest.mark.parametrize(
    "forged",
    [
        None,
        "",
        "x",
        "m",
        "m:",
        ":open",
        "m:open:check:extra",
        "M:open",
        "mm:open",
        "m:OPEN",
        "m:open:<script>",
        "m:open:" + "a" * 60,
        "e:ans:中文",
        "\x00:\x01",
        "🙂:🙂",
    ],
)
def test_forged_data_is_rejected(forged):
    with pytest.raises(CallbackError):
        parse(forged)


def test_encode_refuses_data_telegram_would_reject():
    with pytest.raises((CallbackError, ValueError)):
        encode("a", "x" * 20, "y" * 40 + "z" * 10)
    assert len(encode("a", "x" * 20, "y" * 40).encode()) <= MAX_BYTES
