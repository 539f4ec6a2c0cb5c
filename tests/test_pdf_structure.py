"""The PDFs' structure and English typography, measured in the built files.

Typographic quotes (none straight outside addresses), hyphenation (few,
never three lines in a row, never on a page's last line, never inside a
name), viewer preferences (document title; right-to-left page order in RTL
editions), keywords in the edition's language, bookmarks nested title →
sections → subsections, and link rectangles inside the page. The same
measures run on a second issue written here, with other headings and lengths.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from babel.messages.pofile import read_po
from conftest import LOCALES, ROOT, front_matter, pdf_path, pdftotext, run_cli
from pdftools import bbox_pages, discretionary, hard_hyphens, hyphen_runs, hyphenated, layout_settings, outline_items, text_lines
from test_security import assert_one_line_error, build

from publisher.inline import parse_inline
from publisher.locale_rules.hyphenation import SOFT_HYPHEN, Limits, soft_hyphens
from publisher.model import KEYWORD_CONTEXT, Link, Text, headings
from publisher.source import read_issue

RTL = ("ps", "fa_AF", "ar")
ADDRESS = re.compile(r"\S*(?:https?://|www\.|\w\.(?:link|com|org|net|af)\b)\S*")
STRAIGHT = re.compile("['\"]")


# --- measures ----------------------------------------------------------------


def straight_quotes(path: Path) -> list[str]:
    """Straight quotes in the text, addresses (which keep what was typed) left out; each with its context."""
    text = ADDRESS.sub(" ", pdftotext(path))
    return [text[max(0, m.start() - 30) : m.end() + 30].replace("\n", " ") for m in STRAIGHT.finditer(text)]


def hyphenation_defects(path: Path, source: Path) -> list[str]:
    """What a typesetter would reject in the hyphenation of a Latin-script edition: the issue's limits and TeX's final hyphen.

    ``source`` is the issue's Markdown: a line-end hyphen-minus is the layout's
    (a broken word) unless the source writes the word with it ("non-Western").
    """
    lines = text_lines(path)
    hard = hard_hyphens(source.read_text(encoding="utf-8"))
    broken = [line for line in lines if hyphenated(line)]
    added = [(line, after) for line, after in zip(lines, [*lines[1:], None], strict=True) if discretionary(line, after, hard)]
    found = []
    if len(broken) > 0.05 * len(lines):
        found.append(f"{len(broken)} of {len(lines)} lines end in a hyphen (more than 5 %)")
    if max(hyphen_runs(lines), default=0) > 2:
        found.append(f"{max(hyphen_runs(lines))} hyphenated lines in a row")
    found += [f"p{line['page']}: the page's last line ends in {line['words'][-1]!r}" for line in broken if line["last_on_page"]]
    # The end of a broken word alone on the next line ("opportuni- / ties.") is the last line of a paragraph.
    found += [f"p{line['page']}: {line['words'][-1]!r} leaves {after['words'][0]!r} alone on the next line" for line, after in added if after and len(after["words"]) == 1]
    found += loose_hyphenated_lines(path)
    found += words_broken_without_a_hyphen(path)
    # A name (a capitalized word) is never broken by hyphenation; a hard hyphen ("Tajikistan-") may end a line.
    found += [f"p{line['page']}: a name is broken: {line['words'][-1]!r}" for line, _ in added if re.search(r"(^|\W)[A-Z][^\W\d_]*[\u2010-]$", line["words"][-1])]
    return found


def viewer_preferences(path: Path) -> dict:
    return dict(pypdf.PdfReader(str(path)).trailer["/Root"].get("/ViewerPreferences") or {})


def links_outside(path: Path) -> list[str]:
    """Link annotations whose rectangle is not inside the page's MediaBox."""
    found = []
    for number, page in enumerate(pypdf.PdfReader(str(path)).pages, 1):
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            ax0, ay0, ax1, ay1 = (float(v) for v in annot["/Rect"])
            if min(ax0, ax1) < x0 - 0.5 or max(ax0, ax1) > x1 + 0.5 or min(ay0, ay1) < y0 - 0.5 or max(ay0, ay1) > y1 + 0.5:
                found.append(f"p{number}: {[round(v) for v in (ax0, ay0, ax1, ay1)]} outside {[round(v) for v in (x0, y0, x1, y1)]}")
    return found


