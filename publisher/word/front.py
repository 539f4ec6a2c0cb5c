"""The front matter of an imported issue: from options, the document, or reported missing.

The print edition's cover line "Issue Number – 456 (December 09-13, 2024)"
gives the number and period; options win over it; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from babel.dates import get_month_names

MONTHS = {name.lower(): number for number, name in get_month_names("wide", locale="en").items()}
MONTHS |= {name.lower(): number for number, name in get_month_names("abbreviated", locale="en").items()}
_MONTH = r"([A-Za-z]+)\.?"
ISSUE_LINE = re.compile(
    r"^\s*Issue\s+(?:Number|No\.?)\s*[–—:-]?\s*(\d{1,6})\s*"
    rf"\(\s*{_MONTH}\s+(\d{{1,2}})\s*[-–—]\s*(?:{_MONTH}\s+)?(\d{{1,2}}),?\s+(\d{{4}})\s*\)\s*$",
    re.I,
)
PERIOD_OPTION = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


@dataclass
class Front:
    series: str
    number: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    title: str = ""
    keywords: list[str] = field(default_factory=list)

    def missing(self) -> list[str]:
        gaps = []
        if self.number is None:
            gaps.append("number (give --number, or a line 'Issue Number – 456 (December 09-13, 2024)')")
        if self.start is None or self.end is None:
            gaps.append("period (give --period 2024-12-09..2024-12-13, or the 'Issue Number' line)")
        if not self.title:
            gaps.append("title (a paragraph in Word's Title style, or a first heading)")
        return gaps

    def yaml(self) -> str:
        lines = ["---", f"series: {self.series}", f"number: {self.number}", "period:", f"  start: {self.start}", f"  end: {self.end}", f"title: {json.dumps(self.title, ensure_ascii=False)}"]
        if self.keywords:
            lines.append("keywords: [" + ", ".join(json.dumps(k, ensure_ascii=False) for k in self.keywords) + "]")
        return "\n".join([*lines, "---", ""])


def parse_issue_line(text: str) -> tuple[int, dt.date, dt.date] | None:
    """``Issue Number – 456 (December 09-13, 2024)`` → (456, 2024-12-09, 2024-12-13); None if it is not one."""
    match = ISSUE_LINE.match(text)
    if not match:
        return None
    number, month1, day1, month2, day2, year = match.groups()
    first = MONTHS.get(month1.lower())
    second = MONTHS.get((month2 or month1).lower())
    if not first or not second:
        return None
    try:
        start = dt.date(int(year) - (1 if second < first else 0), first, int(day1))
        end = dt.date(int(year), second, int(day2))
    except ValueError:
        return None
    return int(number), start, end


def parse_period_option(value: str) -> tuple[dt.date, dt.date]:
    """``2024-12-09..2024-12-13``; ValueError with what is wrong."""
    match = PERIOD_OPTION.match(value.strip())
    if not match:
        raise ValueError(f"--period must be START..END as 2024-12-09..2024-12-13, not '{value}'")
    start, end = (dt.date.fromisoformat(g) for g in match.groups())
    if end < start:
        raise ValueError(f"--period ends before it starts: '{value}'")
    return start, end
