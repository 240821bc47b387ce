"""The account forms' checks, run before sending, with the same rules and wording as the server."""

from collections.abc import Mapping

from api_client.validation import (
    is_valid_email,
    is_valid_id_number,
    is_valid_phone,
    password_problem,
)
from app.widgets.forms import FieldErrors, required


def login_errors(values: Mapping[str, str]) -> FieldErrors:
    errors = required(values, "phone", "password")
    if "phone" not in errors and not is_valid_phone(values["phone"].strip()):
        errors["phone"] = "phone_invalid"
    return errors


def register_errors(values: Mapping[str, str]) -> FieldErrors:
    errors = login_errors(values) | required(values, "name")
    if "password" not in errors and (problem := password_problem(values["password"])):
        errors["password"] = problem
    if "name" not in errors and len(values["name"].strip()) > 50:
        errors["name"] = "name_invalid"
    return errors


def profile_errors(values: Mapping[str, str]) -> FieldErrors:
    """Optional fields may stay empty; the ID number field is empty unless the citizen changes it."""
    errors = required(values, "name", "phone")
    if "phone" not in errors and not is_valid_phone(values["phone"].strip()):
        errors["phone"] = "phone_invalid"
    if (id_number := values.get("id_number", "").strip()) and not is_valid_id_number(id_number):
        errors["id_number"] = "id_number_invalid"
    if (email := values.get("email", "").strip()) and not is_valid_email(email):
        errors["email"] = "email_invalid"
    if len(values.get("address", "").strip()) > 200:
        errors["address"] = "address_too_long"
    if len(values.get("name", "").strip()) > 50:
        errors["name"] = "name_invalid"
    return errors
