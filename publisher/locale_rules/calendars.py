"""The issue's period in each calendar an edition shows.

Gregorian dates come from Babel (``format_interval``, the locale's own
pattern). Babel has no Solar Hijri calendar: jdatetime converts, and the month
names are layout data (``calendars.yaml``) translated in the catalogs
(context ``solar-hijri month``), so Dari and Pashto each have their own
reviewed names.
"""

from __future__ import annotations

import datetime as dt
import jdatetime
from babel.dates import format_interval

from publisher.model import Period

def gregorian(period: Period, locale: str) -> str:
    """``December 2 – 6, 2024`` in the locale's own interval pattern (Latin digits)."""
    if period.start == period.end:
        from babel.dates import format_date

        return format_date(period.start, "long", locale=locale)
    return format_interval(period.start, period.end, "yMMMMd", locale=locale)


def solar_hijri_parts(day: dt.date) -> tuple[int, int, int]:
    """(year, month, day) of ``day`` in the Solar Hijri calendar."""
    j = jdatetime.date.fromgregorian(date=day)
    return j.year, j.month, j.day


def solar_hijri(period: Period) -> dict[str, int | str]:
    """The period's Solar Hijri parts, e.g. 12–16 Qaws 1403 as numbers and months.

    ``kind`` is ``same-month``, ``two-months`` or ``two-years``: the layout
    picks its translated pattern by it, and names months from its catalog.
    """
    y1, m1, d1 = solar_hijri_parts(period.start)
    y2, m2, d2 = solar_hijri_parts(period.end)
    kind = "same-month" if (y1, m1) == (y2, m2) else "two-months" if y1 == y2 else "two-years"
    return {
        "kind": kind,
        "start_day": d1,
        "start_month": m1,
        "start_year": y1,
        "end_day": d2,
        "end_month": m2,
        "end_year": y2,
    }
