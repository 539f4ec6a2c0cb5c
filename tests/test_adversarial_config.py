"""Hostile or broken configuration and catalogs (issue 11 items 4, 5, 9, 10, 12–14, 17): one line, no traceback, nothing lost.

Each case changes one file of a project copy as a careless or hostile editor
would, runs the command, and checks the exit code, the one ``file:line:``
message (or the warning, where the build goes on in the source language),
and that no output was written or lost. Builds use ``--format html`` where no
PDF is needed, to stay fast.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import run_cli
from test_security import assert_one_line_error, build, entry_lines, set_translation

LOCALES_YAML = "locales/locales.yaml"
LAYOUT_YAML = "layouts/weekly-analysis/layout.yaml"
SERIES_YAML = "layouts/weekly-analysis/series.yaml"
CALENDARS_YAML = "layouts/weekly-analysis/calendars.yaml"
AR_LAYOUT = "locales/ar/LC_MESSAGES/layout.po"
AR_ISSUE = "locales/ar/LC_MESSAGES/weekly-analysis-455.po"


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line of ``path`` holding ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def entry_prefixes(path: Path, display: str, msgid: str) -> tuple[str, ...]:
    """``display:N: `` for every line of the PO entry of ``msgid`` (its comments to its msgstr)."""
    return tuple(f"{display}:{n}: " for n in entry_lines(path, msgid))


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def html_build(project: Path, out: Path, *args: str, lang: str = "en"):
    return build(project, out, "--format", "html", *args, lang=lang)


def no_editions(out: Path) -> bool:
    return not out.exists() or not [p for p in out.iterdir() if p.suffix in (".pdf", ".html")]


# --- item 9: configuration typos ----------------------------------------------------------------

# (file, old text, new text, the key the error must name, the text on the line it must point at)
CONFIG_CASES = {
    "aliases-a-number": (LOCALES_YAML, "aliases: [prs, fa-AF, fa_af]", "aliases: 5", "locales.fa_AF.aliases", "aliases: 5"),
    "locale-entry-a-list": (LOCALES_YAML, "  ar:\n    name: Arabic", "  ar: [name, Arabic]", "locales.ar", "ar: [name"),
    "locale-a-number": (LOCALES_YAML, "  en:\n    name: English\n    tag: en-US", "  en: 5", "locales.en", "en: 5"),
    "locale-unknown-key": (LOCALES_YAML, "    name: Pashto", "    nmae: Pashto", "locales.ps.nmae", "nmae"),
    "locales-a-list": (LOCALES_YAML, "locales:\n  en:\n    name: English", "locales:\n  - en\nother:\n  en:\n    name: English", "locales", "locales:"),
    "digits-a-list": (LAYOUT_YAML, "    digits: arabext", "    digits: [latn]", "locales.ps.digits", "digits: [latn]"),
    "digits-unknown": (LAYOUT_YAML, "    digits: arab\n", "    digits: roman\n", "locales.ar.digits", "digits: roman"),
    "contents-depth-a-word": (LAYOUT_YAML, "contents_depth: 1", "contents_depth: deep", "contents_depth", "contents_depth: deep"),
    "shrink-a-word": (LAYOUT_YAML, "  shrink: 30%", "  shrink: lots", "vertical_justify.shrink", "shrink: lots"),
    "stretch-past-double": (LAYOUT_YAML, "  stretch: 150%", "  stretch: 300%", "vertical_justify.stretch", "stretch: 300%"),
    "fill-unknown": (LAYOUT_YAML, "  fill: notes", "  fill: maybe", "print.fill", "fill: maybe"),
    "words-per-minute-zero": (LAYOUT_YAML, "words_per_minute: 200", "words_per_minute: 0", "words_per_minute", "words_per_minute: 0"),
    "calendar-unknown": (LAYOUT_YAML, "    calendars: [gregorian]\n    hyphenate: false", "    calendars: [julian]\n    hyphenate: false", "locales.ar.calendars.0", "calendars: [julian]"),
    "font-without-family": (LAYOUT_YAML, 'body: {package: amiri, family: "Amiri"}', "body: {package: amiri}", "fonts.arabic.body.family", "body: {package: amiri}"),
    "script-without-fonts": (LAYOUT_YAML, "    script: arabic\n    digits: arab\n", "    script: hebrew\n    digits: arab\n", "locales.ar.script", "script: hebrew"),
    "hyphenate-a-word": (LAYOUT_YAML, "    hyphenate: true\n  ps:", "    hyphenate: maybe\n  ps:", "locales.en.hyphenate", "hyphenate: maybe"),
    "key-given-twice": (LAYOUT_YAML, "words_per_minute: 200", "words_per_minute: 200\nwords_per_minute: 100", "words_per_minute", "words_per_minute: 100"),
    "alias-in-config": (LAYOUT_YAML, "words_per_minute: 200", "words_per_minute: &w 200\nreading: *w", "aliases", "reading: *w"),
    "series-text-a-list": (SERIES_YAML, 'text:\n  series_name: "Weekly Analysis"', 'text:\n  - "Weekly Analysis"\nold:\n  series_name: "Weekly Analysis"', "text", "text:"),
    "calendar-entry-a-list": (CALENDARS_YAML, "solar-hijri:\n  months:", "solar-hijri:\n  - months:", "solar-hijri", "solar-hijri:"),
    "calendar-months-short": (CALENDARS_YAML, "Dalw, Hut]", "Dalw]", "solar-hijri.months", "months:"),
}


@pytest.mark.parametrize("case", CONFIG_CASES)
def test_configuration_typo_is_one_line_at_its_key(project_copy: Path, tmp_path: Path, case: str) -> None:
    file, old, new, key, on_line = CONFIG_CASES[case]
    path = project_copy / file
    replace(path, old, new)
    before = path.read_bytes()
    out = tmp_path / "out"
    line = assert_one_line_error(html_build(project_copy, out))
    assert line.startswith(f"{file}:{line_of(path, on_line)}: "), line
    assert key in line, line
    assert no_editions(out), "an edition was written despite the configuration error"
    assert path.read_bytes() == before


@pytest.mark.parametrize("command", [["check"], ["status"], ["update"], ["compile"]])
def test_configuration_typo_stops_every_command(project_copy: Path, command: list[str]) -> None:
    replace(project_copy / LOCALES_YAML, "aliases: [prs, fa-AF, fa_af]", "aliases: {a: 1}")
    line = assert_one_line_error(run_cli(*command, cwd=project_copy))
    assert line.startswith(f"{LOCALES_YAML}:{line_of(project_copy / LOCALES_YAML, 'aliases:')}: locales.fa_AF.aliases"), line


def test_binary_locales_yaml(project_copy: Path, tmp_path: Path) -> None:
    (project_copy / LOCALES_YAML).write_bytes(b"source: en\nlocales:\n  en: {}\n\x89PNG\r\n\x1a\n\xff\xfe\x00\x00")
    line = assert_one_line_error(html_build(project_copy, tmp_path / "out"))
    assert line.startswith(f"{LOCALES_YAML}:4: ") and "UTF-8" in line, line


def test_empty_locales_yaml(project_copy: Path, tmp_path: Path) -> None:
    (project_copy / LOCALES_YAML).write_text("# nothing yet\n", encoding="utf-8")
    line = assert_one_line_error(html_build(project_copy, tmp_path / "out"))
    assert line.startswith(f"{LOCALES_YAML}:1: ") and "locales" in line, line


# --- items 4 and 12: layout translations the layout cannot format -------------------------------

FORMAT_CASES = {
    "unknown-placeholder": "العدد %(evil)s",
    "lone-percent": "العدد 100%",
    "positional-d": "العدد %d",
    "jinja-tag": "العدد {% for %}",
    "positional-s": "العدد %s",
    "placeholder-dropped": "العدد",
    "number-as-d": "العدد %(number)d",
}


@pytest.mark.parametrize("case", FORMAT_CASES)
def test_layout_translation_that_cannot_be_formatted(project_copy: Path, tmp_path: Path, case: str) -> None:
    po = project_copy / AR_LAYOUT
    set_translation(po, "Issue %(number)s", FORMAT_CASES[case])
    where = entry_prefixes(po, AR_LAYOUT, "Issue %(number)s")
    out = tmp_path / "out"
    result = run_cli("build", "issues/455", "--lang", "ar", "--format", "html", "--out", str(out), cwd=project_copy)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    warned = [row.strip().removeprefix("warning: ") for row in result.stderr.splitlines() if ": ar: format: " in row]
    assert len(warned) == 1 and warned[0].startswith(where), result.stderr
    html = (out / "weekly-analysis-455-ar.html").read_text(encoding="utf-8")
    head = re.search(r'class="rh-issue"[^>]*>([^<]*)<', html).group(1)
    assert head == "Issue ٤٥٥", f"running head {head!r}: not the English message with the edition's digits"
    assert "{'number'" not in html and "{&#39;number" not in html
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert warned[0] in manifest["editions"][0]["warnings"]
    # --strict fails the edition, at the same entry; check keeps finding it.
    strict = assert_one_line_error(html_build(project_copy, tmp_path / "strict", "--strict", lang="ar"))
    assert any(f"(first: {prefix}" in strict for prefix in where), strict
    assert no_editions(tmp_path / "strict")
    check = run_cli("check", "--lang", "ar", cwd=project_copy)
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert [row for row in check.stdout.splitlines() if row.startswith(where)], check.stdout


def test_percent_in_a_message_without_placeholders(project_copy: Path, tmp_path: Path) -> None:
    po = project_copy / AR_LAYOUT
    set_translation(po, "Contact Us", "تواصل معنا 100%")
    where = entry_prefixes(po, AR_LAYOUT, "Contact Us")
    check = run_cli("check", "--lang", "ar", cwd=project_copy)
    assert check.returncode == 1
    assert any(f"{prefix}ar: format: " in check.stdout for prefix in where), check.stdout
    out = tmp_path / "out"
    result = run_cli("build", "issues/455", "--lang", "ar", "--format", "html", "--out", str(out), cwd=project_copy)
    assert result.returncode == 0 and any(f"{prefix}ar: format: " in result.stderr for prefix in where), result.stderr
    assert "Contact Us" in (out / "weekly-analysis-455-ar.html").read_text(encoding="utf-8")


def test_percent_kept_as_percent_percent_is_fine(project_copy: Path, tmp_path: Path) -> None:
    set_translation(project_copy / AR_LAYOUT, "Contact Us", "تواصل معنا 100%%")
    check = run_cli("check", "--lang", "ar", cwd=project_copy)
    assert check.returncode == 0, check.stdout
    out = tmp_path / "out"
    result = html_build(project_copy, out, "--strict", lang="ar")
    assert result.returncode == 0, result.stderr
    assert "تواصل معنا 100%<" in (out / "weekly-analysis-455-ar.html").read_text(encoding="utf-8")


# --- item 5: a broken Plural-Forms rule -----------------------------------------------------------


@pytest.mark.parametrize("command", [["check", "--lang", "ps"], ["status", "--lang", "ps"], ["compile", "--lang", "ps"], ["update", "--lang", "ps"], ["build"]])
def test_broken_plural_forms_rule_is_named_at_the_header(project_copy: Path, tmp_path: Path, command: list[str]) -> None:
    po = project_copy / "locales/ps/LC_MESSAGES/layout.po"
    replace(po, "plural=(n != 1);", "plural=(n ==== 0 ? 1 : 2);")
    before = po.read_bytes()
    where = f"locales/ps/LC_MESSAGES/layout.po:{line_of(po, 'Plural-Forms')}: "
    if command == ["build"]:
        result = html_build(project_copy, tmp_path / "out", lang="ps")
        assert no_editions(tmp_path / "out")
    else:
        result = run_cli(*command, cwd=project_copy)
    if command[0] == "check":
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        rows = result.stdout.strip().splitlines()
        assert len(rows) == 1 and rows[0].startswith(where) and "Plural-Forms" in rows[0], result.stdout
    else:
        line = assert_one_line_error(result)
        assert line.startswith(where) and "plural expression" in line, line
    assert po.read_bytes() == before
    assert not (po.with_suffix(".mo")).exists()


def test_arabic_plural_forms_wrapped_over_lines_are_valid(project_copy: Path) -> None:
    text = (project_copy / AR_LAYOUT).read_text(encoding="utf-8")
    assert re.search(r'^"Plural-Forms: nplurals=6; plural=\(n == 0 [^\n]*[^n]"\n"', text, re.M), "the header is no longer wrapped: this test tests nothing"
    result = run_cli("status", "--lang", "ar", cwd=project_copy)
    assert result.returncode == 0, result.stderr


# --- item 10: the build lock is a folder ----------------------------------------------------------


def test_lock_that_is_a_folder_stops_the_build_before_anything_is_written(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / ".publisher.lock").mkdir(parents=True)
    line = assert_one_line_error(html_build(project_copy, out, lang="en,ar"))
    assert line.startswith(f"{out / '.publisher.lock'}: "), line
    assert sorted(p.name for p in out.iterdir()) == [".publisher.lock"], "something was written"


# --- item 13: a catalog cut off inside a multi-line msgstr ----------------------------------------


def test_catalog_cut_off_inside_a_msgstr_is_flagged(project_copy: Path, tmp_path: Path) -> None:
    po = project_copy / AR_ISSUE
    lines = po.read_text(encoding="utf-8").split("\n")
    # The first long multi-line msgstr after the header: keep its first line of text only.
    at = next(i for i, line in enumerate(lines) if i > 20 and line == 'msgstr ""' and len(lines[i + 1]) > 40 and lines[i + 3].startswith('"'))
    msgid_line = max(i for i in range(at) if lines[i].startswith("msgid ")) + 1
    po.write_text("\n".join(lines[: at + 2]) + "\n", encoding="utf-8")
    check = run_cli("check", "--lang", "ar", cwd=project_copy)
    assert "Traceback" not in check.stderr
    where = tuple(f"{AR_ISSUE}:{n}: ar: short: " for n in range(msgid_line, at + 2))
    assert any(prefix in check.stdout for prefix in where), check.stdout
    out = tmp_path / "out"
    result = run_cli("build", "issues/455", "--lang", "ar", "--format", "html", "--out", str(out), cwd=project_copy)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    warnings = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["editions"][0]["warnings"]
    assert warnings[0].startswith(where), warnings[:3]
    assert f"warning: {warnings[0]}" in result.stderr, "the cut translation is not among the warnings printed"


def test_complete_catalogs_have_no_short_translations(project_copy: Path) -> None:
    check = run_cli("check", cwd=project_copy)
    assert check.returncode == 0 and ": short: " not in check.stdout, check.stdout


# --- item 14: control characters from PO escapes --------------------------------------------------

CONTROLS = {"bell": "\a", "backspace": "\b", "escape": "\x1b", "form-feed": "\f", "delete": "\x7f", "c1": "\x85"}


@pytest.mark.parametrize("name", CONTROLS)
@pytest.mark.parametrize("catalog", ["issue", "layout"])
def test_control_character_in_a_translation_is_refused(project_copy: Path, tmp_path: Path, name: str, catalog: str) -> None:
    control = CONTROLS[name]
    if catalog == "issue":
        po, msgid = project_copy / AR_ISSUE, "Introduction"
        text = f"مقدمة{control}"
    else:
        po, msgid = project_copy / AR_LAYOUT, "Contact Us"
        text = f"تواصل{control} معنا"
    set_translation(po, msgid, text)
    display = AR_ISSUE if catalog == "issue" else AR_LAYOUT
    where = entry_prefixes(po, display, msgid)
    check = run_cli("check", "--lang", "ar", cwd=project_copy)
    assert check.returncode == 1 and any(f"{prefix}ar: control: control character U+{ord(control):04X}" in check.stdout for prefix in where), check.stdout
    out = tmp_path / "out"
    error = assert_one_line_error(html_build(project_copy, out, lang="ar"))
    assert error.startswith(where) and f": ar: control character U+{ord(control):04X}" in error, error
    assert no_editions(out)


# --- item 10 of issue 10: one locale's missing font ------------------------------------------------


def test_missing_font_package_fails_only_its_editions(project_copy: Path, tmp_path: Path) -> None:
    layout = project_copy / LAYOUT_YAML
    replace(layout, 'body: {package: amiri, family: "Amiri"}', 'body: {package: noto-nastaliq-urdu, family: "Noto Nastaliq Urdu"}')
    out = tmp_path / "out"
    result = html_build(project_copy, out, lang="en,ar")
    line = assert_one_line_error(result)
    assert line.startswith(f"{LAYOUT_YAML}:{line_of(layout, 'noto-nastaliq-urdu')}: font package 'fontpkg-noto-nastaliq-urdu' is not installed"), line
    assert "installed: fontpkg-amiri" in line and "e.g. fontpkg-noto-sans-arabic" in line, line
    assert "install fontpkg-noto-nastaliq-urdu" not in line, "suggests a package that does not exist"
    assert (out / "weekly-analysis-455-en.html").exists(), "the English edition was stopped by the Arabic font"
    editions = {e["locale"]: e["ok"] for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["editions"]}
    assert editions == {"en": True, "ar": False}


def test_character_in_no_font_names_what_to_do(project_copy: Path, tmp_path: Path) -> None:
    po = project_copy / AR_ISSUE
    set_translation(po, "Introduction", "مقدمة क")
    line = assert_one_line_error(html_build(project_copy, tmp_path / "out", lang="ar"))
    assert line.startswith(entry_prefixes(po, AR_ISSUE, "Introduction")) and ": ar: U+0915" in line, line
    assert "fontpkg-" in line and "layout.yaml" in line, line


