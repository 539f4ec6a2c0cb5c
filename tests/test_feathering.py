"""Vertical justification on laid-out pages (publisher/feathering.py), on small documents made for it.

The editions themselves are measured in tests/test_typography.py; here each
rule is seen alone: a short page filled up to the limits, nothing added under
a heading, a list item's marker and a link moving with their text, a forced
break left alone, and a page that takes back a heading group by closing its
gaps a little.
"""

from __future__ import annotations

import pytest
import weasyprint
from lxml import etree  # noqa: F401 - WeasyPrint's own dependency: its etree is what the module edits

from publisher import feathering

PAGE = "@page { size: 120mm 100mm; margin: 10mm } body { margin: 0; font: 10pt/15pt serif } p { margin: 0 0 4pt; orphans: 2; widows: 2 } h2 { margin: 12pt 0 3pt; font-size: 12pt; line-height: 15pt; break-after: avoid }"
LIMITS = '<meta name="vertical-justify" content="shrink 0%, heading 6mm, paragraph 2mm, item 1mm">'
WORDS = "word " * 40


def laid_out(body: str, meta: str = LIMITS, css: str = "") -> tuple[weasyprint.HTML, object]:
    source = weasyprint.HTML(string=f"<html><head>{meta}<style>{PAGE}{css}</style></head><body>{body}</body></html>")
    return source, source.render()


def last_bottom(page) -> float:
    blocks = feathering._blocks(page._page_box)
    box = blocks[-1].box
    return box.border_box_y() + box.border_height()


def test_limits_are_read_from_the_meta_value() -> None:
    source, _ = laid_out("<p>x</p>", '<meta name="vertical-justify" content="shrink 25%, heading 6mm, paragraph 3pt, item 2px">')
    found = feathering.limits(source.etree_element)
    assert found.shrink == pytest.approx(0.25)
    assert found.heading == pytest.approx(6 * 96 / 25.4)
    assert found.paragraph == pytest.approx(4.0)
    assert found.item == pytest.approx(2.0)
    assert not feathering.limits(laid_out("<p>x</p>", "")[0].etree_element)


def test_a_short_page_is_filled_and_nothing_is_added_under_a_heading() -> None:
    # Three paragraphs, then a heading with a paragraph that cannot be split: it goes to page 2.
    body = "<p>one</p><p>two</p><p>three</p><p>four</p><h2>Heading</h2><p>" + WORDS * 2 + "</p>"
    source, document = laid_out(body, css="p:last-child { orphans: 20; widows: 20 }")
    assert len(document.pages) >= 2
    page = document.pages[0]
    bottom = feathering._bottom(page._page_box)
    before = [block.box.border_box_y() for block in feathering._blocks(page._page_box)]
    assert bottom - last_bottom(page) > 20  # short to begin with
    assert feathering.justify(document, feathering.limits(source.etree_element)) >= 1
    after = [block.box.border_box_y() for block in feathering._blocks(page._page_box)]
    assert last_bottom(page) == pytest.approx(bottom, abs=0.5) or last_bottom(page) < bottom
    grown = [b - a for a, b in zip(before, after, strict=True)]
    assert grown[0] == 0 and all(later >= earlier for earlier, later in zip(grown, grown[1:], strict=False))
    assert max(b - a for a, b in zip(grown, grown[1:], strict=False)) <= 2 * 96 / 25.4 + 0.01  # paragraph gaps grow 2 mm at most


def test_the_gap_under_a_heading_never_grows() -> None:
    body = "<h2>One</h2><p>a</p><h2>Two</h2><p>b</p><p>c</p><h2>Three</h2><p>" + WORDS * 3 + "</p>"
    source, document = laid_out(body, css="p:last-child { orphans: 30; widows: 30 }")
    page = document.pages[0]
    blocks = feathering._blocks(page._page_box)
    under = [(b.box.border_box_y() - (a.box.border_box_y() + a.box.border_height())) for a, b in zip(blocks, blocks[1:], strict=False) if a.box.element_tag == "h2"]
    feathering.justify(document, feathering.limits(source.etree_element))
    blocks = feathering._blocks(page._page_box)
    after = [(b.box.border_box_y() - (a.box.border_box_y() + a.box.border_height())) for a, b in zip(blocks, blocks[1:], strict=False) if a.box.element_tag == "h2"]
    assert after == pytest.approx(under)