def bookmark_depths(path: Path, issue_dir: Path) -> tuple[list[int], list[int]]:
    """(depths of the bookmarks under the title's, heading levels of the issue): equal when nested right."""
    items = outline_items(pypdf.PdfReader(str(path)))
    top = [i for i, (depth, _) in enumerate(items) if depth == 0]
    under: list[int] = []
    for start in top:  # the title's bookmark is the top-level one with children
        following = [depth for depth, _ in items[start + 1 :]]
        run = following[: next((i for i, d in enumerate(following) if d == 0), len(following))]
        if run:
            under = run
    return under, [h.level for h in headings(read_issue(issue_dir).sections)]


# --- issue 455, the four editions ------------------------------------------


def test_no_straight_quotes_in_english(built: Path) -> None:
    found = straight_quotes(pdf_path(built, "en"))
    assert not found, f"{len(found)} straight quotes, e.g. {found[:3]}"
    text = pdftotext(pdf_path(built, "en"))
    assert "China\u2019s" in text and "\u201c" in text and "\u201d" in text, "no typographic apostrophes or quotes in the English text"


@pytest.mark.parametrize("locale", RTL)
def test_rtl_quotes_are_the_layouts(built: Path, locale: str) -> None:
    quotes = layout_settings()["locales"][locale]["quotes"]
    text = pdftotext(pdf_path(built, locale))
    assert not straight_quotes(pdf_path(built, locale))
    assert quotes[0] in text and quotes[1] in text


def words_broken_without_a_hyphen(path: Path) -> list[str]:
    """A line ending in part of a word that the next line finishes, with no hyphen shown ("sta / bility")."""
    lines = [line.strip() for line in pdftotext(path).split("\n")]
    known = {w for line in lines for w in re.findall(r"[A-Za-z]+", line)[1:-1]}  # words not at a line's edge
    found = []
    for line, after in zip(lines, lines[1:], strict=False):
        end, start = re.search(r"([A-Za-z]+)$", line), re.match(r"([a-z]+)", after)
        if end and start and end.group(1) not in known and end.group(1) + start.group(1) in known:
            found.append(f"{end.group(1)} / {start.group(1)}: a word broken with no hyphen")
    return found


def loose_hyphenated_lines(path: Path) -> list[str]:
    """Hyphenated lines whose word spaces are wider than the text is tall (a hyphen that did not pay: "We   cannot   over-")."""
    found = []
    for number, (_, _, words) in enumerate(bbox_pages(path), 1):
        by_line: dict[int, list[dict]] = {}  # by baseline: pdftotext cuts a loose line into several
        for word in words:
            by_line.setdefault(round(word["yMax"]), []).append(word)
        for line in by_line.values():
            line.sort(key=lambda w: w["xMin"])
            if len(line) < 2 or not line[-1]["text"].endswith(("\u2010", "-")):
                continue
            gaps = [b["xMin"] - a["xMax"] for a, b in zip(line, line[1:], strict=False)]
            height = max(w["yMax"] - w["yMin"] for w in line)
            if sum(gaps) / len(gaps) > height:
                found.append(f"p{number}: a loose hyphenated line: {' '.join(w['text'] for w in line)!r}")
    return found


def test_english_hyphenation(built: Path) -> None:
    path = pdf_path(built, "en")
    source = ROOT / "issues" / "455" / "issue.md"
    assert not hyphenation_defects(path, source), hyphenation_defects(path, source)
    assert any(hyphenated(line) for line in text_lines(path)), "no word is hyphenated at all: the measure cannot fail"


