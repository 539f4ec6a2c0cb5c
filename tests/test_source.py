"""The parser of the issue source format (docs/issue-format.md), construct by construct."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from publisher.errors import PublisherError
from publisher.model import (
    Code,
    Emphasis,
    Image,
    Issue,
    IssueMeta,
    Link,
    ListBlock,
    Paragraph,
    Period,
    Quote,
    Section,
    Strong,
    Text,
)
from publisher.source import parse_issue, read_issue

NAME = "issues/9/issue.md"
SERIES = {"weekly-analysis"}
# Eight lines: the body starts on line 9.
FRONT = """\
---
series: weekly-analysis
number: 9
period:
  start: 2024-12-02
  end: 2024-12-06
title: "A Test Issue"
---
"""
BODY = "## Introduction\n\nSome text.\n"


def parse(body: str, front: str = FRONT) -> Issue:
    return parse_issue(front + textwrap.dedent(body), NAME, SERIES)


def error_of(text: str, known_series: set[str] | None = SERIES) -> str:
    with pytest.raises(PublisherError) as info:
        parse_issue(text, NAME, known_series)
    message = str(info.value)
    assert "\n" not in message, message
    return message


def assert_error(text: str, line: int, *words: str, known_series: set[str] | None = SERIES) -> None:
    message = error_of(text, known_series)
    assert message.startswith(f"{NAME}:{line}: "), message
    for word in words:
        assert word in message, message


def front(**fields: str | None) -> str:
    """FRONT with some field lines replaced (value None drops the field)."""
    lines = {
        "series": "series: weekly-analysis",
        "number": "number: 9",
        "period": "period:\n  start: 2024-12-02\n  end: 2024-12-06",
        "title": 'title: "A Test Issue"',
    }
    for key, value in fields.items():
        if value is None:
            lines.pop(key, None)
        else:
            lines[key] = value
    return "---\n" + "\n".join(lines.values()) + "\n---\n"


def kinds(issue: Issue) -> list[tuple[str, str]]:
    return [(u.kind, u.source) for u in issue.units()]


def walk(inlines):
    for run in inlines:
        yield run
        yield from walk(getattr(run, "children", ()))


# --- front matter ---------------------------------------------------------------


def test_front_matter_fields_become_issue_meta():
    issue = parse(BODY, front(title='title: "A Test Issue"\nkeywords: [China, Russia, foreign policy]'))
    assert issue.meta == IssueMeta(
        series="weekly-analysis",
        number=9,
        period=Period(dt.date(2024, 12, 2), dt.date(2024, 12, 6)),
        keywords=("China", "Russia", "foreign policy"),
    )
    assert issue.domain == "weekly-analysis-9"


def test_title_is_a_unit_with_its_line_and_inline_markup():
    issue = parse(BODY, front(title='title: "The   *Objectives*\n  of China"'))
    assert issue.title.id == "title"
    assert issue.title.kind == "title"
    assert issue.title.source == "The *Objectives* of China"
    assert issue.title.where.file == NAME
    assert issue.title.where.line == 7
    assert any(isinstance(run, Emphasis) for run in issue.title.inlines)


def test_keywords_are_optional():
    assert parse(BODY).meta.keywords == ()


def test_quoted_dates_datetimes_and_one_day_period_are_accepted():
    issue = parse(BODY, front(period="period:\n  start: '2024-12-02'\n  end: 2024-12-02T10:00:00"))
    assert issue.meta.period == Period(dt.date(2024, 12, 2), dt.date(2024, 12, 2))


def test_bom_crlf_and_dots_closing_line_are_accepted():
    text = "\ufeff" + (FRONT[:-4] + "...\n" + BODY).replace("\n", "\r\n")
    issue = parse_issue(text, NAME, SERIES)
    assert issue.meta.number == 9
    assert [u.where.line for u in issue.units()] == [7, 9, 11]


def test_known_series_is_not_checked_when_not_given():
    assert parse_issue(front(series="series: monthly") + BODY, NAME, None).meta.series == "monthly"


# --- body structure -------------------------------------------------------------


def test_sections_nest_by_heading_level():
    issue = parse(
        """
        ## One

        ### One.A

        #### One.A.i

        Deep text.

        ### One.B

        ## Two

        #### Skipped a level
        """
    )
    one, two = issue.sections
    assert one.heading.unit.source == "One" and one.heading.level == 1
    one_a, one_b = one.blocks
    assert (one_a.heading.unit.source, one_a.heading.level) == ("One.A", 2)
    (one_a_i,) = one_a.blocks
    assert (one_a_i.heading.unit.source, one_a_i.heading.level) == ("One.A.i", 3)
    assert isinstance(one_a_i.blocks[0], Paragraph) and one_a_i.blocks[0].unit.source == "Deep text."
    assert (one_b.heading.unit.source, one_b.blocks) == ("One.B", ())
    assert two.heading.unit.source == "Two"
    (skipped,) = two.blocks
    assert isinstance(skipped, Section) and skipped.heading.level == 3


def test_text_before_the_first_heading_is_an_untitled_introduction():
    issue = parse("Opening words.\n\n## Next\n\nMore.\n")
    first, second = issue.sections
    assert first.heading is None and first.role == "introduction"
    assert [b.unit.source for b in first.blocks] == ["Opening words."]
    assert second.heading.unit.source == "Next"


@pytest.mark.parametrize(
    ("line", "number", "text"),
    [
        ("### 2. Foo", 2, "Foo"),
        ("### 3) Bar baz", 3, "Bar baz"),
        ("#### 12.   Spaced   out", 12, "Spaced out"),
        ("### 2.Foo", None, "2.Foo"),
        ("### 2024. A year", None, "2024. A year"),
        ("### Plain", None, "Plain"),
    ],
)
def test_numbered_headings_keep_the_number_out_of_the_text(line, number, text):
    issue = parse(f"## Top\n\n{line}\n\nText.\n")
    heading = issue.sections[0].blocks[0].heading
    assert heading.number == number
    assert heading.unit.source == text
    assert str(number) not in heading.unit.source or number is None


def test_heading_inline_markup_is_kept_in_the_message():
    heading = parse("## The *Objectives* of China\n\nText.\n").sections[0].heading
    assert heading.unit.source == "The *Objectives* of China"
    assert any(isinstance(run, Emphasis) for run in heading.unit.inlines)


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("## Introduction", "introduction"),
        ("## Conclusion", "conclusion"),
        ("## RECOMMENDATIONS:", "recommendations"),
        ("## References", "references"),
        ("## 1. Introduction", "introduction"),
        ("## The Objectives", "body"),
    ],
)
def test_special_sections_are_recognised_by_their_english_heading(heading, role):
    assert parse(f"{heading}\n\nText.\n").sections[0].role == role


def test_special_headings_below_level_two_are_ordinary():
    (section,) = parse("## Sources\n\n### References\n\n1. one\n").sections
    sub = section.blocks[0]
    assert sub.role == "body"
    assert sub.blocks[0].role == "list"
    assert [u.kind for u in parse("## Sources\n\n### References\n\n1. one\n").units()][-1] == "list-item"


def test_paragraph_lines_are_joined_into_one_message():
    (para,) = parse("## A\n\nFirst line\n   second line\nthird line.\n").sections[0].blocks
    assert para.unit.source == "First line second line third line."
    assert para.unit.kind == "paragraph"


def test_backslash_hard_break_does_not_leak_a_backslash():
    # CommonMark: a backslash at the end of a line is a hard line break, not text.
    (para,) = parse("## A\n\nline one\\\nline two\n").sections[0].blocks
    shown = "".join(run.text for run in walk(para.unit.inlines) if isinstance(run, Text))
    assert "\\" not in shown, para.unit.inlines


def test_bullet_items_with_bold_lead_ins():
    issue = parse(
        """
        ## A

        - **Support for a regime:** Both China and Russia
          aim to back it.
        - **Relations free from influence:** Another objective.
        """
    )
    (lst,) = issue.sections[0].blocks
    assert isinstance(lst, ListBlock) and not lst.ordered and lst.role == "list"
    assert len(lst.items) == 2
    first = lst.items[0].blocks[0]
    assert first.unit.kind == "list-item"
    assert first.unit.source == "**Support for a regime:** Both China and Russia aim to back it."
    lead = first.unit.inlines[0]
    assert isinstance(lead, Strong) and lead.children == (Text("Support for a regime:"),)
    assert first.unit.inlines[1] == Text(" Both China and Russia aim to back it.")


def test_continuation_paragraphs_and_quotes_inside_a_list_item():
    issue = parse(
        """
        ## A

        - **Lead-in:** first paragraph.

          Second paragraph of the item.

          > A quoted statement.

          Third paragraph.

        - Next item.
        """
    )
    (lst,) = issue.sections[0].blocks
    assert len(lst.items) == 2
    first, second, quote, third = lst.items[0].blocks
    assert [type(b) for b in lst.items[0].blocks] == [Paragraph, Paragraph, Quote, Paragraph]
    assert (first.unit.kind, first.unit.source) == ("list-item", "**Lead-in:** first paragraph.")
    assert (second.unit.kind, second.unit.source) == ("paragraph", "Second paragraph of the item.")
    assert [(p.unit.kind, p.unit.source) for p in quote.blocks] == [("quote", "A quoted statement.")]
    assert (third.unit.kind, third.unit.source) == ("paragraph", "Third paragraph.")
    assert lst.items[1].blocks[0].unit.source == "Next item."


def test_block_quote_with_two_paragraphs():
    (quote,) = parse("## A\n\n> First.\n> still first.\n>\n> Second.\n").sections[0].blocks
    assert isinstance(quote, Quote)
    assert [(p.unit.kind, p.unit.source) for p in quote.blocks] == [("quote", "First. still first."), ("quote", "Second.")]


def test_ordered_list_outside_special_sections_is_an_ordinary_list():
    (lst,) = parse("## A\n\n3. three\n4. four\n").sections[0].blocks
    assert lst.ordered and lst.start == 3 and lst.role == "list"
    assert [i.blocks[0].unit.kind for i in lst.items] == ["list-item", "list-item"]


@pytest.mark.parametrize(("heading", "role", "kind"), [("Recommendations", "recommendations", "recommendation"), ("References", "references", "reference")])
def test_ordered_lists_under_recommendations_and_references(heading, role, kind):
    issue = parse(
        f"""
        ## {heading}

        Based on the findings:

        1. First one.
        2. Second one.

        - a bullet stays a bullet
        """
    )
    (section,) = issue.sections
    assert section.role == role
    intro, numbered, bullets = section.blocks
    assert intro.unit.kind == "paragraph"
    assert numbered.ordered and numbered.role == role and numbered.start == 1
    assert [i.blocks[0].unit.kind for i in numbered.items] == [kind, kind]
    assert [i.blocks[0].unit.source for i in numbered.items] == ["First one.", "Second one."]
    assert not bullets.ordered and bullets.role == "list"
    assert bullets.items[0].blocks[0].unit.kind == "list-item"


def test_links_keep_their_href():
    (para,) = parse('## A\n\nSee [Radio Azadi](http://azad.link/x "t") and <https://dw.com/y>.\n').sections[0].blocks
    links = [run for run in walk(para.unit.inlines) if isinstance(run, Link)]
    assert [(link.href, link.children) for link in links] == [
        ("http://azad.link/x", (Text("Radio Azadi"),)),
        ("https://dw.com/y", (Text("https://dw.com/y"),)),
    ]
    assert para.unit.source == 'See [Radio Azadi](http://azad.link/x "t") and <https://dw.com/y>.'


def test_inline_emphasis_code_and_image():
    (para,) = parse("## A\n\n*it* _it_ **b** `x < y` ![a map](map.png)\n").sections[0].blocks
    runs = list(walk(para.unit.inlines))
    assert sum(isinstance(r, Emphasis) for r in runs) == 2
    assert sum(isinstance(r, Strong) for r in runs) == 1
    assert Code("x < y") in runs
    assert Image("map.png", "a map") in runs


@pytest.mark.parametrize("html", ["<img src=x>", '<img src="x.png" onerror="alert(1)">', "<b>bold</b>", "<script>alert(1)</script>"])
def test_raw_html_in_text_is_refused_at_its_line(html):
    """Tags are never printed as markup: the layout cannot show them, so the source may not hold them."""
    assert_error(FRONT + f"## A\n\nBefore {html} after.\n", 11, "raw HTML", html[:2])


def test_raw_html_block_is_refused_at_its_line():
    assert_error(FRONT + "## A\n\n<div>\n<img src=x>\n</div>\n", 11, "raw HTML")


def test_raw_html_in_the_title_is_refused_at_its_line():
    assert_error(FRONT.replace('"A Test Issue"', '"A <b>Test</b> Issue"'), 7, "raw HTML")


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "vbscript:msgbox", "file:///etc/passwd"])
def test_dangerous_links_are_not_links(href):
    (para,) = parse(f"## A\n\nClick [here]({href}) now.\n").sections[0].blocks
    assert not any(isinstance(r, Link) for r in walk(para.unit.inlines))
    assert "".join(r.text for r in walk(para.unit.inlines) if isinstance(r, Text)) == f"Click [here]({href}) now."


def test_thematic_breaks_are_ignored():
    issue = parse("## A\n\nOne.\n\n---\n\n***\n\nTwo.\n")
    assert [b.unit.source for b in issue.sections[0].blocks] == ["One.", "Two."]


def test_setext_underline_makes_a_heading():
    issue = parse("## A\n\nUnderlined\n---\n\nText.\n")
    assert [s.heading.unit.source for s in issue.sections] == ["A", "Underlined"]


def test_deeper_heading_levels_are_accepted():
    issue = parse("## A\n\n##### Five\n\n###### Six\n\nText.\n")
    five = issue.sections[0].blocks[0]
    assert five.heading.level == 4
    assert five.blocks[0].heading.level == 5


# --- lines, ids and order ---------------------------------------------------------


def test_every_unit_carries_its_line_in_the_file():
    body = """\
        Opening.

        ## 1. Introduction

        Intro text
        on two lines.

        ### Sub

        - **Lead:** item

          continuation

          > quoted

        > top quote

        ## Recommendations

        1. rec one
        2. rec two
        """
    issue = parse(body)
    lines = (FRONT + textwrap.dedent(body)).split("\n")
    got = [(u.where.file, u.where.line, u.kind, u.source) for u in issue.units()]
    assert got == [
        (NAME, 7, "title", "A Test Issue"),
        (NAME, 9, "paragraph", "Opening."),
        (NAME, 11, "heading", "Introduction"),
        (NAME, 13, "paragraph", "Intro text on two lines."),
        (NAME, 16, "heading", "Sub"),
        (NAME, 18, "list-item", "**Lead:** item"),
        (NAME, 20, "paragraph", "continuation"),
        (NAME, 22, "quote", "quoted"),
        (NAME, 24, "quote", "top quote"),
        (NAME, 26, "heading", "Recommendations"),
        (NAME, 28, "recommendation", "rec one"),
        (NAME, 29, "recommendation", "rec two"),
    ]
    for _, line, _, source in got:  # and those lines really hold the text
        assert source.split()[0].strip("*") in lines[line - 1]


def test_unit_ids_are_stable_and_local_to_their_section():
    body = "Opening.\n\n## Introduction\n\nA.\n\nB.\n\n## The Objectives\n\n- x\n\n> y\n"
    issue = parse(body)
    assert [u.id for u in issue.units()] == [
        "title",
        "opening/1",
        "introduction",
        "introduction/1",
        "introduction/2",
        "the-objectives",
        "the-objectives/1",
        "the-objectives/2",
    ]
    assert [u.id for u in parse(body).units()] == [u.id for u in issue.units()]
    # A paragraph added to one section leaves the ids of the others alone.
    edited = parse(body.replace("B.\n", "B.\n\nC.\n"))
    after = {u.source: u.id for u in edited.units()}
    assert after["x"] == "the-objectives/1" and after["y"] == "the-objectives/2"
    assert after["C."] == "introduction/3"


def test_duplicate_headings_get_distinct_anchors():
    issue = parse("## Notes\n\n### Notes\n\n## Notes\n")
    anchors = [issue.sections[0].heading.anchor, issue.sections[0].blocks[0].heading.anchor, issue.sections[1].heading.anchor]
    assert anchors == ["notes", "notes-2", "notes-3"]


def test_units_follow_reading_order():
    body = "## A\n\nP1.\n\n- i1\n\n  i1b\n\n  > q\n\n- i2\n\n### B\n\n1. n1\n\n## C\n\n> q2\n"
    issue = parse(body)
    order = [u.where.line for u in issue.units()]
    assert order == sorted(order)
    assert [u.source for u in issue.units()] == ["A Test Issue", "A", "P1.", "i1", "i1b", "q", "i2", "B", "n1", "C", "q2"]


# --- the sample issue -----------------------------------------------------------


@pytest.fixture(scope="module")
def sample(root: Path) -> Issue:
    return read_issue(root / "issues" / "455", "issues/455/issue.md", SERIES)


def _all_blocks(node):
    if isinstance(node, Section):
        for b in node.blocks:
            yield b
            yield from _all_blocks(b)
    elif isinstance(node, ListBlock):
        for item in node.items:
            for b in item.blocks:
                yield b
                yield from _all_blocks(b)
    elif isinstance(node, Quote):
        for b in node.blocks:
            yield b


def test_sample_issue_structure(sample: Issue):
    assert sample.meta == IssueMeta(
        "weekly-analysis", 455, Period(dt.date(2024, 12, 2), dt.date(2024, 12, 6)), ("China", "Russia", "Afghanistan", "Islamic Emirate", "foreign policy")
    )
    assert sample.title.source == "The Objectives of China and Russia in Afghanistan: Points of Convergence and Divergence"
    assert [s.heading.unit.source for s in sample.sections] == [
        "Introduction",
        "The Objectives of China and Russia in Afghanistan",
        "Shared Interests of China and Russia in Afghanistan",
        "Diverging Interests of China and Russia in Afghanistan",
        "Conclusion",
        "Recommendations",
        "References",
    ]
    assert [s.role for s in sample.sections] == ["introduction", "body", "body", "body", "conclusion", "recommendations", "references"]
    objectives = sample.sections[1]
    subs = [b for b in objectives.blocks if isinstance(b, Section)]
    assert [s.heading.unit.source for s in subs] == ["Political Objectives", "Security Objectives", "Economic Objectives"]
    security = [b for b in subs[1].blocks if isinstance(b, Section)]
    assert [(s.heading.level, s.heading.number) for s in security] == [(3, 1), (3, 2), (3, 3)]
    assert security[0].heading.unit.source == "Ensuring Afghanistan Does Not Serve as a Threat"
    shared = [b.heading for b in sample.sections[2].blocks if isinstance(b, Section)]
    assert [h.number for h in shared] == [1, 2, 3, 4]


def test_sample_issue_lists_quote_recommendations_references(sample: Issue):
    blocks = [b for s in sample.sections for b in _all_blocks(s)]
    quotes = [b for b in blocks if isinstance(b, Quote)]
    assert len(quotes) == 1
    assert quotes[0].blocks[0].unit.source.startswith("We cannot overlook the fact")
    assert quotes[0].blocks[0].unit.where.line == 35
    recs = [u for u in sample.units() if u.kind == "recommendation"]
    refs = [u for u in sample.units() if u.kind == "reference"]
    assert len(recs) == 5 and recs[0].where.line == 147
    assert len(refs) == 5
    for ref in refs:
        links = [r for r in walk(ref.inlines) if isinstance(r, Link)]
        assert len(links) == 1 and links[0].href.startswith("http://")
    (ref_list,) = [b for b in sample.sections[-1].blocks if isinstance(b, ListBlock)]
    assert ref_list.role == "references" and ref_list.ordered
    political = sample.sections[1].blocks[1]
    (bullets,) = [b for b in political.blocks if isinstance(b, ListBlock)]
    assert len(bullets.items) == 3
    assert all(isinstance(item.blocks[0].unit.inlines[0], Strong) for item in bullets.items)


def test_sample_issue_every_unit_line_holds_its_text(sample: Issue, root: Path):
    lines = (root / "issues" / "455" / "issue.md").read_text(encoding="utf-8").split("\n")
    for unit in sample.units():
        assert unit.where.file == "issues/455/issue.md"
        assert unit.source[:25] in lines[unit.where.line - 1], (unit.id, unit.where.line)


def test_docs_example_is_what_the_docs_say(root: Path):
    doc = (root / "docs" / "issue-format.md").read_text(encoding="utf-8")
    example = doc.split("## A complete example", 1)[1].split("```markdown\n", 1)[1].split("\n```\n", 1)[0]
    issue = parse_issue(example + "\n", "issues/456/issue.md", SERIES)
    assert issue.domain == "weekly-analysis-456"
    assert [s.role for s in issue.sections] == ["introduction", "body", "conclusion", "recommendations", "references"]
    units = list(issue.units())
    claimed = re.search(r"(\d+) messages for the translators", doc)
    assert claimed and len(units) == int(claimed.group(1))
    assert [u.kind for u in units].count("heading") == 6
    assert [u.kind for u in units].count("recommendation") == 2
    assert [u.kind for u in units].count("reference") == 1
    assert [u.kind for u in units].count("quote") == 1


# --- errors -----------------------------------------------------------------------


def test_no_front_matter():
    assert_error(BODY, 1, "front matter", "'---' on the first line")


def test_unclosed_front_matter():
    assert_error("---\nseries: weekly-analysis\nnumber: 9\n\n" + BODY, 1, "front matter is not closed")


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        ("series: weekly-analysis\nnumber: 9\ntitle: foo: bar\n", 4),
        ("series: weekly-analysis\nnumber: 9\n  bad: indent\ntitle: x\n", 4),
        ("series: [weekly-analysis\nnumber: 9\n", 3),
    ],
)
def test_malformed_yaml_points_at_the_bad_line(fields, line):
    assert_error(f"---\n{fields}---\n{BODY}", line, "malformed YAML front matter")


def test_front_matter_must_be_a_mapping():
    assert_error("---\n- a\n- b\n---\n" + BODY, 2, "must be a mapping of fields")


@pytest.mark.parametrize("field", ["series", "number", "period", "title"])
def test_missing_field(field):
    assert_error(front(**{field: None}) + BODY, 1, f"missing field '{field}'")


def test_empty_field_is_missing():
    assert_error(front(title="title: ''") + BODY, 1, "missing field 'title'")


@pytest.mark.parametrize("value", ["nine", "0", "-3", "true", "'9'", "9.5"])
def test_number_must_be_a_positive_integer(value):
    assert_error(front(number=f"number: {value}") + BODY, 3, "'number' must be a positive whole number")


def test_period_missing_end():
    assert_error(front(period="period:\n  start: 2024-12-02") + BODY, 4, "'period' must have exactly 'start' and 'end'")


def test_period_with_an_extra_date():
    assert_error(front(period="period:\n  start: 2024-12-02\n  middle: 2024-12-03\n  end: 2024-12-06") + BODY, 4, "'period' must have exactly")


@pytest.mark.parametrize("value", ["2024-02-30", "'2024-02-30'"], ids=["unquoted", "quoted"])
def test_impossible_date(value):
    assert_error(front(period=f"period:\n  start: {value}\n  end: 2024-03-04") + BODY, 5, "period start", "2024-02-30", "is not a date")


def test_period_not_a_date():
    assert_error(front(period="period:\n  start: next monday\n  end: 2024-03-04") + BODY, 5, "period start 'next monday' is not a date")


def test_end_before_start():
    assert_error(front(period="period:\n  start: 2024-12-06\n  end: 2024-12-02") + BODY, 6, "period ends (2024-12-02) before it starts (2024-12-06)")


def test_unknown_series():
    assert_error(front(series="series: monthly-review") + BODY, 2, "unknown series 'monthly-review'", "weekly-analysis", known_series={"weekly-analysis"})


def test_series_must_be_a_name():
    assert_error(front(series="series: Weekly Analysis") + BODY, 2, "'series' must be a name")


def test_unknown_field():
    assert_error(FRONT.replace("title:", "author: someone\ntitle:") + BODY, 7, "unknown field 'author'")


def test_keywords_must_be_a_list():
    assert_error(front(title='title: "T"\nkeywords: China') + BODY, 8, "'keywords' must be a list")


def test_title_must_be_text():
    assert_error(front(title="title: 42") + BODY, 7, "'title' must be text")


def test_level_one_heading():
    assert_error(FRONT + "## A\n\nText.\n\n# Big\n", 13, "'#' is reserved for the title")


def test_setext_level_one_heading():
    assert_error(FRONT + "Big\n===\n", 9, "'#' is reserved for the title")


def test_fenced_code_block():
    assert_error(FRONT + "## A\n\n```\nprint(1)\n```\n", 11, "code block is not part of the issue format")


def test_indented_code_block():
    assert_error(FRONT + "## A\n\n    indented text\n", 11, "indented code block")


@pytest.mark.parametrize("body", ["## A\n\n- item\n- ## Heading\n", "## A\n\n- item\n\n  ### Heading\n", "## A\n\n> quote\n>\n> ## Heading\n"])
def test_heading_inside_a_list_or_quote(body):
    lines = body.split("\n")
    line = 9 + next(i for i, text in enumerate(lines) if "Heading" in text)
    assert_error(FRONT + body, line, "a heading cannot sit inside a list or quote")


def test_empty_heading():
    assert_error(FRONT + "## A\n\n##\n", 11, "empty heading")


@pytest.mark.parametrize("body", ["", "\n\n", "\n---\n\n***\n"])
def test_empty_body(body):
    assert_error(FRONT + body, 9, "no body text")


def test_every_error_is_one_line_with_file_and_line():
    broken = [
        BODY,
        FRONT + "# T\n",
        front(number="number: 0") + BODY,
        FRONT + "```\nx\n```\n",
    ]
    for text in broken:
        assert re.fullmatch(rf"{re.escape(NAME)}:[1-9]\d*: \S.*", error_of(text))


def test_read_issue_reports_a_missing_folder_and_file(tmp_path: Path):
    with pytest.raises(PublisherError) as info:
        read_issue(tmp_path / "nope", "issues/457/issue.md")
    assert str(info.value) == "issues/457: issue folder does not exist"
    (tmp_path / "empty").mkdir()
    with pytest.raises(PublisherError) as info:
        read_issue(tmp_path / "empty", "issues/458/issue.md")
    assert str(info.value) == "issues/458/issue.md: no issue.md in the issue folder"


def test_read_issue_rejects_non_utf8(tmp_path: Path):
    (tmp_path / "issue.md").write_bytes((FRONT + "## Caf\xe9\n").encode("latin-1"))
    with pytest.raises(PublisherError) as info:
        read_issue(tmp_path, "issues/9/issue.md")
    assert str(info.value).startswith("issues/9/issue.md: not UTF-8 text")
