"""Hostile issue sources: each answered in one line with its place, never dropped, never a hang.

The cases of issue 11 about the source side (nesting, duplicate numbers,
runaway emphasis, devices and FIFOs, huge inputs, long words, odd numbers,
symlinks, escape sequences, misleading errors). Most run the command line in
this process (``publisher.cli.main``) with ``--format html``, ``extract`` or
``check`` and limits set low through their environment variables, so the
whole file takes seconds; the cases that could hang or exhaust memory run in a
subprocess with a timeout, and one case builds a real PDF.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from conftest import front_matter, run_cli
from pdftools import bbox_pages
from test_security import ONE_LINE, assert_one_line_error, entry_lines, png, po, set_translation

from publisher.cli import main
from publisher.source import parse_issue

NUMBER = 900  # an issue of its own: no catalogs, so only the English edition matters
FOLDER = f"issues/{NUMBER}"
SOURCE = f"{FOLDER}/issue.md"
HTML = f"weekly-analysis-{NUMBER}-en.html"
BODY_LINE = 10  # the first body line after front_matter() and a blank line


def write_issue(project: Path, body: str, title: str = "A Hostile Issue", number: int = NUMBER, folder: str = FOLDER) -> Path:
    path = project / folder / "issue.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(front_matter(title, number) + "\n" + body, encoding="utf-8")
    return path


def snapshot(*folders: Path) -> dict[Path, bytes]:
    """Every file under the folders, with its bytes: what a failed command must leave as it was."""
    return {p: p.read_bytes() for folder in folders if folder.exists() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def cli(project_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """Run ``publisher`` in this process from the project copy: (exit code, stderr lines, stdout)."""
    monkeypatch.chdir(project_copy)

    def run(*args: str, **env: str) -> tuple[int, list[str], str]:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        try:
            code = main(["--root", str(project_copy), *args])
        finally:
            for name in env:
                monkeypatch.delenv(name)
        out, err = capsys.readouterr()
        return code, [line for line in err.splitlines() if line.strip()], out

    return run


def one_line(code: int, lines: list[str], where: str, *words: str, expected: int = 1) -> str:
    """Exit ``expected``, exactly one line, starting with ``where`` and naming every word."""
    assert code == expected, (code, lines)
    assert len(lines) == 1, lines
    assert ONE_LINE.match(lines[0]) and lines[0].startswith(where), (where, lines[0])
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def html_build(cli, out: Path, folder: str = FOLDER, **env: str) -> tuple[int, list[str], str]:
    return cli("build", folder, "--lang", "en", "--format", "html", "--jobs", "1", "--out", str(out), "-q", **env)


def assert_nothing_written(out: Path) -> None:
    assert not out.exists() or not any(p.name.startswith(f"weekly-analysis-{NUMBER}") for p in out.iterdir()), sorted(out.iterdir())


# --- 1. nesting: refused with the limit named, never dropped ------------------------------------


def nested_list(depth: int) -> str:
    return "\n".join("  " * k + "- item" for k in range(depth)) + "\n"


LAYOUT_LIMIT = ("limit of 8 this layout can show", "max_nesting in layouts/weekly-analysis/layout.yaml")
PARSER_LIMIT = ("48 levels the Markdown parser keeps whole",)
NESTING = {
    # name: (body, line of the error, what it names)
    "list-10-deep": (nested_list(10) + "\nAfter the list.\n\n## Second\n\nText two.\n\n## Third\n\nText three.\n", BODY_LINE + 9, LAYOUT_LIMIT),
    "list-1000-deep": ("- 1. " * 500 + "item\n\nAfter the list.\n", BODY_LINE, PARSER_LIMIT),  # written indented, 1000 levels are over 1 MB
    "list-49-deep": (nested_list(49) + "\nAfter the list.\n", BODY_LINE + 48, PARSER_LIMIT),
    "quote-20-deep": ("> " * 20 + "quoted text\n\nAfter the quote.\n", BODY_LINE, LAYOUT_LIMIT),
    "quotes-in-lists": ("\n".join("  " * k + "- > item" for k in range(8)) + "\n\nAfter.\n", BODY_LINE + 7, LAYOUT_LIMIT),  # the 8th list holds the 9th level
}


def set_max_nesting(project: Path, value: str) -> None:
    path = project / "layouts" / "weekly-analysis" / "layout.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nmax_nesting: 8\n" in text
    path.write_text(text.replace("\nmax_nesting: 8\n", f"\nmax_nesting: {value}\n"), encoding="utf-8")


@pytest.mark.parametrize("name", list(NESTING))
def test_nesting_deeper_than_the_limit_is_refused_with_the_limit_named(project_copy: Path, tmp_path: Path, cli, name: str) -> None:
    body, line, named = NESTING[name]
    write_issue(project_copy, body)
    out = tmp_path / "out"
    code, lines, _ = html_build(cli, out)
    one_line(code, lines, f"{SOURCE}:{line}: ", "nested", *named)
    assert_nothing_written(out)
    pots = snapshot(project_copy / "locales")
    code, lines, _ = cli("extract", FOLDER)
    one_line(code, lines, f"{SOURCE}:{line}: ", *named)
    assert snapshot(project_copy / "locales") == pots


def shown(path: Path) -> str:
    """An HTML edition's text as read: its no-break spaces (a paragraph's last two words are bound) are spaces."""
    return path.read_text(encoding="utf-8").replace("\u00a0", " ")


@pytest.mark.parametrize(("name", "limit"), [("list-10-deep", "10"), ("quote-20-deep", "20"), ("list-48-deep", "48")])
def test_nesting_within_a_raised_limit_keeps_every_block(project_copy: Path, tmp_path: Path, cli, name: str, limit: str) -> None:
    """What the layout allows is all there: the text after the nesting was what the parser used to drop."""
    body = NESTING[name][0] if name in NESTING else nested_list(48) + "\nAfter the list.\n\n## Second\n\nText two.\n"
    write_issue(project_copy, body)
    set_max_nesting(project_copy, limit)
    out = tmp_path / "out"
    code, lines, _ = html_build(cli, out)
    assert code == 0, lines
    html = shown(out / HTML)
    for text in re.findall(r"(?:After the \w+|Text \w+|quoted text)", body):
        assert text in html, text
    assert html.count("<li>") == body.count("- ")


@pytest.mark.parametrize("value", ["deep", "0", "49", "true"])
def test_a_layout_nesting_limit_out_of_range_is_named(project_copy: Path, tmp_path: Path, cli, value: str) -> None:
    write_issue(project_copy, "Text.\n")
    set_max_nesting(project_copy, value)
    code, lines, _ = html_build(cli, tmp_path / "out")
    one_line(code, lines, "layouts/weekly-analysis/layout.yaml: max_nesting must be a whole number from 1 to 48")


@pytest.mark.parametrize("value", ["deep", "0", "1e6", "-5"])
def test_a_limit_set_out_of_range_is_a_usage_error(project_copy: Path, tmp_path: Path, cli, value: str) -> None:
    write_issue(project_copy, "Text.\n")
    code, lines, _ = html_build(cli, tmp_path / "out", PUBLISHER_MAX_BLOCKS=value)
    one_line(code, lines, "publisher: PUBLISHER_MAX_BLOCKS must be a whole number", expected=2)


# --- 2. two folders with one number ------------------------------------------------------------


def test_two_issue_folders_with_the_same_number_are_refused_naming_both(project_copy: Path, tmp_path: Path, cli) -> None:
    shutil.copytree(project_copy / "issues" / "455", project_copy / "issues" / "455b")
    out = tmp_path / "out"
    code, lines, _ = cli("build", "issues/455", "issues/455b", "--lang", "en", "--format", "html", "--jobs", "1", "--out", str(out))
    one_line(code, lines, "issues/455b/issue.md:3: ", "number 455", "issues/455/issue.md")
    assert not out.exists() or not list(out.iterdir())
    locales = snapshot(project_copy / "locales")
    for args in (["extract"], ["extract", "issues/455b", "issues/455"], ["check", "issues/455", "issues/455b"]):
        code, lines, _ = cli(*args)
        line = one_line(code, lines, "issues/455", "number 455")
        assert re.match(r"issues/455b?/issue\.md:3: ", line), line
        assert "issues/455/issue.md" in line and "issues/455b/issue.md" in line, line
    assert snapshot(project_copy / "locales") == locales


def test_one_folder_given_twice_is_built_once(project_copy: Path, tmp_path: Path, cli) -> None:
    write_issue(project_copy, "Text.\n")
    code, lines, _ = cli("build", FOLDER, f"{FOLDER}/", "--lang", "en", "--format", "html", "--jobs", "1", "--out", str(tmp_path / "out"), "--json")
    assert code == 0, lines
    assert (tmp_path / "out" / HTML).exists()


# --- 6. runaway emphasis: bounded, located ---------------------------------------------------------

STARS = "*" * 1000 + "x" + "*" * 1000


@pytest.mark.parametrize("where", ["body", "title", "heading"])
def test_a_thousand_stars_in_the_source_are_refused_at_their_line(project_copy: Path, tmp_path: Path, cli, where: str) -> None:
    body = {"body": f"Text.\n\n{STARS}\n", "title": "Text.\n", "heading": f"## {STARS}\n\nText.\n"}[where]
    write_issue(project_copy, body, title=STARS if where == "title" else "Title")
    line = {"body": BODY_LINE + 2, "title": 7, "heading": BODY_LINE}[where]
    out = tmp_path / "out"
    code, lines, _ = html_build(cli, out)
    one_line(code, lines, f"{SOURCE}:{line}: ", "nested", "limit of 16", "PUBLISHER_MAX_INLINE_NESTING")
    assert_nothing_written(out)


def test_a_thousand_stars_in_a_translation_are_refused_at_the_po_line(project_copy: Path, tmp_path: Path, cli) -> None:
    catalog = po(project_copy, "ps")
    set_translation(catalog, "Introduction", STARS)
    out = tmp_path / "out"
    code, lines, _ = cli("build", "issues/455", "--lang", "ps", "--format", "html", "--jobs", "1", "--out", str(out), "-q")
    line = one_line(code, lines, "locales/ps/LC_MESSAGES/weekly-analysis-455.po:", "PUBLISHER_MAX_INLINE_NESTING")
    assert int(line.split(":")[1]) in entry_lines(catalog, "Introduction"), line
    assert not (out / "weekly-analysis-455-ps.html").exists()
    code, lines, stdout = cli("check", "issues/455", "--lang", "ps")
    assert code == 1 and "limit" in stdout and "PUBLISHER_MAX_INLINE_NESTING" in stdout, (lines, stdout)


def test_the_cli_answers_a_thousand_stars_without_a_traceback(project_copy: Path, tmp_path: Path) -> None:
    """The same, from a real process: no RecursionError anywhere (the templates render nesting recursively)."""
    write_issue(project_copy, f"{STARS}\n", title=STARS)
    result = run_cli("build", FOLDER, "--lang", "en", "--format", "html", "--out", str(tmp_path / "out"), cwd=project_copy, timeout=60)
    assert assert_one_line_error(result).startswith(f"{SOURCE}:7: ")


# --- 7. devices, FIFOs, folders: only regular files are read ------------------------------------------


@pytest.mark.parametrize("kind", ["dev-zero", "dev-urandom", "fifo", "folder", "fifo-po"])
def test_only_regular_files_are_read(project_copy: Path, tmp_path: Path, kind: str) -> None:
    issue = write_issue(project_copy, "Text.\n")
    where = SOURCE
    if kind.startswith("dev-"):
        issue.unlink()
        issue.symlink_to(f"/dev/{kind[4:]}")
    elif kind == "fifo":
        issue.unlink()
        os.mkfifo(issue)
    elif kind == "folder":
        issue.unlink()
        issue.mkdir()
    else:  # a catalog that is a FIFO
        catalog = po(project_copy, "ps")
        catalog.unlink()
        os.mkfifo(catalog)
        where = "locales/ps/LC_MESSAGES/weekly-analysis-455.po"
    out = tmp_path / "out"
    args = ["build", "issues/455", "--lang", "ps"] if kind == "fifo-po" else ["build", FOLDER, "--lang", "en"]
    started = time.monotonic()
    result = run_cli(*args, "--format", "html", "--out", str(out), "-q", cwd=project_copy, timeout=60)
    assert time.monotonic() - started < 30
    line = assert_one_line_error(result)
    assert line.startswith(f"{where}: ") and ("regular file" in line or "symbolic link" in line), line
    assert not any(out.glob("*.html")) if out.exists() else True


def test_a_file_over_the_size_limit_is_refused_naming_the_limit(project_copy: Path, tmp_path: Path, cli) -> None:
    write_issue(project_copy, "A paragraph of some length. " * 100 + "\n")
    out = tmp_path / "out"
    code, lines, _ = html_build(cli, out, PUBLISHER_MAX_ISSUE_BYTES="2000")
    one_line(code, lines, f"{SOURCE}: ", "limit of 2,000", "PUBLISHER_MAX_ISSUE_BYTES")
    assert_nothing_written(out)
    catalog = po(project_copy, "ps")
    size = catalog.stat().st_size
    code, lines, _ = cli("build", "issues/455", "--lang", "ps", "--format", "html", "--jobs", "1", "--out", str(out), "-q", PUBLISHER_MAX_CATALOG_BYTES=str(size - 1))
    one_line(code, lines, "locales/ps/LC_MESSAGES/weekly-analysis-455.po: ", f"{size:,} is more than", "PUBLISHER_MAX_CATALOG_BYTES")


# --- 8. huge inputs: bounded, linear ---------------------------------------------------------------

HUGE = {
    # name: (body, where the error is, limit variable)
    "5-MB-paragraph": ("x " * 2_500_000 + "\n", "", "PUBLISHER_MAX_ISSUE_BYTES"),
    "20000-headings": ("## S\n\n" * 20_000, "", "PUBLISHER_MAX_ISSUE_BYTES"),
    "3000-headings": ("## S\n\n" * 3_000, f":{BODY_LINE + 2 * 2000}", "PUBLISHER_MAX_BLOCKS"),
    "_**-3000-times": ("_**" * 3000 + "\n", f":{BODY_LINE}", "PUBLISHER_MAX_INLINE_RUNS"),
    "6000-spans-in-60-blocks": (("**a** " * 100 + "\n\n") * 60, f":{BODY_LINE + 2 * 50}", "PUBLISHER_MAX_ISSUE_SPANS"),
    "25000-character-paragraph": ("word " * 5000 + "\n", f":{BODY_LINE}", "PUBLISHER_MAX_BLOCK_CHARS"),
    "200000-character-word": ("x" * 200_000 + "\n", "", "PUBLISHER_MAX_ISSUE_BYTES"),
    "50000-character-word": ("x" * 50_000 + "\n", f":{BODY_LINE}", "PUBLISHER_MAX_BLOCK_CHARS"),
    "100000-character-url": (f"<https://example.org/{'a' * 100_000}>\n", "", "PUBLISHER_MAX_ISSUE_BYTES"),
    "50000-character-url": (f"<https://example.org/{'a' * 50_000}>\n", f":{BODY_LINE}", "PUBLISHER_MAX_BLOCK_CHARS"),
}


@pytest.mark.parametrize("name", list(HUGE))
def test_huge_input_is_refused_at_once_naming_its_limit(project_copy: Path, tmp_path: Path, cli, name: str) -> None:
    body, where, variable = HUGE[name]
    write_issue(project_copy, body)
    out = tmp_path / "out"
    started = time.monotonic()
    code, lines, _ = html_build(cli, out)
    one_line(code, lines, f"{SOURCE}{where}: ", "is more than the limit", variable)
    assert_nothing_written(out)
    code, lines, _ = cli("extract", FOLDER)
    one_line(code, lines, f"{SOURCE}{where}: ", variable)
    assert not (project_copy / "locales" / f"weekly-analysis-{NUMBER}.pot").exists()
    assert time.monotonic() - started < 20


def test_anchor_naming_is_linear_and_unique(monkeypatch: pytest.MonkeyPatch) -> None:
    """20,000 identical headings (which took 117 s to extract) name their anchors in linear time."""
    monkeypatch.setenv("PUBLISHER_MAX_BLOCKS", "100000")
    front = front_matter("T", NUMBER) + "\n"
    started = time.perf_counter()
    issue = parse_issue(front + "## Same\n\n" * 20_000, SOURCE)
    assert time.perf_counter() - started < 15
    anchors = [s.heading.anchor for s in issue.sections]
    assert anchors == ["same"] + [f"same-{n}" for n in range(2, 20_001)]
    # Headings whose own text looks like a numbered anchor do not collide.
    tricky = parse_issue(front + "".join(f"## {h}\n\n" for h in ["A", "A 2", "A", "A", "A 3", "A 2"]), SOURCE)
    names = [s.heading.anchor for s in tricky.sections]
    assert names == ["a", "a-2", "a-3", "a-4", "a-3-2", "a-2-2"] and len(set(names)) == len(names)


# --- 15. long words and addresses stay on the page ---------------------------------------------------------


def test_long_words_and_addresses_break_inside_the_page(project_copy: Path, tmp_path: Path) -> None:
    word, url = "w" * 3000, "https://example.org/" + "a" * 2000
    body = f"## Introduction\n\nA {word} word.\n\n> Quoted {word}\n\n- Item {word}\n\n## References\n\n1. Source: [{url}]({url}) and <{url}>.\n"
    write_issue(project_copy, body)
    out = tmp_path / "out"
    started = time.monotonic()
    result = run_cli("build", FOLDER, "--lang", "en", "--out", str(out), "-q", cwd=project_copy, timeout=120)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 90
    pages = bbox_pages(out / f"weekly-analysis-{NUMBER}-en.pdf")
    shown = "".join(w["text"] for _, _, words in pages for w in words)
    assert shown.count("w") >= 3 * 3000 and shown.count("a" * 50) >= 2 * 2000 // 50  # all of it is there
    for width, height, words in pages:
        for w in words:
            assert w["xMin"] >= 0 and w["xMax"] <= width and w["yMax"] <= height, (w["text"][:20], w["xMax"], width)


# --- 16. the number is plain digits -----------------------------------------------------------------------


@pytest.mark.parametrize("written", ["0x3e7", "1_000", "0o777", "0777", "1:30", "+455", "4.55e2"])
def test_number_in_another_notation_is_refused(project_copy: Path, cli, written: str) -> None:
    path = write_issue(project_copy, "Text.\n")
    path.write_text(path.read_text(encoding="utf-8").replace(f"number: {NUMBER}", f"number: {written}"), encoding="utf-8")
    code, lines, _ = cli("extract", FOLDER)
    one_line(code, lines, f"{SOURCE}:3: ", "'number' must be a positive whole number", written)
    assert not list((project_copy / "locales").glob(f"*{NUMBER}*"))


# --- 18. symlinks out of the project, escape sequences, the HTML preview's images -----------------------------------


def test_issue_symlinked_outside_the_project_is_refused(project_copy: Path, tmp_path: Path, cli) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\nsecret_key: hunter2\n---\n", encoding="utf-8")
    issue = write_issue(project_copy, "Text.\n")
    issue.unlink()
    issue.symlink_to(secret)
    for args in (["extract", FOLDER], ["build", FOLDER, "--lang", "en", "--format", "html", "--out", str(tmp_path / "out")]):
        code, lines, _ = cli(*args)
        line = one_line(code, lines, f"{SOURCE}: ", "symbolic link", "outside the project")
        assert "secret" not in line and "hunter2" not in line


def test_issue_symlinked_inside_the_project_is_read(project_copy: Path, tmp_path: Path, cli) -> None:
    """The control: a link that stays in the project is followed."""
    real = write_issue(project_copy, "Linked text.\n", folder="issues/real")
    issue = project_copy / FOLDER / "issue.md"
    issue.parent.mkdir(parents=True)
    issue.symlink_to(real)
    code, lines, _ = html_build(cli, tmp_path / "out")
    assert code == 0, lines
    assert "Linked text." in shown(tmp_path / "out" / HTML)


@pytest.mark.parametrize("name", ["\x1b]0;owned\x07\x1b[2J", "bad\x1b[31mred", "new\nline", "rlo\u202etxt"])
def test_folder_names_are_printed_safely(project_copy: Path, tmp_path: Path, name: str) -> None:
    folder = project_copy / "issues" / name
    for args in (["build", f"issues/{name}", "--lang", "en"], ["extract", f"issues/{name}"]):
        result = run_cli(*args, cwd=project_copy, timeout=60)
        line = assert_one_line_error(result, named=False)
        assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", line), repr(line)
        assert repr(name)[1:-1] in line, (line, name)
    folder.mkdir()
    result = run_cli("build", f"issues/{name}", "--lang", "en", "--format", "html", "--out", str(tmp_path / "out"), cwd=project_copy, timeout=60)
    line = assert_one_line_error(result, named=False)
    assert "no issue.md" in line and not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e]", line), repr(line)


@pytest.mark.parametrize("src", ["../../../../etc/passwd", "../455/x.png", "a/../../x.png", "%2e%2e/x.png"])
def test_html_preview_refuses_images_outside_the_issue_folder(project_copy: Path, tmp_path: Path, cli, src: str) -> None:
    write_issue(project_copy, f"Text.\n\n![picture]({src})\n")
    out = tmp_path / "out"
    code, lines, _ = html_build(cli, out)
    one_line(code, lines, f"{SOURCE}:{BODY_LINE + 2}: ", src, "outside the issue folder")
    assert_nothing_written(out)


def test_image_in_a_subfolder_of_the_issue_is_kept(project_copy: Path, tmp_path: Path, cli) -> None:
    """The control: a picture that stays in the issue folder reaches the preview."""
    write_issue(project_copy, "Text.\n\n![picture](charts/../charts/one.png)\n")
    (project_copy / FOLDER / "charts").mkdir()
    (project_copy / FOLDER / "charts" / "one.png").write_bytes(png())
    code, lines, _ = html_build(cli, tmp_path / "out")
    assert code == 0, lines
    page = (tmp_path / "out" / HTML).read_text(encoding="utf-8")
    assets = HTML.replace(".html", "_files")
    assert f'src="{assets}/figure-1.png"' in page, "the figure's picture is copied beside the preview"
    assert (tmp_path / "out" / assets / "figure-1.png").read_bytes() == png()


# --- 19. errors that name the real cause and place ---------------------------------------------------------


@pytest.mark.parametrize(("char", "what"), [("\x00", "NUL character (U+0000)"), ("\x1b", "control character U+001B"), ("\x85", "control character U+0085")])
def test_control_characters_are_named_at_their_line(project_copy: Path, tmp_path: Path, cli, char: str, what: str) -> None:
    write_issue(project_copy, f"Text.\n\nA paragraph with {char} in it.\n")
    out = tmp_path / "out"
    code, lines, _ = html_build(cli, out)
    one_line(code, lines, f"{SOURCE}:{BODY_LINE + 2}: ", what)
    assert "font" not in lines[0]


def test_a_catalog_path_that_is_a_folder_is_named(project_copy: Path, tmp_path: Path, cli) -> None:
    catalog = po(project_copy, "ps")
    catalog.unlink()
    catalog.mkdir()
    out = tmp_path / "out"
    code, lines, _ = cli("build", "issues/455", "--lang", "ps", "--format", "html", "--jobs", "1", "--out", str(out), "-q")
    line = one_line(code, lines, "locales/ps/LC_MESSAGES/weekly-analysis-455.po: ", "not a regular file")
    assert ".html" not in line and str(out) not in line


def test_an_image_climbing_out_in_a_translation_is_reported_at_the_po_line(project_copy: Path, tmp_path: Path, cli) -> None:
    catalog = po(project_copy, "ps")
    set_translation(catalog, "Introduction", "![x](../../../etc/passwd) متن")
    for fmt in ("html", "pdf"):
        out = tmp_path / fmt
        code, lines, _ = cli("build", "issues/455", "--lang", "ps", "--format", fmt, "--jobs", "1", "--out", str(out), "-q")
        line = one_line(code, lines, "locales/ps/LC_MESSAGES/weekly-analysis-455.po:", "../../../etc/passwd", "outside the issue folder")
        assert int(line.split(":")[1]) in entry_lines(catalog, "Introduction"), line
        assert not list(out.glob("*.html")) + list(out.glob("*.pdf"))
