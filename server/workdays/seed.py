"""The holiday table, filled from the maintained `chinesecalendar` package and extended by an admin."""

import datetime as dt

from chinese_calendar import constants
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.workdays.models import CalendarDay, CalendarYear

PACKAGE_SOURCE = "chinesecalendar"
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def replace_year(
    db: Session, year: int, holidays: dict[dt.date, str], workdays: dict[dt.date, str], source: str
) -> None:
    """The schedule of `year`, replacing whatever the table held for it (not committed)."""
    db.execute(
        delete(CalendarDay).where(CalendarDay.day >= dt.date(year, 1, 1), CalendarDay.day <= dt.date(year, 12, 31))
    )
    db.execute(delete(CalendarYear).where(CalendarYear.year == year))
    db.add(CalendarYear(year=year, source=source))
    db.add_all(
        [CalendarDay(day=day, is_workday=False, name=name) for day, name in holidays.items() if day.weekday() < 5]
        + [CalendarDay(day=day, is_workday=True, name=name) for day, name in workdays.items()]
    )
    db.flush()


def seed_calendar(db: Session) -> None:
    """Every year the package knows and the table does not; years an admin entered are left alone."""
    known = set(db.scalars(select(CalendarYear.year)))
    years = {day.year for day in constants.holidays} - known
    for year in sorted(years):
        replace_year(
            db,
            year,
            {d: HOLIDAY_NAMES.get(n, n) for d, n in constants.holidays.items() if d.year == year},
            {d: HOLIDAY_NAMES.get(n, n) for d, n in constants.workdays.items() if d.year == year},
            PACKAGE_SOURCE,
        )
