"""The time the server acts at: one dependency, so tests can move the clock across holidays and deadlines."""

import datetime as dt
from typing import Annotated

from fastapi import Depends

from server.db import utcnow

CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def current_time() -> dt.datetime:
    """Now, in UTC. Override `current_time` in `app.dependency_overrides` to fix the clock."""
    return utcnow()


def china_date(moment: dt.datetime) -> dt.date:
    """The calendar date in China (UTC+8) at `moment`: working days are counted in local dates."""
    return moment.astimezone(CHINA).date()


Now = Annotated[dt.datetime, Depends(current_time)]
