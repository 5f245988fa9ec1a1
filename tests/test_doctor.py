"""``biaogan doctor`` (bot.ops.doctor) with good and broken SMTP and Telegram settings, secrets
masked; and a start that cannot go on saying why in one line (bad setting, data in use, a data
folder that is not one)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.cli import main
from bot.config import Settings
from bot.ops.doctor import examine, report
from bot.ops.lock import data_lock
from tests.conftest import ROOT
from tests.mail_server import MailServer, free_port, mail_settings

TOKEN = "123456:SECRET-PART-OF-THE-TOKEN"


def lines_of(text: str, part: str) -> list[str]:
    """The finding lines under a heading (``Telegram：``, ``电子邮件：``…)."""
    block = text.split(f"\n{part}\n", 1)[1]
    found = []
    for line in block.splitlines():
        if not line.startswith("  "):
            break
        found.append(line.strip())
    return found


async def doctor(settings: Settings) -> tuple[str, int]:
    return report(settings, await examine(settings))


async def test_all_good_says_so_and_masks_every_secret(fake_bot_api, tmp_path):
    with MailServer() as server:
        settings = mail_settings(
            tmp_path, server,
            telegram_token=TOKEN, telegram_base_url=fake_bot_api.base_url,
            smtp_password="mail-password", smtp_sender="noreply@jxw.example.cn",
            public_url="https://biaogan.example.cn", metrics_token="metrics-secret",
            telegram_proxy=None, admin_ids=[900],
        )  # fmt: skip
        text, code = await doctor(settings)
    assert code == 0, text
    assert "✓ 已连接 Bot API：@biaogan_test_bot" in lines_of(text, "Telegram：")
    (mail,) = lines_of(text, "电子邮件：")
    assert mail.startswith("✓ SMTP 服务器 127.0.0.1:") and "未发送任何邮件" in mail
    assert "123456:********" in text
    for secret in ("SECRET-PART", "mail-password", "metrics-secret"):
        assert secret not in text, secret
    assert text.rstrip().endswith("检查全部通过。")


async def test_a_broken_smtp_setting_fails_with_the_reason(tmp_path):
    port = free_port()  # nothing listens there
    settings = Settings(_env_file=None, data_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=port,
                        smtp_tls="none", smtp_sender="noreply@jxw.example.cn")  # fmt: skip
    text, code = await doctor(settings)
    assert code == 1
    (mail,) = lines_of(text, "电子邮件：")
    assert mail.startswith(f"✗ SMTP 服务器 127.0.0.1:{port}（none）连接失败：SMTPConnect"), mail
    assert "有 1 项检查未通过。" in text


async def test_the_default_sender_with_a_real_server_is_a_failure(tmp_path):
    with MailServer() as server:
        text, code = await doctor(mail_settings(tmp_path, server))
    assert code == 1 and any("@localhost" in line for line in lines_of(text, "电子邮件："))


async def test_a_token_telegram_refuses_fails(fake_bot_api, tmp_path):
    fake_bot_api.fail_next("getMe", 1, code=401, description="Unauthorized")
    settings = Settings(_env_file=None, data_dir=tmp_path, telegram_token=TOKEN,
                        telegram_base_url=fake_bot_api.base_url)  # fmt: skip
    text, code = await doctor(settings)
    assert code == 1
    assert "✗ Telegram 拒绝了这个令牌（BIAOGAN_TELEGRAM_TOKEN 无效或已被撤销）" in text


async def test_an_unreachable_bot_api_through_a_proxy_fails_naming_both(tmp_path):
    closed = free_port()
    settings = Settings(_env_file=None, data_dir=tmp_path, telegram_token=TOKEN,
                        telegram_proxy=f"http://relay:p4ss@127.0.0.1:{closed}")  # fmt: skip
    text, code = await doctor(settings)
    assert code == 1
    (line,) = [x for x in lines_of(text, "Telegram：") if x.startswith("✗")]
    assert "无法连接 https://api.telegram.org/bot" in line
    assert f"经代理 http://relay:********@127.0.0.1:{closed}" in line
    assert "p4ss" not in text


async def test_a_webhook_on_a_port_telegram_does_not_post_to_fails(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path,
                        telegram_webhook_url="https://bot.example.org:8080/telegram")  # fmt: skip
    text, code = await doctor(settings)
    assert code == 1 and "端口 8080 不可用" in text


def test_doctor_from_the_command_line(monkeypatch, capsys, tmp_path):
    for name in [n for n in os.environ if n.startswith("BIAOGAN_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BIAOGAN_DATA_DIR", str(tmp_path / "data"))
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "BIAOGAN_SMTP_PASSWORD" in out and "邮件只写入日志" in out and "首次启动时创建" in out
    assert "还没有管理员" in out


# ---- a start that cannot go on: one line ----------------------------------------------------


def start(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BIAOGAN_")}
    clean.update({"PYTHONPATH": str(ROOT), "BIAOGAN_WEB_PORT": "0", **env})
    code = "import sys; from bot.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], env=clean, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def one_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("command", ["web", "run"])
def test_a_bad_setting_stops_the_start_with_one_line(tmp_path, command):
    line = one_line(start(tmp_path, command, BIAOGAN_DATA_DIR=str(tmp_path),
                          BIAOGAN_WEB_PORT="eighty", BIAOGAN_SMTP_PASSWORD="hidden",
                          BIAOGAN_TELEGRAM_PROXY="ftp://relay:21"))  # fmt: skip
    assert line.startswith("配置有误，未启动：")
    assert "BIAOGAN_WEB_PORT" in line and "BIAOGAN_TELEGRAM_PROXY" in line
    assert "eighty" not in line and "hidden" not in line


def test_a_second_server_on_the_same_data_is_refused_in_one_line(tmp_path):
    with data_lock(tmp_path):
        line = one_line(start(tmp_path, "web", BIAOGAN_DATA_DIR=str(tmp_path)))
    assert "正由另一个 biaogan 进程" in line and str(os.getpid()) in line


def test_a_data_folder_that_is_a_file_is_said_in_one_line(tmp_path):
    (tmp_path / "oops").write_text("x")
    line = one_line(start(tmp_path, "web", BIAOGAN_DATA_DIR=str(tmp_path / "oops")))
    assert line.startswith("无法打开数据库")
