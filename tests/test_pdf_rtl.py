"""The right-to-left editions (Pashto, Dari, Arabic) beside the English one.

Script, digits, calendars, fonts, navigation and the mirrored page furniture,
read from the session build (``built``); nothing here builds.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pypdf
import pytest
from babel.messages.pofile import read_po
from conftest import LOCALES, ROOT, pdf_path, pdftotext
from pdftools import bbox_pages as _bbox_pages
from pdftools import contents_numbers_of, family_of, layout_settings, pdffonts

from publisher.model import Link, plain_text
from publisher.source import read_issue

RTL = ("ps", "fa_AF", "ar")
MM = 72 / 25.4
LANG = {"en": "en", "ps": "ps", "fa_AF": "fa-AF", "ar": "ar"}
ZERO = {"en": "0", "ps": "\u06f0", "fa_AF": "\u06f0", "ar": "\u0660"}  # Latin, Extended Arabic-Indic, Arabic-Indic
PASHTO_LETTERS = "ټډړږښګڼۍېځڅ"
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
URL = re.compile(r"(https?://\S+|www\.\S+|[\w.-]+\.(?:link|com|org|af)(?:/\S*)?|\S+@\S+)")


# --- helpers ---------------------------------------------------------------


def clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text.translate(BIDI_CONTROLS))


def native(text: str, locale: str) -> str:
    zero = ord(ZERO[locale])
    return "".join(chr(zero + int(ch)) if "0" <= ch <= "9" else ch for ch in text)


def is_digits_of(text: str, locale: str) -> bool:
    zero = ord(ZERO[locale])
    return bool(text) and all(zero <= ord(ch) <= zero + 9 for ch in text)


@cache
def series_name(locale: str) -> str:
    """The series name as the edition's layout catalog translates it."""
    english = layout_settings()["text"]["series_name"]
    path = ROOT / "locales" / locale / "LC_MESSAGES" / "layout.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    message = catalog.get(english)
    return str(message.string) if message is not None and message.string and not message.fuzzy else english


@cache
def bbox_pages(path: Path) -> tuple[tuple[float, float, tuple[dict, ...]], ...]:
    """Words with boxes (see pdftools), their text cleaned of bidi marks."""
    return tuple((w, h, tuple({**word, "text": clean(word["text"])} for word in words)) for w, h, words in _bbox_pages(path))


def letters_key(word: str) -> str:
    """A word's letters, sorted: survives the reordering poppler applies to RTL words and ligatures."""
    return "".join(sorted(ch for ch in clean(word) if unicodedata.category(ch).startswith("L")))


@cache
def page_texts(path: Path) -> tuple[str, ...]:
    pages = pdftotext(path).split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # the form feed after the last page
    return tuple(clean(t) for t in pages)


def contents_numbers(path: Path) -> list[tuple[str, float]]:
    """(printed number, x centre) of each contents line with a dotted leader, top to bottom."""
    return contents_numbers_of(bbox_pages(path)[1][2])


def to_int(digits: str) -> int:
    return int("".join(str(unicodedata.decimal(ch)) for ch in digits))


def contents_targets(reader: pypdf.PdfReader) -> list[tuple[str, int]]:
    """(destination name, 1-based page) of the contents links, top to bottom."""
    tops: dict[str, float] = {}
    pages: dict[str, int] = {}
    for ref in reader.pages[1].get("/Annots", []) or []:
        annot = ref.get_object()
        if annot.get("/Subtype") != "/Link":
            continue
        dest = annot.get("/Dest")
        action = annot.get("/A")
        if dest is None and action is not None and action.get("/S") == "/GoTo":
            dest = action.get("/D")
        if dest is None:
            continue
        name = str(dest)
        pages[name] = reader.get_destination_page_number(reader.named_destinations[name]) + 1
        tops[name] = max(tops.get(name, 0.0), float(annot["/Rect"][1]), float(annot["/Rect"][3]))
    return [(name, pages[name]) for name in sorted(tops, key=lambda n: -tops[n])]


def outline_count(reader: pypdf.PdfReader) -> int:
    def count(nodes) -> int:
        return sum(count(n) if isinstance(n, list) else 1 for n in nodes)

    return count(reader.outline)


def body_pages(path: Path) -> range:
    """1-based numbers of the pages between the inside page and the back page."""
    return range(3, len(bbox_pages(path)))


def footer_words(path: Path, page: int) -> list[dict]:
    _, height, page_words = bbox_pages(path)[page - 1]
    return [w for w in page_words if w["yMin"] > height - 22 * MM]


def header_words(path: Path, page: int) -> list[dict]:
    _, _, page_words = bbox_pages(path)[page - 1]
    return [w for w in page_words if w["yMax"] < 24 * MM and w["yMax"] - w["yMin"] > 3]


# --- fixtures --------------------------------------------------------------


@pytest.fixture(scope="module")
def editions(built: Path) -> dict[str, Path]:
    paths = {locale: pdf_path(built, locale) for locale in LOCALES}
    for locale, path in paths.items():
        assert path.is_file(), f"no {locale} edition"
    return paths


