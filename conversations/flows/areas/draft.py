"""Hints on a case draft (四(三)): the four elements, the title rule, the years applied."""

from __future__ import annotations

import re

from conversations import texts
from knowledge.numbers import years_in_text
from knowledge.text import fold

ELEMENTS = ("理论观点", "方法特点", "实践要点", "效果亮点")


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


def stated_years(folded: str, this_year: int) -> tuple[int, str] | None:
    """The longest period of application the text states (``knowledge.numbers``)."""
    return years_in_text(folded, this_year)


def _years_line(folded: str, this_year: int) -> str:
    stated = stated_years(folded, this_year)
    if stated is None:
        return texts.AREA_REVIEW_YEARS_NONE
    years, evidence = stated
    line = texts.AREA_REVIEW_YEARS_OK if years >= 3 else texts.AREA_REVIEW_YEARS_SHORT
    return line.format(years=years, evidence=evidence)


# ---- scriptable ----------------------------------------------------------------------------
