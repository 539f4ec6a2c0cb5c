"""Figures, bylines and refused constructs (issue 12), checked in the PDFs of the showcase issue.

The showcase (``tests/fixtures/showcase``: issue 460 with its ps, fa_AF and ar
catalogs) uses every construct of the issue format; it is built here in all
four editions with ``--strict``, against the repository's layout and layout
catalogs.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from babel.messages.pofile import read_po
from conftest import LOCALES, ROOT, run_cli
from pdftools import bbox_pages
from PIL import Image
from test_pdf_rtl import clean
from test_security import assert_one_line_error, png
from test_tables_footnotes import DIGITS, assert_refused, insert, same

from publisher.locale_rules import digits

SHOWCASE = ROOT / "tests" / "fixtures" / "showcase"
NAME = "weekly-analysis-460"
ALTS = {
    "en": ("A bar chart of trade in each quarter of 2024: 310, 355, 420 and 395 thousand tonnes.", "A map of the Amu Darya with the three crossings marked on it."),
    "ps": ("د ۲۰۲۴ کال په هره ربع کې د سوداګرۍ ستنیز ګراف: ۳۱۰، ۳۵۵، ۴۲۰ او ۳۹۵ زره ټنه.", "د آمو سیند نقشه چې درې واړه بندرونه پرې ښودل شوي دي."),
    "fa_AF": ("نمودار ستونی تجارت در هر ربع سال ۲۰۲۴: ۳۱۰، ۳۵۵، ۴۲۰ و ۳۹۵ هزار تن.", "نقشهٔ دریای آمو که سه بندر بر آن نشان داده شده است."),
    "ar": ("مخطط أعمدة للتجارة في كل ربع من عام ٢٠٢٤: ٣١٠ و٣٥٥ و٤٢٠ و٣٩٥ ألف طن.", "خريطة لنهر آمو داريا وعليها المعابر الثلاثة."),
}
FIGURE = {"en": "Figure", "ps": "انځور", "fa_AF": "شکل", "ar": "الشكل"}
CAPTION_WORD = {"en": "quarter,", "ps": "ربعو", "fa_AF": "ربع،", "ar": "الربع،"}
# chart.png is 1600 pixels wide; chart.ps.png 1602, chart.fa_AF.png 1604, chart.ar.png 1606 (tests/fixtures/showcase/make_pictures.py).
CHART_WIDTH = {"en": 1600, "ps": 1602, "fa_AF": 1604, "ar": 1606}
AUTHORS = {
    "en": "Ahmad Shah Karimi, Mariam Noori",
    "ps": "احمدشاه کریمي، مریم نوري",
    "fa_AF": "احمدشاه کریمی، مریم نوری",
    "ar": "أحمد شاه كريمي، مريم نوري",
}  # joined by the language's comma (CLDR's list pattern)


def showcase_project(dest: Path) -> Path:
    """The showcase issue and its catalogs, with the repository's layout, locales.yaml and layout catalogs."""
    dest.mkdir(parents=True)
    shutil.copytree(SHOWCASE / "issues", dest / "issues")
    shutil.copytree(SHOWCASE / "locales", dest / "locales")
    shutil.copytree(ROOT / "layouts", dest / "layouts")
    shutil.copy(ROOT / "locales" / "locales.yaml", dest / "locales" / "locales.yaml")
    for locale in LOCALES:
        shutil.copy(ROOT / "locales" / locale / "LC_MESSAGES" / "layout.po", dest / "locales" / locale / "LC_MESSAGES" / "layout.po")
    return dest


