"""Translation checks: each fires on a crafted bad translation and stays quiet on a good one.

``check_message`` is tested directly with Babel messages; the ``check``
command on a copy of the project, before and after a translator's mistake is
typed into a PO file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po
from conftest import run_cli

from publisher.catalogs.checks import check_message

ERROR_CHECKS = {"markup", "placeholders", "numbers", "bidi-control", "whitespace", "punctuation"}


def fired(source, translation, locale="ps", flags=()) -> dict[str, str]:
    """check name -> severity, for one message."""
    return {check: severity for check, _text, severity in check_message(Message(source, translation, flags=flags), locale)}


def assert_fires(check: str, source, translation, locale="ps", flags=()) -> None:
    found = fired(source, translation, locale, flags)
    assert check in found, f"{check} did not fire on {translation!r} (source {source!r}); found {found}"
    expected = "error" if check in ERROR_CHECKS else "warning"
    assert found[check] == expected, f"{check} is a {found[check]}, expected a {expected}"


def assert_quiet(source, translation, locale="ps", flags=()) -> None:
    found = fired(source, translation, locale, flags)
    assert not found, f"checks fired on a good translation {translation!r} (source {source!r}): {found}"


# --- markup -----------------------------------------------------------------------------


BOLD_SOURCE = "**Support for a politically aligned regime:** Both China and Russia aim to back a political system."


def test_markup_bold_lead_in_dropped():
    assert_fires("markup", BOLD_SOURCE, "د همغږي سیاسي نظام ملاتړ: چین او روسیه دواړه غواړي د یوه سیاسي نظام ملاتړ وکړي.")


def test_markup_bold_lead_in_kept():
    assert_quiet(BOLD_SOURCE, "**د همغږي سیاسي نظام ملاتړ:** چین او روسیه دواړه غواړي د یوه سیاسي نظام ملاتړ وکړي.")


def test_markup_italic_dropped_and_kept():
    source = "The *Five Nations Railway* project links the region."
    assert_fires("markup", source, "د پنځو هېوادونو اورګاډي پروژه سیمه نښلوي.")
    assert_quiet(source, "د *پنځو هېوادونو اورګاډي* پروژه سیمه نښلوي.")


LINK_SOURCE = "Radio Azadi: [Putin emphasizes relations](https://www.azadiradio.com/a/33221.html), 2024."


def test_markup_link_target_changed():
    assert_fires("markup", LINK_SOURCE, "راډیو ازادي: [پوتین پر اړیکو ټینګار کوي](https://www.azadiradio.com/a/33222.html)، ۲۰۲۴.")


def test_markup_link_target_kept_label_translated():
    assert_quiet(LINK_SOURCE, "راډیو ازادي: [پوتین پر اړیکو ټینګار کوي](https://www.azadiradio.com/a/33221.html)، ۲۰۲۴.")


def test_markup_link_dropped():
    assert_fires("markup", LINK_SOURCE, "راډیو ازادي: پوتین پر اړیکو ټینګار کوي، ۲۰۲۴.")


# --- placeholders -------------------------------------------------------------------------


def test_placeholder_dropped():
    assert_fires("placeholders", "Weekly Analysis, issue %(number)s", "التحليل الأسبوعي، العدد", "ar")


def test_placeholder_renamed():
    assert_fires("placeholders", "Weekly Analysis, issue %(number)s", "التحليل الأسبوعي، العدد %(num)s", "ar")


def test_placeholder_kept_moved():
    assert_quiet("Weekly Analysis, issue %(number)s", "%(number)s العدد من التحليل الأسبوعي", "ar")


def test_plural_placeholders_all_forms():
    source = ("Reading time: %(num)s minute", "Reading time: %(num)s minutes")
    good = tuple(f"مدة القراءة: %(num)s {w}" for w in ("دقيقة", "دقيقة", "دقيقتان", "دقائق", "دقيقة", "دقيقة"))
    assert not check_message(Message(source, good), "ar")
    bad = good[:3] + ("مدة القراءة: دقائق",) + good[4:]
    assert "placeholders" in {c for c, _, _ in check_message(Message(source, bad), "ar")}


# --- numbers ----------------------------------------------------------------------------------


NUMBER_SOURCE = "Chinese officials have expressed alarm over reports of more than 20 terrorist groups."


def test_number_missing():
    assert_fires("numbers", NUMBER_SOURCE, "چینایي چارواکو د ډېرو ترهګرو ډلو د راپورونو په اړه اندېښنه څرګنده کړې.")


def test_number_changed():
    assert_fires("numbers", NUMBER_SOURCE, "چینایي چارواکو د ۲ ډېرو ترهګرو ډلو د راپورونو په اړه اندېښنه څرګنده کړې.")


@pytest.mark.parametrize(
    ("locale", "translation"),
    [
        ("ps", "چینایي چارواکو د ۲۰ ډېرو ترهګرو ډلو د راپورونو په اړه اندېښنه څرګنده کړې."),  # Persian digits
        ("fa_AF", "مقامات چینی از گزارش‌های حضور بیش از ۲۰ گروه تروریستی ابراز نگرانی کرده‌اند."),  # Persian digits
        ("ar", "أعرب المسؤولون الصينيون عن قلقهم من تقارير عن أكثر من ٢٠ جماعة إرهابية."),  # Arabic-Indic digits
        ("ar", "أعرب المسؤولون الصينيون عن قلقهم من تقارير عن أكثر من 20 جماعة إرهابية."),  # ASCII digits
    ],
    ids=["persian-ps", "persian-fa_AF", "arabic-indic", "ascii"],
)
def test_number_in_native_digits_counts(locale, translation):
    assert_quiet(NUMBER_SOURCE, translation, locale)


# --- bidi controls --------------------------------------------------------------------------------


BIDI_SOURCE = "China and Russia."


@pytest.mark.parametrize("char", ["\u202e", "\u2067", "\u202b", "\u2066"], ids=["RLO-U+202E", "RLI-U+2067", "RLE-U+202B", "LRI-U+2066"])
def test_bidi_embedding_override_isolate_are_errors(char):
    end = "\u202c" if char in "\u202a\u202b\u202d\u202e" else "\u2069"
    assert_fires("bidi-control", BIDI_SOURCE, f"{char}چین{end} او روسیه.")


@pytest.mark.parametrize(
    "translation",
    ["چین او روسیه\u200cی.", "چین\u200d او روسیه.", "چین او \u200eRussia\u200e روسیه.", "چین او روسیه\u200f."],
    ids=["ZWNJ-U+200C", "ZWJ-U+200D", "LRM-U+200E", "RLM-U+200F"],
)
def test_joiners_and_marks_are_fine(translation):
    assert_quiet(BIDI_SOURCE, translation)


# --- whitespace -------------------------------------------------------------------------------------


def test_trailing_space():
    assert_fires("whitespace", BIDI_SOURCE, "چین او روسیه. ")


def test_leading_space():
    assert_fires("whitespace", BIDI_SOURCE, " چین او روسیه.")


def test_whitespace_as_in_source():
    assert_quiet(BIDI_SOURCE, "چین او روسیه.")


# --- punctuation -------------------------------------------------------------------------------------


QUESTION = "What are China and Russia seeking in Afghanistan?"


@pytest.mark.parametrize(
    ("locale", "translation"), [("ps", "چین او روسیه په افغانستان کې د څه شي په لټه کې دي؟"), ("ar", "ما الذي تسعى إليه الصين وروسيا في أفغانستان؟")]
)
def test_question_mark_becomes_arabic_question_mark(locale, translation):
    assert_quiet(QUESTION, translation, locale)


def test_question_answered_with_full_stop():
    assert_fires("punctuation", QUESTION, "چین او روسیه په افغانستان کې د څه شي په لټه کې دي.")


def test_question_mark_lost():
    assert_fires("punctuation", QUESTION, "چین او روسیه په افغانستان کې د څه شي په لټه کې دي")


def test_statement_turned_into_question():
    assert_fires("punctuation", "Both delegations held meetings.", "دواړو پلاوو غونډې وکړې؟")


# --- untranslated, fuzzy, identical ----------------------------------------------------------------------


def test_untranslated():
    assert_fires("untranslated", "Introduction", "")
    assert_quiet("Introduction", "سریزه")


def test_fuzzy():
    assert_fires("fuzzy", "Introduction", "سریزه", flags=["fuzzy"])
    assert_quiet("Introduction", "سریزه", flags=["python-format"])


def test_identical_english_is_flagged():
    assert_fires("identical", "The discussions covered a range of topics.", "The discussions covered a range of topics.")


@pytest.mark.parametrize("text", ["CSRS", "www.csrsaf.org", "info@csrsaf.org", "https://csrsaf.org/en/weekly-analysis"])
def test_identical_names_and_urls_are_fine(text):
    assert_quiet(text, text)


# --- the check command -------------------------------------------------------------------------------------


def _po(project: Path) -> Path:
    found = sorted((project / "locales" / "ps" / "LC_MESSAGES").glob("weekly-analysis-*.po"))
    assert len(found) == 1
    return found[0]


def _msgstr_lines(lines: list[str], msgid_line: int) -> range:
    """0-based indices of the msgstr lines of the entry whose msgid is on ``msgid_line`` (1-based)."""
    i = msgid_line - 1
    while not lines[i].startswith("msgstr"):
        i += 1
    start = i
    while i + 1 < len(lines) and lines[i + 1].startswith('"'):
        i += 1
    return range(start, i + 1)


def _inject(path: Path, pick, change) -> tuple[int, int]:
    """Change the msgstr text of the first entry ``pick`` accepts; return the entry's msgid and last line."""
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale="ps")
    message = next(m for m in catalog if m.id and isinstance(m.id, str) and m.string and pick(m))
    lines = path.read_text(encoding="utf-8").split("\n")
    span = _msgstr_lines(lines, message.lineno)
    body = [lines[i] for i in span]
    new = change(body)
    assert new != body, "the injection changed nothing"
    lines[span.start : span.stop] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    return message.lineno, span.stop


