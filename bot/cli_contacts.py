"""``biaogan contact set|list|remove``: the organizers' contact cards from the shell.

Whoever runs the CLI on the bot's machine is trusted as an admin (the store checks the actor,
as it does for the console's organizers). A refused field or scope gets a Chinese error on
stderr, exit code 2, and nothing changes.
"""

from __future__ import annotations

import argparse
import sys

from bot.cli_calendar import fail, open_store


def cmd_set(args: argparse.Namespace) -> int:
    from bot.store.contacts import CardNotYours
    from conversations.contacts import CardInputError, ContactCard, card_block, make_card

    fields = {f: getattr(args, f) for f in ("unit", "person", "phone", "address", "hours")}
    try:
        card = make_card(args.scope, **fields)
    except CardInputError as exc:
        return fail(exc.message)
    store = open_store()
    try:
        saved = store.set_contact_card(store.operator(), card)
        shown: ContactCard | None = store.contact_card(card.scope)
    except CardNotYours as exc:
        return fail(str(exc))
    finally:
        store.close()
    word = {"set": "已保存", "changed": "已更新", "same": "未变"}[saved]
    assert shown is not None
    print(f"{word}：{card.scope}\n{card_block(shown)}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    store = open_store()
    try:
        cards = store.all_contact_cards()
    finally:
        store.close()
    if not cards:
        print("还没有组织单位登记联系方式。", file=sys.stderr)
    for card in cards:
        print("\t".join([card.scope, card.unit, card.person, card.phone, card.address,
                         card.hours, card.updated_at]))  # fmt: skip
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from bot.store.contacts import CardNotYours
    from conversations.contacts import CardInputError

    store = open_store()
    try:
        removed = store.remove_contact_card(store.operator(), args.scope)
    except (CardInputError, CardNotYours) as exc:
        return fail(str(exc))
    finally:
        store.close()
    if not removed:
        return fail(f"{args.scope} 没有登记联系方式，无需删除。")
    print(f"已删除：{args.scope} 的联系方式。")
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    contact = sub.add_parser("contact", help="组织单位的联系方式：set / list / remove")
    commands = contact.add_subparsers(dest="contact_command", required=True)
    set_ = commands.add_parser("set", help="登记或修改一个范围的联系方式")
    set_.add_argument("--scope", required=True, help="province、city:无锡 或 assoc:协会名称")
    set_.add_argument("--unit", required=True, help="单位，如 无锡市经信委")
    set_.add_argument("--person", required=True, help="联系人，如 陈科长")
    set_.add_argument("--phone", required=True, help="电话，如 0510-81234567")
    set_.add_argument("--address", help="地址（可选）")
    set_.add_argument("--hours", help="办公时间（可选）")
    set_.set_defaults(func=cmd_set)
    list_ = commands.add_parser("list", help="列出已登记的联系方式")
    list_.set_defaults(func=cmd_list)
    remove = commands.add_parser("remove", help="删除一个范围的联系方式")
    remove.add_argument("--scope", required=True, help="province、city:无锡 或 assoc:协会名称")
    remove.set_defaults(func=cmd_remove)
