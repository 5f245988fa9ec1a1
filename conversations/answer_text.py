"""One question's answer from the matcher's result: the reply a user reads and what it rests on.

``single`` turns a ``knowledge.faq`` result into the reply: the unit's answer in the notice's
wording with its clause; a dated fact (五) of 2016 with its year whenever the question is not
about 2016; another year's dates only when organizers set them, labelled as theirs; what the
notice does not give when the question asks for a kind of answer the unit does not give
(``partial``); and "the notice does not say" only when no unit answers — with the notice's
contacts (said as 2016's) when the question is about the programme, without them when it is
not. ``conversations.answering`` is the entry point above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from conversations import texts
from conversations.calendar import deadlines_buttons, set_dates_text
from conversations.callbacks import encode
from conversations.core import Button, Context, RecordUnanswered, Reply
from conversations.menu import MENU_CODE, back_button, contacts, doc, menu_reply
from knowledge.calendar import FAQ_MILESTONES
from knowledge.dates import TIME_WORDS_RE, years_mentioned
from knowledge.faq import FaqResult
from knowledge.models import FaqEntry
from knowledge.text import normalize

Kind = Literal[
    "answered", "quoted", "partial", "related", "multi", "area", "not_in_notice", "outside",
    "other_programme", "other_year", "greeting", "thanks", "nonsense", "abuse",
]  # fmt: skip
# Scope rules about another programme: declined without the notice's contacts.
OTHER_PROGRAMME_RULES = frozenset({"other_programme", "award_application", "national_programme"})
# Scope rules whose question the notice touches: the decline quotes the related unit.
SCOPE_RELATED = {"money": "benefit", "scoring": "review", "expert_identity": "review"}


@dataclass(frozen=True)
class Answer:
    """The reply to one question and what it was based on (for ``biaogan ask --jsonl``)."""

    reply: Reply
    entry: str | None
    clause: str | None
    score: float
    answered: bool
    kind: Kind = "answered"


def notice_year(ctx: Context) -> int:
    return ctx.kb.programme.calendar_year


def entry_text(ctx: Context, entry: FaqEntry, years: set[int] | None = None) -> str:
    """An entry's answer ending with its clause; 2016 facts get a caveat in another year."""
    body = entry.answer + texts.FAQ_CITE.format(clause=entry.clause)
    year = notice_year(ctx)
    if entry.dated and not (years and years == {year}):
        this_year = ctx.clock().year
        if this_year != year:
            body = texts.FAQ_DATED_CAVEAT.format(year=this_year, notice_year=year) + "\n" + body
    return body


def gap_text(
    ctx: Context, entry: FaqEntry, gap: frozenset[str], years: set[int], also: FaqEntry | None
) -> str:
    """What the clause does not give (the kinds asked), what it says, and the clause of the same
    topic that says who does it, if there is one; then the contacts."""
    asked = texts.GAP_JOIN.join(texts.GAP_WORDS[k] for k in sorted(gap))
    text = texts.FAQ_GAP.format(asked=asked, fact=entry_text(ctx, entry, years))
    if also is not None:
        text += "\n" + texts.FAQ_GAP_ALSO.format(fact=entry_text(ctx, also, years))
    return text + "\n" + texts.FAQ_GAP_CONTACTS.format(contacts=contacts(ctx))


def _calendar_button(ctx: Context) -> list[Button]:
    label = texts.FAQ_CALENDAR_BUTTON.format(notice_year=notice_year(ctx))
    return [Button(label=label, data=encode(MENU_CODE, "open", "calendar"))]


def _other_year(ctx: Context, year: int, score: float, entry: FaqEntry | None) -> Answer:
    """Another year asked about: the notice gives only its own year's facts; say that, and
    (when a dated entry fits) that year's fact labelled as that year's, with its clause."""
    text = texts.FAQ_OTHER_YEAR.format(
        year=year, contacts=contacts(ctx), notice_year=notice_year(ctx)
    )
    if entry is not None and entry.dated:
        fact = entry.answer + texts.FAQ_CITE.format(clause=entry.clause)
        text += "\n" + texts.FAQ_OTHER_YEAR_FACT.format(notice_year=notice_year(ctx), fact=fact)
    reply = Reply(text=text, buttons=[_calendar_button(ctx), back_button()])
    entry_id, clause = (
        (entry.id, entry.clause) if entry is not None and entry.dated else (None, None)
    )
    return Answer(reply, entry_id, clause, score, True, "other_year")


