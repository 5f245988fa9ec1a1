"""未回答的问题, a page of the organizers' console (registered by ``bot.org.pages``): the
questions enterprises forwarded to the organizer (near-duplicates grouped), one answer per
group sent back to everyone who asked, the answers published for the scope, and every
question the assistant could not answer (grouped, most frequent first, as before).

  GET  /org/unanswered                          the page (?done=answered|published|withdrawn)
  POST /org/unanswered/answer                   answer a group: its question ids (``q``), the
                                                text, the unit signed as, 发布为本地区答复
  POST /org/unanswered/answers/{id}/withdraw    withdraw a published answer

The store checks the scope of every question and answer itself (``bot.store.questions``): a 苏州
organizer answering 无锡's questions gets a 403, and nothing is written or sent. The answer's
messages are outbox rows written with it; the dispatcher is woken to send them.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.org.app import OrgConsole
from bot.org.auth import Officer, OrgError
from bot.org.render import page
from bot.reports import group_questions
from bot.store import NotAllowed
from bot.store.questions import ANSWER_LENGTH, QuestionsGone
from conversations import scopes, texts
from conversations.reports import scope_label

GROUPS_SHOWN = 100  # groups of questions on the page, in each list
IDS_SHOWN = 500  # question ids one answer form carries at most


def register(console: OrgConsole) -> None:
    """Add this module's routes to ``console.extra``."""
    pages = QuestionPages(console)
    console.extra += [
        Route("/unanswered", pages.listing, methods=["GET", "HEAD"]),
        Route("/unanswered/answer", pages.answer, methods=["POST"]),
        Route("/unanswered/answers/{answer:int}/withdraw", pages.withdraw, methods=["POST"]),
    ]


def forwarded_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The forwarded questions grouped as the unanswered ones are (``group_questions``), each
    group with the ids of its questions, the askers counted, the scopes and the latest time."""
    by_text: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_text.setdefault(row["text"].strip(), []).append(row)
    groups = []
    for group in group_questions([row["text"] for row in reversed(rows)]):  # first asked first
        members = [row for text in group.variants for row in by_text.get(text, [])]
        groups.append(
            {
                "text": group.text,
                "others": [v for v in group.variants if v != group.text][:5],
                "ids": ",".join(str(r["id"]) for r in members[:IDS_SHOWN]),
                "askers": len({r["chat_id"] for r in members}),
                "scopes": "、".join(sorted({scopes.label(r["scope"]) for r in members})),
                "when": max(r["forwarded_at"] for r in members)[:16].replace("T", " "),
            }
        )
    return groups


class QuestionPages:
    def __init__(self, console: OrgConsole) -> None:
        self.console = console
        self.store = console.store

    def _forbidden(self, who: Officer) -> OrgError:
        return OrgError(403, texts.ORG_FORBIDDEN.format(scope=who.scope_label))

    async def _page(self, who: Officer, *, status_code: int = 200, **values: Any) -> Response:
        try:
            questions = self.store.unanswered_texts(who.person_id)
            forwarded = self.store.forwarded_questions(who.person_id)
            published = self.store.published_answers(who.person_id)
        except NotAllowed as exc:
            raise self._forbidden(who) from exc
        groups = await asyncio.to_thread(group_questions, questions)
        waiting = await asyncio.to_thread(forwarded_groups, forwarded)
        scope = scope_label(who.scope)
        values = {"failed": "", "typed": "", "field_error": "", "notice": "", **values}
        return page(
            "unanswered.html",
            who=who,
            here="unanswered",
            heading=texts.ORG_UNANSWERED_HEADING,
            lead=texts.ORG_UNANSWERED_LEAD.format(scope=scope, n=len(questions))
            if groups
            else texts.ORG_UNANSWERED_NONE.format(scope=scope),
            groups=groups[:GROUPS_SHOWN],
            more=max(0, len(groups) - GROUPS_SHOWN),
            forwarded=waiting[:GROUPS_SHOWN],
            published=published,
            units=self.store.signing_units(who.scope),
            scope=scope,
            limit=ANSWER_LENGTH,
            label=scopes.label,
            status_code=status_code,
            **values,
        )

    async def listing(self, request: Request) -> Response:
        who = self.console.who(request)
        done = request.query_params.get("done", "")
        return await self._page(who, notice=texts.ORG_FWD_DONE.get(done, ""))

    async def answer(self, request: Request) -> Response:
        who = self.console.who(request)
        form = await self.console.form(request, who)
        ids_text = form.get("q", "")
        ids = [int(part) for part in ids_text.split(",") if part.strip().isdigit()]
        if not ids or len(ids) > IDS_SHOWN or len(ids) != len(ids_text.split(",")):
            raise OrgError(400, texts.ORG_BAD_REQUEST.format(detail="问题编号有误"))
        text, unit = form.get("text", "").strip(), form.get("unit", "")
        problem = ""
        if not text:
            problem = texts.ORG_FWD_ERRORS["empty"]
        elif len(text) > ANSWER_LENGTH:
            problem = texts.ORG_FWD_ERRORS["long"].format(n=ANSWER_LENGTH)
        elif unit not in self.store.signing_units(who.scope):
            problem = texts.ORG_FWD_ERRORS["unit"]
        if problem:
            return await self._page(
                who, failed=ids_text, typed=text, field_error=problem, status_code=400
            )
        publish = form.get("publish", "") == "1"
        try:
            self.store.answer_questions(who.person_id, ids, unit, text, publish=publish)
        except NotAllowed as exc:
            message = texts.ORG_FWD_NOT_YOURS.format(scope=who.scope_label)
            raise OrgError(403, message) from exc
        except QuestionsGone as exc:
            raise OrgError(409, texts.ORG_FWD_GONE) from exc
        if self.console.service.dispatcher is not None:
            self.console.service.dispatcher.wake()
        done = "published" if publish else "answered"
        return RedirectResponse(f"/org/unanswered?done={done}", status_code=303)

    async def withdraw(self, request: Request) -> Response:
        who = self.console.who(request)
        await self.console.form(request, who)
        try:
            done = self.store.withdraw_answer(who.person_id, request.path_params["answer"])
        except NotAllowed as exc:
            raise OrgError(403, texts.ORG_PUB_NOT_YOURS.format(scope=who.scope_label)) from exc
        if not done:
            raise OrgError(404, texts.ORG_PUB_GONE)
        return RedirectResponse("/org/unanswered?done=withdrawn", status_code=303)
