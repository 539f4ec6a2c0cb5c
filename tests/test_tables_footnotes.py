"""Tables (and the other constructs of issue 12) in all four editions, checked in the built PDFs."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import LOCALES, ROOT, run_cli
from PIL import Image
from test_pdf_rtl import bbox_pages, clean, letters_key
from test_security import add_paragraph, assert_one_line_error, po, set_translation

from publisher.locale_rules import digits

# A table of figures with a caption, and a long table of figures only (it runs over a page).
TABLE = """| Province | Incidents 2023 | Incidents 2024 | Change |
|:---|---:|---:|:---:|
| Kabul | 120 | 85 | -29% |
| Kandahar | 64 | 70 | +9% |
| Nangarhar | 1,250 | 980 | -22% |

Table: Security incidents by province, 2023 and 2024"""
LONG_ROWS = 70
LONG = "| Week | Reported |\n|---|---:|\n" + "\n".join(f"| {n} | {n * 37} |" for n in range(1, LONG_ROWS + 1)) + "\n\nTable: Weekly reports"

# A paragraph with a footnote, and one with a hard line break (a backslash at the line's end).
NOTED = "Trade through the northern crossings rose sharply.[^n1]"
NOTE = "Figures of the Ministry of Commerce, published in January 2025."
BROKEN = "The office moved.\\\nIts address is Street 4."
QUOTED, SAID = "We will keep the crossings open.", "Minister of Commerce"
NOTES = f"{NOTED}\n\n{BROKEN}\n\n> {QUOTED}\n>\n> — {SAID}\n\n[^n1]: {NOTE}"

TRANSLATIONS = {
    "ar": {
        "Province": "الولاية", "Incidents 2023": "حوادث 2023", "Incidents 2024": "حوادث 2024", "Change": "التغير",
        "Kabul": "كابل", "Kandahar": "قندهار", "Nangarhar": "ننجرهار",
        "Security incidents by province, 2023 and 2024": "الحوادث الأمنية حسب الولاية، 2023 و2024",
        "Week": "الأسبوع", "Reported": "المبلغ عنها", "Weekly reports": "التقارير الأسبوعية",
        NOTED: "ارتفعت التجارة عبر المعابر الشمالية بشكل حاد.[^n1]", NOTE: "أرقام وزارة التجارة، نشرت في يناير 2025.",
        BROKEN: "انتقل المكتب.\\\nعنوانه الشارع 4.",
        QUOTED: "سنبقي المعابر مفتوحة.", SAID: "وزير التجارة",
    },
    "fa_AF": {
        "Province": "ولایت", "Incidents 2023": "رویدادهای 2023", "Incidents 2024": "رویدادهای 2024", "Change": "تغییر",
        "Kabul": "کابل", "Kandahar": "قندهار", "Nangarhar": "ننگرهار",
        "Security incidents by province, 2023 and 2024": "رویدادهای امنیتی به تفکیک ولایت، 2023 و 2024",
        "Week": "هفته", "Reported": "گزارش‌شده", "Weekly reports": "گزارش‌های هفتگی",
        NOTED: "تجارت از راه گذرگاه‌های شمالی به شدت افزایش یافت.[^n1]", NOTE: "ارقام وزارت تجارت، نشرشده در جنوری 2025.",
        BROKEN: "دفتر منتقل شد.\\\nنشانی آن سرک 4 است.",
        QUOTED: "گذرگاه‌ها را باز نگه می‌داریم.", SAID: "وزیر تجارت",
    },
    "ps": {
        "Province": "ولایت", "Incidents 2023": "پېښې 2023", "Incidents 2024": "پېښې 2024", "Change": "بدلون",
        "Kabul": "کابل", "Kandahar": "کندهار", "Nangarhar": "ننګرهار",
        "Security incidents by province, 2023 and 2024": "امنیتي پېښې د ولایت له مخې، 2023 او 2024",
        "Week": "اونۍ", "Reported": "راپور شوې", "Weekly reports": "اونیز راپورونه",
        NOTED: "د شمالي لارو له لارې سوداګري ډېره زیاته شوه.[^n1]", NOTE: "د سوداګرۍ وزارت شمېرې، د 2025 په جنورۍ کې خپرې شوې.",
        BROKEN: "دفتر ولېږدول شو.\\\nپته یې سړک 4 دی.",
        QUOTED: "لارې به پرانیستې وساتو.", SAID: "د سوداګرۍ وزیر",
    },
}
LABEL = {"en": "Table", "ar": "الجدول", "fa_AF": "جدول", "ps": "جدول"}
DIGITS = {"en": "latn", "ar": "arab", "fa_AF": "arabext", "ps": "arabext"}


def cli_ok(project: Path, *args: str) -> None:
    result = run_cli(*args, cwd=project)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Issue 455 with both tables in its introduction, translated in full, built in all four editions."""
    project = tmp_path_factory.mktemp("tables") / "project"
    project.mkdir()
    for name in ("issues", "locales", "layouts"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("*.mo"))
    add_paragraph(project, TABLE + "\n\n" + LONG)
    add_paragraph(project, NOTES)
    cli_ok(project, "extract")
    cli_ok(project, "update")
    for locale, strings in TRANSLATIONS.items():
        for msgid, text in strings.items():
            set_translation(po(project, locale), msgid, text)
    out = project / "dist"
    cli_ok(project, "build", "issues/455", "--lang", "all", "--target", "screen", "--out", str(out), "-q")
    return project, out