@pytest.fixture(scope="module")
def readers(editions: dict[str, Path]) -> dict[str, pypdf.PdfReader]:
    return {locale: pypdf.PdfReader(str(path)) for locale, path in editions.items()}


# --- language and script ------------------------------------------------------


@pytest.mark.parametrize("locale", RTL)
def test_document_language(readers, locale: str) -> None:
    assert readers[locale].trailer["/Root"].get("/Lang") == LANG[locale]


@pytest.mark.parametrize("locale", RTL)
def test_text_is_mostly_arabic_script(editions, locale: str) -> None:
    text = "".join(page_texts(editions[locale]))
    letters = [ch for ch in text if ch.isalpha()]
    assert len(letters) > 5000, "too little text extracted"
    latin = sum(1 for ch in letters if "LATIN" in unicodedata.name(ch, ""))
    arabic = sum(1 for ch in letters if "ARABIC" in unicodedata.name(ch, ""))
    assert latin / len(letters) < 0.10, f"{latin} of {len(letters)} letters are Latin"
    assert arabic / len(letters) > 0.85


def test_pashto_letters_in_the_pashto_edition(editions) -> None:
    text = "".join(page_texts(editions["ps"]))
    absent = [ch for ch in PASHTO_LETTERS if ch not in text]
    assert not absent, f"Pashto letters missing from the text: {' '.join(absent)}"


# --- digits -----------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_footer_page_numbers_in_native_digits(editions, locale: str) -> None:
    path = editions[locale]
    for page in body_pages(path):
        footer = footer_words(path, page)
        numbers = [w["text"] for w in footer if w["text"] and all(ch.isdecimal() for ch in w["text"])]
        assert numbers == [native(str(page), locale)], f"page {page}: footer numbers {numbers}, wanted {native(str(page), locale)!r}"
        ascii_digits = [w["text"] for w in footer if re.search("[0-9]", w["text"]) and not URL.fullmatch(w["text"])]
        if locale != "en":
            assert not ascii_digits, f"page {page}: ASCII digits in the footer: {ascii_digits}"


@pytest.mark.parametrize("locale", LOCALES)
def test_contents_page_numbers_are_native_and_right(editions, readers, locale: str) -> None:
    numbers = contents_numbers(editions[locale])
    targets = contents_targets(readers[locale])
    assert len(numbers) == len(targets) > 3
    for digits, _ in numbers:
        assert is_digits_of(digits, locale), f"contents page number {digits!r} not in {locale}'s digits"
    assert [to_int(d) for d, _ in numbers] == [page for _, page in targets], "printed contents page numbers differ from the pages the links go to"


@pytest.mark.parametrize("locale", RTL)
def test_issue_number_in_native_digits(editions, readers, locale: str) -> None:
    number = str(read_issue(ROOT / "issues" / "455").meta.number)
    cover = page_texts(editions[locale])[0]
    assert native(number, locale) in cover
    assert number not in cover
    assert native(number, locale) in str(readers[locale].metadata.get("/Subject"))
    header = " ".join(w["text"] for w in header_words(editions[locale], 3))
    assert native(number, locale) in header


@pytest.mark.parametrize("locale", RTL)
def test_no_ascii_digits_on_contents_page(editions, locale: str) -> None:
    text = URL.sub(" ", page_texts(editions[locale])[1])
    assert not re.findall(r"[0-9]+", text), f"ASCII digits on the contents page: {re.findall(r'[0-9]+', text)}"


# --- calendars ----------------------------------------------------------------


@pytest.mark.parametrize(("locale", "month"), [("ps", "لیندۍ"), ("fa_AF", "قوس")])
def test_solar_hijri_date_on_cover(editions, locale: str, month: str) -> None:
    cover = page_texts(editions[locale])[0]
    assert "۱۴۰۳" in cover, "Solar Hijri year 1403 not on the cover"
    assert month in cover, f"month {month} not on the cover"


def test_no_solar_hijri_date_on_arabic_cover(editions) -> None:
    cover = page_texts(editions["ar"])[0]
    for absent in ("۱۴۰۳", "١٤٠٣", "1403", "قوس", "لیندۍ"):
        assert absent not in cover


# --- navigation ----------------------------------------------------------------


@pytest.mark.parametrize("locale", RTL)
def test_same_bookmarks_and_contents_links_as_english(readers, locale: str) -> None:
    assert outline_count(readers[locale]) == outline_count(readers["en"]) > 5
    english = [name for name, _ in contents_targets(readers["en"])]
    assert [name for name, _ in contents_targets(readers[locale])] == english


@pytest.mark.parametrize("locale", RTL)
def test_page_count_close_to_english(readers, locale: str) -> None:
    ratio = len(readers[locale].pages) / len(readers["en"].pages)
    assert 0.5 <= ratio <= 1.8, f"{locale}: {len(readers[locale].pages)} pages against {len(readers['en'].pages)} in English"


# --- fonts ---------------------------------------------------------------------


