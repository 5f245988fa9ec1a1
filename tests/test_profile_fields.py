"""What the profile keeps as an association, a contact person, a phone number or an e-mail
address, and the reason (in Chinese) it gives for what it does not keep."""

from __future__ import annotations

import pytest

from conversations import texts
from conversations.profile_fields import (
    association_name,
    contact_point,
    is_association_name,
    person_name,
)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("江苏省机械行业协会", "江苏省机械行业协会"),
        (" “江苏省纺织工业协会” ", "江苏省纺织工业协会"),
        ("苏州市工商业联合会", "苏州市工商业联合会"),
        ("江苏省浙江商会", "江苏省浙江商会"),
    ],
)
def test_association_names_are_kept(typed, kept):
    assert association_name(typed) == kept and is_association_name(typed)


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("不知道 我们是做机械的", texts.PROFILE_WHY_SENTENCE),
        ("不知道", texts.PROFILE_WHY_SENTENCE),
        ("是机械行业协会吗", texts.PROFILE_WHY_SENTENCE),
        ("机械协会？", texts.PROFILE_WHY_SENTENCE),
        ("我们是机械行业协会", texts.PROFILE_WHY_SENTENCE),
        ("机械行业协会，纺织协会", texts.PROFILE_WHY_SENTENCE),
        ("机械行业", texts.PROFILE_WHY_ENDING),
        ("没有", texts.PROFILE_WHY_ENDING),
        ("协会", texts.PROFILE_WHY_ASSOC_SHORT),
        ("江苏省协会", texts.PROFILE_WHY_ASSOC_SHORT),
        ("江" * 39 + "协会", texts.PROFILE_WHY_ASSOC_LONG.format(high=40)),
    ],
)
def test_what_is_not_an_association_is_refused_with_why(typed, why):
    with pytest.raises(ValueError, match=why):
        association_name(typed)
    assert not is_association_name(typed)


def test_person_names_and_why_not():
    assert person_name(" 王经理 ") == "王经理"
    assert person_name("张伟（质量部）") == "张伟（质量部）"
    assert person_name("Li  Wei") == "Li Wei"
    for typed, why in (
        ("13812345678", texts.PROFILE_WHY_PERSON_CONTACT),
        ("wang@example.cn", texts.PROFILE_WHY_PERSON_CONTACT),
        ("联系谁？", texts.PROFILE_WHY_PERSON_SENTENCE),
        ("王", texts.PROFILE_WHY_PERSON_LENGTH.format(low=2, high=20)),
        ("王" * 21, texts.PROFILE_WHY_PERSON_LENGTH.format(low=2, high=20)),
    ):
        with pytest.raises(ValueError, match=why):
            person_name(typed)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0512-12345678", "0512-12345678"),
        ("0512 1234 5678", "0512-12345678"),
        ("(0512)12345678", "0512-12345678"),
        ("（025）83392940", "025-83392940"),
        ("02583392940", "025-83392940"),
        ("010-6512345", "010-6512345"),
        ("0512-12345678转806", "0512-12345678转806"),
        ("0512-12345678-806", "0512-12345678转806"),
        ("Wang@Example.CN", "Wang@example.cn"),
        ("wang＠example。cn", "wang@example.cn"),
    ],
)
def test_phone_numbers_and_addresses_are_kept_in_one_form(typed, kept):
    assert contact_point(typed) == kept


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("12345", texts.PROFILE_WHY_PHONE),
        ("1381234567", texts.PROFILE_WHY_PHONE),  # ten digits
        ("12812345678", texts.PROFILE_WHY_PHONE),  # no mobile starts 12
        ("0512-123", texts.PROFILE_WHY_PHONE),
        ("12345678", texts.PROFILE_WHY_PHONE),  # a landline without its area code
        ("wang@", texts.PROFILE_WHY_EMAIL.format(why=texts.MAIL_WHY_FORMAT)),
        ("a@b", texts.PROFILE_WHY_EMAIL.format(why=texts.MAIL_WHY_FORMAT)),
        ("x" * 250 + "@example.cn", texts.PROFILE_WHY_EMAIL.format(why=texts.MAIL_WHY_TOO_LONG)),
        ("明天再说", texts.PROFILE_WHY_CONTACT),
    ],
)
def test_bad_phone_numbers_and_addresses_are_refused_with_why(typed, why):
    with pytest.raises(ValueError, match=why):
        contact_point(typed)
