"""A reply as an e-mail: multipart (plain text and simple HTML) in Chinese, an encoded subject,
the file a reply carries attached (a reminder's .ics), and the unsubscribe headers of RFC 2369
and RFC 8058 (``List-Unsubscribe`` with one-click ``List-Unsubscribe-Post``).

The text is the chat reply's own, clause citations included; buttons become one link to the web
page (a mail cannot press them). The standard library's ``EmailMessage`` with the SMTP policy
does the encoding (RFC 2047 subject and display name, base64/quoted-printable bodies, CRLF).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

import jinja2

from conversations import texts
from conversations.core import Reply, now_shanghai

SENDER_NAME = "江苏省质量标杆申报助手"
FOOTER_RULE = "——\n"  # the plain text's footer starts here (MAIL_FOOTER); HTML sets it apart
_LINK = re.compile(r"(https?://[^\s<>（）]+)")

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("bot.mail", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Links:
    """The links a mail to one address carries (None: the address has none yet)."""

    site: str
    manage: str | None = None
    unsubscribe: str | None = None


def subject_of(reply: Reply) -> str:
    """The reply's subject, else its first line (shortened), else the assistant's name."""
    if reply.subject:
        return reply.subject
    first = reply.text.strip().splitlines()[0] if reply.text.strip() else ""
    first = first.lstrip("⏰ ").strip()
    if not first:
        return texts.MAIL_SUBJECT_DEFAULT
    return first if len(first) <= 40 else first[:39] + "…"


def plain_text(reply: Reply, links: Links) -> str:
    parts = [reply.text.strip()]
    if reply.file is not None and reply.file.filename.endswith(".ics"):
        year = re.search(r"(\d{4})", reply.file.filename)
        parts.append(texts.MAIL_ICS_NOTE.format(year=year.group(1) if year else ""))
    if links.manage:
        parts.append(texts.MAIL_FOOTER.format(site=links.site, manage=links.manage))
    return "\n\n".join(parts) + "\n"


def _paragraphs(text: str) -> list[list[tuple[str, bool]]]:
    """Lines of ``text`` split into (piece, is_link) runs, for the HTML template to escape."""
    lines = []
    for line in text.splitlines():
        pieces = [(piece, bool(_LINK.fullmatch(piece))) for piece in _LINK.split(line) if piece]
        lines.append(pieces)
    return lines


def compose(reply: Reply, *, to: str, sender: str, links: Links) -> EmailMessage:
    """The mail of ``reply`` to ``to``."""
    message = EmailMessage(policy=SMTP)
    local, _, domain = sender.partition("@")
    message["From"] = Address(SENDER_NAME, local, domain or "localhost")
    message["To"] = to
    message["Subject"] = subject_of(reply)
    message["Date"] = format_datetime(now_shanghai())
    message["Message-ID"] = make_msgid("biaogan", domain=domain or None)
    if links.unsubscribe:
        message["List-Unsubscribe"] = f"<{links.unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    text = plain_text(reply, links)
    message.set_content(text, charset="utf-8")
    body, _, footer = text.partition(FOOTER_RULE)
    html = _templates.get_template("mail.html").render(
        subject=message["Subject"], lines=_paragraphs(body.rstrip()), footer=_paragraphs(footer)
    )
    message.add_alternative(html, subtype="html", charset="utf-8")
    if reply.file is not None and reply.file.content:
        maintype, _, subtype = reply.file.mime.partition("/")
        message.add_attachment(
            reply.file.content,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=reply.file.filename,
        )
    return message
