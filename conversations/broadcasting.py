"""How a broadcast reads, wherever it is shown: the message recipients get (``render``), the
subject of its e-mails (``mail_subject``: the sender renders the mails with it, the preview
shows it), counts per channel in people's words, the preview's lines under the notice, and the
organizer's progress, report and /broadcasts counts. Pure: plain data in, text out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from conversations import scopes, texts
from conversations.organizer_models import Reach

Counts = Mapping[str, int]  # a delivery row's status (and "total") -> how many


def render(scope: str, text: str) -> str:
    """The message recipients get: a header naming the sender's scope, then the text."""
    return texts.BROADCAST_HEADER.format(sender=scopes.label_sender(scope)) + text


def mail_subject(scope: str) -> str:
    """The subject of a broadcast's e-mails (``bot.broadcast.sender`` renders them with it)."""
    return texts.MAIL_SUBJECT_BROADCAST.format(sender=scopes.label_sender(scope))


def channel_name(channel: str) -> str:
    return texts.CHANNEL_NAMES.get(channel, channel)


def _in_order(channels: Mapping[str, object]) -> list[str]:
    """Channels in the order people read them (Telegram, 网页, 电子邮件, 控制台), others last."""
    known = [c for c in texts.CHANNEL_NAMES if c in channels]
    return known + sorted(c for c in channels if c not in texts.CHANNEL_NAMES)


def channels_text(counts: Mapping[str, int]) -> str:
    """``Telegram 8 · 网页 4 · 电子邮件 3`` (channels with none left out)."""
    return " · ".join(f"{channel_name(c)} {counts[c]:,}" for c in _in_order(counts) if counts[c])


def fractions_text(channels: Mapping[str, Counts], *parts: str) -> str:
    """``Telegram 5/8 · 网页 4/4``: per channel, the sum of ``parts`` out of its total."""
    return " · ".join(
        f"{channel_name(c)} {sum(channels[c][p] for p in parts):,}/{channels[c]['total']:,}"
        for c in _in_order(channels)
    )


def reach_text(segment: str, reach: Reach) -> str:
    """``将发给苏州市 12 家企业，共 15 份：Telegram 8 · 网页 4 · 电子邮件 3。``"""
    if not reach.total:
        return texts.BROADCAST_REACH_NONE.format(segment=scopes.label(segment))
    return texts.BROADCAST_REACH.format(
        segment=scopes.label(segment),
        enterprises=reach.enterprises,
        total=reach.total,
        channels=channels_text(reach.channels),
    )


def preview_lines(segment: str, reach: Reach, scope: str, *, mail_sent: bool = True) -> str:
    """What the preview says under the notice: whom it reaches on which channel, and when
    anyone gets it by e-mail, the mail as it arrives (its subject; its text is the notice
    above, then the footer every mail carries, its links each recipient's own).
    ``mail_sent``: False when no SMTP server is set (the mails go to the server's log)."""
    lines = [
        texts.BROADCAST_PREVIEW_RULE,
        texts.BROADCAST_PREVIEW_ABOVE + reach_text(segment, reach),
    ]
    if mails := reach.channels.get("email", 0):
        footer = texts.MAIL_FOOTER.format(
            site=texts.BROADCAST_MAIL_SITE, manage=texts.BROADCAST_MAIL_MANAGE
        )
        lines.append(
            texts.BROADCAST_MAIL_VIEW.format(
                count=mails, subject=mail_subject(scope), footer=footer
            )
        )
        if not mail_sent:
            lines.append(texts.BROADCAST_MAIL_LOG)
    return "\n".join(lines)


# ---- the organizer's view of a broadcast under way (rows of ``recent_broadcasts``) ----------


def progress_text(row: Mapping) -> str:
    """``群发 #3：已发送 9 / 15（Telegram 5/8 · 网页 4/4 · 电子邮件 0/3）``"""
    return texts.BROADCAST_PROGRESS.format(
        id=row["id"],
        done=row["sent"] + row["blocked"] + row["failed"],
        total=row["total"],
        channels=fractions_text(row["channels"], "sent", "blocked", "failed"),
    )


def report_text(row: Mapping) -> str:
    """The final report: the totals, then a line per channel (sent / blocked / failed)."""
    text = texts.BROADCAST_REPORT.format(
        id=row["id"],
        total=row["total"],
        sent=row["sent"],
        blocked=row["blocked"],
        failed=row["failed"],
        duration=duration_text(row["started_at"] or row["created_at"], row["finished_at"]),
    )
    if row["resends"]:
        text += texts.BROADCAST_RESENDS.format(resends=row["resends"])
    channels = row["channels"]
    lines = [
        texts.BROADCAST_REPORT_CHANNEL.format(
            channel=channel_name(c),
            blocked_as=texts.BROADCAST_BLOCKED_AS.get(c, texts.BROADCAST_BLOCKED),
            **channels[c],
        )
        for c in _in_order(channels)
    ]
    return "\n".join([text, *lines])


def duration_text(start: str | None, end: str | None) -> str:
    if not start or not end:
        return "—"
    seconds = int((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds())
    minutes, seconds = divmod(max(0, seconds), 60)
    return f"{minutes}分{seconds}秒" if minutes else f"{seconds}秒"
