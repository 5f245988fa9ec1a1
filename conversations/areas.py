"""Focus-area suggestion (领域推荐): a practice described in free text -> an area of 四(一).

Steps (see ``areas.mmd``), all state in ``ChatState(flow="area", step, data)``:

* ``describe`` — waiting for a description of the practice;
* ``suggested`` — the best area and up to two alternatives were proposed (or, when unsure, all ten);
* ``list`` — all ten areas shown to pick from;
* ``name`` — an area was picked and the enterprise name is asked once (skippable);
* ``chosen`` — the case title and the materials checklist were shown;
* ``draft`` — waiting for a case draft to self-review.

``data`` holds ``text`` (the description), ``ranked`` (area numbers, best first) and ``chosen``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from conversations import faq, texts
from conversations.callbacks import CallbackData, encode
from conversations.core import (
    Button,
    ChatState,
    Context,
    Effect,
    Flow,
    Outcome,
    RecordAreaSuggestion,
    Reply,
    UpdateProfile,
)
from conversations.menu import back_button
from knowledge import Knowledge, load_knowledge
from knowledge.areas import AreaMatcher, AreaScore, AreaSuggestion
from knowledge.models import Area
from knowledge.text import fold

CODE = "a"
FLOW_NAME = "area"
MAX_ALTERNATIVES = 2
MIN_ALTERNATIVE_SCORE = 0.03  # an alternative below this is not worth showing
MAX_WORDS_SHOWN = 4
MAX_TEXT_KEPT = 1000  # characters of the description kept in the state
NAME_LENGTH = (2, 40)
ELEMENTS = ("理论观点", "方法特点", "实践要点", "效果亮点")


def matcher(ctx: Context) -> AreaMatcher:
    """The per-process area matcher, built on first use."""
    return ctx.service("areas", AreaMatcher)


# ---- entry points --------------------------------------------------------------------------


def start(ctx: Context, state: ChatState) -> Outcome:
    buttons = [[_button(texts.AREA_BTN_ALL, "all")], back_button()]
    return Outcome(
        state=state.at(FLOW_NAME, "describe"),
        replies=[Reply(text=texts.AREA_PROMPT, buttons=buttons)],
    )


def on_callback(ctx: Context, state: ChatState, cb: CallbackData) -> Outcome:
    if state.flow != FLOW_NAME:
        return _stale(state)
    if cb.action == "pick" and (number := _area_number(cb.arg)) is not None:
        return _pick(ctx, state, number)
    handlers = {"all": _show_all, "again": start, "skip": _skip_name, "draft": _ask_draft}
    handler = handlers.get(cb.action)
    if handler is None or cb.arg or not _allowed(cb.action, state.step):
        return _stale(state)
    return handler(ctx, state)


def on_text(ctx: Context, state: ChatState, text: str) -> Outcome | None:
    if state.step == "describe":
        return None if _is_faq_question(ctx, text) else _describe(ctx, state, text)
    if state.step == "name":
        return _take_name(ctx, state, text)
    if state.step == "draft":
        return _review(ctx, state, text)
    if state.step in ("suggested", "list") and matcher(ctx).suggest(text).has_evidence:
        return _describe(ctx, state, text)
    return None  # not a description: the router answers it as a question


# ---- describe -> suggest -------------------------------------------------------------------


def _is_faq_question(ctx: Context, text: str) -> bool:
    """A greeting or a question the FAQ answers, with no practice words in it: the router
    answers it and the user stays at the describe step."""
    if matcher(ctx).suggest(text).has_evidence:
        return False
    return faq.answer(ctx, text).kind not in ("not_in_notice", "nonsense")


def _describe(ctx: Context, state: ChatState, text: str) -> Outcome:
    suggestion = matcher(ctx).suggest(text)
    ranked = suggestion.numbers()
    new_state = state.at(FLOW_NAME, "suggested", text=text[:MAX_TEXT_KEPT], ranked=ranked)
    effect = RecordAreaSuggestion(text=text[:MAX_TEXT_KEPT], ranked=ranked)
    return Outcome(
        state=new_state, replies=[suggestion_reply(ctx.kb, suggestion)], effects=[effect]
    )


def suggestion_reply(kb: Knowledge, suggestion: AreaSuggestion) -> Reply:
    """What the user sees after describing the practice."""
    if suggestion.low_confidence:
        return _low_confidence_reply(kb, suggestion)
    shown = _shown(suggestion)
    lines = [texts.AREA_SUGGEST_HEADER, _option_text(shown[0], "★")]
    if len(shown) > 1:
        lines += ["", texts.AREA_ALTS_HEADER]
        lines += [_option_text(s, "·") for s in shown[1:]]
    lines += ["", texts.AREA_SUGGEST_FOOTER]
    picks = [[_pick_button(s.area, texts.AREA_BTN_PICK)] for s in shown]
    extra = [_button(texts.AREA_BTN_ALL, "all"), _button(texts.AREA_BTN_AGAIN, "again")]
    return Reply(text="\n".join(lines), buttons=[*picks, extra, back_button()])


def _shown(suggestion: AreaSuggestion) -> list[AreaScore]:
    alternatives = [
        s for s in suggestion.ranked[1:] if s.raw > 0 and s.score >= MIN_ALTERNATIVE_SCORE
    ]
    return [suggestion.best, *alternatives[:MAX_ALTERNATIVES]]


def _option_text(scored: AreaScore, mark: str) -> str:
    words = list(scored.matched[:MAX_WORDS_SHOWN])
    area = scored.area
    return texts.AREA_OPTION.format(
        mark=mark,
        number=area.number,
        title=area.title,
        level=confidence_level(scored.score),
        words=texts.AREA_WORDS_SEP.join(words) if words else texts.AREA_NO_WORDS,
        description=area.description,
        clause=area.clause,
    )


def confidence_level(score: float) -> str:
    """A plain word for how sure the suggestion is (高 / 较高 / 中 / 低)."""
    return next(word for floor, word in texts.AREA_LEVELS if score >= floor)


def _low_confidence_reply(kb: Knowledge, suggestion: AreaSuggestion) -> Reply:
    best = suggestion.best
    hint = ""
    if best.raw > 0:
        hint = texts.AREA_LOW_HINT.format(number=best.number, title=best.area.title)
    text = texts.AREA_LOW_CONFIDENCE.format(hint=hint) + "\n" + _all_lines(kb)
    return Reply(text=text, buttons=_all_buttons(kb))


def _all_lines(kb: Knowledge) -> str:
    return "\n".join(
        texts.AREA_ALL_LINE.format(number=a.number, title=a.title, description=a.description)
        for a in _areas(kb)
    )


def _all_buttons(kb: Knowledge) -> list[list[Button]]:
    picks = [_pick_button(a, texts.AREA_BTN_PICK_SHORT) for a in _areas(kb)]
    rows = [picks[i : i + 2] for i in range(0, len(picks), 2)]
    return [*rows, [_button(texts.AREA_BTN_AGAIN, "again")], back_button()]


def _show_all(ctx: Context, state: ChatState) -> Outcome:
    text = texts.AREA_ALL_HEADER + "\n" + _all_lines(ctx.kb)
    reply = Reply(text=text, buttons=_all_buttons(ctx.kb))
    return Outcome(state=state.with_data(step="list"), replies=[reply])


# ---- pick -> (name) -> title and checklist -------------------------------------------------


def _pick(ctx: Context, state: ChatState, number: int) -> Outcome:
    area = _area(ctx.kb, number)
    data = {"text": state.data.get("text", ""), "ranked": _ranked(state), "chosen": number}
    effect = RecordAreaSuggestion(text=data["text"], ranked=data["ranked"], chosen=number)
    if state.profile.enterprise_name or state.data.get("name_skipped"):
        return _chosen(ctx, state.at(FLOW_NAME, "chosen", **data, name_skipped=True), [effect])
    ask = texts.AREA_ASK_NAME.format(number=area.number, title=area.title)
    reply = Reply(text=ask, buttons=[[_button(texts.AREA_BTN_SKIP, "skip")], back_button()])
    return Outcome(state=state.at(FLOW_NAME, "name", **data), replies=[reply], effects=[effect])


def _take_name(ctx: Context, state: ChatState, text: str) -> Outcome:
    name = text.strip().strip("“”\"'「」《》 ")
    low, high = NAME_LENGTH
    if not low <= len(name) <= high or name.startswith("/") or any(q in name for q in "?？"):
        reply = Reply(
            text=texts.AREA_NAME_INVALID, buttons=[[_button(texts.AREA_BTN_SKIP, "skip")]]
        )
        return Outcome(state=state, replies=[reply])
    profile = state.profile.model_copy(update={"enterprise_name": name})
    new_state = state.model_copy(update={"profile": profile}).with_data(step="chosen")
    return _chosen(ctx, new_state, [UpdateProfile(enterprise_name=name)])


def _skip_name(ctx: Context, state: ChatState) -> Outcome:
    return _chosen(ctx, state.with_data(step="chosen", name_skipped=True), [])


def _chosen(ctx: Context, state: ChatState, effects: list[Effect]) -> Outcome:
    number = int(state.data["chosen"])
    area = _area(ctx.kb, number)
    lines = [
        texts.AREA_CHOSEN.format(number=area.number, title=area.title, clause=area.clause),
        "",
        _title_text(ctx, state, number),
        "",
        checklist_text(ctx.kb),
    ]
    buttons = [
        [_button(texts.AREA_BTN_DRAFT, "draft")],
        [_button(texts.AREA_BTN_ALL, "all"), _button(texts.AREA_BTN_AGAIN, "again")],
        back_button(),
    ]
    reply = Reply(text="\n".join(lines), buttons=buttons)
    return Outcome(state=state.with_data(step="chosen"), replies=[reply], effects=effects)


def case_title(ctx: Context, state: ChatState, number: int) -> str:
    """企业+方法实践经验 (四(三)), with a placeholder when the enterprise name is unknown."""
    enterprise = state.profile.enterprise_name or texts.AREA_NAME_PLACEHOLDER
    method = matcher(ctx).title_method(number, str(state.data.get("text", "")))
    return f"{enterprise}{method}实践经验"


def _title_text(ctx: Context, state: ChatState, number: int) -> str:
    if state.profile.enterprise_name:
        note = texts.AREA_TITLE_NOTE
    else:
        note = texts.AREA_TITLE_NOTE_NO_NAME.format(placeholder=texts.AREA_NAME_PLACEHOLDER)
    return texts.AREA_TITLE.format(title=case_title(ctx, state, number), note=note)


def checklist_text(kb: Knowledge) -> str:
    """The materials of 四(三)/四(四): the case material (附件1) first, then the form (附件2)."""
    materials = sorted(kb.programme.materials, key=lambda m: m.attachment)
    lines = [texts.AREA_CHECKLIST_HEADER]
    for n, material in enumerate(materials, start=1):
        lines.append(
            texts.AREA_CHECKLIST_ITEM.format(
                n=n, name=material.name, attachment=material.attachment, clause=material.clause
            )
        )
        lines += [texts.AREA_CHECKLIST_REQ.format(text=r) for r in material.requirements]
    lines.append(texts.AREA_CHECKLIST_FOOTER)
    return "\n".join(lines)


# ---- case draft self-review ----------------------------------------------------------------


def _ask_draft(ctx: Context, state: ChatState) -> Outcome:
    reply = Reply(text=texts.AREA_DRAFT_PROMPT, buttons=[back_button()])
    return Outcome(state=state.with_data(step="draft"), replies=[reply])


def _review(ctx: Context, state: ChatState, text: str) -> Outcome:
    body = review_draft(
        text, state.profile.enterprise_name, ctx.clock().year, _example_title(ctx, state)
    )
    buttons = [
        [_button(texts.AREA_BTN_DRAFT_AGAIN, "draft")],
        [_button(texts.AREA_BTN_AGAIN, "again")],
        back_button(),
    ]
    return Outcome(
        state=state.with_data(step="chosen"), replies=[Reply(text=body, buttons=buttons)]
    )


def _example_title(ctx: Context, state: ChatState) -> str:
    number = _area_number(str(state.data.get("chosen", "")))
    if number is None:
        return "××公司六西格玛管理实践经验"
    return case_title(ctx, state, number)


_ELEMENT_CUES: dict[str, tuple[str, ...]] = {
    "理论观点": (
        "理论",
        "理念",
        "观点",
        "原理",
        "思想",
        "认为",
        "核心是",
        "本质",
        "模型",
        "方法论",
        "指导",
        "原则",
        "依据",
        "基于",
        "出发点",
    ),
    "方法特点": (
        "特点",
        "特色",
        "创新",
        "独特",
        "区别于",
        "不同于",
        "模式",
        "机制",
        "工具",
        "方法",
        "路径",
        "框架",
        "首创",
        "优势",
    ),
    "实践要点": (
        "做法",
        "措施",
        "步骤",
        "流程",
        "实施",
        "推行",
        "推进",
        "开展",
        "首先",
        "其次",
        "一是",
        "二是",
        "要点",
        "具体",
        "建立",
        "组织",
    ),
    "效果亮点": (
        "效果",
        "成效",
        "提升",
        "提高",
        "下降",
        "降低",
        "减少",
        "缩短",
        "节约",
        "增长",
        "达到",
        "%",
        "获得",
        "荣誉",
        "奖",
        "亮点",
        "万元",
    ),
}


def review_draft(text: str, enterprise: str | None, this_year: int, example: str) -> str:
    """Hints on a case draft: the four elements, the title rule, the years applied."""
    folded = fold(text)
    lines = [texts.AREA_REVIEW_HEADER, "", texts.AREA_REVIEW_ELEMENTS]
    lines += [_element_line(element, folded) for element in ELEMENTS]
    lines += ["", texts.AREA_REVIEW_TITLE, *_title_lines(text, enterprise, example)]
    lines += ["", texts.AREA_REVIEW_YEARS, _years_line(folded, this_year)]
    lines += ["", texts.AREA_REVIEW_FOOTER]
    return "\n".join(lines)


def _element_line(element: str, folded: str) -> str:
    cues = [c for c in _ELEMENT_CUES[element] if c in folded]
    if len(cues) >= 2:
        return texts.AREA_REVIEW_FOUND.format(element=element, cues="”“".join(cues[:3]))
    if cues:
        return texts.AREA_REVIEW_THIN.format(element=element, cues=cues[0])
    return texts.AREA_REVIEW_MISSING.format(
        element=element, advice=texts.AREA_ELEMENT_ADVICE[element]
    )


_ENTERPRISE_RE = re.compile(
    r"^[^，,。\s]{2,30}?(有限公司|股份公司|公司|集团|厂|研究院|研究所|企业)"
)


def draft_title(text: str) -> str | None:
    """The first line, when it reads as a title (short, not a sentence)."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = first.strip('“”"《》「」 ')
    if not first or len(first) > 50 or first.endswith(("。", "；", ";")):
        return None
    return first