@pytest.mark.parametrize("locale", RTL)
def test_only_the_layout_fonts_all_embedded(editions, locale: str) -> None:
    """Arabic-script fonts for the text, the Latin ones for Latin islands: all the layout's, all embedded, no system font."""
    fonts = layout_settings()["fonts"]
    arabic = {face["family"] for face in fonts["arabic"].values()}
    declared = arabic | {face["family"] for face in fonts["latin"].values()}
    rows = pdffonts(editions[locale])
    assert rows
    for row in rows:
        assert row["emb"] == "yes", f"{row['name']} not embedded"
        assert row["uni"] == "yes", f"{row['name']} has no ToUnicode map"
        assert "dejavu" not in row["name"].lower()
        assert family_of(row["name"]) in declared, f"{row['name']} is not a font of the layout {sorted(declared)}"
    assert arabic <= {family_of(r["name"]) for r in rows}, "the layout's Arabic body and heading fonts are not both used"


# --- mirrored page furniture ---------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_footer_page_number_on_the_outer_edge(editions, locale: str) -> None:
    """The folio is on the page's outer edge: a recto (odd page) is a right page in English, a left page in RTL editions; a verso mirrors it."""
    path = editions[locale]
    width = bbox_pages(path)[0][0]
    for page in body_pages(path):
        numbers = [w for w in footer_words(path, page) if w["text"] and all(ch.isdecimal() for ch in w["text"])]
        assert numbers, f"page {page}: no page number in the footer"
        x = numbers[0]["x"]
        left = (page % 2 == 1) == (locale in RTL)
        assert (x < width / 2) == left, f"{locale} page {page}: page number at x={x:.0f}, not on the {'left' if left else 'right'}"


@pytest.mark.parametrize("locale", LOCALES)
def test_running_header_series_name_on_the_inner_edge(editions, locale: str) -> None:
    """The series name in the running header is on the page's inner edge (the section on the outer): on a recto at the start of the line."""
    path = editions[locale]
    width = bbox_pages(path)[0][0]
    wanted = [letters_key(word) for word in series_name(locale).split()]
    assert wanted
    for page in body_pages(path):
        header = header_words(path, page)
        found = [w for w in header if letters_key(w["text"]) in wanted]
        assert {letters_key(w["text"]) for w in found} == set(wanted), (
            f"{locale} page {page}: series name {series_name(locale)!r} not in the header {[w['text'] for w in header]}"
        )
        left = (page % 2 == 1) != (locale in RTL)
        for w in found:
            assert (w["x"] < width / 2) == left, f"{locale} page {page}: series name at x={w['x']:.0f}, not on the {'left' if left else 'right'}"
    assert not header_words(path, 1), f"{locale}: running header on the cover"


@pytest.mark.parametrize("locale", RTL)
def test_contents_page_numbers_on_the_left(editions, locale: str) -> None:
    width = bbox_pages(editions[locale])[1][0]
    numbers = contents_numbers(editions[locale])
    assert numbers
    for digits, x in numbers:
        assert x < width / 2, f"{locale}: contents page number {digits} at x={x:.0f}, not on the left"


# --- Latin islands ---------------------------------------------------------------


@pytest.mark.parametrize("locale", RTL)
def test_latin_urls_intact(editions, readers, locale: str) -> None:
    """The references' URLs (Latin inside Arabic-script text) are printed whole and linked."""
    issue = read_issue(ROOT / "issues" / "455")
    shown, hrefs = [], set()
    for unit in issue.units():
        for run in unit.inlines:
            if isinstance(run, Link) and run.href.startswith("http"):
                shown.append(plain_text(run.children))
                hrefs.add(run.href)
    assert len(shown) >= 5
    squeezed = re.sub(r"\s+", "", "".join(page_texts(editions[locale])))
    for text in shown:
        assert re.sub(r"\s+", "", text) in squeezed, f"{locale}: {text!r} not printed intact"
    uris = set()
    for page in readers[locale].pages:
        for ref in page.get("/Annots", []) or []:
            action = ref.get_object().get("/A")
            if action is not None and action.get("/S") == "/URI":
                uris.add(str(action["/URI"]))
    assert hrefs <= uris, f"{locale}: links missing: {sorted(hrefs - uris)}"


@pytest.mark.parametrize("locale", RTL)
def test_contact_details_on_back_page(editions, locale: str) -> None:
    back = page_texts(editions[locale])[-1]
    for value in ("info@csrsaf.org", "www.csrsaf.org", layout_settings()["contact"]["phone"]):
        assert value in back


@pytest.mark.parametrize("locale", RTL)
def test_list_and_heading_numbers_never_read_as_tens(editions, locale: str) -> None:
    """Amiri's full stop is a diamond like a zero: "۱." reads as "۱۰". Numbers take the layout's suffix ("۱-")."""
    suffix = layout_settings()["number_suffix"]["arabic"]
    words = [w["text"] for _, _, page in bbox_pages(editions[locale]) for w in page]
    one, five = native("1", locale), native("5", locale)
    assert any(w in (one + suffix, suffix + one) for w in words), f"no list number '{one}{suffix}' found"
    assert any(w in (five + suffix, suffix + five) for w in words), f"no list number '{five}{suffix}' found"
    assert not [w for w in words if re.fullmatch(rf"\.?[{one}-{five}]\.?", w) and "." in w], "a number followed by a full stop"
