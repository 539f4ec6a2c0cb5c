"""The translator's workflow: extract, update, init-lang, compile, status, check, on a throw-away copy.

Every test works on ``project_copy`` (never on the real catalogs) and reads
the files the commands write with Babel's own reader or GNU gettext, so what
is tested is what a translator's tool would see.
"""

from __future__ import annotations

import gettext
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from conftest import ROOT, pdf_path, pdftotext, run_cli

TARGETS = ("ps", "fa_AF", "ar")
NPLURALS = {"ps": 2, "fa_AF": 2, "ar": 6}
ISSUE_MD = Path("issues") / "455" / "issue.md"
ISSUE_FILE = ISSUE_MD.as_posix()
LOC_RE = re.compile(r"^(?P<file>\S+):(?P<line>\d+)")


# --- helpers -----------------------------------------------------------------


def cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    result = run_cli(*args, cwd=project)
    assert "Traceback" not in result.stderr, f"publisher {' '.join(args)} crashed:\n{result.stderr}"
    return result


def cli_ok(project: Path, *args: str) -> subprocess.CompletedProcess:
    result = cli(project, *args)
    assert result.returncode == 0, f"publisher {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def extract_update(project: Path) -> None:
    cli_ok(project, "extract")
    cli_ok(project, "update")


def catalog_files(project: Path) -> dict[str, bytes]:
    """Every template and catalog of the project, by path relative to the project."""
    locales = project / "locales"
    files = sorted(locales.glob("*.pot")) + sorted(locales.glob("*/LC_MESSAGES/*.po"))
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in files}


def issue_domain(project: Path) -> str:
    front = yaml.safe_load((project / ISSUE_MD).read_text(encoding="utf-8").split("---")[1])
    matches = [p.stem for p in (project / "locales").glob("*.pot") if str(front["number"]) in p.stem]
    assert len(matches) == 1, matches
    return matches[0]


def po_file(project: Path, locale: str, domain: str) -> Path:
    return project / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"


def read(path: Path, locale: str | None = None) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=locale)


def translations(catalog: Catalog) -> dict:
    """(msgid, context) -> msgstr of every live message."""
    return {(m.id, m.context): m.string for m in catalog if m.id}


def md_lines(project: Path) -> list[str]:
    return (project / ISSUE_MD).read_text(encoding="utf-8").split("\n")


def write_md(project: Path, lines: list[str]) -> None:
    (project / ISSUE_MD).write_text("\n".join(lines), encoding="utf-8")


def plain_paragraphs(lines: list[str]) -> list[int]:
    """0-based indices of top-level prose paragraphs (no heading, list, quote, number) of 15+ words."""
    fences = [i for i, line in enumerate(lines) if line.strip() == "---"]
    body_start = fences[1] + 1 if len(fences) >= 2 else 0
    found = []
    for i in range(body_start, len(lines)):
        line = lines[i]
        if not line.strip() or line[0] in "#->* \t" or re.match(r"\d+\.", line):
            continue
        if len(line.split()) >= 15:
            found.append(i)
    return found


def edit_a_few_words(line: str) -> str:
    words = line.split(" ")
    middle = len(words) // 2
    words[middle : middle + 2] = ["notably", "quite", "plainly"]
    changed = " ".join(words)
    assert changed != line
    return changed


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def unescape(s: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), s)


def header_fields(path: Path) -> dict[str, str]:
    """The header entry of a PO/POT file, read from the text itself."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith('msgid ""'))
    assert lines[start + 1].startswith('msgstr "'), "the header entry must be first"
    parts = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        parts.append(re.match(r'^(?:msgstr )?"(.*)"$', line).group(1))
    fields = {}
    for row in unescape("".join(parts)).split("\n"):
        if ":" in row:
            key, _, value = row.partition(":")
            fields[key.strip()] = value.strip()
    return fields


def entry_comments(path: Path, msgid_line: int) -> list[str]:
    """The comment lines just above the ``msgid`` line (1-based) of an entry."""
    lines = path.read_text(encoding="utf-8").split("\n")
    out = []
    i = msgid_line - 2
    while i >= 0 and lines[i].startswith("#"):
        out.insert(0, lines[i])
        i -= 1
    return out


def entry_span(path: Path, msgid_line: int) -> tuple[int, int]:
    """1-based first and last line of an entry, from its first comment to its last msgstr line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    first = msgid_line
    while first - 2 >= 0 and lines[first - 2].startswith("#"):
        first -= 1
    last = msgid_line
    while last < len(lines) and lines[last].strip():
        last += 1
    return first, last


