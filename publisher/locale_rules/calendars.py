"""The issue's period in each calendar an edition shows.

Gregorian dates come from Babel and CLDR (the locale's long date order and
its interval separator). Babel has no Solar Hijri calendar: jdatetime converts, and the month
names are layout data (``calendars.yaml``) translated in the catalogs
(context ``solar-hijri month``), so Dari and Pashto each have their own
reviewed names.
"""

from __future__ import annotations

import datetime as dt
import re

import jdatetime
from babel import Locale
from babel.dates import format_date

from publisher.model import Period


def gregorian(period: Period, locale: str) -> str:
    """``December 2–6, 2024`` in the locale's own long date order (Latin digits).

    The order of day, month and year is the locale's long date (CLDR skeleton
    ``yMMMMd``: ``d MMMM y`` in Pashto, as its Solar Hijri date), so both dates
    of a cover read the same way; CLDR's interval patterns give only the word
    or dash between the two ends (``–``, ``تا``). The field that differs and
    everything smaller is repeated, the rest written once: ``2–6 December
    2024``, ``29 November – 3 December 2024``. A dash between two bare day
    numbers is closed up (``2–6``), as English and Arabic typesetting want.
    """
    start, end = period.start, period.end
    babel_locale = Locale.parse(locale)
    pattern = babel_locale.datetime_skeletons.get("yMMMMd") or babel_locale.date_formats["long"]
    pattern = str(getattr(pattern, "pattern", pattern))
    if start == end:
        return format_date(start, pattern, locale=locale)
    field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    sep = _separator(babel_locale, field)
    if field == "y":
        return format_date(start, pattern, locale=locale) + sep + format_date(end, pattern, locale=locale)
    if field == "d" and sep.strip() in ("–", "-"):
        sep = sep.strip()
    letters = "d" if field == "d" else "dML"
    span = re.search(rf"[{letters}]+(?:[^{letters}y']*[{letters}]+)*", pattern)
    if span is None:  # a pattern without day (or month): say both dates in full
        return format_date(start, pattern, locale=locale) + sep + format_date(end, pattern, locale=locale)
    part = span.group(0)
    ranged = format_date(start, part, locale=locale) + sep + format_date(end, part, locale=locale)
    outer = format_date(end, pattern[: span.start()] + "'\ue000'" + pattern[span.end() :], locale=locale)
    return outer.replace("\ue000", ranged)


def _separator(babel_locale: Locale, field: str) -> str:
    """What the locale writes between the two ends of a range (CLDR interval data)."""
    formats = babel_locale.interval_formats
    parts = (formats.get("yMMMd") or {}).get(field) or (formats.get("yMd") or {}).get(field)
    if parts and len(parts) == 2:
        found = re.search(r"[^A-Za-z']*$", str(parts[0]))
        if found and found.group(0).strip():
            return found.group(0)
    fallback = str(formats.get(None) or "{0} – {1}")
    return fallback.split("{0}", 1)[-1].split("{1}", 1)[0]


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
