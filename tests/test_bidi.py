"""Mixed-direction text: Latin runs isolated whole, English fallback as one left-to-right unit in its language.

The runs are found by the Unicode Bidirectional Algorithm's classes; a table
of tricky strings is checked both against the splitter and in the text of a
Pashto PDF that quotes them all. Untranslated messages are shown as English
blocks (lang="en" dir="ltr"), read in order, set from the left edge, and take
English rules for capitals in a Turkish edition.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from conftest import pdftotext, run_cli
from pdftools import bbox_pages
from test_security import build, po, set_translation

from publisher.locale_rules.bidi import split_latin

MM = 72 / 25.4
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))

# (Pashto text quoting Latin, the Latin runs it must keep whole, in order)
TRICKY = [
    ("د «Central Asia: Water, Trade and Security» په نوم راپور", ["Central Asia: Water, Trade and Security"]),
    ("د Shanghai Cooperation Organization (SCO) غونډه", ["Shanghai Cooperation Organization (SCO)"]),
    ("د ناټو (NATO) غړي", ["NATO"]),
    ("تر 20% زیات او 20 km³ اوبه", ["km³"]),
    ("وګورئ https://example.org/2024/report-3 دلته", ["https://example.org/2024/report-3"]),
    ("د «CSRS» راپور او U.S. ملاتړ", ["CSRS", "U.S."]),
    ("په 2024 کې د G20 Summit غونډه", ["G20 Summit"]),
    ("ولسمشر Putin (President) وویل", ["Putin (President)"]),
    ("د 3D چاپ او Belt-and-Road Initiative، او", ["3D", "Belt-and-Road Initiative"]),
    ("Wakhan Corridor: 350 km، د", ["Wakhan Corridor: 350 km"]),
]


def clean(text: str) -> str:
    """Text to compare: bidi marks out, spaces folded, typographic quotes as the source's straight ones."""
    text = text.translate(BIDI_CONTROLS).translate(str.maketrans("‘’“”", "''\"\""))
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


@pytest.mark.parametrize(("text", "runs"), TRICKY)
def test_latin_runs_are_maximal(text: str, runs: list[str]) -> None:
    parts = split_latin(text, "en")
    assert "".join(p.text for p in parts) == text
    assert [p.text for p in parts if p.script == "latin"] == runs
    assert all(p.lang == "en" for p in parts if p.script == "latin")


