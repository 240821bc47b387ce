"""Visiting the service centre: appointments for a date and slot, and queue numbers for today (叫号)."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from api_client.models.common import SingleLineText
from api_client.models.departments import Department

AppointmentStatus = Literal["booked", "cancelled"]
TicketStatus = Literal["waiting", "serving", "passed"]
SLOT_START_PATTERN = r"^(0[89]|1[0-7]):(00|30)$"


class AppointmentSlot(BaseModel):
    """A half-hour slot at the item's department windows; `available` seats are left of `capacity`."""

    date: dt.date
    start: str = Field(examples=["09:30"])
    end: str = Field(examples=["10:00"])
    capacity: int
    available: int
    provisional: bool = Field(
        False, description="The day's year has no published holiday schedule yet: the hall may turn out to be closed"
    )


VisitItemCode = Annotated[
    SingleLineText, Field(min_length=1, max_length=40, description="事项编码 of an item that needs a visit")
]


class AppointmentRequest(BaseModel):
    item_code: VisitItemCode
    date: dt.date
    start: str = Field(pattern=SLOT_START_PATTERN, description="The slot's start time, as in AppointmentSlot")


class Appointment(BaseModel):
    id: int
    item_code: str
    item_name: str
    department: Department
    date: dt.date
    start: str
    end: str
    hall_address: str
    status: AppointmentStatus
    upcoming: bool = Field(description="Booked and today or later: the visit is still ahead")
    cancellable: bool = Field(description="Booked and after today: cancelling frees the seat")
    created_at: dt.datetime


class QueueTicketRequest(BaseModel):
    item_code: VisitItemCode


class QueueTicket(BaseModel):
    """A queue number for today. `people_ahead` and `now_serving` are as of this answer."""

    id: int
    number: int
    item_code: str
    item_name: str
    department: Department
    day: dt.date
    status: TicketStatus = Field(description="waiting; serving: called now, go to the window; passed: called earlier")
    people_ahead: int
    now_serving: int = Field(description="The number being served now (0: none called yet today)")
    created_at: dt.datetime


class QueueStatus(BaseModel):
    """An officer's view of their department's queue today."""

    department: Department
    day: dt.date
    now_serving: int
    last_issued: int
    waiting: int
