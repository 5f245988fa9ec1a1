"""``biaogan outbox``: what was sent or is waiting to go, on every channel — the rows of the
outbox tables (confirmation mails, reminders, broadcast deliveries) with their address and
outcome. With no SMTP server set, mails are written to the log and listed here as sent."""

from __future__ import annotations

import argparse

from bot.config import Settings

TABLES = {"messages": "确认邮件", "reminders": "提醒", "deliveries": "群发"}
STATUSES = ("pending", "sending", "sent", "blocked", "failed", "skipped", "cancelled")


def cmd_outbox(args: argparse.Namespace) -> int:
    from bot.store import Store

    store = Store(Settings().db_path)
    try:
        rows = []
        for table, label in TABLES.items():
            kind = "kind" if table != "deliveries" else "'broadcast ' || broadcast_id"
            where, params = ["1 = 1"], []
            if args.channel:
                where.append("o.channel = ?")
                params.append(args.channel)
            if args.status:
                where.append("o.status = ?")
                params.append(args.status)
            found = store.db.execute(
                f"SELECT o.due_at, ?, {kind}, o.channel, d.address, o.status,"
                " coalesce(o.sent_at, ''), coalesce(o.error, '')"
                f" FROM {table} o LEFT JOIN destinations d ON d.id = o.destination_id"
                f" WHERE {' AND '.join(where)}",
                [label, *params],
            ).fetchall()
            rows += found
    finally:
        store.close()
    rows.sort(key=lambda r: r[0], reverse=True)
    if not rows:
        print("发件箱是空的：还没有要发送的提醒、群发或确认邮件。")
        return 0
    print("计划时间\t类别\t内容\t渠道\t地址\t状态\t发出时间\t错误")
    for row in rows[: args.limit]:
        print("\t".join(str(value) for value in row))
    if len(rows) > args.limit:
        print(f"……共 {len(rows)} 条，只列出最近的 {args.limit} 条（--limit 可调）")
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    outbox = sub.add_parser(
        "outbox",
        help="发件箱：各渠道已发出和待发送的提醒、群发、确认邮件（未配置 SMTP 时邮件写入日志）",
    )
    outbox.add_argument("--channel", choices=["telegram", "web", "console", "email"])
    outbox.add_argument("--status", choices=STATUSES)
    outbox.add_argument("--limit", type=int, default=50, help="最多列出几条（默认 50）")
    outbox.set_defaults(func=cmd_outbox)