def words_of(out: Path, locale: str) -> tuple[tuple[float, float, tuple[dict, ...]], ...]:
    return bbox_pages(out / f"weekly-analysis-455-{locale}.pdf")


def table_page(out: Path, locale: str) -> tuple[float, tuple[dict, ...]]:
    """The page holding the first table (its caption label), and its words."""
    for width, _, words in words_of(out, locale):
        if any(w["text"] == digits.to_native_text("1,250", DIGITS[locale], locale) for w in words):
            return width, words
    raise AssertionError(f"no table in the {locale} edition")


def same(seen: str, text: str) -> bool:
    """A word as poppler gives it (right-to-left words reordered) is ``text``."""
    key = letters_key(text)
    return clean(seen) == text or (bool(key) and letters_key(seen) == key) or (not key and sorted(clean(seen)) == sorted(text))


def word(words: tuple[dict, ...], text: str) -> dict:
    found = [w for w in words if same(w["text"], text)]
    assert found, (text, sorted({w["text"] for w in words})[:80])
    return found[0]


@pytest.mark.parametrize("locale", LOCALES)
def test_header_cells_in_reading_order_per_direction(tables, locale: str) -> None:
    _, out = tables
    _, words = table_page(out, locale)
    names = ("Province", "Change") if locale == "en" else (TRANSLATIONS[locale]["Province"], TRANSLATIONS[locale]["Change"])
    change = word(words, names[1])
    row = [w for w in words if abs(w["yMin"] - change["yMin"]) < 2]  # the header row (the caption may hold the same words)
    first = [word(row, names[0]), change]
    if locale == "en":
        assert first[0]["x"] < first[1]["x"], "the first column is on the left in English"
    else:
        assert first[0]["x"] > first[1]["x"], f"the first column is on the right in {locale}"


@pytest.mark.parametrize("locale", LOCALES)
def test_alignment_is_kept_and_mirrored_and_figures_in_the_editions_digits(tables, locale: str) -> None:
    _, out = tables
    _, words = table_page(out, locale)
    cells = [word(words, digits.to_native_text(n, DIGITS[locale], locale)) for n in ("120", "64", "1,250")]
    if locale != "en":
        assert not [w for w in words if w["text"] in ("120", "1,250", "980")], "Latin digits in a right-to-left table"
    # A '---:' column holds figures: aligned on the right, where their units are, in every edition (digits run
    # left to right in RTL editions too; aligned to the end, ۱٬۲۵۰ and ۶۴ stood 10 pt apart in their units).
    assert max(c["xMax"] for c in cells) - min(c["xMax"] for c in cells) < 1, f"{locale}: the units are not aligned"
    assert max(c["xMin"] for c in cells) - min(c["xMin"] for c in cells) > 3, "the numbers have different widths"


