"""Account rules, apart from HTTP: used by the routes and by the command line."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api_client import models as wire
from api_client.validation import mask_id_number
from server.accounts.models import User
from server.accounts.passwords import hash_password
from server.core.errors import ApiError
from server.core.field_crypto import FieldCipher, id_number_context
from server.departments.models import Department


def create_user(
    db: Session,
    *,
    phone: str,
    password: str,
    name: str,
    role: wire.Role = "citizen",
    department_code: str | None = None,
) -> User:
    """Adds an account (not committed). Officers must belong to exactly one department."""
    department = None
    if role == "officer":
        if not department_code:
            raise ApiError(422, "field_required", "department")
        department = db.scalar(select(Department).where(Department.code == department_code))
        if department is None:
            raise ApiError(422, "value_invalid", "department")
    if db.scalar(select(User.id).where(User.phone == phone)) is not None:
        raise ApiError(409, "phone_taken", "phone")
    user = User(phone=phone, name=name, password_hash=hash_password(password), role=role, department=department)
    db.add(user)
    try:
        db.flush()
    except IntegrityError as exc:  # a concurrent registration of the same phone
        db.rollback()
        raise ApiError(409, "phone_taken", "phone") from exc
    return user


def profile(user: User) -> wire.Profile:
    return wire.Profile(
        id=user.id,
        phone=user.phone,
        name=user.name,
        role=user.role,
        department_code=user.department.code if user.department else None,
        id_number_masked=user.id_number_masked,
        address=user.address,
        email=user.email,
    )


def set_id_number(user: User, id_number: str | None, id_cipher: FieldCipher) -> None:
    """Keeps the number only encrypted (bound to this account) and its masked form for display."""
    if id_number is None:
        user.id_number_sealed = user.id_number_masked = None
        return
    id_number = id_number.upper()
    user.id_number_sealed = id_cipher.seal(id_number, id_number_context(user.id))
    user.id_number_masked = mask_id_number(id_number)


def update_profile(db: Session, user: User, change: wire.ProfileUpdate, id_cipher: FieldCipher) -> None:
    """Applies the change (flushed, not committed)."""
    fields = change.model_dump(exclude_unset=True)
    if fields.get("phone") and fields["phone"] != user.phone:
        if db.scalar(select(User.id).where(User.phone == fields["phone"])) is not None:
            raise ApiError(409, "phone_taken", "phone")
        user.phone = fields["phone"]
    if fields.get("name"):
        user.name = fields["name"]
    if "id_number" in fields:
        set_id_number(user, fields["id_number"] or None, id_cipher)
    for optional in ("address", "email"):
        if optional in fields:
            setattr(user, optional, fields[optional] or None)
    try:
        db.flush()
    except IntegrityError as exc:  # another account took the phone between the check and the write
        db.rollback()
        raise ApiError(409, "phone_taken", "phone") from exc
