"""The English edition as a reader (and a PDF tool) sees it: text, pages, links, fonts, metadata.

Reads the session build (``built``) only; nothing here builds.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import pypdf
import pytest
from conftest import ROOT, pdf_path
from pdftools import bbox_pages, contents_numbers_of, family_of, hard_hyphens, layout_settings, outline_items, pdffonts

from publisher.config import load_project
from publisher.layout import load_layout
from publisher.localize import localize
from publisher.model import Issue, Link, headings, plain_text
from publisher.source import read_issue

MM = 72 / 25.4
PREFIX = 120  # characters of each paragraph compared with the PDF's text


# --- helpers ---------------------------------------------------------------


@cache
def issue() -> Issue:
    """The issue as the English edition shows it (typographic quotes and all)."""
    project = load_project(ROOT)
    source = read_issue(ROOT / "issues" / "455")
    layout = load_layout(project.layouts_dir, source.meta.series)
    return localize(source, project.locales[project.source_locale], layout, None, None, project.source_locale).issue


def norm(text: str) -> str:
    """Text as compared: soft hyphens at line ends joined, hard ones kept, whitespace collapsed, case folded."""
    text = text.replace("\f", "\n").replace("\u2060", "")  # a word joiner (a closed em dash stays with its word) is invisible
    text = re.sub("[\u2010\u00ad]\\s*\\n\\s*", "", text)
    hard = hard_hyphens((ROOT / "issues" / "455" / "issue.md").read_text(encoding="utf-8"))

    def joined(match: re.Match[str]) -> str:  # a line-end hyphen-minus is the face's hyphen unless the source has the compound
        word = f"{match.group(1)}-{match.group(2)}"
        return word if any(word.lower() in compound for compound in hard) else match.group(1) + match.group(2)

    text = re.sub(r"([^\W\d_]+)-[ \t]*\n\s*([^\W\d_]+)", joined, text)
    text = re.sub(r"-[ \t]*\n\s*", "-", text)
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def page_text(path: Path, page: int) -> str:
    """Text of one page (1-based), as poppler extracts it."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(path), "-"], capture_output=True, text=True, check=True).stdout


def words(path: Path, page: int) -> list[dict]:
    """Words of one page (1-based) with their boxes."""
    return list(bbox_pages(path)[page - 1][2])


def body_text(path: Path) -> str:
    """The text inside the page margins of every page (no running headers or footers), line by line."""
    lines: list[str] = []
    for _, height, page_words in bbox_pages(path):
        current, text = None, []
        for w in page_words:
            if w["yMin"] < 20 * MM or w["yMax"] > height - 20 * MM:
                continue
            if w["line"] != current and text:
                lines.append(" ".join(text))
                text = []
            current = w["line"]
            text.append(w["text"])
        if text:
            lines.append(" ".join(text))
    return "\n".join(lines)


def links(reader: pypdf.PdfReader, page_index: int) -> list[dict]:
    return [a.get_object() for a in reader.pages[page_index].get("/Annots", []) or [] if a.get_object().get("/Subtype") == "/Link"]


def internal_target(reader: pypdf.PdfReader, annot: dict) -> tuple[str, int] | None:
    """(destination name, 0-based page) of an internal link annotation, or None for other links."""
    dest = annot.get("/Dest")
    action = annot.get("/A")
    if dest is None and action is not None and action.get("/S") == "/GoTo":
        dest = action.get("/D")
    if dest is None:
        return None
    dest = dest.get_object() if hasattr(dest, "get_object") else dest
    if isinstance(dest, (str, bytes)):
        name = dest.decode() if isinstance(dest, bytes) else str(dest)
        destination = reader.named_destinations[name]
        return name, reader.get_destination_page_number(destination)
    page_ref = dest[0]
    for i, page in enumerate(reader.pages):
        if page.indirect_reference == page_ref:
            return repr(list(dest)), i
    raise AssertionError(f"link to an unknown page: {dest!r}")


def contents_entries() -> dict[str, str]:
    """Anchor → text of every entry the contents should list: the title, then the headings down to contents_depth."""
    depth = int(layout_settings().get("contents_depth", 1))
    entries = {"title": plain_text(issue().title.inlines)}
    for h in headings(issue().sections):
        if h.level <= depth:
            entries[h.anchor] = plain_text(h.unit.inlines)
    return entries


