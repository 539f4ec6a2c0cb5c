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
a page that would need more opens its gaps alike up to ``stretch`` times
those limits when that takes it to its foot, or else is filled as far as the
limits allow and stays that much short. A page followed by a forced break
(the end of the article), by a page of another kind, or by a block kept whole
that it could not take (the references) is left as set. Before that,
:func:`tighten` lets a short page take the next page's opening by closing its
gaps a little, and keeps the new layout only when its pages end fuller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

FORCED = frozenset({"page", "left", "right", "recto", "verso"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
PX_PER = {"px": 1.0, "pt": 4 / 3, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
LENGTH = re.compile(r"^\s*(heading|paragraph|item)\s+(\d+(?:\.\d+)?)(px|pt|mm|cm|in)\s*$")
SHARE = re.compile(r"^\s*(shrink|stretch)\s+(\d+(?:\.\d+)?)%\s*$")
EPSILON = 0.01  # CSS px: a page that ends this close to its bottom is full


@dataclass(frozen=True)
class Limits:
    """The most space (CSS px) added to one gap, by what the block below the gap is."""

    heading: float = 0.0  # above a heading
    paragraph: float = 0.0  # between paragraphs, quotes, tables, figures, lists
    item: float = 0.0  # between the items of one list
    shrink: float = 0.0  # how much of its height a gap may lose so that a page takes the next page's opening
    stretch: float = 1.0  # how many times those amounts a page's gaps may grow when that fills the page to its last line

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
                found[share.group(1)] = float(share.group(2)) / 100
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
        if _left_as_set(box, following, blocks, after, limit):
            continue
        if _spread(box, blocks, limit):
            layout_backgrounds(box, _no_images)
            moved = Page(box)
            page.links, page.anchors, page.bookmarks, page.forms = moved.links, moved.anchors, moved.bookmarks, moved.forms
            changed += 1
    return changed


def _left_as_set(page_box: Any, following: Any, blocks: list[_Block], after: list[_Block], limit: Limits) -> bool:
    """Whether a page keeps its layout: nothing on it or after it, a forced break or a block kept whole that it cannot take next, a background picture."""
    if not blocks or not after or _forced_between(page_box, following, blocks, after) or _pictured(page_box):
        return True
    return _before_a_whole_block(page_box, blocks, after, limit)


def _before_a_whole_block(page_box: Any, blocks: list[_Block], after: list[_Block], limit: Limits) -> bool:
    """Whether the next page opens with a block the layout keeps whole (a reference list, a table) that this page could not take even with its gaps closed.

    Such a page ends short as the page before a section that opens a page
    does: opening its gaps part of the way would only spread the white.
    """
    opening = next((block for block in after if _tag(block.box) not in HEADINGS), None)
    if opening is None or opening.box.element is blocks[-1].box.element or opening.box.style["break_inside"] not in ("avoid", "avoid-page"):
        return False
    above, height = _opening(blocks, after) or (0.0, 0.0)
    short = _bottom(page_box) - _end(blocks[-1].box)
    closable = sum(gap for _, _, gap in _closable(blocks)) + above
    return above + height - short > closable * limit.shrink


def _closable(blocks: list[_Block]) -> list[tuple[_Block, _Block, float]]:
    """The page's gaps that may close, each with the blocks above and below it: all but those under a heading."""
    return [(previous, block, _gap(previous.box, block.box)) for previous, block in zip(blocks, blocks[1:], strict=False) if _tag(previous.box) not in HEADINGS]


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
    lines = _lines(box)
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
    if between + above < short <= (between + above) * limit.stretch:
        first = second = short / (between + above)  # past the limits, all alike, only when that takes the page to its foot
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


def tighten(document: Any, render: Any, limit: Limits, passes: int = 3) -> Any:
    """Lay out again while a short page could take the next page's opening by closing its gaps a little; the last document kept.

    A page ends short when the next page opens with what cannot be split
    there: a heading kept with its first lines, a paragraph's first lines (its
    orphans), the last lines of a split paragraph (its widows). It often
    misses the page by a few points (issue 455: 2 pt in English). The gaps of
    a page that vertical justification could not fill may close by up to
    ``limit.shrink`` of their height to take that opening; the margins are set
    on the elements and the document is laid out again, one page a pass.

    Taking an opening back moves the pages after it up, and the shortfall may
    only move to a later page (a typesetter balances a run of pages, not one).
    So a new layout is kept only when the space left unfilled at the foot of
    its pages, after vertical justification, is smaller; otherwise its
    margins are taken back and the next short page is tried.
    """
    if not limit.shrink:
        return document
    tried: set[int] = set()
    unfilled = _unfilled(document, limit)
    for _ in range(passes):
        saved: dict[int, tuple[Any, str | None]] = {}
        if unfilled < 1 or not _tighten_one(document, limit, tried, saved):
            break
        tried_document = render()
        left = _unfilled(tried_document, limit)
        if left < unfilled - 1 and len(tried_document.pages) <= len(document.pages):  # CSS px
            document, unfilled = tried_document, left
        else:
            for element, style in saved.values():  # as it was: the layout kept is the one before
                if style is None:
                    element.attrib.pop("style", None)
                else:
                    element.set("style", style)
    return document


def _unfilled(document: Any, limit: Limits) -> float:
    """The height (CSS px) vertical justification would leave empty at the foot of the document's pages, pages before a forced break aside."""
    total = 0.0
    pages = document.pages
    for index, page in enumerate(pages[:-1]):
        box, following = page._page_box, pages[index + 1]._page_box
        blocks, after = _blocks(box), _blocks(following)
        if _left_as_set(box, following, blocks, after, limit):
            continue
        short = _bottom(box) - _end(blocks[-1].box)
        total += max(0.0, short - _capacity(blocks, limit, short))
    return total


def _capacity(blocks: list[_Block], limit: Limits, short: float) -> float:
    """How much the page's gaps may grow altogether to take up ``short``: as far as the limits, or the stretch when that reaches the foot."""
    room = sum(sum(_room(previous, block, limit)) for previous, block in zip(blocks, blocks[1:], strict=False))
    return short if room < short <= room * limit.stretch else room


def _opening(blocks: list[_Block], after: list[_Block]) -> tuple[float, float] | None:
    """What the page must hold to take the next page's opening: (the gap above it, its height); None when there is nothing to take."""
    first = after[0]
    if first.box.element is not None and first.box.element is blocks[-1].box.element:  # a paragraph split by the page
        lines = _lines(first.box)
        if not lines:
            return None
        if len(lines) > first.box.style["widows"]:  # one more line would have left enough: it did not fit
            return 0.0, lines[0].position_y + lines[0].height - first.box.border_box_y()
        return 0.0, first.box.border_height() + _margin(first.box, "bottom")  # all of its rest
    opening = next((i for i, block in enumerate(after) if _tag(block.box) not in HEADINGS), None)
    if opening is None:
        return None
    above = max(_margin(blocks[-1].box, "bottom"), _margin(first.box, "top"))  # discarded at the top of the next page
    return above, _opening_end(after[opening].box) - first.box.border_box_y()


def _tighten_one(document: Any, limit: Limits, tried: set[int], saved: dict[int, tuple[Any, str | None]]) -> bool:
    """Set smaller gaps on a short page that can take the next page's opening with them; whether one was.

    Pages that vertical justification cannot fill come first; then the
    others, top down, since taking lines back on one page moves every page
    after it, up to the one that could not be filled.
    """
    pages = document.pages
    found = []
    for index, page in enumerate(pages[:-1]):
        box, following = page._page_box, pages[index + 1]._page_box
        blocks, after = _blocks(box), _blocks(following)
        if _left_as_set(box, following, blocks, after, limit) or id(after[0].box.element) in tried:
            continue
        short = _bottom(box) - _end(blocks[-1].box)
        taken = _opening(blocks, after)
        if taken is None or short <= EPSILON * 100:
            continue
        above, height = taken
        gaps = _closable(blocks)
        closable = sum(gap for _, _, gap in gaps) + above
        excess = above + height - short + EPSILON * 100
        if 0 < excess <= closable * limit.shrink:
            unfilled = short - _capacity(blocks, limit, short) > EPSILON * 100
            found.append((not unfilled, index, blocks, after, gaps, above, excess / closable))
    if not found:
        return False
    _, _, blocks, after, gaps, above, ratio = min(found, key=lambda candidate: candidate[:2])
    tried.add(id(after[0].box.element))
    for previous, block, gap in gaps:
        _set_gap(previous, block, gap * (1 - ratio), saved)
    if above:
        _set_gap(blocks[-1], after[0], above * (1 - ratio), saved)
    return True


def _lines(box: Any) -> list[Any]:
    return [child for child in getattr(box, "children", ()) if type(child).__name__ == "LineBox"]


def _margin(box: Any, side: str) -> float:
    """The block's own computed margin on one side, in CSS px (a page top discards it from the box)."""
    value = box.style[f"margin_{side}"]
    return float(value.value) if getattr(value, "unit", None) == "px" else 0.0


def _gap(upper: Any, lower: Any) -> float:
    return max(0.0, lower.border_box_y() - (upper.border_box_y() + upper.border_height()))


def _opening_end(box: Any) -> float:
    """Where a block's part that cannot be left behind ends: its first lines by the orphans and widows rules, or all of it and its margin."""
    lines = _lines(box)
    first = box.style["orphans"]
    if len(lines) >= first + box.style["widows"]:
        return lines[first - 1].position_y + lines[first - 1].height
    return box.border_box_y() + box.border_height() + _margin(box, "bottom")  # WeasyPrint keeps a whole block's margin on the page


def _set_gap(upper: _Block, lower: _Block, size: float, saved: dict[int, tuple[Any, str | None]]) -> None:
    """Make the space between two blocks ``size``: the lower block's top margin, and no other margin collapsing into it; each element's style as it was goes in ``saved``."""
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
        saved.setdefault(id(element), (element, element.get("style")))
        kept = ";".join(part for part in (element.get("style") or "").split(";") if part.strip() and not part.strip().startswith(name + ":"))
        element.set("style", f"{kept};{name}:{px:.2f}px" if kept else f"{name}:{px:.2f}px")
