"""The console's pages besides sign-in, 概览 and 操作记录, one module each: ``enterprises``
(企业 and its CSV), ``questions`` (未回答的问题: forwarded questions answered back, published
answers), ``broadcasts`` (群发通知: compose, preview, test, send, status), ``documents`` (文件:
publish and withdraw the files enterprises download), ``contacts`` (联系方式: the scope's
contact card), ``people``
(组织单位, admins only). Each reads and writes through the store with the
signed-in person's id; the store checks the scope."""

from __future__ import annotations

from bot.org.app import OrgConsole


def add_pages(console: OrgConsole) -> None:
    """Register every page module's routes on ``console`` (before its app is built)."""
    from bot.org import broadcasts, contacts, documents, enterprises, people, questions

    for module in (enterprises, questions, broadcasts, documents, contacts, people):
        module.register(console)
