"""Accounts: registration, log-in, tokens and the citizen's own profile."""

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from api_client.models.common import SingleLineText
from api_client.validation import (
    check_address,
    check_email,
    check_id_number,
    check_name,
    check_new_password,
    check_phone,
    normalise_digits,
)

Role = Literal["citizen", "officer", "admin"]

# The `pattern`s document the checks for generated clients and schema-driven tests (schemathesis): what they
# allow is accepted. The checks themselves are the validators; they also accept full-width digits and padding.
_TEXT = r"[^\x00-\x1f\x7f-\x9f]"
Phone = Annotated[
    SingleLineText,
    AfterValidator(check_phone),
    Field(examples=["13800138000"], json_schema_extra={"pattern": r"^1[3-9][0-9]{9}$"}),
]
PersonName = Annotated[
    SingleLineText,
    AfterValidator(check_name),
    Field(json_schema_extra={"pattern": rf"^{_TEXT}*[^\s\x00-\x1f\x7f-\x9f]{_TEXT}*$", "maxLength": 50}),
]
NewPassword = Annotated[
    SingleLineText,
    AfterValidator(check_new_password),
    Field(
        json_schema_extra={
            "pattern": rf"^(?:{_TEXT}*[A-Za-z]{_TEXT}*[0-9]|{_TEXT}*[0-9]{_TEXT}*[A-Za-z]){_TEXT}*$",
            "minLength": 8,
            "maxLength": 128,
        }
    ),
]
IdNumber = Annotated[SingleLineText, AfterValidator(check_id_number), Field(examples=["11010519491231002X"])]
Email = Annotated[SingleLineText, AfterValidator(check_email)]
Address = Annotated[SingleLineText, AfterValidator(check_address)]


class RegisterRequest(BaseModel):
    phone: Phone
    password: NewPassword
    name: PersonName


DeviceToken = Annotated[
    str,
    Field(
        min_length=1,
        max_length=256,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Handed out after a successful log-in; sent back, it keeps this device's own log-in allowance",
    ),
]


class LoginRequest(BaseModel):
    phone: Annotated[SingleLineText, AfterValidator(normalise_digits), Field(min_length=1, max_length=32)]
    password: Annotated[SingleLineText, Field(min_length=1, max_length=128)]
    device_token: DeviceToken | None = None


class RefreshRequest(BaseModel):
    refresh_token: Annotated[SingleLineText, Field(min_length=1, max_length=256)]


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")
    device_token: str | None = Field(
        None, description="After log-in and registration: keep it on the device and send it with the next log-in"
    )


class Profile(BaseModel):
    """The caller's own account. The resident ID number only ever leaves the server masked."""

    id: int
    phone: str
    name: str
    role: Role
    department_code: str | None = None
    id_number_masked: str | None = None
    address: str | None = None
    email: str | None = None


class ProfileUpdate(BaseModel):
    """Only the fields present are changed; an empty string clears an optional field."""

    name: PersonName | None = None
    phone: Phone | None = None
    id_number: IdNumber | Literal[""] | None = None
    address: Address | None = None
    email: Email | Literal[""] | None = None