def _title_lines(text: str, enterprise: str | None, example: str) -> list[str]:
    title = draft_title(text)
    if title is None:
        return [texts.AREA_REVIEW_NO_TITLE.format(example=example)]
    lines = [texts.AREA_REVIEW_TITLE_SEEN.format(title=title)]
    suffix_ok = title.endswith("实践经验")
    lines.append(
        texts.AREA_REVIEW_TITLE_SUFFIX_OK if suffix_ok else texts.AREA_REVIEW_TITLE_SUFFIX_BAD
    )
    if enterprise:
        name_ok = title.startswith(enterprise) or title.startswith(enterprise[:4])
        hint = texts.AREA_REVIEW_TITLE_NAME_HINT.format(name=enterprise)
    else:
        name_ok, hint = bool(_ENTERPRISE_RE.match(title)), ""
    lines.append(
        texts.AREA_REVIEW_TITLE_NAME_OK
        if name_ok
        else texts.AREA_REVIEW_TITLE_NAME_BAD.format(hint=hint)
    )
    return lines


_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUM = r"(?<!\d)(\d{1,2}|[一二两三四五六七八九十]{1,3})"
_YEARS_PATTERNS = (
    re.compile(
        r"(应用|实施|推行|运行|坚持|开展|导入|引入|推进|持续|实践)了?[^。,，;；]{0,10}?"
        + _NUM
        + r"(多|余)?年"
    ),
    re.compile(_NUM + r"(多|余)?年(来|以来|间|的?(实践|应用|推行|坚持|探索))"),
    re.compile(r"连续" + _NUM + r"(多|余)?年"),
)
_SINCE_RE = re.compile(r"((?:19|20)\d{2})年(起|开始|以来|至今|导入|引入|推行|实施|启动|开展)")


