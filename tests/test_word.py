"""Word as the front door: ``publisher import`` and ``publisher import-translation``.

Test documents are written with python-docx, as Word would save them (styles,
numbering, comments, tracked changes, hyperlinks); the results are read back
through the issue parser, the catalogs and a real PDF build.
"""

from __future__ import annotations

import difflib
import re
import subprocess
from pathlib import Path

import docx
import pytest
from babel.messages.pofile import read_po
from conftest import pdftotext, run_cli
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor

from publisher.model import Heading, ListBlock, Paragraph, Quote, Section
from publisher.source import read_issue

# --- writing Word documents ------------------------------------------------------------------------

MARKUP = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|\[(.+?)\]\((.+?)\)")


def add_runs(paragraph, markdown: str) -> None:
    """Markdown inline (bold, italic, links) as Word runs."""
    pos = 0
    for match in MARKUP.finditer(markdown):
        if match.start() > pos:
            paragraph.add_run(markdown[pos : match.start()])
        bold, italic, label, href = match.groups()
        if bold is not None:
            paragraph.add_run(bold).bold = True
        elif italic is not None:
            paragraph.add_run(italic).italic = True
        else:
            add_hyperlink(paragraph, label, href)
        pos = match.end()
    if pos < len(markdown):
        paragraph.add_run(markdown[pos:])


