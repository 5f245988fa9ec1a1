"""``biaogan organizers``, ``biaogan broadcast`` and ``biaogan audit`` on a real SQLite file."""

from bot.cli import main
from bot.store import Store


def run(monkeypatch, tmp_path, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("BIAOGAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def seed(tmp_path, chats, city="苏州"):
    store = Store(tmp_path / "data" / "biaogan.db")
    with store.transaction():
        for chat in chats:
            store.touch_user(chat)
            store.subscribe(chat, 2026)
            store.db.execute("UPDATE users SET city = ? WHERE chat_id = ?", [city, chat])
    store.close()


def test_grant_list_revoke_audit(monkeypatch, tmp_path, capsys):
    assert run(monkeypatch, tmp_path, capsys, "organizers", "grant", "501", "city", "苏州")[0] == 0
    _, out = run(monkeypatch, tmp_path, capsys, "organizers", "list")
    assert "501\tcity:苏州" in out
    assert run(monkeypatch, tmp_path, capsys, "organizers", "grant", "5", "city", "上海")[0] == 2
    assert run(monkeypatch, tmp_path, capsys, "organizers", "revoke", "501")[0] == 0
    assert run(monkeypatch, tmp_path, capsys, "organizers", "revoke", "501")[0] == 1
    _, out = run(monkeypatch, tmp_path, capsys, "organizers", "list")
    assert "501" not in out
    _, out = run(monkeypatch, tmp_path, capsys, "audit")
    assert "授权　苏州市　user_id=501" in out and "撤销　苏州市" in out


def test_broadcast_previews_counts_and_queues_with_yes(monkeypatch, tmp_path, capsys):
    seed(tmp_path, [11, 12])
    notice = tmp_path / "n.txt"
    notice.write_text("请按时报送。", encoding="utf-8")
    args = ("broadcast", "--scope", "city:苏州", "--text-file", str(notice))
    code, out = run(monkeypatch, tmp_path, capsys, *args)
    assert code == 1 and "【“质量标杆”活动通知 · 苏州市】\n请按时报送。" in out
    assert "将发给苏州市 2 家企业，共 2 份：Telegram 2。" in out
    assert "已取消" in out
    code, out = run(monkeypatch, tmp_path, capsys, *args, "--yes")
    assert code == 0 and "已排入 2 份" in out
    store = Store(tmp_path / "data" / "biaogan.db")
    assert store.recent_broadcasts()[0]["pending"] == 2
    store.close()
    code, out = run(monkeypatch, tmp_path, capsys, "audit", "--broadcasts")
    assert "群发　苏州市" in out and "送达 0 / 2" in out and "（送达：Telegram 0/2）" in out


def test_broadcast_refuses_an_empty_segment_or_text(monkeypatch, tmp_path, capsys):
    seed(tmp_path, [11])
    notice = tmp_path / "n.txt"
    notice.write_text("通知", encoding="utf-8")
    code, out = run(
        monkeypatch, tmp_path, capsys, "broadcast", "--scope", "city:南京",
        "--text-file", str(notice), "--yes",
    )  # fmt: skip
    assert code == 1 and "没有发送" in out
    notice.write_text("  ", encoding="utf-8")
    code, out = run(
        monkeypatch, tmp_path, capsys, "broadcast", "--scope", "all",
        "--text-file", str(notice), "--yes",
    )  # fmt: skip
    assert code == 1 and "空" in out
    notice.write_text("字" * 4090, encoding="utf-8")
    code, out = run(
        monkeypatch, tmp_path, capsys, "broadcast", "--scope", "all",
        "--text-file", str(notice), "--yes",
    )  # fmt: skip
    assert code == 1 and "超过 4096" in out
