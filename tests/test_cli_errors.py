"""The command line as a user sees it: one-line errors, exit codes, and a new issue written from the docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, front_matter, pdftotext, run_cli

GOOD_FRONT = front_matter("A Broken Issue")
BODY = "\n## Introduction\n\nSome text.\n"

# (name, issue.md text, line the error must name, words of the message)
BROKEN = [
    ("bad-yaml", GOOD_FRONT.replace("number: 455", "number: 455\n  bad: indent"), 4, "malformed YAML"),
    ("level-1-heading", GOOD_FRONT + "\n## Introduction\n\nText.\n\n# Big Title\n", 14, "'#' is reserved"),
    ("unknown-field", GOOD_FRONT.replace("title:", "author: me\ntitle:"), 7, "unknown field 'author'"),
    ("code-block", GOOD_FRONT + "\n## A\n\n```\nx = 1\n```\n", 12, "code block"),
    ("end-before-start", GOOD_FRONT.replace("end: 2024-12-06", "end: 2024-11-06"), 6, "before it starts"),
    ("impossible-date", GOOD_FRONT.replace("end: 2024-12-06", "end: 2024-02-30"), 6, "is not a date"),
    ("no-front-matter", BODY, 1, "front matter"),
]


def write_issue(project: Path, text: str, number: int = 455) -> Path:
    path = project / "issues" / str(number) / "issue.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "line", "words"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_malformed_issue_is_one_line_and_exit_1(project_copy: Path, tmp_path: Path, text: str, line: int, words: str):
    write_issue(project_copy, text)
    result = run_cli("build", "issues/455", "--lang", "en", "--out", str(tmp_path / "out"), cwd=project_copy)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert re.match(rf"issues/455/issue\.md:{line}: \S", lines[0]), lines[0]
    assert words in lines[0]
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_other_commands_report_the_same_line(project_copy: Path):
    write_issue(project_copy, BROKEN[1][1])
    for command in (["extract", "issues/455"], ["status", "issues/455"], ["check", "issues/455"]):
        result = run_cli(*command, cwd=project_copy)
        assert result.returncode == 1, (command, result.stderr)
        assert result.stderr.strip().splitlines() == ["issues/455/issue.md:14: '#' is reserved for the title (front matter); start sections with '##'"]


def test_missing_issue_folder(project_copy: Path, tmp_path: Path):
    result = run_cli("build", "issues/999", "--lang", "en", "--out", str(tmp_path / "out"), cwd=project_copy)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "issues/999" in lines[0] and "does not exist" in lines[0], result.stderr


def test_issue_folder_without_issue_md(project_copy: Path, tmp_path: Path):
    (project_copy / "issues" / "457").mkdir()
    result = run_cli("build", "issues/457", "--lang", "en", "--out", str(tmp_path / "out"), cwd=project_copy)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == ["issues/457/issue.md: no issue.md in the issue folder"]


def test_unknown_lang_is_a_usage_error(project_copy: Path, tmp_path: Path):
    result = run_cli("build", "issues/455", "--lang", "xx", "--out", str(tmp_path / "out"), cwd=project_copy)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "'xx'" in lines[0], result.stderr


def test_unknown_option_is_a_usage_error(project_copy: Path):
    result = run_cli("build", "issues/455", "--no-such-option", cwd=project_copy)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--no-such-option" in result.stderr


def test_debug_shows_the_traceback(project_copy: Path, tmp_path: Path):
    write_issue(project_copy, BROKEN[0][1])
    result = run_cli("--debug", "build", "issues/455", "--lang", "en", "--out", str(tmp_path / "out"), cwd=project_copy)
    assert result.returncode != 0
    assert "Traceback (most recent call last)" in result.stderr
    assert "PublisherError" in result.stderr and "malformed YAML" in result.stderr


def docs_example() -> str:
    """The complete example issue of docs/issue-format.md."""
    doc = (ROOT / "docs" / "issue-format.md").read_text(encoding="utf-8")
    section = doc.split("## A complete example", 1)[1]
    return section.split("```markdown\n", 1)[1].split("\n```\n", 1)[0] + "\n"


def test_new_issue_written_from_the_docs_builds(project_copy: Path, tmp_path: Path):
    text = docs_example()
    assert "number: 456" in text and "## References" in text
    assert re.search(r"^ *> ", text, re.M) and re.search(r"^- ", text, re.M)
    write_issue(project_copy, text, number=456)
    out = tmp_path / "dist"
    result = run_cli("build", "issues/456", "--lang", "en", "--out", str(out), cwd=project_copy)
    assert result.returncode == 0, result.stderr
    pdf = out / "weekly-analysis-456-en.pdf"
    assert pdf.is_file()
    assert pdf.read_bytes().startswith(b"%PDF")
    text_of_pdf = " ".join(pdftotext(pdf).split())
    for words in ("Afghanistan and Central Asia", "Energy Exports", "Trade and transit:", "Water is a shared resource"):
        assert words in text_of_pdf, words
