"""The review proof: every message beside its translation, with status, findings, catalog line and edition page."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from conftest import pdftotext, run_cli

from publisher.catalogs import pofile
from publisher.proof import word_diff

ISSUE_PO = "locales/ps/LC_MESSAGES/weekly-analysis-455.po"
BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
PAGE_CELL = re.compile(r'<td class="page">([^<]*)</td>')


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text.translate(BIDI)).split())


@pytest.fixture(scope="module")
def proof(tmp_path_factory) -> dict:
    """A proof of the Pashto edition of 455 with one fuzzy message (its source edited) and one untranslated."""
    import shutil

    from conftest import ROOT

    project = tmp_path_factory.mktemp("proof") / "project"
    for name in ("issues", "locales", "layouts"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("*.mo"))
    catalog = pofile.load(project / ISSUE_PO, ISSUE_PO, locale="ps", domain="weekly-analysis-455")
    long = [m for m in catalog if m.id and len(m.id) > 150 and not m.context]
    fuzzy, empty = long[1], long[2]
    fuzzy.flags.add("fuzzy")
    fuzzy.previous_id = [fuzzy.id.replace(" ", " formerly ", 1)]
    fuzzy.previous_context = None
    empty.string = ""
    pofile.save(catalog, project / ISSUE_PO)
    catalog = pofile.load(project / ISSUE_PO, ISSUE_PO, locale="ps", domain="weekly-analysis-455")  # lines as saved
    fuzzy, empty = catalog.get(fuzzy.id), catalog.get(empty.id)
    out = project / "proof"
    result = run_cli("proof", "issues/455", "--lang", "ps", "--out", str(out), cwd=project)
    assert result.returncode == 0, result.stderr
    html = (out / "weekly-analysis-455-ps-proof.html").read_text(encoding="utf-8")
    pdf = out / "weekly-analysis-455-ps-proof.pdf"
    return {"catalog": catalog, "fuzzy": fuzzy, "empty": empty, "html": html, "pdf": pdf, "text": _clean(pdftotext(pdf)), "stderr": result.stderr}


def test_proof_pdf_has_english_and_pashto_side_by_side(proof):
    text = proof["text"]
    introduction = proof["catalog"].get("Introduction")
    assert "Introduction" in text and _clean(introduction.string) in text
    assert "Review proof" in text and "Pashto" in text
    # every cell in its own language and direction
    assert '<td class="source" lang="en" dir="ltr">' in proof["html"]
    assert '<td class="target" lang="ps" dir="rtl">' in proof["html"]
    assert "1 fuzzy" in proof["stderr"] and "1 untranslated" in proof["stderr"]


def _row(html: str, line: int) -> str:
    """The table row of the message at ``line`` of the issue catalog."""
    return next(row for row in html.split("<tr")[1:] if f"po:{line}</span>" in row)


def test_fuzzy_message_shows_its_status_and_the_source_diff(proof):
    text, fuzzy = proof["text"], proof["fuzzy"]
    row = _row(proof["html"], pofile.line_of(fuzzy))
    assert row.startswith(' class="fuzzy"')
    assert '<span class="badge">fuzzy</span>' in row and "<del>formerly</del>" in row
    assert "fuzzy" in text and "source was changed" in text
    assert '<span class="badge">untranslated</span>' in _row(proof["html"], pofile.line_of(proof["empty"]))


def test_rows_name_their_catalog_line(proof):
    fuzzy = proof["fuzzy"]
    assert f"{ISSUE_PO}:{pofile.line_of(fuzzy)}" in proof["html"]
    lines = (Path(proof["pdf"]).parent.parent / ISSUE_PO).read_text(encoding="utf-8").splitlines()
    assert lines[pofile.line_of(fuzzy) - 1].startswith("msgid")


def test_page_numbers_are_plausible(proof):
    pages = int(re.search(r"has (\d+) pages", proof["html"]).group(1))
    assert 8 <= pages <= 30
    issue_part = proof["html"].split("layout.po</span></h2>")[0]
    cells = PAGE_CELL.findall(issue_part)
    assert cells and cells[0] == "1, 3"  # the title: on the cover and over the article
    firsts = [int(c.split(",")[0]) for c in cells if c != "—"]
    assert len(firsts) >= 0.9 * len(cells)
    assert all(1 <= p <= pages for p in firsts)
    body = firsts[1:]
    assert body == sorted(body), "messages follow the source: their first pages never go back"
    assert body[-1] >= pages - 3


def test_findings_come_from_the_checks(tmp_path, project_copy):
    catalog = pofile.load(project_copy / ISSUE_PO, ISSUE_PO, locale="ps", domain="weekly-analysis-455")
    message = next(m for m in catalog if m.id and "**" in m.id)
    message.string = message.string.replace("**", "")
    pofile.save(catalog, project_copy / ISSUE_PO)
    result = run_cli("proof", "issues/455", "--lang", "ps", "--out", str(tmp_path), "--format", "html", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "weekly-analysis-455-ps-proof.html").read_text(encoding="utf-8")
    assert '<p class="error"><b>markup</b>' in _row(html, pofile.line_of(message))
    assert not (tmp_path / "weekly-analysis-455-ps-proof.pdf").exists()


def test_source_language_has_no_proof(project_copy, tmp_path):
    result = run_cli("proof", "issues/455", "--lang", "en", "--out", str(tmp_path), cwd=project_copy)
    assert result.returncode == 2 and "source language" in result.stderr and "Traceback" not in result.stderr


def test_word_diff_marks_removed_and_added_words():
    assert str(word_diff("a <b> c", "a d c")) == "a <del>&lt;b&gt;</del> <ins>d</ins> c"
    long = " ".join(f"w{n}" for n in range(20))
    assert str(word_diff(long, long.replace("w10", "x"))) == "… w7 w8 w9 <del>w10</del> <ins>x</ins> w11 w12 w13 …"


def test_layout_strings_are_found_on_their_pages(proof):
    """Layout strings carry no unit id: they are found by their text (placeholders one word each) in the laid-out pages."""
    html = proof["html"]
    pages = int(re.search(r"has (\d+) pages", html).group(1))
    layout_part = html.split("layout.po</span></h2>")[1]

    def page_of(source: str) -> str:
        row = next(r for r in layout_part.split("<tr")[2:] if f'dir="ltr"><p>{source}</p>' in r)
        return PAGE_CELL.search(row).group(1)

    assert page_of("Contact Us") == str(pages)  # the back page
    assert page_of("In this issue") == "2"  # the contents page
    assert page_of("Issue %(number)s") == ", ".join(str(n) for n in range(2, pages))  # the running head
    # of three date formats, only the one the issue's period uses is on the cover
    dates = [page_of(s) for s in ("%(start_day)s–%(end_day)s %(month)s %(year)s", "%(start_day)s %(start_month)s – %(end_day)s %(end_month)s %(year)s")]
    assert dates == ["1", "—"]