def _cn_number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if token == "十":
        return 10
    if token.startswith("十"):
        return 10 + _CN_DIGITS.get(token[1:], 0)
    if "十" in token:
        tens, _, ones = token.partition("十")
        return _CN_DIGITS.get(tens, 0) * 10 + _CN_DIGITS.get(ones, 0)
    return _CN_DIGITS.get(token)


def stated_years(folded: str, this_year: int) -> tuple[int, str] | None:
    """The longest period of application the text states, with the words that state it."""
    found: list[tuple[int, str]] = []
    for pattern in _YEARS_PATTERNS:
        for m in pattern.finditer(folded):
            number = next((g for g in m.groups() if g and re.fullmatch(_NUM, g)), None)
            years = _cn_number(number) if number else None
            if years:
                found.append((years, m.group()))
    for m in _SINCE_RE.finditer(folded):
        start = int(m.group(1))
        if start <= this_year:
            found.append((this_year - start, m.group()))
    return max(found, key=lambda f: f[0], default=None)


def _years_line(folded: str, this_year: int) -> str:
    stated = stated_years(folded, this_year)
    if stated is None:
        return texts.AREA_REVIEW_YEARS_NONE
    years, evidence = stated
    line = texts.AREA_REVIEW_YEARS_OK if years >= 3 else texts.AREA_REVIEW_YEARS_SHORT
    return line.format(years=years, evidence=evidence)


