"""The working-day calendar: statutory holidays and make-up working days (调休) per year."""

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from api_client.validation import check_text


class CalendarEntry(BaseModel):
    day: dt.date
    name: Annotated[str, AfterValidator(check_text)] = Field(min_length=1, max_length=32, examples=["国庆节"])


class CalendarScheduleUpdate(BaseModel):
    """A year's official schedule as the State Council publishes it (holidays and the weekend days worked)."""

    holidays: list[CalendarEntry] = Field(max_length=366)
    workdays: list[CalendarEntry] = Field(max_length=366, description="Weekend days that are working days (调休上班)")


class CalendarSchedule(CalendarScheduleUpdate):
    year: int
    known: bool = Field(description="False: no official schedule yet; weekends alone count as days off")
    source: str | None = Field(None, description="Where the schedule came from: chinesecalendar or an admin")
