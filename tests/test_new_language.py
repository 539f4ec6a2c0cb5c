"""A fifth language is data: Urdu (right to left) and Turkish added with ``init-lang`` and catalogs only.

In a copy of the project, ``publisher init-lang ur`` and ``init-lang tr`` add
the locales to ``locales.yaml`` themselves (CLDR through Babel gives direction,
script, digits and plural forms), a few messages are translated in the PO
files as a translator would, and both editions are built as PDFs. No Python
and no layout file is touched. The PDFs are then read: direction, digits,
fonts (no tofu, the faces of the locale's script) and Turkish upper case.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pypdf
import pytest
import yaml
from babel import Locale
from babel.messages.plurals import get_plural
from conftest import ROOT, run_cli
from pdftools import family_of, layout_settings, pdffonts
from test_pdf_rtl import bbox_pages, letters_key
from test_security import assert_one_line_error, set_translation

from publisher.locale_rules.digits import to_native

URDU_LETTERS = "ٹڈڑںےۓ"
URDU = {
    "Weekly Analysis": "ہفتہ وار تجزیہ",
    "Issue %(number)s": "شمارہ %(number)s",
}
URDU_PARAGRAPH = (
    "پچھلے ہفتوں میں کابل نے دو بڑی ایشیائی طاقتوں کے اعلیٰ عہدیداروں کے دورے دیکھے۔ "
    "3 دسمبر کو چین کے خصوصی نمائندے پاکستان کے بعد کابل پہنچے، اور 6 دسمبر کو روس کی ٹیم "
    "ڈیل کی امید لے کر آئی؛ وہ سب ملاقاتوں میں شریک ہوۓ۔"
)
TURKISH_HEADING = "Çin ve Rusya'nın Afganistan'daki Hedefleri"
ENGLISH_HEADING = "Introduction"


def _layout_families(script: str) -> set[str]:
    fonts = layout_settings()["fonts"]
    return {ref["family"] for role in fonts[script].values() for ref in [role]} | {ref["family"] for ref in fonts["latin"].values()}


@pytest.fixture(scope="module")
def fifth(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The project with ur and tr added by init-lang, a few messages translated, both editions built."""
    project = tmp_path_factory.mktemp("fifth") / "project"
    project.mkdir()
    for name in ("issues", "locales", "layouts"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("*.mo"))
    python_before = sorted(p.read_bytes() for p in (ROOT / "publisher").rglob("*.py"))
    layout_before = (project / "layouts" / "weekly-analysis" / "layout.yaml").read_bytes()
    inits = {code: run_cli("init-lang", code, cwd=project) for code in ("ur", "tr")}
    po = {code: project / "locales" / code / "LC_MESSAGES" for code in ("ur", "tr")}
    if all(r.returncode == 0 for r in inits.values()):
        for msgid, text in URDU.items():
            set_translation(po["ur"] / "layout.po", msgid, text)
        set_translation(po["ur"] / "weekly-analysis-455.po", None, URDU_PARAGRAPH, startswith="Over the past couple of weeks")
        set_translation(po["tr"] / "weekly-analysis-455.po", "The Objectives of China and Russia in Afghanistan", TURKISH_HEADING)
    out = project / "dist"
    built = run_cli("build", "issues/455", "--lang", "ur,tr", "--out", str(out), cwd=project)
    return {
        "project": project,
        "inits": inits,
        "built": built,
        "out": out,
        "pdf": {code: out / f"weekly-analysis-455-{code}.pdf" for code in ("ur", "tr")},
        "layout_unchanged": layout_before == (project / "layouts" / "weekly-analysis" / "layout.yaml").read_bytes(),
        "python_unchanged": python_before == sorted(p.read_bytes() for p in (ROOT / "publisher").rglob("*.py")),
    }


def _text(path: Path) -> str:
    return " ".join(w["text"] for _, _, words in bbox_pages(path) for w in words)


@pytest.mark.parametrize("code", ["ur", "tr"])
def test_init_lang_adds_the_locale_with_cldr_facts(fifth: dict, code: str) -> None:
    result = fifth["inits"][code]
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    cldr = Locale.parse(code)
    assert f"added {code} ({cldr.english_name})" in result.stdout, result.stdout
    assert ("right-to-left" if cldr.text_direction == "rtl" else "left-to-right") in result.stdout
    config = yaml.safe_load((fifth["project"] / "locales" / "locales.yaml").read_text(encoding="utf-8"))
    assert config["locales"][code] == {"name": cldr.english_name}
    assert list(config["locales"])[:4] == ["en", "ps", "fa_AF", "ar"], "the four languages kept, in order"
    assert fifth["layout_unchanged"] and fifth["python_unchanged"]


@pytest.mark.parametrize("code", ["ur", "tr"])
def test_init_lang_fills_the_po_header(fifth: dict, code: str) -> None:
    for domain in ("layout", "weekly-analysis-455"):
        text = (fifth["project"] / "locales" / code / "LC_MESSAGES" / f"{domain}.po").read_text(encoding="utf-8")
        header = text.split("\n\n", 1)[0]
        assert "FIRST AUTHOR" not in header and "EMAIL@ADDRESS" not in header and "ORGANIZATION" not in header, header
        assert f'"Language: {code}\\n"' in header
        assert f'"Language-Team: {Locale.parse(code).english_name} <' in header
        assert f'"Plural-Forms: {get_plural(code).plural_forms}\\n"' in header


def test_both_editions_build(fifth: dict) -> None:
    built = fifth["built"]
    assert built.returncode == 0 and "Traceback" not in built.stderr, built.stderr
    manifest = json.loads((fifth["out"] / "manifest.json").read_text(encoding="utf-8"))
    assert {e["locale"]: e["ok"] for e in manifest["editions"]} == {"ur": True, "tr": True}
    for path in fifth["pdf"].values():
        assert path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("code", ["ur", "tr"])
