"""文件下载 (see ``files.mmd``): the files organizers published that apply to the enterprise —
its city's, its association's and the province's — each labelled with who published it and
when, never as the notice's; a button sends the file (Telegram: a document; the web page: a
download link).

Without a city in the profile, the province's files are listed with the 13 cities as buttons:
one tap records the city (``UpdateProfile``) and lists that city's files. An FAQ answer about
the 申报表 (附件2) or the case requirements (附件1) gets a download button for a published file
of that kind (``with_downloads``, called where the answer's reply is built). The files are
read through the turn's ``records`` (the store); without records there are none.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from conversations import scopes, texts
from conversations.callbacks import encode
from conversations.core import Attachment, Button, Context, Outcome, Reply, Turn, UpdateProfile
from conversations.documents import PublishedDocument, kinds_mentioned, published_by, size_label
from conversations.menu import back_button, doc, open_button
from conversations.steps import Edge, Flow, Step, StepTable

CODE = "w"  # 文件 (wénjiàn); d is the deadlines flow
NAME = "files"
ANSWER_BUTTONS = 3  # download buttons under one answer at most


def _documents(ctx: Context, turn: Turn, city: str | None = None) -> list[PublishedDocument]:
    if turn.records is None:
        return []
    where = city if city is not None else turn.profile.city
    return turn.records.published_documents(where, turn.profile.association, ctx.this_year())


def _where(city: str | None, association: str | None) -> str:
    named = [f"{name}市" for name in [scopes.city_name(city or "")] if name]
    named += [association] if association else []
    if not named:
        return texts.DOC_WHERE_PROVINCE
    return texts.DOC_WHERE.format(where="、".join(named))


def _kind_label(kind: str) -> str:
    return dict(texts.DOC_KINDS).get(kind, texts.DOC_KINDS[-1][1])


def list_reply(ctx: Context, turn: Turn, city: str | None = None, lead: str = "") -> Reply:
    """The files that apply, one line and one button each; the city asked for when unknown."""
    city = city if city is not None else turn.profile.city
    where = _where(city, turn.profile.association)
    found = _documents(ctx, turn, city)
    lines = [lead] if lead else []
    if found:
        lines.append(texts.DOC_LIST_HEAD.format(where=where))
        for n, document in enumerate(found, 1):
            lines.append(
                texts.DOC_LINE.format(
                    n=n,
                    title=document.title,
                    label=published_by(document, ctx.this_year()),
                    kind=_kind_label(document.kind),
                    ext=PurePosixPath(document.filename).suffix.lstrip("."),
                    size=size_label(document.size),
                )
            )
        lines.append(texts.DOC_NOT_THE_NOTICE.format(**doc(ctx)))
    else:
        lines.append(texts.DOC_NONE.format(where=where))
    rows = [[_get_button(texts.DOC_BUTTON, document)] for document in found]
    if not city:
        lines.append(texts.DOC_ASK_CITY)
        rows += scopes.city_rows(CODE, "city")
        rows.append([open_button(texts.PROFILE_BTN_FROM_CHECK, "profile")])
    return Reply(text="\n".join(lines), buttons=[*rows, back_button()])


def _get_button(label: str, document: PublishedDocument) -> Button:
    return Button(label=label.format(title=document.title), data=encode(CODE, "get", document.id))


def start(ctx: Context, turn: Turn) -> Outcome:
    return Outcome(state=turn.state.pause().at(NAME), replies=[list_reply(ctx, turn)])


def _on_get(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    """下载: the file with who published it and when; a withdrawn one: the list as it is now."""
    if not arg.isdigit():
        return None
    found = None
    if turn.records is not None:
        found = turn.records.published_document(
            int(arg), turn.profile.city, turn.profile.association, ctx.this_year()
        )
    if found is None:
        return Outcome(state=turn.state, replies=[list_reply(ctx, turn, lead=texts.DOC_GONE)])
    text = texts.DOC_SENT.format(
        title=found.title, label=published_by(found, ctx.this_year()), **doc(ctx)
    )
    file = Attachment(filename=found.filename, mime=found.mime, content=found.content)
    return Outcome(state=turn.state, replies=[Reply(text=text, file=file)], kind="document")


def _on_city(ctx: Context, turn: Turn, arg: str) -> Outcome | None:
    """One tap: the city recorded in the profile, and its files listed."""
    if not arg.isdigit() or int(arg) >= len(scopes.CITIES):
        return None
    city = scopes.CITIES[int(arg)]
    lead = texts.DOC_CITY_SAVED.format(city=city)
    reply = list_reply(ctx, turn, city=city, lead=lead)
    return Outcome(state=turn.state, replies=[reply], effects=[UpdateProfile(city=city)])


def with_downloads(ctx: Context, turn: Turn, reply: Reply) -> Reply:
    """An answer about the 申报表 or the case requirements, with a button for each file of that
    kind the enterprise's organizers published (and a line saying whose it is); else as is."""
    kinds = kinds_mentioned(reply.text)
    if not kinds or turn.records is None:
        return reply
    found = [d for d in _documents(ctx, turn) if d.kind in kinds][:ANSWER_BUTTONS]
    if not found:
        return reply
    notes = [
        texts.DOC_ANSWER_NOTE.format(unit=d.publisher, day=d.uploaded_at[:10], title=d.title)
        for d in found
    ]
    rows = [[_get_button(texts.DOC_ANSWER_BUTTON, d)] for d in found]
    text = "\n\n".join([reply.text, "\n".join(notes)])
    return reply.model_copy(update={"text": text, "buttons": [*rows, *reply.buttons]})


_TABLE = StepTable(
    steps=(Step("list", "文件下载：适用于企业的文件，每个注明发布单位和日期"),),
    anywhere={
        "get": Edge(_on_get, ("list",), "下载 w:get:<id>：文件及其发布单位"),
        "city": Edge(_on_city, ("list",), "所在城市 w:city:<n>：记入企业信息，列出该市文件"),
    },
    entry="/files · 菜单“文件下载” · 常见问题答案下的“下载…”按钮",
)

FLOW = Flow(
    name=NAME,
    code=CODE,
    command="files",
    description=texts.CMD_FILES,
    table=lambda ctx: _TABLE,
    start=start,
    screen=lambda ctx, turn: None,
    diagram="files.mmd",
    resume_label=lambda ctx, turn: texts.MENU_FILES,
)
