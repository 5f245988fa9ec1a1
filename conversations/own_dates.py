"""An enterprise's own organizer's dates before a dated answer (issue 19): a 无锡 enterprise
asking "今年几号截止" hears first the date 无锡 wants the material (labelled as 无锡's, not the
notice's), then the province's date or the notice's 2016 answer as before. Never another
city's dates; a question naming another year keeps its answer alone."""

from __future__ import annotations

import dataclasses

from conversations.answer_text import Answer
from conversations.calendar import local_calendars, local_section
from conversations.core import Context, Profile, Reply
from knowledge.calendar import FAQ_MILESTONES
from knowledge.dates import years_mentioned


def own_lines(ctx: Context, profile: Profile, year: int) -> list[str]:
    """The dates the enterprise's own organizers set for ``year``, each scope headed by who
    set them; [] when none (or no city and association in the profile)."""
    own = local_calendars(ctx, year, profile.city, profile.association)
    return [line for calendar in own for line in local_section(ctx, calendar)]


def with_own_dates(ctx: Context, profile: Profile, entry: str | None, reply: Reply) -> Reply:
    """``reply`` (the answer of FAQ entry ``entry``) with this year's own dates before it,
    when the entry is about a date."""
    if entry not in FAQ_MILESTONES:
        return reply
    lines = own_lines(ctx, profile, ctx.this_year())
    if not lines:
        return reply
    return reply.model_copy(update={"text": "\n".join([*lines, "", reply.text])})


def answer_with_own_dates(ctx: Context, profile: Profile, question: str, answer: Answer) -> Answer:
    """The answer to ``question`` with this year's own dates first (not when the question
    names another year: 2016's dates, or a later year's, are asked for themselves)."""
    this_year = ctx.this_year()
    if years_mentioned(question, this_year) - {this_year}:
        return answer
    reply = with_own_dates(ctx, profile, answer.entry, answer.reply)
    return answer if reply is answer.reply else dataclasses.replace(answer, reply=reply)
