"""``biaogan calendar set|list|remove|ics``: the organizer-set calendar from the shell.

Whoever runs the CLI on the bot's machine is trusted as an admin (the store checks the actor).
Every bad input gets a Chinese error on stderr, exit code 2, and nothing changes.
"""

from __future__ import annotations

import argparse
import sys

from bot.config import Settings


def _open():
    from bot.store import Store

    return Store(Settings().db_path)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def cmd_set(args: argparse.Namespace) -> int:
    from conversations.calendar import CalendarInputError, parse_setting

    try:
        entry = parse_setting(args.year, args.milestone, args.date, args.note)
    except CalendarInputError as exc:
        return _fail(str(exc))
    store = _open()
    try:
        outcome = store.set_calendar_date(store.operator(), entry)
    finally:
        store.close()
    word = {"set": "已设定", "moved": "已调整", "same": "未变"}[outcome]
    print(f"{word}：{entry.year} {entry.milestone} {entry.day.isoformat()}（组织单位设定）")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from conversations.calendar import CalendarInputError, parse_milestone, parse_year

    try:
        year, milestone = parse_year(args.year), parse_milestone(args.milestone)
    except CalendarInputError as exc:
        return _fail(str(exc))
    store = _open()
    try:
        removed = store.remove_calendar_date(store.operator(), year, milestone)
    finally:
        store.close()
    if not removed:
        return _fail(f"{year} 年的 {milestone} 没有设定过，无需删除。")
    print(f"已删除：{year} {milestone}；该节点未发送的提醒已取消。")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from conversations.calendar import CalendarInputError, parse_year
    from knowledge import load_knowledge
    from knowledge.calendar import notice_milestones

    try:
        only = parse_year(args.year) if args.year else None
    except CalendarInputError as exc:
        return _fail(str(exc))
    labels = {m.id: m.label for m in notice_milestones(load_knowledge())}
    store = _open()
    try:
        years = [only] if only else store.calendar_years()
        calendars = [c for y in years if (c := store.year_calendar(y)) is not None]
    finally:
        store.close()
    for calendar in calendars:
        for milestone, label in labels.items():
            if (entry := calendar.dates.get(milestone)) is not None:
                note = f"\t{entry.note}" if entry.note else ""
                print(f"{calendar.year}\t{milestone}\t{entry.day.isoformat()}\t{label}{note}")
    if not calendars:
        print(f"{only or ''}还没有设定任何日程。".lstrip(), file=sys.stderr)
    return 0


def cmd_ics(args: argparse.Namespace) -> int:
    from conversations.calendar import CalendarInputError, ics_bytes, parse_year
    from conversations.core import Context
    from knowledge import load_knowledge

    ctx = Context(kb=load_knowledge())
    try:
        year = parse_year(args.year) if args.year else ctx.this_year()
    except CalendarInputError as exc:
        return _fail(str(exc))
    store = _open()
    try:
        calendar = store.year_calendar(year)
    finally:
        store.close()
    if calendar is None:
        return _fail(f"{year} 年还没有设定日程，没有可以导出的日历。")
    sys.stdout.buffer.write(ics_bytes(ctx, calendar))
    sys.stdout.flush()
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    calendar = sub.add_parser("calendar", help="组织单位设定的年度日程：set / list / remove / ics")
    commands = calendar.add_subparsers(dest="calendar_command", required=True)
    set_ = commands.add_parser("set", help="设定或调整一个节点的日期")
    set_.add_argument("year", help="年份，如 2027")
    set_.add_argument(
        "milestone", help="submission announcement exchange_start exchange_end summary"
    )
    set_.add_argument("date", help="日期，如 2027-06-30")
    set_.add_argument("--note", help="说明（可选）")
    set_.set_defaults(func=cmd_set)
    list_ = commands.add_parser("list", help="列出已设定的日程")
    list_.add_argument("year", nargs="?", help="年份（默认全部）")
    list_.set_defaults(func=cmd_list)
    remove = commands.add_parser("remove", help="删除一个节点的日期（未发送的提醒取消）")
    remove.add_argument("year")
    remove.add_argument("milestone")
    remove.set_defaults(func=cmd_remove)
    ics = commands.add_parser("ics", help="把一年的日程写成 .ics 到标准输出")
    ics.add_argument("year", nargs="?", help="年份（默认今年）")
    ics.set_defaults(func=cmd_ics)