def contents_numbers(path: Path, page: int = 2) -> list[tuple[int, float]]:
    """(printed number as int, x centre) of each contents line with a dotted leader, top to bottom."""
    return [(int("".join(str(unicodedata.decimal(ch)) for ch in digits)), x) for digits, x in contents_numbers_of(words(path, page))]


def link_hrefs(inlines) -> list[str]:
    hrefs = []
    for run in inlines:
        if isinstance(run, Link):
            hrefs.append(run.href)
        if hasattr(run, "children"):
            hrefs.extend(link_hrefs(run.children))
    return hrefs


# --- fixtures --------------------------------------------------------------


@pytest.fixture(scope="module")
def en(built: Path) -> Path:
    path = pdf_path(built, "en")
    assert path.is_file(), f"no English edition in {built}"
    return path


@pytest.fixture(scope="module")
def reader(en: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(str(en))


@pytest.fixture(scope="module")
def pages_text(en: Path, reader: pypdf.PdfReader) -> list[str]:
    return [page_text(en, i + 1) for i in range(len(reader.pages))]


# --- text ------------------------------------------------------------------


def test_every_paragraph_of_the_source_is_in_the_text(en: Path) -> None:
    text = norm(body_text(en))
    units = list(issue().units())
    assert len(units) > 20
    missing = []
    for unit in units:
        wanted = norm(plain_text(unit.inlines))[:PREFIX]
        if wanted not in text:
            missing.append(f"{unit.where}: {wanted[:70]}")
    assert not missing, f"{len(missing)} of {len(units)} units not found in the PDF text:\n" + "\n".join(missing)


def test_text_in_reading_order(en: Path) -> None:
    """The units appear in the text in the order of the source."""
    text = norm(body_text(en))
    position = -1
    for unit in issue().units():
        wanted = norm(plain_text(unit.inlines))[:PREFIX]
        found = text.find(wanted, position + 1)
        if found < 0:  # reported by the test above; here only the order counts
            continue
        assert found > position, f"{unit.where} is out of order in the PDF text"
        position = found


def test_no_invisible_text(en: Path, reader: pypdf.PdfReader) -> None:
    """No text too small to read: what search, copy and screen readers find is what the page shows."""
    tiny = []
    for index in range(len(reader.pages)):
        tiny += [f"page {index + 1}: {w['text']!r}" for w in words(en, index + 1) if w["yMax"] - w["yMin"] < 4]
    assert not tiny, "invisible text in the PDF: " + ", ".join(tiny[:10])


def test_page_count(reader: pypdf.PdfReader) -> None:
    assert 8 <= len(reader.pages) <= 14


# --- cover, inside and back pages -------------------------------------------


def test_cover_page(pages_text: list[str]) -> None:
    cover = norm(pages_text[0])
    series = layout_settings()["text"]["series_name"]
    for wanted in (series, str(issue().meta.number), "December", str(issue().meta.period.end.year)):
        assert norm(wanted) in cover, f"{wanted!r} not on the cover: {cover[:300]!r}"
    assert norm(plain_text(issue().title.inlines)) in cover


def test_inside_page_has_contents_and_about_series(pages_text: list[str]) -> None:
    inside = norm(pages_text[1])
    assert norm("In this issue") in inside
    about = layout_settings()["text"]["about_series"]
    assert norm(about) in inside
    assert norm("In this issue") not in norm(pages_text[0])


def test_back_page_contact(pages_text: list[str]) -> None:
    back = norm(pages_text[-1])
    for value in ("info@csrsaf.org", "www.csrsaf.org", layout_settings()["contact"]["phone"]):
        assert value in back, f"{value} not on the back page"


# --- contents: links and page numbers ---------------------------------------


def test_contents_entries_are_internal_links_to_their_headings(en: Path, reader: pypdf.PdfReader) -> None:
    entries = contents_entries()
    targets = {}
    for annot in links(reader, 1):
        target = internal_target(reader, annot)
        assert target is not None, f"a link on the contents page is not internal: {dict(annot)}"
        targets.setdefault(target[0], target[1])
    assert set(targets) == set(entries), "contents links and the issue's headings differ"
    for anchor, page_index in targets.items():
        assert page_index >= 2, f"{anchor} points to the cover or the contents page"
        assert norm(entries[anchor]) in norm(page_text(en, page_index + 1)), (
            f"contents entry {anchor!r} points to page {page_index + 1}, where its heading is not"
        )


def test_contents_links_point_at_the_heading_itself(en: Path, reader: pypdf.PdfReader) -> None:
    """The destination's position is the heading's line, not just its page (invisibly small text ignored)."""
    height = float(reader.pages[0].mediabox.height)
    entries = contents_entries()
    for anchor, text in entries.items():
        destination = reader.named_destinations[anchor]
        page = reader.get_destination_page_number(destination) + 1
        from_top = height - float(destination.top)
        below = sorted((w for w in words(en, page) if w["yMin"] >= from_top - 3 and w["yMax"] - w["yMin"] > 3), key=lambda w: (round(w["yMin"]), w["xMin"]))
        assert below, f"nothing below the destination of {anchor}"
        first_word = norm(text).split()[0]
        assert norm(below[0]["text"]) == first_word, f"{anchor}: the destination shows {below[0]['text']!r}, not the heading {text!r}"


def test_contents_page_numbers_are_the_heading_pages(en: Path, reader: pypdf.PdfReader) -> None:
    printed = [n for n, _ in contents_numbers(en)]
    tops: dict[str, float] = {}
    pages: dict[str, int] = {}
    for annot in links(reader, 1):
        target = internal_target(reader, annot)
        assert target is not None
        top = max(float(annot["/Rect"][1]), float(annot["/Rect"][3]))
        tops[target[0]] = max(tops.get(target[0], 0.0), top)
        pages[target[0]] = target[1] + 1
    expected = [pages[a] for a in sorted(tops, key=lambda a: -tops[a])]
    assert printed == expected, f"printed contents page numbers {printed}, the links' pages {expected}"
    text = norm(page_text(en, 2))
    for anchor, entry in contents_entries().items():
        match = re.search(re.escape(norm(entry)) + r"[\s.\u2026]*(\d+)", text)
        assert match, f"contents entry {entry!r} with its page number not found"
        assert int(match.group(1)) == pages[anchor]


def test_contents_page_numbers_on_the_right(en: Path, reader: pypdf.PdfReader) -> None:
    width = float(reader.pages[1].mediabox.width)
    numbers = contents_numbers(en)
    assert len(numbers) == len(contents_entries())
    for value, x in numbers:
        assert x > width / 2, f"contents page number {value} at x={x:.0f}, not on the right"


# --- fonts -----------------------------------------------------------------


def test_every_font_is_embedded(reader: pypdf.PdfReader) -> None:
    seen = 0
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for d in descendants:
                if font.get("/Subtype") == "/Type3":
                    continue
                descriptor = d["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"{font.get('/BaseFont')} is not embedded"
                seen += 1
    assert seen


def layout_families(script: str) -> set[str]:
    """The font families layout.yaml declares for a script."""
    return {face["family"] for face in layout_settings()["fonts"][script].values()}


def test_only_the_layout_fonts(en: Path) -> None:
    """Every font is embedded, has a ToUnicode map and is one of the layout's Latin fonts: never a system font (DejaVu…)."""
    rows = pdffonts(en)
    assert rows
    declared = layout_families("latin")
    for row in rows:
        assert row["emb"] == "yes", f"{row['name']} not embedded"
        assert row["uni"] == "yes", f"{row['name']} has no ToUnicode map"
        assert "dejavu" not in row["name"].lower()
        assert family_of(row["name"]) in declared, f"font {row['name']} is not one of the layout's Latin fonts {sorted(declared)}"
    assert {family_of(row["name"]) for row in rows} == declared, "the layout's body and heading fonts are not both used"


# --- metadata --------------------------------------------------------------


def test_document_information(reader: pypdf.PdfReader) -> None:
    info = reader.metadata
    assert info is not None
    assert info.get("/Title") == plain_text(issue().title.inlines).replace("\xa0", " ")  # no-break spaces are for the page only
    assert "Center for Strategic and Regional Studies" in str(info.get("/Author"))
    assert str(issue().meta.number) in str(info.get("/Subject"))
    keywords = str(info.get("/Keywords") or "")
    assert keywords.strip()
    for keyword in issue().meta.keywords:
        assert keyword in keywords
    assert str(info.get("/CreationDate")).startswith("D:" + issue().meta.period.end.strftime("%Y%m%d"))
    assert str(info.get("/CreationDate")).startswith("D:20241206")


def test_xmp_declares_pdf_a_3a(reader: pypdf.PdfReader) -> None:
    """The screen file is archival and tagged: PDF/A-3a (the print file is PDF/X-4, see test_print_screen.py)."""
    metadata = reader.trailer["/Root"].get("/Metadata")
    assert metadata is not None, "no XMP metadata stream"
    root = ET.fromstring(metadata.get_object().get_data())
    ns = "http://www.aiim.org/pdfa/ns/id/"
    values: dict[str, str] = {}
    for element in root.iter():
        for key, value in element.attrib.items():
            if key.startswith("{" + ns + "}"):
                values[key.split("}")[1]] = value
        if element.tag.startswith("{" + ns + "}"):
            values[element.tag.split("}")[1]] = (element.text or "").strip()
    assert values.get("part") == "3"
    assert values.get("conformance") == "A"


def test_document_language(reader: pypdf.PdfReader) -> None:
    assert reader.trailer["/Root"].get("/Lang") == "en-US"  # locales.yaml tags the English text as US English


# --- bookmarks --------------------------------------------------------------


def test_bookmarks_nest_sections_and_subsections_under_the_title(reader: pypdf.PdfReader) -> None:
    items = outline_items(reader)
    assert items, "no bookmarks"
    title = norm(plain_text(issue().title.inlines))
    starts = [i for i, (depth, text) in enumerate(items) if depth == 0 and norm(text) == title]
    assert starts, f"no top-level bookmark for the title in {items}"
    under = []
    for depth, text in items[starts[0] + 1 :]:
        if depth == 0:
            break
        under.append((depth, norm(text)))
    wanted = [(h.level, norm(plain_text(h.unit.inlines))) for h in headings(issue().sections)]
    assert len(wanted) >= 5
    assert [d for d, _ in under] == [level for level, _ in wanted], "bookmark depths are not the heading levels under the title"
    for (depth, text), (_level, heading) in zip(under, wanted, strict=True):
        assert text.endswith(heading), f"bookmark {text!r} at depth {depth} is not heading {heading!r}"


def test_nested_bookmarks_for_subsections(reader: pypdf.PdfReader) -> None:
    items = outline_items(reader)
    nested = [norm(t) for d, t in items if d > 0]
    for h in headings(issue().sections):
        if h.level == 2:
            assert any(t.endswith(norm(plain_text(h.unit.inlines))) for t in nested), f"no nested bookmark for {h.anchor}"


# --- running header ----------------------------------------------------------


def _header(path: Path, page: int) -> str:
    return " ".join(w["text"] for w in words(path, page) if w["yMax"] < 24 * MM)


def test_running_header_on_body_pages_only(en: Path, reader: pypdf.PdfReader) -> None:
    series = layout_settings()["text"]["series_name"]
    number = str(issue().meta.number)
    for page in range(3, len(reader.pages)):
        header = _header(en, page)
        assert series in header and number in header, f"page {page}: running header is {header!r}"
    assert _header(en, 1) == "", "the cover has a running header"
    assert series not in _header(en, len(reader.pages)), "the back page has a running header"


# --- links to the web --------------------------------------------------------


def test_references_are_uri_links(reader: pypdf.PdfReader) -> None:
    wanted = set()
    for unit in issue().units():
        wanted.update(h for h in link_hrefs(unit.inlines) if h.startswith("http"))
    assert len(wanted) >= 5
    uris = set()
    for index in range(len(reader.pages)):
        for annot in links(reader, index):
            action = annot.get("/A")
            if action is not None and action.get("/S") == "/URI":
                uris.add(str(action["/URI"]))
    missing = wanted - uris
    assert not missing, f"no link annotation for {sorted(missing)}"


def test_reference_urls_are_not_hyphenated(en: Path) -> None:
    """A URL broken across lines must not gain a hyphen a reader would type."""
    squeezed = re.sub(r"\s+", "", body_text(en))
    for unit in issue().units():
        for run in unit.inlines:
            if isinstance(run, Link) and run.href.startswith("http"):
                shown = re.sub(r"\s+", "", plain_text(run.children))
                assert shown in squeezed, f"the link text {shown!r} is not printed intact (hyphenated?)"
