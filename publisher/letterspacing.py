"""Justified letter-spaced lines that end on the text block's edge.

WeasyPrint justifies a line by the width it measured for each text box, but
draws a letter-spaced box narrower (tracked in, wider) than that: measured on
issue 455's English edition, a line tracked +1 % or +2 % stopped 0.3–0.7 pt
short of the edge and one tracked -1 % ran 0.5–0.9 pt past it, while the
untracked lines end within 0.1 pt of it; the right edge of a justified page
was not one line (``pdftotext -bbox``, and ink at 400 dpi). The difference is
about the same for any tracking of either sign, 0.0435 em (measured: the
share of full lines ending within 0.15 pt of the edge is highest there, 219
of 243, from 130 without). After the last layout, each justified letter-spaced
left-to-right text box has its word spaces opened or closed so that Pango's
own width of it, plus that difference, fills the width it was given.
Right-to-left lines are left as they are: they start at that edge, which
their tests measure.
"""

from __future__ import annotations

import math
from typing import Any

NEGLIGIBLE = 0.01  # CSS px: a box this close to its width is left as it is
DRAWN_BEYOND = 0.0435  # em: how much narrower (tracked out) or wider (tracked in) a letter-spaced box is drawn than Pango measures it


def flush(document: Any) -> None:
    """Give each justified, letter-spaced text box of a left-to-right line the word spacing that makes its drawn text as wide as the box."""
    from weasyprint.text.line_break import create_layout

    lines = [box for page in document.pages for box in page._page_box.descendants() if type(box).__name__ == "LineBox" and box.style["direction"] == "ltr"]
    for box in (text for line in lines for text in line.descendants()):
        if type(box).__name__ != "TextBox" or not getattr(box, "justification_spacing", 0):
            continue
        tracking = box.style["letter_spacing"]
        if tracking in ("normal", 0):
            continue
        spaces = box.text.count(" ") + box.text.count("\u00a0")  # as WeasyPrint counts them when it justifies
        missing = box.width + math.copysign(DRAWN_BEYOND * box.style["font_size"], tracking) - measured(box)
        if not spaces or abs(missing) < NEGLIGIBLE:
            continue
        spacing = box.justification_spacing + missing / spaces
        layout = create_layout(box.text, box.style, None, None, spacing)
        layout.deactivate()  # set up again, justified, when the box is drawn (as WeasyPrint's own layouts are)
        box.justification_spacing, box.pango_layout = spacing, layout


def measured(box: Any) -> float:
    """The width (CSS px) Pango gives the text box's text justified (WeasyPrint adds one letter spacing to it)."""
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango
    from weasyprint.text.line_break import create_layout

    layout = create_layout(box.text, box.style, None, None, box.justification_spacing)
    layout.set_text(box.text, justify=True)
    extents = ffi.new("PangoRectangle *")
    pango.pango_layout_line_get_extents(pango.pango_layout_get_line_readonly(layout.layout, 0), ffi.NULL, extents)
    return extents.width * FROM_UNITS
