"""Property tests (Hypothesis): the pure stages hold their promises for any input.

* any text as an issue body parses or is refused with a :class:`PublisherError`;
* any text as a translation goes through the inline parser, the link/image
  filter and bidi isolation, and the layout's ``inlines`` macro never lets a
  ``<`` of the text through unescaped;
* PO write → read is the identity on what a catalog says;
* native digits and back, and Latin-run splitting, lose nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html as html_lib
import io
import re
from functools import cache

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.support import NullTranslations
from conftest import ROOT, front_matter
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from publisher.catalogs import pofile
from publisher.catalogs.extract import issue_template
from publisher.errors import PublisherError
from publisher.html import environment
from publisher.inline import parse_inline
from publisher.layout import load_layout
from publisher.locale_rules import bidi, digits
from publisher.localize import _digits, _safe
from publisher.model import Code, Emphasis, Image, Issue, Link, Strong, Text, plain_text
from publisher.source import parse_issue, read_issue

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FRONT = front_matter("A Property Test")

# Pieces of Markdown, HTML and hostile text, so random documents hit the parser's corners.
MARKDOWN_PIECES = [
    "\n", "\n\n", "  \n", "\\\n", "## ", "### ", "#### ", "# ", "1. ", "2) ", "- ", "* ", "+ ", "> ", "    ", "\t",
    "```", "~~~", "---", "***", "===", "**", "*", "_", "__", "`", "``", "[", "]", "(", ")", "![", "](", "<", ">",
    "<div>", "</div>", "<script>", "</p>", "<!--", "-->", "<img src=x>", "&amp;", "&#60;", "&lt;", "\\", "|",
    "http://example.org", "javascript:alert(1)", "file:///etc/passwd", "mailto:a@b.c", "#x", "/etc/passwd",
    "Introduction", "References", "Conclusion", "Recommendations", "text", "کابل", "۱۲", "12", "\u200f", "\u200c",
    "\u202e", "\u2066", "\x00", "\r\n", "\r", "\ufeff", ":", "{", "}", "\"", "'",
]
markdownish = st.lists(st.one_of(st.sampled_from(MARKDOWN_PIECES), st.text(max_size=6)), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=300), markdownish)


@cache
def layout():
    return load_layout(ROOT / "layouts", "weekly-analysis")


@cache
def inlines_macro():
    return environment(layout(), NullTranslations()).get_template("inlines.html").module.inlines


# --- the issue source -------------------------------------------------------------


@FAST
@given(any_text)
@example("## A\n\n- x\n\n  > y\n")
@example("## A\n\n1. x\n   ## B\n")
@example("## A\n\n- \n-\n")
@example("Title\n=====\n")
@example("## Introduction\n\n<div>raw</div>\n")
def test_any_body_parses_or_is_a_publisher_error(body: str) -> None:
    try:
        issue = parse_issue(FRONT + body, "issues/455/issue.md", {"weekly-analysis"})
    except PublisherError as exc:
        assert "\n" not in str(exc).strip(), str(exc)
        return
    assert isinstance(issue, Issue)
    for unit in issue.units():
        assert isinstance(unit.source, str)


@FAST
@given(any_text)
def test_any_front_matter_parses_or_is_a_publisher_error(front: str) -> None:
    with contextlib.suppress(PublisherError):
        parse_issue("---\n" + front + "\n---\n\n## A\n\nText.\n", "issues/455/issue.md", {"weekly-analysis"})


# --- a translation through the inline stages and the layout's macro ------------------

# Exactly the tags the ``inlines`` macro writes; attribute values must not hold a raw quote or bracket.
MACRO_TAG = re.compile(
    r'<(?:strong|/strong|em|/em|code|/code|br|/a|/bdi|bdi class="latn" dir="ltr"(?: lang="[a-zA-Z-]+")?'
    r'|a href="(?P<href>[^"<>]*)"(?: dir="ltr" class="url"(?: lang="[a-zA-Z-]+")?)?'
    r'|span class="(?:unbreakable|url-part)"|/span'
    r'|img src="(?P<src>[^"<>]*)" alt="[^"<>]*")>'
)
SAFE_HREF = re.compile(r"^(https?://|mailto:|#)", re.I)


def pipeline(text: str, system: str = "arabext", locale: str = "fa_AF") -> tuple:
    """What localize does to a translation: parse, filter, isolate, native digits and number signs."""
    return _digits(bidi.isolate(_safe(parse_inline(text))), system, locale)


@FAST
@given(any_text)
@example('<style>body{display:none}</style>')
@example('<img src="file:///etc/hostname">')
@example("<link rel=stylesheet href=http://127.0.0.1:9/x.css>")
@example("[click](javascript:alert(1)) [x](file:///etc/passwd) [y](/etc/passwd) ![z](/etc/hostname)")
@example('[a](https://x.org/"onmouseover="alert(1)) ![b](c.png "t\\"x")')
@example("</p></body><script>** unbalanced")
def test_any_translation_renders_as_data(text: str) -> None:
    runs = pipeline(text)
    rendered = str(inlines_macro()(runs))
    for match in MACRO_TAG.finditer(rendered):
        href, src = match.group("href"), match.group("src")
        if href is not None:
            assert SAFE_HREF.match(html_lib.unescape(href)), href
        if src is not None:
            src = html_lib.unescape(src)
            assert ":" not in src and not src.startswith(("/", "\\")), src
    rest = MACRO_TAG.sub("", rendered)
    assert "<" not in rest and ">" not in rest, (text, rendered)


@FAST
@given(any_text)
def test_isolation_and_filtering_keep_the_visible_text(text: str) -> None:
    parsed = parse_inline(text)
    assert plain_text(bidi.isolate(parsed)) == plain_text(parsed)
    safe = _safe(parsed)
    for run in _walk(safe):
        if isinstance(run, Link):
            assert SAFE_HREF.match(run.href), run.href
        if isinstance(run, Image):
            assert ":" not in run.src and not run.src.startswith(("/", "\\")), run.src


def _walk(runs):
    for run in runs:
        yield run
        if isinstance(run, (Strong, Emphasis, Link)):
            yield from _walk(run.children)


# --- catalogs: write then read --------------------------------------------------------

# Babel cannot store a msgid that is empty (the header) and strips comments' ends;
# the rest of Unicode (minus surrogates) must come back.
po_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=120)
file_name = st.from_regex(r"[a-z][a-z0-9_/-]{0,20}\.(md|html|yaml)", fullmatch=True)
location = st.tuples(file_name, st.integers(min_value=1, max_value=99999))
short_comment = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=50).map(str.strip).filter(bool)


@st.composite
def catalogs(draw):
    ids = draw(st.lists(po_text, min_size=1, max_size=8, unique=True))
    messages = []
    for mid in ids:
        string = draw(st.one_of(st.just(""), po_text))
        locations = draw(st.lists(location, max_size=4, unique=True))
        comments = draw(st.lists(short_comment, max_size=3, unique=True))
        messages.append((mid, string, locations, comments))
    return messages


@FAST
@given(catalogs())
def test_po_write_then_read_is_the_identity(messages) -> None:
    catalog = Catalog(locale="ps", domain="weekly-analysis-455", fuzzy=False)
    for mid, string, locations, comments in messages:
        catalog.add(mid, string, locations=locations, auto_comments=comments)
    back = read_po(io.BytesIO(pofile.dumps(catalog)), locale="ps")
    got = [(m.id, m.string, sorted(m.locations), list(m.auto_comments)) for m in back if m.id]
    want = [(mid, string, sorted(locations), comments) for mid, string, locations, comments in messages]
    assert got == want


def _roundtrip_comments(issue: Issue) -> tuple[list, list]:
    template = issue_template(issue, dt.datetime(2024, 12, 6, tzinfo=dt.UTC))
    back = read_po(io.BytesIO(pofile.dumps(template)))
    want = [(m.id, sorted(m.locations), list(m.auto_comments)) for m in template if m.id]
    got = [(m.id, sorted(m.locations), list(m.auto_comments)) for m in back if m.id]
    return got, want


def test_extracted_template_of_issue_455_reads_back_the_same() -> None:
    """extract → write → read on the real issue: ids, locations and the translators' notes survive."""
    issue = read_issue(ROOT / "issues" / "455", "issues/455/issue.md", {"weekly-analysis"})
    got, want = _roundtrip_comments(issue)
    assert [g[:2] for g in got] == [w[:2] for w in want]
    assert got == want