def previous_msgid(comments: list[str]) -> str:
    """The previous msgid of ``#|`` lines, parsed strictly as PO syntax."""
    text = ""
    seen_keyword = False
    for line in comments:
        if not line.startswith("#|"):
            continue
        body = line[2:].strip()
        match = re.fullmatch(r'(msgctxt |msgid |msgid_plural )?"((?:[^"\\]|\\.)*)"', body)
        assert match, f"malformed previous-msgid line (not PO syntax): {line!r}"
        if match.group(1) == "msgid ":
            seen_keyword = True
        if seen_keyword and match.group(1) in (None, "msgid "):
            text += match.group(2)
    assert seen_keyword, f"no '#| msgid' line in {comments}"
    return unescape(text)


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"GNU gettext's {tool} is not installed")
    return path


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([require("msgfmt"), "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)


def find_message(catalog: Catalog, text: str):
    for message in catalog:
        if message.id and text == message.id:
            return message
    return None


def edited_project(project: Path) -> tuple[str, str, dict[str, Catalog]]:
    """Edit a few words of one paragraph; return old and new text and the catalogs before the change."""
    lines = md_lines(project)
    index = plain_paragraphs(lines)[3]
    old, new = lines[index], edit_a_few_words(lines[index])
    domain = issue_domain(project)
    before = {loc: read(po_file(project, loc, domain), loc) for loc in TARGETS}
    lines[index] = new
    write_md(project, lines)
    extract_update(project)
    return old, new, before


# --- idempotence ----------------------------------------------------------------


def test_extract_update_twice_changes_no_byte(project_copy):
    original = catalog_files(project_copy)
    extract_update(project_copy)
    first = catalog_files(project_copy)
    extract_update(project_copy)
    second = catalog_files(project_copy)
    assert second == first, f"second extract+update changed {sorted(k for k in first if first[k] != second.get(k))}"
    assert first == original, f"extract+update on the unchanged project changed {sorted(k for k in original if original[k] != first.get(k))}"


def test_extract_update_after_an_edit_is_stable(project_copy):
    """After a change to the source, a second extract+update has nothing left to do."""
    edited_project(project_copy)
    first = catalog_files(project_copy)
    extract_update(project_copy)
    second = catalog_files(project_copy)
    changed = sorted(k for k in first if first[k] != second.get(k))
    assert not changed, f"a second extract+update rewrote {changed}"


# --- files GNU gettext accepts ----------------------------------------------------


def test_written_catalogs_pass_msgfmt_check(project_copy):
    require("msgfmt")
    lines = md_lines(project_copy)
    paragraphs = plain_paragraphs(lines)
    lines[paragraphs[3]] = edit_a_few_words(lines[paragraphs[3]])  # becomes fuzzy, with a previous msgid
    del lines[paragraphs[5]]  # becomes obsolete
    lines.insert(paragraphs[1] + 1, "\nA brand new paragraph arrives for the translators, with 3 numbers and one **bold** word.")
    write_md(project_copy, lines)
    extract_update(project_copy)
    yaml_path = project_copy / "locales" / "locales.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8") + "  tr:\n    name: Turkish\n", encoding="utf-8")
    cli_ok(project_copy, "init-lang", "tr")
    failures = []
    for rel in catalog_files(project_copy):
        result = msgfmt_check(project_copy / rel)
        if result.returncode != 0:
            failures.append(f"{rel}:\n{result.stderr.strip()}")
    assert not failures, "msgfmt --check rejects:\n" + "\n".join(failures)


# --- headers -----------------------------------------------------------------------


def _check_headers(path: Path, locale: str) -> None:
    fields = header_fields(path)
    assert fields.get("Language") == locale, f"{path}: Language {fields.get('Language')!r}"
    assert fields.get("Content-Type", "").replace(" ", "").lower() == "text/plain;charset=utf-8", f"{path}: Content-Type {fields.get('Content-Type')!r}"
    if locale in NPLURALS:
        found = re.search(r"nplurals\s*=\s*(\d+)", fields.get("Plural-Forms", ""))
        assert found and int(found.group(1)) == NPLURALS[locale], f"{path}: Plural-Forms {fields.get('Plural-Forms')!r}"
        assert "plural=" in fields["Plural-Forms"]


def test_po_headers(project_copy):
    lines = md_lines(project_copy)
    index = plain_paragraphs(lines)[0]
    lines[index] = edit_a_few_words(lines[index])
    write_md(project_copy, lines)
    extract_update(project_copy)  # the issue catalogs are rewritten by update
    for locale in ("en", *TARGETS):
        pos = sorted((project_copy / "locales" / locale / "LC_MESSAGES").glob("*.po"))
        assert len(pos) == len(list((project_copy / "locales").glob("*.pot")))
        for path in pos:
            _check_headers(path, locale)


# --- locations and notes --------------------------------------------------------------