@pytest.mark.parametrize("locale", LOCALES)
def test_a_centred_column_of_signed_figures_lines_up_with_the_locales_signs(tables, locale: str) -> None:
    """'Change' is centred in the source; its figures line up on their units, with true minus signs and the sign on the side CLDR's bidi marks give.

    The units edge is measured to a tenth of a point: Amiri's minus is wider
    than its plus (596 and 529 units), and set in Amiri the Arabic "٪٤−"
    stood 0.8 pt off "٪١٨+". A sign in another face is its own word to
    poppler; it is put back next to its figure, on the side it is printed.
    """
    _, out = tables
    _, words = table_page(out, locale)
    cells = [w for w in words if "%" in w["text"] or "٪" in w["text"]]
    assert len(cells) == 3, [w["text"] for w in cells]
    assert max(c["xMax"] for c in cells) - min(c["xMax"] for c in cells) < 0.1, f"{locale}: the units are not aligned: {[c['text'] for c in cells]}"
    changes = []
    for cell in cells:
        signs = [w for w in words if clean(w["text"]) in ("+", "\u2212") and abs(w["yMin"] - cell["yMin"]) < 3]
        left = [w for w in signs if abs(w["xMax"] - cell["xMin"]) < 0.5]
        right = [w for w in signs if abs(w["xMin"] - cell["xMax"]) < 0.5]
        changes.append("".join(clean(w["text"]) for w in (*left, cell, *right)))
    assert "-" not in "".join(changes) and sum("\u2212" in c for c in changes) == 2, changes
    if locale == "ar":  # the sign on the right, after the units (Arabic digits run left to right): measured in the ink
        edges = [units_edge(out, locale, cell, [w for w in words if abs(w["yMin"] - cell["yMin"]) < 3]) for cell in cells]
        assert max(edges) - min(edges) < 0.25, f"the units' right edges (pt): {edges}"
    shown = {"en": "+9%", "ps": "+۹٪", "fa_AF": "+۹٪", "ar": "٪٩+"}[locale]  # as seen, left to right: Arabic reads the sign first, on the right
    assert shown in changes, changes


def units_edge(out: Path, locale: str, cell: dict, row: list[dict]) -> float:
    """Where the units digit of a figure with its sign on the right ends, in points: the right edge of the second ink cluster from the right, at 600 dpi."""
    page = next(number for number, (_, _, words) in enumerate(words_of(out, locale), 1) if cell in words)
    right = max(w["xMax"] for w in row if w["xMin"] >= cell["xMin"] - 0.5 and w["xMin"] <= cell["xMax"] + 0.5)
    scale, x0 = 600 / 72, cell["xMin"] - 2
    box = [round(v) for v in (x0 * scale, cell["yMin"] * scale, (right - x0 + 4) * scale, (cell["yMax"] - cell["yMin"]) * scale)]
    png = subprocess.run(
        ["pdftoppm", "-r", "600", "-f", str(page), "-l", str(page), "-x", str(box[0]), "-y", str(box[1]), "-W", str(box[2]), "-H", str(box[3]), "-gray", "-png", str(out / f"weekly-analysis-455-{locale}.pdf")],
        capture_output=True, check=True,
    ).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    pixels = image.load()
    inked = [any(pixels[x, y] < 128 for y in range(image.height)) for x in range(image.width)]
    clusters, start = [], None
    for x, ink in enumerate([*inked, False]):
        if ink and start is None:
            start = x
        elif not ink and start is not None:
            clusters.append((start, x))
            start = None
    assert len(clusters) >= 3, clusters
    return box[0] / scale + clusters[-2][1] / scale


@pytest.mark.parametrize("locale", LOCALES)
def test_caption_is_numbered_and_translated(tables, locale: str) -> None:
    _, out = tables
    pages = [words for _, _, words in words_of(out, locale)]
    for number in (1, 2):
        label = digits.to_native(f"{number}:", DIGITS[locale])
        numbers = [w for words in pages for w in words if same(w["text"], label)]
        assert numbers, f"no caption numbered {label}"
        line = [w for words in pages for w in words if w["line"] == numbers[0]["line"] and abs(w["yMin"] - numbers[0]["yMin"]) < 2]
        assert any(same(w["text"], LABEL[locale]) for w in line), [w["text"] for w in line]
    if locale != "en":
        text = " ".join(w["text"] for words in pages for w in words)
        assert "Table" not in text and "incidents" not in text and "Kabul" not in text


@pytest.mark.parametrize("locale", ("en", "ar"))
def test_long_table_repeats_its_header_row_on_each_page(tables, locale: str) -> None:
    _, out = tables
    header = "Week" if locale == "en" else TRANSLATIONS[locale]["Week"]
    last = digits.to_native(str(LONG_ROWS * 37), DIGITS[locale])
    first = digits.to_native("74", DIGITS[locale])
    pages = [words for _, _, words in words_of(out, locale)]
    reported = {str(n * 37) for n in range(2, LONG_ROWS + 1)}
    start = next(i for i, words in enumerate(pages) if any(w["text"] == first for w in words))
    end = next(i for i, words in enumerate(pages) if any(w["text"] == last for w in words))
    assert end > start, "the long table was meant to run over a page"
    for words in pages[start : end + 1]:
        heads = [w for w in words if same(w["text"], header)]
        assert heads, "a page of the table without its header row"
        rows = [w for w in words if clean(w["text"]).translate(digits_table()) in reported]
        assert min(r["yMin"] for r in rows) > heads[0]["yMin"], "the header row is above the rows of its page"


