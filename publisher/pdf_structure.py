"""What the PDF says about itself beyond its pages, and one layout repair.

- Viewer preferences: the document title in the window (``DisplayDocTitle``),
  spreads as the booklet prints them (``PageLayout /TwoPageRight``: the cover
  alone, then each verso beside its recto, the furniture mirrored) and, for a
  right-to-left edition, pages read right to left (``Direction /R2L``: two-page
  views put page 2 right of page 3).
- Link areas of a contents line in a right-to-left edition: WeasyPrint widens
  the boxes that hold a ``leader()`` towards the end of the line instead of
  its start, so their link rectangles ran past the page (WeasyPrint issue
  #2578). :func:`repair_rtl_leaders` moves those boxes back over what they
  hold, before the PDF is written.

The direction is the root element's (``<html dir>``), so nothing here knows a
language.
"""

from __future__ import annotations

from typing import Any


def direction(document: Any) -> str:
    """``ltr`` or ``rtl``: the direction of the document's root element."""
    page = document.pages[0]._page_box if document.pages else None
    return page.children[0].style["direction"] if page is not None and page.children else "ltr"


def viewer_preferences(document: Any, pdf: Any) -> None:
    """A WeasyPrint ``finisher``: title shown, the booklet's spreads, and right-to-left page order for RTL editions."""
    import pydyf

    prefs = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
    prefs["DisplayDocTitle"] = "true"
    if direction(document) == "rtl":
        prefs["Direction"] = "/R2L"
    pdf.catalog["ViewerPreferences"] = prefs
    pdf.catalog["PageLayout"] = "/TwoPageRight"


def repair_rtl_leaders(document: Any) -> None:
    """Put the boxes around a leader in an RTL line back over their content, and their links with them."""
    for page in document.pages:
        moved: dict[int, float] = {}
        for box in page._page_box.descendants():
            if type(box).__name__ == "LineBox" and box.style["direction"] == "rtl":
                for chain in _leader_chains(box, ()):
                    for holder in reversed(chain):  # the innermost first: its parent spans it
                        shift = _fit_start(holder)
                        if shift:
                            moved[id(holder)] = moved.get(id(holder), 0.0) + shift
        # WeasyPrint took the link rectangles from the boxes when it made the page.
        page.links = [
            (kind, target, (x1 - moved[id(box)], y1, x2 - moved[id(box)], y2) if id(box) in moved else (x1, y1, x2, y2), box)
            for kind, target, (x1, y1, x2, y2), box in page.links
        ]


def _leader_chains(box: Any, chain: tuple) -> list[tuple]:
    """Every chain of inline boxes from below ``box`` down to (not including) a leader box."""
    found = []
    for child in getattr(box, "children", ()):
        if child.is_leader:
            found.append(chain)
        elif hasattr(child, "children"):
            found += _leader_chains(child, (*chain, child))
    return found


def _fit_start(box: Any) -> float:
    """Move the box's start so its content ends where its last child ends (children stay in place); the shift."""
    if not box.children:
        return 0.0
    end = max(child.position_x + child.margin_width() for child in box.children)
    content_end = box.position_x + box.margin_left + box.border_left_width + box.padding_left + box.width
    overhang = content_end - end
    if overhang <= 0.01:
        return 0.0
    box.position_x -= overhang
    return overhang
