"""The web chat channel: the same flows as Telegram, in a browser page (Starlette + uvicorn)."""

from bot.web.app import WebLimits, build_web_app
from bot.web.server import run_web, serve_web

__all__ = ["WebLimits", "build_web_app", "run_web", "serve_web"]
