"""Print and screen PDFs: the printer's file (PDF/X-4, CMYK output intent, bleed, whole sheets) and the reader's (tagged, trimmed)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pypdf
import pytest
from conftest import LOCALES, pdf_path, run_cli
from pdftools import layout_settings, pdffonts
from PIL import Image

MM = 72 / 25.4
A4 = (595.28, 841.89)


def print_path(out: Path, locale: str) -> Path:
    return out / f"weekly-analysis-455-{locale}-print.pdf"


def page_multiple() -> int:
    return int(layout_settings()["print"]["page_multiple"])


def bleed_pt() -> float:
    value = str(layout_settings()["print"]["bleed"])
    assert value.endswith("mm"), value
    return float(value[:-2]) * MM


def box(page: pypdf.PageObject, name: str) -> list[float]:
    return [float(v) for v in page[name]]


def page_texts(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def render_page(path: Path, number: int, tmp_path: Path) -> Image.Image:
    """Page ``number`` (from 1) at 100 dpi, the whole MediaBox."""
    prefix = tmp_path / f"{path.stem}-{number}"
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", "-f", str(number), "-l", str(number), str(path), str(prefix)], check=True)
    return Image.open(f"{prefix}.png").convert("RGB")


def manifest_entries(out: Path) -> dict[str, dict]:
    return {e["file"]: e for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["editions"]}


# --- print ------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_print_pdf_is_pdfx_with_an_embedded_cmyk_output_intent(built: Path, locale: str) -> None:
    reader = pypdf.PdfReader(str(print_path(built, locale)))
    intents = reader.trailer["/Root"].get("/OutputIntents")
    assert intents, "no OutputIntents: every preflight rejects the file"
    [intent] = [i.get_object() for i in intents]
    assert intent["/S"] == "/GTS_PDFX"
    profile = intent["/DestOutputProfile"].get_object()
    data = profile.get_data()
    assert data[36:40] == b"acsp", "the output profile is not an ICC profile"
    assert data[16:20] == b"CMYK", f"the output profile's colour space is {data[16:20]!r}, not CMYK"
    assert data[12:16] == b"prtr", "the output profile does not characterize a printer"
    assert int(profile["/N"]) == 4
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"PDF/X-4" in xmp, "the XMP metadata does not claim PDF/X-4"
    for index, page in enumerate(reader.pages):
        spaces = page["/Resources"]["/ColorSpace"]
        assert "/DefaultRGB" in spaces, f"page {index + 1}: its RGB colours are not said to be sRGB"
        annotations = [a.get_object().get("/Subtype") for a in page.get("/Annots", [])]
        assert not annotations, f"page {index + 1} has annotations {annotations}, which PDF/X does not want on the page"


@pytest.mark.parametrize("locale", LOCALES)
def test_print_pages_have_trim_and_bleed_boxes_a_bleed_apart(built: Path, locale: str) -> None:
    bleed = bleed_pt()
    for index, page in enumerate(pypdf.PdfReader(str(print_path(built, locale))).pages):
        assert "/TrimBox" in page and "/BleedBox" in page, f"page {index + 1} has no TrimBox or BleedBox"
        trim, bleeds, media = box(page, "/TrimBox"), box(page, "/BleedBox"), box(page, "/MediaBox")
        assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx(A4, abs=0.5), f"page {index + 1}: the trimmed page is not A4"
        assert [trim[0] - bleeds[0], trim[1] - bleeds[1], bleeds[2] - trim[2], bleeds[3] - trim[3]] == pytest.approx([bleed] * 4, abs=0.1), f"page {index + 1}"
        assert media[0] <= bleeds[0] and media[1] <= bleeds[1] and media[2] >= bleeds[2] and media[3] >= bleeds[3]
        assert "/ArtBox" not in page or box(page, "/ArtBox") == trim, f"page {index + 1}: the ArtBox is not the trimmed page"


@pytest.mark.parametrize("locale", LOCALES)
def test_print_page_count_is_padded_before_the_back_cover(built: Path, locale: str) -> None:
    """Whole sheets: the count made up before the back cover (blank or notes pages: tests/test_copyfit.py, tests/test_figures_bylines.py)."""
    printed, screen = page_texts(print_path(built, locale)), page_texts(pdf_path(built, locale))
    multiple = page_multiple()
    assert multiple > 1, "the layout asks for no page multiple: this test would test nothing"
    assert len(printed) % multiple == 0, f"{len(printed)} pages is not a multiple of {multiple}"
    assert len(printed) == len(screen) + (-len(screen) % multiple), "more pages than needed"
    assert printed[: len(screen) - 1] == screen[:-1], "the pages before the added ones differ from the screen file's"
    assert printed[-1] == screen[-1], "the back cover is not the last page"


@pytest.mark.parametrize("locale", LOCALES)
def test_print_fonts_are_embedded(built: Path, locale: str) -> None:
    fonts = pdffonts(print_path(built, locale))
    assert fonts
    assert all(f["emb"] == "yes" for f in fonts), [f for f in fonts if f["emb"] != "yes"]


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_cover_and_back_backgrounds_run_into_the_bleed(built: Path, locale: str, tmp_path: Path) -> None:
    path = print_path(built, locale)
    pages = len(pypdf.PdfReader(str(path)).pages)
    bleed_px = bleed_pt() / 72 * 100
    for number in (1, pages):
        image = render_page(path, number, tmp_path)
        media = box(pypdf.PdfReader(str(path)).pages[number - 1], "/MediaBox")
        # The last pixel column and row that the MediaBox covers whole (pdftoppm rounds the image size up).
        width, height = int((media[2] - media[0]) / 72 * 100), int((media[3] - media[1]) / 72 * 100)
        inside = image.getpixel((width // 2, int(bleed_px) + 40))  # the background just inside the trim, at the top
        assert inside != (255, 255, 255), f"page {number} has no background to run into the bleed"
        for x, y in ((0, 0), (width - 1, 0), (0, height - 1), (width - 1, height - 1), (width // 2, 0), (0, height // 2), (width - 1, height // 2), (width // 2, height - 1)):
            pixel = image.getpixel((x, y))
            assert max(abs(a - b) for a, b in zip(pixel, inside, strict=True)) <= 8, f"page {number}: the bleed edge at ({x}, {y}) is {pixel}, not the background {inside}"


# --- screen -----------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_screen_pdf_is_tagged_with_language_bookmarks_and_live_links(built: Path, locale: str) -> None:
    reader = pypdf.PdfReader(str(pdf_path(built, locale)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, "the screen file has no structure tree"
    assert bool(root.get("/MarkInfo", {}).get("/Marked")), "the screen file is not marked as tagged"
    assert str(root.get("/Lang", "")).replace("-", "_").lower() == locale.lower() or str(root.get("/Lang", "")).split("-")[0] == locale.split("_")[0], root.get("/Lang")
    assert reader.outline, "the screen file has no bookmarks"
    links = [a.get_object() for page in reader.pages for a in page.get("/Annots", []) if a.get_object().get("/Subtype") == "/Link"]
    assert any("/A" in link and "/URI" in link["/A"] for link in links), "no live web link"
    assert any("/Dest" in link or ("/A" in link and "/D" in link["/A"]) for link in links), "no live link inside the document"


@pytest.mark.parametrize("locale", LOCALES)
def test_screen_pdf_has_no_bleed_no_output_intent_for_print_and_no_blank_page(built: Path, locale: str) -> None:
    reader = pypdf.PdfReader(str(pdf_path(built, locale)))
    for index, page in enumerate(reader.pages):
        media = box(page, "/MediaBox")
        assert (media[2] - media[0], media[3] - media[1]) == pytest.approx(A4, abs=0.5), f"page {index + 1} has a bleed"
        for name in ("/TrimBox", "/BleedBox"):
            if name in page:
                assert box(page, name) == pytest.approx(media, abs=0.01), f"page {index + 1}: {name} is not the page"
    intents = reader.trailer["/Root"].get("/OutputIntents") or []
    assert all(i.get_object()["/S"] != "/GTS_PDFX" for i in intents)
    texts = page_texts(pdf_path(built, locale))
    assert all(t.strip() for t in texts[1:-1]), "the screen file has a blank page"


# --- the build ----------------------------------------------------------------------


def test_manifest_lists_both_files_of_every_edition(built: Path) -> None:
    entries = manifest_entries(built)
    for locale in LOCALES:
        screen, printed = entries[pdf_path(built, locale).name], entries[print_path(built, locale).name]
        assert (screen["variant"], printed["variant"]) == ("screen", "print")
        assert printed["conformance"].startswith("pdf/x-") and not screen["conformance"].startswith("pdf/x-")
        assert screen["ok"] and printed["ok"]
        assert printed["pages"] == len(pypdf.PdfReader(str(print_path(built, locale))).pages)
        assert screen["inputs"] != printed["inputs"], "the two files share an inputs hash"


def test_targets_are_reproducible_and_each_file_is_cached_on_its_own(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "one"
    result = run_cli("build", "issues/455", "--lang", "en", "--out", str(out), "--target", "screen", "--json")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.glob("*.pdf")) == [pdf_path(out, "en").name]
    assert pdf_path(out, "en").read_bytes() == pdf_path(built, "en").read_bytes(), "the screen file depends on --target"
    result = run_cli("build", "issues/455", "--lang", "en", "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    rebuilt = {e["file"]: e["rebuilt"] for e in json.loads(result.stdout)["editions"]}
    assert rebuilt == {pdf_path(out, "en").name: False, print_path(out, "en").name: True}, "the screen file was not reused on its own"
    assert print_path(out, "en").read_bytes() == print_path(built, "en").read_bytes(), "the print file is not reproducible"
    assert set(manifest_entries(out)) == {pdf_path(out, "en").name, print_path(out, "en").name}


def test_crop_marks_keep_the_boxes_and_the_page_count(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "marks"
    result = run_cli("build", "issues/455", "--lang", "en", "--out", str(out), "--target", "print", "--marks", "crop")
    assert result.returncode == 0, result.stderr
    assert not pdf_path(out, "en").exists(), "--target print wrote a screen file"
    marked, plain = pypdf.PdfReader(str(print_path(out, "en"))), pypdf.PdfReader(str(print_path(built, "en")))
    assert len(marked.pages) == len(plain.pages)
    assert [box(p, "/TrimBox") for p in marked.pages] == [box(p, "/TrimBox") for p in plain.pages]
    assert print_path(out, "en").read_bytes() != print_path(built, "en").read_bytes(), "--marks crop changed nothing"
    bleed = bleed_pt()
    for index, page in enumerate(marked.pages):
        trim, bleeds, media = box(page, "/TrimBox"), box(page, "/BleedBox"), box(page, "/MediaBox")
        assert [trim[0] - bleeds[0], bleeds[3] - trim[3]] == pytest.approx([bleed, bleed], abs=0.1), f"page {index + 1}: the marks changed the bleed"
        assert bleeds[0] - media[0] >= 10 and media[3] - bleeds[3] >= 10, f"page {index + 1}: no room for the marks outside the bleed"
    # An inside page (white to its edges): dark marks outside the BleedBox, none in the bleed around the trimmed page.
    page = marked.pages[1]
    media, bleeds, trim = box(page, "/MediaBox"), box(page, "/BleedBox"), box(page, "/TrimBox")
    image = render_page(print_path(out, "en"), 2, tmp_path).convert("L")
    scale = 100 / 72

    def pixels(area: list[float]) -> tuple[int, int, int, int]:
        return int((area[0] - media[0]) * scale) + 1, int((media[3] - area[3]) * scale) + 1, int((area[2] - media[0]) * scale) - 1, int((media[3] - area[1]) * scale) - 1

    x0, y0, x1, y1 = pixels(bleeds)
    tx0, ty0, tx1, ty1 = pixels(trim)
    for strip in ((x0, y0, x1, ty0 - 2), (x0, ty1 + 2, x1, y1), (x0, y0, tx0 - 2, y1), (tx1 + 2, y0, x1, y1)):
        assert image.crop(strip).getextrema()[0] >= 250, f"a crop mark reaches into the bleed: {strip}"
    assert image.getextrema()[0] < 128, "no crop mark drawn"


def test_a_missing_output_profile_is_one_line_naming_the_package(project_copy: Path) -> None:
    layout = project_copy / "layouts" / "weekly-analysis" / "layout.yaml"
    text = layout.read_text(encoding="utf-8")
    profile = layout_settings()["print"]["output_profile"]["path"]
    layout.write_text(text.replace(profile, "/nonexistent/cmyk.icc"), encoding="utf-8")
    out = project_copy / "dist"
    result = run_cli("build", "issues/455", "--lang", "en", "--out", str(out), "--quiet", cwd=project_copy)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and re.match(r"layouts/weekly-analysis/layout\.yaml:\d+: ", lines[0]) and "libgs-common" in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert not list(out.glob("*.pdf")), "a file was written without its output profile"
    screen = run_cli("build", "issues/455", "--lang", "en", "--out", str(out), "--target", "screen", cwd=project_copy)
    assert screen.returncode == 0, "the screen file needs no CMYK profile"


# --- inks and mirrored pages ------------------------------------------------------


def fills(page: pypdf.PageObject) -> list[tuple[str, tuple[float, ...]]]:
    """The fill colours a page's content stream sets, as (operator, values): ``rg`` (RGB) or ``scn`` after ``/DeviceCMYK cs``."""
    data = page.get_contents().get_data().decode("latin-1")
    found, space = [], ""
    for match in re.finditer(r"/(\w+)\s+cs\b|((?:-?[\d.]+\s+){3,4})(rg|scn|sc|k)\b", data):
        if match.group(1):
            space = match.group(1)
        else:
            values = tuple(float(v) for v in match.group(2).split())
            found.append(("cmyk" if match.group(3) == "k" or (space == "DeviceCMYK" and len(values) == 4) else match.group(3), values))
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_print_text_is_in_black_ink_only_and_the_brand_colours_in_cmyk(built: Path, locale: str) -> None:
    """layout.yaml print.inks: the near-black text would otherwise separate to about C73 M67 Y68 K88 through the profile."""
    inks = layout_settings()["print"]["inks"]
    reader = pypdf.PdfReader(str(print_path(built, locale)))
    body = fills(reader.pages[3])
    assert ("cmyk", tuple(v / 100 for v in inks["text"])) in body
    assert ("cmyk", tuple(v / 100 for v in inks["brand"])) in [(kind, tuple(round(x, 6) for x in v)) for kind, v in body]
    assert not [values for kind, values in body if kind == "rg"], "RGB fills left in the print file"
    screen = fills(pypdf.PdfReader(str(pdf_path(built, locale))).pages[3])
    assert not [values for kind, values in screen if kind == "cmyk"], "the screen file stays RGB"