# ---- scriptable ----------------------------------------------------------------------------


@functools.cache
def _default_context() -> Context:
    return Context(kb=load_knowledge())


def areas_record(obj: Any, ctx: Context | None = None) -> dict[str, Any]:
    """``{"id", "text"}`` -> ``{"id", "areas": [{"number", "title", "score"}…], "reply"}``.

    All ten areas are listed, best first. A malformed record raises ValueError naming the field.
    """
    ctx = ctx or _default_context()
    if not isinstance(obj, dict):
        raise ValueError("record must be a JSON object with fields 'id' and 'text'")
    if "id" not in obj:
        raise ValueError("field 'id' is missing")
    if not isinstance(obj["id"], str | int) or isinstance(obj["id"], bool):
        raise ValueError("field 'id' must be a string or an integer")
    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError("field 'text' is missing or not a string")
    suggestion = matcher(ctx).suggest(text)
    ranked = [
        {"number": s.number, "title": s.area.title, "score": s.score} for s in suggestion.ranked
    ]
    return {"id": obj["id"], "areas": ranked, "reply": suggestion_reply(ctx.kb, suggestion).text}


# ---- helpers -------------------------------------------------------------------------------

_STEPS_ALLOWED = {
    "all": {"describe", "suggested", "list", "name", "chosen", "draft"},
    "again": {"describe", "suggested", "list", "name", "chosen", "draft"},
    "skip": {"name"},
    "draft": {"chosen", "draft"},
}