def add_hyperlink(paragraph, text: str, url: str) -> None:
    rel = paragraph.part.relate_to(url, docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    _wrapped_run(paragraph, "w:hyperlink", text, {"r:id": rel})


def add_tracked_insertion(paragraph, text: str) -> None:
    _wrapped_run(paragraph, "w:ins", text, {"w:id": "1", "w:author": "Analyst"})


def _wrapped_run(paragraph, tag: str, text: str, attrs: dict[str, str]) -> None:
    """A run of ``text`` inside a ``tag`` element (a hyperlink, a tracked insertion) at the paragraph's end."""
    wrapper = OxmlElement(tag)
    for name, value in attrs.items():
        wrapper.set(qn(name), value)
    run = OxmlElement("w:r")
    text_el = OxmlElement("w:t")
    text_el.text = text
    run.append(text_el)
    wrapper.append(run)
    paragraph._p.append(wrapper)


def draft_document(path: Path, *, cover_line: bool = True) -> Path:
    """An analyst's draft with every construct of the issue format and a few Word-only things."""
    doc = docx.Document()
    doc.core_properties.keywords = "China; Central Asia; water"
    doc.add_paragraph("Afghanistan and Central Asia: Water, Trade and Security", style="Title")
    if cover_line:
        doc.add_paragraph("Issue Number – 456 (December 09-13, 2024)")
    doc.add_heading("Introduction", level=1)
    add_runs(doc.add_paragraph(), "Kabul hosted *two* delegations; the price rose by 5 * 3 units [see CSRS](https://csrskabul.com/en/).")
    doc.add_paragraph("1. This line starts with a number but is a paragraph.")
    doc.add_heading("The Objectives", level=1)
    doc.add_heading("Political Objectives", level=2)
    add_runs(doc.add_paragraph(style="List Bullet"), "**Support for a regime:** Both aim to back a political system.")
    doc.add_paragraph("A nested point under the first.", style="List Bullet 2")
    add_runs(doc.add_paragraph(style="List Bullet"), "**Relations free from influence:** Another objective.")
    doc.add_heading("1. Ensuring Afghanistan Does Not Serve as a Threat", level=3)
    doc.add_paragraph("We cannot overlook the fact that Afghanistan is moving toward stability.", style="Quote")
    fancy = doc.add_paragraph("A paragraph in a house style Word knows but the issue format does not.")
    fancy.style = doc.styles.add_style("Sidebar Note", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    commented = doc.add_paragraph("A paragraph the editor commented on.")
    doc.add_comment(commented.runs, text="Check this figure", author="Editor")
    tracked = doc.add_paragraph("A paragraph with a tracked change: ")
    add_tracked_insertion(tracked, "inserted words.")
    doc.add_heading("Recommendations", level=1)
    doc.add_paragraph("The Islamic Emirate should leverage the attention of both powers.", style="List Number")
    doc.add_paragraph("It should use the economic capacities of both countries.", style="List Number")
    for run in doc.paragraphs[0].runs:
        run.font.color.rgb = RGBColor(0x12, 0x34, 0x56)  # direct formatting is not structure: ignored quietly
    doc.save(str(path))
    return path


# --- publisher import ---------------------------------------------------------------------------


@pytest.fixture()
def imported(project_copy: Path, tmp_path: Path) -> tuple[Path, subprocess.CompletedProcess]:
    draft = draft_document(tmp_path / "draft.docx")
    result = run_cli("import", str(draft), "--into", "issues/456", cwd=project_copy)
    return project_copy / "issues" / "456", result


def test_import_writes_an_issue_in_the_documented_format(imported) -> None:
    folder, result = imported
    assert result.returncode == 0, result.stderr
    text = (folder / "issue.md").read_text(encoding="utf-8")
    assert text.startswith("---\nseries: weekly-analysis\nnumber: 456\nperiod:\n  start: 2024-12-09\n  end: 2024-12-13\n")
    assert 'title: "Afghanistan and Central Asia: Water, Trade and Security"' in text
    assert 'keywords: ["China", "Central Asia", "water"]' in text
    assert "Issue Number" not in text.split("---", 2)[2], "the cover line becomes front matter, not body text"
    issue = read_issue(folder)
    sections = issue.sections
    assert [s.heading.unit.source for s in sections] == ["Introduction", "The Objectives", "Recommendations"]
    intro = sections[0].blocks
    assert intro[0].unit.source == r"Kabul hosted *two* delegations; the price rose by 5 \* 3 units [see CSRS](https://csrskabul.com/en/)."
    assert intro[1].unit.source.startswith("1\\. This line"), "a paragraph starting with '1. ' stays a paragraph"
    political = sections[1].blocks[0]
    assert isinstance(political, Section) and political.heading.level == 2
    bullets = political.blocks[0]
    assert isinstance(bullets, ListBlock) and not bullets.ordered and len(bullets.items) == 2
    assert bullets.items[0].blocks[0].unit.source == "**Support for a regime:** Both aim to back a political system."
    nested = bullets.items[0].blocks[1]
    assert isinstance(nested, ListBlock) and nested.items[0].blocks[0].unit.source == "A nested point under the first."
    numbered = political.blocks[1]
    assert isinstance(numbered, Section) and isinstance(numbered.heading, Heading) and numbered.heading.number == 1 and numbered.heading.level == 3
    assert isinstance(numbered.blocks[0], Quote)
    recommendations = sections[2]
    assert recommendations.role == "recommendations" and recommendations.blocks[0].ordered
    assert [i.blocks[0].unit.kind for i in recommendations.blocks[0].items] == ["recommendation", "recommendation"]
    assert isinstance(numbered.blocks[1], Paragraph)


def test_import_lists_what_it_could_not_map_with_paragraph_numbers(imported) -> None:
    _, result = imported
    lines = result.stderr.strip().splitlines()
    assert any(re.search(r"draft\.docx: paragraph 13: unknown style 'Sidebar Note'", line) for line in lines), result.stderr
    assert any(re.search(r"draft\.docx: paragraph 14: a comment", line) for line in lines), result.stderr
    assert any(re.search(r"draft\.docx: paragraph 15: tracked changes not accepted", line) for line in lines), result.stderr
    assert lines[-1].startswith("wrote ") and "3 things not mapped" in lines[-1], lines[-1]
    assert "Traceback" not in result.stderr


def test_import_strict_fails_on_unmapped_content(project_copy: Path, tmp_path: Path) -> None:
    draft = draft_document(tmp_path / "draft.docx")
    result = run_cli("import", str(draft), "--into", "issues/456", "--strict", cwd=project_copy)
    assert result.returncode == 1, result.stderr


def test_reimport_gives_the_same_bytes_and_refuses_to_overwrite_without_force(imported, tmp_path: Path) -> None:
    folder, result = imported
    first = (folder / "issue.md").read_bytes()
    again = run_cli("import", str(tmp_path / "draft.docx"), "--into", "issues/456", cwd=folder.parent.parent)
    assert again.returncode == 1 and "exists already" in again.stderr and "Traceback" not in again.stderr
    forced = run_cli("import", str(tmp_path / "draft.docx"), "--into", "issues/456", "--force", cwd=folder.parent.parent)
    assert forced.returncode == 0, forced.stderr
    assert (folder / "issue.md").read_bytes() == first


def test_the_imported_issue_builds_in_english_without_warnings(imported, tmp_path: Path) -> None:
    folder, _ = imported
    project = folder.parent.parent
    out = tmp_path / "out"
    result = run_cli("build", "issues/456", "--lang", "en", "--out", str(out), cwd=project)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr.lower()
    text = " ".join(pdftotext(out / "weekly-analysis-456-en.pdf").split())
    for expected in ("Afghanistan and Central Asia", "Support for a regime:", "A nested point under the first.", "5 * 3 units", "We cannot overlook the fact"):
        assert expected in text, expected


def test_import_without_an_issue_number_says_what_to_give(project_copy: Path, tmp_path: Path) -> None:
    draft = draft_document(tmp_path / "draft.docx", cover_line=False)
    result = run_cli("import", str(draft), "--into", "issues/457", cwd=project_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert line.startswith(f"{draft}: missing front matter: number") and "--number" in line and "--period" in line, line
    assert not (project_copy / "issues" / "457").exists(), "nothing is written for a refused import"
    given = run_cli("import", str(draft), "--into", "issues/457", "--number", "457", "--period", "2024-12-16..2024-12-20", cwd=project_copy)
    assert given.returncode == 0, given.stderr
    assert "number: 457\nperiod:\n  start: 2024-12-16\n  end: 2024-12-20" in (project_copy / "issues" / "457" / "issue.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "args", "code", "expected"),
    [
        (b"just text, not a document", (), 1, "not a Word document"),
        (b"PK\x03\x04 broken zip", (), 1, "not a Word document"),
        (None, ("--period", "2024-12-13..2024-12-09"), 2, "ends before it starts"),
        (None, ("--period", "December"), 2, "--period must be"),
        (None, ("--number", "0"), 2, "--number must be"),
    ],
)
def test_import_refuses_bad_input_in_one_line(project_copy: Path, tmp_path: Path, content: bytes | None, args: tuple[str, ...], code: int, expected: str) -> None:
    path = tmp_path / "draft.docx"
    if content is None:
        draft_document(path)
    else:
        path.write_bytes(content)
    result = run_cli("import", str(path), "--into", "issues/458", *args, cwd=project_copy)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and expected in result.stderr, result.stderr


# --- publisher import-translation ---------------------------------------------------------------


def translated_document(project: Path, locale: str, path: Path, drop: int | None = None, extra_after: int | None = None) -> tuple[Path, list[tuple[str, str]]]:
    """The whole issue 455 in ``locale``, as a translator would send it: one Word paragraph per unit.

    Returns the document and the (msgid, msgstr) pairs in reading order.
    """
    issue = read_issue(project / "issues" / "455")
    catalog = None
    if locale != "en":  # the source language: the issue's own text
        with open(project / "locales" / locale / "LC_MESSAGES" / "weekly-analysis-455.po", "rb") as handle:
            catalog = read_po(handle)
    levels = {}

    def walk(nodes, style=None, depth=0):
        for node in nodes:
            if isinstance(node, Section):
                if node.heading is not None:
                    levels[node.heading.unit.id] = node.heading
                walk(node.blocks, None, depth)
            elif isinstance(node, ListBlock):
                for item in node.items:
                    walk(item.blocks, "List Number" if node.ordered else "List Bullet", depth + 1)
            elif isinstance(node, Quote):
                walk(node.blocks, "Quote", depth)
            elif isinstance(node, Paragraph):
                styles[node.unit.id] = style
                style = None if style in ("List Number", "List Bullet") else style

    styles: dict[str, str | None] = {}
    walk(issue.sections)
    doc = docx.Document()
    pairs = []
    for n, unit in enumerate(issue.units()):
        text = catalog.get(unit.source).string if catalog is not None else unit.source
        pairs.append((unit.source, text))
        if n == drop:
            continue
        if unit.kind == "title":
            add_runs(doc.add_paragraph(style="Title"), text)
        elif unit.id in levels:
            heading = levels[unit.id]
            digits = "0123456789" if catalog is None else "۰۱۲۳۴۵۶۷۸۹"
            number = "".join(digits[int(d)] for d in str(heading.number)) + ". " if heading.number else ""
            add_runs(doc.add_heading(level=heading.level), number + text)
        else:
            add_runs(doc.add_paragraph(style=styles.get(unit.id) or None), text)
        if n == extra_after:
            doc.add_paragraph("د ژباړونکي یادښت چې په سرچینه کې نشته.")
    doc.save(str(path))
    return path, pairs


def _emptied(project: Path, locale: str, keep: str) -> Path:
    """The locale's catalog with every translation removed except ``keep``'s (a reviewed one)."""
    po = project / "locales" / locale / "LC_MESSAGES" / "weekly-analysis-455.po"
    text = po.read_text(encoding="utf-8")
    head, body = text.split("\n\n", 1)
    entries = body.split("\n\n")
    cleared = []
    for entry in entries:
        if f'msgid "{keep}"' in entry:
            cleared.append(entry)
        else:
            cleared.append(re.sub(r'msgstr ".*?"(\n".*?")*$', 'msgstr ""', entry, flags=re.S))
    po.write_text(head + "\n\n" + "\n\n".join(cleared), encoding="utf-8")
    return po


def _catalog(po: Path):
    with open(po, "rb") as handle:
        return read_po(handle)


def test_import_translation_aligns_every_unit_and_keeps_reviewed_work(project_copy: Path, tmp_path: Path) -> None:
    path, pairs = translated_document(project_copy, "ps", tmp_path / "ps.docx")
    po = _emptied(project_copy, "ps", "Introduction")
    result = run_cli("import-translation", "ps", str(path), "--issue", "issues/455", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    catalog = _catalog(po)
    reviewed = catalog.get("Introduction")
    assert reviewed.string and not reviewed.fuzzy
    wrong = [(msgid, catalog.get(msgid).string, msgstr) for msgid, msgstr in pairs if msgid != "Introduction" and catalog.get(msgid).string != msgstr]
    assert wrong == [], wrong[:3]
    assert all(catalog.get(msgid).fuzzy for msgid, _ in pairs if msgid != "Introduction")
    assert any(c.startswith("imported from ps.docx, paragraph ") for c in catalog.get(pairs[5][0]).user_comments)
    last = result.stderr.strip().splitlines()[-1]
    distinct = len({m for m, _ in pairs})
    assert f"{distinct - 1} units aligned" in last or f"{len(pairs) - 1} units aligned" in last, last
    assert "1 reviewed translations kept" in last and "0 left empty" in last and "0 paragraphs left over" in last, last
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_import_translation_reports_gaps_and_extra_paragraphs_and_still_aligns_the_rest(project_copy: Path, tmp_path: Path) -> None:
    path, pairs = translated_document(project_copy, "ps", tmp_path / "ps.docx", drop=20, extra_after=40)
    po = _emptied(project_copy, "ps", "Introduction")
    result = run_cli("import-translation", "ps", str(path), "--issue", "issues/455", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    catalog = _catalog(po)
    dropped = pairs[20][0]
    assert not catalog.get(dropped).string, "the unit the translator left out stays empty"
    assert re.search(r"issues/455/issue\.md:\d+: no paragraph of .*ps\.docx aligned", result.stderr), result.stderr
    assert re.search(r"ps\.docx: paragraph \d+: left over .*ژباړونکي", result.stderr), result.stderr
    good = sum(1 for msgid, msgstr in pairs if msgid not in ("Introduction", dropped) and catalog.get(msgid).string == msgstr)
    assert good >= len(pairs) - 3, f"only {good} of {len(pairs)} units aligned right"


def test_import_translation_overwrite_replaces_reviewed_translations(project_copy: Path, tmp_path: Path) -> None:
    path, pairs = translated_document(project_copy, "ps", tmp_path / "ps.docx")
    po = project_copy / "locales" / "ps" / "LC_MESSAGES" / "weekly-analysis-455.po"
    kept = run_cli("import-translation", "ps", str(path), "--issue", "issues/455", cwd=project_copy)
    assert kept.returncode == 0 and "0 units aligned" in kept.stderr, kept.stderr
    replaced = run_cli("import-translation", "ps", str(path), "--issue", "issues/455", "--overwrite", cwd=project_copy)
    assert replaced.returncode == 0, replaced.stderr
    catalog = _catalog(po)
    assert all(catalog.get(msgid).fuzzy for msgid, _ in pairs), "every unit of the document replaced, for review"
    keywords = [m for m in catalog if m.context == "keyword"]
    assert keywords and not any(m.fuzzy for m in keywords), "front-matter keywords are not in a Word document: left as they were"


def test_import_translation_into_the_source_language_is_refused(project_copy: Path, tmp_path: Path) -> None:
    path, _ = translated_document(project_copy, "ps", tmp_path / "ps.docx")
    result = run_cli("import-translation", "en", str(path), "--issue", "issues/455", cwd=project_copy)
    assert result.returncode == 1 and "source language" in result.stderr and "Traceback" not in result.stderr


def test_issue_455_through_word_imports_back_to_the_same_units(project_copy: Path, tmp_path: Path) -> None:
    """Issue 455 written out with Word's own heading, list and quote styles comes back unit for unit (at least 98 %)."""
    path, pairs = translated_document(project_copy, "en", tmp_path / "455.docx")
    result = run_cli("import", str(path), "--into", "issues/999", "--number", "455", "--period", "2024-12-02..2024-12-06", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    original = [msgid for msgid, _ in pairs]
    back = [unit.source for unit in read_issue(project_copy / "issues" / "999").units()]
    matcher = difflib.SequenceMatcher(a=original, b=back, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    differing = [(original[i1:i2], back[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    assert same / len(original) >= 0.98, f"{same} of {len(original)} units identical; differing: {differing[:3]}"
