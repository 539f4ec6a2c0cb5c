"""Copyfitting: an edition that runs a few lines past the booklet's last page is set a little tighter.

The print file is a saddle-stitched booklet: its page count is padded with
blank pages up to the layout's multiple (4). An article that ends with a few
lines on one more page costs three blank pages. A typesetter copyfits: the
leading and the space between blocks are closed a little, throughout, until
the text fits. The layout says how (``copyfit`` in layout.yaml, stated in the
edition's HTML as ``<meta name="copyfit" content="multiple 4, last-page 50%,
step 98% 85%, step 96% 70%">``): only when the page to lose is at most
``last-page`` full, each step scaling the leading and the gaps (the
stylesheet's ``--fit-leading`` and ``--fit-gaps``, the root marked
``data-copyfit`` for the rules it relaxes); the first step that saves the
page is kept, none if none does. Screen and print files share the layout,
so both are the same set of pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from publisher import feathering

PART = re.compile(r"^\s*(?:(multiple)\s+(\d+)|(last-page)\s+(\d+(?:\.\d+)?)%|(step)\s+(\d+(?:\.\d+)?)%\s+(\d+(?:\.\d+)?)%)\s*$")


@dataclass(frozen=True)
class Copyfit:
    """When and how an edition is set tighter to save its last page."""

    multiple: int = 1  # the print file's pages are a multiple of this
    last_page: float = 0.0  # the page to lose may be at most this much of its text block full
    steps: tuple[tuple[float, float], ...] = ()  # (leading, gaps) scales, tried in order

    def __bool__(self) -> bool:
        return self.multiple > 1 and self.last_page > 0 and bool(self.steps)


def settings(root: Any) -> Copyfit:
    """The copyfit stated in the document's ``<meta name="copyfit">``; none without it."""
    multiple, last_page, steps = 1, 0.0, []
    for meta in root.iter("meta"):
        if meta.get("name") != "copyfit":
            continue
        for part in meta.get("content", "").split(","):
            match = PART.match(part)
            if not match:
                continue
            if match.group(1):
                multiple = int(match.group(2))
            elif match.group(3):
                last_page = float(match.group(4)) / 100
            else:
                steps.append((float(match.group(6)) / 100, float(match.group(7)) / 100))
    return Copyfit(multiple, last_page, tuple(steps))


def style(leading: float, gaps: float) -> str:
    """The root element's style for one step: the stylesheet scales its leading and gaps by these."""
    return f"--fit-leading: {leading:g}; --fit-gaps: {gaps:g}"


def attempts(document: Any, fit: Copyfit) -> Iterator[str]:
    """The root styles to try, tightest last; none when the document fills its booklet or its last page is too full to lose."""
    pages = document.pages
    if not fit or len(pages) < 3 or len(pages) % fit.multiple != 1:
        return
    if _fill(pages[-2]._page_box) > fit.last_page:  # the page before the back cover is the one to lose
        return
    for leading, gaps in fit.steps:
        yield style(leading, gaps)


def fitted(source: Any, document: Any, fit: Copyfit, parse: Callable[[], Any]) -> tuple[Any, Any]:
    """The source and first layout of the first step with one page fewer (a new source from ``parse``), or ``source`` and ``document``."""
    for root_style in attempts(document, fit):
        tried_source = parse()
        tried_source.etree_element.set("style", root_style)
        tried_source.etree_element.set("data-copyfit", "")  # what else a tighter edition gives up is the stylesheet's to say
        tried = tried_source.render()
        if len(tried.pages) < len(document.pages):
            return tried_source, tried
    return source, document


def _fill(page_box: Any) -> float:
    """How much of the page's text block its flow uses (0 to 1)."""
    ends = feathering.flow_ends(page_box)
    if ends is None:
        return 0.0
    top = page_box.content_box_y()
    used, bottom = ends
    return max(0.0, used - top) / max(1.0, bottom - top)
