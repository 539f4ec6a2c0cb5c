"""Copyfitting (publisher/copyfit.py): a few lines past the booklet's multiple are taken back by setting the text tighter.

Small documents made for it show the rule alone (a page saved, a page too
full to lose left alone, the tighter setting only when it saves the page);
issue 455 shows it in the editions: its English and Pashto print files were
16 pages with 3 blank ones, and are 12 without.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
import weasyprint
from conftest import LOCALES, run_cli
from test_print_screen import page_texts, print_path

from publisher import copyfit, pdf

META = '<meta name="copyfit" content="multiple 4, last-page 50%, step 95% 60%, step 90% 40%">'
PAGE = (
    "@page { size: 120mm 100mm; margin: 10mm } body { margin: 0; font: 10pt serif; line-height: calc(1.5 * var(--fit-leading, 1)) }"
    " p { margin: 0 0 calc(4mm * var(--fit-gaps, 1)); orphans: 1; widows: 1 } .cover, .back { break-before: page; break-after: page }"
)


def document(paragraphs: int, meta: str = META) -> str:
    """A cover, ``paragraphs`` paragraphs of two lines each, and a back cover."""
    body = "".join(f"<p>Paragraph {n} of the text, which takes about two lines of this narrow page to say.</p>" for n in range(paragraphs))
    return f"<html><head>{meta}<style>{PAGE}</style></head><body><div class=cover>Cover</div>{body}<div class=back>Back</div></body></html>"


def parses(html: str) -> tuple[list[int], object]:
    """A parse function for pdf._laid_out that counts its calls."""
    calls: list[int] = []

    def parse() -> weasyprint.HTML:
        calls.append(1)
        return weasyprint.HTML(string=html)

    return calls, parse


def root_style(laid: object) -> str:
    """The style of the root element the document was set from."""
    return laid.pages[0]._page_box.children[0].element.get("style") or ""


def body_pages(paragraphs: int) -> int:
    return len(weasyprint.HTML(string=document(paragraphs, "")).render().pages)


def overflowing() -> int:
    """The number of paragraphs that fill two pages of text and put one paragraph on a third."""
    n = 1
    while body_pages(n) < 5:  # cover, 2 full pages, 1 more, back
        n += 1
    return n


def test_settings_are_read_from_the_meta_value() -> None:
    root = weasyprint.HTML(string=document(1)).etree_element
    fit = copyfit.settings(root)
    assert fit == copyfit.Copyfit(4, 0.5, ((0.95, 0.6), (0.9, 0.4)))
    assert not copyfit.settings(weasyprint.HTML(string=document(1, "")).etree_element)


def test_a_last_page_with_a_few_lines_is_taken_back_by_the_first_step_that_saves_it() -> None:
    n = overflowing()
    calls, parse = parses(document(n))
    laid = pdf._laid_out(parse)
    assert body_pages(n) == 5 and len(laid.pages) == 4, "the fourth page should have been saved (5 pages are padded to 8)"
    assert len(calls) == 2, "the first step saves the page: one more setting"
    assert root_style(laid) == copyfit.style(0.95, 0.6)
    texts = ["".join(box.text for box in page._page_box.descendants() if hasattr(box, "text")) for page in laid.pages]
    assert f"Paragraph {n - 1}" in texts[-2] and "Back" in texts[-1], "every paragraph kept, the back cover last"


def test_a_last_page_too_full_to_lose_is_left_as_set() -> None:
    n = overflowing()
    while body_pages(n + 1) == 5:
        n += 1  # the fourth page as full as it gets
    calls, parse = parses(document(n))
    laid = pdf._laid_out(parse)
    assert len(laid.pages) == 5 and len(calls) == 1, "no tighter setting tried for a full page"
    assert root_style(laid) == ""


def test_a_step_that_saves_nothing_is_not_kept() -> None:
    n = overflowing()
    while body_pages(n + 1) == 5:
        n += 1
    meta = '<meta name="copyfit" content="multiple 4, last-page 100%, step 99% 99%">'
    calls, parse = parses(document(n, meta))
    laid = pdf._laid_out(parse)
    assert len(calls) == 2 and len(laid.pages) == 5
    assert root_style(laid) == "", "the first setting is kept"


@pytest.mark.parametrize("locale", LOCALES)
def test_issue_455_prints_on_whole_sheets_without_blank_pages(built: Path, locale: str) -> None:
    texts = page_texts(print_path(built, locale))
    assert len(texts) == 12, f"{len(texts)} pages"
    assert all(text.strip() for text in texts), "a blank page in the print file"


@pytest.mark.parametrize("fill", ["blank", "notes"])
def test_without_copyfit_the_english_print_file_is_padded_with_the_layouts_fill(project_copy: Path, tmp_path: Path, fill: str) -> None:
    """Three pages make the count up, before the back cover: blank, or the layout's notes page (print.fill)."""
    layout = project_copy / "layouts" / "weekly-analysis" / "layout.yaml"
    text = layout.read_text(encoding="utf-8")
    without = re.sub(r"\ncopyfit:\n(?:  .*\n)+", "\n", text)
    assert without != text and "  fill: notes\n" in without
    layout.write_text(without.replace("  fill: notes\n", f"  fill: {fill}\n"), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "issues/455", "--lang", "en", "--out", str(out), cwd=project_copy)
    assert result.returncode == 0, result.stderr
    texts = page_texts(print_path(out, "en"))
    assert len(texts) == 16 and len(pypdf.PdfReader(str(print_path(out, "en"))).pages) == 16
    padded = [i + 1 for i, t in enumerate(texts) if not t.strip()] if fill == "blank" else [i + 1 for i, t in enumerate(texts) if t.split()[:1] == ["NOTES"]]
    assert padded == [13, 14, 15], [t[:40] for t in texts]
    screen = page_texts(out / "weekly-analysis-455-en.pdf")
    assert len(screen) == 13 and not [t for t in screen if "NOTES" in t]


def test_the_copyfit_settings_are_checked(project_copy: Path) -> None:
    layout = project_copy / "layouts" / "weekly-analysis" / "layout.yaml"
    layout.write_text(layout.read_text(encoding="utf-8").replace("{leading: 97%, gaps: 70%}", "{leading: 70%, gaps: 70%}"), encoding="utf-8")
    result = run_cli("build", "issues/455", "--lang", "en", "--out", str(project_copy / "out"), cwd=project_copy)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "layout.yaml" in result.stderr and "leading" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr

