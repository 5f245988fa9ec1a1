"""What the profile's typed fields must look like: an association's name, a contact person, a
phone number or an e-mail address. Pure; each reader returns the value as it is kept, or raises
``ValueError`` with the reason in Chinese (shown to the user as it is).

Used by the profile flow (``conversations.flows.profile``) and by the store's migration that
clears the free text kept as associations before this check existed (``bot.store.schema_profile``).
"""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from conversations import texts
from conversations.scopes import ASSOC_NAME_LENGTH

ASSOCIATION_ENDINGS = ("协会", "商会", "联合会")
# Words of a sentence about oneself or a doubt, never of an association's name.
SENTENCE_WORDS = ("我", "你", "不知道", "不清楚", "好像", "可能", "应该", "是不是", "还是",
                  "或者", "什么", "哪个", "哪些", "怎么", "请问", "谢谢")  # fmt: skip
QUESTION_MARKS = ("?", "？", "吗", "呢", "吧")
PERSON_LENGTH = (2, 20)
MAX_ADDRESS = 254  # RFC 5321's limit on a forward path
_QUOTES = "“”\"'「」《》<>【】 "
_PUNCTUATION = re.compile(r"[\s,，。.!！;；:：、…~～]")
_DIGITS = re.compile(r"\d")
# A mainland mobile (11 digits, 1[3-9]…), optionally after +86 / 86 / 0086.
_MOBILE = re.compile(r"(?:\+?86|0086)?(1[3-9]\d{9})")
# A landline: the area code (010, 02x: three digits; else four) and 7–8 digits, an extension
# after 转 / - / ext.
_LANDLINE = re.compile(
    r"(0(?:10|2\d|[3-9]\d{2}))-?([1-9]\d{6,7})(?:(?:转|-|ext\.?)(\d{1,6}))?", re.IGNORECASE
)


def association_name(text: str) -> str:
    """The association's name as typed (quotes and spaces around it removed), if it reads as
    one: 2–40 characters ending in 协会, 商会 or 联合会, not a question, not a sentence."""
    name = text.strip().strip(_QUOTES)
    low, high = ASSOC_NAME_LENGTH
    if any(mark in name for mark in QUESTION_MARKS) or any(w in name for w in SENTENCE_WORDS):
        raise ValueError(texts.PROFILE_WHY_SENTENCE)
    if _PUNCTUATION.search(name) or name.startswith("/") or ":" in name:
        raise ValueError(texts.PROFILE_WHY_SENTENCE)
    if not name.endswith(ASSOCIATION_ENDINGS):
        raise ValueError(texts.PROFILE_WHY_ENDING)
    stem = name.removesuffix("联合会").removesuffix("协会").removesuffix("商会")
    if len(name) < low or len(bare_name(stem)) < 2:
        raise ValueError(texts.PROFILE_WHY_ASSOC_SHORT)
    if len(name) > high:
        raise ValueError(texts.PROFILE_WHY_ASSOC_LONG.format(high=high))
    return name


def is_association_name(text: str | None) -> bool:
    try:
        association_name(text or "")
    except ValueError:
        return False
    return True


def bare_name(name: str) -> str:
    """An association's name without the province in front, for comparing what was typed with
    the organizers' own (江苏省机械行业协会 and 机械行业协会 are one)."""
    return name.removeprefix("江苏省").removeprefix("江苏").removeprefix("省")


def person_name(text: str) -> str:
    """A contact person as typed (a name, perhaps with a title: 王经理, 张伟（质量部）)."""
    name = " ".join(text.strip().strip(_QUOTES).split())
    if "@" in name or "＠" in name or len(_DIGITS.findall(name)) >= 5:
        raise ValueError(texts.PROFILE_WHY_PERSON_CONTACT)
    if any(mark in name for mark in QUESTION_MARKS) or name.startswith("/"):
        raise ValueError(texts.PROFILE_WHY_PERSON_SENTENCE)
    low, high = PERSON_LENGTH
    if not low <= len(name) <= high:
        raise ValueError(texts.PROFILE_WHY_PERSON_LENGTH.format(low=low, high=high))
    return name


def contact_point(text: str) -> str:
    """A phone number (mobile 13812345678, landline 0512-12345678, an extension 转123) or an
    e-mail address, as kept: digits grouped the usual way, the address normalized."""
    typed = text.strip().strip(_QUOTES)
    if "@" in typed or "＠" in typed:
        return _address(typed)
    compact = re.sub(r"[\s\-－—()（）]", "", typed.replace("－", "-"))
    if match := _MOBILE.fullmatch(compact):
        return match.group(1)
    spaced = re.sub(r"[\s()（）]", "", typed).replace("－", "-").replace("—", "-")
    if match := _LANDLINE.fullmatch(spaced) or _LANDLINE.fullmatch(compact):
        area, number, extension = match.groups()
        return f"{area}-{number}" + (f"转{extension}" if extension else "")
    if _DIGITS.search(typed):
        raise ValueError(texts.PROFILE_WHY_PHONE)
    raise ValueError(texts.PROFILE_WHY_CONTACT)


def _address(typed: str) -> str:
    """An e-mail address checked as the mail flow checks one (syntax only, no DNS lookup)."""
    address = typed.replace("＠", "@").replace("。", ".")
    if len(address) > MAX_ADDRESS:
        raise ValueError(texts.PROFILE_WHY_EMAIL.format(why=texts.MAIL_WHY_TOO_LONG))
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(texts.PROFILE_WHY_EMAIL.format(why=texts.MAIL_WHY_FORMAT)) from exc
