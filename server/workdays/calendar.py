"""Counting working days. Weekends are off and weekdays on, except for the days the table names.

A year missing from the table (the State Council publishes each year's schedule late in the year before) is
counted by the weekend rule and the holidays fixed by date in law, and every answer says whether it relied on that
guess, so a deadline or a booking in an unpublished year is shown as provisional, never as certain.
"""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.workdays.models import CalendarDay, CalendarYear

ONE_DAY = dt.timedelta(days=1)
# 《全国年节及纪念日放假办法》 (2024): the statutory days fixed by date, whatever the year's schedule adds around them
# (元旦, 劳动节, 国庆节). The lunar and solar-term holidays (春节, 清明, 端午, 中秋) wait for the published table.
FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


@dataclass(frozen=True)
class Deadline:
    due_on: dt.date
    known: bool  # False: the count crossed a year whose official schedule is not in the table


@dataclass(frozen=True)
class WorkCalendar:
    exceptions: dict[dt.date, bool]
    known_years: frozenset[int]

    def is_workday(self, day: dt.date) -> bool:
        return self.exceptions.get(day, day.weekday() < 5 and not self._guessed_holiday(day))

    def is_holiday(self, day: dt.date) -> bool:
        """A public holiday (not an ordinary weekend): from the table, or fixed by date in a year it lacks."""
        return self.exceptions.get(day) is False or self._guessed_holiday(day)

    def _guessed_holiday(self, day: dt.date) -> bool:
        return not self.is_known(day) and (day.month, day.day) in FIXED_HOLIDAYS

    def is_known(self, day: dt.date) -> bool:
        """Whether `day` falls in a year whose official schedule is in the table."""
        return day.year in self.known_years

    def add_working_days(self, start: dt.date, days: int) -> Deadline:
        """The working day `days` working days after `start` (counting starts the next day; 0: `start`)."""
        day, known = start, self.is_known(start)
        remaining = days
        while remaining > 0:
            day += ONE_DAY
            known = known and self.is_known(day)
            if self.is_workday(day):
                remaining -= 1
        return Deadline(day, known)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when `end` is before `start`."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_workday(day)
        return count


def load_calendar(db: Session) -> WorkCalendar:
    """The whole table (a few hundred rows for twenty years): cheap to read once per request."""
    exceptions = {day: is_workday for day, is_workday in db.execute(select(CalendarDay.day, CalendarDay.is_workday))}
    return WorkCalendar(exceptions, frozenset(db.scalars(select(CalendarYear.year))))
