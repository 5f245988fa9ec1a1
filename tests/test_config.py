import os
from pathlib import Path

from bot.config import DEFAULT_BASE_URL, Settings


def test_defaults(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("TELEGRAM_TOKEN", "TELEGRAM_BASE_URL", "DATA_DIR", "ADMIN_IDS"):
        monkeypatch.delenv(f"BIAOGAN_{name}", raising=False)
    settings = Settings()
    assert settings.telegram_token is None
    assert settings.telegram_base_url == DEFAULT_BASE_URL
    assert settings.db_path == Path("data") / "biaogan.db"
    assert settings.admin_ids == []


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("BIAOGAN_TELEGRAM_TOKEN", "123:abc")
    monkeypatch.setenv("BIAOGAN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BIAOGAN_ADMIN_IDS", "11, 22")
    settings = Settings()
    assert settings.telegram_token.get_secret_value() == "123:abc"
    assert "123:abc" not in repr(settings)
    assert settings.db_path == tmp_path / "biaogan.db"
    assert settings.admin_ids == [11, 22]


def test_dotenv_file(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BIAOGAN_ADMIN_IDS", raising=False)
    (tmp_path / ".env").write_text("BIAOGAN_ADMIN_IDS=5\n", encoding="utf-8")
    assert Settings().admin_ids == [5]


def test_a_copy_of_the_env_example_loads(monkeypatch, tmp_path):
    """.env.example copied to .env (or to systemd's EnvironmentFile) leaves settings empty:
    an empty value is an unset one, never a bad number."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("BIAOGAN_"):
            monkeypatch.delenv(name)
    example = Path(__file__).resolve().parent.parent / ".env.example"
    (tmp_path / ".env").write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    settings = Settings()
    assert settings.smtp_port is None and settings.telegram_token is None
    assert settings.telegram_webhook_url is None and settings.metrics_token is None
    monkeypatch.setenv("BIAOGAN_SMTP_PORT", "")  # as an EnvironmentFile sets it
    assert Settings().smtp_port is None