def _kind_of(line: str, section: str) -> str:
    stripped = line.strip()
    if line.startswith("title:"):
        return "title"
    if line.startswith("keywords:"):
        return "keyword"
    if re.match(r"#{1,6} ", line):
        return "heading"
    if re.match(r"[-*+] ", line):
        return "list-item"
    if stripped.startswith(">"):
        return "quote"
    if re.match(r"\d+\. ", line):
        return "reference" if "reference" in section.lower() else "recommendation"
    return "paragraph"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_locations_and_translator_notes(project_copy):
    # Shift every line below the introduction so that locations must be recomputed.
    lines = md_lines(project_copy)
    lines.insert(plain_paragraphs(lines)[0] + 1, "\nAn inserted paragraph moves everything below it by two lines.")
    write_md(project_copy, lines)
    extract_update(project_copy)
    lines = md_lines(project_copy)
    domain = issue_domain(project_copy)
    headings = [(i, re.sub(r"^#+\s+(\d+\.\s+)?", "", line).strip()) for i, line in enumerate(lines) if re.match(r"#{1,6} ", line)]
    files = [project_copy / "locales" / f"{domain}.pot"] + [po_file(project_copy, loc, domain) for loc in TARGETS]
    for path in files:
        catalog = read(path)
        checked = 0
        for message in catalog:
            if not message.id:
                continue
            assert message.locations, f"{path.name}: {message.id[:40]!r} has no #: location"
            for file, lineno in message.locations:
                assert file == ISSUE_FILE, f"{path.name}: location {file}:{lineno}"
                assert 1 <= lineno <= len(lines)
                source_line = lines[lineno - 1]
                assert message.id[:40] in source_line, f"{path.name}: #: {file}:{lineno} is {source_line[:60]!r}, not {message.id[:60]!r}"
            line_index = message.locations[0][1] - 1
            notes = " ".join(message.auto_comments)
            above = [title for i, title in headings if i < line_index]
            section = above[-1] if above else ""
            kind = _kind_of(lines[line_index], section)
            assert notes.startswith(kind + " "), f"{path.name}:{message.lineno}: #. {notes[:60]!r} does not name the kind {kind!r}"
            if kind not in ("title", "heading", "keyword"):
                assert section and _squash(section) in _squash(notes), f"{path.name}:{message.lineno}: #. {notes!r} does not name the section {section!r}"
            checked += 1
        assert checked == sum(1 for m in catalog if m.id)


# --- plurals ---------------------------------------------------------------------------


def test_layout_plural_entry_has_all_arabic_forms(project_copy):
    extract_update(project_copy)
    pot = project_copy / "locales" / "layout.pot"
    assert "\nmsgid_plural " in pot.read_text(encoding="utf-8")
    template_plurals = [m.id for m in read(pot) if m.id and m.pluralizable]
    assert template_plurals
    for locale in TARGETS:
        catalog = read(po_file(project_copy, locale, "layout"), locale)
        for ids in template_plurals:
            message = catalog.get(ids)
            assert message is not None and message.pluralizable
            assert len(message.string) == NPLURALS[locale], f"{locale}: {len(message.string)} forms for {ids[0]!r}"
            assert all(message.string), f"{locale}: an empty plural form for {ids[0]!r}"
        text = po_file(project_copy, locale, "layout").read_text(encoding="utf-8")
        assert f"msgstr[{NPLURALS[locale] - 1}] " in text
        assert f"msgstr[{NPLURALS[locale]}] " not in text


# --- an edited, a deleted, a new paragraph ------------------------------------------------


def test_edited_paragraph_becomes_fuzzy_keeping_its_translation(project_copy):
    old, new, before = edited_project(project_copy)
    domain = issue_domain(project_copy)
    for locale in TARGETS:
        path = po_file(project_copy, locale, domain)
        after = read(path, locale)
        old_translation = before[locale].get(old).string
        assert old_translation
        message = find_message(after, new)
        assert message is not None, f"{locale}: the new text is not in the catalog"
        assert message.fuzzy, f"{locale}: the edited unit is not fuzzy"
        assert message.string == old_translation, f"{locale}: the fuzzy entry does not carry this locale's old translation: {message.string[:60]!r}"
        assert old not in {m.id for m in after if m.id}, f"{locale}: the old text is still live"
        assert any(line.startswith("#| msgid") for line in entry_comments(path, message.lineno)), f"{locale}: no '#| msgid' above the fuzzy entry"
        # Every other translation is unchanged, and nothing else became fuzzy.
        old_map = {k: v for k, v in translations(before[locale]).items() if k != (old, None)}
        new_map = {k: v for k, v in translations(after).items() if k != (new, None)}
        assert new_map == old_map, f"{locale}: other translations changed"
        assert [m.id for m in after if m.id and m.fuzzy] == [new]


def test_previous_msgid_is_valid_po_and_matches_old_text(project_copy):
    old, new, _ = edited_project(project_copy)
    domain = issue_domain(project_copy)
    for locale in TARGETS:
        path = po_file(project_copy, locale, domain)
        message = find_message(read(path, locale), new)
        assert message is not None and message.fuzzy
        assert previous_msgid(entry_comments(path, message.lineno)) == old, f"{locale}: '#| msgid' is not the previous text"


