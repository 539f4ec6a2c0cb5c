"""A typesetter's queries: justified lines the layout could not set well, named for the editor.

Some lines cannot be closed by any break the house rules allow: in issue 455
"Similarly, Russia, which once had significant economic ties with" is
followed by "Afghanistan,", a name that is never hyphenated and does not fit,
so the line's word spaces open wide whatever the breaker does. A typesetter
does not ship such a line silently: they query it, and the editor adds or
cuts a word. The build does the same: each justified line whose word spaces
open past the layout's limit, or whose letters are spaced past it, is listed
(page, the paragraph's opening, the line, the word that did not fit and how
many letters to cut or add) in the manifest and on the console. The limits are the edition's ``<meta
name="justify-query" content="0.55em 0.015em">``: the word space as the eye
sees it (the space itself, its letter spacing and what justification added),
and the letter spacing. Queries are not warnings: the file is as good as the
layout can make it, and ``--strict`` does not fail on them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from publisher import linefit

OPENING = 5  # words of a paragraph's opening that name it in a query
PT_PER_PX = 0.75


@dataclass(frozen=True)
class Line:
    """One line of a paragraph as laid out: where it is, how open it is set, and what a query needs to say how much to change."""

    page: int
    paragraph: Any  # the etree element of its paragraph
    number: int  # its line in the paragraph, from 1
    text: str
    space: float  # mean word space (em), as drawn; 0 for a line not justified
    tracking: float  # largest letter spacing (em) of its text
    slack: float = 0.0  # CSS px the justification and letter spacing added to the line
    natural: float = 0.0  # CSS px of its text set with natural spaces and no letter spacing
    blank: float = 0.0  # CSS px of one natural word space
    lead: float = 0.0  # CSS px of its first word set naturally


def limits(root: Any) -> tuple[float, float]:
    """The edition's ``<meta name="justify-query">``: the word space (em) and the letter spacing (em) past which a line is queried; (0, 0) for none."""
    setting = next((meta.get("content", "") for meta in root.iter("meta") if meta.get("name") == "justify-query"), "")
    match = re.match(r"\s*(\d+(?:\.\d+)?)em(?:\s+(\d+(?:\.\d+)?)em)?", setting)
    return (float(match.group(1)), float(match.group(2) or 0)) if match else (0.0, 0.0)


def queries(document: Any) -> list[str]:
    """One line per justified line set too open, in page order; none when the edition sets no limit."""
    pages = document.pages
    if not pages:
        return []
    most_space, most_tracking = limits(pages[0]._page_box.children[0].element)  # the page's root box is the <html> element's
    if not most_space:
        return []
    found = list(_lines(document))
    following = {id(line): after for line, after in zip(found, found[1:], strict=False) if after.paragraph is line.paragraph}
    made = []
    for line in found:
        spaced = most_tracking and line.tracking > most_tracking + 1e-6
        if not line.space or (line.space <= most_space and not spaced):  # a line not justified is as wide as it is meant to be
            continue
        letters = f", letters spaced {line.tracking * 100:+.1f} %" if line.tracking > 1e-6 else ""
        made.append(f'page {line.page}, line {line.number} of "{_opening(line.paragraph)}": word spaces {line.space:.2f} em{letters}; {_advice(line, following.get(id(line)))}')
    return made


def _advice(line: Line, after: Line | None) -> str:
    """What the editor can do: how much the next word lacks and how many letters to cut or add, or that a later line holds this one open."""
    word = after.text.split()[0] if after and after.text.split() else ""
    if not word or not after.lead:
        return "its paragraph goes on in another block: add or cut a word in the line"
    room = line.slack - line.blank  # what the next word could take, with the space before it
    letter = line.natural / max(len(line.text), 1)  # the line's mean letter, with its share of the spaces
    if after.lead <= room:
        return f'the next word, "{word}", would fit: a later line of the paragraph holds this one open; reword one of them'
    lacking = after.lead - room
    return f'the next word, "{word}", is {lacking * PT_PER_PX:.0f} pt too long for it: cut at least {math.ceil(lacking / letter)} letters from the line, or add up to {int(line.slack / letter)} to it'


def _opening(paragraph: Any) -> str:
    words = _plain("".join(paragraph.itertext())).split()
    return " ".join(words[:OPENING]) + ("…" if len(words) > OPENING else "")


def _plain(text: str) -> str:
    """The text as a reader quotes it: without the soft hyphens, word joiners and bidi controls set into it."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def _lines(document: Any) -> Iterator[Line]:
    """Every line of a paragraph, in reading order, numbered within its paragraph across pages; a line not justified has no word space (0)."""
    counted: dict[int, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for block, line in _paragraph_lines(page._page_box):
            counted[id(block.element)] = counted.get(id(block.element), 0) + 1
            texts = [box for box in line.descendants() if type(box).__name__ == "TextBox"]
            text = _plain("".join(box.text for box in texts))
            measured = [(box, box.text.count(" ") + box.text.count("\u00a0")) for box in texts if getattr(box, "justification_spacing", 0)]
            spaces = sum(count for _, count in measured)
            words = _plain(texts[0].text).split() if texts else []
            lead = _natural(words[0], texts[0].style) if words else 0.0
            if not spaces:
                yield Line(number, block.element, counted[id(block.element)], text, 0.0, 0.0, lead=lead)
                continue
            space = sum(count * _drawn_space(box) for box, count in measured) / spaces
            tracking = max((_tracking(box) for box in texts), default=0.0)
            slack = sum(count * box.justification_spacing for box, count in measured) + sum(_tracking_px(box.style) * len(box.text) for box in texts)
            natural = sum(box.width for box in texts) - slack
            yield Line(number, block.element, counted[id(block.element)], text, space, tracking, slack, natural, _space(texts[0].style), lead)


def _paragraph_lines(box: Any) -> Iterator[tuple[Any, Any]]:
    for child in getattr(box, "children", ()):
        if type(child).__name__ == "LineBox":
            yield box, child
        else:
            yield from _paragraph_lines(child)


def _tracking(box: Any) -> float:
    return _tracking_px(box.style) / box.style["font_size"]


def _tracking_px(style: Any) -> float:
    tracking = style["letter_spacing"]
    return 0.0 if tracking == "normal" else tracking


def _drawn_space(box: Any) -> float:
    """A word space of the text box (em) as the eye sees it: the space, what justification added, and the letter spacing.

    The letter spacing counts three times: measured with poppler's word boxes
    on issue 455, the gap between two words of a letter-spaced line is wider
    than the space and the justification by 1.0 times the tracking past the
    two letter spacings of the space itself (sd 0.001 em over 80 lines).
    """
    size = box.style["font_size"]
    return (_space(box.style) + box.justification_spacing + 3 * _tracking_px(box.style)) / size


def _space(style: Any) -> float:
    """The width (CSS px) of one space in the style's font: "x x" less "xx"."""
    return _natural("x x", style) - _natural("xx", style)


def _natural(text: str, style: Any) -> float:
    """The width (CSS px) of ``text`` in the style's font, its letter spacing taken off (Pango spaces every letter; WeasyPrint adds one more)."""
    return linefit.measure(text, style) - _tracking_px(style) * (len(text) + 1)
