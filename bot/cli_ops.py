"""``biaogan backup``, ``biaogan restore`` and ``biaogan doctor``; and the one line a bad
setting prints instead of a traceback."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

from pydantic import ValidationError

from bot.config import Settings
from conversations import texts


def settings_error(exc: ValidationError) -> str:
    """Every bad setting, by its variable's name, on one line (never its value: it may be a
    secret)."""
    problems = []
    for error in exc.errors():
        name = f"BIAOGAN_{str(error['loc'][0]).upper()}" if error["loc"] else "?"
        problems.append(f"{name}：{error['msg'].removeprefix('Value error, ')}")
    return texts.OPS_BAD_SETTINGS.format(problems="；".join(problems))


def cmd_backup(args: argparse.Namespace) -> int:
    from bot.ops.backup import BackupError, backup, prune

    settings = Settings()
    began = time.monotonic()
    if args.path.endswith(os.sep):  # a folder, made when missing
        Path(args.path).mkdir(parents=True, exist_ok=True)
    try:
        path, found = backup(settings.db_path, Path(args.path))
    except BackupError as exc:
        print(texts.BACKUP_REFUSED[exc.reason].format(**_shown(exc.detail)), file=sys.stderr)
        return 1
    print(texts.BACKUP_DONE.format(path=path, tables=len(found.counts), rows=found.rows,
                                   integrity=found.integrity,
                                   seconds=time.monotonic() - began))  # fmt: skip
    pruned = prune(path.parent, args.keep) if args.keep and path.parent == Path(args.path) else []
    if pruned:
        print(texts.BACKUP_PRUNED.format(keep=args.keep, count=len(pruned)))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from bot.ops.backup import BackupError, check, known_migrations, restore
    from bot.ops.lock import DataInUse

    settings = Settings()
    path = Path(args.path)
    try:
        found = check(path)
    except BackupError as exc:
        print(texts.BACKUP_REFUSED[exc.reason].format(**_shown(exc.detail)), file=sys.stderr)
        return 1
    known = known_migrations()
    print(texts.RESTORE_PLAN.format(path=path, database=settings.db_path,
                                    tables=len(found.counts), rows=found.rows,
                                    applied=len(found.applied), known=len(known)))  # fmt: skip
    if not args.yes:
        answer = input(texts.RESTORE_ASK) if sys.stdin.isatty() else ""
        if answer.strip().lower() != "yes":
            print(texts.RESTORE_NEEDS_YES, file=sys.stderr)
            return 1
    try:
        found, kept = restore(path, settings.data_dir)
    except DataInUse as exc:
        print(texts.RESTORE_RUNNING.format(pid=exc.holder or "?"), file=sys.stderr)
        return 1
    if kept is None:
        print(texts.RESTORE_DONE_NEW.format(database=settings.db_path))
    else:
        print(texts.RESTORE_DONE.format(database=settings.db_path, kept=kept))
    if pending := len(known) - len(found.applied):
        print(texts.RESTORE_PENDING.format(count=pending))
    return 0


def _shown(detail: dict[str, object]) -> dict[str, object]:
    return {k: "、".join(v) if isinstance(v, list) else v for k, v in detail.items()}


def cmd_doctor(args: argparse.Namespace) -> int:
    from bot.ops.doctor import examine, report

    settings = Settings()
    text, code = report(settings, asyncio.run(examine(settings)))
    print(text)
    return code


def add_parsers(sub: argparse._SubParsersAction) -> None:
    backup = sub.add_parser(
        "backup", help="运行中也可备份：一致的数据库副本（SQLite 在线备份），并做完整性检查"
    )
    backup.add_argument("path", help="备份文件，或目录（已有的，或以 / 结尾：其中按日期命名）")
    backup.add_argument("--keep", type=int, default=0, help="目录中只保留最新的 N 份")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser(
        "restore", help="检查并恢复备份（拒绝非本程序或更新版本的数据库；须先停止服务）"
    )
    restore.add_argument("path", help="备份文件")
    restore.add_argument("--yes", action="store_true", help="不再询问确认")
    restore.set_defaults(func=cmd_restore)
    sub.add_parser(
        "doctor", help="检查配置：列出全部设置（隐去密钥）、各渠道缺什么，并试连 Telegram 与 SMTP"
    ).set_defaults(func=cmd_doctor)
