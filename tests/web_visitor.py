"""A web visitor over HTTP: what the page's script does, for tests and the benchmark."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx

PAGE_HEADERS = {"X-Requested-With": "biaogan"}


class Visitor:
    """One browser session talking to the web chat's JSON API through ``client``."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.csrf: str | None = None
        self.shown: dict[int, dict[str, Any]] = {}  # the page as it stands: id -> message
        self.cursor = 0  # the newest change the page was handed (/api/session, /api/updates)

    async def open(self) -> list[dict[str, Any]]:
        """Load the session (made on first visit) and the transcript, as the page does."""
        response = await self.client.get("/api/session", headers=PAGE_HEADERS)
        response.raise_for_status()
        body = response.json()
        self.csrf = body["csrf"]
        self.shown = {m["id"]: m for m in body["messages"]}
        self.cursor = body["cursor"]
        return body["messages"]

    async def updates(self, after: int | None = None) -> httpx.Response:
        after = self.cursor if after is None else after
        return await self.client.get(f"/api/updates?after={after}", headers=PAGE_HEADERS)

    async def poll(self) -> list[dict[str, Any]]:
        """Ask for what changed since the page's cursor, as the open page does every few
        seconds; the page updated."""
        response = await self.updates()
        assert response.status_code == 200, response.text
        body = response.json()
        for message in body["messages"]:
            self.shown[message["id"]] = message
        self.cursor = body["cursor"]
        return body["messages"]

    async def post(self, payload: Any, **headers: str) -> httpx.Response:
        sent = {"X-CSRF-Token": self.csrf or "", **headers}
        return await self.client.post("/api/send", json=payload, headers=sent)

    async def send(self, payload: Any) -> list[dict[str, Any]]:
        """Post an event; the messages it showed (echo and replies), the page updated."""
        response = await self.post(payload)
        assert response.status_code == 200, response.text
        messages = response.json()["messages"]
        for message in messages:
            self.shown[message["id"]] = message
        return messages

    async def say(self, text: str) -> list[dict[str, Any]]:
        return await self.send({"type": "text", "text": text})

    async def command(self, name: str, args: str = "") -> list[dict[str, Any]]:
        return await self.send({"type": "command", "name": name, "args": args})

    async def press(self, label: str) -> list[dict[str, Any]]:
        """Press the newest button labelled ``label`` on the page."""
        message, data = self.button(label)
        return await self.send({"type": "button", "data": data, "message": message})

    def button(self, label: str) -> tuple[int, str]:
        for message_id in sorted(self.shown, reverse=True):
            for row in self.shown[message_id]["buttons"]:
                for button in row:
                    if button["label"] == label:
                        return message_id, button["data"]
        raise AssertionError(f"no button {label!r} on the page")

    def last(self) -> dict[str, Any]:
        return self.shown[max(self.shown)]


@contextlib.asynccontextmanager
async def serving(settings: Any, service: Any) -> AsyncIterator[str]:
    """The web app (chat page, mail pages, console) on a real uvicorn server on a free loopback
    port, for a browser; yields its address, which the links in mails then use."""
    from bot.web.server import server_url, web_server

    server = web_server(settings, service)
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the web server did not start"
        await asyncio.sleep(0.01)
    url = server_url(server).rstrip("/")
    service.settings = settings.model_copy(update={"public_url": url})
    try:
        yield url
    finally:
        server.should_exit = True
        await task
