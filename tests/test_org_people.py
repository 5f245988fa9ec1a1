"""组织单位 in the organizers' console (bot/org/people.py): an admin invites from the page and the
mail reaches a real SMTP server on loopback, scopes change and revocations take effect on the
other person's open session at once; organizers get 403 and forged forms write nothing."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from bot.config import Settings
from bot.runtime import Knobs, make_dispatcher, web_transport
from bot.service import ChatService
from bot.store import NotAllowed
from bot.store.organizers import RoleRefused
from bot.web import WebLimits, build_web_app
from conversations import texts
from tests.driver import Clock
from tests.mail_server import MailServer, text_of
from tests.test_org import LINK, SAME_SITE, SITE, Console, csrf_of

ADMIN = "wang@jseic.gov.cn"
WRITTEN = ("people", "destinations", "organizers", "audit", "messages", "signin_tokens")


@pytest.fixture
def clock():
    return Clock(2027, 3, 1, 9, 0)


@pytest.fixture
def server():
    with MailServer() as running:
        yield running


def open_console(tmp_path, server: MailServer, clock: Clock, *, smtp: bool = True) -> Console:
    mail = {"smtp_host": "127.0.0.1", "smtp_port": server.port, "smtp_tls": "none"} if smtp else {}
    settings = Settings(
        _env_file=None, data_dir=tmp_path / "data", smtp_rate=0, public_url=SITE, **mail
    )
    service = ChatService.open(settings, clock=clock)
    dispatcher = make_dispatcher(service, [web_transport(service)], Knobs(poll=3600))
    app = build_web_app(settings, service, WebLimits(session_per_second=0, address_per_second=0))
    return Console(service, dispatcher, app, server, clock)


@pytest.fixture
async def console(tmp_path, server, clock):
    running = open_console(tmp_path, server, clock)
    yield running
    await running.dispatcher.stop()
    running.service.close()


async def signed_in_admin(console: Console, address: str = ADMIN, name: str = "王处长"):
    """A browser signed in as an e-mail admin (made at the command line), and their id."""
    store = console.service.store
    person = store.invite_by_email(store.operator(), address, "province", name, admin=True)
    browser = console.browser()
    await console.sign_in(browser, address)
    return browser, person


async def signed_in_organizer(console: Console, address: str, scope: str, name: str):
    store = console.service.store
    person = store.invite_by_email(store.operator(), address, scope, name)
    browser = console.browser()
    await console.sign_in(browser, address)
    return browser, person


async def token_of(browser: httpx.AsyncClient, path: str = "/org/organizers") -> str:
    return csrf_of((await browser.get(path)).text)


async def mail_arrives(server: MailServer, address: str, count: int = 1) -> str:
    """The newest mail to ``address`` once ``count`` have arrived (the event loop keeps
    running meanwhile: the dispatcher sends on it)."""
    for _ in range(200):
        if len(server.mailbox.to(address)) >= count:
            return text_of(server.mailbox.to(address)[-1])
        await asyncio.sleep(0.025)
    raise AssertionError(f"no mail to {address}")


def snapshot(console: Console) -> dict[str, list]:
    db = console.service.store.db
    return {table: list(db[table].rows) for table in WRITTEN}


# ---- the whole path --------------------------------------------------------------------------


async def test_an_admin_invites_moves_and_revokes_an_organizer_whose_session_follows(console):
    admin, admin_id = await signed_in_admin(console)
    console.dispatcher.start()  # from here on mail goes when the page wakes the dispatcher
    await asyncio.sleep(0.1)  # its workers are idle, for an hour (poll), unless woken
    listing = await admin.get("/org/organizers")
    assert 'href="/org/organizers" aria-current="page"' in listing.text
    form = await admin.get("/org/organizers/invite")
    assert "无锡市" in form.text and "全省" in form.text
    invited = await admin.post(
        "/org/organizers/invite",
        data={"csrf": csrf_of(form.text), "email": "Chen@Wuxi.gov.cn ", "name": " 陈科长 ",
              "scope": "city:无锡", "assoc": ""},
        headers=SAME_SITE,
    )  # fmt: skip
    assert invited.status_code == 200
    assert "邀请邮件已发给 陈科长 &lt;Chen@wuxi.gov.cn&gt;（组织单位（无锡市））" in invited.text
    assert "/org/signin/link?t=" not in invited.text  # with SMTP the link goes by mail only
    mail = await mail_arrives(console.server, "Chen@wuxi.gov.cn")  # woken, not polled (1 h)
    assert "无锡市" in mail and "陈科长" in mail

    async with console.browser() as organizer:
        token = LINK.search(mail).group(1)
        signed = await organizer.post("/org/signin/link", data={"t": token}, headers=SAME_SITE)
        assert signed.status_code == 303
        page = await organizer.get("/org/overview")
        assert "陈科长 · 无锡市" in page.text and 'href="/org/organizers"' not in page.text
        person = console.service.store.destination("email", "Chen@wuxi.gov.cn")["person_id"]

        listing = (await admin.get("/org/organizers")).text
        row = re.search(rf'<tr id="person-{person}">.*?</tr>', listing, re.S).group(0)
        assert "陈科长" in row and "Chen@wuxi.gov.cn" in row and "无锡市" in row
        assert "2027-03-01 09:00" in row and "王处长" in row  # granted and last signed in
        assert texts.ORG_PEOPLE_NEVER not in row

        moved = await admin.post(
            f"/org/organizers/{person}/scope",
            data={"csrf": csrf_of(listing), "scope": "city:苏州", "assoc": ""},
            headers=SAME_SITE,
        )
        assert moved.status_code == 200 and "陈科长 的范围已改为苏州市" in moved.text
        assert "陈科长 · 苏州市" in (await organizer.get("/org/overview")).text

        confirm = await admin.get(f"/org/organizers/{person}/revoke")
        assert confirm.status_code == 200
        assert "陈科长（Chen@wuxi.gov.cn）的组织单位（苏州市）权限" in confirm.text
        assert (await organizer.get("/org/overview")).status_code == 200  # a GET revokes nothing
        revoked = await admin.post(
            f"/org/organizers/{person}/revoke",
            data={"csrf": csrf_of(confirm.text)},
            headers=SAME_SITE,
        )
        assert revoked.status_code == 200 and "已撤销 陈科长 的权限" in revoked.text
        assert f'id="person-{person}"' not in revoked.text

        gone = await organizer.get("/org/overview")
        assert gone.status_code == 303 and gone.headers["location"] == "/org/signin"
        form_post = await organizer.post(
            "/org/signout", data={"csrf": csrf_of(page.text)}, headers=SAME_SITE
        )
        assert form_post.status_code == 401
    store = console.service.store
    assert store.role(person) is None
    rows = [(r["action"], r["actor"], r["scope"]) for r in store.audit_rows(admin_id)][:3]
    assert rows == [("revoke", admin_id, "city:苏州"), ("grant", admin_id, "city:苏州"),
                    ("signin", person, None)]  # fmt: skip
    grant = next(r for r in store.audit_rows(admin_id) if r["action"] == "grant")
    assert '"from": "city:无锡"' in grant["detail"] and f'"person_id": {person}' in grant["detail"]
    assert not store.request_signin("Chen@wuxi.gov.cn")  # no new link for them either
    await admin.aclose()


async def test_an_association_is_named_on_the_invite_form_and_offered_afterwards(console):
    admin, _ = await signed_in_admin(console)
    invited = await admin.post(
        "/org/organizers/invite",
        data={"csrf": await token_of(admin), "email": "liu@jsmia.org.cn", "name": "刘秘书长",
              "scope": "assoc", "assoc": "江苏省机械行业协会"},
        headers=SAME_SITE,
    )  # fmt: skip
    assert invited.status_code == 200 and "组织单位（江苏省机械行业协会）" in invited.text
    person = console.service.store.destination("email", "liu@jsmia.org.cn")["person_id"]
    assert console.service.store.role(person) == ("organizer", "assoc:江苏省机械行业协会")
    listing = (await admin.get("/org/organizers")).text
    assert '<option value="assoc:江苏省机械行业协会" selected>' in listing
    await console.dispatcher.drain("email")
    assert "江苏省机械行业协会" in text_of(console.server.mailbox.to("liu@jsmia.org.cn")[-1])
    await admin.aclose()


async def test_a_second_admin_is_invited_listed_and_revoked_but_never_oneself(console):
    admin, admin_id = await signed_in_admin(console)
    invited = await admin.post(
        "/org/organizers/invite",
        data={"csrf": await token_of(admin), "email": "zhao@jseic.gov.cn", "name": "赵科长",
              "scope": "", "admin": "1"},
        headers=SAME_SITE,
    )  # fmt: skip
    assert invited.status_code == 200 and "（管理员）" in invited.text
    async with console.browser() as second:
        await console.sign_in(second, "zhao@jseic.gov.cn")
        listing = (await second.get("/org/organizers")).text
        assert listing.count(texts.ORG_PEOPLE_ADMIN) == 2 and "王处长" in listing
        other = console.service.store.destination("email", "zhao@jseic.gov.cn")["person_id"]

        own = await admin.get(f"/org/organizers/{admin_id}/revoke")
        assert own.status_code == 409 and texts.ORG_PEOPLE_REFUSED["self"] in own.text
        assert "button warning" not in own.text
        before = snapshot(console)
        itself = await admin.post(
            f"/org/organizers/{admin_id}/revoke", data={"csrf": csrf_of(own.text)},
            headers=SAME_SITE,
        )  # fmt: skip
        assert itself.status_code == 409 and snapshot(console) == before
        moved = await admin.post(
            f"/org/organizers/{other}/scope",
            data={"csrf": csrf_of(own.text), "scope": "city:南京"},
            headers=SAME_SITE,
        )
        assert moved.status_code == 400 and snapshot(console) == before

        revoked = await admin.post(
            f"/org/organizers/{other}/revoke", data={"csrf": csrf_of(own.text)},
            headers=SAME_SITE,
        )  # fmt: skip
        assert revoked.status_code == 200 and "已撤销 赵科长 的权限" in revoked.text
        assert (await second.get("/org/organizers")).status_code == 303
    store = console.service.store
    assert store.role(other) is None and store.role(admin_id) == ("admin", "province")
    with pytest.raises(RoleRefused) as refused:  # from the command line, too
        store.revoke_role(store.operator(), admin_id)
    assert refused.value.reason == "last_admin" and store.role(admin_id) is not None
    own = await admin.get(f"/org/organizers/{admin_id}/revoke")
    assert own.status_code == 409
    await admin.aclose()


async def test_without_smtp_the_page_gives_the_link_to_hand_over(tmp_path, server, clock):
    console = open_console(tmp_path, server, clock, smtp=False)
    try:
        admin, _ = await signed_in_admin_by_hand(console)
        invited = await admin.post(
            "/org/organizers/invite",
            data={"csrf": await token_of(admin), "email": "qian@nj.gov.cn", "name": "钱",
                  "scope": "city:南京"},
            headers=SAME_SITE,
        )  # fmt: skip
        assert invited.status_code == 200 and "没有设置邮件服务器" in invited.text
        token = re.search(r"/org/signin/link\?t=([\w-]+)</code>", invited.text).group(1)
        async with console.browser() as organizer:
            signed = await organizer.post("/org/signin/link", data={"t": token}, headers=SAME_SITE)
            assert signed.status_code == 303
            assert "钱 · 南京市" in (await organizer.get("/org/overview")).text
        await admin.aclose()
    finally:
        await console.dispatcher.stop()
        console.service.close()


async def signed_in_admin_by_hand(console: Console):
    """Without SMTP: the admin's link as ``biaogan web --admin`` prints it."""
    store = console.service.store
    person = store.invite_by_email(store.operator(), ADMIN, "province", "王处长", admin=True)
    token = store.signin_link_token(person, purpose="invite")
    browser = console.browser()
    signed = await browser.post("/org/signin/link", data={"t": token}, headers=SAME_SITE)
    assert signed.status_code == 303
    return browser, person


