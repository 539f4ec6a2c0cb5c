"""Hyphenation limits WeasyPrint lacks, enforced on its layout.

The edition's HTML states them as ``<meta>`` values named after the CSS Text 4
properties (``hyphenate-limit-lines``, ``-last``, ``-zone``); the text carries
its break points as soft hyphens (:mod:`publisher.locale_rules.hyphenation`).
After a layout, every line that ends in a hyphen and breaks a limit — the
third of three hyphenated lines in a row, the last line of a page, a break
whose fragment is narrower than the zone (the line loses little by leaving
the word whole) — has its word's soft hyphens removed in that element, and
the document is laid out again, until no line breaks a limit. Each pass only
removes break points, so it ends.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from publisher.locale_rules.hyphenation import SOFT_HYPHEN

MAX_PASSES = 8
BROKEN_WORD = re.compile(rf"[^\W\d_]+(?:{SOFT_HYPHEN}[^\W\d_]+)+")  # a word with soft hyphens


def limits(root: Any) -> tuple[int, str, float]:
    """``(lines, last, zone)`` from the document's ``<meta>``; no limits without them."""
    found = {meta.get("name"): meta.get("content", "") for meta in root.iter("meta") if meta.get("name", "").startswith("hyphenate-limit-")}
    lines = int(found.get("hyphenate-limit-lines") or 0)
    zone = found.get("hyphenate-limit-zone", "").strip().rstrip("%")
    return lines, found.get("hyphenate-limit-last", "none"), float(zone) / 100 if zone else 0.0


def settle(root: Any, render: Callable[[], Any]) -> Any:
    """Lay out with ``render`` until the hyphenated lines keep the limits; the last document."""
    lines, last, zone = limits(root)
    document = render()
    if not lines and last == "none" and not zone:
        return document
    for _ in range(MAX_PASSES):
        undo = _breaking(document, lines, last, zone)
        if not any([_unhyphenate(text_box) for text_box in undo]):  # a list: every one, not the first
            break
        document = render()
    return document


def _breaking(document: Any, most: int, last: str, zone: float) -> list[Any]:
    """The hyphenated lines' last text boxes that break a limit."""
    found = []
    run = 0
    for page in document.pages:
        flow = [box for child in page._page_box.children if type(child).__name__ != "MarginBox" for box in child.descendants() if type(box).__name__ == "LineBox"]
        for index, line in enumerate(flow):
            end = _hyphen_end(line)
            run = run + 1 if end is not None else 0
            if end is None:
                continue
            if (most and run > most) or (last == "page" and index == len(flow) - 1) or _in_zone(line, end, zone):
                found.append(end)
                run = 0
    return found


def _hyphen_end(line: Any) -> Any:
    """The line's last text box when it ends in the hyphenate character, else None."""
    texts = [box for box in line.descendants() if type(box).__name__ == "TextBox"]
    if not texts:
        return None
    end = texts[-1]
    return end if end.text.endswith(end.style["hyphenate_character"]) else None


def _in_zone(line: Any, end: Any, zone: float) -> bool:
    """Whether the word's first part is narrower than ``zone`` of the line (CSS hyphenate-limit-zone)."""
    if not zone or not end.text:
        return False
    fragment = re.split(r"\s", end.text)[-1]
    width = end.width * len(fragment) / len(end.text)
    return width < zone * line.width


def _unhyphenate(end: Any) -> bool:
    """Remove the soft hyphens of the broken word wherever it stands in its element's own text; whether any went."""
    before = end.text[: -len(end.style["hyphenate_character"])].replace(SOFT_HYPHEN, "")
    fragment = re.search(r"[^\W\d_]+$", before)
    element = end.element
    if element is None or fragment is None:
        return False
    changed = False

    def whole(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(0).replace(SOFT_HYPHEN, "")
        if not word.startswith(fragment.group(0)):
            return match.group(0)
        changed = True
        return word

    element.text = BROKEN_WORD.sub(whole, element.text or "") or element.text
    for child in element:
        child.tail = BROKEN_WORD.sub(whole, child.tail or "") or child.tail
    return changed
