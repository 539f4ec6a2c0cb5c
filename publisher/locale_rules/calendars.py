"""The issue's period in each calendar an edition shows.

Gregorian dates come from Babel (``format_interval``, the locale's own
pattern). Babel has no Solar Hijri calendar: jdatetime converts, and the month
names are layout data (``calendars.yaml``) translated in the catalogs
(context ``solar-hijri month``), so Dari and Pashto each have their own
reviewed names.
"""

from __future__ import annotations

import datetime as dt
import re

import jdatetime
from babel import Locale
from babel.dates import format_date, format_interval, parse_pattern

from publisher.model import Period


def gregorian(period: Period, locale: str) -> str:
    """``December 2 – 6, 2024`` in the locale's own interval pattern (Latin digits).

    CLDR has interval patterns for ``yMMMd`` (abbreviated months) only; like
    ICU, the month field is widened to its full name (MMM → MMMM), which
    Babel's ``format_interval`` does not do.
    """
    start, end = period.start, period.end
    if start == end:
        return format_date(start, "long", locale=locale)
    formats = Locale.parse(locale).interval_formats.get("yMMMd")
    if not formats:
        return format_interval(start, end, "yMMMMd", locale=locale)
    field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    parts = formats.get(field)
    if not parts:
        return format_interval(start, end, "yMMMMd", locale=locale)
    return "".join(parse_pattern(_widen(pattern)).apply(day, locale) for pattern, day in zip(parts, (start, end), strict=False))


def _widen(pattern: str) -> str:
    return re.sub(r"(?<![ML])([ML])\1\1(?![ML])", r"\1\1\1\1", pattern)


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
