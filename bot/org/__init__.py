"""The organizers' console (组织单位工作台) under ``/org/``: sign-in by a one-time e-mail link,
server-rendered pages (Jinja2), every read and write checked by the store with the person's id.
``app.py`` (sign-in, 概览, 操作记录), ``pages.py`` (企业, 群发通知, 未回答的问题, 组织单位),
``auth.py`` (the session cookie, CSRF, same-site POSTs), ``render.py`` (templates)."""

from bot.org.app import build_org_app

__all__ = ["build_org_app"]
