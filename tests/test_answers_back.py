"""Answers back to the asker (issue 19, 4), as the people involved meet it: a 无锡 enterprise on
Telegram (the real Application polling the fake Bot API) and another on the web page ask what
the notice does not answer and tap 转给本市组织单位; the 无锡 organizer answers the group in the
console with 发布 ticked; the answer arrives on Telegram, by mail (a real SMTP server on
loopback) and on the web page's next visit, labelled as 无锡市经信委's; a paraphrase then gets
it at once, a 苏州 enterprise never; withdrawing stops it; the 苏州 organizer can neither see
nor answer 无锡's questions."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from datetime import timedelta

import httpx
import pytest

from bot.service import ChatService
from bot.store import Store
from bot.telegram.limits import Limits
from bot.web import WebLimits, build_web_app
from conversations import texts
from tests.driver import Clock
from tests.fake_bot_api import visible_text
from tests.mail_server import MailServer, mail_settings, text_of
from tests.web_visitor import Visitor

SITE = "http://testserver"
SAME_SITE = {"origin": SITE}
LINK = re.compile(re.escape(SITE) + r"/org/signin/link\?t=(\S+)")
FAST = dataclasses.replace(Limits(), network_backoff=0.05, poll=0.2, flood_burst=50)
WUXI_TG, WUXI_TG2, SUZHOU_TG = 6101, 6102, 6201
WUXI_MAIL = "huaguang@wuxi.example.cn"
QUESTION = "申报材料可以用快递寄过去吗"
ON_THE_WEB = "申报材料可以快递寄过去吗？"
PARAPHRASE = "我们的申报材料可以用快递寄过去吗"
ANSWER = "可以。请用EMS寄到无锡市经信委科技处，信封注明“质量标杆申报”。"
LABEL = "无锡市经信委答复（2027-03-02，组织单位答复，非通知原文）："
DECLINE = "中没有关于这个问题的规定"


@dataclasses.dataclass
class World:
    service: ChatService
    app: object
    server: MailServer
    clock: Clock

    @property
    def store(self) -> Store:
        return self.service.store

    def browser(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=SITE)

    async def console(self, address: str) -> httpx.AsyncClient:
        """A browser signed in to the console with the link of the invitation mailed to
        ``address`` (sent by the running dispatcher)."""
        mail = await mailed(self.server, address)
        browser = self.browser()
        token = LINK.search(text_of(mail)).group(1)
        signed = await browser.post("/org/signin/link", data={"t": token}, headers=SAME_SITE)
        assert signed.status_code == 303, signed.text
        return browser


async def mailed(server: MailServer, address: str, count: int = 1):
    """The ``count``-th mail to ``address``, waiting for it (the dispatcher sends on its own)."""
    for _ in range(250):
        if len(found := server.mailbox.to(address)) >= count:
            return found[count - 1]
        await asyncio.sleep(0.02)
    raise AssertionError(f"no mail #{count} to {address}")


def telegram_enterprise(store: Store, chat_id: int, city: str | None) -> int:
    """An enterprise on Telegram (its person, its city); the person's id."""
    person = store.telegram_person(chat_id)
    store.touch_user(chat_id, user_id=chat_id, person_id=person)
    store.db.execute("UPDATE users SET city = ? WHERE chat_id = ?", [city, chat_id])
    return person


@pytest.fixture
async def world(tmp_path, fake_bot_api, bot_runner):
    with MailServer() as server:
        settings = mail_settings(
            tmp_path / "data",
            server,
            public_url=SITE,
            telegram_token="123456:TEST-TOKEN",
            telegram_base_url=fake_bot_api.base_url,
        )
        clock = Clock(2027, 3, 1, 9, 0)
        service = ChatService.open(settings, clock=clock)
        store = service.store
        operator = store.operator()
        store.invite_by_email(operator, "chen@wuxi.gov.cn", "city:无锡", "陈科长")
        store.invite_by_email(operator, "zhou@suzhou.gov.cn", "city:苏州", "周科长")
        with store.transaction():
            person = telegram_enterprise(store, WUXI_TG, "无锡市")
            telegram_enterprise(store, WUXI_TG2, "无锡")
            telegram_enterprise(store, SUZHOU_TG, "苏州")
            email = store.ensure_destination("email", WUXI_MAIL, person)
            store.db.execute("UPDATE destinations SET verified = 1 WHERE id = ?", [email])
            store.subscribe(WUXI_TG, 2027, destination_id=email)
        app = build_web_app(
            settings, service, WebLimits(session_per_second=0, address_per_second=0)
        )
        await bot_runner.start(service, limits=FAST, settings=settings)
        yield World(service, app, server, clock)
        await bot_runner.stop_all()
        service.close()