def _strip_digits(body):
    return ["".join(ch for ch in line if not ch.isdecimal()) for line in body]


def _strip_bold(body):
    return [line.replace("**", "") for line in body]


def _add_override(body):
    line = body[-1]
    return body[:-1] + [line[:-1] + '\u202e"']


def _trailing_space(body):
    line = body[-1]
    return body[:-1] + [line[:-1] + ' "']


def _question_to_stop(body):
    line = body[-1]
    cut = line.rindex("؟")
    return body[:-1] + [line[:cut] + "." + line[cut + 1 :]]


INJECTIONS = {
    "numbers": (lambda m: re.search(r"\b\d+\b", m.id) and any(ch.isdecimal() for ch in m.string), _strip_digits),
    "markup": (lambda m: m.id.startswith("**") and "**" in m.string, _strip_bold),
    "bidi-control": (lambda m: len(m.id.split()) > 5, _add_override),
    "whitespace": (lambda m: len(m.id.split()) > 5, _trailing_space),
    "punctuation": (lambda m: m.id.endswith("?") and m.string.endswith("؟"), _question_to_stop),
}


def test_check_passes_on_the_project(project_copy):
    result = run_cli("check", cwd=project_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not [line for line in result.stdout.splitlines() if ": error" in line or re.search(r"\.po:\d+: ", line)]


@pytest.mark.parametrize("check", list(INJECTIONS))
def test_check_reports_an_injected_mistake(project_copy, check):
    path = _po(project_copy)
    rel = path.relative_to(project_copy).as_posix()
    pick, change = INJECTIONS[check]
    msgid_line, end_line = _inject(path, pick, change)
    result = run_cli("check", "--lang", "ps", cwd=project_copy)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    pattern = re.compile(rf"^{re.escape(rel)}:(\d+): ps: ([\w-]+): .+$")
    findings = [pattern.match(line) for line in result.stdout.splitlines()]
    assert all(findings), f"lines not in the 'file:line: locale: check: message' form:\n{result.stdout}"
    named = [m for m in findings if m.group(2) == check]
    assert len(named) == 1, f"expected one {check} finding:\n{result.stdout}"
    line = int(named[0].group(1))
    assert msgid_line <= line <= end_line, f"{check} reported at line {line}; the entry is at lines {msgid_line}–{end_line}"
    at = path.read_text(encoding="utf-8").split("\n")[line - 1]
    assert at.startswith("msgid "), f"{check} reported at line {line} ({at!r}), not at the entry's msgid"
    # Only the damaged entry is reported.
    assert {int(m.group(1)) for m in findings} == {line}


def test_check_json_and_other_locales_unaffected(project_copy):
    path = _po(project_copy)
    pick, change = INJECTIONS["numbers"]
    _inject(path, pick, change)
    result = run_cli("check", "--json", cwd=project_copy)
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    assert findings and {f["locale"] for f in findings} == {"ps"}
    assert {f["check"] for f in findings} == {"numbers"}
    assert all(f["file"] == path.relative_to(project_copy).as_posix() for f in findings)
    clean = run_cli("check", "--lang", "fa_AF,ar", cwd=project_copy)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_check_warnings_do_not_fail(project_copy):
    """An untranslated message is listed as a warning; the exit code stays 0."""
    path = _po(project_copy)
    _inject(path, lambda m: len(m.id.split()) > 5, lambda body: ['msgstr ""'])
    result = run_cli("check", "--lang", "ps", cwd=project_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r": ps: untranslated: ", result.stdout)


def test_check_strict_fails_on_warnings_too(project_copy):
    """A fuzzy message is a warning: 'check' passes it, 'check --strict' (the gate before print) does not."""
    from publisher.catalogs import pofile

    rel = "locales/ps/LC_MESSAGES/weekly-analysis-455.po"
    catalog = pofile.load(project_copy / rel, rel, locale="ps", domain="weekly-analysis-455")
    next(m for m in catalog if m.id).flags.add("fuzzy")
    pofile.save(catalog, project_copy / rel)
    assert run_cli("check", "--lang", "ps", cwd=project_copy).returncode == 0
    strict = run_cli("check", "--lang", "ps", "--strict", cwd=project_copy)
    assert strict.returncode == 1 and ": ps: fuzzy:" in strict.stdout


def test_a_plural_form_for_one_number_may_leave_the_number_out() -> None:
    """As GNU msgfmt allows: Arabic says "دقيقة واحدة" and "دقيقتان", not "١ دقيقة" and "٢ دقيقتان"; the other forms keep it."""
    source = ("Reading time: %(num)s minute", "Reading time: %(num)s minutes")
    forms = ["مدة القراءة: %(num)s دقيقة", "مدة القراءة: دقيقة واحدة", "مدة القراءة: دقيقتان", "مدة القراءة: %(num)s دقائق", "مدة القراءة: %(num)s دقيقة", "مدة القراءة: %(num)s دقيقة"]
    assert not check_message(Message(source, tuple(forms), flags=["python-format"]), "ar", formatted=True)
    forms[3] = "مدة القراءة: دقائق"  # 3 to 10 minutes: the number is needed
    assert "placeholders" in {c for c, _, _ in check_message(Message(source, tuple(forms), flags=["python-format"]), "ar", formatted=True)}
    # English: the singular form is for 1 only, the plural for every other number
    assert "placeholders" in {c for c, _, _ in check_message(Message(source, ("One minute", "Minutes")), "en")}
    assert not {c for c, _, _ in check_message(Message(source, ("Reading time: one minute", "Reading time: %(num)s minutes")), "en")} & {"placeholders", "format"}
