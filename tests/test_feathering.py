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


def _scan(body: str, meta: str, found) -> tuple[weasyprint.HTML, object]:
    """The first layout, with a spacer of 0–60 pt above ``body``, that ``found(document)`` accepts."""
    for extra in range(0, 60):
        source, document = laid_out(f"<div style='height: {extra}pt'></div>" + body, meta)
        if len(document.pages) > 1 and found(document):
            return source, document
    pytest.fail("no layout of the kind looked for")


def _first_lines(page) -> list[str]:
    return ["".join(box.text for box in line.descendants() if type(box).__name__ == "TextBox") for line in page._page_box.descendants() if type(line).__name__ == "LineBox"]


SHRINK = '<meta name="vertical-justify" content="shrink 30%, heading 0mm, paragraph 0mm, item 0mm">'
FILLER = "".join(f"<p style='margin-bottom: 12pt'>line {n}</p>" for n in range(7))


def short_of(page) -> float:
    """How far above the page's foot its last line ends (CSS px)."""
    return feathering._bottom(page._page_box) - feathering._end(feathering._blocks(page._page_box)[-1].box)


def test_a_page_takes_back_the_first_lines_of_a_paragraph() -> None:
    """A new paragraph whose first two lines (its orphans) miss the page by a few points comes back on it (issue 456, Arabic page 3)."""
    body = FILLER + "<p id='long'>" + "start " + WORDS * 3 + "</p><p>" + WORDS + "</p>"

    def missed(document) -> bool:  # the paragraph opens page 2, page 1 being under two lines short of taking it
        return _first_lines(document.pages[1])[0].startswith("start") and 20 < short_of(document.pages[0]) < 60

    source, document = _scan(body, SHRINK, missed)
    tightened = feathering.tighten(document, source.render, feathering.limits(source.etree_element))
    assert tightened is not document
    assert any(line.startswith("start") for line in _first_lines(tightened.pages[0]))


def test_a_page_takes_back_the_last_lines_of_a_split_paragraph() -> None:
    """A paragraph split with just its widows on the next page, the page before under two lines short: the page takes them and ends the paragraph."""
    filler = "".join(f"<p style='margin-bottom: 12pt'>line {n}</p>" for n in range(6))
    body = filler + "<p>" + "word " * 28 + "finis</p><h2>Next</h2><p>" + WORDS + "</p>"  # a paragraph of four lines, and a last page

    def split(document) -> bool:
        page, following = document.pages[0], document.pages[1]
        blocks, after = feathering._blocks(page._page_box), feathering._blocks(following._page_box)
        return after[0].box.element is blocks[-1].box.element and len(feathering._lines(after[0].box)) == 2 and short_of(page) > 20

    source, document = _scan(body, SHRINK, split)
    tightened = feathering.tighten(document, source.render, feathering.limits(source.etree_element))
    assert tightened is not document
    assert any("finis" in line for line in _first_lines(tightened.pages[0]))


def test_a_tightened_layout_that_leaves_more_white_is_given_back() -> None:
    """Taking lines back moves every later page; a layout with more white at the pages' feet than before is not kept, and the margins set for it are taken back."""
    body = FILLER.split("</p>", 1)[1] + "<h2>Heading</h2><p>" + WORDS[:100] + "</p>"

    def missed(document) -> bool:
        return feathering._blocks(document.pages[1]._page_box)[0].box.element_tag == "h2" and short_of(document.pages[0]) > 40

    source, document = _scan(body, SHRINK, missed)
    styles = [element.get("style") for element in source.etree_element.iter()]
    worse = laid_out("<p>a</p><h2 style='break-before: avoid'>x</h2>" + "<p style='break-inside: avoid'>" + WORDS * 4 + "</p>" * 1 + "<p>b</p>", SHRINK)[1]
    limit = feathering.limits(source.etree_element)
    assert feathering._unfilled(worse, limit) > feathering._unfilled(document, limit)
    renders = []
    assert feathering.tighten(document, lambda: renders.append(1) or worse, limit) is document
    assert renders  # it was tried
    assert [element.get("style") for element in source.etree_element.iter()] == styles


def test_a_page_stretches_past_the_limits_only_to_reach_its_foot() -> None:
    """Beyond the limits, gaps open alike up to ``stretch`` times as far, and only when that fills the page; a page further short keeps the limits."""
    paragraphs = "".join(f"<p>paragraph {n}</p>" for n in range(6))
    tail = "<h2>Heading</h2><p style='orphans: 30; widows: 30'>" + WORDS * 3 + "</p>"
    for paragraph_mm, expected_full in ((1.0, True), (0.5, False)):
        meta = f'<meta name="vertical-justify" content="shrink 0%, heading 0mm, paragraph {paragraph_mm}mm, item 0mm, stretch 200%">'
        filled = None
        for extra in range(0, 200, 2):  # a page about 30 px short: six gaps of 1 mm (22.7 px) reach it only stretched; of 0.5 mm, not even so
            source, document = laid_out(f"<div style='height: {extra}pt'></div>" + paragraphs + tail, meta)
            page = document.pages[0]
            short = feathering._bottom(page._page_box) - last_bottom(page)
            if 28 < short < 32 and feathering._blocks(document.pages[1]._page_box)[0].box.element_tag == "h2":
                feathering.justify(document, feathering.limits(source.etree_element))
                filled = feathering._bottom(page._page_box) - last_bottom(page)
                break
        assert filled is not None, "no layout about 30 px short"
        if expected_full:
            assert filled == pytest.approx(0, abs=0.5)
        else:
            assert filled == pytest.approx(short - 6 * 0.5 * 96 / 25.4, abs=0.5)  # six gaps (the spacer's too) opened by their limit


def test_a_page_before_a_block_kept_whole_it_cannot_take_is_left_as_set() -> None:
    """The references go whole to the next page: the page before ends short as before a section, its gaps not opened part of the way."""
    body = "<p>one</p><p>two</p><p>three</p><div style='break-inside: avoid'>" + "<p>entry</p>" * 12 + "</div>"
    source, document = laid_out(body)
    assert feathering._blocks(document.pages[1]._page_box)[0].box.element_tag == "div"
    page = document.pages[0]
    before = last_bottom(page)
    assert feathering.justify(document, feathering.limits(source.etree_element)) == 0
    assert last_bottom(page) == before
