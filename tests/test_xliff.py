"""XLIFF export and import: a CAT tool's round trip loses nothing and changes only what the translator changed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli
from lxml import etree

from publisher.catalogs import pofile

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
ISSUE_PO = "locales/ps/LC_MESSAGES/weekly-analysis-455.po"
LAYOUT_PO = "locales/ps/LC_MESSAGES/layout.po"
PLURAL = "Reading time: %(num)s minute"


def _load(project: Path, rel: str):
    return pofile.load(project / rel, rel, locale=rel.split("/")[1], domain=Path(rel).stem)


def _make_fuzzy(project: Path) -> str:
    """Make one issue message fuzzy, with a previous msgid and a translator comment, as 'update' leaves an edited paragraph."""
    catalog = _load(project, ISSUE_PO)
    message = next(m for m in catalog if m.id and len(m.id) > 80 and not m.context)
    message.flags.add("fuzzy")
    message.previous_id = [f"{message.id} (draft)"]
    message.previous_context = None
    message.user_comments = ["checked with the desk, 2 December"]
    pofile.save(catalog, project / ISSUE_PO)
    return message.id


def _export(project: Path, out: Path, *extra: str) -> etree._ElementTree:
    result = run_cli("export", "--format", "xliff", "--lang", "ps", *extra, "-o", str(out), cwd=project)
    assert result.returncode == 0, result.stderr
    return etree.parse(str(out))


def _unit(tree: etree._ElementTree, source: str) -> etree._Element:
    for node in tree.iter(f"{{{NS['x']}}}trans-unit"):
        if node.findtext("x:source", namespaces=NS) == source:
            return node.getparent() if node.getparent().get("restype") == "x-gettext-plurals" else node
    raise AssertionError(f"no unit for {source!r}")


def _msgfmt_check(path: Path) -> None:
    """msgfmt accepts the catalog, and msgcat (as Poedit and Weblate lay PO out) would not change a byte of it."""
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True, capture_output=True)
    if shutil.which("msgcat"):
        again = subprocess.run(["msgcat", str(path)], check=True, capture_output=True).stdout
        assert again == path.read_bytes(), f"msgcat would rewrite {path.name}"


def test_export_carries_notes_context_locations_state_plurals_and_previous(project_copy, tmp_path):
    msgid = _make_fuzzy(project_copy)
    tree = _export(project_copy, tmp_path / "ps.xlf", "--issue", "issues/455")
    root = tree.getroot()
    assert root.get("version") == "1.2"
    files = [f.get("original") for f in root.iter(f"{{{NS['x']}}}file")]
    assert files == [LAYOUT_PO, ISSUE_PO]
    assert {f.get("target-language") for f in root.iter(f"{{{NS['x']}}}file")} == {"ps"}
    # translate-toolkit reads back everything a translator is shown
    from translate.storage.poxliff import PoXliffFile

    store = PoXliffFile((tmp_path / "ps.xlf").read_bytes())
    units = {str(u.source if not u.hasplural() else u.source.strings[0]): u for u in store.units}
    fuzzy = units[msgid]
    assert fuzzy.isfuzzy()
    assert fuzzy.getnotes("translator") == "checked with the desk, 2 December"
    assert fuzzy.getnotes("developer")
    assert fuzzy.getlocations() and fuzzy.getlocations()[0].startswith("issues/455/issue.md:")
    assert [a.source for a in fuzzy.getalttrans(origin="previous")] == [f"{msgid} (draft)"]
    assert _unit(tree, msgid).find("x:target", NS).get("state") == "needs-review-translation"
    plural = units[PLURAL]
    assert plural.hasplural() and len(plural.units) == 2 and all(plural.target.strings)
    month = _unit(tree, "Hamal")
    assert month.find(".//x:context[@context-type='x-po-msgctxt']", NS).text == "solar-hijri month"
    assert not units["Hamal"].isfuzzy()


def test_unchanged_round_trip_is_byte_identical(project_copy, tmp_path):
    _make_fuzzy(project_copy)
    before = {p: (project_copy / p).read_bytes() for p in (ISSUE_PO, LAYOUT_PO)}
    _export(project_copy, tmp_path / "ps.xlf")
    result = run_cli("import", "ps", str(tmp_path / "ps.xlf"), cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert "0 changed" in result.stdout and " 0 unknown" in result.stdout
    for path, data in before.items():
        assert (project_copy / path).read_bytes() == data
        _msgfmt_check(project_copy / path)


def test_changed_target_and_review_state_land_in_the_po(project_copy, tmp_path):
    msgid = _make_fuzzy(project_copy)
    tree = _export(project_copy, tmp_path / "ps.xlf")
    # the reviewer accepts the fuzzy message with a new wording…
    unit = _unit(tree, msgid)
    unit.set("approved", "yes")
    unit.find("x:target", NS).text = "نوې ژباړه"
    unit.find("x:target", NS).set("state", "translated")
    # …and sends a translated one back for review
    contact = _unit(tree, "Contact Us")
    contact.set("approved", "no")
    contact.find("x:target", NS).set("state", "needs-review-translation")
    tree.write(str(tmp_path / "ps.xlf"), xml_declaration=True, encoding="UTF-8")
    result = run_cli("import", "ps", str(tmp_path / "ps.xlf"), cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert f"updated {ISSUE_PO}: 1 changed" in result.stdout
    assert f"updated {LAYOUT_PO}: 1 changed" in result.stdout
    issue = _load(project_copy, ISSUE_PO)
    accepted = issue.get(msgid)
    assert accepted.string == "نوې ژباړه" and not accepted.fuzzy and not accepted.previous_id
    assert "#| msgid" not in (project_copy / ISSUE_PO).read_text(encoding="utf-8")
    assert accepted.user_comments == ["checked with the desk, 2 December"]
    assert _load(project_copy, LAYOUT_PO).get("Contact Us").fuzzy
    for path in (ISSUE_PO, LAYOUT_PO):
        _msgfmt_check(project_copy / path)


def test_plural_forms_round_trip(project_copy, tmp_path):
    tree = _export(project_copy, tmp_path / "ps.xlf")
    group = _unit(tree, PLURAL)
    forms = group.findall("x:trans-unit", NS)
    assert [f.findtext("x:source", namespaces=NS) for f in forms] == [PLURAL, PLURAL + "s"]
    forms[1].find("x:target", NS).text = "د لوستلو وخت: %(num)s دقیقو"
    tree.write(str(tmp_path / "ps.xlf"), xml_declaration=True, encoding="UTF-8")
    result = run_cli("import", "ps", str(tmp_path / "ps.xlf"), cwd=project_copy)
    assert result.returncode == 0, result.stderr
    message = _load(project_copy, LAYOUT_PO).get((PLURAL, PLURAL + "s"))
    assert message.string[1] == "د لوستلو وخت: %(num)s دقیقو" and message.string[0].endswith("دقیقه")
    _msgfmt_check(project_copy / LAYOUT_PO)
    # a form left empty is refused at its line, nothing written
    before = (project_copy / LAYOUT_PO).read_bytes()
    forms[0].find("x:target", NS).text = ""
    tree.write(str(tmp_path / "ps.xlf"), xml_declaration=True, encoding="UTF-8")
    result = run_cli("import", "ps", str(tmp_path / "ps.xlf"), cwd=project_copy)
    assert result.returncode == 1 and "needs 2 forms" in result.stderr and f"{tmp_path / 'ps.xlf'}:" in result.stderr
    assert (project_copy / LAYOUT_PO).read_bytes() == before


def test_arabic_export_has_six_plural_forms(project_copy, tmp_path):
    result = run_cli("export", "--lang", "ar", "-o", str(tmp_path / "ar.xlf"), cwd=project_copy)
    assert result.returncode == 0, result.stderr
    tree = etree.parse(str(tmp_path / "ar.xlf"))
    assert len(_unit(tree, PLURAL).findall("x:trans-unit", NS)) == 6
    result = run_cli("import", "ar", str(tmp_path / "ar.xlf"), cwd=project_copy)
    assert result.returncode == 0 and "0 changed" in result.stdout, result.stderr


def test_unknown_units_are_reported_not_written(project_copy, tmp_path):
    tree = _export(project_copy, tmp_path / "ps.xlf")
    _unit(tree, "Contact Us").find("x:source", NS).text = "Contact us today"
    tree.write(str(tmp_path / "ps.xlf"), xml_declaration=True, encoding="UTF-8")
    result = run_cli("import", "ps", str(tmp_path / "ps.xlf"), cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert "1 unknown units" in result.stdout and "'Contact us today'" in result.stderr


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda text: text[: len(text) // 2], "not well-formed XML"),
        (lambda text: text.replace('target-language="ps"', 'target-language="fa-AF"', 1), "for target language 'fa-AF', not 'ps'"),
        (lambda text: text.replace('original="locales/ps/LC_MESSAGES/layout.po"', 'original="../../etc/passwd.po"', 1), "is not a ps catalog of this project"),
        (lambda text: "<html/>", "not an XLIFF file"),
    ],
)
def test_wrong_or_malformed_files_are_one_line_errors(project_copy, tmp_path, damage, expected):
    _export(project_copy, tmp_path / "ps.xlf")
    bad = tmp_path / "bad.xlf"
    bad.write_text(damage((tmp_path / "ps.xlf").read_text(encoding="utf-8")), encoding="utf-8")
    before = (project_copy / LAYOUT_PO).read_bytes()
    result = run_cli("import", "ps", str(bad), cwd=project_copy)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{bad}:") and expected in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert (project_copy / LAYOUT_PO).read_bytes() == before


def test_word_import_still_needs_into(project_copy):
    result = run_cli("import", "draft.docx", cwd=project_copy)
    assert result.returncode == 2 and "--into" in result.stderr


def test_a_tool_that_drops_the_context_still_matches_by_unit_id(project_copy, tmp_path):
    tree = _export(project_copy, tmp_path / "ps.xlf")
    month = _unit(tree, "Hamal")
    month.remove(month.find("x:context-group[@name='po-entry']", NS))
    month.find("x:target", NS).text = "حمل"
    tree.write(str(tmp_path / "ps.xlf"), xml_declaration=True, encoding="UTF-8")
    result = run_cli("import", "ps", str(tmp_path / "ps.xlf"), cwd=project_copy)
    assert result.returncode == 0 and f"updated {LAYOUT_PO}: 1 changed" in result.stdout, result.stdout + result.stderr
    assert _load(project_copy, LAYOUT_PO).get("Hamal", "solar-hijri month").string == "حمل"


def test_a_source_copied_into_an_empty_target_stays_untranslated(project_copy, tmp_path):
    catalog = _load(project_copy, LAYOUT_PO)
    catalog.get("Contact Us").string = ""
    pofile.save(catalog, project_copy / LAYOUT_PO)
    before = (project_copy / LAYOUT_PO).read_bytes()
    tree = _export(project_copy, tmp_path / "ps.xlf")
    unit = _unit(tree, "Contact Us")
    assert unit.find("x:target", NS) is None and unit.get("approved") == "no"
    target = etree.SubElement(unit, f"{{{NS['x']}}}target", state="needs-translation")
    target.text = "Contact Us"
    unit.insert(1, target)
    tree.write(str(tmp_path / "ps.xlf"), xml_declaration=True, encoding="UTF-8")
    result = run_cli("import", "ps", str(tmp_path / "ps.xlf"), cwd=project_copy)
    assert result.returncode == 0 and "0 changed" in result.stdout, result.stdout
    assert (project_copy / LAYOUT_PO).read_bytes() == before


def test_a_doctype_is_refused(project_copy, tmp_path):
    _export(project_copy, tmp_path / "ps.xlf")
    text = (tmp_path / "ps.xlf").read_text(encoding="utf-8")
    text = text.replace("<xliff", '<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n<xliff', 1).replace("<target state=\"translated\">", "<target state=\"translated\">&secret;", 1)
    (tmp_path / "evil.xlf").write_text(text, encoding="utf-8")
    result = run_cli("import", "ps", str(tmp_path / "evil.xlf"), cwd=project_copy)
    assert result.returncode == 1 and "DOCTYPE" in result.stderr and "root:" not in result.stderr + result.stdout


def test_import_refuses_a_catalog_changed_during_the_import(project_copy, tmp_path, monkeypatch):
    from publisher.catalogs import store, xliff
    from publisher.config import load_project
    from publisher.errors import PublisherError

    tree = _export(project_copy, tmp_path / "ps.xlf")
    _unit(tree, "Contact Us").find("x:target", NS).text = "اړیکه"
    tree.write(str(tmp_path / "ps.xlf"), xml_declaration=True, encoding="UTF-8")
    real = xliff.apply

    def apply_while_a_translator_saves(catalog, units, nplurals, display):
        done = real(catalog, units, nplurals, display)
        if catalog.domain == "layout":
            (project_copy / LAYOUT_PO).write_bytes((project_copy / LAYOUT_PO).read_bytes() + b"\n")
        return done

    monkeypatch.setattr(xliff, "apply", apply_while_a_translator_saves)
    project = load_project(project_copy)
    saved = (project_copy / LAYOUT_PO).read_bytes()
    with pytest.raises(PublisherError, match="changed on disk during the import"):
        store.import_xliff(project, project.locales["ps"], tmp_path / "ps.xlf", "ps.xlf")
    assert (project_copy / LAYOUT_PO).read_bytes() == saved + b"\n"