# ---- refusals --------------------------------------------------------------------------------


async def test_an_organizer_gets_403_on_every_people_page_and_writes_nothing(console):
    other = console.service.store.invite_by_email(
        console.service.store.operator(), "he@sz.gov.cn", "city:苏州", "何"
    )
    browser, person = await signed_in_organizer(console, "xu@wuxi.gov.cn", "city:无锡", "徐")
    page = (await browser.get("/org/overview")).text
    assert 'href="/org/organizers"' not in page
    token = csrf_of(page)
    before = snapshot(console)
    for path in ("/org/organizers", "/org/organizers/invite", f"/org/organizers/{other}/revoke"):
        refused = await browser.get(path)
        assert refused.status_code == 403, path
        assert texts.ORG_PEOPLE_ADMINS_ONLY in refused.text
    posts = {
        "/org/organizers/invite": {"email": "new@wuxi.gov.cn", "name": "新", "scope": "province",
                                   "admin": "1"},
        f"/org/organizers/{other}/scope": {"scope": "city:无锡"},
        f"/org/organizers/{person}/scope": {"scope": "province"},
        f"/org/organizers/{other}/revoke": {},
    }  # fmt: skip
    for path, data in posts.items():
        refused = await browser.post(path, data={"csrf": token, **data}, headers=SAME_SITE)
        assert refused.status_code == 403, path
        assert texts.ORG_PEOPLE_ADMINS_ONLY in refused.text
    assert snapshot(console) == before
    store = console.service.store
    assert store.role(other) == ("organizer", "city:苏州")
    assert store.role(person) == ("organizer", "city:无锡")
    await browser.aclose()