def declined(ctx: Context, result: FaqResult) -> Answer:
    """No unit answers: another programme, the notice silent (with the contacts), or a
    question that is not about the programme at all (without them)."""
    if result.rule in OTHER_PROGRAMME_RULES:
        reply = menu_reply(texts.FAQ_OTHER_PROGRAMME.format(**doc(ctx)))
        return Answer(reply, None, None, result.score, False, "other_programme")
    if not result.about_programme:  # a scope rule's words, said of something else
        reply = menu_reply(texts.FAQ_OUTSIDE.format(**doc(ctx)))
        return Answer(reply, None, None, result.score, False, "outside")
    wording = texts.FAQ_NOT_IN_NOTICE if result.rule is not None else texts.FAQ_NOT_FOUND
    text = wording.format(contacts=contacts(ctx), **doc(ctx))
    related = ctx.faq.entry(SCOPE_RELATED.get(result.rule or "", ""))
    if related is None and result.rule is not None and result.score >= ctx.faq.related:
        related = result.candidate  # the clause the question is about, said as related
    if related is not None:
        fact = entry_text(ctx, related).removeprefix(texts.FAQ_NOTICE_SAYS)  # said once
        text += "\n" + texts.FAQ_SCOPE_RELATED.format(fact=fact)
    # One way back to the menu, not the menu again under a reply that answers nothing (issue 21).
    reply = Reply(text=text, buttons=[back_button()])
    return Answer(reply, None, None, result.score, False, "not_in_notice")


def related(ctx: Context, entry: FaqEntry, score: float, years: set[int]) -> Answer:
    """No unit is confident: the closest clause offered as such ("did you mean"), with the
    contacts — never as the answer, never as "the notice does not say"."""
    text = texts.FAQ_RELATED.format(fact=entry_text(ctx, entry, years), contacts=contacts(ctx))
    reply = Reply(text=text, buttons=[back_button()])
    return Answer(reply, entry.id, entry.clause, score, False, "related")


def single(ctx: Context, text: str, result: FaqResult) -> Answer:
    """The answer to one question, from the matcher's result."""
    asked = result.question or text  # in a long story, the piece that is its question
    other_years = sorted(years_mentioned(asked, ctx.clock().year) - {notice_year(ctx)})
    if (set_answer := _from_set_calendar(ctx, text, result, other_years)) is not None:
        return set_answer
    if (
        other_years
        and result.rule is None
        and (
            (result.candidate is not None and result.candidate.dated)
            or (result.match is None and TIME_WORDS_RE.search(normalize(text)))
        )
    ):
        # A date asked for another year: declined, with 2016's calendar a button away (2016's
        # date is not put where it could be read as this year's). Another dated fact (the quotas
        # of 五): 2016's, said as 2016's, with what the notice leaves open.
        asks_a_date = TIME_WORDS_RE.search(normalize(text)) is not None
        fitting = result.match.entry if result.match is not None and not asks_a_date else None
        return _other_year(ctx, other_years[0], result.score, fitting)
    years = years_mentioned(asked, ctx.clock().year)
    hedged = result.reason == "related" and result.candidate is not None
    if hedged and not result.gap:
        return related(ctx, result.candidate, result.score, years)
    if result.match is None and not hedged:
        return declined(ctx, result)
    entry = result.match.entry if result.match is not None else result.candidate
    if result.gap:  # what was asked is not in the clause: said, with what the clause says
        text = gap_text(ctx, entry, result.gap, years, result.also)
        reply = Reply(text=text, buttons=[back_button()])
        return Answer(reply, entry.id, entry.clause, result.score, True, "partial")
    reply = Reply(text=entry_text(ctx, entry, years), buttons=[back_button()])
    kind: Kind = "quoted" if result.reason == "quoted" else "answered"
    return Answer(reply, entry.id, entry.clause, result.score, True, kind)


def _from_set_calendar(
    ctx: Context, text: str, result: FaqResult, other_years: list[int]
) -> Answer | None:
    """A dated question about a year whose calendar organizers set: their dates, labelled
    (a question naming the notice's own year keeps the notice's answer)."""
    entry = result.match.entry if result.match is not None else result.candidate
    if entry is None or entry.id not in FAQ_MILESTONES or len(other_years) > 1:
        return None
    if notice_year(ctx) in years_mentioned(text, ctx.this_year()):
        return None
    if result.match is None and not other_years:
        return None
    year = other_years[0] if other_years else ctx.this_year()
    dates = set_dates_text(ctx, year, FAQ_MILESTONES[entry.id])
    if dates is None:
        return None
    reply = Reply(text=dates, buttons=deadlines_buttons())
    return Answer(reply, entry.id, entry.clause, result.score, True, "answered")


def unanswered(text: str) -> RecordUnanswered:
    """The record of a question the notice does not answer, for organizers to review."""
    return RecordUnanswered(text=text)
