"""E-mail as a channel: the transport (``transport``: SMTP, or the log when none is set), a
reply as a mail (``compose``), the confirm / manage / unsubscribe pages (``pages``), and here
the links every mail carries and the one-off messages of the ``messages`` outbox table (the
confirmation link, made when the mail is rendered: only its hash is stored; an organizer's
answer to a forwarded question, on whichever channel the asker asked from).

Addresses, double opt-in and the signed manage links are kept by ``bot.store.mail``.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import quote

from bot.config import Settings
from bot.dispatch import Source
from bot.mail.compose import Links
from bot.mail.transport import LogMailTransport, SmtpConfig, SmtpTransport
from bot.outbox import Outbox, Row
from bot.store import Store
from bot.transports import Transport
from conversations import scopes, texts
from conversations.core import Reply
from conversations.forwarding import delivered_text

log = logging.getLogger(__name__)

CONFIRM_PATH = "/mail/confirm"
MANAGE_PATH = "/mail/manage"
UNSUBSCRIBE_PATH = "/mail/unsubscribe"
SIGNIN_LINK_PATH = "/org/signin/link"  # the organizers' console (bot.org)


class Letters:
    """The links of an address's mails, and the ``messages`` outbox (confirmation mails)."""

    def __init__(self, store: Store, site: str, *, backoff: float = 30.0) -> None:
        self.store = store
        self.site = site.rstrip("/")
        self.outbox = Outbox(store.db, "messages", clock=store.clock, backoff=backoff)

    def links(self, address: str) -> Links:
        """A subscribed, confirmed address's mails carry its manage and unsubscribe links; the
        others (a confirmation, a console sign-in link) only the site."""
        found = self.store.destination("email", address)
        subscribed = (
            found is not None
            and self.store.db.execute(
                "SELECT 1 FROM subscriptions WHERE destination_id = ? LIMIT 1", [found["id"]]
            ).fetchone()
        )
        token = self.store.manage_token(address) if subscribed and found["verified"] else None
        if token is None:
            return Links(self.site)
        return Links(
            self.site,
            manage=f"{self.site}{MANAGE_PATH}?t={quote(token)}",
            unsubscribe=f"{self.site}{UNSUBSCRIBE_PATH}?t={quote(token)}",
        )

    def source(self) -> Source:
        return Source(self.outbox, self.render)

    def render(self, row: Row) -> Reply | None:
        if row["kind"] in ("signin", "invite"):
            return self._signin(row)
        if row["kind"] == "answer":
            return self._answer(row)
        if row["kind"] == "forwarded":
            return self._forwarded(row)
        if row["kind"] != "confirm":
            log.error("messages %s: no mail of kind %r", row["id"], row["kind"])
            return None
        token = self.store.issue_confirm_token(row)
        year = json.loads(row["payload"])["year"]
        link = f"{self.site}{CONFIRM_PATH}?t={quote(token)}"
        return Reply(
            subject=texts.MAIL_SUBJECT_CONFIRM,
            text=texts.MAIL_CONFIRM_BODY.format(year=year, link=link),
        )

    def _answer(self, row: Row) -> Reply | None:
        """An organizer's answer to a forwarded question, on the channel the row names (the
        chat asked from, or a subscribed address): labelled as that unit's, with its date."""
        payload = json.loads(row["payload"])
        found = self.store.answer_of(payload["answer_id"])
        if found is None:
            log.info("messages %s: answer %s is gone", row["id"], payload["answer_id"])
            return None
        text = delivered_text(found["unit"], found["day"], payload["question"], found["text"])
        return Reply(text=text, subject=texts.FWD_MAIL_SUBJECT.format(unit=found["unit"]))

    def _forwarded(self, row: Row) -> Reply | None:
        """To an organizer: questions wait for its answer (counted when the note is sent; none
        left, no note), with the console's page to answer them."""
        scope = json.loads(row["payload"])["scope"]
        waiting = self.store.waiting_count(scope)
        if not waiting:
            return None
        text = texts.FWD_NOTE.format(
            n=waiting, scope=scopes.label(scope), link=f"{self.site}/org/unanswered"
        )
        return Reply(text=text, subject=texts.FWD_NOTE_SUBJECT.format(n=waiting))

    def _signin(self, row: Row) -> Reply:
        """A sign-in link to the organizers' console (an invitation's lasts longer)."""
        person = json.loads(row["payload"])["person_id"]
        token = self.store.issue_signin_token(row)
        link = f"{self.site}{SIGNIN_LINK_PATH}?t={quote(token)}"
        name = self.store.person_name(person)
        if row["kind"] == "signin":
            text = texts.ORG_MAIL_SIGNIN.format(name=name, link=link)
            return Reply(subject=texts.ORG_MAIL_SUBJECT_SIGNIN, text=text)
        role = self.store.role(person)
        scope = scopes.label(role[1]) if role else ""
        text = texts.ORG_MAIL_INVITE.format(name=name, scope=scope, link=link, site=self.site)
        return Reply(subject=texts.ORG_MAIL_SUBJECT_INVITE.format(scope=scope), text=text)


def mail_transport(settings: Settings, letters: Letters) -> Transport:
    """SMTP when a server is set, else the log."""
    if not settings.mail_configured:
        return LogMailTransport(settings.smtp_sender, letters.links)
    assert settings.smtp_host is not None
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    config = SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        user=settings.smtp_user,
        password=password,
        tls=settings.smtp_tls,
        sender=settings.smtp_sender,
        rate=settings.smtp_rate,
        connections=settings.smtp_connections,
    )
    return SmtpTransport(config, letters.links)


__all__ = ["Letters", "Links", "LogMailTransport", "SmtpConfig", "SmtpTransport", "mail_transport"]
