"""Organizers' reports — /stats, /export, /unanswered — as turns like any other command.

In organizers' and admins' command lists only; anyone else gets one short refusal. The numbers
are read through the turn's ``records`` (the store, which reads the person's role and scope from
its own tables and refuses anyone else: ``NotAllowed`` rolls the turn back). The chart and the
CSV are ``Deferred`` files the shell renders in a worker thread; the export's audit row is an
effect of the same turn, naming the channel it was asked on.
"""

from __future__ import annotations

from conversations import texts
from conversations.core import (
    Attachment,
    AuditExport,
    Context,
    Deferred,
    Outcome,
    Reply,
    Turn,
)
from conversations.reports import (
    group_questions,
    parse_period,
    scope_label,
    stats_text,
    unanswered_text,
)

REPORT_COMMANDS: dict[str, str] = {
    "stats": texts.CMD_STATS,
    "export": texts.CMD_EXPORT,
    "unanswered": texts.CMD_UNANSWERED,
}


def _say(turn: Turn, *replies: Reply, effects: list | None = None) -> Outcome:
    return Outcome(state=turn.state, replies=list(replies), effects=effects or [], kind="report")


def _refusal(turn: Turn) -> Outcome | None:
    """Refused before anything is read: no organizer, or a group chat (enterprises' names and
    results are not for a group's other members); None: go on."""
    if not turn.actor.is_organizer or turn.records is None:
        return _say(turn, Reply(text=texts.REPORT_REFUSED))
    if turn.actor.channel == "telegram" and turn.actor.chat_id != turn.actor.user_id:
        return _say(turn, Reply(text=texts.REPORT_PRIVATE_ONLY))
    return None


def stats(ctx: Context, turn: Turn, args: str) -> Outcome:
    if (refused := _refusal(turn)) is not None:
        return refused
    assert turn.records is not None and turn.actor.person_id is not None
    try:
        period = parse_period(args, ctx.today())
    except ValueError:
        return _say(turn, Reply(text=texts.REPORT_BAD_PERIOD.format(text=args)))
    numbers = turn.records.stats(turn.actor.person_id, period)
    name = f"stats-{period.start.isoformat()}-{period.end.isoformat()}.png"
    chart = Attachment(
        filename=name, mime="image/png", deferred=Deferred(kind="chart", data=numbers)
    )
    caption = texts.STATS_CHART_CAPTION.format(
        scope=scope_label(numbers.scope), period=numbers.period
    )
    return _say(turn, Reply(text=stats_text(numbers, ctx.kb)), Reply(text=caption, file=chart))


def export(ctx: Context, turn: Turn, args: str) -> Outcome:
    if (refused := _refusal(turn)) is not None:
        return refused
    assert turn.records is not None and turn.actor.person_id is not None
    rows = turn.records.export_rows(turn.actor.person_id)
    audit = AuditExport(
        by=turn.actor.person_id, detail={"channel": turn.actor.channel, "rows": len(rows)}
    )
    scope = scope_label(str(turn.actor.scope or "province"))
    if not rows:
        return _say(turn, Reply(text=texts.EXPORT_EMPTY.format(scope=scope)), effects=[audit])
    name = f"enterprises-{ctx.today().isoformat()}.csv"
    file = Attachment(filename=name, mime="text/csv", deferred=Deferred(kind="csv", data=rows))
    reply = Reply(text=texts.EXPORT_DONE.format(scope=scope, n=len(rows)), file=file)
    return _say(turn, reply, effects=[audit])


def unanswered(ctx: Context, turn: Turn, args: str) -> Outcome:
    if (refused := _refusal(turn)) is not None:
        return refused
    assert turn.records is not None and turn.actor.person_id is not None
    questions = turn.records.unanswered_texts(turn.actor.person_id)
    scope = scope_label(str(turn.actor.scope or "province"))
    return _say(turn, Reply(text=unanswered_text(group_questions(questions), scope)))


ACTIONS = {"stats": stats, "export": export, "unanswered": unanswered}
