"""Checks on personal data that both the server and the app run, so they can never disagree."""

import datetime as dt
import re
import unicodedata

from pydantic_core import PydanticCustomError

from api_client.messages import message_for

_PHONE = re.compile(r"^1[3-9][0-9]{9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Chinese input methods type full-width digits (１３８…); they mean the same number. Other scripts' digits
# (Arabic-Indic ١٣٨…) are not normalised: they are refused, so no account can look like another.
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Lone surrogates (no encoding can store them) and C0/C1 control characters, NUL included.
_NOT_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# The same, but newline and tab are part of long text (a letter, a complaint, a description).
_NOT_LONG_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def normalise_digits(value: str) -> str:
    """Full-width digits as ASCII digits; everything else unchanged."""
    return value.translate(_FULL_WIDTH_DIGITS)


def has_forbidden_characters(text: str) -> bool:
    """True when `text` holds a lone surrogate or a control character, which no field may store."""
    return _NOT_TEXT.search(text) is not None


def is_valid_phone(phone: str) -> bool:
    """A mainland China mobile number: 11 digits starting 13-19, ASCII or full-width."""
    return bool(_PHONE.match(normalise_digits(phone)))


def is_valid_email(email: str) -> bool:
    return len(email) <= 254 and bool(_EMAIL.match(email))


def is_valid_id_number(id_number: str, today: dt.date | None = None) -> bool:
    """GB 11643-1999 resident ID: 17 digits, a check character and a real, past birth date."""
    value = id_number.upper()
    if len(value) != 18 or not (value[:17].isascii() and value[:17].isdigit()) or value[17] not in _ID_CHECK:
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        return False
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= (today or dt.date.today())


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_unprintable(value: str, allow_newlines: bool = False) -> bool:
    """Lone surrogates, control characters and bidi overrides: nothing a person typed, and some are
    unstorable as UTF-8 or make a name display as something else."""
    for char in value:
        if allow_newlines and char in "\n\t":
            continue
        if char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cs", "Cc", "Co", "Cn"):
            return True
    return False


def mask_id_number(id_number: str) -> str:
    """Keeps the region prefix and the last four characters: 2101**********123X."""
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def password_problem(password: str) -> str | None:
    """The error code for a password a citizen should not use, or None when it is acceptable."""
    if len(password) < 8:
        return "password_too_short"
    if len(password) > 128:
        return "password_too_long"
    if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
        return "password_too_weak"
    return None


def _fail(code: str) -> PydanticCustomError:
    return PydanticCustomError(code, message_for(code, "en"))


def check_single_line_text(text: str) -> str:
    if _NOT_TEXT.search(text):
        raise _fail("text_invalid")
    return text


def check_long_text(text: str) -> str:
    text = text.replace("\r\n", "\n")
    if _NOT_LONG_TEXT.search(text):
        raise _fail("text_invalid")
    return text


def check_phone(phone: str) -> str:
    phone = normalise_digits(phone.strip())
    if not is_valid_phone(phone):
        raise _fail("phone_invalid")
    return phone


def check_email(email: str) -> str:
    email = email.strip()
    if not is_valid_email(email):
        raise _fail("email_invalid")
    return email


def check_id_number(id_number: str) -> str:
    id_number = normalise_digits(id_number.strip()).upper()
    if not is_valid_id_number(id_number):
        raise _fail("id_number_invalid")
    return id_number


def check_new_password(password: str) -> str:
    problem = password_problem(password)
    if problem:
        raise _fail(problem)
    return password


def check_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 50:
        raise _fail("name_invalid")
    return name


def check_address(address: str) -> str:
    address = address.strip()
    if len(address) > 200:
        raise _fail("address_too_long")
    return address


def check_text(text: str) -> str:
    """Free text (notes, comments, reasons): any length the model allows, but only printable characters."""
    if has_unprintable(text, allow_newlines=True):
        raise _fail("text_invalid")
    return text
