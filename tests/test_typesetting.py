"""A typesetter's queries (publisher/typesetting.py) on small documents made for them.

The editions' queries are checked against their PDFs in
tests/test_typography.py; here each rule is seen alone: an open line is
queried with its page, line and the word that did not fit, a letter-spaced
line is queried, and nothing is queried without the layout's limit, for a
line that is not justified, or for a line set well.
"""

from __future__ import annotations

import re

import weasyprint

from publisher import typesetting

META = '<meta name="justify-query" content="0.55em 0.015em">'
CSS = "@page { size: 90mm 120mm; margin: 10mm } body { margin: 0; font: 10pt/14pt serif; text-align: justify } p { margin: 0 0 4pt }"
LONG = "Incomprehensibilities"


def render(body: str, meta: str = META, css: str = "") -> object:
    return weasyprint.HTML(string=f"<html lang=en><head>{meta}<style>{CSS}{css}</style></head><body>{body}</body></html>").render()


def test_an_open_line_is_queried_with_its_page_line_and_the_word_that_did_not_fit() -> None:
    """Three short words then a long one: the first line holds only the short words, its spaces opened wide."""
    first = "<p>" + " ".join(["Plain"] * 120) + "</p>"  # fills page 1 with well-set lines
    body = first + f"<p>One two three {LONG}{LONG} four five six seven eight nine ten.</p>"
    queries = typesetting.queries(render(body))
    assert len(queries) == 1, queries
    [query] = queries
    assert query.startswith('page 2, line 1 of "One two three'), query
    assert f'the next word, "{LONG}{LONG}", is ' in query and " pt too long for it: cut at least " in query, query
    spaces = float(re.search(r"word spaces (\d+\.\d+) em", query).group(1))
    assert spaces > 0.55, query


def test_a_line_set_well_is_not_queried() -> None:
    """Short words only, on a wide measure: every justified line opens its spaces a little past the face's own (about 0.32 em), none past the limit."""
    document = render("<p>" + " ".join(["Lorem", "ipsum", "dolor", "sit", "amet"] * 30) + "</p>", css="@page { size: 210mm 297mm } p { font-size: 9pt }")
    assert typesetting.queries(document) == []
    lines = [line for line in typesetting._lines(document) if line.space]
    assert len(lines) > 3 and all(0.3 < line.space < 0.55 for line in lines), [round(line.space, 2) for line in lines]


def test_a_letter_spaced_justified_line_is_queried() -> None:
    """Letters spaced past the limit (2 % against 1.5 %) are queried even where the word spaces are not wide."""
    body = "<p style='letter-spacing: 0.02em'>" + " ".join(["Lorem", "ipsum", "dolor", "sit", "amet"] * 12) + "</p>"
    queries = typesetting.queries(render(body))
    assert queries and all("letters spaced +2.0 %" in query for query in queries), queries


def test_nothing_is_queried_without_the_limit_or_for_lines_not_justified() -> None:
    body = f"<p>One two three {LONG}{LONG} four five six seven eight nine ten.</p>"
    assert typesetting.queries(render(body, meta="")) == []
    ragged = body.replace("<p>", "<p style='text-align: left; letter-spacing: 0.03em'>")
    assert typesetting.queries(render(ragged)) == []


def test_the_limits_are_read_from_the_meta() -> None:
    root = weasyprint.HTML(string=f"<html><head>{META}</head></html>").etree_element
    assert typesetting.limits(root) == (0.55, 0.015)
    assert typesetting.limits(weasyprint.HTML(string="<html><head></head></html>").etree_element) == (0.0, 0.0)


def line(slack: float, lead: float = 0.0, text: str = "x" * 60) -> typesetting.Line:
    return typesetting.Line(1, None, 1, text, 0.6, 0.0, slack=slack, natural=300.0, blank=3.0, lead=lead)


def test_a_query_says_how_much_to_cut_or_add() -> None:
    """60 letters in 300 px: 5 px a letter. 53 px added to the line; the next word needs 80 px and a 3 px space: 30 px too long, 6 letters to cut; 10 letters fill the line instead."""
    advice = typesetting._advice(line(53.0), line(0.0, lead=80.0, text="Afghanistan, found"))
    assert advice == 'the next word, "Afghanistan,", is 22 pt too long for it: cut at least 6 letters from the line, or add up to 10 to it', advice


def test_a_query_says_when_a_later_line_holds_the_line_open() -> None:
    """The next word would fit in what the line has to spare: the paragraph's breaks further on hold it open (issue 455 p7: "and", before "Afghanistan—")."""
    advice = typesetting._advice(line(53.0), line(0.0, lead=20.0, text="and cooking oil"))
    assert advice.startswith('the next word, "and", would fit: a later line'), advice
    assert "goes on in another block" in typesetting._advice(line(53.0), None)