@pytest.fixture(scope="module")
def tricky_pdf(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Path:
    """The Pashto edition with one paragraph quoting every tricky string."""
    project = tmp_path_factory.mktemp("bidi") / "project"
    for name in ("issues", "locales", "layouts"):
        shutil.copytree(root / name, project / name, ignore=shutil.ignore_patterns("*.mo"))
    set_translation(po(project, "ps"), None, " ؛ ".join(text for text, _ in TRICKY), startswith="This analysis seeks")
    out = project / "dist"
    result = build(project, out, lang="ps")
    assert result.returncode == 0, result.stderr
    return out / "weekly-analysis-455-ps.pdf"


def core(word: str) -> str:
    return "".join(ch for ch in word if ch.isalnum())


def visual_lines(pdf: Path) -> list[list[str]]:
    """Every printed line's words, left to right (cores: letters and digits only).

    Words are gathered by height, not by poppler's lines, which cut a justified
    line at its widest gaps.
    """
    lines = []
    for _, _, words in bbox_pages(pdf):
        rows: list[list[dict]] = []
        for word in sorted(words, key=lambda w: w["yMin"] + w["yMax"]):
            middle = (word["yMin"] + word["yMax"]) / 2
            if rows and abs(middle - (rows[-1][0]["yMin"] + rows[-1][0]["yMax"]) / 2) < 6:
                rows[-1].append(word)
            else:
                rows.append([word])
        lines += [[core(w["text"]) for w in sorted(row, key=lambda w: w["xMin"]) if core(w["text"])] for row in rows]
    return lines


def printed_in_order(lines: list[list[str]], tokens: list[str]) -> bool:
    """``tokens`` printed left to right one after the other.

    A run broken at a line end of right-to-left text has its first words at the
    left end of one line and the rest at the right end (the start) of the next.
    """
    size = len(tokens)
    for n, line in enumerate(lines):
        if any(line[i : i + size] == tokens for i in range(len(line))):
            return True
        following = lines[n + 1] if n + 1 < len(lines) else []
        if any(line[:k] == tokens[:k] and following[len(following) - (size - k) :] == tokens[k:] for k in range(1, size)):
            return True
    return False


@pytest.mark.parametrize(("text", "runs"), TRICKY)
def test_latin_runs_printed_whole_and_in_order(tricky_pdf: Path, text: str, runs: list[str]) -> None:
    """Each Latin run is printed left to right in its own order: never halves swapped around a comma or colon."""
    lines = visual_lines(tricky_pdf)
    for run in runs:
        tokens = [core(t) for t in run.split() if core(t)]
        assert printed_in_order(lines, tokens), f"{run!r} is not printed whole and in order"


def test_latin_runs_follow_the_sentence_order(tricky_pdf: Path) -> None:
    """The text layer keeps every run's letters, in the order the sentence gives them."""
    shown = core(pdftotext(tricky_pdf))
    position = 0
    for _, runs in TRICKY:
        for run in runs:
            found = shown.find(core(run.split()[0]), position)
            assert found >= 0, f"{run!r} missing or out of order"
            position = found


# --- English fallback -------------------------------------------------------

PARAGRAPH = "Both delegations held multiple meetings"
HEADING = "Political Objectives"


@pytest.fixture(scope="module")
def fallback(tmp_path_factory: pytest.TempPathFactory, root: Path) -> tuple[Path, str, Path]:
    """A Pashto edition with one paragraph and one heading untranslated: its PDF, its HTML, the English paragraph."""
    project = tmp_path_factory.mktemp("fallback") / "project"
    for name in ("issues", "locales", "layouts"):
        shutil.copytree(root / name, project / name, ignore=shutil.ignore_patterns("*.mo"))
    english = set_translation(po(project, "ps"), None, "", startswith=PARAGRAPH)
    set_translation(po(project, "ps"), HEADING, "")
    out = project / "dist"
    assert build(project, out, lang="ps").returncode == 0
    result = build(project, out, "--format", "html", lang="ps")
    assert result.returncode == 0, result.stderr
    html = (out / "weekly-analysis-455-ps.html").read_text(encoding="utf-8")
    return out / "weekly-analysis-455-ps.pdf", html, english


def test_fallback_paragraph_reads_in_order(fallback) -> None:
    pdf, _, english = fallback
    assert clean(english) in clean(pdftotext(pdf)), "the English paragraph is scrambled"


def test_fallback_is_one_left_to_right_block_in_english(fallback) -> None:
    _, html, english = fallback
    block = re.search(r"<p([^>]*)>([^<]*" + re.escape(PARAGRAPH) + r".*?)</p>", html)
    assert block is not None
    assert 'lang="en"' in block.group(1) and 'dir="ltr"' in block.group(1)
    assert "<bdi" not in block.group(2), "fallback text cut into islands"
    assert re.search(r'<h3 [^>]*lang="en" dir="ltr"[^>]*>' + HEADING.replace(" ", r"\s"), html), "the English heading is not marked"


def test_fallback_lines_start_at_the_left_edge(fallback) -> None:
    """Set left to right: the English paragraph's and heading's lines start at the text block's left edge."""
    pdf, _, _ = fallback
    left = 20 * MM
    starts = {}
    for _, _, words in bbox_pages(pdf):
        lines: dict[int, list[dict]] = {}
        for word in words:
            lines.setdefault(word["line"], []).append(word)
        for line in lines.values():
            text = " ".join(w["text"] for w in sorted(line, key=lambda w: w["xMin"]))
            for wanted in (PARAGRAPH, HEADING):
                if text.startswith(wanted):
                    starts[wanted] = min(w["xMin"] for w in line)
    assert set(starts) == {PARAGRAPH, HEADING}
    for wanted, x in starts.items():
        assert abs(x - left) <= 1, f"{wanted!r} starts at x={x:.1f}, not at the left edge {left:.1f}"


def test_latin_islands_carry_the_source_language(fallback) -> None:
    _, html, _ = fallback
    body = html[html.index("<main") : html.index("</main>")]
    islands = re.findall(r'<(?:bdi class="latn" dir="ltr"|a href="[^"]*" dir="ltr" class="url")((?: lang="[^"]*")?)>', body)
    assert islands and all('lang="en"' in attrs for attrs in islands)


def test_english_fallback_capitals_follow_english_rules(tmp_path: Path, project_copy: Path) -> None:
    """A Turkish edition (all fallback) prints THE OBJECTIVES OF CHINA, not THE OBJECTİVES OF CHİNA."""
    config = project_copy / "locales" / "locales.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "  tr:\n    name: Turkish\n", encoding="utf-8")
    result = run_cli("init-lang", "tr", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    result = build(project_copy, tmp_path, lang="tr")
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", str(tmp_path / "weekly-analysis-455-tr.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "THE OBJECTIVES OF CHINA" in text and "WEEKLY ANALYSIS" in text
    assert "İ" not in text, "English text capitalised with Turkish rules"


def test_untranslated_plural_and_calendar_strings_are_marked_english(tmp_path: Path, project_copy: Path) -> None:
    """A layout catalog missing the plural 'Reading time' and the Solar Hijri pattern: both shown as English, marked so."""
    layout_po = project_copy / "locales" / "ps" / "LC_MESSAGES" / "layout.po"
    with layout_po.open("rb") as handle:
        catalog = read_po(handle)
    gone = [m.id for m in catalog if m.id and (m.id[0] if isinstance(m.id, tuple) else m.id).startswith(("Reading time", "%(start_day)s"))]
    assert len(gone) >= 2, gone
    for msgid in gone:
        catalog.delete(msgid)
    with layout_po.open("wb") as handle:
        write_po(handle, catalog)
    result = build(project_copy, tmp_path, "--format", "html", lang="ps")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "weekly-analysis-455-ps.html").read_text(encoding="utf-8")
    reading = re.search(r'<p class="reading-time"([^>]*)>([^<]*)<', html)
    assert reading and 'lang="en"' in reading.group(1) and 'dir="ltr"' in reading.group(1), reading and reading.group(0)
    assert "Reading time" in reading.group(2)
    hijri = re.search(r'<p class="cover-period cover-hijri"([^>]*)>', html)
    assert hijri and 'lang="en"' in hijri.group(1), hijri and hijri.group(0)
    translated = (project_copy / "locales" / "fa_AF" / "LC_MESSAGES" / "layout.po")
    assert translated.exists()
    result = build(project_copy, tmp_path, "--format", "html", lang="fa_AF")
    html = (tmp_path / "weekly-analysis-455-fa_AF.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="reading-time">', html) and re.search(r'<p class="cover-period cover-hijri">', html), "a translated edition marks nothing"
