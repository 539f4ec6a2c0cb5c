"""Glossary enforcement: an agreed term of the source wants its agreed translation.

The matching is tested directly on small glossaries; ``publisher check`` and
``build --strict`` on a copy of the project with one term mistranslated.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from conftest import run_cli
from test_security import set_translation

from publisher.catalogs import glossary


def terms(*entries: dict, locale: str = "ps") -> list[glossary.Term]:
    return glossary.parse(list(entries), locale, "glossary.yaml")


def missed(entries: list[dict], source: str, translation: str, locale: str = "ps") -> list[str]:
    return [t.source for t in glossary.misses(terms(*entries, locale=locale), source, translation)]


RUSSIA = {"en": "Russia", "ps": "روسیه"}
CORRIDOR = {"en": "corridor", "ps": "دهلېز"}
POLICY = {"en": "policy", "ps": "تګلاره"}


def test_agreed_translation_present_and_missing():
    assert missed([RUSSIA], "Russia and China", "روسیه او چین") == []
    assert missed([RUSSIA], "Russia and China", "روس او چین") == ["Russia"]


def test_term_absent_from_source_is_not_checked():
    assert missed([RUSSIA], "China and Iran", "چین او ایران") == []


@pytest.mark.parametrize("source", ["The corridors are open", "The corridor's length", "Corridor works", "the corridors' owners"])
def test_english_plural_possessive_and_case(source):
    assert missed([CORRIDOR], source, "لاره") == ["corridor"]
    assert missed([CORRIDOR], source, "دهلېزونه") == []


def test_english_y_plural():
    assert missed([POLICY], "Their policies differ", "سیاستونه") == ["policy"]


def test_capitalised_term_matches_only_as_written():
    issue = {"en": "Issue (of the bulletin)", "ps": "ګڼه"}
    assert missed([issue], "Issue 455", "شمېره ۴۵۵") == ["Issue (of the bulletin)"]
    assert missed([issue], "regional issues", "سیمه‌ییزې مسئلې") == []


def test_hyphenated_compound_is_not_its_parts():
    regional = {"en": "regional", "ps": "سیمه‌ییز"}
    assert missed([regional], "extra-regional powers", "فراسیمه‌ییز قدرتونه") == []
    assert missed([regional], "regional powers", "د سیمې قدرتونه") == ["regional"]


@pytest.mark.parametrize(
    "translation",
    [
        "د سیمه‌ییز همکاري",  # as agreed
        "د سیمهییز همکاري",  # without the ZWNJ
        "د سيمه‌يیز همکاري",  # Arabic yeh for Farsi yeh
        "د سیمـه‌ییز همکاري",  # tatweel
        "د سیمَه‌ییزو همکاري",  # a diacritic, and an inflection suffix
    ],
)
def test_arabic_script_variants_are_folded(translation):
    assert missed([{"en": "regional", "ps": "سیمه‌ییز"}], "regional cooperation", translation) == []


def test_kaf_and_teh_marbuta_variants():
    entry = {"en": "Islamic Emirate", "ar": "الإمارة الإسلامية"}
    assert missed([entry], "the Islamic Emirate said", "قالت الامارة الاسلاميه", "ar") == []
    assert missed([entry], "the Islamic Emirate said", "ينبغي للإمارة الإسلامية", "ar") == []  # ل + ال contracted
    assert missed([{"en": "Kabul", "ps": "کابل"}], "in Kabul", "په كابل کې") == []


def test_pashto_inflection_and_inserted_postposition():
    assert missed([RUSSIA], "Russia's interests", "د روسیې ګټې") == []
    basin = {"en": "Amu Darya Basin", "ps": "د آمو دریا حوزه"}
    assert missed([basin], "in the Amu Darya Basin", "د آمو دریا په حوزه کې") == []
    assert missed([basin], "in the Amu Darya Basin", "د آمو سیند په سیمه کې") == ["Amu Darya Basin"]


def test_longest_term_wins_and_alternatives():
    emirate = {"en": "Islamic Emirate", "ps": "اسلامي امارت"}
    full = {"en": "Islamic Emirate of Afghanistan", "ps": "د افغانستان اسلامي امارت", "also": ["د افغانستان حکومت"]}
    assert missed([emirate, full], "the Islamic Emirate of Afghanistan", "د افغانستان حکومت") == []
    goals = {"en": "objectives / goals", "ps": "موخې / هدفونه"}
    assert missed([goals], "their goals", "د دوی هدفونه") == []
    assert missed([goals], "their objectives", "د دوی غوښتنې") == ["objectives / goals"]


def test_malformed_glossary_names_its_line():
    with pytest.raises(glossary.PublisherError) as raised:
        glossary.parse([{"en": "a", "ps": "b"}, {"en": "c"}], "ps", "g.yaml", '- {en: "a", ps: "b"}\n- {en: "c"}\n')
    assert raised.value.where == "g.yaml:2"


def _break_term(project: Path) -> tuple[Path, int]:
    """Translate 'Russia' in one Pashto message as «روس» instead of the agreed روسیه; return the PO and the msgid's line."""
    po = project / "locales/ps/LC_MESSAGES/weekly-analysis-455.po"
    with po.open("rb") as handle:
        message = next(m for m in read_po(handle) if isinstance(m.id, str) and m.id.startswith("The Objectives of China and Russia"))
    assert "روسیې" in message.string
    set_translation(po, message.id, message.string.replace("روسیې", "روس"))
    lines = po.read_text(encoding="utf-8").split("\n")
    first = message.id.split("\n")[0][:30]
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("msgid") and first in "".join(lines[n - 1 : n + 1]))
    return po, line


