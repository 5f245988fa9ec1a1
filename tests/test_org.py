"""The organizers' console (/org/): inviting by e-mail, signing in by a one-time link read from
a real SMTP server on loopback, sessions, CSRF, and the abuse a sign-in page meets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest

from bot.dispatch import Dispatcher
from bot.runtime import Knobs, make_dispatcher, web_transport
from bot.service import ChatService
from bot.web import WebLimits, build_web_app
from conversations import texts
from tests.driver import Clock
from tests.mail_server import MailServer, mail_settings, text_of

SITE = "http://testserver"
SAME_SITE = {"origin": SITE}
LINK = re.compile(re.escape(SITE) + r"/org/signin/link\?t=(\S+)")


@pytest.fixture
def clock():
    return Clock(2027, 3, 1, 9, 0)


@pytest.fixture
def server():
    with MailServer() as running:
        yield running


@dataclass
class Console:
    service: ChatService
    dispatcher: Dispatcher
    app: object
    server: MailServer
    clock: Clock

    def browser(self) -> httpx.AsyncClient:
        """A browser of its own (its own cookies)."""
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=SITE)

    async def link_for(self, address: str) -> str:
        """Send what is queued; the newest sign-in link mailed to ``address``."""
        await self.dispatcher.drain("email")
        mail = self.server.mailbox.to(address)[-1]
        return LINK.search(text_of(mail)).group(1)

    async def sign_in(self, browser: httpx.AsyncClient, address: str) -> None:
        """Sign ``browser`` in with the newest link mailed to ``address``."""
        token = await self.link_for(address)
        response = await browser.post("/org/signin/link", data={"t": token}, headers=SAME_SITE)
        assert response.status_code == 303, response.text


@pytest.fixture
async def console(tmp_path, server, clock):
    settings = mail_settings(tmp_path / "data", server, public_url=SITE)
    service = ChatService.open(settings, clock=clock)
    dispatcher = make_dispatcher(service, [web_transport(service)], Knobs(poll=3600))
    app = build_web_app(settings, service, WebLimits(session_per_second=0, address_per_second=0))
    yield Console(service, dispatcher, app, server, clock)
    await dispatcher.stop()
    service.close()


def invite(console: Console, address: str, scope: str, name: str) -> int:
    store = console.service.store
    return store.invite_by_email(store.operator(), address, scope, name)


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)


# ---- inviting, signing in ----------------------------------------------------------------------


async def test_an_invited_organizer_signs_in_by_the_mailed_link(console):
    invite(console, "chen@wuxi.gov.cn", "city:无锡", "陈科长")
    await console.dispatcher.drain("email")
    [mail] = console.server.mailbox.to("chen@wuxi.gov.cn")
    assert "无锡市" in mail["Subject"] and "陈科长" in text_of(mail)
    assert mail["List-Unsubscribe"] is None  # a sign-in link is no newsletter
    token = LINK.search(text_of(mail)).group(1)
    async with console.browser() as browser:
        page = await browser.get(f"/org/signin/link?t={token}")  # a mail scanner's GET…
        assert page.status_code == 200 and texts.ORG_LINK_BUTTON in page.text
        signed = await browser.post("/org/signin/link", data={"t": token}, headers=SAME_SITE)
        assert signed.status_code == 303 and signed.headers["location"] == "/org/overview"
        cookie = signed.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/org" in cookie
        overview = await browser.get("/org/overview")
        assert overview.status_code == 200
        assert "陈科长 · 无锡市" in overview.text and "使用过助手的企业" in overview.text
    audit = console.service.store.audit_rows(console.service.store.operator())
    assert [r["action"] for r in audit][:2] == ["signin", "invite_email"]
    assert audit[0]["who"].startswith("陈科长")


async def test_a_link_works_once_and_for_fifteen_minutes(console):
    invite(console, "li@wuxi.gov.cn", "city:无锡", "李")
    async with console.browser() as first:
        await console.sign_in(first, "li@wuxi.gov.cn")
    token = LINK.search(text_of(console.server.mailbox.to("li@wuxi.gov.cn")[-1])).group(1)
    async with console.browser() as browser:
        again = await browser.post("/org/signin/link", data={"t": token}, headers=SAME_SITE)
        assert again.status_code == 400 and "已经用过了" in again.text
        assert "set-cookie" not in again.headers
        await browser.post("/org/signin", data={"email": "li@wuxi.gov.cn"}, headers=SAME_SITE)
        late = await console.link_for("li@wuxi.gov.cn")
        console.clock.now += timedelta(minutes=16)
        expired = await browser.post("/org/signin/link", data={"t": late}, headers=SAME_SITE)
        assert expired.status_code == 400 and "已过期" in expired.text
        forged = await browser.post("/org/signin/link", data={"t": "x" * 43}, headers=SAME_SITE)
        assert forged.status_code == 400 and "无效" in forged.text
    failed = [
        r for r in console.service.store.audit_rows(console.service.store.operator())
        if r["action"] == "signin_failed"
    ]  # fmt: skip
    assert len(failed) == 3


async def test_the_sign_in_page_answers_the_same_for_an_unknown_address(console):
    invite(console, "known@wuxi.gov.cn", "city:无锡", "王")
    await console.dispatcher.drain("email")  # the invitation
    before = len(console.server.mailbox.received)
    async with console.browser() as browser:
        known = await browser.post(
            "/org/signin", data={"email": "known@wuxi.gov.cn"}, headers=SAME_SITE
        )
        unknown = await browser.post(
            "/org/signin", data={"email": "nobody@wuxi.gov.cn"}, headers=SAME_SITE
        )
    assert known.status_code == unknown.status_code == 200
    strip = lambda page: page.replace("known@", "").replace("nobody@", "")  # noqa: E731
    assert strip(known.text) == strip(unknown.text)
    await console.dispatcher.drain("email")
    assert [m["To"] for m in console.server.mailbox.received[before:]] == ["known@wuxi.gov.cn"]


async def test_an_address_typed_in_another_case_signs_in_the_same_organizer(console):
    """Li@… typed at the sign-in page is the li@… that was invited: the link goes to the
    address as invited, and the organizer is the one person, not a stranger."""
    invite(console, "li.kai@wuxi.gov.cn", "city:无锡", "李科长")
    await console.dispatcher.drain("email")  # the invitation
    async with console.browser() as browser:
        asked = await browser.post(
            "/org/signin", data={"email": "Li.Kai@WUXI.gov.cn"}, headers=SAME_SITE
        )
        assert asked.status_code == 200
        await console.sign_in(browser, "li.kai@wuxi.gov.cn")
        overview = await browser.get("/org/overview")
    assert "李科长 · 无锡市" in overview.text
    store = console.service.store
    assert store.destination("email", "LI.KAI@wuxi.gov.cn") == store.destination(
        "email", "li.kai@wuxi.gov.cn"
    )


async def test_sign_in_requests_are_limited_per_address(console):
    invite(console, "busy@wuxi.gov.cn", "city:无锡", "赵")
    async with console.browser() as browser:
        codes = [
            (await browser.post(
                "/org/signin", data={"email": "busy@wuxi.gov.cn"}, headers=SAME_SITE
            )).status_code
            for _ in range(5)
        ]  # fmt: skip
    assert codes == [200, 200, 200, 429, 429]


async def test_forms_need_this_site_and_the_sessions_token(console):
    invite(console, "zhou@wuxi.gov.cn", "city:无锡", "周")
    async with console.browser() as browser:
        await console.sign_in(browser, "zhou@wuxi.gov.cn")
        page = (await browser.get("/org/overview")).text
        token = csrf_of(page)
        no_origin = await browser.post("/org/signout", data={"csrf": token})
        assert no_origin.status_code == 403
        no_token = await browser.post("/org/signout", data={}, headers=SAME_SITE)
        assert no_token.status_code == 403 and "页面已过期" in no_token.text
        other = await browser.post(
            "/org/signout", data={"csrf": token}, headers={"origin": "http://evil.example"}
        )
        assert other.status_code == 403
        assert (await browser.get("/org/overview")).status_code == 200  # still signed in
        out = await browser.post("/org/signout", data={"csrf": token}, headers=SAME_SITE)
        assert out.status_code == 200 and texts.ORG_SIGNED_OUT in out.text
        after = await browser.get("/org/overview")
        assert after.status_code == 303 and after.headers["location"] == "/org/signin"


async def test_a_revoked_organizers_open_session_stops_at_once(console):
    person = invite(console, "gone@wuxi.gov.cn", "city:无锡", "钱")
    async with console.browser() as browser:
        await console.sign_in(browser, "gone@wuxi.gov.cn")
        assert (await browser.get("/org/overview")).status_code == 200
        store = console.service.store
        store.revoke(store.operator(), person)
        refused = await browser.get("/org/overview")
        assert refused.status_code == 303 and refused.headers["location"] == "/org/signin"
        chart = await browser.get("/org/chart.png")
        assert chart.status_code == 303


async def test_sessions_expire_when_idle_and_a_new_sign_in_gets_a_new_id(console):
    invite(console, "sun@wuxi.gov.cn", "city:无锡", "孙")
    async with console.browser() as first:
        await console.sign_in(first, "sun@wuxi.gov.cn")
        cookie_one = first.cookies.get("biaogan_org")
        await first.post("/org/signin", data={"email": "sun@wuxi.gov.cn"}, headers=SAME_SITE)
    async with console.browser() as second:
        await console.sign_in(second, "sun@wuxi.gov.cn")
        assert second.cookies.get("biaogan_org") != cookie_one
        console.clock.now += timedelta(hours=2, minutes=1)
        idle = await second.get("/org/overview")
        assert idle.status_code == 303


async def test_the_console_pages_are_strict_and_escaped(console):
    invite(console, "x@wuxi.gov.cn", "city:无锡", "<script>alert(1)</script>")
    async with console.browser() as browser:
        await console.sign_in(browser, "x@wuxi.gov.cn")
        page = await browser.get("/org/overview")
        assert "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert page.headers["cache-control"] == "no-store"
        bad = await browser.get("/org/overview?period=不是日期")
        assert bad.status_code == 400 and "没有看懂时间范围" in bad.text
        huge = await browser.post(
            "/org/signout", content=b"csrf=" + b"a" * 100_000, headers=SAME_SITE
        )
        assert huge.status_code == 413


async def test_an_organizer_on_telegram_and_in_the_console_is_one_person_with_one_role(console):
    store = console.service.store
    admin = store.operator()
    store.grant(admin, store.telegram_person(777001), "city:苏州")  # granted on Telegram first
    person = store.invite_by_email(
        admin, "wu@suzhou.gov.cn", "city:无锡", "吴科长", telegram_id=777001
    )
    assert person == store.telegram_person(777001)
    assert store.role(person) == ("organizer", "city:无锡")  # one role, the new scope
    assert [r["person_id"] for r in store.organizers()].count(person) == 1
    async with console.browser() as browser:
        await console.sign_in(browser, "wu@suzhou.gov.cn")
        assert "吴科长 · 无锡市" in (await browser.get("/org/overview")).text
    telegram_actor = console.service.actor(777001, 777001, channel="telegram")
    assert (telegram_actor.role, telegram_actor.scope) == ("organizer", "city:无锡")
    other = store.invite_by_email(admin, "other@suzhou.gov.cn", "city:苏州", "郑")
    from bot.store.signin import LinkRefused

    with pytest.raises(LinkRefused):  # an address of another person is not merged
        store.invite_by_email(admin, "other@suzhou.gov.cn", "city:苏州", "郑", telegram_id=777001)
    assert store.destination("email", "other@suzhou.gov.cn")["person_id"] == other


async def test_the_session_cookie_is_secure_over_https(console):
    invite(console, "https@wuxi.gov.cn", "city:无锡", "冯")
    token = await console.link_for("https@wuxi.gov.cn")
    transport = httpx.ASGITransport(app=console.app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as browser:
        signed = await browser.post(
            "/org/signin/link", data={"t": token}, headers={"origin": "https://testserver"}
        )
    assert signed.status_code == 303
    assert "; Secure" in signed.headers["set-cookie"] or "; secure" in signed.headers["set-cookie"]


# ---- told that questions wait --------------------------------------------------------------------


def forwarded_by(console: Console, chat: int, city: str, question: str) -> None:
    """An enterprise of ``city`` asks what the notice does not say and taps 转给本市组织单位."""
    from conversations.core import CallbackEvent, TextEvent, UpdateProfile

    service = console.service
    actor = service.actor(chat, chat)
    with service.store.transaction():
        service.store.touch_user(chat, user_id=chat)
        service.store.apply(chat, UpdateProfile(city=city))
    [reply] = service.handle(actor, TextEvent(text=question)).replies
    [go] = [b.data for row in reply.buttons for b in row if b.label == texts.FWD_BUTTON_CITY]
    service.handle(actor, CallbackEvent(data=go))


async def test_the_organizer_is_mailed_that_questions_wait_at_most_once_an_hour(console):
    invite(console, "chen@wuxi.gov.cn", "city:无锡", "陈科长")
    invite(console, "wang@jxw.gov.cn", "province", "王处长")
    await console.dispatcher.drain("email")  # the invitations
    before = len(console.server.mailbox.received)
    forwarded_by(console, 11, "无锡", "获奖企业有奖金吗")
    await console.dispatcher.drain("email")
    [note] = console.server.mailbox.received[before:]
    assert note["To"] == "chen@wuxi.gov.cn"  # 无锡's organizer; the province is not bothered
    assert note["Subject"] == texts.FWD_NOTE_SUBJECT.format(n=1)
    assert f"{SITE}/org/unanswered" in text_of(note) and "无锡市的组织单位" in text_of(note)
    forwarded_by(console, 12, "无锡", "评上以后给不给奖金")
    await console.dispatcher.drain("email")
    assert len(console.server.mailbox.received) == before + 1  # within the hour: no second
    console.clock.set(2027, 3, 1, 10, 5)
    forwarded_by(console, 13, "无锡", "获评企业是否有资金奖励")
    await console.dispatcher.drain("email")
    latest = console.server.mailbox.received[-1]
    assert latest["To"] == "chen@wuxi.gov.cn"
    assert latest["Subject"] == texts.FWD_NOTE_SUBJECT.format(n=3)  # all three still wait
    forwarded_by(console, 14, "苏州", "获奖企业有奖金吗")  # no 苏州 organizer: the province
    await console.dispatcher.drain("email")
    assert console.server.mailbox.received[-1]["To"] == "wang@jxw.gov.cn"