@pytest.mark.parametrize("locale", LOCALES)
def test_viewer_preferences(built: Path, locale: str) -> None:
    prefs = viewer_preferences(pdf_path(built, locale))
    shown = prefs.get("/DisplayDocTitle")
    assert isinstance(shown, pypdf.generic.BooleanObject) and shown.value, f"DisplayDocTitle is {shown!r}"
    assert prefs.get("/Direction") == ("/R2L" if locale in RTL else None)
    catalog = pypdf.PdfReader(str(pdf_path(built, locale))).trailer["/Root"]
    assert catalog.get("/PageLayout") == "/TwoPageRight", "spreads as printed: the cover alone, then verso beside recto"


@pytest.mark.parametrize("locale", LOCALES)
def test_keywords_in_the_editions_language(built: Path, locale: str) -> None:
    english = read_issue(ROOT / "issues" / "455").meta.keywords
    assert english
    with open(ROOT / "locales" / locale / "LC_MESSAGES" / "weekly-analysis-455.po", "rb") as handle:
        catalog = read_po(handle)
    wanted = [(catalog.get(k, KEYWORD_CONTEXT).string if locale in RTL else "") or k for k in english]
    info = pypdf.PdfReader(str(pdf_path(built, locale))).metadata
    comma = "، " if locale in RTL else ", "  # the language's list comma (CLDR)
    assert str(info.get("/Keywords")).split(comma) == wanted
    if locale in RTL:
        assert not re.search("[A-Za-z]", "".join(wanted)), f"{locale}: keywords left in English: {wanted}"


@pytest.mark.parametrize("locale", LOCALES)
def test_bookmarks_nest_under_the_title(built: Path, locale: str) -> None:
    depths, levels = bookmark_depths(pdf_path(built, locale), ROOT / "issues" / "455")
    assert len(levels) >= 5 and depths == levels


@pytest.mark.parametrize("locale", LOCALES)
def test_link_rectangles_inside_the_page(built: Path, locale: str) -> None:
    assert not links_outside(pdf_path(built, locale))


# --- a second issue, other headings and lengths ------------------------------

WORDS = (
    "Regional governments increasingly acknowledge that transportation infrastructure, "
    "agricultural modernization and institutional accountability determine whether "
    "international partnerships deliver sustainable development. Observers' assessments "
    "differ considerably, yet the organization's representatives emphasized "
    "\"comprehensive\" reconstruction, intergovernmental coordination and the "
    "Tajikistan-Uzbekistan corridor's unprecedented significance for Kazakhstan and Turkmenistan."
)


def second_issue(root: Path) -> Path:
    folder = root / "issues" / "456"
    folder.mkdir()
    body = ["## Water, Trade and the Region's Neighbours", ""]
    for i in range(1, 5):
        body += [f"### {i}. Cooperation on the Amu Darya's \"Shared\" Basin", ""]
        body += [f"{WORDS} {WORDS[: 200 + 37 * i]}.", ""]
        body += ["#### Immediate Considerations", "", f"- **Administration's view:** {WORDS}", f"- A second, longer point: {WORDS} {WORDS}", ""]
    body += ["## Outlook", "", WORDS, "", "## References", "", "1. Ministry of Energy: \"Annual Report,\" accessible: [energy.example.org/it's-here](http://energy.example.org/it's-here)", ""]
    text = front_matter("Water and Trade in Central Asia's New Corridors", 456).removesuffix("---\n") + "keywords: [water, trade]\n---\n"
    (folder / "issue.md").write_text(text + "\n".join(body), encoding="utf-8")
    return folder