def _allowed(action: str, step: str) -> bool:
    return step in _STEPS_ALLOWED.get(action, set())


def _stale(state: ChatState) -> Outcome:
    buttons = [[Button(label=texts.MENU_AREA, data=encode("m", "open", FLOW_NAME))], back_button()]
    return Outcome(state=state, replies=[Reply(text=texts.AREA_STALE, buttons=buttons)])


def _button(label: str, action: str, arg: str | int = "") -> Button:
    return Button(label=label, data=encode(CODE, action, arg))


def _pick_button(area: Area, label: str) -> Button:
    return _button(label.format(number=area.number, title=area.title), "pick", area.number)


def _area_number(arg: str) -> int | None:
    return int(arg) if arg.isdigit() and 1 <= int(arg) <= 10 else None


def _areas(kb: Knowledge) -> list[Area]:
    return sorted(kb.areas, key=lambda a: a.number)


def _area(kb: Knowledge, number: int) -> Area:
    return next(a for a in kb.areas if a.number == number)


def _ranked(state: ChatState) -> list[int]:
    ranked = state.data.get("ranked", [])
    return [int(n) for n in ranked] if isinstance(ranked, list) else []


FLOW = Flow(
    name=FLOW_NAME,
    code=CODE,
    label=texts.MENU_AREA,
    command="area",
    description="领域推荐（十个重点领域）",
    start=start,
    on_callback=on_callback,
    on_text=on_text,
)