def digits_table() -> dict[int, str]:
    return {ord(native): str(i) for i, native in enumerate("٠١٢٣٤٥٦٧٨٩")} | {ord(native): str(i) for i, native in enumerate("۰۱۲۳۴۵۶۷۸۹")}


def test_a_wide_table_stays_inside_the_text_block(project_copy: Path, tmp_path: Path) -> None:
    columns = 9
    head = "| " + " | ".join(f"Heading number {i} of a very wide table" for i in range(columns)) + " |"
    rule = "|" + "---|" * columns
    row = "| " + " | ".join(f"A cell with a long text in column {i} that has to wrap" for i in range(columns)) + " |"
    add_paragraph(project_copy, f"{head}\n{rule}\n{row}")
    result = run_cli("build", "issues/455", "--lang", "en", "--target", "screen", "--out", str(tmp_path), "-q", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    for width, _, words in bbox_pages(tmp_path / "weekly-analysis-455-en.pdf")[2:3]:
        body = [w for w in words if w["yMin"] > 60 and w["yMax"] < 780]
        assert any(w["text"] == "wrap" for w in body)
        left = min(w["xMin"] for w in body)
        right = max(w["xMax"] for w in body)
        assert left >= 50 and right <= width - 50, (left, right, width)


def test_extract_gives_one_message_per_cell_with_its_place(tables) -> None:
    project, _ = tables
    with open(project / "locales" / "weekly-analysis-455.pot", "rb") as handle:
        catalog = read_po(handle)
    kabul = catalog.get("Kabul")
    assert kabul is not None
    notes = " ".join(kabul.auto_comments)
    assert "Table cell" in notes and "table 1, row 1, column 1" in notes, notes
    assert "table 1, header, column 4" in " ".join(catalog.get("Change").auto_comments)
    caption = catalog.get("Security incidents by province, 2023 and 2024")
    assert caption is not None and "caption of table 1" in " ".join(caption.auto_comments)
    for figures in ("120", "1,250", "-29%", str(37 * LONG_ROWS)):
        assert catalog.get(figures) is None, f"the figures {figures!r} were made a message"


def insert(project: Path, text: str) -> int:
    """Insert ``text`` into the introduction of issue 455; return the line its first line lands on."""
    add_paragraph(project, text)
    lines = (project / "issues" / "455" / "issue.md").read_text(encoding="utf-8").split("\n")
    return lines.index(text.split("\n")[0]) + 1


@pytest.mark.parametrize(
    ("markdown", "offset", "message"),
    [
        ("- an item\n\n  | a | b |\n  |---|---|\n  | c | d |", 2, "table cannot sit inside a list or quote"),
        ("> | a | b |\n> |---|---|\n> | c | d |", 0, "table cannot sit inside a list or quote"),
        ("| a | b |\n|---|---|\n| c | d |\n| e | f | g |", 3, "row has 3 cells but the header has 2"),
        ("| a | b |\n|---|---|\n| c | d |\n\nTable: ", None, None),
    ],
)
def test_misplaced_or_malformed_tables_are_refused_with_their_line(project_copy: Path, tmp_path: Path, markdown: str, offset, message) -> None:
    line = insert(project_copy, markdown)
    result = run_cli("build", "issues/455", "--lang", "en", "--out", str(tmp_path), "-q", cwd=project_copy)
    if message is None:  # "Table: " alone is no caption (an empty one is just text)
        assert result.returncode == 0, result.stderr
        return
    error = assert_one_line_error(result)
    assert error.startswith(f"issues/455/issue.md:{line + offset}: "), error
    assert message in error
    assert not list(tmp_path.glob("*.pdf"))


def test_a_word_table_is_imported_as_a_table_that_builds(project_copy: Path, tmp_path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph("Water and Trade", style="Title")
    doc.add_paragraph("Issue Number – 456 (December 09-13, 2024)")
    doc.add_heading("Introduction", level=1)
    doc.add_paragraph("Trade grew in every province.")
    table = doc.add_table(rows=3, cols=2)
    for row, (name, value) in zip(table.rows, [("Province", "Trade"), ("Balkh", "310"), ("Herat | West", "275")], strict=True):
        row.cells[0].text, row.cells[1].text = name, value
    doc.save(str(tmp_path / "draft.docx"))
    result = run_cli("import", str(tmp_path / "draft.docx"), "--into", "issues/456", "--strict", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert "table" not in result.stderr.lower(), result.stderr
    out = tmp_path / "out"
    result = run_cli("build", "issues/456", "--lang", "en", "--target", "screen", "--out", str(out), "-q", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    words = [w for _, _, page in bbox_pages(out / "weekly-analysis-456-en.pdf") for w in page]
    balkh, herat, value = word(words, "Balkh"), word(words, "Herat"), word(words, "310")
    assert balkh["yMin"] < herat["yMin"] and abs(balkh["yMin"] - value["yMin"]) < 2 and value["xMin"] > balkh["xMax"], "cells in rows and columns"
    assert any(w["text"] == "|" for w in words), "an escaped pipe stays text in its cell"


# --- footnotes --------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_footnote_call_and_text_are_on_the_same_page_in_the_editions_digits(tables, locale: str) -> None:
    _, out = tables
    note_word = "Ministry" if locale == "en" else {"ar": "وزارة", "fa_AF": "وزارت", "ps": "وزارت"}[locale]
    one = digits.to_native("1", DIGITS[locale])
    pages = [(height, words) for _, height, words in words_of(out, locale)]
    found = [(words, w) for height, words in pages for w in words if same(w["text"], note_word) and w["yMin"] > height * 0.75]
    assert len(found) == 1, "the note is printed once, at the foot of a page"
    words, note = found[0]
    line = [w for w in words if abs(w["yMin"] - note["yMin"]) < 2]
    assert any(clean(w["text"]).startswith(one) or clean(w["text"]).endswith(one) for w in line), ("marker", [w["text"] for w in line])
    # The call: a figure one in the referring paragraph, above the note on the same page.
    noted = (NOTED if locale == "en" else TRANSLATIONS[locale][NOTED]).split()[1]
    assert any(same(w["text"], noted) for w in words), "the referring paragraph is not on the note's page"
    calls = [w for w in words if one in clean(w["text"]) and w["yMax"] < note["yMin"] - 20]
    assert calls, "no footnote call on the note's page"
    if locale != "en":
        assert "1" not in "".join(clean(w["text"]) for w in line), "Latin digits in the note's marker"


@pytest.mark.parametrize("locale", ("en", "ar"))
def test_a_hard_line_break_starts_a_new_line_of_the_same_paragraph(tables, locale: str) -> None:
    _, out = tables
    first, second = ("moved.", "Its") if locale == "en" else ("المكتب.", "عنوانه")
    for _, _, words in words_of(out, locale):
        if any(same(w["text"], first) for w in words):
            before, after = word(words, first), word(words, second)
            assert after["yMin"] > before["yMax"] - 1, "the text after the break is on the next line"
            edge = min(w["xMin"] for w in words) if locale == "en" else max(w["xMax"] for w in words)
            assert abs((after["xMin"] if locale == "en" else after["xMax"]) - edge) < 2, "the new line starts at the start of the text block"
            return
    raise AssertionError("paragraph not found")


def test_extract_gives_each_footnote_one_message(tables) -> None:
    project, _ = tables
    with open(project / "locales" / "weekly-analysis-455.pot", "rb") as handle:
        catalog = read_po(handle)
    note = catalog.get(NOTE)
    assert note is not None and "Footnote text" in " ".join(note.auto_comments) and "[^n1]" in " ".join(note.auto_comments)
    assert catalog.get(NOTED) is not None, "the reference stays in its paragraph's message"


@pytest.mark.parametrize(
    ("markdown", "offset", "message"),
    [
        ("A claim.[^9]", 0, "footnote [^9] is not defined"),
        ("A claim.\n\n[^9]: A note nobody refers to.", 2, "footnote [^9] is defined but never referred to"),
        ("A claim.[^9] Again.[^9]\n\n[^9]: A note.", 0, "referred to twice"),
        ("A claim.[^9]\n\n[^9]: A note.\n\n[^9]: Another.", 4, "footnote [^9] is defined twice"),
    ],
)
def test_footnote_mistakes_are_refused_with_their_line(project_copy: Path, tmp_path: Path, markdown: str, offset: int, message: str) -> None:
    assert_refused(project_copy, tmp_path, markdown, offset, message)


def assert_refused(project: Path, out: Path, markdown: str, offset: int, message: str) -> None:
    """``markdown`` in issue 455's introduction stops the English build with one line: its line (+ ``offset``) and ``message``; no PDF."""
    line = insert(project, markdown)
    result = run_cli("build", "issues/455", "--lang", "en", "--out", str(out), "-q", cwd=project)
    error = assert_one_line_error(result)
    assert error.startswith(f"issues/455/issue.md:{line + offset}: "), error
    assert message in error, error
    assert not list(out.glob("*.pdf"))


def test_a_translation_referring_to_an_unknown_footnote_is_refused_at_its_po_line(tables, tmp_path: Path) -> None:
    project, _ = tables
    copy = tmp_path / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("dist"))
    set_translation(po(copy, "ar"), NOTED, "ارتفعت التجارة.[^n2]")
    result = run_cli("build", "issues/455", "--lang", "ar", "--target", "screen", "--out", str(tmp_path / "out"), "-q", cwd=copy)
    error = assert_one_line_error(result)
    assert error.startswith("locales/ar/LC_MESSAGES/weekly-analysis-455.po:") and "[^n2] is not defined" in error, error


def test_word_footnotes_convert_to_footnotes_the_issue_accepts() -> None:
    from publisher.source import parse_issue
    from publisher.word.markdown import MarkdownWriter, parse_html

    html = (
        '<h2>Introduction</h2><p>Trade rose<sup><a href="#footnote-7" id="footnote-ref-7">[1]</a></sup> sharply.</p>'
        '<ol><li id="footnote-7"><p>Ministry of Commerce figures. <a href="#footnote-ref-7">↑</a></p></li></ol>'
    )
    converted = MarkdownWriter().convert(parse_html(html))
    text = "---\nseries: weekly-analysis\nnumber: 456\nperiod:\n  start: 2024-12-09\n  end: 2024-12-13\ntitle: T\n---\n"
    issue = parse_issue(text + converted.body + "\n\n" + "\n".join(converted.footnotes) + "\n", "issue.md")
    assert [note.unit.source for note in issue.footnotes] == ["Ministry of Commerce figures."]
    assert issue.sections[0].blocks[0].unit.source == "Trade rose[^1] sharply."


# --- quotations -------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_a_quotes_attribution_is_set_apart_at_the_end_of_the_line(tables, locale: str) -> None:
    _, out = tables
    said = SAID if locale == "en" else TRANSLATIONS[locale][SAID]
    quoted = QUOTED if locale == "en" else TRANSLATIONS[locale][QUOTED]
    for width, _, words in words_of(out, locale):
        firsts = [w for w in words if same(w["text"], quoted.split()[0])]
        names = [w for w in words if same(w["text"], said.split()[-1]) and firsts and w["yMin"] > firsts[0]["yMax"]]
        if not names:
            continue
        line = [w for w in words if abs(w["yMin"] - names[0]["yMin"]) < 2]
        quote = [w for w in words if abs(w["yMin"] - firsts[0]["yMin"]) < 2]
        assert len(line) == len(said.split()) + 1, ("the attribution is a line of its own, after a dash", [w["text"] for w in line])
        assert any("—" in w["text"] for w in line)
        if locale == "en":  # the quote starts at the left, its attribution ends at the right
            assert min(w["xMin"] for w in line) > width / 2 > max(w["xMax"] for w in quote)
        else:
            assert max(w["xMax"] for w in line) < width / 2 < min(w["xMin"] for w in quote)
        return
    raise AssertionError("no attribution found")


@pytest.mark.parametrize(("locale", "system", "text", "expected"), [
    ("fa_AF", "arabext", "از 1,250 به 1,480 تن (+18%) و 3.5 درصد", "از ۱٬۲۵۰ به ۱٬۴۸۰ تن (\u200e+۱۸٪) و ۳٫۵ درصد"),
    ("ps", "arabext", "-4% او 2024.", "\u200e\u2212\u200e۴٪ او ۲۰۲۴."),
    ("ar", "arab", "1,250 و 20% و +18% و -4%", "١٬٢٥٠ و ٢٠٪ و \u061c+١٨٪ و \u061c\u2212٤٪"),
    ("en", "latn", "1,250 and 20%, -4% in 2023-2024 (COVID-19)", "1,250 and 20%, \u22124% in 2023-2024 (COVID-19)"),
])
def test_numbers_in_running_text_take_the_locales_separators_and_signs(locale: str, system: str, text: str, expected: str) -> None:
    assert digits.to_native_text(text, system, locale) == expected
