"""Answering a free-text question from the notice's FAQ (常见问题): ``answer(ctx, text, intent)``.

Below the flows: the router's ``Reading`` computes the answer of a typed text here, and the FAQ
flow (``conversations/flows/faq.py``) shows an entry the same way. nonsense -> the menu;
greeting -> greeting + menu; thanks -> a short reply; abuse -> a polite reply + menu; otherwise
the FAQ matcher. A matched entry is answered in the notice's wording and ends with its clause.
An entry with 2016 dates is never presented as another year's: a question naming another year
gets ``FAQ_OTHER_YEAR`` (or the dates organizers set for it, labelled as theirs), and when today
is not in 2016 the dates come with a caveat. No match -> "the notice does not say" with the
contacts, recorded for organizers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from conversations import texts
from conversations.calendar import deadlines_buttons, set_dates_text
from conversations.callbacks import encode
from conversations.core import Button, Context, RecordUnanswered, Reply
from conversations.menu import MENU_CODE, back_button, contacts_line, doc, menu_reply
from knowledge.calendar import FAQ_MILESTONES
from knowledge.dates import TIME_WORDS_RE, years_mentioned
from knowledge.faq import FaqResult
from knowledge.intent import Intent, read
from knowledge.models import FaqEntry
from knowledge.text import normalize

Kind = Literal[
    "answered", "quoted", "not_in_notice", "other_year", "greeting", "thanks", "nonsense", "abuse"
]


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


def _calendar_button(ctx: Context) -> list[Button]:
    label = texts.FAQ_CALENDAR_BUTTON.format(notice_year=notice_year(ctx))
    return [Button(label=label, data=encode(MENU_CODE, "open", "calendar"))]


def _other_year(ctx: Context, year: int, score: float, entry: FaqEntry | None) -> Answer:
    """Another year asked about: the notice gives only its own year's facts; say that, and
    (when a dated entry fits) that year's fact labelled as that year's, with its clause."""
    names, phones = contacts_line(ctx)
    text = texts.FAQ_OTHER_YEAR.format(
        year=year, names=names, phones=phones, notice_year=notice_year(ctx)
    )
    if entry is not None and entry.dated:
        fact = entry.answer + texts.FAQ_CITE.format(clause=entry.clause)
        text += "\n" + texts.FAQ_OTHER_YEAR_FACT.format(notice_year=notice_year(ctx), fact=fact)
    reply = Reply(text=text, buttons=[_calendar_button(ctx), back_button()])
    entry_id, clause = (
        (entry.id, entry.clause) if entry is not None and entry.dated else (None, None)
    )
    return Answer(reply, entry_id, clause, score, True, "other_year")


def _not_in_notice(ctx: Context, score: float) -> Answer:
    names, phones = contacts_line(ctx)
    reply = menu_reply(texts.FAQ_NOT_IN_NOTICE.format(names=names, phones=phones, **doc(ctx)))
    return Answer(reply, None, None, score, False, "not_in_notice")


def _small_talk_reply(ctx: Context, kind: Kind) -> Reply:
    if kind == "thanks":
        return Reply(text=texts.THANKS_REPLY)
    if kind == "greeting":
        return menu_reply(texts.GREETING.format(bot=texts.BOT_NAME, **doc(ctx)))
    if kind == "abuse":
        return menu_reply(texts.FAQ_ABUSE.format(**doc(ctx)))
    return menu_reply(texts.NOT_UNDERSTOOD)


SMALL_TALK: frozenset[str] = frozenset({"greeting", "thanks", "abuse", "nonsense"})


def answer(ctx: Context, text: str, intent: Intent | None = None) -> Answer:
    """Answer free text: the best FAQ entry, or an honest 'the notice does not say'.

    ``intent``: the router's one reading of the text (read here when called on its own)."""
    kind = (intent or read(text)).kind
    if kind in SMALL_TALK:
        return Answer(_small_talk_reply(ctx, kind), None, None, 0.0, True, kind)
    result = ctx.faq.classify(text)
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
        # A date asked for another year: declined, with 2016's calendar a button away. Another
        # dated fact (the quotas of 五): 2016's, said as 2016's, with what the notice leaves open.
        asks_a_date = TIME_WORDS_RE.search(normalize(text)) is not None
        fitting = result.match.entry if result.match is not None and not asks_a_date else None
        return _other_year(ctx, other_years[0], result.score, fitting)
    if result.match is None:
        return _not_in_notice(ctx, result.score)
    entry = result.match.entry
    body = entry_text(ctx, entry, years_mentioned(asked, ctx.clock().year))
    reply = Reply(text=body, buttons=[back_button()])
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