async def test_forged_and_replayed_forms_are_refused_with_nothing_written(console):
    admin, _ = await signed_in_admin(console)
    store = console.service.store
    organizer = store.invite_by_email(store.operator(), "ma@yz.gov.cn", "city:扬州", "马")
    enterprise = store.telegram_person(4242)  # a person, but no organizer
    old_browser, _ = await signed_in_admin(console, "old@jseic.gov.cn", "老管理员")
    replayed = await token_of(old_browser)  # a token of another session
    await old_browser.aclose()
    token = await token_of(admin)
    before = snapshot(console)

    async def post(path: str, data: dict, headers: dict | None = SAME_SITE) -> httpx.Response:
        return await admin.post(path, data=data, headers=headers)

    for person in (enterprise, 999_999, 2**64):
        for action, data in (("scope", {"scope": "city:苏州"}), ("revoke", {})):
            refused = await post(f"/org/organizers/{person}/{action}", {"csrf": token, **data})
            assert refused.status_code == 404, (person, action)
            assert texts.ORG_PEOPLE_REFUSED["not_organizer"] in refused.text
    assert (await admin.get(f"/org/organizers/{enterprise}/revoke")).status_code == 404
    for scope in ("city:上海", "all", "assoc:", "assoc:a:b", "city:苏州 ", ""):
        refused = await post(f"/org/organizers/{organizer}/scope", {"csrf": token, "scope": scope})
        assert refused.status_code == 400, scope
        assert texts.ORG_PEOPLE_BAD_SCOPE in refused.text
    named = await post(
        f"/org/organizers/{organizer}/scope", {"csrf": token, "scope": "assoc", "assoc": "x"}
    )
    assert named.status_code == 400 and texts.ORG_PEOPLE_BAD_ASSOC in named.text
    assert 'aria-invalid="true" aria-describedby="error-' in named.text
    assert 'value="x"' in named.text
    scope_form = {"scope": "city:苏州"}
    revoke = f"/org/organizers/{organizer}/revoke"
    for data, headers in (
        (scope_form, SAME_SITE),  # no token
        ({"csrf": replayed, **scope_form}, SAME_SITE),  # another session's token
        ({"csrf": token, **scope_form}, None),  # no Origin
        ({"csrf": token, **scope_form}, {"origin": "http://evil.example"}),
    ):
        for path in (f"/org/organizers/{organizer}/scope", revoke, "/org/organizers/invite"):
            form = {**data, "email": "e@x.cn", "name": "e"}
            assert (await post(path, form, headers)).status_code == 403, (path, data, headers)
    forged_invite = await post(
        "/org/organizers/invite",
        {"csrf": token, "email": "e@x.cn", "name": "e", "scope": "city:北京"},
    )
    assert forged_invite.status_code == 400 and texts.ORG_PEOPLE_BAD_SCOPE in forged_invite.text
    assert snapshot(console) == before
    assert store.role(organizer) == ("organizer", "city:扬州")
    await admin.aclose()


