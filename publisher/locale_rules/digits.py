"""Native digits: Babel formats with a locale's separators but Latin digits.

Numbering systems are CLDR ids (``latn``, ``arab``, ``arabext``…); the layout
data chooses one per locale. ``to_native`` touches only the ten ASCII digits;
``to_native_text`` also writes the separators and percent sign that stand
beside digits in running text as the locale does (CLDR through Babel:
"1,250" and "18%" are "۱٬۲۵۰" and "۱۸٪" in Dari). A sign in front of a number
is the locale's plus or minus sign with CLDR's bidi mark, which decides the
side it stands on in right-to-left text (Arabic "٪١٨+", Dari "+۱۸٪"), and a
minus is a true minus (U+2212, as wide as the plus), in every script.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from babel import Locale

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


SIGNS = re.compile(r"(?<![\w)\]])[+\-\u2212](?=\d)")  # a sign opening a number, not a hyphen inside a word or range
NUMBER_MARKS = re.compile(r"(?<=\d)[.,](?=\d)|(?<=\d)%|%(?=\d)")  # a separator between digits, a percent sign beside one


@cache
def symbols(locale: str, system: str) -> dict[str, str]:
    """The locale's decimal and group separators and percent sign in ``system``, without their bidi marks."""
    found = Locale.parse(locale).number_symbols.get(system) or {}

    def bare(symbol: str, default: str) -> str:
        return "".join(ch for ch in symbol if unicodedata.category(ch) != "Cf") or default

    return {".": bare(found.get("decimal", "."), "."), ",": bare(found.get("group", ","), ","), "%": bare(found.get("percentSign", "%"), "%")}


@cache
def signs(locale: str, system: str) -> dict[str, str]:
    """The locale's plus and minus signs in ``system``, bidi marks kept, the minus a true minus."""
    found = Locale.parse(locale).number_symbols.get(system) or {}
    plus = found.get("plusSign", "+")
    minus = found.get("minusSign", "-").replace("-", "\u2212")
    return {"+": plus, "-": minus, "\u2212": minus}


def to_native_text(text: str, system: str, locale: str) -> str:
    """Running text with its numbers as ``locale`` writes them in ``system``: signs, digits, separators and percent sign."""
    marked = signs(locale, system)
    text = SIGNS.sub(lambda match: marked[match.group(0)], text)
    if system == "latn":
        return text
    marks = symbols(locale, system)
    return to_native(NUMBER_MARKS.sub(lambda match: marks[match.group(0)], text), system)


def to_ascii(text: str) -> str:
    """Every decimal digit of any script as its ASCII digit (for comparing numbers)."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)