heading_words = st.lists(st.from_regex(r"[A-Z][a-z]{1,12}", fullmatch=True), min_size=1, max_size=14).map(" ".join)


@FAST
@given(st.lists(st.tuples(heading_words, st.text(st.characters(whitelist_categories=("L", "N", "Zs")), min_size=1, max_size=200)), min_size=1, max_size=4))
def test_extracted_templates_read_back_the_same(sections) -> None:
    body = "".join(f"\n## {title}\n\n### {title} two\n\n{' '.join(text.split()) or 'x'}\n" for title, text in sections)
    try:
        issue = parse_issue(FRONT + body, "issues/455/issue.md", {"weekly-analysis"})
    except PublisherError:
        return
    got, want = _roundtrip_comments(issue)
    assert got == want


# --- digits and Latin runs ----------------------------------------------------------------

no_foreign_digits = st.text(max_size=200).filter(lambda t: all(not ch.isdecimal() or ch in "0123456789" for ch in t))


@FAST
@given(no_foreign_digits, st.sampled_from(sorted(digits.ZEROS)))
def test_native_digits_and_back(text: str, system: str) -> None:
    native = digits.to_native(text, system)
    assert digits.to_ascii(native) == text
    assert len(native) == len(text)
    zero = ord(digits.ZEROS[system])
    for before, after in zip(text, native, strict=True):
        if "0" <= before <= "9":
            assert after == chr(zero + int(before))
        else:
            assert after == before


@FAST
@given(st.text(max_size=200), st.sampled_from(sorted(digits.ZEROS)))
def test_to_native_touches_only_ascii_digits(text: str, system: str) -> None:
    native = digits.to_native(text, system)
    assert len(native) == len(text)
    changed = [i for i, (a, b) in enumerate(zip(text, native, strict=True)) if a != b]
    assert all("0" <= text[i] <= "9" for i in changed)


latinish = st.lists(st.one_of(st.sampled_from(["CSRS", "U.S.", "www.csrsaf.org", "a@b.c", " ", "-", "/", "'", "’", "کابل", "۱۲", "12", ".", "é", "×"]), st.text(max_size=5)), max_size=30).map("".join)


@FAST
@given(st.one_of(st.text(max_size=200), latinish))
def test_split_latin_concatenates_back(text: str) -> None:
    parts = bidi.split_latin(text)
    assert "".join(p.text for p in parts) == text
    assert all(p.text for p in parts)
    assert all(p.script in ("", "latin") for p in parts)
    for a, b in zip(parts, parts[1:], strict=False):
        assert not (a.script == b.script == ""), "two non-Latin runs in a row"


@pytest.mark.parametrize("code", [Code("x<y>"), Text("a<b", "latin")])
def test_macro_escapes_code_and_latin_runs(code) -> None:
    assert "<y>" not in str(inlines_macro()((code,))) and "a<b" not in str(inlines_macro()((code,)))
