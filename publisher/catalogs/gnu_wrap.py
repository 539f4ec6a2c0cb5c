"""PO string layout exactly as GNU gettext writes it (msgcat, msgmerge; Poedit and Weblate too).

Babel wraps at 76 columns at spaces; GNU wraps at 79 columns at the line-break
opportunities of the Unicode Line Breaking Algorithm (UAX #14, through
libunistring), never inside an escape sequence or a format directive, and
starts a string that does not fit on its first line with ``""``. Writing the
same layout means a file saved by a translator's tool and then updated here
(or the other way round) changes no line but those whose text changed.
This module is the port of ``wrap()`` in gettext's ``write-po.c``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import unicodedata
from functools import cache, lru_cache

from uniseg.linebreak import line_break, line_break_boundaries

PAGE_WIDTH = 79
ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", "\\": "\\\\", '"': '\\"'}
# A python-format/c-format directive (GNU does not break inside one).
DIRECTIVE = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlLqjzt]*[diouxXeEfFgGcrsa%]")


@cache
def _width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _escaped(text: str, formatted: bool) -> tuple[list[str], list[bool]]:
    """The escaped characters of ``text`` and, for each, whether a break before it is forbidden."""
    out: list[str] = []
    no_break: list[bool] = []
    raw_no_break = [False] * (len(text) + 1)
    if formatted:
        for match in DIRECTIVE.finditer(text):
            for i in range(match.start() + 1, match.end()):
                raw_no_break[i] = True
    for i, ch in enumerate(text):
        escaped = ESCAPES.get(ch, ch)
        for k, part in enumerate(escaped):
            out.append(part)
            no_break.append(k > 0 or raw_no_break[i])
    return out, no_break


UC_BREAK_POSSIBLE = 2  # libunistring's <unilbrk.h>


@cache
def _libunistring() -> ctypes.CDLL | None:
    """GNU's own line breaker (gettext links it; Debian's gettext depends on it), or None where it is missing."""
    name = ctypes.util.find_library("unistring") or "libunistring.so.2"
    try:
        library = ctypes.CDLL(name)
        function = library.u32_possible_linebreaks
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.POINTER(ctypes.c_uint32), ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p]
    function.restype = None
    return library


def _breaks(portion: str) -> set[int]:
    """Positions (in ``portion``) before which UAX #14 allows a break, as libunistring finds them.

    libunistring itself when it is installed (the same answers as msgcat, and
    some thousand times faster than uniseg); else uniseg, with the one rule
    libunistring does not apply, LB29 (no break between an infix separator
    and a letter): GNU breaks "U." | "S." and "[dw." | "link"; so do we.
    """
    library = _libunistring()
    if library is not None and portion:
        codes = (ctypes.c_uint32 * len(portion))(*map(ord, portion))
        result = ctypes.create_string_buffer(len(portion))
        library.u32_possible_linebreaks(codes, len(portion), b"UTF-8", result)
        return {i for i, kind in enumerate(result.raw) if kind == UC_BREAK_POSSIBLE and i > 0}
    found = {b for b in line_break_boundaries(portion) if 0 < b < len(portion)}
    found |= {i for i in range(1, len(portion)) if line_break(portion[i - 1]) == "IS" and line_break(portion[i]) in ("AL", "HL")}
    return found


def wrap(keyword: str, text: str, prefix: str = "", formatted: bool = False) -> list[str]:
    """The lines of ``keyword "text"`` (``prefix`` such as ``#~ `` or ``#| `` before each line)."""
    return list(_wrap(keyword, text, prefix, formatted))


@lru_cache(maxsize=1 << 16)
def _wrap(keyword: str, text: str, prefix: str, formatted: bool) -> tuple[str, ...]:
    """``wrap``, remembered: a catalog's msgids recur in its template and every locale's catalog."""
    chars, forbidden = _escaped(text, formatted)
    # Portions end after each escaped newline.
    portions: list[tuple[list[str], list[bool]]] = []
    start = 0
    for i in range(len(chars)):
        if chars[i] == "n" and i > 0 and chars[i - 1] == "\\" and forbidden[i] and (i < 2 or not _is_escaped_backslash(chars, i - 1)):
            portions.append((chars[start : i + 1], forbidden[start : i + 1]))
            start = i + 1
    if start < len(chars) or not portions:
        portions.append((chars[start:], forbidden[start:]))
    lines: list[str] = []
    first_line = True
    after_break = len(prefix) + 1  # the column after the opening quote of a continuation line
    width = PAGE_WIDTH - 1 - after_break  # room for the closing quote; columns from after_break
    index = 0
    while index < len(portions):
        part, no_break = portions[index]
        portion = "".join(part)
        start_col = len(keyword) + 1 if first_line else 0
        cuts = _line_breaks(part, no_break, portion, width, start_col)
        more = index + 1 < len(portions)
        if first_line and part and (more or start_col > width or cuts):
            lines.append(f'{prefix}{keyword} ""')
            first_line = False
            continue
        pieces = []
        last = 0
        for cut in cuts:
            pieces.append("".join(part[last:cut]))
            last = cut
        pieces.append("".join(part[last:]))
        for piece in pieces:
            if first_line:
                lines.append(f'{prefix}{keyword} "{piece}"')
                first_line = False
            else:
                lines.append(f'{prefix}"{piece}"')
        index += 1
    return tuple(lines)


def _is_escaped_backslash(chars: list[str], i: int) -> bool:
    """Whether ``chars[i]`` (a backslash) is the second half of ``\\\\``."""
    run = 0
    while i - run >= 0 and chars[i - run] == "\\":
        run += 1
    return run % 2 == 0


def _line_breaks(part: list[str], no_break: list[bool], portion: str, width: int, start_col: int) -> list[int]:
    """Where lines break: libunistring's ``ulc_width_linebreaks``, piece by piece.

    A piece runs from one break opportunity to the next (trailing spaces
    included); when a piece would pass ``width``, the line breaks before it.
    Columns count from the opening quote of a continuation line.
    """
    possible = {b for b in _breaks(portion) if not no_break[b]}
    cuts: list[int] = []
    last_p: int | None = None
    last_column = start_col
    piece = 0
    for pos, ch in enumerate(part):
        if pos in possible:
            if last_p is not None and last_column + piece > width:
                cuts.append(last_p)
                last_column = 0
            last_p = pos
            last_column += piece
            piece = 0
        piece += _width(ch) if len(ch) == 1 else len(ch)
    if last_p is not None and last_column + piece > width:
        cuts.append(last_p)
    return cuts


def references(locations: list[tuple[str, int | None]]) -> list[str]:
    """``#: file:line …`` lines, filled to the page width as GNU does."""
    lines: list[str] = []
    current = "#:"
    for file, line in locations:
        ref = f"{file}:{line}" if line else file
        if current != "#:" and len(current) + 1 + len(ref) > PAGE_WIDTH:
            lines.append(current)
            current = "#:"
        current += " " + ref
    if current != "#:":
        lines.append(current)
    return lines


def comment_lines(marker: str, comments: list[str]) -> list[str]:
    return [f"{marker} {c}".rstrip() if c else marker for c in comments]
