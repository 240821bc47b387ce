"""The departments of the provincial government service centre."""

from pydantic import BaseModel


class Department(BaseModel):
    code: str
    name: str
    short_name: str
    phone: str | None = None
