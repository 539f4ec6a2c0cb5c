"""Vertical justification: pages of running text end on the same line.

A page ends short when what comes next cannot be split there: a heading kept
with the first lines of its text, a quote, a table or figure, a paragraph's
widows and orphans. A typesetter shares the difference out between the page's
blocks (TeX's ``\\flushbottom``, InDesign's vertical justification with a
paragraph spacing limit), more above headings than between paragraphs, and
never between a heading and its own text. WeasyPrint has no such thing, so it
is done on the laid-out pages, before they are drawn: each block below a gap
is moved down, its (undecorated) containers grow with it, and the page's
links, anchors and bookmarks are taken from the boxes again.

The most a gap may grow comes from the layout (``vertical_justify`` in
layout.yaml, stated in the edition's HTML as ``<meta name="vertical-justify">``);
a page that would need more is filled as far as those limits allow and stays
that much short. A page followed by a forced break (the end of the article,
the page before the references) or by a page of another kind is left as set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

FORCED = frozenset({"page", "left", "right", "recto", "verso"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
PX_PER = {"px": 1.0, "pt": 4 / 3, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
LENGTH = re.compile(r"^\s*(heading|paragraph|item)\s+(\d+(?:\.\d+)?)(px|pt|mm|cm|in)\s*$")
SHARE = re.compile(r"^\s*shrink\s+(\d+(?:\.\d+)?)%\s*$")
EPSILON = 0.01  # CSS px: a page that ends this close to its bottom is full


@dataclass(frozen=True)
class Limits:
    """The most space (CSS px) added to one gap, by what the block below the gap is."""

    heading: float = 0.0  # above a heading
    paragraph: float = 0.0  # between paragraphs, quotes, tables, figures, lists
    item: float = 0.0  # between the items of one list
    shrink: float = 0.0  # how much of its height a gap may lose so that a page takes the next page's opening

    def __bool__(self) -> bool:
        return bool(self.heading or self.paragraph or self.item or self.shrink)


def limits(root: Any) -> Limits:
    """The limits stated in the document's ``<meta name="vertical-justify">`` (``heading 6mm, paragraph 2mm, item 1mm``); none without it."""
    found: dict[str, float] = {}
    for meta in root.iter("meta"):
        if meta.get("name") != "vertical-justify":
            continue
        for part in meta.get("content", "").split(","):
            match, share = LENGTH.match(part), SHARE.match(part)
            if match:
                found[match.group(1)] = float(match.group(2)) * PX_PER[match.group(3)]
            elif share:
                found["shrink"] = float(share.group(1)) / 100
    return Limits(**found)


@dataclass
class _Block:
    box: Any  # a block moved as a whole
    chain: tuple  # the undecorated containers it is in, outermost first


def justify(document: Any, limit: Limits) -> int:
    """Share out each short page's space between its blocks; the pages changed (their links and anchors are read again)."""
    if not limit:
        return 0
    from weasyprint.document import Page
    from weasyprint.layout.background import layout_backgrounds

    changed = 0
    pages = document.pages
    for index, page in enumerate(pages[:-1]):
        box = page._page_box
        following = pages[index + 1]._page_box
        blocks, after = _blocks(box), _blocks(following)
        if not blocks or not after or _forced_between(box, following, blocks, after) or _pictured(box):
            continue
        if _spread(box, blocks, limit):
            layout_backgrounds(box, _no_images)
            moved = Page(box)
            page.links, page.anchors, page.bookmarks, page.forms = moved.links, moved.anchors, moved.bookmarks, moved.forms
            changed += 1
    return changed


def _no_images(*args: Any, **kwargs: Any) -> None:
    """Backgrounds are laid out again without fetching anything: a page with a background image is left as set (:func:`_pictured`)."""
    return None


def _pictured(page_box: Any) -> bool:
    """Whether anything on the page has a background image (its backgrounds could not be laid out again here)."""
    return any(image[0] != "none" for box in page_box.descendants() for image in box.style["background_image"])


def _flow_root(page_box: Any) -> Any | None:
    """The page's fragment of the document (not its margin boxes or footnote area)."""
    for child in page_box.children:
        if type(child).__name__ not in ("MarginBox", "FootnoteAreaBox"):
            return child
    return None


def _bottom(page_box: Any) -> float:
    """Where the flow may end: the page area's bottom, or the top of its footnotes."""
    bottom = page_box.content_box_y() + page_box.height
    for child in page_box.children:
        if type(child).__name__ == "FootnoteAreaBox" and child.children:
            bottom = min(bottom, child.position_y)
    return bottom


def flow_ends(page_box: Any) -> tuple[float, float] | None:
    """Where the page's flow ends and where it may end (CSS px); None for a page without running blocks."""
    blocks = _blocks(page_box)
    return (_end(blocks[-1].box), _bottom(page_box)) if blocks else None


