"""The build command: reproducible output, the manifest, reuse, strictness, font coverage, print options."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from conftest import LOCALES, ROOT, pdf_path, run_cli
from pdftools import bbox_pages

A4 = (595.28, 841.89)
MM = 72 / 25.4
PO = "locales/{locale}/LC_MESSAGES/weekly-analysis-455.po"
CLEAN_ENV = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}


# --- helpers ---------------------------------------------------------------


def build(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """``publisher build issues/455 ARGS`` from ``cwd``; without SOURCE_DATE_EPOCH unless ``env`` sets it."""
    full_env = {**CLEAN_ENV, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "publisher", "build", "issues/455", *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=300)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(out: Path, variant: str = "screen") -> dict[str, dict]:
    """Manifest entries of one variant's files (screen: NAME.pdf, print: NAME-print.pdf) by locale."""
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {entry["locale"]: entry for entry in data["editions"] if entry["variant"] == variant}


def set_msgstr(project: Path, locale: str, msgid: str, make) -> int:
    """Replace the one-line translation of ``msgid`` in a copy's issue catalog by ``make(old)``; return the msgid's line."""
    path = project / PO.format(locale=locale)
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if line == f"msgid {json.dumps(msgid, ensure_ascii=False)}" and lines[i + 1].startswith("msgstr "):
            old = json.loads(lines[i + 1][len("msgstr ") :])
            assert old, f"{msgid!r} has no translation in {path} to change"
            lines[i + 1] = "msgstr " + json.dumps(make(old), ensure_ascii=False)
            path.write_text("\n".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError(f"no one-line msgid {msgid!r} in {path}")


def boxes(path: Path) -> list[dict[str, list[float]]]:
    out = []
    for page in pypdf.PdfReader(str(path)).pages:
        entry = {"media": [float(v) for v in page.mediabox]}
        for key in ("/TrimBox", "/BleedBox"):
            if key in page:
                entry[key[1:-3].lower()] = [float(v) for v in page[key]]
        out.append(entry)
    return out


def size(box: list[float]) -> tuple[float, float]:
    return abs(box[2] - box[0]), abs(box[3] - box[1])


def inside(inner: list[float], outer: list[float], tolerance: float = 0.01) -> bool:
    return inner[0] >= outer[0] - tolerance and inner[1] >= outer[1] - tolerance and inner[2] <= outer[2] + tolerance and inner[3] <= outer[3] + tolerance


# --- fixtures --------------------------------------------------------------


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One English build of its own (no SOURCE_DATE_EPOCH), into a fresh folder."""
    out = tmp_path_factory.mktemp("english")
    result = build("--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


# --- reproducibility -----------------------------------------------------------


def current(english: Path, other: Path) -> Path:
    """``english`` again, rebuilt if the product's files were edited since (their inputs hashes then differ)."""
    if manifest(other)["en"]["inputs"] != manifest(english)["en"]["inputs"]:
        result = build("--lang", "en", "--out", str(english), "--force")
        assert result.returncode == 0, result.stderr
        assert manifest(other)["en"]["inputs"] == manifest(english)["en"]["inputs"], "the inputs hash of unchanged inputs changed"
    return pdf_path(english, "en")


def test_same_inputs_same_bytes(english: Path, tmp_path: Path, built: Path) -> None:
    again = tmp_path / "again"
    result = build("--lang", "en", "--out", str(again), "--force")
    assert result.returncode == 0, result.stderr
    first = current(english, again).read_bytes()
    assert first == pdf_path(again, "en").read_bytes(), "two builds of the same English edition differ"
    if manifest(built)["en"]["inputs"] == manifest(again)["en"]["inputs"]:
        assert pdf_path(built, "en").read_bytes() == first, "the edition built with the others differs from the one built alone"


def test_source_date_epoch_does_not_change_the_output(english: Path, tmp_path: Path) -> None:
    out = tmp_path / "epoch"
    result = build("--lang", "en", "--out", str(out), "--force", env={"SOURCE_DATE_EPOCH": "1000000000"})
    assert result.returncode == 0, result.stderr
    assert pdf_path(out, "en").read_bytes() == current(english, out).read_bytes(), "SOURCE_DATE_EPOCH leaks into the PDF"


# --- manifest -------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["screen", "print"])
def test_manifest_describes_every_edition(built: Path, variant: str) -> None:
    entries = manifest(built, variant)
    assert set(entries) == set(LOCALES)
    for locale, entry in entries.items():
        path = built / entry["file"]
        assert path == (pdf_path(built, locale) if variant == "screen" else pdf_path(built, locale).with_name(pdf_path(built, locale).stem + "-print.pdf"))
        assert path.is_file()
        assert entry["bytes"] == path.stat().st_size
        assert entry["sha256"] == sha256(path)
        assert entry["pages"] == len(pypdf.PdfReader(str(path)).pages)
        assert re.fullmatch(r"[0-9a-f]{64}", entry["inputs"])
        assert entry["coverage"] == 100
        assert isinstance(entry["warnings"], list) and entry["warnings"] == []
        assert isinstance(entry["rebuilt"], bool)
        assert entry["ok"] is True
    assert len({e["inputs"] for e in entries.values()}) == len(LOCALES), "editions share an inputs hash"


# --- reuse ----------------------------------------------------------------------


def up_to_date(out: Path) -> None:
    """Bring ``out`` up to date first: other people may be editing the product while the tests run."""
    result = build("--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stderr


def test_second_build_reuses(english: Path) -> None:
    up_to_date(english)
    before = sha256(pdf_path(english, "en"))
    mtime = pdf_path(english, "en").stat().st_mtime_ns
    result = build("--lang", "en", "--out", str(english), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    [edition] = [e for e in report["editions"] if e["locale"] == "en" and e["variant"] == "screen"]
    assert edition["rebuilt"] is False
    assert edition["sha256"] == before
    assert pdf_path(english, "en").stat().st_mtime_ns == mtime, "the reused PDF was rewritten"
    assert manifest(english)["en"]["rebuilt"] is False
    assert manifest(english)["en"]["sha256"] == before


def test_noop_build_does_not_import_weasyprint(english: Path) -> None:
    up_to_date(english)
    env = {**CLEAN_ENV, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-X", "importtime", "-m", "publisher", "build", "issues/455", "--lang", "en", "--out", str(english)]
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    imports = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
    assert imports, "no -X importtime output"
    assert not [line for line in imports if "weasyprint" in line], "a no-op build imported WeasyPrint"
    assert manifest(english)["en"]["rebuilt"] is False


def test_changed_catalog_rebuilds_only_its_edition(project_copy: Path) -> None:
    out = project_copy / "dist"
    first = build("--lang", "en,ps", "--out", str(out), cwd=project_copy)
    assert first.returncode == 0, first.stderr
    before = {locale: sha256(pdf_path(out, locale)) for locale in ("en", "ps")}
    set_msgstr(project_copy, "ps", "Introduction", lambda old: old + " او پیلامه")
    second = build("--lang", "en,ps", "--out", str(out), "--json", cwd=project_copy)
    assert second.returncode == 0, second.stderr
    report = {e["locale"]: e for e in json.loads(second.stdout)["editions"] if e["variant"] == "screen"}
    assert report["en"]["rebuilt"] is False
    assert report["ps"]["rebuilt"] is True
    assert sha256(pdf_path(out, "en")) == before["en"]
    assert sha256(pdf_path(out, "ps")) != before["ps"]
    assert manifest(out)["ps"]["sha256"] == sha256(pdf_path(out, "ps"))
    forced = build("--lang", "en,ps", "--out", str(out), "--json", "--force", cwd=project_copy)
    assert forced.returncode == 0, forced.stderr
    assert all(e["rebuilt"] is True for e in json.loads(forced.stdout)["editions"])
    assert sha256(pdf_path(out, "en")) == before["en"], "a forced rebuild of unchanged inputs gave other bytes"


# --- strictness -------------------------------------------------------------------


def test_untranslated_message_lowers_coverage(project_copy: Path) -> None:
    set_msgstr(project_copy, "ps", "Introduction", lambda old: "")
    source_line = (project_copy / "issues" / "455" / "issue.md").read_text(encoding="utf-8").split("\n").index("## Introduction") + 1
    out = project_copy / "dist"
    result = build("--lang", "ps", "--out", str(out), cwd=project_copy)
    assert result.returncode == 0, result.stderr
    entry = manifest(out)["ps"]
    assert entry["coverage"] < 100
    assert entry["translated"] == entry["total"] - 1
    assert any(f"issue.md:{source_line}" in w and "Introduction" in w for w in entry["warnings"]), entry["warnings"]


def test_strict_fails_the_untranslated_edition_only(project_copy: Path) -> None:
    set_msgstr(project_copy, "ps", "Introduction", lambda old: "")
    out = project_copy / "dist"
    result = build("--strict", "--lang", "en,ps", "--out", str(out), cwd=project_copy)
    assert result.returncode == 1, result.stderr
    assert not pdf_path(out, "ps").exists(), "--strict wrote the incomplete Pashto edition"
    assert pdf_path(out, "en").is_file(), "the English edition was not built"
    entries = manifest(out)
    assert entries["ps"]["ok"] is False and entries["ps"]["error"]
    assert entries["en"]["ok"] is True
    assert "strict" in result.stderr


def test_strict_fail_fast_stops_the_build(project_copy: Path) -> None:
    set_msgstr(project_copy, "ps", "Introduction", lambda old: "")
    out = project_copy / "dist"
    result = build("--strict", "--fail-fast", "--jobs", "1", "--lang", "ps,ar", "--out", str(out), cwd=project_copy)
    assert result.returncode == 1, result.stderr
    assert not pdf_path(out, "ps").exists()
    assert not pdf_path(out, "ar").exists(), "--fail-fast went on to build the next edition"


def test_fail_fast_in_parallel_leaves_no_unrecorded_pdf(project_copy: Path) -> None:
    """Whatever --fail-fast stops or lets finish, every PDF in the folder is one the manifest describes."""
    set_msgstr(project_copy, "ps", "Introduction", lambda old: "")
    out = project_copy / "dist"
    result = build("--strict", "--fail-fast", "--jobs", "2", "--lang", "ps,ar", "--out", str(out), cwd=project_copy)
    assert result.returncode == 1, result.stderr
    assert not pdf_path(out, "ps").exists()
    entries = {e["file"]: e for variant in ("screen", "print") for e in manifest(out, variant).values()}
    for pdf in out.glob("*.pdf"):
        assert pdf.name in entries, f"{pdf.name} was written but the manifest does not list it"
        assert entries[pdf.name]["sha256"] == sha256(pdf)


# --- font coverage -----------------------------------------------------------------


def test_character_in_no_font_is_an_error_naming_the_catalog_line(project_copy: Path) -> None:
    line = set_msgstr(project_copy, "ps", "Introduction", lambda old: old + "\u4e2d")
    out = project_copy / "dist"
    result = build("--lang", "ps", "--out", str(out), cwd=project_copy)
    assert result.returncode == 1, result.stderr
    assert "U+4E2D" in result.stderr
    assert re.search(r"\bps\b", result.stderr)
    where = re.search(re.escape(PO.format(locale="ps")) + r":(\d+)", result.stderr)
    assert where, f"the catalog file and line are not named: {result.stderr}"
    assert int(where.group(1)) in (line, line + 1), f"line {where.group(1)} named, the message is at {line}"
    assert not list(out.glob("*.pdf")), "a PDF was written despite the missing glyph"


# --- PDF options ---------------------------------------------------------------------


def test_pdf_ua_is_tagged_and_keeps_the_language(tmp_path: Path) -> None:
    out = tmp_path / "ua"
    result = build("--lang", "en", "--out", str(out), "--pdf-variant", "pdf/ua-1")
    assert result.returncode == 0, result.stderr
    root = pypdf.PdfReader(str(pdf_path(out, "en"))).trailer["/Root"]
    assert "/StructTreeRoot" in root, "pdf/ua-1 output is not tagged"
    assert bool(root.get("/MarkInfo", {}).get("/Marked")), "not marked as tagged"
    assert root.get("/Lang") == "en-US"  # locales.yaml: the text is US English


def test_default_pages_are_exactly_a4(built: Path) -> None:
    for locale in LOCALES:
        for index, page in enumerate(boxes(pdf_path(built, locale))):
            width, height = size(page["media"])
            assert abs(width - A4[0]) <= 0.5 and abs(height - A4[1]) <= 0.5, f"{locale} page {index + 1} is {width:.2f} × {height:.2f} pt"
            if "trim" in page:
                assert size(page["trim"]) == pytest.approx(size(page["media"]), abs=0.5)


def test_bleed_and_crop_marks_enlarge_the_sheet(tmp_path: Path) -> None:
    out = tmp_path / "print"
    result = build("--lang", "en", "--out", str(out), "--bleed", "3mm", "--marks", "crop", "--target", "print")
    assert result.returncode == 0, result.stderr
    bleed = 3 * MM
    for index, page in enumerate(boxes(out / "weekly-analysis-455-en-print.pdf")):
        assert "trim" in page and "bleed" in page, f"page {index + 1} has no TrimBox or BleedBox"
        assert size(page["trim"]) == pytest.approx(A4, abs=0.5), f"page {index + 1}: the trimmed page is not A4"
        assert size(page["bleed"]) == pytest.approx((A4[0] + 2 * bleed, A4[1] + 2 * bleed), abs=0.5)
        assert inside(page["trim"], page["bleed"]) and inside(page["bleed"], page["media"])
        width, height = size(page["media"])
        assert width >= A4[0] + 2 * bleed - 0.5 and height >= A4[1] + 2 * bleed - 0.5, "the sheet has no room for the bleed"


def test_bad_bleed_is_a_usage_error(tmp_path: Path) -> None:
    result = build("--lang", "en", "--out", str(tmp_path / "x"), "--bleed", "three")
    assert result.returncode == 2
    assert "--bleed" in result.stderr
    assert not (tmp_path / "x").exists() or not list((tmp_path / "x").glob("*.pdf"))


def test_html_preview(tmp_path: Path) -> None:
    out = tmp_path / "preview"
    result = build("--lang", "en", "--out", str(out), "--format", "html")
    assert result.returncode == 0, result.stderr
    page = out / "weekly-analysis-455-en.html"
    assert page.is_file(), f"no HTML preview in {sorted(p.name for p in out.iterdir())}"
    assert not list(out.glob("*.pdf"))
    html = page.read_text(encoding="utf-8")
    assert re.search(r"<html[^>]*\blang=\"en-US\"", html)
    assert "file://" not in html, "the preview refers to files by absolute file:// URLs"
    for url in re.findall(r"url\([\"']?([^\"')]+)[\"']?\)", html):
        if not url.startswith(("data:", "http")):
            assert (out / url).is_file(), f"the preview refers to {url}, which is not beside it"
    assert manifest(out)["en"]["file"] == page.name


def test_long_url_is_not_hyphenated_in_english(project_copy: Path) -> None:
    """A URL too long for one line breaks without gaining a hyphen a reader would type."""
    issue = project_copy / "issues" / "455" / "issue.md"
    text = issue.read_text(encoding="utf-8")
    match = re.search(r"\[([^\]]+)\]\((https?://[^)]+)\)", text)
    assert match, "no link in the issue"
    long_path = "international-relationships-neighbourhood-transportation-cooperation-understanding"
    shown = match.group(1) + "-" + long_path
    issue.write_text(text.replace(match.group(0), f"[{shown}]({match.group(2)}-{long_path})", 1), encoding="utf-8")
    out = project_copy / "dist"
    result = build("--lang", "en", "--out", str(out), cwd=project_copy)
    assert result.returncode == 0, result.stderr
    printed = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_path(out, "en")), "-"], capture_output=True, text=True, check=True).stdout
    squeezed = re.sub(r"\s+", "", printed)
    breaks = [b for b in re.findall("\\S*\u2010\\s*\\S*", printed) if "link/" in b or any(word in b for word in long_path.split("-"))]
    assert not breaks, f"hyphens (U+2010) inserted into the URL: {breaks[:6]}"
    # pdftotext drops a hyphen that ends a line, so compare without the URL's own hyphens.
    assert shown.replace("-", "") in squeezed.replace("-", ""), f"the URL {shown!r} is not printed intact"
    # Its words as printed, line by line, joined: the URL's own hyphens, and no other (the face's hyphen is a hyphen-minus too).
    words = "".join(w["text"] for _, _, page in bbox_pages(pdf_path(out, "en")) for w in page)
    assert shown in words, f"the URL {shown!r} gained or lost a hyphen where it broke"


def test_unknown_locale_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("build", "issues/455", "--lang", "xx", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "xx" in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


def test_pdf_variants_are_what_weasyprint_offers() -> None:
    """--pdf-variant is checked without loading WeasyPrint; the list must not drift from it."""
    from weasyprint.pdf import VARIANTS as offered

    from publisher.pdf import VARIANTS

    assert set(VARIANTS) - {"none"} == set(offered) - {"debug"}


def test_recycled_workers_build_the_same_bytes(built: Path, tmp_path: Path) -> None:
    """A large build (workers from a fork server, replaced after N editions) gives the same PDFs."""
    out = tmp_path / "recycled"
    result = run_cli("build", "issues/455", "--lang", "all", "--out", str(out), "--jobs", "2", env={"PUBLISHER_WORKER_EDITIONS": "1"}, timeout=180)
    assert result.returncode == 0, result.stderr
    for locale in ("en", "ps", "fa_AF", "ar"):
        assert pdf_path(out, locale).read_bytes() == pdf_path(built, locale).read_bytes(), locale
