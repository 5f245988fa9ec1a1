"""The ``biaogan`` command: chat, ask, check, areas, calendar, kb check, run."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from pydantic import ValidationError

from bot.cli_calendar import add_parser as add_calendar_parser
from bot.cli_contacts import add_parser as add_contact_parser
from bot.cli_ops import add_parsers as add_ops_parsers
from bot.cli_ops import settings_error
from bot.config import Settings
from bot.ops.logs import setup as setup_logging
from knowledge import KnowledgeError, load_knowledge

log = logging.getLogger("biaogan")

Record = dict[str, Any]
SCOPE_HELP = "范围：province（默认，全省）、city:苏州、assoc:<协会名称>"


def jsonl(process: Callable[[Record], Record], lines: Iterable[str], out: TextIO) -> int:
    """Run ``process`` over JSON Lines; a bad line yields an error line and processing goes on."""
    failures = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record_id = None
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("expected a JSON object")
            record_id = record.get("id")
            result = process(record)
        except (ValueError, TypeError) as exc:  # json.JSONDecodeError is a ValueError
            failures += 1
            log.warning("line %d: %s", number, exc)
            result = {"id": record_id, "error": f"line {number}: {exc}"}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return 1 if failures else 0


def cmd_ask(args: argparse.Namespace) -> int:
    from conversations.ask import ask_record
    from conversations.core import Context

    ctx = Context(kb=load_knowledge())
    with _calendars(ctx):
        if args.jsonl:
            return jsonl(lambda record: ask_record(ctx, record), sys.stdin, sys.stdout)
        if not args.question:
            print('请给出问题，例如：biaogan ask "要交费吗"', file=sys.stderr)
            return 2
        print(ask_record(ctx, {"q": " ".join(args.question)})["reply"])
    return 0


@contextlib.contextmanager
def _calendars(ctx: Any) -> Iterator[None]:
    """Answers about dates use the calendars organizers set, when there is a store."""
    path = Settings().db_path
    if not path.exists():
        yield
        return
    from bot.store import Store  # only then: SQLite's layer is a fifth of a cold ask

    store = Store(path)
    ctx.calendars = store.year_calendar
    try:
        yield
    finally:
        store.close()


def cmd_check(args: argparse.Namespace) -> int:
    from conversations.flows.eligibility import check_record

    return jsonl(check_record, sys.stdin, sys.stdout)


def cmd_areas(args: argparse.Namespace) -> int:
    from conversations.flows.areas import areas_record

    return jsonl(areas_record, sys.stdin, sys.stdout)


def cmd_kb(args: argparse.Namespace) -> int:
    from knowledge.areas import AreaMatcher
    from knowledge.faq import FaqMatcher, load_scope
    from knowledge.text import glossary

    kb = load_knowledge()
    FaqMatcher(kb)  # compiles the scope rules and the FAQ vectors
    AreaMatcher(kb)  # compiles the areas' vocabulary and patterns
    p = kb.programme
    counts = {
        "clauses": len(kb.clauses),
        "conditions": len(kb.conditions),
        "areas": len(kb.areas),
        "calendar milestones": len(p.calendar),
        "quotas": len(p.quotas),
        "contacts": len(p.contacts.names),
        "organizers": len(p.organizers),
        "materials": len(p.materials),
        "faq entries": len(kb.faq),
        "faq phrasings": sum(len(e.questions) for e in kb.faq),
        "english glossary terms": len(glossary()),
        "out-of-scope rules": len(load_scope()),
    }
    print(f"knowledge OK: {p.document_number}")
    for name, count in counts.items():
        print(f"  {name:24} {count}")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.console import chat
    from bot.service import ChatService

    service = ChatService.open(Settings())
    try:
        return chat(service) if sys.stdin.isatty() else chat(service, read=_read_piped)
    finally:
        service.close()


def cmd_start(args: argparse.Namespace) -> int:
    """Start the Telegram bot when a token is configured, else the console chat."""
    token = Settings().telegram_token
    if token is not None and token.get_secret_value().strip():
        return cmd_run(args)
    print("未配置 BIAOGAN_TELEGRAM_TOKEN，进入终端对话模式。", file=sys.stderr)
    return cmd_chat(args)


def _read_piped(prompt: str) -> str:
    """Read one line of piped input, without echoing a prompt."""
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")


def cmd_run(args: argparse.Namespace) -> int:
    from bot.telegram.app import run

    logging.getLogger("bot").setLevel(logging.INFO)  # a server says where it is connected

    return run(Settings())


def cmd_web(args: argparse.Namespace) -> int:
    from bot.web import run_web

    logging.getLogger("bot").setLevel(logging.INFO)  # a line per turn and per send

    if args.admin:  # the console's first admin: a sign-in link printed, no SMTP needed
        from bot.cli_organizers import _store, invite

        store = _store()
        try:
            done = invite(store, args.admin, "province", args.name or "管理员", admin=True)
        finally:
            store.close()
        if done != 0:
            return done
    return run_web(Settings())


def _open_store():
    """The store of the configured data folder, or None (said on stderr) when there is none."""
    from bot.store import Store

    settings = Settings()
    if not settings.db_path.exists():
        print(f"还没有数据：{settings.db_path} 不存在。", file=sys.stderr)
        return None
    return Store(settings.db_path)


def cmd_unanswered(args: argparse.Namespace) -> int:
    from bot.reports import group_questions

    store = _open_store()
    if store is None:
        return 0
    try:
        questions = store.unanswered_texts(store.operator(), scope=args.scope)
    finally:
        store.close()
    groups = group_questions(questions)
    for group in groups[: args.limit]:
        others = [v for v in group.variants if v != group.text]
        print(
            f"{group.count}\t{group.text}" + (f"\t（相近：{'；'.join(others)}）" if others else "")
        )
    print(
        f"共 {len(questions)} 条未能回答的问题，合并为 {len(groups)} 类（次数多的在前）。",
        file=sys.stderr,
    )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from bot.reports import stats_text
    from conversations.core import now_shanghai
    from conversations.reports import parse_period, stats_json

    store = _open_store()
    if store is None:
        return 0
    try:
        period = parse_period(args.period or args.year or "", now_shanghai().date())
        stats = store.stats(store.operator(), period, scope=args.scope)
    finally:
        store.close()
    if args.json:
        print(json.dumps(stats_json(stats), ensure_ascii=False, indent=2))
    else:
        print(stats_text(stats, load_knowledge()))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from bot.reports import export_csv

    store = _open_store()
    if store is None:
        return 0
    try:
        with store.transaction():
            operator = store.operator()
            rows = store.export_rows(operator, scope=args.scope)
            store.audit_export(operator, {"channel": "cli", "rows": len(rows)}, scope=args.scope)
    finally:
        store.close()
    sys.stdout.buffer.write(export_csv(rows, load_knowledge()))
    sys.stdout.flush()
    print(f"已导出 {len(rows)} 家企业（{args.scope}）。", file=sys.stderr)
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    store = _open_store()
    if store is None:
        return 0
    try:
        touched = store.forget(args.chat_id)
    finally:
        store.close()
    removed = {table: n for table, n in touched.items() if n}
    print(f"已删除聊天 {args.chat_id} 的全部记录：{removed or '本来就没有记录'}")
    return 0


def _scope_arg(text: str) -> str:
    from bot.store.scope import Scope

    try:
        return str(Scope.parse(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="biaogan", description="江苏省“质量标杆”助手")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    parser.set_defaults(func=cmd_start)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser(
        "start", help="默认：配置了 Telegram token 则启动机器人，否则进入终端对话"
    ).set_defaults(func=cmd_start)

    sub.add_parser("chat", help="在终端里与助手对话（无需 Telegram）").set_defaults(func=cmd_chat)
    sub.add_parser("run", help="启动 Telegram 机器人（需要 BIAOGAN_TELEGRAM_TOKEN）").set_defaults(
        func=cmd_run
    )
    web = sub.add_parser(
        "web",
        help="启动网页对话和组织单位工作台（默认 http://127.0.0.1:8080/ 与 /org/，无需 Telegram）",
    )
    web.add_argument("--admin", metavar="EMAIL", help="工作台的第一位管理员：打印登录链接")
    web.add_argument("--name", help="--admin 的姓名")
    web.set_defaults(func=cmd_web)
    ask = sub.add_parser("ask", help="回答一个问题；--jsonl 从标准输入批量回答")
    ask.add_argument("question", nargs="*", help="问题")
    ask.add_argument("--jsonl", action="store_true", help='读 {"id":…,"q":…} 行，写回答行')
    ask.set_defaults(func=cmd_ask)
    check = sub.add_parser("check", help='资格自测批量判断：读 {"id":…,"answers":{…}} 行')
    check.add_argument("--jsonl", action="store_true", required=True)
    check.set_defaults(func=cmd_check)
    areas = sub.add_parser("areas", help='领域推荐批量：读 {"id":…,"text":…} 行')
    areas.add_argument("--jsonl", action="store_true", required=True)
    areas.set_defaults(func=cmd_areas)
    unanswered = sub.add_parser(
        "unanswered", help="助手未能回答的问题，相近问法合并、按次数排序，供组织单位补充"
    )
    unanswered.add_argument("--limit", type=int, default=100, help="最多列出多少类（默认100）")
    unanswered.add_argument("--scope", type=_scope_arg, default="province", help=SCOPE_HELP)
    unanswered.set_defaults(func=cmd_unanswered)
    add_calendar_parser(sub)
    add_contact_parser(sub)
    from bot.cli_organizers import add_parsers

    add_parsers(sub)
    from bot.cli_outbox import add_parser as add_outbox_parser

    add_outbox_parser(sub)
    add_ops_parsers(sub)  # backup, restore, doctor
    stats = sub.add_parser("stats", help="组织单位统计：使用、自测、符合比例、领域、订阅、群发")
    stats.add_argument("--scope", type=_scope_arg, default="province", help=SCOPE_HELP)
    stats.add_argument("--year", help="年份，默认今年（Asia/Shanghai）")
    stats.add_argument("--period", help="起止日期，如 2026-01-01..2026-06-30")
    stats.add_argument("--json", action="store_true", help="输出 JSON")
    stats.set_defaults(func=cmd_stats)
    export = sub.add_parser("export", help="导出范围内填写了企业资料的企业名单（CSV，UTF-8 BOM）")
    export.add_argument("--scope", type=_scope_arg, default="province", help=SCOPE_HELP)
    export.set_defaults(func=cmd_export)
    forget = sub.add_parser("forget", help="删除一个聊天（用户）的全部记录（管理员）")
    forget.add_argument("chat_id", type=int, help="聊天 ID（私聊即用户 ID）")
    forget.set_defaults(func=cmd_forget)
    kb = sub.add_parser("kb", help="知识库工具")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    kb_sub.add_parser("check", help="校验全部知识文件并打印条目数").set_defaults(func=cmd_kb)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:  # a bad setting stops every command with one line, not a traceback
        settings = Settings()
    except ValidationError as exc:
        print(settings_error(exc), file=sys.stderr)
        return 2
    setup_logging(settings.log_format, verbose=args.verbose, log_text=settings.log_text)
    # Mail goes to the log when no SMTP server is set: a newcomer sees it in the terminal.
    logging.getLogger("bot.mail").setLevel(logging.INFO)
    try:
        return args.func(args)
    except KnowledgeError as exc:
        print(f"知识库数据有误：{exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # a malformed period
        print(f"参数有误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