@pytest.fixture(scope="module")
def showcase(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    """The showcase built in all four editions, both files, with --strict; (project, out, manifest)."""
    project = showcase_project(tmp_path_factory.mktemp("showcase") / "project")
    out = project / "dist"
    result = run_cli("build", "issues/460", "--lang", "all", "--strict", "--out", str(out), "-q", cwd=project)
    assert result.returncode == 0, result.stderr
    return project, out, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def screen(out: Path, locale: str) -> Path:
    return out / f"{NAME}-{locale}.pdf"


NOTES = {"en": "Notes", "ps": "یادښتونه", "fa_AF": "یادداشت\u200cها", "ar": "ملاحظات"}


def rules_on(path: Path, page: int) -> int:
    """How many horizontal rules wider than half the page are drawn on a page (rows of ink at 100 dpi, touching rows counted once)."""
    png = subprocess.run(["pdftoppm", "-r", "100", "-f", str(page), "-l", str(page), "-gray", "-png", str(path)], capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    pixels = image.load()
    ruled = [sum(pixels[x, y] < 240 for x in range(image.width)) > image.width / 2 for y in range(image.height)]
    return sum(1 for y, row in enumerate(ruled) if row and (y == 0 or not ruled[y - 1]))


@pytest.mark.parametrize("locale", LOCALES)
def test_the_booklets_spare_pages_are_notes_pages_in_print_only(showcase, locale: str) -> None:
    """Five pages make an eight-page booklet: pages 5–7 are the layout's notes page (print.fill: notes), its heading in the edition's language, at its start side; the screen file has none."""
    _, out, _ = showcase
    printed, shown = out / f"{NAME}-{locale}-print.pdf", screen(out, locale)
    pages, screen_pages = bbox_pages(printed), bbox_pages(shown)
    assert (len(pages), len(screen_pages)) == (8, 5)
    for number in (5, 6, 7):
        width, _, words = pages[number - 1]
        heading = [w for w in words if same(w["text"], NOTES[locale]) or w["text"] == NOTES[locale].upper()]  # English headings are set in capitals
        assert heading, [w["text"] for w in words]
        body = [w for w in words if w["yMin"] < 700 and w not in heading]
        assert not body, [w["text"] for w in body]  # nothing but the heading above the footer
        assert (heading[0]["xMin"] < width / 2) == (locale == "en"), "the heading is not at the start side"
        assert rules_on(printed, number) >= 20
    assert not [w for _, _, words in screen_pages for w in words if same(w["text"], NOTES[locale])]
    assert rules_on(printed, 4) < 5  # an article page is not ruled


def struct_elements(path: Path, kind: str) -> list:
    """Every structure element of type ``kind`` (/Figure, /Caption…) in the PDF's structure tree."""
    reader = pypdf.PdfReader(str(path))
    found, todo = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while todo:
        node = todo.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, pypdf.generic.ArrayObject):
            todo.extend(node)
            continue
        if not isinstance(node, pypdf.generic.DictionaryObject):
            continue
        if node.get("/S") == kind:
            found.append(node)
        if "/K" in node:
            todo.append(node["/K"])
    return found


def test_the_showcase_builds_in_all_editions_under_strict_without_warnings(showcase) -> None:
    _, out, manifest = showcase
    files = {entry["file"]: entry for entry in manifest["editions"]}
    for locale in LOCALES:
        for suffix in ("", "-print"):
            entry = files[f"{NAME}-{locale}{suffix}.pdf"]
            assert entry["warnings"] == []
            assert (out / entry["file"]).stat().st_size > 0


@pytest.mark.parametrize("locale", LOCALES)
def test_figures_carry_their_translated_description_as_alt_text(showcase, locale: str) -> None:
    _, out, _ = showcase
    alts = [str(element.get("/Alt", "")) for element in struct_elements(screen(out, locale), "/Figure")]
    assert sorted(alts) == sorted(ALTS[locale]), alts


@pytest.mark.parametrize("locale", LOCALES)
def test_figure_captions_are_numbered_in_the_editions_language_and_digits(showcase, locale: str) -> None:
    _, out, _ = showcase
    assert len(struct_elements(screen(out, locale), "/Caption")) == 3, "two figure captions and a table caption in the structure"
    words = [w for _, _, page in bbox_pages(screen(out, locale)) for w in page]
    for number in (1, 2):
        label = digits.to_native(f"{number}:", DIGITS[locale])
        lines = [[w for w in words if abs(w["yMin"] - n["yMin"]) < 2] for n in words if same(n["text"], label)]
        assert any(any(same(w["text"], FIGURE[locale]) for w in line) for line in lines), f"no figure caption numbered {label}"
    assert any(same(w["text"], CAPTION_WORD[locale]) for w in words)
    if locale != "en":
        assert not [w for w in words if clean(w["text"]) in ("1:", "2:")], "Latin digits in a caption's number"


@pytest.mark.parametrize("locale", LOCALES)
def test_each_edition_prints_its_own_picture_when_there_is_one(showcase, locale: str) -> None:
    _, out, _ = showcase
    widths = {image.image.width for page in pypdf.PdfReader(str(screen(out, locale))).pages for image in page.images}
    assert widths == {CHART_WIDTH[locale]}, widths  # the chart; the SVG map is drawn, not an image


@pytest.mark.parametrize("locale", LOCALES)
def test_authors_are_the_pdfs_author_and_the_byline_in_each_edition(showcase, locale: str) -> None:
    _, out, _ = showcase
    for path in (screen(out, locale), out / f"{NAME}-{locale}-print.pdf"):
        assert pypdf.PdfReader(str(path)).metadata.author == AUTHORS[locale]
    first = re.split("[,،] ", AUTHORS[locale])[1].split()[-1]
    pages = bbox_pages(screen(out, locale))
    title_page = next(words for _, _, words in pages if any(same(w["text"], first) for w in words))
    assert any(same(w["text"], first) for w in title_page)


def test_extract_gives_alt_text_captions_and_authors_notes(showcase) -> None:
    project, _, _ = showcase
    result = run_cli("extract", cwd=project)
    assert result.returncode == 0, result.stderr
    with open(project / "locales" / f"{NAME}.pot", "rb") as handle:
        catalog = read_po(handle)
    alt = catalog.get(ALTS["en"][0])
    assert alt is not None and "alternate text" in " ".join(alt.auto_comments) and "figure 1 (chart.png)" in " ".join(alt.auto_comments)
    caption = catalog.get("The three northern crossings")
    assert caption is not None and "caption of figure 2" in " ".join(caption.auto_comments)
    author = catalog.get("Mariam Noori", "author")
    assert author is not None and "transliterate" in " ".join(author.auto_comments)


def test_a_coarse_picture_is_a_warning_naming_its_line(project_copy: Path, tmp_path: Path) -> None:
    (project_copy / "issues" / "455" / "small.png").write_bytes(png(300, 150))
    line = insert(project_copy, '![A small chart.](small.png "Small")')
    result = run_cli("build", "issues/455", "--lang", "en", "--target", "screen", "--json", "--out", str(tmp_path), "-q", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    text = " ".join(w for entry in json.loads(result.stdout)["editions"] for w in entry["warnings"])
    assert f"issues/455/issue.md:{line}: en: picture 'small.png' is 55 dpi" in text, text


@pytest.mark.parametrize(
    ("markdown", "offset", "message"),
    [
        ("Some <b>bold</b> text.", 0, "raw HTML ('<b>')"),
        ("<div>\nA block of tags.\n</div>", 0, "raw HTML (a block of tags)"),
        ("- [ ] a task\n- [x] done", 0, "task list item"),
        ("- an item\n  - [x] done", 1, "task list item"),
        ("| a | b |\n|---|---|\n| ## c | d |", 2, "heading cannot sit inside a table cell"),
        ("Some ~~struck~~ text.", 0, "strikethrough"),
        ('Text ![a chart](chart.png "Caption") in a sentence.', 0, "a picture with a caption cannot sit in running text"),
        ("![a chart](../../x.png)", 0, "outside the issue folder"),
        ("![a chart](https://example.org/x.png)", 0, "outside the issue folder"),
        ("![a chart](missing.png)", 0, "'missing.png' is not a file in the issue folder"),
        ("![a chart](chart.gif)", 0, "must be a PNG, JPEG or SVG"),
        ("![](chart.png)", 0, "has no description"),
        ("- an item\n\n  ![a chart](chart.png)", 2, "figure cannot sit inside a list or quote"),
        ("> ![a chart](chart.png)", 0, "figure cannot sit inside a list or quote"),
    ],
)
def test_constructs_the_layout_cannot_show_are_refused_with_their_line(project_copy: Path, tmp_path: Path, markdown: str, offset: int, message: str) -> None:
    for name in ("chart.png", "chart.gif"):
        (project_copy / "issues" / "455" / name).write_bytes(png(1200, 600))
    assert_refused(project_copy, tmp_path, markdown, offset, message)


@pytest.mark.parametrize(("authors", "message"), [("authors: Ahmad Karimi", "'authors' must be a list of names"), ("authors: ['**Ahmad**']", "plain text")])
def test_malformed_authors_are_refused_at_their_line(project_copy: Path, tmp_path: Path, authors: str, message: str) -> None:
    path = project_copy / "issues" / "455" / "issue.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index("---", 1)
    path.write_text("\n".join([*lines[:at], authors, *lines[at:]]), encoding="utf-8")
    result = run_cli("build", "issues/455", "--lang", "en", "--out", str(tmp_path), "-q", cwd=project_copy)
    error = assert_one_line_error(result)
    assert error.startswith(f"issues/455/issue.md:{at + 1}: ") and message in error, error


def test_a_word_picture_becomes_a_figure_and_a_missing_description_is_listed(project_copy: Path, tmp_path: Path) -> None:
    import io

    import docx
    from PIL import Image

    gif = io.BytesIO()
    Image.new("RGB", (1200, 600), "white").save(gif, "GIF")
    doc = docx.Document()
    doc.add_paragraph("Water and Trade", style="Title")
    doc.add_paragraph("Issue Number – 456 (December 09-13, 2024)")
    doc.add_heading("Introduction", level=1)
    doc.add_paragraph("Trade grew in every province.")
    doc.add_picture(io.BytesIO(png(1200, 600)))
    doc.add_picture(gif)
    doc.save(str(tmp_path / "draft.docx"))
    result = run_cli("import", str(tmp_path / "draft.docx"), "--into", "issues/456", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert "image-1.png has no description" in result.stderr and "image-2.png has no description" in result.stderr, result.stderr
    text = (project_copy / "issues" / "456" / "issue.md").read_text(encoding="utf-8")
    assert "![Picture 1](image-1.png)" in text and "![Picture 2](image-2.png)" in text, text
    assert Image.open(project_copy / "issues" / "456" / "image-2.png").format == "PNG", "a GIF is kept as PNG"
    out = tmp_path / "out"
    result = run_cli("build", "issues/456", "--lang", "en", "--target", "screen", "--out", str(out), "-q", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert sorted(str(e.get("/Alt")) for e in struct_elements(out / "weekly-analysis-456-en.pdf", "/Figure")) == ["Picture 1", "Picture 2"]


def test_the_html_preview_carries_the_editions_pictures(tmp_path: Path) -> None:
    project = showcase_project(tmp_path / "project")
    out = tmp_path / "preview"
    result = run_cli("build", "issues/460", "--lang", "ps", "--format", "html", "--out", str(out), "-q", cwd=project)
    assert result.returncode == 0, result.stderr
    page = (out / f"{NAME}-ps.html").read_text(encoding="utf-8")
    assert f'src="{NAME}-ps_files/figure-1.png"' in page and f'src="{NAME}-ps_files/figure-2.svg"' in page
    assert (out / f"{NAME}-ps_files" / "figure-1.png").read_bytes() == (SHOWCASE / "issues" / "460" / "chart.ps.png").read_bytes()


def test_a_sharp_jpeg_figure_is_printed_without_a_warning(project_copy: Path, tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (1600, 800), "#0e4c6d").save(project_copy / "issues" / "455" / "photo.jpg", "JPEG")
    insert(project_copy, '![A blue square.](photo.jpg "A photograph")')
    result = run_cli("build", "issues/455", "--lang", "en", "--target", "screen", "--json", "--out", str(tmp_path), "-q", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert not [w for entry in json.loads(result.stdout)["editions"] for w in entry["warnings"] if "dpi" in w]
    pdf = tmp_path / "weekly-analysis-455-en.pdf"
    assert {image.image.width for page in pypdf.PdfReader(str(pdf)).pages for image in page.images} == {1600}
    assert [str(e.get("/Alt")) for e in struct_elements(pdf, "/Figure")] == ["A blue square."]


def test_an_edition_without_its_own_picture_prints_the_sources_and_is_warned(tmp_path: Path) -> None:
    """chart.png drawn again for ps and fa_AF only: the Arabic edition prints the English chart, and the editor is told so."""
    project = showcase_project(tmp_path / "project")
    (project / "issues" / "460" / "chart.ar.png").unlink()
    out = project / "dist"
    result = run_cli("build", "issues/460", "--lang", "ar", "--target", "screen", "--out", str(out), "-q", cwd=project)
    assert result.returncode == 0, result.stderr
    [entry] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["editions"]
    [text] = entry["warnings"]
    assert text.startswith("issues/460/issue.md:") and "'chart.png'" in text and "none for ar (chart.ar.png)" in text
    widths = {image.image.width for page in pypdf.PdfReader(str(screen(out, "ar"))).pages for image in page.images}
    assert widths == {CHART_WIDTH["en"]}