def test_document_language_and_direction(fifth: dict, code: str) -> None:
    path = fifth["pdf"][code]
    assert str(pypdf.PdfReader(path).trailer["/Root"]["/Lang"]) == code
    # The running head's series name sits at the start of the line: right in Urdu, left in Turkish.
    width, _, words = bbox_pages(path)[2]
    first = (URDU["Weekly Analysis"] if code == "ur" else "Weekly").split()[0]
    heads = [w for w in words if letters_key(w["text"]) == letters_key(first) and w["yMin"] < 80]
    assert heads, [w["text"] for w in words[:12]]
    assert (heads[0]["x"] > width / 2) == (Locale.parse(code).text_direction == "rtl"), heads[0]


def test_urdu_paragraph_reads_right_to_left_with_its_letters(fifth: dict) -> None:
    path = fifth["pdf"]["ur"]
    text = _text(path)
    for letter in URDU_LETTERS:
        assert letter in text, f"{letter} missing from the Urdu PDF text"
    for _, _, words in bbox_pages(path):
        start = [w for w in words if letters_key(w["text"]) == letters_key("پچھلے")]
        if start:
            line = [w for w in words if w["line"] == start[0]["line"]]
            later = [w for w in line if letters_key(w["text"]) == letters_key("کابل")]
            assert later and start[0]["xMin"] > later[0]["xMax"], "the paragraph's first word is not right of a later one"
            return
    raise AssertionError("the Urdu paragraph is not in the PDF")


@pytest.mark.parametrize("code", ["ur", "tr"])
def test_digits_are_the_locales_cldr_default(fifth: dict, code: str) -> None:
    system = Locale.parse(code).default_numbering_system
    text = _text(fifth["pdf"][code])
    assert to_native("455", system) in text
    if system == "latn":
        assert not any("\u0660" <= ch <= "\u0669" or "\u06f0" <= ch <= "\u06f9" for ch in text), "Arabic-Indic digits in a latn edition"


@pytest.mark.parametrize(("code", "script"), [("ur", "arabic"), ("tr", "latin")])
def test_fonts_are_the_scripts_faces_all_embedded(fifth: dict, code: str, script: str) -> None:
    fonts = pdffonts(fifth["pdf"][code])
    assert fonts and all(f["emb"] == "yes" for f in fonts), fonts
    families = {family_of(f["name"]) for f in fonts}
    expected = {f.replace(" ", "") for f in _layout_families(script)}
    assert {f.replace(" ", "") for f in families} <= expected, (families, expected)
    body = layout_settings()["fonts"][script]["body"]["family"].replace(" ", "")
    assert body in {f.replace(" ", "") for f in families}, f"{code}: body face {body} not used: {families}"


def test_turkish_text_upper_cased_with_turkish_rules(fifth: dict) -> None:
    text = _text(fifth["pdf"]["tr"])
    assert "AFGANİSTAN'DAKİ" in text and "HEDEFLERİ" in text, "Turkish heading not upper-cased with Turkish rules"


def test_english_fallback_not_upper_cased_with_turkish_rules(fifth: dict) -> None:
    text = _text(fifth["pdf"]["tr"])
    assert ENGLISH_HEADING.upper() in text and "İNTRODUCTİON" not in text, "English fallback upper-cased with Turkish rules"


def test_lang_accepts_what_people_type(project_copy: Path, tmp_path: Path) -> None:
    for typed, code in (("fa-AF", "fa_AF"), ("fa_af", "fa_AF"), ("FA_AF", "fa_AF"), ("prs", "fa_AF"), ("EN", "en"), (" Ar ", "ar")):
        result = run_cli("status", "--lang", typed, "--json", cwd=project_copy)
        assert result.returncode == 0, (typed, result.stderr)
        assert {row["locale"] for row in json.loads(result.stdout)} == {code}, typed


@pytest.mark.parametrize("typed", ["", ",", " ", " , "])
def test_lang_naming_nothing_is_a_usage_error(project_copy: Path, tmp_path: Path, typed: str) -> None:
    out = tmp_path / "out"
    line = assert_one_line_error(run_cli("build", "issues/455", "--lang", typed, "--out", str(out), cwd=project_copy), code=2, named=False)
    assert "--lang" in line, line
    assert not out.exists() or not any(out.iterdir())


def test_lang_all_with_an_unknown_name_names_it(project_copy: Path, tmp_path: Path) -> None:
    line = assert_one_line_error(run_cli("build", "issues/455", "--lang", "all,x", "--out", str(tmp_path / "out"), cwd=project_copy), code=2, named=False)
    assert "unknown locale 'x'" in line, line


def test_init_lang_of_no_cldr_locale_is_a_usage_error(project_copy: Path) -> None:
    before = (project_copy / "locales" / "locales.yaml").read_bytes()
    line = assert_one_line_error(run_cli("init-lang", "xx-nowhere", cwd=project_copy), code=2, named=False)
    assert "xx-nowhere" in line, line
    assert (project_copy / "locales" / "locales.yaml").read_bytes() == before


def test_init_lang_says_what_a_script_without_fonts_needs(project_copy: Path) -> None:
    result = run_cli("init-lang", "hi", cwd=project_copy)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "no fonts for script Deva yet" in result.stdout and "layouts/weekly-analysis/layout.yaml" in result.stdout, result.stdout
    assert (project_copy / "locales" / "hi" / "LC_MESSAGES" / "layout.po").exists()
