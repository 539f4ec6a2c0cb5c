"""Invariants of the issue model: immutable, every text block once, unique ids and anchors."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from publisher.errors import Location
from publisher.inline import markdown, parse_inline
from publisher.model import (
    Code,
    Emphasis,
    Image,
    Issue,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Section,
    Strong,
    Text,
    headings,
    plain_text,
)
from publisher.source import parse_issue, read_issue

SERIES = {"weekly-analysis"}
FRONT = "---\nseries: weekly-analysis\nnumber: 9\nperiod:\n  start: 2024-12-02\n  end: 2024-12-06\ntitle: T\n---\n"

# Bodies that stress ids and anchors: repeated headings, headings that
# slugify alike or to nothing, headings named like the reserved ids.
TRICKY = {
    "repeated": "## Notes\n\nA.\n\n### Notes\n\nB.\n\n## Notes\n\nC.\n",
    "same-slug": "## Trade & Transit\n\nA.\n\n## Trade, transit\n\nB.\n\n## trade-transit-2\n\nC.\n",
    "non-ascii": "## پایله\n\nA.\n\n## Ü\n\nB.\n\n## Section\n\nC.\n\n## Café\n\nD.\n",
    "heading-called-title": "## Title\n\nA.\n",
    "heading-called-opening": "Lead text.\n\n## Opening\n\nFirst.\n",
}


@pytest.fixture(scope="module")
def sample(root: Path) -> Issue:
    return read_issue(root / "issues" / "455", "issues/455/issue.md", SERIES)


def tricky(name: str) -> Issue:
    return parse_issue(FRONT + TRICKY[name], "issues/9/issue.md", SERIES)


def every_node(issue: Issue):
    """All model objects reachable from the issue (an independent walk)."""
    todo: list = [issue, issue.meta, issue.meta.period, issue.title, *issue.sections]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, Section):
            todo += [*([node.heading, node.heading.unit] if node.heading else []), *node.blocks]
        elif isinstance(node, Paragraph):
            todo.append(node.unit)
        elif isinstance(node, ListBlock):
            todo += node.items
        elif isinstance(node, (ListItem, Quote)):
            todo += node.blocks
        if hasattr(node, "inlines"):
            todo += _runs(node.inlines)


def _runs(inlines):
    for run in inlines:
        yield run
        yield from _runs(getattr(run, "children", ()))


def test_every_model_object_is_frozen(sample: Issue):
    seen = set()
    for node in every_node(sample):
        seen.add(type(node))
        field = dataclasses.fields(node)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(node, field, getattr(node, field))
    expected = {"Issue", "IssueMeta", "Period", "Unit", "Heading", "Section", "Paragraph", "ListBlock", "ListItem", "Quote", "Text", "Strong", "Link"}
    assert expected <= {t.__name__ for t in seen}
    with pytest.raises(dataclasses.FrozenInstanceError):
        sample.title.where.line = 1  # type: ignore[misc]
    assert isinstance(sample.sections, tuple) and isinstance(sample.sections[0].blocks, tuple)


def _text_blocks(issue: Issue) -> list:
    """Each title/heading/paragraph unit found by walking the tree (not via units())."""
    return [node for node in every_node(issue) if type(node).__name__ == "Unit"]


@pytest.mark.parametrize("which", ["sample", *TRICKY])
def test_units_yield_every_text_block_exactly_once(which, sample: Issue):
    issue = sample if which == "sample" else tricky(which)
    units = list(issue.units())
    assert Counter(map(id, units)) == Counter(map(id, _text_blocks(issue)))
    assert all(count == 1 for count in Counter(map(id, units)).values())


def test_sample_units_match_the_markdown_blocks(sample: Issue, root: Path):
    """One unit per heading and per paragraph of the source, plus the title."""
    text = (root / "issues" / "455" / "issue.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    tokens = markdown().parse(body)
    blocks = sum(1 for t in tokens if t.type in ("heading_open", "paragraph_open"))
    assert len(list(sample.units())) == blocks + 1


@pytest.mark.parametrize("which", ["sample", *TRICKY])
def test_unit_ids_are_unique(which, sample: Issue):
    issue = sample if which == "sample" else tricky(which)
    ids = Counter(u.id for u in issue.units())
    assert [i for i, n in ids.items() if n > 1] == []


@pytest.mark.parametrize("which", ["sample", *TRICKY])
def test_heading_anchors_are_unique_and_ascii(which, sample: Issue):
    issue = sample if which == "sample" else tricky(which)
    anchors = [h.anchor for h in headings(issue.sections)]
    assert anchors, "no headings"
    assert len(anchors) == len(set(anchors))
    for anchor in anchors:
        assert anchor.isascii() and anchor, anchor
        assert all(c.isalnum() or c == "-" for c in anchor), anchor


def test_headings_are_in_reading_order(sample: Issue):
    got = [h.unit for h in headings(sample.sections)]
    assert got == [u for u in sample.units() if u.kind == "heading"]
    assert [u.where.line for u in got] == sorted(u.where.line for u in got)


@pytest.mark.parametrize(
    ("source", "plain"),
    [
        ("**Lead-in:** text", "Lead-in: text"),
        ("see [the *official* site](http://x.org) now", "see the official site now"),
        ("`code` and _it_", "code and it"),
        ("![a map](map.png) here", "a map here"),
        ("one\\\ntwo", "one two"),
        ("<b>raw</b>", "<b>raw</b>"),
    ],
)
def test_plain_text_drops_markup(source, plain):
    assert plain_text(parse_inline(source)) == plain


def test_plain_text_of_hand_built_runs():
    runs = (Strong((Text("A"), Emphasis((Text("b"),)))), LineBreak(), Link("http://x", (Code("c"),)), Image("i.png", "alt"))
    assert plain_text(runs) == "Ab calt"


def test_domain_is_series_and_number(sample: Issue):
    assert sample.domain == "weekly-analysis-455"
    assert tricky("repeated").domain == "weekly-analysis-9"


def test_issue_source_location(sample: Issue):
    assert sample.source == Location("issues/455/issue.md", 1)
    assert str(sample.title.where) == "issues/455/issue.md:7"