def _undecorated(box: Any) -> bool:
    """A container that draws nothing itself and may be split: its blocks are spread, not it."""
    style = box.style
    if type(box).__name__ != "BlockBox" or style["break_inside"] != "auto" or style["position"] not in ("static", "relative"):
        return False
    if box.padding_top or box.padding_bottom or box.border_top_width or box.border_bottom_width:
        return False
    if style["background_color"].alpha or any(image[0] != "none" for image in style["background_image"]):
        return False
    children = [child for child in box.children if type(child).__name__ != "AbsolutePlaceholder"]
    return bool(children) and all(child.is_in_normal_flow() and type(child).__name__ != "LineBox" for child in children)


def _blocks(page_box: Any) -> list[_Block]:
    """The page's blocks in order, each with the containers it is in."""
    root = _flow_root(page_box)
    found: list[_Block] = []

    def walk(box: Any, chain: tuple) -> None:
        for child in box.children:
            if not child.is_in_normal_flow() or type(child).__name__ == "AbsolutePlaceholder":
                continue
            if _undecorated(child):
                walk(child, (*chain, child))
            else:
                found.append(_Block(child, chain))

    if root is not None and _undecorated(root):
        walk(root, (root,))
    return found


def _forced_between(page_box: Any, following: Any, blocks: list[_Block], after: list[_Block]) -> bool:
    """Whether the next page starts where the layout forces a page: another kind of page or a forced break."""
    if getattr(page_box.page_type, "name", None) != getattr(following.page_type, "name", None):
        return True
    here = {id(box.element) for block in blocks for box in (*block.chain, block.box) if box.element is not None}
    first, last = after[0], blocks[-1]
    starting = [box for box in (*first.chain, first.box) if box.element is None or id(box.element) not in here]
    ending = [box for box in (*last.chain, last.box) if box.element is None or id(box.element) not in {id(b.element) for b in (*first.chain, first.box)}]
    return any(box.style["break_before"] in FORCED for box in starting) or any(box.style["break_after"] in FORCED for box in ending)


def _tag(box: Any) -> str:
    return (getattr(box, "element_tag", "") or "").lower()


def _room(previous: _Block, block: _Block, limit: Limits) -> tuple[float, float]:
    """The most the gap between two blocks may grow, as (between paragraphs or items, above a heading): none under a heading."""
    if _tag(previous.box) in HEADINGS:
        return 0.0, 0.0
    if _tag(block.box) in HEADINGS:
        return 0.0, limit.heading
    if _tag(block.box) == "li" and _tag(previous.box) == "li" and previous.chain == block.chain:
        return limit.item, 0.0
    return limit.paragraph, 0.0


def _end(box: Any) -> float:
    """Where a block's content ends: its last line (a block split by the page is as tall as the page), or its border box."""
    lines = [child for child in getattr(box, "children", ()) if type(child).__name__ == "LineBox"]
    if lines:
        return lines[-1].position_y + lines[-1].height
    return box.border_box_y() + box.border_height()


def _spread(page_box: Any, blocks: list[_Block], limit: Limits) -> bool:
    """Move the blocks below each gap down by its share of the page's unused height; whether any moved."""
    short = _bottom(page_box) - _end(blocks[-1].box)
    rooms = [_room(previous, block, limit) for previous, block in zip(blocks, blocks[1:], strict=False)]
    between, above = sum(room[0] for room in rooms), sum(room[1] for room in rooms)
    if short <= EPSILON or between + above <= 0:
        return False
    # The gaps between paragraphs open first; headings only when they are used up, so heading space stays as set where it can.
    first = min(1.0, short / between) if between else 0.0
    second = min(1.0, (short - between) / above) if short > between and above else 0.0
    shifts, moved = [0.0], 0.0
    for paragraph, heading in rooms:
        moved += paragraph * first + heading * second
        shifts.append(moved)
    spans: dict[int, tuple[Any, float, float]] = {}
    for block, shift in zip(blocks, shifts, strict=True):
        block.box.translate(0, shift)
        for container in block.chain:
            first = spans.get(id(container), (container, shift, shift))[1]
            spans[id(container)] = (container, first, shift)
    for container, first, end in spans.values():
        container.position_y += first  # its blocks were moved one by one, not by moving it
        container.height += end - first
        for child in container.children:  # what it positions itself (a list item's marker) moves with its top
            if type(child).__name__ == "AbsolutePlaceholder":
                child.translate(0, first)
    return True