async def shown(fake_bot_api, chat_id: int) -> str:
    call = await fake_bot_api.wait_for_reply(chat_id)
    return visible_text(call.text, call.params.get("parse_mode"))


def labels(fake_bot_api, chat_id: int) -> list[str]:
    markup = fake_bot_api.last_bot_message(chat_id, with_buttons=True)["reply_markup"]
    return [b["text"] for row in markup["inline_keyboard"] for b in row]


async def ask_on_telegram(fake_bot_api, chat_id: int, text: str) -> str:
    fake_bot_api.send_text(chat_id, text)
    return await shown(fake_bot_api, chat_id)


async def until(check, what: str) -> None:
    for _ in range(250):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"never: {what}")


def messages_of(store: Store, channel: str) -> list[tuple[str, str]]:
    return store.db.execute(
        "SELECT status, payload FROM messages WHERE kind = 'answer' AND channel = ?", [channel]
    ).fetchall()


async def test_a_question_goes_to_wuxi_and_the_answer_comes_back_everywhere(fake_bot_api, world):
    store = world.store
    world.clock.set(2027, 3, 2, 10, 0)
    # 1. On Telegram: the notice has no answer; the decline offers the button.
    declined = await ask_on_telegram(fake_bot_api, WUXI_TG, QUESTION)
    assert DECLINE in declined
    assert labels(fake_bot_api, WUXI_TG)[0] == texts.FWD_BUTTON_CITY
    fake_bot_api.press_label(WUXI_TG, texts.FWD_BUTTON_CITY)
    confirmed = await shown(fake_bot_api, WUXI_TG)
    assert confirmed.startswith(f"已把您的问题转给无锡市的组织单位：“{QUESTION}”")
    # 2. On the web page, without a city: one tap on the city, then it goes.
    async with world.browser() as client:
        visitor = Visitor(client)
        await visitor.open()
        [reply] = [m for m in await visitor.say(ON_THE_WEB) if m["from"] == "bot"]
        assert DECLINE in reply["text"]
        asked_city = await visitor.press(texts.FWD_BUTTON_CITY)
        assert asked_city[-1]["text"] == texts.FWD_ASK_CITY
        done = await visitor.press("无锡")
        assert done[-1]["text"].startswith("已把您的问题转给无锡市的组织单位")
    web_chat = store.db.execute(
        "SELECT chat_id FROM unanswered WHERE text = ?", [ON_THE_WEB]
    ).fetchone()[0]
    assert store.profile(web_chat).city == "无锡"
    rows = store.db.execute(
        "SELECT scope, channel, person_id IS NOT NULL FROM unanswered WHERE scope IS NOT NULL"
        " ORDER BY id"
    ).fetchall()
    assert rows == [("city:无锡", "telegram", 1), ("city:无锡", "web", 1)]

    # 3. The 苏州 organizer sees nothing of it, and cannot answer it.
    suzhou = await world.console("zhou@suzhou.gov.cn")
    waiting = texts.ORG_FWD_WAITING.format(n=2)
    assert waiting not in (await suzhou.get("/org/overview")).text  # not 苏州's to answer
    page = await suzhou.get("/org/unanswered")
    assert page.status_code == 200 and "快递" not in page.text
    assert texts.ORG_FWD_NONE.format(scope="苏州市") in page.text
    ids = ",".join(str(i) for (i,) in store.db.execute("SELECT id FROM unanswered"))
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)
    forged = {"csrf": csrf, "q": ids, "text": "可以", "unit": "苏州市经信委", "publish": "1"}
    refused = await suzhou.post("/org/unanswered/answer", data=forged, headers=SAME_SITE)
    assert refused.status_code == 403 and "没有读取或发送任何内容" in refused.text
    assert store.db["local_answers"].count == 0 and messages_of(store, "telegram") == []

    # 4. The 无锡 organizer sees one group of two askers and answers it, published.
    wuxi = await world.console("chen@wuxi.gov.cn")
    assert waiting in (await wuxi.get("/org/overview")).text  # said where 无锡 lands
    page = await wuxi.get("/org/unanswered")
    assert f"<h3>{QUESTION}</h3>" in page.text and "2 家企业问过 · 转给无锡市" in page.text
    assert ON_THE_WEB in page.text  # the other wording of the group
    [ids] = re.findall(r'name="q" value="([\d,]+)"', page.text)
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)
    empty = {"csrf": csrf, "q": ids, "text": " ", "unit": "无锡市经信委"}
    again = await wuxi.post("/org/unanswered/answer", data=empty, headers=SAME_SITE)
    assert again.status_code == 400 and texts.ORG_FWD_ERRORS["empty"] in again.text
    answer = {"csrf": csrf, "q": ids, "text": ANSWER, "unit": "无锡市经信委", "publish": "1"}
    sent = await wuxi.post("/org/unanswered/answer", data=answer, headers=SAME_SITE)
    assert sent.status_code == 303 and sent.headers["location"].endswith("done=published")

    # 5. It arrives: Telegram, the mail, the web page on the next visit — each labelled.
    call = await fake_bot_api.wait_for("sendMessage", chat_id=WUXI_TG, timeout=10)
    arrived = visible_text(call.text, call.params.get("parse_mode"))
    assert f"您之前问：“{QUESTION}”" in arrived and f"{LABEL}\n{ANSWER}" in arrived
    mail = await mailed(world.server, WUXI_MAIL)
    assert mail["Subject"] == "无锡市经信委答复了您的问题" and LABEL in text_of(mail)
    await until(lambda: messages_of(store, "web") and messages_of(store, "web")[0][0] == "sent",
                "the web page's row sent")  # fmt: skip
    async with world.browser() as client:  # a fresh visit from another browser: nothing of it
        stranger = await Visitor(client).open()
        assert all(LABEL not in m["text"] for m in stranger)
    web_session = {"biaogan_session": visitor.client.cookies["biaogan_session"]}
    async with world.browser() as client:
        client.cookies.update(web_session)
        revisit = await Visitor(client).open()
        [notice] = [m for m in revisit if LABEL in m["text"]]
        assert notice["new"] and f"您之前问：“{ON_THE_WEB}”" in notice["text"]
    page = await wuxi.get("/org/unanswered?done=published")
    assert texts.ORG_FWD_NONE.format(scope="无锡市") in page.text  # the group is answered
    assert "无锡市经信委 · 陈科长 · 2027-03-02 10:00" in page.text and ANSWER in page.text

    # 6. A paraphrase from another 无锡 enterprise: the published answer at once, labelled.
    world.clock.now += timedelta(hours=1)
    local = await ask_on_telegram(fake_bot_api, WUXI_TG2, PARAPHRASE)
    assert local.startswith(f"{LABEL}\n{ANSWER}") and "不是" not in local[: len(LABEL)]
    assert "以上是无锡市经信委给本地区企业的答复" in local
    assert texts.FWD_BUTTON_CITY not in labels(fake_bot_api, WUXI_TG2)
    asked = store.db.execute("SELECT count(*) FROM unanswered WHERE chat_id = ?", [WUXI_TG2])
    assert asked.fetchone()[0] == 0  # answered: not an unanswered question
    # …a 苏州 enterprise asking the same gets the notice's decline, never 无锡's answer.
    elsewhere = await ask_on_telegram(fake_bot_api, SUZHOU_TG, PARAPHRASE)
    assert DECLINE in elsewhere and ANSWER not in elsewhere and "无锡" not in elsewhere
    assert labels(fake_bot_api, SUZHOU_TG)[0] == texts.FWD_BUTTON_CITY

    # 7. The 苏州 organizer cannot withdraw it; the 无锡 one does, and it is no longer given.
    [answer_id] = [i for (i,) in store.db.execute("SELECT id FROM local_answers")]
    page = await suzhou.get("/org/unanswered")
    assert ANSWER not in page.text
    forged = await suzhou.post(f"/org/unanswered/answers/{answer_id}/withdraw",
                               data={"csrf": csrf_of(page.text)}, headers=SAME_SITE)  # fmt: skip
    assert forged.status_code == 403
    page = await wuxi.get("/org/unanswered")
    withdrawn = await wuxi.post(f"/org/unanswered/answers/{answer_id}/withdraw",
                                data={"csrf": csrf_of(page.text)}, headers=SAME_SITE)  # fmt: skip
    assert withdrawn.status_code == 303
    page = await wuxi.get("/org/unanswered?done=withdrawn")
    assert "已于 2027-03-02 11:00 撤回（陈科长）" in page.text
    after = await ask_on_telegram(fake_bot_api, WUXI_TG2, PARAPHRASE)
    assert DECLINE in after and ANSWER not in after
    actions = [r["action"] for r in store.audit_rows(store.operator())]
    assert "answer" in actions and "answer_withdraw" in actions
    await suzhou.aclose()
    await wuxi.aclose()


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
