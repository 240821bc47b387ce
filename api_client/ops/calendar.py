"""The working-day calendar (holidays and make-up working days), and publishing a year's schedule (admins)."""

from pydantic import TypeAdapter

from api_client._operation import Operation
from api_client.models import CalendarSchedule, CalendarScheduleUpdate

_SCHEDULE = TypeAdapter(CalendarSchedule)


def year(year: int) -> Operation[CalendarSchedule]:
    return Operation("GET", "/calendar/{year}", _SCHEDULE, path_params={"year": year})


def publish(year: int, body: CalendarScheduleUpdate) -> Operation[CalendarSchedule]:
    return Operation(
        "PUT", "/admin/calendar/{year}", _SCHEDULE, path_params={"year": year}, body=body, authenticated=True
    )
