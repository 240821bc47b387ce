"""The shared personal-data checks (GB 11643 resident ID, phone, password) and their messages."""

import datetime as dt

from api_client.messages import MESSAGES, message_for
from api_client.validation import (
    has_forbidden_characters,
    is_valid_id_number,
    is_valid_phone,
    mask_id_number,
    normalise_digits,
    password_problem,
)


def test_resident_id_check_character_and_birth_date() -> None:
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("11010519491231002x")
    assert not is_valid_id_number("110105194912310021")  # wrong check character
    assert not is_valid_id_number("110105194902300027")  # 30 February
    assert not is_valid_id_number("11010519491231002")  # too short
    assert not is_valid_id_number("1101051949123100AX")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    body = f"110105{tomorrow:%Y%m%d}002"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    assert not is_valid_id_number(body + check), "a birth date in the future is not real"


def test_masking_keeps_only_region_and_last_four() -> None:
    assert mask_id_number("21010219800101123X") == "2101**********123X"


def test_phone_numbers() -> None:
    assert is_valid_phone("13800138000") and is_valid_phone("19912345678")
    assert (
        not is_valid_phone("12800138000") and not is_valid_phone("1380013800") and not is_valid_phone("+8613800138000")
    )


def test_only_full_width_digits_count_as_digits() -> None:
    assert normalise_digits("１３８００１３８０００") == "13800138000"
    assert is_valid_phone("13８００１３８０００")
    for other_script in ("13٨٠٠١٣٨٠٠٠", "13۸۰۰۱۳۸۰۰۰", "13८००१३८०००", "1380013800𝟎"):
        assert not is_valid_phone(other_script), other_script
    assert not is_valid_id_number("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X")


def test_characters_no_field_may_store() -> None:
    for bad in ("\udfff", "a\ud800", "\x00", "\x1b[2J", "\x7f", "\x85", "a\nb", "\t"):
        assert has_forbidden_characters(bad), repr(bad)
    for fine in ("王小明", "沈阳市和平区 1号", "𠮷野家", "\u3000全角空格", "émoji 🙂"):
        assert not has_forbidden_characters(fine), fine


def test_password_rules() -> None:
    assert password_problem("Passw0rd") is None
    assert password_problem("Pa0") == "password_too_short"
    assert password_problem("abcdefgh") == "password_too_weak"
    assert password_problem("a1" * 65) == "password_too_long"


def test_every_message_has_chinese_and_english() -> None:
    for code, (zh, en) in MESSAGES.items():
        assert zh and en and zh != en, code
    assert message_for("phone_invalid") == "手机号格式不正确"
    assert message_for("phone_invalid", "en") == "The mobile number is not valid"