def test_a_list_items_marker_and_a_link_move_with_their_text() -> None:
    css = "ul { margin: 0 0 4pt; padding: 0; list-style: none } li { position: relative; padding-left: 6mm; margin-bottom: 2pt } li::before { content: '■'; position: absolute; left: 0; top: 0 }"
    items = "".join(f'<li><p>item {n} <a href="https://example.org/{n}">link</a></p></li>' for n in range(4))
    body = f"<p>intro</p><ul>{items}</ul><h2>Next</h2><p>{WORDS * 3}</p>"
    source, document = laid_out(body, css=css + " p:last-child { orphans: 30; widows: 30 }")
    feathering.justify(document, feathering.limits(source.etree_element))
    page = document.pages[0]
    for item in [box for box in page._page_box.descendants() if getattr(box, "element_tag", "") == "li" and type(box).__name__ == "BlockBox"]:
        marker = next(box for box in item.descendants() if getattr(box, "element_tag", "") == "li::before")
        text = next(box for box in item.descendants() if type(box).__name__ == "LineBox")
        assert marker.position_y == pytest.approx(text.position_y, abs=0.5)
    links = sorted(rect[1] for kind, target, rect, box in page.links if kind == "external")
    lines = sorted(box.position_y for box in page._page_box.descendants() if type(box).__name__ == "InlineBox" and box.element_tag == "a")
    assert links == pytest.approx(lines, abs=0.5)


def test_a_page_before_a_forced_break_is_left_as_set() -> None:
    source, document = laid_out("<p>one</p><p>two</p><h2 style='break-before: page'>Next</h2><p>three</p>")
    page = document.pages[0]
    before = last_bottom(page)
    assert feathering.justify(document, feathering.limits(source.etree_element)) == 0
    assert last_bottom(page) == before


def test_a_page_takes_back_a_heading_group_by_closing_its_gaps() -> None:
    meta = '<meta name="vertical-justify" content="shrink 30%, heading 0mm, paragraph 0mm, item 0mm">'
    # Paragraphs with wide gaps, then a heading and a two-line paragraph that miss the page by a few points.
    filler = "".join(f"<p style='margin-bottom: 12pt'>line {n}</p>" for n in range(5))
    body = filler + "<h2>Heading</h2><p>" + WORDS[:100] + "</p>"
    for extra in range(0, 60, 2):
        source, document = laid_out(f"<div style='height: {extra}pt'></div>" + body, meta)
        heading_first = feathering._blocks(document.pages[1]._page_box)[0].box.element_tag == "h2" if len(document.pages) > 1 else False
        page = document.pages[0]
        if heading_first and feathering._bottom(page._page_box) - last_bottom(page) > 2 * 20:
            break
    else:
        pytest.fail("no layout left the heading group just past the page")
    tightened = feathering.tighten(document, source.render, feathering.limits(source.etree_element))
    assert tightened is not document
    first_page = [block.box.element_tag for block in feathering._blocks(tightened.pages[0]._page_box)]
    assert "h2" in first_page


def test_a_page_with_a_background_image_is_left_as_set() -> None:
    """Its backgrounds could not be laid out again without fetching: the page keeps its layout rather than lose the picture."""
    body = "<p style='background-image: linear-gradient(red, blue)'>one</p><p>two</p><p>three</p><h2>Heading</h2><p>" + WORDS * 3 + "</p>"
    source, document = laid_out(body, css="p:last-child { orphans: 30; widows: 30 }")
    page = document.pages[0]
    before = last_bottom(page)
    assert feathering.justify(document, feathering.limits(source.etree_element)) == 0
    assert last_bottom(page) == before
