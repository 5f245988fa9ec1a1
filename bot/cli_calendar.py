"""``biaogan calendar set|list|remove|ics``: the organizer-set calendar from the shell.

``--scope city:无锡`` (or ``assoc:<name>``) sets that organizer's own dates (本市企业报送截止,
预审, 培训会); without it, the province's milestones as before.

Whoever runs the CLI on the bot's machine is trusted as an admin (the store checks the actor).
Every bad input gets a Chinese error on stderr, exit code 2, and nothing changes.
"""

from __future__ import annotations

import argparse
import sys

from bot.config import Settings

SCOPE_HELP = "谁的日程：city:无锡、assoc:江苏省机械行业协会；不写为全省（province）"


def open_store():
    """The configured store (whoever runs the CLI on the bot's machine is trusted as an admin)."""
    from bot.store import Store

    return Store(Settings().db_path)


def fail(message: str) -> int:
    """A refusal: the reason on stderr, exit code 2."""
    print(message, file=sys.stderr)
    return 2


def cmd_set(args: argparse.Namespace) -> int:
    from conversations.calendar import CalendarInputError, parse_scope_arg, parse_setting, set_by

    try:
        scope = parse_scope_arg(args.scope)
        entry = parse_setting(args.year, args.milestone, args.date, args.note, scope)
    except CalendarInputError as exc:
        return fail(str(exc))
    store = open_store()
    try:
        outcome = store.set_calendar_date(store.operator(), entry)
    finally:
        store.close()
    word = {"set": "已设定", "moved": "已调整", "same": "未变"}[outcome]
    print(
        f"{word}：{entry.year} {scope} {entry.milestone} {entry.day.isoformat()}（{set_by(scope)}）"
    )
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from conversations.calendar import (
        CalendarInputError,
        parse_milestone,
        parse_scope_arg,
        parse_year,
    )

    try:
        scope = parse_scope_arg(args.scope)
        year, milestone = parse_year(args.year), parse_milestone(args.milestone, scope)
    except CalendarInputError as exc:
        return fail(str(exc))
    store = open_store()
    try:
        removed = store.remove_calendar_date(store.operator(), year, milestone, scope)
    finally:
        store.close()
    if not removed:
        return fail(f"{year} 年 {scope} 的 {milestone} 没有设定过，无需删除。")
    print(f"已删除：{year} {scope} {milestone}；该节点未发送的提醒已取消。")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """One line a date: year, scope, milestone, date, label (who set it), note."""
    from conversations.calendar import CalendarInputError, milestone_label, parse_year, set_by
    from conversations.core import Context
    from knowledge import load_knowledge
    from knowledge.calendar import MILESTONES

    try:
        only = parse_year(args.year) if args.year else None
    except CalendarInputError as exc:
        return fail(str(exc))
    ctx = Context(kb=load_knowledge())
    store = open_store()
    try:
        rows = store.calendar_entries(only)
    finally:
        store.close()
    order = {m: i for i, m in enumerate(MILESTONES)}  # the province's in the notice's order
    rows.sort(key=lambda r: (r["year"], r["scope"] != "province", r["scope"],
                             order.get(r["milestone"], 9), r["day"]))  # fmt: skip
    for row in rows:
        label = milestone_label(ctx, row["scope"], row["milestone"])
        note = f"\t{row['note']}" if row["note"] else ""
        print(
            f"{row['year']}\t{row['scope']}\t{row['milestone']}\t{row['day']}\t{label}"
            f"（{set_by(row['scope'])}）{note}"
        )
    if not rows:
        print(f"{only or ''}还没有设定任何日程。".lstrip(), file=sys.stderr)
    return 0


def cmd_ics(args: argparse.Namespace) -> int:
    """The year's .ics: with ``--scope``, that scope's own dates first, then the province's."""
    from conversations.calendar import CalendarInputError, ics_bytes, parse_scope_arg, parse_year
    from conversations.core import Context
    from knowledge import load_knowledge

    ctx = Context(kb=load_knowledge())
    try:
        year = parse_year(args.year) if args.year else ctx.this_year()
        scope = parse_scope_arg(args.scope)
    except CalendarInputError as exc:
        return fail(str(exc))
    store = open_store()
    try:
        wanted = [scope, "province"] if scope != "province" else ["province"]
        calendars = [c for s in wanted if (c := store.year_calendar(year, s)) is not None]
    finally:
        store.close()
    if not calendars:
        return fail(f"{year} 年还没有设定日程，没有可以导出的日历。")
    sys.stdout.buffer.write(ics_bytes(ctx, *calendars))
    sys.stdout.flush()
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    calendar = sub.add_parser("calendar", help="组织单位设定的年度日程：set / list / remove / ics")
    commands = calendar.add_subparsers(dest="calendar_command", required=True)
    set_ = commands.add_parser("set", help="设定或调整一个节点的日期")
    set_.add_argument("year", help="年份，如 2027")
    set_.add_argument(
        "milestone",
        help="全省：submission announcement exchange_start exchange_end summary；"
        "市、协会：submission（本市企业报送截止）prereview（预审）training（培训会）",
    )
    set_.add_argument("date", help="日期，如 2027-06-30")
    set_.add_argument("--note", help="说明（可选），如培训会的地点")
    set_.add_argument("--scope", help=SCOPE_HELP)
    set_.set_defaults(func=cmd_set)
    list_ = commands.add_parser("list", help="列出已设定的日程")
    list_.add_argument("year", nargs="?", help="年份（默认全部）")
    list_.set_defaults(func=cmd_list)
    remove = commands.add_parser("remove", help="删除一个节点的日期（未发送的提醒取消）")
    remove.add_argument("year")
    remove.add_argument("milestone")
    remove.add_argument("--scope", help=SCOPE_HELP)
    remove.set_defaults(func=cmd_remove)
    ics = commands.add_parser("ics", help="把一年的日程写成 .ics 到标准输出")
    ics.add_argument("year", nargs="?", help="年份（默认今年）")
    ics.add_argument("--scope", help="某市或协会的企业看到的日历：city:无锡、assoc:…")
    ics.set_defaults(func=cmd_ics)