def test_a_second_issue_keeps_the_same_rules(project_copy: Path, tmp_path: Path) -> None:
    folder = second_issue(project_copy)
    out = tmp_path / "dist"
    result = run_cli("build", "issues/456", "--lang", "en,ar", "--out", str(out), cwd=project_copy)
    assert result.returncode == 0, result.stderr
    en, ar = out / "weekly-analysis-456-en.pdf", out / "weekly-analysis-456-ar.pdf"
    assert len(pypdf.PdfReader(str(en)).pages) >= 5
    assert not straight_quotes(en), straight_quotes(en)[:3]
    assert "energy.example.org/it's-here" in pdftotext(en), "the address shown as a link lost its straight apostrophe"
    assert not hyphenation_defects(en, folder / "issue.md"), hyphenation_defects(en, folder / "issue.md")
    assert viewer_preferences(ar).get("/Direction") == "/R2L" and viewer_preferences(en).get("/Direction") is None
    for path in (en, ar):
        depths, levels = bookmark_depths(path, folder)
        assert depths == levels and max(levels) == 3
        assert not links_outside(path)


# --- the rules themselves ------------------------------------------------------


def test_soft_hyphens_leave_names_short_words_and_unknown_languages_whole() -> None:
    limits = Limits()
    text = soft_hyphens("Afghanistan's international cooperation with Russia and NATO is independent", "en-US", limits)
    assert "Afghanistan" in text and "Russia" in text and "NATO" in text
    assert SOFT_HYPHEN in text.split()[1] and "with" in text
    assert text.replace(SOFT_HYPHEN, "") == "Afghanistan's international cooperation with Russia and NATO is independent"
    for word in text.split():
        parts = word.split(SOFT_HYPHEN)
        if len(parts) > 1:
            assert len(parts[0]) >= limits.min_before and len(parts[-1]) >= limits.min_after
    assert soft_hyphens("internationalization", "xx-YY", limits) == "internationalization"


def test_hyphenation_exceptions_replace_the_patterns_break_points() -> None:
    """US patterns break "geopo-litical" and "coun-tert-errorism"; a layout's exceptions give such words their own break points, in any case."""
    plain = soft_hyphens("geopolitical counterterrorism", "en-US", Limits())
    assert "geopo\u00adlit" in plain and "coun\u00adtert" in plain  # what the patterns do: the reason for exceptions
    limits = Limits(exceptions=("geo-polit-ical", "counter-ter-ror-ism"))
    text = soft_hyphens("Geopolitical geopolitical counterterrorism politics", "en-US", Limits(capitalized=True, exceptions=limits.exceptions))
    assert text.split() == ["Geo\u00adpolit\u00adical", "geo\u00adpolit\u00adical", "counter\u00adter\u00adror\u00adism", soft_hyphens("politics", "en-US", Limits())]


def test_smartquotes_spare_code_and_addresses() -> None:
    runs = parse_inline("She said \"it's\" `a'b` [x.org/it's](http://x.org/it's)", quotes="“”‘’")
    assert runs[0] == Text("She said “it’s” ")
    assert runs[1].text == "a'b"
    assert isinstance(runs[-1], Link) and runs[-1].href == "http://x.org/it's" and runs[-1].children == (Text("x.org/it's"),)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  limit_lines: 2 ", "  limit_lines: 0 ", "hyphenation.limit_lines must be a whole number from 1, not 0"),
        ("  limit_last: page ", "  limit_last: spread ", "hyphenation.limit_last must be 'none' or 'page', not 'spread'"),
        ("exceptions: [geo-strate-gic,", "exceptions: [geostrategic,", "hyphenation.exceptions must be a list of words with their break points as hyphens"),
        ('    quotes: "“”‘’"', '    quotes: "“”"', "locales.en.quotes: string should have at least 4 characters, not '“”'"),
    ],
)
def test_a_wrong_typography_setting_is_one_line(project_copy: Path, tmp_path: Path, old: str, new: str, message: str) -> None:
    layout = project_copy / "layouts" / "weekly-analysis" / "layout.yaml"
    text = layout.read_text(encoding="utf-8")
    assert old in text
    layout.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = assert_one_line_error(build(project_copy, tmp_path / "out"))
    assert line.startswith("layouts/weekly-analysis/layout.yaml") and message in line, line