def test_deleted_paragraph_goes_obsolete_and_comes_back_translated(project_copy):
    domain = issue_domain(project_copy)
    original_lines = md_lines(project_copy)
    index = plain_paragraphs(original_lines)[4]
    text = original_lines[index]
    before = {loc: read(po_file(project_copy, loc, domain), loc) for loc in TARGETS}

    lines = list(original_lines)
    del lines[index : index + 2]  # the paragraph and the blank line after it
    write_md(project_copy, lines)
    extract_update(project_copy)
    for locale in TARGETS:
        path = po_file(project_copy, locale, domain)
        catalog = read(path, locale)
        assert catalog.get(text) is None, f"{locale}: a deleted paragraph is still live"
        obsolete = catalog.obsolete.get(text)
        assert obsolete is not None, f"{locale}: the deleted paragraph is not kept as obsolete"
        assert obsolete.string == before[locale].get(text).string
        assert "\n#~ msgid " in path.read_text(encoding="utf-8")

    write_md(project_copy, original_lines)
    extract_update(project_copy)
    for locale in TARGETS:
        catalog = read(po_file(project_copy, locale, domain), locale)
        message = catalog.get(text)
        assert message is not None, f"{locale}: the restored paragraph is not live"
        assert not message.fuzzy, f"{locale}: the restored paragraph is fuzzy"
        assert message.string == before[locale].get(text).string
        assert text not in catalog.obsolete
        assert translations(catalog) == translations(before[locale])


def test_new_paragraph_is_untranslated_and_status_reports_it(project_copy):
    domain = issue_domain(project_copy)
    lines = md_lines(project_copy)
    new = "A brand new paragraph that no translator has seen yet, added at the last minute by the editors."
    lines.insert(plain_paragraphs(lines)[2] + 1, "\n" + new)
    write_md(project_copy, lines)
    extract_update(project_copy)
    for locale in TARGETS:
        message = read(po_file(project_copy, locale, domain), locale).get(new)
        assert message is not None and not message.string and not message.fuzzy

    rows = json.loads(cli_ok(project_copy, "status", "--json").stdout)
    by_key = {(r["locale"], r["domain"]): r for r in rows}
    ps = by_key[("ps", domain)]
    assert ps["untranslated"] == 1
    assert ps["fuzzy"] == 0
    assert ps["translated"] == ps["total"] - 1
    assert ps["percent"] < 100
    assert by_key[("ps", "layout")]["percent"] == 100

    table = cli_ok(project_copy, "status").stdout
    row = next(line for line in table.splitlines() if line.split()[:2] == ["ps", domain])
    assert f"{ps['percent']:.1f}%" in row, row
    assert f"{ps['translated']}/{ps['total']}" in row


def test_status_is_complete_on_the_unchanged_project(project_copy):
    rows = json.loads(cli_ok(project_copy, "status", "--json").stdout)
    targets = [r for r in rows if r["locale"] in TARGETS]
    assert {r["locale"] for r in targets} == set(TARGETS)
    source = [r for r in rows if r["source"]]
    assert source, rows
    for row in source:  # the source language: complete, and its counts say so
        assert row["percent"] == 100 and row["translated"] == row["total"] > 0 and row["untranslated"] == 0 and row["fuzzy"] == 0, row
    for row in targets:
        assert row["percent"] == 100, row
        assert row["untranslated"] == 0 and row["fuzzy"] == 0, row
    table = cli_ok(project_copy, "status").stdout
    for locale in TARGETS:
        locale_rows = [line for line in table.splitlines() if line.split()[:1] == [locale]]
        assert locale_rows and all("100.0%" in line for line in locale_rows), locale_rows


# --- a new language -----------------------------------------------------------------------


def test_init_lang_new_locale(project_copy):
    yaml_path = project_copy / "locales" / "locales.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8") + "  tr:\n    name: Turkish\n", encoding="utf-8")
    result = cli_ok(project_copy, "init-lang", "tr")
    templates = sorted((project_copy / "locales").glob("*.pot"))
    made = sorted((project_copy / "locales" / "tr" / "LC_MESSAGES").glob("*.po"))
    assert [p.stem for p in made] == sorted(p.stem for p in templates)
    for path in made:
        assert path.relative_to(project_copy).as_posix() in result.stdout
        fields = header_fields(path)
        assert fields["Language"] == "tr"
        assert re.search(r"nplurals\s*=\s*2\b", fields["Plural-Forms"])
        assert fields["Content-Type"].replace(" ", "").lower() == "text/plain;charset=utf-8"
        assert "Turkish" in fields.get("Language-Team", "")
        catalog = read(path, "tr")
        template = read(project_copy / "locales" / f"{path.stem}.pot")
        assert {m.id for m in catalog if m.id} == {m.id for m in template if m.id}
        assert not any(m.string if isinstance(m.string, str) else any(m.string) for m in catalog if m.id)
        if shutil.which("msgfmt"):
            check = msgfmt_check(path)
            assert check.returncode == 0, check.stderr
    status = {(r["locale"], r["domain"]): r for r in json.loads(cli_ok(project_copy, "status", "--json", "--lang", "tr").stdout)}
    assert all(r["percent"] == 0 for r in status.values())


