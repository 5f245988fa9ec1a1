"""Documents organizers publish for their scope (a 申报表 template, the case requirements, a
meeting notice), as flows and pages see them: which apply to an enterprise, who published them,
and which an answer mentions.

A document is the publishing unit's, never the notice's: every label says who published it and
when (苏州市经信委发布，2027-03-01). The files themselves live in the store (``bot.store
.documents``); their type was checked by content when they were uploaded (``bot.uploads``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from conversations import scopes, texts

KINDS = ("form", "requirements", "notice", "other")  # 申报表, 案例要求, 会议通知, 其他
TITLE_LENGTH = (2, 60)


class PublishedDocument(BaseModel):
    """One published file as an enterprise sees it; ``content`` only when it is sent."""

    model_config = ConfigDict(frozen=True)

    id: int
    scope: str  # province, city:苏州, assoc:<name>
    year: int
    kind: str  # one of KINDS
    title: str
    publisher: str  # the unit as its organizer chose it: 苏州市经信委
    filename: str
    mime: str
    size: int
    uploaded_at: str  # ISO, Asia/Shanghai
    content: bytes = b""


def units(scope: str, own: str = "") -> tuple[str, ...]:
    """The units an organizer of ``scope`` may sign as (the notice's 组织单位, 三): the unit on
    its contact card (``own``: 苏州市工业和信息化局) first, then a city's 经信委 or 质量协会, the
    province's 省经信委 or 省质量管理协会, an association itself."""
    if scope == scopes.PROVINCE:
        found = texts.DOC_PROVINCE_UNITS
    else:
        kind, _, name = scope.partition(":")
        if kind == "city":
            found = tuple(unit.format(city=name) for unit in texts.DOC_CITY_UNITS)
        else:
            found = (name,) if kind == "assoc" and name else ()
    return (own, *(u for u in found if u != own)) if own and found else found


def published_by(document: PublishedDocument, this_year: int) -> str:
    """苏州市经信委发布，2027-03-01 (and the year when it is not this one)."""
    label = texts.DOC_PUBLISHED_BY.format(unit=document.publisher, day=document.uploaded_at[:10])
    if document.year != this_year:
        label += texts.DOC_FOR_YEAR.format(year=document.year)
    return label


def size_label(size: int) -> str:
    """1.2 MB, 10 MB, 350 KB."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


def kinds_mentioned(text: str) -> tuple[str, ...]:
    """The kinds of document an answer's text is about: the 申报表 (附件2), the case
    requirements (附件1)."""
    return tuple(
        kind for kind, words in texts.DOC_MENTIONS.items() if any(word in text for word in words)
    )
