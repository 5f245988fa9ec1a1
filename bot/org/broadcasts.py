"""群发通知 in the organizers' console, in the manner of GOV.UK Notify's send flow: write the
notice, preview it as each channel shows it (and send a test to yourself), press a button that
says how many it sends, then follow a status per recipient (and its CSV).

  GET  /org/broadcasts             the scope's broadcasts, newest first; 写新通知
  GET  /org/broadcasts/new         compose: the text, whom it goes to, 测试模式
  POST /org/broadcasts/new         compose again with the draft (返回修改)
  POST /org/broadcasts/preview     the counts per channel and the message on each channel
  POST /org/broadcasts/test        发送测试给我自己 (to the organizer's own addresses), then
                                   the preview again, saying where it went
  POST /org/broadcasts/send        send (test mode: record only) -> the status page
  GET  /org/broadcasts/{id}        progress, then each recipient's status
  GET  /org/broadcasts/{id}.csv    that status as CSV (UTF-8 with a BOM)

The draft travels in hidden fields of one form (with the session's CSRF token); each step
reads it afresh and checks it: a segment outside the officer's scope is refused (and refused
again by the store, by person id), a confirm whose counts differ from the store's now shows the
preview again with nothing sent, and a confirm form sent twice makes one broadcast (its random
``key``, unique per person in the store). Every read goes through the store with the person id.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, replace

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.config import Settings
from bot.forms import FormTooLarge, read_form
from bot.org import auth
from bot.org.app import OrgConsole
from bot.org.auth import Officer, OrgError
from bot.org.broadcast_views import (
    ChannelViews,
    channel_views,
    delivered_text,
    in_order,
    preview_csp,
    recipient_lines,
    recipients_csv,
)
from bot.org.render import page
from bot.store import NotAllowed
from bot.store.broadcasts import AlreadySent, ReachChanged
from conversations import placeholders, scopes, texts
from conversations.broadcasting import channel_name, render
from conversations.core import Reply
from conversations.flows.broadcast import MAX_CHARS, utf16_len
from conversations.organizer_models import Reach

FORM_LIMIT = 256 * 1024  # a notice far over the limit still gets its count, not a 413
SHOWN = 500  # recipients listed on the status page (all of them in the CSV)
UNDER_WAY = ("queued", "sending", "stalled")  # the status page refreshes itself meanwhile


@dataclass(frozen=True)
class Draft:
    """A notice being written: where it goes, its text as typed, test mode, the confirm form's
    own id, and the messages per channel its preview showed (``email=2,telegram=1``)."""

    segment: str
    text: str
    test: bool = False
    key: str = ""
    reach: str = ""

    @property
    def personal(self) -> bool:
        return placeholders.has_any(self.text)


def reach_key(reach: Reach) -> str:
    return ",".join(f"{channel}={n}" for channel, n in sorted(reach.channels.items()))


def parse_reach(text: str) -> dict[str, int] | None:
    """The counts a preview showed, as ``Reach.channels``; None when they cannot be read."""
    counts: dict[str, int] = {}
    for part in filter(None, text.split(",")):
        channel, _, number = part.partition("=")
        if not number.isdigit() or channel not in texts.CHANNEL_NAMES:
            return None
        counts[channel] = int(number)
    return counts


def segments_of(who: Officer) -> list[tuple[str, str]]:
    """The segments an officer may write to: the province 全省 or one city, others their own."""
    if who.scope == scopes.PROVINCE:
        cities = [(f"city:{city}", f"{city}市") for city in scopes.CITIES]
        return [(scopes.ALL, texts.BROADCAST_ALL), *cities]
    return [(who.scope, scopes.label(who.scope))]


def problem(who: Officer, draft: Draft) -> str:
    """What keeps the draft from a preview, in plain words ('' when nothing does)."""
    if not draft.text:
        return texts.ORG_BC_EMPTY_TEXT
    if unknown := placeholders.unknown(draft.text):
        return texts.ORG_BC_UNKNOWN_PLACEHOLDERS.format(names="、".join(unknown))
    length = utf16_len(render(who.scope, placeholders.longest(draft.text)))
    if length <= MAX_CHARS:
        return ""
    longest = max(placeholders.LONGEST.values())
    note = texts.ORG_BC_TOO_LONG_NOTE.format(longest=longest) if draft.personal else ""
    return texts.ORG_BC_TOO_LONG.format(
        length=length, note=note, limit=MAX_CHARS, over=length - MAX_CHARS
    )


def register(console: OrgConsole) -> None:
    """Add this module's routes to ``console.extra``."""
    pages = BroadcastPages(console)
    console.extra += [
        Route("/broadcasts", pages.index, methods=["GET", "HEAD"]),
        Route("/broadcasts/new", pages.compose, methods=["GET", "HEAD"]),
        Route("/broadcasts/new", pages.edit, methods=["POST"]),
        Route("/broadcasts/preview", pages.preview, methods=["POST"]),
        Route("/broadcasts/test", pages.test_self, methods=["POST"]),
        Route("/broadcasts/send", pages.send, methods=["POST"]),
        Route("/broadcasts/{broadcast_id:int}.csv", pages.csv, methods=["GET", "HEAD"]),
        Route("/broadcasts/{broadcast_id:int}", pages.status, methods=["GET", "HEAD"]),
    ]


