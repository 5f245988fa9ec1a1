"""What the console shows of a broadcast (``bot.org.broadcasts``): the message as each channel
shows it, for the preview, and each recipient's status, for the status page and its CSV.

- **Telegram**: the text the bot sends (``bot.telegram.render`` escapes it whole for Telegram's
  HTML mode, so recipients read it as written; split where Telegram's limit would).
- **网页**: the text the web transport puts in the visitor's transcript (shown as written).
- **电子邮件**: the mail ``bot.mail.compose`` makes — subject, plain text with the footer, and
  its HTML part, shown in a sandboxed ``<iframe srcdoc>`` (no script, an opaque origin). The
  frame inherits the page's CSP, which forbids inline style; the preview's own CSP allows
  exactly the mail's style attributes by their SHA-256 (``'unsafe-hashes'``) and nothing else,
  so the mail looks as it arrives and the console stays without inline script or style.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from bot.mail.compose import Links, compose
from bot.telegram.render import split_text
from conversations import placeholders, texts
from conversations.broadcasting import channel_name, fractions_text, mail_subject, render
from conversations.core import Reply


@dataclass(frozen=True)
class MailView:
    subject: str
    text: str  # the plain text part, footer included
    html: str  # the HTML part, whole


@dataclass(frozen=True)
class ChannelViews:
    """One recipient's message on each channel (placeholders filled)."""

    message: str  # the text every channel sends (header and notice)
    telegram: list[str]  # the Telegram messages it makes (one unless it is too long)
    mail: MailView


def channel_views(
    scope: str, text: str, sample: Mapping[str, Any] | None, *, site: str, sender: str
) -> ChannelViews:
    """``text`` from an organizer of ``scope`` as ``sample`` (a recipient's profile) gets it."""
    message = placeholders.fill(render(scope, text), sample or {})
    reply = Reply(text=message, subject=mail_subject(scope))
    links = Links(site, manage=texts.BROADCAST_MAIL_MANAGE)  # each recipient's own link
    mail = compose(reply, to="recipient@example.invalid", sender=sender, links=links)
    plain, html = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None and html is not None
    return ChannelViews(
        message=message,
        telegram=split_text(message),
        mail=MailView(str(mail["Subject"]), plain.get_content(), html.get_content()),
    )


class _StyleAttributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.update(value for name, value in attrs if name == "style" and value)


def preview_csp(html: str) -> str:
    """The console's CSP, its ``style-src`` allowing the style attributes of ``html`` (the
    mail shown in the preview's frame) by their hashes, and nothing more."""
    from bot.web.app import CSP  # the one policy of the site (bot.web mounts the console)

    parser = _StyleAttributes()
    parser.feed(html)
    parser.close()
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(value.encode()).digest()).decode() + "'"
        for value in sorted(parser.found)
    ]
    if not hashes or "style-src 'self'" not in CSP:
        return CSP
    return CSP.replace("style-src 'self'", " ".join(["style-src 'self' 'unsafe-hashes'", *hashes]))


# ---- each recipient's status -----------------------------------------------------------------


@dataclass(frozen=True)
class RecipientLine:
    name: str  # the enterprise's name, or that it has none
    channel: str  # as people read it
    address: str  # partly hidden
    status: str
    reason: str
    at: str  # when it was sent (or last tried), to the minute


def masked(channel: str, address: str | None) -> str:
    """An address partly hidden: ``z***@wuxi.gov.cn``, ``Telegram 用户 …4321``."""
    address = address or ""
    if channel == "email":
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    if channel == "telegram":
        return texts.ORG_BC_TELEGRAM_USER.format(tail=address[-4:])
    if channel == "web":
        return texts.ORG_BC_WEB_VISITOR.format(tail=address[-4:])
    return channel_name(channel)


def status_word(status: str, channel: str) -> str:
    if status == "blocked":
        return texts.BROADCAST_BLOCKED_AS.get(channel, texts.ORG_BC_STATUS["blocked"])
    return texts.ORG_BC_STATUS.get(status, status)


def recipient_lines(rows: Iterable[Mapping[str, Any]]) -> list[RecipientLine]:
    """The store's delivery rows (``broadcast_recipients``) as people read them."""
    return [
        RecipientLine(
            name=row["enterprise_name"] or texts.ORG_BC_UNNAMED,
            channel=channel_name(row["channel"]),
            address=masked(row["channel"], row["address"]),
            status=status_word(row["status"], row["channel"]),
            reason=texts.ORG_BC_REASONS.get(row["error"], row["error"]) or "",
            at=(row["sent_at"] or row["claimed_at"] or "")[:16].replace("T", " "),
        )
        for row in rows
    ]


def recipients_csv(lines: Iterable[RecipientLine]) -> bytes:
    """The status page's table as CSV: UTF-8 with a BOM (Excel reads the Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(texts.ORG_BC_CSV_HEADER)
    for line in lines:
        cells = (line.name, line.channel, line.address, line.status, line.reason, line.at)
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return out.getvalue().encode("utf-8-sig")


def spreadsheet_safe(text: str) -> str:
    """A value typed by someone never starts a spreadsheet formula (as ``/export``'s)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def in_order(channels: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """A per-channel mapping in the order people read channels (Telegram, 网页, 电子邮件…)."""
    known = [c for c in texts.CHANNEL_NAMES if c in channels]
    return [(c, channels[c]) for c in known + sorted(set(channels) - set(known))]


def delivered_text(row: Mapping[str, Any]) -> str:
    """``Telegram 1/2 · 网页 1/1``: delivered out of queued, per channel."""
    return fractions_text(row["channels"], "sent")
