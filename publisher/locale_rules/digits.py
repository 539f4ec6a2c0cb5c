"""Native digits: Babel formats with a locale's separators but Latin digits.

Numbering systems are CLDR ids (``latn``, ``arab``, ``arabext``…); the layout
data chooses one per locale. Only the ten ASCII digits are touched.
"""

from __future__ import annotations

import unicodedata

from publisher.errors import PublisherError

# CLDR numbering system → its digit zero. The other nine follow it in Unicode.
ZEROS = {
    "latn": "0",
    "arab": "\u0660",
    "arabext": "\u06f0",
    "deva": "\u0966",
    "beng": "\u09e6",
    "thai": "\u0e50",
}


def table(system: str) -> dict[int, str]:
    """A ``str.translate`` table from ASCII digits to ``system``'s digits."""
    try:
        zero = ord(ZEROS[system])
    except KeyError:
        raise PublisherError(f"unknown numbering system '{system}' (known: {', '.join(ZEROS)})") from None
    return {ord("0") + i: chr(zero + i) for i in range(10)}


def to_native(text: str, system: str) -> str:
    """``text`` with its ASCII digits written in ``system``'s digits."""
    return text if system == "latn" else text.translate(table(system))


def to_ascii(text: str) -> str:
    """Every decimal digit of any script as its ASCII digit (for comparing numbers)."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)