def test_check_reports_a_miss_at_the_msgid_line_and_fails(project_copy):
    assert run_cli("check", "--lang", "ps", "--json", cwd=project_copy).returncode == 0
    po, line = _break_term(project_copy)
    result = run_cli("check", "--lang", "ps", "--json", cwd=project_copy)
    assert result.returncode == 1
    findings = [f for f in json.loads(result.stdout) if f["check"] == "glossary"]
    assert len(findings) == 1, findings
    assert findings[0]["line"] == line and findings[0]["severity"] == "error" and "روسیه" in findings[0]["message"]
    assert findings[0]["file"] == "locales/ps/LC_MESSAGES/weekly-analysis-455.po"


def test_adding_the_form_to_the_glossary_clears_the_miss(project_copy):
    _break_term(project_copy)
    path = project_copy / "locales/ps/glossary.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in entries:
        if entry["en"] == "Russia":
            entry["also"] = ["روس"]
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    assert run_cli("check", "--lang", "ps", cwd=project_copy).returncode == 0


def test_strict_build_fails_on_a_glossary_miss(project_copy, tmp_path):
    _break_term(project_copy)
    result = run_cli("build", "issues/455", "--lang", "ps", "--out", str(tmp_path / "out"), "--strict", "-q", cwd=project_copy)
    assert result.returncode == 1
    assert "glossary" in result.stderr and "Traceback" not in result.stderr


def test_real_catalogs_use_every_agreed_term(root):
    """The committed translations follow their glossaries (0 errors), and the glossaries are used: hundreds of hits."""
    from publisher.catalogs import store
    from publisher.catalogs.checks import glossary_of
    from publisher.config import load_project

    project = load_project(root)
    for code in ("ps", "fa_AF", "ar"):
        agreed = glossary_of(project, code)
        hits = 0
        for domain in store.domains(project):
            for message in store.load_catalog(project, code, domain):
                if isinstance(message.id, str) and message.id:
                    assert not glossary.misses(agreed, message.id, message.string), (code, message.id[:60])
                    hits += sum(1 for t in agreed if glossary._find(glossary.english_words(message.id), t.english, set()))
        assert hits > 100, (code, hits)