@pytest.mark.parametrize("locale", LOCALES)
def test_black_overprints_in_the_print_file_only(built: Path, locale: str) -> None:
    """Solid black (K100) is painted with fill overprint on (/op true, /OPM 1); any other colour with it off."""
    for path, printed in ((print_path(built, locale), True), (pdf_path(built, locale), False)):
        page = pypdf.PdfReader(str(path)).pages[3]
        states = {str(name): state.get_object() for name, state in page["/Resources"].get("/ExtGState", {}).items()}
        on = {name for name, state in states.items() if getattr(state.get("/op"), "value", None) is True}
        if not printed:
            assert not on, "the screen file overprints"
            continue
        assert on and all(states[name].get("/OPM") == 1 for name in on)
        content = page.get_contents().get_data().decode("latin-1")
        painted = re.findall(r"(\S+ \S+ \S+ \S+) scn\n(/\S+) gs", content)
        assert painted, "no CMYK fill followed by its overprint state"
        for values, state in painted:
            black = [float(v) for v in values.split()] == [0, 0, 0, 1]
            assert (state in on) == black, f"{values} painted with {state}"


@pytest.mark.parametrize("locale", LOCALES)
def test_folios_and_section_heads_stand_on_the_outer_edge_of_every_page(built: Path, locale: str) -> None:
    """A saddle-stitched booklet: the folio of a verso is not in the gutter. Recto is odd; in RTL editions it is a left page."""
    path = pdf_path(built, locale)
    reader = pypdf.PdfReader(str(path))
    width = float(reader.pages[0].mediabox.width)
    rtl = locale in ("ps", "fa_AF", "ar")
    from pdftools import bbox_pages

    for number, (_, height, words) in enumerate(bbox_pages(path), 1):
        if number in (1, len(reader.pages)):
            continue  # the covers carry no folio
        folio = [w for w in words if w["yMin"] > height - 25 * MM and w["text"].strip().isdigit() or (w["yMin"] > height - 25 * MM and all(ch in "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩" for ch in w["text"].strip()) and w["text"].strip())]
        assert folio, (locale, number)
        on_left = folio[0]["xMax"] < width / 2
        recto = number % 2 == 1
        assert on_left == (recto == rtl), f"{locale} page {number}: folio on the {'left' if on_left else 'right'}"


@pytest.mark.parametrize(("line", "named"), [("    text: [0, 0, 0, 140]", "print.inks.text"), ("    ink: [0, 0, 0, 100]", "print.inks.ink")])
def test_a_wrong_ink_is_one_line_naming_it(project_copy: Path, line: str, named: str) -> None:
    layout = project_copy / "layouts" / "weekly-analysis" / "layout.yaml"
    layout.write_text(layout.read_text(encoding="utf-8").replace("    text: [0, 0, 0, 100]", line), encoding="utf-8")
    result = run_cli("build", "issues/455", "--lang", "en", "--out", str(project_copy / "dist"), "--quiet", cwd=project_copy)
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1 and named in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