def test_init_lang_existing_locale_is_a_usage_error(project_copy):
    before = catalog_files(project_copy)
    result = cli(project_copy, "init-lang", "ps")
    assert result.returncode == 2, result
    assert result.stderr.strip() and len(result.stderr.strip().splitlines()) == 1
    assert catalog_files(project_copy) == before


# --- compile --------------------------------------------------------------------------------


def test_compile_writes_readable_mo(project_copy):
    domain = issue_domain(project_copy)
    cli_ok(project_copy, "compile")
    for locale in TARGETS:
        for dom in ("layout", domain):
            po = po_file(project_copy, locale, dom)
            mo = po.with_suffix(".mo")
            assert mo.exists(), f"{mo} not written"
            with open(mo, "rb") as handle:
                gnu = gettext.GNUTranslations(handle)
            catalog = read(po, locale)
            singles = [m for m in catalog if m.id and not m.pluralizable and not m.context and m.string and not m.fuzzy]
            assert singles
            for message in (singles[0], singles[len(singles) // 2], singles[-1]):
                assert gnu.gettext(message.id) == message.string
            if msgunfmt := shutil.which("msgunfmt"):
                dumped = subprocess.run([msgunfmt, str(mo)], capture_output=True, text=True, check=True).stdout
                back = read_po(iter(dumped.splitlines()))
                assert back.get(singles[0].id).string == singles[0].string
    # Arabic's dual: the plural formula of the header picks form 2 for n == 2.
    layout = read(po_file(project_copy, "ar", "layout"), "ar")
    plural = next(m for m in layout if m.id and m.pluralizable)
    with open(po_file(project_copy, "ar", "layout").with_suffix(".mo"), "rb") as handle:
        gnu = gettext.GNUTranslations(handle)
    assert gnu.ngettext(plural.id[0], plural.id[1], 2) == plural.string[2]
    assert gnu.ngettext(plural.id[0], plural.id[1], 1) == plural.string[1]


def test_compile_leaves_fuzzy_out(project_copy):
    _, new, _ = edited_project(project_copy)
    domain = issue_domain(project_copy)
    cli_ok(project_copy, "compile", "--lang", "ps")
    with open(po_file(project_copy, "ps", domain).with_suffix(".mo"), "rb") as handle:
        gnu = gettext.GNUTranslations(handle)
    assert gnu.gettext(new) == new


# --- catalogs rewritten by another tool --------------------------------------------------------


@pytest.fixture(scope="module")
def baseline_ps_text(tmp_path_factory) -> str:
    """The text of the Pashto edition built from an untouched copy of the project."""
    project = tmp_path_factory.mktemp("baseline")
    for name in ("issues", "locales", "layouts"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("*.mo"))
    out = project / "out"
    result = run_cli("build", "issues/455", "--lang", "ps", "--out", str(out), cwd=project)
    assert result.returncode == 0, result.stderr
    return pdftotext(pdf_path(out, "ps"))


@pytest.mark.parametrize("wrapping", [["--width=40"], ["--no-wrap"]], ids=["width40", "no-wrap"])
def test_catalog_rewrapped_by_msgcat_still_builds(project_copy, tmp_path, wrapping, baseline_ps_text):
    msgcat = require("msgcat")
    domain = issue_domain(project_copy)
    before = {}
    for dom in ("layout", domain):
        path = po_file(project_copy, "ps", dom)
        before[dom] = translations(read(path, "ps"))
        subprocess.run([msgcat, *wrapping, "-o", str(path), str(path)], check=True, capture_output=True)
        assert translations(read(path, "ps")) == before[dom]
    status = json.loads(cli_ok(project_copy, "status", "--json", "--lang", "ps").stdout)
    assert all(r["percent"] == 100 for r in status)
    out = tmp_path / "out"
    result = cli(project_copy, "build", "issues/455", "--lang", "ps", "--out", str(out))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    editions = manifest["editions"]
    assert sorted(e["variant"] for e in editions) == ["print", "screen"]
    assert all(e["ok"] and e["coverage"] == 100 for e in editions)
    assert pdftotext(pdf_path(out, "ps")) == baseline_ps_text


# --- the Babel extractor -------------------------------------------------------------------------


def _extractor_env(tmp_path: Path) -> dict:
    """Make the entry point declared in pyproject.toml visible to pybabel, installed or not."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]["babel.extractors"]
    assert "weekly_issue" in declared
    from importlib.metadata import entry_points

    if any(ep.name == "weekly_issue" for ep in entry_points(group="babel.extractors")):
        return {}
    # Not installed in this environment: expose pyproject's declaration as a distribution on the path.
    site = tmp_path / "site"
    info = site / "publisher_entry_points-0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: publisher-entry-points\nVersion: 0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[babel.extractors]\n" + "".join(f"{k} = {v}\n" for k, v in declared.items()), encoding="utf-8")
    return {"PYTHONPATH": f"{ROOT}:{site}"}


def test_pybabel_extract_through_entry_point(project_copy, tmp_path):
    pybabel = Path(sys.executable).parent / "pybabel"
    if not pybabel.exists():
        pytest.skip("pybabel is not installed beside this Python")
    (project_copy / "mapping.cfg").write_text("[weekly_issue: issues/**/issue.md]\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), **_extractor_env(tmp_path)}
    result = subprocess.run([str(pybabel), "extract", "-F", "mapping.cfg", "-o", "out.pot", "."], cwd=project_copy, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    pot = read(project_copy / "out.pot")
    ids = {m.id for m in pot if m.id}
    front = yaml.safe_load((project_copy / ISSUE_MD).read_text(encoding="utf-8").split("---")[1])
    assert front["title"] in ids
    lines = md_lines(project_copy)
    for index in plain_paragraphs(lines):
        assert lines[index].strip() in ids, f"paragraph at line {index + 1} missing from pybabel's POT"
    # The same messages as 'publisher extract'.
    cli_ok(project_copy, "extract")
    ours = {m.id for m in read(project_copy / "locales" / f"{issue_domain(project_copy)}.pot") if m.id}
    assert ids == ours
    for message in pot:
        if message.id:
            for file, lineno in message.locations:
                assert file == ISSUE_FILE and message.id[:40] in lines[lineno - 1]


# --- broken catalogs: one line naming file:line ----------------------------------------------------


def _replace_line(path: Path, predicate, transform) -> int:
    """Apply ``transform`` to the first line matching ``predicate``; return its 1-based number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if predicate(line))
    lines[index : index + 1] = transform(lines[index]).split("\n")
    path.write_text("\n".join(lines), encoding="utf-8")
    return index + 1


def _set_plural_forms(path: Path, value: str) -> int:
    """Rewrite the header's Plural-Forms (however wrapped) as one line; return that line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith('"Plural-Forms:'))
    end = start
    while not lines[end].endswith('\\n"'):
        end += 1
    lines[start : end + 1] = [f'"Plural-Forms: {value}\\n"']
    path.write_text("\n".join(lines), encoding="utf-8")
    return start + 1


def _misspelt_keyword(project: Path) -> tuple[str, tuple[int, int]]:
    path = po_file(project, "ar", issue_domain(project))
    line = _replace_line(path, lambda s: s.startswith('msgstr "') and s != 'msgstr ""', lambda s: "msgstrr" + s[len("msgstr") :])
    return path.name, (line, line)


def _unterminated_string(project: Path) -> tuple[str, tuple[int, int]]:
    path = po_file(project, "ar", issue_domain(project))
    line = _replace_line(path, lambda s: s.startswith('msgstr "') and s != 'msgstr ""', lambda s: s[:-1])
    return path.name, (line, line)


def _duplicate_msgid(project: Path) -> tuple[str, tuple[int, int]]:
    path = po_file(project, "ar", issue_domain(project))
    catalog = read(path, "ar")
    message = next(m for m in catalog if m.id and len(m.id) < 60 and m.string and not re.search(r'["\\]', m.id + m.string))
    text = path.read_text(encoding="utf-8").rstrip("\n")
    line = text.count("\n") + 3
    path.write_text(text + f'\n\nmsgid "{message.id}"\nmsgstr "{message.string}"\n', encoding="utf-8")
    return path.name, (line, line)


def _wrong_plural_forms_issue(project: Path) -> tuple[str, tuple[int, int]]:
    path = po_file(project, "ar", issue_domain(project))
    line = _set_plural_forms(path, "nplurals=2; plural=(n != 1);")
    return path.name, (line, line)


def _wrong_plural_forms_layout(project: Path) -> tuple[str, tuple[int, int]]:
    path = po_file(project, "ar", "layout")
    line = _set_plural_forms(path, "nplurals=2; plural=(n != 1);")
    return path.name, (line, line)


def _missing_plural_form(project: Path) -> tuple[str, tuple[int, int]]:
    path = po_file(project, "ar", "layout")
    message = next(m for m in read(path, "ar") if m.id and m.pluralizable)
    span = entry_span(path, message.lineno)
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(line for line in lines if not line.startswith("msgstr[5] ")), encoding="utf-8")
    assert "msgstr[4] " in path.read_text(encoding="utf-8")
    return path.name, (span[0], span[1] - 1)


def _empty_plural_form(project: Path) -> tuple[str, tuple[int, int]]:
    path = po_file(project, "ar", "layout")
    message = next(m for m in read(path, "ar") if m.id and m.pluralizable)
    span = entry_span(path, message.lineno)
    _replace_line(path, lambda s: s.startswith("msgstr[3] "), lambda s: 'msgstr[3] ""')
    return path.name, span


DEFECTS = {
    "misspelt-keyword": _misspelt_keyword,
    "unterminated-string": _unterminated_string,
    "duplicate-msgid": _duplicate_msgid,
    "wrong-plural-forms": _wrong_plural_forms_issue,
    "wrong-plural-forms-with-plural-entry": _wrong_plural_forms_layout,
    "missing-plural-form": _missing_plural_form,
    "empty-plural-form": _empty_plural_form,
}


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("defect", list(DEFECTS))
def test_broken_catalog_is_one_line_naming_file_and_line(project_copy, tmp_path, defect, command):
    name, (first, last) = DEFECTS[defect](project_copy)
    rel = f"locales/ar/LC_MESSAGES/{name}"
    if command == "build":
        result = cli(project_copy, "build", "issues/455", "--lang", "ar", "--out", str(tmp_path / "out"))
    else:
        result = cli(project_copy, "check")
    output = result.stdout + result.stderr
    assert result.returncode == 1, f"exit {result.returncode}:\n{output}"
    assert "Traceback" not in output
    named = [line for line in output.splitlines() if rel in line]
    assert len(named) == 1, f"expected one line naming {rel}:\n{output}"
    match = re.search(re.escape(rel) + r":(\d+):", named[0])
    assert match, f"no file:line in {named[0]!r}"
    reported = int(match.group(1))
    assert first <= reported <= last, f"{defect}: reported line {reported}, the defect is at {first}–{last}: {named[0]}"
    if defect.startswith("wrong-plural-forms"):
        assert "Plural-Forms" in named[0] or "nplurals" in named[0], named[0]


# --- concurrent edits ------------------------------------------------------------------------------


def test_update_does_not_overwrite_a_catalog_saved_during_the_merge(project_copy, monkeypatch):
    from publisher.catalogs import store
    from publisher.config import load_project
    from publisher.errors import PublisherError

    lines = md_lines(project_copy)
    index = plain_paragraphs(lines)[3]
    lines[index] = edit_a_few_words(lines[index])
    write_md(project_copy, lines)
    cli_ok(project_copy, "extract")

    project = load_project(project_copy)
    domain = issue_domain(project_copy)
    target = po_file(project_copy, "ps", domain)
    saved = target.read_bytes().replace(b"#. paragraph", b"# Reviewed by the Pashto desk.\n#. paragraph", 1)
    assert saved != target.read_bytes()
    real_merge = store.merge
    calls = []

    def merge_while_translator_saves(catalog, template):
        if catalog.domain == domain and str(catalog.locale) == "ps":
            target.write_bytes(saved)  # the translator's editor saves now
            calls.append("saved")
        return real_merge(catalog, template)

    monkeypatch.setattr(store, "merge", merge_while_translator_saves)
    with pytest.raises(PublisherError) as info:
        store.update(project, project.targets)
    assert calls == ["saved"]
    assert "ps" in str(info.value) and domain in str(info.value)
    assert target.read_bytes() == saved, "the translator's save was overwritten"

    # Run again (nobody saving): the translator's work survives the merge.
    monkeypatch.setattr(store, "merge", real_merge)
    store.update(project, project.targets)
    catalog = read(target, "ps")
    assert any("Reviewed by the Pashto desk." in c for m in catalog for c in m.user_comments)


# --- round trips through GNU tools (msgcat, msgmerge: what Poedit and Weblate write) -------------


def _git_like_diff(before: dict, after: dict) -> dict[str, int]:
    """Changed lines per file, as ``git diff --stat`` would count them."""
    import difflib

    changed = {}
    for name in before:
        a = before[name].decode("utf-8").splitlines()
        b = after[name].decode("utf-8").splitlines()
        count = sum(1 for line in difflib.unified_diff(a, b, lineterm="", n=0) if line[:1] in "+-" and not line.startswith(("+++", "---")))
        if count:
            changed[name] = count
    return changed


@pytest.mark.parametrize("tool", [["msgcat"], ["msgcat", "--width=79"], ["msgattrib"]])
def test_a_catalog_saved_by_gnu_tools_then_updated_changes_no_line(project_copy, tool):
    require("msgcat")
    for path in sorted((project_copy / "locales").glob("*/LC_MESSAGES/*.po")):
        subprocess.run([*tool, str(path), "-o", str(path)], check=True, capture_output=True)
    saved = catalog_files(project_copy)
    extract_update(project_copy)
    after = catalog_files(project_copy)
    assert _git_like_diff(saved, after) == {}


def test_an_updated_catalog_saved_by_msgcat_changes_no_line(project_copy):
    require("msgcat")
    extract_update(project_copy)
    ours = catalog_files(project_copy)
    for path in sorted((project_copy / "locales").glob("*/LC_MESSAGES/*.po")):
        subprocess.run(["msgcat", str(path), "-o", str(path)], check=True, capture_output=True)
    assert _git_like_diff(ours, catalog_files(project_copy)) == {}


def test_an_edited_message_is_laid_out_as_msgcat_lays_it_out(project_copy):
    """A fuzzy entry with a previous msgid, long lines, escapes and format directives: still byte-equal to msgcat."""
    require("msgcat")
    edited_project(project_copy)
    ours = catalog_files(project_copy)
    for path in sorted((project_copy / "locales").glob("*/LC_MESSAGES/*.po")):
        subprocess.run(["msgcat", str(path), "-o", str(path)], check=True, capture_output=True)
    assert _git_like_diff(ours, catalog_files(project_copy)) == {}


def test_update_keeps_header_fields_it_does_not_know(project_copy):
    """Poedit keeps its settings in X-Poedit-* fields and writes X-Generator: update keeps them, in place."""
    path = next(p for p in (project_copy / "locales").glob("ps/LC_MESSAGES/*.po"))
    text = path.read_text(encoding="utf-8")
    poedit = '"X-Generator: Poedit 3.4.2\\n"\n"X-Poedit-SourceCharset: UTF-8\\n"\n"X-Poedit-Basepath: ../../..\\n"\n'
    text = text.replace('"MIME-Version: 1.0\\n"\n', poedit + '"MIME-Version: 1.0\\n"\n', 1)
    path.write_text(text, encoding="utf-8")
    extract_update(project_copy)
    after = path.read_text(encoding="utf-8")
    assert poedit + '"MIME-Version: 1.0\\n"' in after


# --- undo ------------------------------------------------------------------------------------------


def test_an_edit_undone_restores_the_translation_as_reviewed(project_copy):
    """Edit a paragraph, update, undo the edit, update: the translation is back, not fuzzy, no '#|', no leftovers."""
    original = md_lines(project_copy)
    domain = issue_domain(project_copy)
    files_before = catalog_files(project_copy)
    old, new, before = edited_project(project_copy)
    write_md(project_copy, original)
    extract_update(project_copy)
    for locale in TARGETS:
        path = po_file(project_copy, locale, domain)
        catalog = read(path, locale)
        message = catalog.get(old)
        assert message is not None and message.string == before[locale].get(old).string, locale
        assert not message.fuzzy, f"{locale}: the paragraph whose edit was undone is still fuzzy"
        assert not any(line.startswith("#|") for line in entry_comments(path, message.lineno)), f"{locale}: the temporary wording is left in '#|'"
        assert new not in catalog.obsolete, f"{locale}: the temporary wording is left obsolete"
        assert translations(catalog) == translations(before[locale])

    def without_dates(files: dict[str, bytes]) -> dict[str, list[bytes]]:
        return {k: [line for line in v.split(b"\n") if b"-Date: " not in line] for k, v in files.items()}

    assert without_dates(catalog_files(project_copy)) == without_dates(files_before), "the undo left the catalogs different"


def test_update_purge_obsolete_drops_them(project_copy):
    domain = issue_domain(project_copy)
    lines = md_lines(project_copy)
    index = plain_paragraphs(lines)[4]
    del lines[index : index + 2]
    write_md(project_copy, lines)
    extract_update(project_copy)
    path = po_file(project_copy, "ps", domain)
    assert "\n#~ msgid " in path.read_text(encoding="utf-8")
    cli_ok(project_copy, "update", "--purge-obsolete")
    assert "#~" not in path.read_text(encoding="utf-8")
    assert not read(path, "ps").obsolete


@pytest.mark.parametrize("breaker", ["libunistring", "uniseg"])
def test_both_line_breakers_lay_out_every_catalog_as_msgcat(breaker, monkeypatch, tmp_path):
    """GNU's own libunistring where it is installed, uniseg where not: the same bytes as msgcat either way."""
    require("msgcat")
    from publisher.catalogs import gnu_wrap, pofile

    if breaker == "uniseg":
        monkeypatch.setattr(gnu_wrap, "_libunistring", lambda: None)
    elif gnu_wrap._libunistring() is None:
        pytest.skip("libunistring is not installed (GNU gettext depends on it)")
    for path in sorted((ROOT / "locales").glob("ar/LC_MESSAGES/*.po")):  # Arabic: six plural forms, long lines
        with path.open("rb") as handle:
            ours = pofile.dumps(read_po(handle))
        written = tmp_path / path.name
        written.write_bytes(ours)
        theirs = subprocess.run(["msgcat", str(written), "-o", "-"], check=True, capture_output=True).stdout
        assert ours == theirs, path