def tighten(document: Any, render: Any, limit: Limits, passes: int = 2) -> Any:
    """Lay out again while a short page could take the next page's opening by closing its gaps a little; the last document.

    A heading moved to the next page with its first lines often misses the
    page by a few points (issue 455: 2 pt in English). The gaps of that page,
    the one above the heading included, may close by up to ``limit.shrink``
    of their height; the margins a page needs are set on its elements and the
    document is laid out again, one page a pass. A page that still does not
    take the heading stops the passes (the estimate was wrong for this
    document); it stays short and :func:`justify` opens its gaps again.
    """
    if not limit.shrink:
        return document
    tried: set[int] = set()
    for _ in range(passes):
        heading = _tighten_one(document, limit, tried)
        if heading is None:
            break
        document = render()
        if _opens_a_page(document, heading):
            break
    return document


def _opens_a_page(document: Any, element: Any) -> bool:
    """Whether the element's box is the first block of a page."""
    for page in document.pages:
        blocks = _blocks(page._page_box)
        if blocks and blocks[0].box.element is element:
            return True
    return False


def _tighten_one(document: Any, limit: Limits, tried: set[int]) -> Any | None:
    """Set smaller gaps on the first page that can take the next page's opening with them; the heading (an element) it should take."""
    pages = document.pages
    for index, page in enumerate(pages[:-1]):
        box, following = page._page_box, pages[index + 1]._page_box
        blocks, after = _blocks(box), _blocks(following)
        if not blocks or not after or _forced_between(box, following, blocks, after) or _tag(after[0].box) not in HEADINGS:
            continue
        opening = next((i for i, block in enumerate(after) if _tag(block.box) not in HEADINGS), None)
        if opening is None or id(after[0].box.element) in tried:
            continue
        last = blocks[-1].box
        short = _bottom(box) - _end(last)
        if short < 2 * _line_height(last):
            continue  # the page looks full
        above = max(_margin(last, "bottom"), _margin(after[0].box, "top"))  # discarded at the top of the next page
        need = above + _opening_end(after[opening].box) - after[0].box.border_box_y()
        gaps = [
            (previous, block, _gap(previous.box, block.box)) for previous, block in zip(blocks, blocks[1:], strict=False) if _tag(previous.box) not in HEADINGS
        ]
        closable = sum(gap for _, _, gap in gaps) + above
        excess = need - short + EPSILON * 100
        if excess <= 0 or excess > closable * limit.shrink:
            continue
        tried.add(id(after[0].box.element))
        ratio = excess / closable
        for previous, block, gap in gaps:
            _set_gap(previous, block, gap * (1 - ratio))
        _set_gap(blocks[-1], after[0], above * (1 - ratio))
        return after[0].box.element
    return None


def _line_height(box: Any) -> float:
    """The height of the block's last line, or of a line of its font."""
    lines = [child for child in getattr(box, "children", ()) if type(child).__name__ == "LineBox"]
    return lines[-1].height if lines else box.style["font_size"] * 1.5


def _margin(box: Any, side: str) -> float:
    """The block's own computed margin on one side, in CSS px (a page top discards it from the box)."""
    value = box.style[f"margin_{side}"]
    return float(value.value) if getattr(value, "unit", None) == "px" else 0.0


def _gap(upper: Any, lower: Any) -> float:
    return max(0.0, lower.border_box_y() - (upper.border_box_y() + upper.border_height()))


def _opening_end(box: Any) -> float:
    """Where a block's part that cannot be left behind ends: its first lines by the orphans and widows rules, or all of it and its margin."""
    lines = [child for child in box.children if type(child).__name__ == "LineBox"] if hasattr(box, "children") else []
    first = box.style["orphans"]
    if len(lines) >= first + box.style["widows"]:
        return lines[first - 1].position_y + lines[first - 1].height
    return box.border_box_y() + box.border_height() + _margin(box, "bottom")  # WeasyPrint keeps a whole block's margin on the page


def _set_gap(upper: _Block, lower: _Block, size: float) -> None:
    """Make the space between two blocks ``size``: the lower block's top margin, and no other margin collapsing into it."""
    above = {id(box.element) for box in upper.chain}  # the same element is another box on each page
    below = {id(box.element) for box in lower.chain}
    ending = [box for box in (*upper.chain, upper.box) if id(box.element) not in below]
    starting = [box for box in (*lower.chain, lower.box) if id(box.element) not in above]
    changes = [(box, "margin-bottom", 0.0) for box in ending]
    # The outermost box that starts here takes the space: a list item's marker moves with its text.
    changes += [(starting[0], "margin-top", size)] + [(box, "margin-top", 0.0) for box in starting[1:]]
    for box, name, px in changes:
        element = box.element
        if element is None:
            continue
        kept = ";".join(part for part in (element.get("style") or "").split(";") if part.strip() and not part.strip().startswith(name + ":"))
        element.set("style", f"{kept};{name}:{px:.2f}px" if kept else f"{name}:{px:.2f}px")