class BroadcastPages:
    def __init__(self, console: OrgConsole) -> None:
        self.console = console
        self.store = console.store

    @property
    def settings(self) -> Settings:
        return self.console.service.settings or Settings()

    # ---- the list ----------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        who = self.console.who(request)
        rows = self.store.scope_broadcasts(who.person_id)
        for row in rows:
            row["by_name"] = self.store.person_name(row["by_user"])
        return page(
            "broadcasts.html", who=who, here="broadcasts", heading=texts.ORG_BC_HEADING,
            rows=rows, label=scopes.label, delivered=delivered_text,
        )  # fmt: skip

    # ---- compose -----------------------------------------------------------------------------

    async def compose(self, request: Request) -> Response:
        who = self.console.who(request)
        return self._compose_page(who, Draft(segment=segments_of(who)[0][0], text=""))

    async def edit(self, request: Request) -> Response:
        who = self.console.who(request)
        return self._compose_page(who, self._draft(who, await self._form(request, who)))

    def _compose_page(
        self, who: Officer, draft: Draft, error: str = "", status_code: int = 200
    ) -> Response:
        return page(
            "broadcast_new.html", who=who, here="broadcasts", heading=texts.ORG_BC_COMPOSE_HEADING,
            draft=draft, segments=segments_of(who), error=error, text_error=error,
            sender=scopes.label_sender(who.scope), limit=MAX_CHARS, status_code=status_code,
        )  # fmt: skip

    # ---- preview, and a test to oneself ------------------------------------------------------

    async def preview(self, request: Request) -> Response:
        who = self.console.who(request)
        draft = self._draft(who, await self._form(request, who))
        if found := problem(who, draft):
            return self._compose_page(who, draft, found, 400)
        return self._preview_page(who, draft)

    async def test_self(self, request: Request) -> Response:
        who = self.console.who(request)
        draft = self._draft(who, await self._form(request, who))
        if found := problem(who, draft):
            return self._compose_page(who, draft, found, 400)
        sample = self._sample(who, draft)
        views = self._views(who, draft, sample)
        reply = Reply(text=views.message, subject=views.mail.subject)
        return self._preview_page(who, draft, tested=await self._to_self(who, reply))

    async def _to_self(self, who: Officer, reply: Reply) -> list[str]:
        """Send ``reply`` to each of the officer's own addresses now; lines saying where it
        went and where not."""
        dispatcher = self.console.service.dispatcher
        if dispatcher is None:
            return [texts.ORG_BC_SELF_NO_SENDER]
        places = self.store.own_destinations(who.person_id)
        if not places:
            return [texts.ORG_BC_SELF_NOWHERE]
        sent: list[str] = []
        failed: list[str] = []
        for channel, address in places:
            shown = f"{channel_name(channel)} {address if channel == 'email' else ''}".strip()
            result = await dispatcher.reply(channel, address, reply)
            if result.ok:
                sent.append(shown)
            else:
                failed.append(f"{shown}（{result.detail}）")
        lines = [texts.ORG_BC_SELF_SENT.format(places="、".join(sent))] if sent else []
        if failed:
            lines.append(texts.ORG_BC_SELF_FAILED.format(places="、".join(failed)))
        if any(c == "email" for c, _ in places) and not self.settings.mail_configured:
            lines.append(texts.ORG_BC_SELF_LOGGED)
        return lines

    def _sample(self, who: Officer, draft: Draft) -> dict | None:
        try:
            return self.store.sample_recipient(who.person_id, draft.segment)
        except NotAllowed as exc:
            raise OrgError(403, texts.ORG_FORBIDDEN.format(scope=who.scope_label)) from exc

    def _views(self, who: Officer, draft: Draft, sample: dict | None) -> ChannelViews:
        settings = self.settings
        return channel_views(
            who.scope, draft.text, sample, site=settings.site_url, sender=settings.smtp_sender
        )

    def _preview_page(
        self,
        who: Officer,
        draft: Draft,
        *,
        tested: list[str] | None = None,
        error: str = "",
        status_code: int = 200,
    ) -> Response:
        """The preview with the counts of now, and a fresh confirm form carrying them and a
        key of its own (the same form sent twice makes one broadcast)."""
        sample = self._sample(who, draft)  # the store checks the scope here
        reach = self.store.segment_reach(draft.segment)
        views = self._views(who, draft, sample)
        name = (sample or {}).get("enterprise_name")
        response = page(
            "broadcast_preview.html", who=who, here="broadcasts",
            heading=texts.ORG_BC_PREVIEW_HEADING,
            draft=replace(draft, reach=reach_key(reach), key=secrets.token_urlsafe(16)),
            reach=reach, views=views, segment=scopes.label(draft.segment), sample_name=name,
            counts=[(channel_name(c), n) for c, n in in_order(reach.channels)],
            count_of=lambda channel: _count_of(reach, channel),
            mail_logged=not self.settings.mail_configured, tested=tested or [], error=error,
            status_code=status_code,
        )  # fmt: skip
        response.headers["content-security-policy"] = preview_csp(views.mail.html)
        return response

    # ---- send --------------------------------------------------------------------------------

    async def send(self, request: Request) -> Response:
        who = self.console.who(request)
        draft = self._draft(who, await self._form(request, who))
        if found := problem(who, draft):
            return self._compose_page(who, draft, found, 400)
        expect = parse_reach(draft.reach)
        if not expect or not draft.key:  # nobody to send to, or a form no preview made
            label = scopes.label(draft.segment)
            error = texts.ORG_BC_NOTHING_TO_SEND.format(segment=label) if expect == {} else ""
            return self._preview_page(
                who, draft, error=error or texts.ORG_BC_REACH_CHANGED, status_code=409
            )
        try:
            with self.store.transaction():
                broadcast_id, _ = self.store.create_broadcast(
                    who.person_id, None, draft.segment, render(who.scope, draft.text),
                    test=draft.test, personal=draft.personal, form_key=draft.key, expect=expect,
                )  # fmt: skip
        except NotAllowed as exc:
            raise OrgError(403, texts.ORG_FORBIDDEN.format(scope=who.scope_label)) from exc
        except AlreadySent as exc:
            return RedirectResponse(f"/org/broadcasts/{exc.broadcast_id}?again=1", 303)
        except ReachChanged:
            return self._preview_page(who, draft, error=texts.ORG_BC_REACH_CHANGED, status_code=409)
        dispatcher = self.console.service.dispatcher
        if dispatcher is not None and not draft.test:
            dispatcher.wake()
        return RedirectResponse(f"/org/broadcasts/{broadcast_id}?sent=1", 303)

    # ---- status ------------------------------------------------------------------------------

    def _readable(self, who: Officer, broadcast_id: int, limit: int | None):
        """The broadcast and its recipients, when the store lets this officer read them."""
        try:
            row = self.store.scope_broadcast(who.person_id, broadcast_id)
            rows = self.store.broadcast_recipients(who.person_id, broadcast_id, limit)
        except NotAllowed as exc:
            message = texts.ORG_BC_NOT_FOUND.format(scope=who.scope_label)
            raise OrgError(404, message) from exc
        return row, rows

    async def status(self, request: Request) -> Response:
        who = self.console.who(request)
        broadcast_id = request.path_params["broadcast_id"]
        row, rows = self._readable(who, broadcast_id, SHOWN + 1)
        notice = ""
        if request.query_params.get("again"):
            notice = texts.ORG_BC_ALREADY.format(id=broadcast_id)
        elif request.query_params.get("sent"):
            done = texts.ORG_BC_RECORDED if row["test_mode"] else texts.ORG_BC_QUEUED
            notice = done.format(total=row["total"], enterprises=row["enterprises"])
        response = page(
            "broadcast_status.html", who=who, here="broadcasts",
            heading=texts.ORG_BC_STATUS_HEADING.format(id=broadcast_id), row=row,
            lines=recipient_lines(rows[:SHOWN]), cut=len(rows) > SHOWN, shown=SHOWN,
            channels=in_order(row["channels"]),
            segment=scopes.label(row["segment"]), by_name=self.store.person_name(row["by_user"]),
            channel_name=channel_name, notice=notice,
        )  # fmt: skip
        if row["state"] in UNDER_WAY:
            response.headers["refresh"] = "5"  # not script: the browser reloads the page
        return response

    async def csv(self, request: Request) -> Response:
        who = self.console.who(request)
        broadcast_id = request.path_params["broadcast_id"]
        _, rows = self._readable(who, broadcast_id, None)
        body = await asyncio.to_thread(recipients_csv, recipient_lines(rows))
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={
                "content-disposition": f'attachment; filename="broadcast-{broadcast_id}.csv"',
                "cache-control": "no-store",
            },
        )

    # ---- the draft in a form -----------------------------------------------------------------

    async def _form(self, request: Request, who: Officer) -> dict[str, str]:
        """The posted form (larger than the console's usual: a notice may be long), from this
        site and with the session's token."""
        try:
            form = await read_form(request, FORM_LIMIT)
        except FormTooLarge as exc:
            raise OrgError(413, texts.ORG_BAD_REQUEST.format(detail="内容太长")) from exc
        auth.check_form(request, who, form)
        return form

    def _draft(self, who: Officer, form: dict[str, str]) -> Draft:
        """The draft a form carries; a segment outside the officer's scope is refused here
        (and again by the store)."""
        segment = form.get("segment", "")
        if segment not in dict(segments_of(who)):
            raise OrgError(403, texts.ORG_FORBIDDEN.format(scope=who.scope_label))
        text = form.get("text", "").replace("\r\n", "\n").replace("\r", "\n").strip()
        key = form.get("key", "")
        return Draft(
            segment=segment,
            text=text,
            test=form.get("test") == "1",
            key=key if 16 <= len(key) <= 64 else "",
            reach=form.get("reach", ""),
        )


def _count_of(reach: Reach, channel: str) -> str:
    count = reach.channels.get(channel, 0)
    return texts.ORG_BC_CHANNEL_COUNT.format(count=count) if count else texts.ORG_BC_NO_RECIPIENTS


__all__ = ["Draft", "parse_reach", "problem", "reach_key", "register"]
