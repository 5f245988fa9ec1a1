"""The console's pages besides sign-in, 概览 and 操作记录, one module each: ``enterprises``
(企业 and its CSV, 未回答的问题), ``broadcasts`` (群发通知: compose, preview, test, send,
status), ``documents`` (文件: publish and withdraw the files enterprises download),
``contacts`` (联系方式: the scope's contact card), ``people``
(组织单位, admins only). Each reads and writes through the store with the
signed-in person's id; the store checks the scope."""

from __future__ import annotations

from bot.org.app import OrgConsole


def add_pages(console: OrgConsole) -> None:
    """Register every page module's routes on ``console`` (before its app is built)."""
    from bot.org import broadcasts, contacts, documents, enterprises, people

    for module in (enterprises, broadcasts, documents, contacts, people):
        module.register(console)
