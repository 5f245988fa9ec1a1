"""The enterprise's own organizer first: the contact reply (/contact, 联系方式, 联系人, 人工) and
the contacts' sentence of every reply that sends the user to a person.

* ``contact_reply``: the cards of the enterprise's scopes (``scopes.scopes_of``: its city's, its
  association's, then the province's; never another city's), each labelled as its unit's, then
  the notice's contacts said as 2016's. Without a city in the profile it asks for the city with
  one tap (the 13 cities as buttons, ``m:city:<n>``) instead of guessing; the tap records the
  city (``UpdateProfile``) and shows the card (``city_chosen``).
* ``with_cards``: applied by the router to every outcome — a reply holding the notice's contacts'
  sentence ("可以咨询2016年通知所列联系人…": not in the notice, related, partial, another year,
  several questions, the calendar of a year not set, the self-check's next steps, the apply
  route) gets the organizer's card in front of that sentence, the sentence itself unchanged; a
  user without a city gets a button to choose it. A reply without that sentence (an off-topic
  decline, an answer) is left as it is: no contacts are added where there were none.
"""

from __future__ import annotations

from conversations import scopes, texts
from conversations.contacts import ContactCard, card_block, card_inline
from conversations.core import Button, Context, Outcome, Profile, Reply, UpdateProfile
from conversations.forwarding import CODE as FORWARD_CODE
from conversations.menu import MENU_CODE, back_button, contacts, doc, open_button

CITY_ACTION = "city"  # m:city:<n>, a menu button: the n-th of scopes.CITIES
CONTACT_ENTRY = "contact"  # the FAQ unit that gives the notice's contacts (联系人是谁)


def cards_for(ctx: Context, city: str | None, association: str | None) -> list[ContactCard]:
    """The cards of the enterprise's scopes, its own first, then the province's."""
    wanted = scopes.scopes_of(city, association)
    found = {card.scope: card for card in ctx.contact_cards(wanted) if card.scope in wanted}
    return [found[scope] for scope in wanted if scope in found]


def city_buttons() -> list[list[Button]]:
    return scopes.city_rows(MENU_CODE, CITY_ACTION)


def notice_contacts(ctx: Context) -> str:
    """The notice's contacts as the contact reply gives them (said as 2016's)."""
    c = ctx.kb.programme.contacts
    return texts.CONTACT.format(
        names="、".join(c.names), phones="、".join(c.phones), office=c.office, **doc(ctx)
    )


def contact_text(
    ctx: Context, profile: Profile, *, human: bool = False, notice: str | None = None
) -> tuple[str, bool]:
    """(the text, whether the city is to be asked): the cards first, then ``notice`` (the
    notice's contacts; an FAQ answer's own text when it gave them)."""
    cards = cards_for(ctx, profile.city, profile.association)
    own = [card for card in cards if card.scope != scopes.PROVINCE]
    parts = []
    if human:
        parts.append(texts.CONTACT_HUMAN_LEAD_CARDS if cards else texts.HUMAN_LEAD)
    elif cards:
        parts.append(texts.CONTACT_OWN_FIRST)
    parts += [card_block(card) for card in cards]
    city = scopes.city_name(profile.city or "")
    if city and not own:
        parts.append(texts.CONTACT_NO_CARD.format(where=scopes.label(f"city:{city}")))
    parts.append(notice if notice is not None else notice_contacts(ctx))
    if not city:
        parts.append(texts.CONTACT_ASK_CITY)
    return "\n\n".join(parts), not city


def contact_reply(ctx: Context, profile: Profile, *, human: bool = False) -> Reply:
    """联系方式, /contact, 人工: the enterprise's organizer's card first, then 2016's."""
    text, ask_city = contact_text(ctx, profile, human=human)
    rows = city_buttons() if ask_city else []
    return Reply(text=text, buttons=[*rows, back_button()])


def city_chosen(ctx: Context, profile: Profile, arg: str) -> tuple[Reply, UpdateProfile] | None:
    """One tap on a city: the reply with that city's card, and the profile's new city."""
    if not arg.isdigit() or int(arg) >= len(scopes.CITIES):
        return None
    city = scopes.CITIES[int(arg)]
    text, _ = contact_text(ctx, profile.model_copy(update={"city": city}))
    saved = texts.CONTACT_CITY_SAVED.format(city=city)
    reply = Reply(text=saved + "\n\n" + text, buttons=[back_button()])
    return reply, UpdateProfile(city=city)


def with_cards(ctx: Context, profile: Profile, outcome: Outcome) -> Outcome:
    """Every reply that names the notice's contacts names the enterprise's organizer first:
    the notice's own answer about its contacts (联系人是谁, asked or its 常见问题 button) gets
    the whole cards before it, any other reply the cards in front of the contacts' sentence."""
    sentence = contacts(ctx)
    answer = next((e.answer for e in ctx.kb.faq if e.id == CONTACT_ENTRY), None) or sentence
    if not any(sentence in r.text or answer in r.text for r in outcome.replies):
        return outcome
    profile = _as_updated(profile, outcome)
    replies = []
    for reply in outcome.replies:
        if answer in reply.text and outcome.kind != "multi":
            text, ask_city = contact_text(ctx, profile, notice=reply.text)
            rows = city_buttons() if ask_city else []
            reply = reply.model_copy(update={"text": text, "buttons": [*rows, *reply.buttons]})
        elif sentence in reply.text:
            reply = _named_first(ctx, profile, reply, sentence)
        replies.append(reply)
    return outcome.model_copy(update={"replies": replies})


def cards_first(ctx: Context, profile: Profile, text: str) -> str:
    """``text`` with the enterprise's organizers' cards before the notice's contacts wherever
    it names them (the result PDF too); unchanged when it keeps no card."""
    sentence = contacts(ctx)
    cards = cards_for(ctx, profile.city, profile.association)
    if not cards or sentence not in text:
        return text
    named = texts.CONTACT_CARDS_JOIN.join(card_inline(card) for card in cards)
    return text.replace(sentence, texts.CONTACT_THEN_2016.format(cards=named, contacts=sentence))


def _named_first(ctx: Context, profile: Profile, reply: Reply, sentence: str) -> Reply:
    text = cards_first(ctx, profile, reply.text)
    buttons = list(reply.buttons)
    # No organizer of its own to name: one tap on the city names it, after the way back to
    # a paused flow and the offer to forward the question (转给本市组织单位), if any.
    if len(scopes.scopes_of(profile.city, profile.association)) == 1:
        first = (f"{MENU_CODE}:resume:", f"{FORWARD_CODE}:")
        lead = 0
        while lead < len(buttons) and buttons[lead] and buttons[lead][0].data.startswith(first):
            lead += 1
        button = open_button(texts.CONTACT_CITY_BUTTON, "contact")
        buttons = [*buttons[:lead], [button], *buttons[lead:]]
    return reply.model_copy(update={"text": text, "buttons": buttons})


def _as_updated(profile: Profile, outcome: Outcome) -> Profile:
    """The profile as this very turn leaves it (a city chosen in the turn counts)."""
    for effect in outcome.effects:
        if isinstance(effect, UpdateProfile):
            changes = {k: v for k in ("city", "association") if (v := getattr(effect, k))}
            profile = profile.model_copy(update=changes)
    return profile