async def test_the_invite_form_says_what_is_wrong_beside_each_field_and_keeps_it(console):
    admin, _ = await signed_in_admin(console)
    before = snapshot(console)
    token = await token_of(admin)
    typed = {"csrf": token, "email": "not-an-address", "name": "   ", "scope": ""}
    wrong = await admin.post("/org/organizers/invite", data=typed, headers=SAME_SITE)
    assert wrong.status_code == 400 and texts.ORG_PEOPLE_FIX in wrong.text
    for field, message in (
        ("email", texts.ORG_PEOPLE_BAD_EMAIL),
        ("name", texts.ORG_PEOPLE_BAD_NAME),
        ("scope", texts.ORG_PEOPLE_BAD_SCOPE),
    ):
        assert f'<p class="field-error" id="{field}-error">{message}</p>' in wrong.text
    assert 'value="not-an-address"' in wrong.text
    typed = {"csrf": token, "email": "a@b.cn", "name": "<b>周</b>", "scope": "assoc", "assoc": "协"}
    wrong = await admin.post("/org/organizers/invite", data=typed, headers=SAME_SITE)
    assert wrong.status_code == 400 and texts.ORG_PEOPLE_BAD_ASSOC in wrong.text
    assert 'id="email-error"' not in wrong.text and 'value="a@b.cn"' in wrong.text
    assert 'value="&lt;b&gt;周&lt;/b&gt;"' in wrong.text and "<b>周" not in wrong.text
    assert '<option value="assoc" selected>' in wrong.text and 'value="协"' in wrong.text
    long_name = {**typed, "name": "名" * 41, "scope": "city:南京"}
    wrong = await admin.post("/org/organizers/invite", data=long_name, headers=SAME_SITE)
    assert wrong.status_code == 400 and texts.ORG_PEOPLE_BAD_NAME in wrong.text
    own = {**long_name, "name": "王", "email": "wang@JSEIC.gov.cn"}  # an admin as organizer?
    wrong = await admin.post("/org/organizers/invite", data=own, headers=SAME_SITE)
    assert wrong.status_code == 400 and texts.ORG_PEOPLE_ALREADY_ADMIN in wrong.text
    assert snapshot(console) == before
    await admin.aclose()


async def test_the_store_itself_refuses_people_changes_from_an_organizer(console):
    store = console.service.store
    organizer = store.invite_by_email(store.operator(), "xu@wuxi.gov.cn", "city:无锡", "徐")
    other = store.invite_by_email(store.operator(), "he@sz.gov.cn", "city:苏州", "何")
    before = snapshot(console)
    with pytest.raises(NotAllowed):
        store.console_people(organizer)
    with pytest.raises(NotAllowed):
        store.change_scope(organizer, other, "city:无锡")
    with pytest.raises(NotAllowed):
        store.revoke_role(organizer, other)
    with pytest.raises(NotAllowed):
        store.invite_by_email(organizer, "new@wuxi.gov.cn", "city:无锡", "新")
    with pytest.raises(ValueError):
        store.change_scope(store.operator(), other, "city:上海")
    assert snapshot(console) == before
