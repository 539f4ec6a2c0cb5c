"""Translation memory: a new issue's messages filled from the locale's earlier catalogs.

The realistic case: issue 456 reuses 455's structure (its headings, the
recommendations' lead, whole paragraphs) with some sentences lightly edited
(a name or a date changed) and the rest new. ``publisher update`` must fill
the reused ones as translated (with a comment naming the catalog and line),
the edited ones as fuzzy with their ``#|`` previous msgid, and leave the new
ones empty; the share filled is printed for the report.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po
from conftest import run_cli

from publisher.catalogs import pofile
from publisher.catalogs.memory import Memory, fill
from publisher.catalogs.store import load_memory
from publisher.config import load_project

PREFIX = re.compile(r"^(\s*(?:[-*] |\d+\. |> )?)(.*)$")
HEADING = re.compile(r"^#{2,6} ")


def _edited(text: str) -> str:
    """A light edit: one name or one number changed."""
    if re.search(r"\b(China|Russia)\b", text):
        return re.sub(r"\b(China|Russia)\b", "Iran", text, count=1)
    if re.search(r"\d+", text):
        return re.sub(r"\d+", lambda m: str(int(m.group(0)) + 7), text, count=1)
    return text.rstrip(".:") + " again."


def second_issue(project: Path) -> dict[str, str]:
    """Write issues/456 from 455: every third text line kept, every third lightly edited, the rest new; return {line: kind}."""
    source = (project / "issues/455/issue.md").read_text(encoding="utf-8")
    _, front, body = source.split("---\n", 2)
    front = front.replace("number: 455", "number: 456").replace("2024-12-02", "2024-12-09").replace("2024-12-06", "2024-12-13")
    front = re.sub(r'title: ".*"', 'title: "The Objectives of Iran and Pakistan in Afghanistan"', front)
    out, kinds, count = [], {}, 0
    for line in body.split("\n"):
        if not line.strip():
            out.append(line)
            continue
        if HEADING.match(line):  # the structure is the series'; headings naming the two countries change
            out.append(line.replace("China and Russia", "Iran and Pakistan"))
            continue
        lead, text = PREFIX.match(line).groups()
        kind = ("kept", "edited", "new")[count % 3]
        count += 1
        if kind == "edited":
            text = _edited(text)
        elif kind == "new":
            text = f"Pakistan's trade through Torkham and Spin Boldak changed in week {count}, with new customs rules for fruit, coal and cement."
        out.append(lead + text)
        kinds[text] = kind
    folder = project / "issues/456"
    folder.mkdir()
    (folder / "issue.md").write_text(f"---\n{front}---\n" + "\n".join(out), encoding="utf-8")
    return kinds


def _read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_second_issue_is_prefilled_from_455(project_copy):
    second_issue(project_copy)
    assert run_cli("extract", cwd=project_copy).returncode == 0
    result = run_cli("update", "--lang", "ps", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    po = project_copy / "locales/ps/LC_MESSAGES/weekly-analysis-456.po"
    assert "created   locales/ps/LC_MESSAGES/weekly-analysis-456.po (translation memory:" in result.stdout
    old = {m.id: m for m in _read(project_copy / "locales/ps/LC_MESSAGES/weekly-analysis-455.po") if m.id}
    messages = [m for m in _read(po) if m.id]
    exact = [m for m in messages if m.string and not m.fuzzy]
    fuzzy = [m for m in messages if m.string and m.fuzzy]
    empty = [m for m in messages if not m.string]
    for message in exact:
        assert message.string == old[message.id].string
        [comment] = [c for c in message.user_comments if c.startswith("translation memory")]
        where = comment.split(": ", 1)[1]
        file, line = where.rsplit(":", 1)
        assert file == "locales/ps/LC_MESSAGES/weekly-analysis-455.po"
        text = (project_copy / file).read_text(encoding="utf-8").split("\n")
        assert text[int(line) - 1].startswith("msgid"), where  # names the msgid's line
    assert fuzzy and po.read_text(encoding="utf-8").count("#| msgid") == len(fuzzy)
    previous = pofile.load(po, "456.po", locale="ps")
    for message in previous:
        if message.id and message.fuzzy:
            assert message.previous_id[0] in old and message.string == old[message.previous_id[0]].string
    assert all("Torkham" in m.id for m in empty if "Torkham" in m.id)
    assert not any("Torkham" in m.id for m in exact + fuzzy)
    share = (len(exact) + len(fuzzy)) / len(messages)
    print(f"\nissue 456 (ps): {len(messages)} messages, {len(exact)} translated and {len(fuzzy)} fuzzy from memory, {len(empty)} left: {share:.0%} pre-filled")
    assert share >= 0.5, share
    # A second update changes nothing; check lists the fuzzy ones as warnings only.
    again = run_cli("update", "--lang", "ps", cwd=project_copy)
    assert "updated" not in again.stdout and "created" not in again.stdout
    checked = run_cli("check", "--lang", "ps", "issues/456", cwd=project_copy)
    assert checked.returncode == 0, checked.stdout[-2000:]


def test_no_memory_leaves_new_messages_empty(project_copy):
    second_issue(project_copy)
    run_cli("extract", cwd=project_copy)
    run_cli("update", "--lang", "ps", "--no-memory", cwd=project_copy)
    assert not any(m.string for m in _read(project_copy / "locales/ps/LC_MESSAGES/weekly-analysis-456.po") if m.id)


def test_source_language_is_not_filled(project_copy):
    second_issue(project_copy)
    run_cli("extract", cwd=project_copy)
    result = run_cli("update", "--lang", "en", cwd=project_copy)
    assert "translation memory" not in result.stdout
    assert not any(m.string for m in _read(project_copy / "locales/en/LC_MESSAGES/weekly-analysis-456.po") if m.id)


def test_exact_needs_same_context(root):
    """'Hamal' is remembered as a month (context 'solar-hijri month'): without that context it is only offered fuzzy."""
    from babel.messages.catalog import Catalog

    memory = load_memory(load_project(root), "ps")
    assert memory.lookup("Introduction", None)[1] == 100.0
    assert memory.lookup("Something no issue of the series has ever said about cement.", None) is None
    new = Catalog(locale="ps")
    new.add("Hamal")
    new.add("Hamal", context="solar-hijri month")
    filled = fill(new, memory)
    assert (filled.exact, filled.fuzzy) == (1, 1)
    assert new.get("Hamal").fuzzy and not new.get("Hamal", "solar-hijri month").fuzzy


def test_fill_marks_close_matches_fuzzy():
    from babel.messages.catalog import Catalog

    remembered = Catalog(locale="ps")
    remembered.add("China and Russia signed a new transit agreement in Kabul.", "چین او روسیې په کابل کې نوی ترانزیټي تړون لاسلیک کړ.")
    memory = Memory("ps")
    memory.add_catalog(remembered, "old.po")
    new = Catalog(locale="ps")
    new.add("China and Iran signed a new transit agreement in Kabul.")
    new.add("China and Russia signed a new transit agreement in Kabul.")
    new.add("Cement prices rose.")
    filled = fill(new, memory)
    assert (filled.exact, filled.fuzzy, filled.untranslated) == (1, 1, 1)
    close = new.get("China and Iran signed a new transit agreement in Kabul.")
    assert close.fuzzy and close.previous_id == ["China and Russia signed a new transit agreement in Kabul."]
    assert close.user_comments[-1].startswith("translation memory (")


def test_tm_export_tmx_reads_back(project_copy, tmp_path):
    from translate.storage.tmx import tmxfile

    out = tmp_path / "memory.tmx"
    result = run_cli("tm", "export", "--format", "tmx", "--lang", "ps", "-o", str(out), cwd=project_copy)
    assert result.returncode == 0, result.stderr
    units = tmxfile(out.read_bytes()).units
    memory = load_memory(load_project(project_copy), "ps")
    assert len(units) == len(memory.remembered()) > 100
    pairs = {(u.source, u.target) for u in units}
    catalog = _read(project_copy / "locales/ps/LC_MESSAGES/weekly-analysis-455.po")
    assert all((m.id, m.string) in pairs for m in catalog if m.id)


def test_every_locale_of_a_new_issue_is_filled_from_its_own_memory(project_copy):
    """One update of all locales: each new catalog takes its own language's translations, never another locale's."""
    second_issue(project_copy)
    assert run_cli("extract", cwd=project_copy).returncode == 0
    result = run_cli("update", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    for locale in ("ps", "fa_AF", "ar"):
        old = {m.id: m.string for m in _read(project_copy / f"locales/{locale}/LC_MESSAGES/weekly-analysis-455.po") if m.id}
        exact = [m for m in _read(project_copy / f"locales/{locale}/LC_MESSAGES/weekly-analysis-456.po") if m.id and m.string and not m.fuzzy]
        assert exact, locale
        wrong = [(m.id[:40], m.string[:40]) for m in exact if m.string != old.get(m.id)]
        assert not wrong, f"{locale}: translations from another catalog: {wrong[:3]}"
