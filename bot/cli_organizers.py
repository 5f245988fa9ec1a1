"""``biaogan organizers grant|revoke|list``, ``biaogan broadcast``, ``biaogan audit``.

The person at the command line acts as the operator (``Store.operator()``, an admin to the store,
a person of its own); every
change is audited like one made over Telegram. A running bot picks up a broadcast queued here
within a second (its sender polls the delivery rows) and refreshes command lists at its start.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings

if TYPE_CHECKING:
    from bot.store import Store

# The store, the scopes and the flows are imported by the commands that use them: building the
# parser (every ``biaogan`` command does) must not load SQLite's layer (bench/startup.py).


def _store() -> Store:
    from bot.store import Store

    settings = Settings()
    return Store(settings.db_path, admin_ids=settings.admin_ids)


def _scope(words: list[str]) -> str | None:
    from conversations import scopes

    return scopes.parse_scope(words[0], " ".join(words[1:])) if words else None


def cmd_organizers(args: argparse.Namespace) -> int:
    from conversations import scopes

    store = _store()
    try:
        if args.action == "list":
            for row in store.organizers():
                who = row["user_id"] or store.person_name(row["person_id"])
                print(f"{who}\t{row['scope']}\t{row['granted_at']}")
            return 0
        if args.action == "invite":
            return invite(
                store, args.email, args.invite_scope, args.name, admin=args.admin,
                telegram_id=args.telegram,
            )  # fmt: skip
        if args.user_id is None:
            print("请给出用户ID。", file=sys.stderr)
            return 2
        if args.action == "grant":
            scope = _scope(args.scope)
            if scope is None:
                print("范围写法：city 苏州 | assoc 协会名称 | province", file=sys.stderr)
                return 2
            store.grant(store.operator(), store.telegram_person(args.user_id), scope)
            print(f"已授权 {args.user_id}：{scopes.label(scope)}")
            return 0
        found = store.destination("telegram", str(args.user_id))
        person = found["person_id"] if found else None
        if person is None or not store.revoke(store.operator(), person):
            print(f"{args.user_id} 不是组织单位。", file=sys.stderr)
            return 1
        print(f"已撤销 {args.user_id}")
        return 0
    finally:
        store.close()


def cmd_broadcast(args: argparse.Namespace) -> int:
    """Queue a broadcast: the same preview, counts per channel and checks as /broadcast."""
    from conversations import scopes
    from conversations.broadcasting import preview_lines
    from conversations.flows.broadcast import MAX_CHARS, render, utf16_len

    segment = args.scope.strip()
    if segment not in (scopes.ALL, scopes.PROVINCE) and not scopes.valid_scope(segment):
        print("范围写法：all | city:苏州 | assoc:协会名称", file=sys.stderr)
        return 2
    segment = scopes.ALL if segment == scopes.PROVINCE else segment
    text = Path(args.text_file).read_text(encoding="utf-8").strip()
    sender = scopes.PROVINCE if segment == scopes.ALL else segment
    rendered = render(sender, text)
    if not text:
        print("通知是空的，没有发送。", file=sys.stderr)
        return 1
    if utf16_len(rendered) > MAX_CHARS:
        print(f"通知加上抬头共 {utf16_len(rendered)} 字，超过 {MAX_CHARS} 字，没有发送。")
        return 1
    store = _store()
    try:
        reach = store.segment_reach(segment)
        if reach.total == 0:
            print(f"{scopes.label(segment)}没有订阅通知的企业用户，没有发送。", file=sys.stderr)
            return 1
        lines = preview_lines(segment, reach, sender, mail_sent=Settings().mail_configured)
        print(f"预览：\n\n{rendered}\n\n{lines}\n")
        if not args.yes:
            ask = f"确认发送 {reach.total} 份？[y/N] "
            answer = input(ask) if sys.stdin.isatty() else ""
            if answer.strip().lower() not in ("y", "yes", "是"):
                print("已取消，没有发送。")
                return 1
        with store.transaction():
            broadcast_id, total = store.create_broadcast(store.operator(), None, segment, rendered)
        print(f"群发 #{broadcast_id} 已排入 {total} 份，由运行中的机器人按速率发送。")
        return 0
    finally:
        store.close()


def cmd_audit(args: argparse.Namespace) -> int:
    from conversations.flows.organizers import audit_line, broadcast_line

    store = _store()
    try:
        for row in reversed(store.recent_audit(args.limit)):
            print(audit_line(row))
        if args.broadcasts:
            for row in store.recent_broadcasts(limit=args.limit):
                print(broadcast_line(row))
        return 0
    finally:
        store.close()


def invite(store: Store, email: str | None, scope: str | None, name: str | None,
           *, admin: bool = False, telegram_id: int | None = None) -> int:  # fmt: skip
    """An organizer (or admin) by e-mail: the role now, the invitation mail queued, and a
    sign-in link printed for delivery by hand."""
    from conversations import scopes
    from conversations.flows.mail import normalized

    try:
        address = normalized(email or "")
    except ValueError:
        print("请用 --email 给出有效的电子邮箱地址。", file=sys.stderr)
        return 2
    scope = "province" if admin else scope
    if not scope or not scopes.valid_scope(scope):
        print("请用 --scope 给出范围：province | city:无锡 | assoc:协会名称", file=sys.stderr)
        return 2
    if not name:
        print("请用 --name 给出姓名（会显示在操作记录里）。", file=sys.stderr)
        return 2
    from bot.store.signin import LinkRefused

    try:
        person = store.invite_by_email(
            store.operator(), address, scope, name, admin=admin, telegram_id=telegram_id
        )
    except LinkRefused:
        print(
            f"{address} 已属于另一个人，不能与 Telegram 用户 {telegram_id} 合并。", file=sys.stderr
        )
        return 2
    settings = Settings()
    token = store.signin_link_token(person, purpose="invite")
    link = f"{settings.site_url}/org/signin/link?t={token}"
    role = "管理员" if admin else f"组织单位（{scopes.label(scope)}）"
    print(f"已设为{role}：{name} <{address}>")
    if settings.mail_configured:
        print("邀请邮件已排入发送（运行中的 biaogan web / run 会发出）。")
    else:
        print("没有设置邮件服务器：邀请邮件只会写入日志。请把下面的登录链接交给本人：")
    print(f"登录链接（72小时内有效，只能用一次；之后在 {settings.site_url}/org/ 用邮箱获取）：")
    print(link)
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    organizers = sub.add_parser(
        "organizers",
        help="组织单位：invite --email … --scope city:无锡 --name … | grant 用户ID city 苏州"
        " | revoke 用户ID | list",
    )
    organizers.add_argument("action", choices=["invite", "grant", "revoke", "list"])
    organizers.add_argument("--email", help="invite：组织单位的电子邮箱（登录工作台用）")
    organizers.add_argument(
        "--scope", dest="invite_scope", help="invite：province | city:无锡 | assoc:协会名称"
    )
    organizers.add_argument("--name", help="invite：姓名")
    organizers.add_argument("--admin", action="store_true", help="invite：设为管理员（全省）")
    organizers.add_argument(
        "--telegram", type=int, help="invite：此人的 Telegram 用户ID（同一个人、同一个角色）"
    )
    organizers.add_argument("user_id", type=int, nargs="?")
    organizers.add_argument("scope", nargs="*", help="city 苏州 | assoc 协会名称 | province")
    organizers.set_defaults(func=cmd_organizers)
    broadcast = sub.add_parser("broadcast", help="群发通知：--scope city:苏州 --text-file 通知.txt")
    broadcast.add_argument("--scope", required=True, help="all | city:苏州 | assoc:协会名称")
    broadcast.add_argument("--text-file", required=True, help="通知全文（UTF-8）")
    broadcast.add_argument("--yes", action="store_true", help="不询问，直接排入发送")
    broadcast.set_defaults(func=cmd_broadcast)
    audit = sub.add_parser("audit", help="操作记录：授权、撤销、邀请、群发、导出……（最近在后）")
    audit.add_argument("--limit", type=int, default=50)
    audit.add_argument("--broadcasts", action="store_true", help="再列出最近的群发及送达情况")
    audit.set_defaults(func=cmd_audit)
