"""Free-text questions answered from the notice's FAQ (常见问题).

Steps of ``answer`` (see ``faq.mmd``): nonsense -> the menu; greeting -> greeting + menu;
thanks -> a short reply; abuse -> a polite reply + menu; otherwise the FAQ matcher. A matched
entry is answered in the notice's wording and ends with its clause. An entry with 2016 dates is
never presented as another year's: a question naming another year gets ``FAQ_OTHER_YEAR``, and
when today is not in 2016 the dates come with a caveat. No match -> "the notice does not say"
with the contacts, recorded for organizers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from conversations import texts
from conversations.callbacks import encode
from conversations.core import Button, Context, Outcome, RecordUnanswered, Reply, Turn
from conversations.flows.deadlines import deadlines_buttons, set_dates_text
from conversations.flows.menu import MENU_CODE, back_button, contacts_line, doc, menu_reply
from conversations.steps import Edge, Flow, Step, StepTable
from knowledge.calendar import FAQ_MILESTONES
from knowledge.faq import FaqResult
from knowledge.models import FaqEntry
from knowledge.text import fold, has_han, normalize

CODE = "f"

# Entries offered as buttons when the user opens 常见问题.
COMMON_ENTRIES = (
    "fee",
    "deadline_submit",
    "materials",
    "conditions_all",
    "quota_per_unit",
    "review",
    "benefit",
    "contact",
)

Kind = Literal["answered", "not_in_notice", "other_year", "greeting", "thanks", "nonsense", "abuse"]

# ---- small talk ------------------------------------------------------------------------------

GREETINGS = (
    "你好呀", "你好", "您好", "大家好", "在吗", "在么", "在不在", "有人吗", "有人在吗", "哈喽",
    "哈罗", "嗨", "喂", "早上好", "上午好", "中午好", "下午好", "晚上好", "早安", "晚安", "早",
    "老师好", "hello", "hi", "hey", "good morning", "good afternoon", "good evening",
    "there", "everyone", "all", "bot",
)  # fmt: skip
THANKS = (
    "谢谢你", "谢谢您", "谢谢", "多谢", "感谢", "谢了", "辛苦了", "辛苦", "麻烦了", "thank you",
    "thanks", "thx", "好的", "好", "ok", "okay", "收到", "明白了", "明白", "知道了", "了解了",
    "了解", "懂了", "好嘞", "行", "嗯嗯", "嗯", "哦", "噢", "啦", "呀", "了", "的", "啊", "老师",
)  # fmt: skip
ABUSE_RE = re.compile(
    r"垃圾|滚|傻[逼bx瓜]|煞笔|(?<![a-z])sb(?![a-z])|笨蛋|蠢|废物|白痴|智障|弱智|脑残|有病|去死|妈的|他妈|tmd|狗屎|"
    r"破机器人|破系统|什么玩意|啥都不会|什么都不会|没用的东西|fuck|shit|stupid|idiot"
)
INTERJECTIONS = set("啊阿哦噢喔嗯呃额哈呵嘿嘻哇呀唉哎嗷吖咦嘛")
ENGLISH_WORDS = {
    "what", "when", "where", "who", "whom", "which", "why", "how", "is", "are", "do", "does",
    "can", "could", "should", "will", "would", "the", "a", "an", "to", "for", "of", "in", "on",
    "there", "it", "we", "our", "my", "i", "you", "need", "must", "any", "much", "many",
}  # fmt: skip
_WORD_RE = re.compile(r"[a-z]+")
_SMALL_TALK_RE = re.compile(
    "|".join(re.escape(w) for w in sorted(GREETINGS + THANKS, key=len, reverse=True))
)

# ---- years -----------------------------------------------------------------------------------

_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:年|\s*年度|(?!\d))")
_HAN_YEAR_RE = re.compile(r"([一二〇零○][〇零○一二三四五六七八九]{3})年")
_HAN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")
_RELATIVE_YEARS = {
    "今年": 0, "本年度": 0, "今年度": 0, "this year": 0, "明年": 1, "next year": 1, "后年": 2,
    "去年": -1, "last year": -1, "前年": -2,
}  # fmt: skip
_TIME_WORDS_RE = re.compile(r"什么时候|啥时候|何时|几月|几号|哪天|截止|日程|时间|日期|开始|启动")


def years_mentioned(text: str, this_year: int) -> set[int]:
    """Calendar years a question names: 2025, 二〇二五年, 今年, 明年, this year…"""
    folded = fold(text)
    years = {int(y) for y in _YEAR_RE.findall(folded)}
    years |= {int(y.translate(_HAN_DIGITS)) for y in _HAN_YEAR_RE.findall(folded)}
    years |= {this_year + delta for word, delta in _RELATIVE_YEARS.items() if word in folded}
    return years


# ---- classification of small talk ------------------------------------------------------------


def small_talk(text: str) -> Kind | None:
    """'nonsense', 'greeting', 'thanks' or 'abuse' when the text is not a question, else None."""
    folded = fold(text)
    meaningful = [ch for ch in folded if ch.isalnum()]
    if not meaningful or all(ch.isdigit() for ch in meaningful):
        return "nonsense"
    if ABUSE_RE.search(folded):
        return "abuse"
    han = [ch for ch in folded if has_han(ch)]
    if han and (set(han) <= INTERJECTIONS or (len(set(han)) == 1 and len(han) >= 3)):
        return "nonsense"
    rest = _SMALL_TALK_RE.sub("", folded)
    if not any(ch.isalnum() for ch in rest):
        return "greeting" if any(g in folded for g in GREETINGS) else "thanks"
    if not han and not has_han(normalize(folded)):
        latin = _WORD_RE.findall(folded)
        if not any(w in ENGLISH_WORDS for w in latin):
            return "nonsense"
    return None


# ---- answers ---------------------------------------------------------------------------------


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


def _other_year(ctx: Context, year: int, score: float) -> Answer:
    names, phones = contacts_line(ctx)
    text = texts.FAQ_OTHER_YEAR.format(
        year=year, names=names, phones=phones, notice_year=notice_year(ctx)
    )
    reply = Reply(text=text, buttons=[_calendar_button(ctx), back_button()])
    return Answer(reply, None, None, score, True, "other_year")


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


def answer(ctx: Context, text: str) -> Answer:
    """Answer free text: the best FAQ entry, or an honest 'the notice does not say'."""
    if (kind := small_talk(text)) is not None:
        return Answer(_small_talk_reply(ctx, kind), None, None, 0.0, True, kind)
    result = ctx.faq.classify(text)
    other_years = sorted(years_mentioned(text, ctx.clock().year) - {notice_year(ctx)})
    if (set_answer := _from_set_calendar(ctx, text, result, other_years)) is not None:
        return set_answer
    if (
        other_years
        and result.rule is None
        and (
            (result.candidate is not None and result.candidate.dated)
            or (result.match is None and _TIME_WORDS_RE.search(normalize(text)))
        )
    ):
        return _other_year(ctx, other_years[0], result.score)
    if result.match is None:
        return _not_in_notice(ctx, result.score)
    entry = result.match.entry
    body = entry_text(ctx, entry, years_mentioned(text, ctx.clock().year))
    reply = Reply(text=body, buttons=[back_button()])
    return Answer(reply, entry.id, entry.clause, result.score, True, "answered")


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


# ---- the 常见问题 flow ------------------------------------------------------------------------


def start(ctx: Context, turn: Turn) -> Outcome:
    by_id = {e.id: e for e in ctx.kb.faq}
    common = [by_id[i] for i in COMMON_ENTRIES if i in by_id]
    buttons = [[Button(label=e.questions[0], data=encode(CODE, "q", e.id))] for e in common]
    reply = Reply(text=texts.FAQ_PROMPT, buttons=[*buttons, back_button()])
    return Outcome(state=turn.state.pause().at("faq"), replies=[reply])


def _entry_button(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    entry = next((e for e in ctx.kb.faq if e.id == arg), None)
    if entry is None:
        return None
    milestones = FAQ_MILESTONES.get(entry.id)
    if milestones and (dates := set_dates_text(ctx, ctx.this_year(), milestones)) is not None:
        return Outcome(state=turn.state, replies=[Reply(text=dates, buttons=deadlines_buttons())])
    return Outcome(
        state=turn.state, replies=[Reply(text=entry_text(ctx, entry), buttons=[back_button()])]
    )


_TABLE = StepTable(
    steps=(Step("ask", "常见问题：输入问题，或点选一个常见问题"),),
    anywhere={"q": Edge(_entry_button, ("ask",), "常见问题按钮 f:q:<entry>")},
    entry="/faq · 菜单“常见问题” · /start faq",
)

FLOW = Flow(
    name="faq",
    code=CODE,
    command="faq",
    description="常见问题",
    table=lambda ctx: _TABLE,
    start=start,
    screen=lambda ctx, turn: None,
    resume_label=lambda ctx, turn: texts.MENU_FAQ,
)
