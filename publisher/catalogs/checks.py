"""Translation quality checks, each finding ``file:line: locale: check: message``.

Errors (exit 1): markup that differs from the source (bold, italic, links and
their targets), placeholders, numbers, bidi embedding/override and control
characters, leading/trailing whitespace, end punctuation, an agreed glossary term
not translated as agreed, and (layout
catalog) a translation the layout cannot %-format. Listed as warnings: fuzzy
and untranslated messages, a translation far shorter than its source (a cut
catalog?), and a translation identical to its English source unless it is a
name or a URL.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import asdict, dataclass
from functools import cache
from gettext import c2py

from babel import UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural

from publisher.catalogs import glossary, store
from publisher.catalogs.extract import LAYOUT_DOMAIN
from publisher.catalogs.pofile import line_of
from publisher.config import LocaleInfo, Project
from publisher.errors import PublisherError
from publisher.inline import parse_inline, signature
from publisher.locale_rules.bidi import CONTROLS as BIDI_CONTROLS
from publisher.locale_rules.digits import to_ascii
from publisher.model import plain_text

PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[#0 +-]?\d*(?:\.\d+)?[sdifr]|%[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}")
NUMBER = re.compile(r"\d+(?:[.,٫٬]\d+)*")
URL = re.compile(r"^(https?://|mailto:|www\.)\S+$|^\S+@\S+\.\S+$|^[\w.-]+\.[a-z]{2,}(/\S*)?$", re.I)
NAME_PARTICLES = {"of", "and", "for", "the", "de", "al", "ul", "van", "von", "bin"}
TRAILING = "\"'”’»)]*_ \u00a0"
# What Jinja2's newstyle gettext formats: every layout message, %(name)s with text values.
FORMAT_SPEC = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<conv>.?)", re.S)
# C0 and C1 control characters other than tab and line ends (a PO escape such as \a or \b).
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A translation shorter than this share of a long source (in characters) is flagged as cut off.
SHORT_SHARE, SHORT_FROM = 0.3, 40
END_CLASSES = {"?": "question", "؟": "question", "⸮": "question", "!": "exclamation", ":": "colon", ".": "stop", "۔": "stop", "。": "stop"}


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    locale: str
    check: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.locale}: {self.check}: {self.message}"

    def as_dict(self) -> dict:
        return asdict(self)


def _strings(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string or ""]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def is_name_or_url(text: str) -> bool:
    """Text that may stay as it is in every language: a URL, an e-mail, an acronym or a proper name."""
    text = text.strip()
    if URL.match(text) or re.fullmatch(r"[A-Z0-9&.\- ]{2,12}", text) or re.fullmatch(r"[+\d ()\-]{5,}", text):
        return True
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if w not in NAME_PARTICLES]
    return bool(words) and len(words) <= 7 and all(w[0].isupper() for w in words) and not re.search(r"[.!?]$", text)


def _end_class(text: str) -> str:
    text = text.rstrip(TRAILING)
    return END_CLASSES.get(text[-1:], "none") if text else "none"


def _numbers(text: str) -> Counter:
    return Counter(re.sub(r"[.,٫٬]", "", n) for n in NUMBER.findall(to_ascii(text)))


def forbidden_character(text: str) -> str | None:
    """Why ``text`` may not be printed: a bidi embedding/override or a control character; None if it may."""
    found = BIDI_CONTROLS.search(text)
    if found:
        return f"bidi embedding/override character U+{ord(found.group(0)):04X} is not allowed (it could reorder what surrounds it; LRM/RLM are fine)"
    found = CONTROL_CHARS.search(text)
    if found:
        return f"control character U+{ord(found.group(0)):04X} is not allowed in text (a PO escape such as \\a or \\b?)"
    return None


def format_problem(message: Message) -> str | None:
    """Why the layout cannot format this translation as it formats the source (Jinja2 %-formats every layout message)."""
    names = {m.group("name") for text in _ids(message) for m in FORMAT_SPEC.finditer(text) if m.group("name") is not None}
    optional = {"num"} if message.pluralizable else set()
    known = ", ".join(f"%({n})s" for n in sorted(names | optional)) or "none"
    for translation in _strings(message):
        used = set()
        for spec in FORMAT_SPEC.finditer(translation):
            name, conv = spec.group("name"), spec.group("conv")
            if name is None and conv == "%":
                continue
            if name is None:
                return f"'{spec.group(0)}' is not a placeholder of this message (placeholders: {known}; a percent sign is written %%)"
            if name not in names | optional:
                return f"unknown placeholder %({name}){conv} (placeholders: {known})"
            if conv not in ("s", "r"):
                return f"placeholder %({name}){conv} must end in 's' (the layout gives it text)"
            used.add(name)
        lost = names - used - optional  # a plural form for one number may leave it out ("دقيقتان"): the placeholders check says which
        if lost:
            return f"placeholder(s) {', '.join(f'%({n})s' for n in sorted(lost))} of the source missing from the translation"
        try:
            translation % {name: "1" for name in names | optional}
        except (ValueError, TypeError, KeyError) as exc:
            return f"cannot be formatted: {exc}"
    return None


def usable_layout(catalog: Catalog | None, display: str, locale: str) -> tuple[Catalog | None, list[str]]:
    """The layout catalog without the translations it cannot format (shown in the source language), and a warning for each."""
    if catalog is None:
        return None, []
    bad = [m for m in catalog if m.id and not m.fuzzy and all(_strings(m)) and format_problem(m)]
    if not bad:
        return catalog, []
    usable = copy.deepcopy(catalog)
    warnings = []
    for message in bad:
        warnings.append(f"{display}:{line_of(message)}: {locale}: format: {format_problem(message)}; shown in English")
        usable.delete(message.id, message.context)
    return usable, warnings


def check_message(message: Message, locale: str, formatted: bool = False) -> list[tuple[str, str, str]]:
    """(check, message, severity) for one catalog entry; ``formatted``: the layout %-formats it."""
    found: list[tuple[str, str, str]] = []
    strings = _strings(message)
    if message.fuzzy and any(strings):
        return [("fuzzy", "translation needs review (source changed)", "warning")]
    if not all(strings):
        return [("untranslated", "no translation yet", "warning")]
    sources = _ids(message)
    source = sources[0]
    for index, translation in enumerate(strings):
        src = sources[min(index, len(sources) - 1)] if len(sources) > 1 else source
        forbidden = forbidden_character(translation)
        if forbidden:
            found.append(("bidi-control" if BIDI_CONTROLS.search(translation) else "control", forbidden, "error"))
        try:
            src_inl, tr_inl = parse_inline(src), parse_inline(translation)
        except PublisherError as exc:  # over a size or nesting limit: the build refuses it too
            found.append(("limit", exc.message, "error"))
            continue
        if Counter(signature(src_inl)) != Counter(signature(tr_inl)):
            found.append(("markup", f"markup differs from the source: {_describe(signature(src_inl))} vs {_describe(signature(tr_inl))}", "error"))
        expected, given = Counter(PLACEHOLDER.findall(src)), Counter(PLACEHOLDER.findall(translation))
        if len(strings) > 1 and _single_number_form(locale, index):
            expected = Counter({spec: n for spec, n in expected.items() if not COUNT.fullmatch(spec)}) + Counter({s: n for s, n in given.items() if COUNT.fullmatch(s)})
        if expected != given and (len(sources) == 1 or index == 0 or Counter(PLACEHOLDER.findall(sources[-1])) != given):
            found.append(("placeholders", f"placeholders {sorted(PLACEHOLDER.findall(src))} expected, found {sorted(PLACEHOLDER.findall(translation))}", "error"))
        lost = _numbers(PLACEHOLDER.sub("", plain_text(src_inl))) - _numbers(PLACEHOLDER.sub("", plain_text(tr_inl)))
        if lost and not (len(strings) > 1):
            found.append(("numbers", f"number(s) of the source missing from the translation: {', '.join(sorted(lost))}", "error"))
        if (src[:1].isspace(), src[-1:].isspace()) != (translation[:1].isspace(), translation[-1:].isspace()):
            found.append(("whitespace", "leading/trailing whitespace differs from the source", "error"))
        a, b = _end_class(plain_text(src_inl)), _end_class(plain_text(tr_inl))
        if a != b and "none" not in (a, b) or (a == "question") != (b == "question"):
            found.append(("punctuation", f"the source ends with a {a} mark, the translation with {'a ' + b + ' mark' if b != 'none' else 'none'}", "error"))
        if translation == src and not is_name_or_url(plain_text(src_inl)):
            found.append(("identical", "translation is identical to the English source", "warning"))
        shown, source_text = plain_text(tr_inl).strip(), plain_text(src_inl).strip()
        if len(source_text) >= SHORT_FROM and len(shown) < SHORT_SHARE * len(source_text):
            found.append(("short", f"translation has {len(shown)} characters for a source of {len(source_text)}: cut off?", "warning"))
    if formatted and not any(check == "placeholders" for check, _, _ in found):
        problem = format_problem(message)
        if problem:
            found.append(("format", problem, "error"))
    return found


COUNT = re.compile(r"%\(num\)[sd]")  # the number a plural message counts (Jinja2's ngettext names it num)


@cache
def _single_number_form(locale: str, index: int) -> bool:
    """Whether plural form ``index`` of the locale is used for one number only (Arabic "دقيقة واحدة", "دقيقتان").

    Such a form may leave the number out, as GNU msgfmt allows; the forms
    come from Babel's table, which writes the catalogs' Plural-Forms.
    """
    try:
        count, expression = get_plural(locale)
    except (ValueError, UnknownLocaleError):
        return False
    pick = c2py(expression)
    return index < count and sum(1 for n in range(1000) if pick(n) == index) == 1


def _describe(sig: list[str]) -> str:
    return "[" + " ".join(sig) + "]" if sig else "[no markup]"


def glossary_findings(message: Message, terms: list[glossary.Term]) -> list[tuple[str, str, str]]:
    """A ``glossary`` error for each agreed term of the source whose agreed translation is missing.

    An error, not a warning: the glossary is what the translators and the
    reviewers agreed, and ``--strict`` must hold a build to it. A form the
    matching does not foresee is added to the entry's ``also:`` list.
    """
    strings, sources = _strings(message), _ids(message)
    if not terms or message.fuzzy or not all(strings):
        return []
    found = []
    for index, translation in enumerate(strings):
        for term in glossary.misses(terms, sources[min(index, len(sources) - 1)], translation):
            found.append(("glossary", f"'{' '.join(term.english)}' ({term.source}) should be translated '{term.shown}' (glossary line {term.line})", "error"))
        if found:
            break
    return found


def glossary_of(project: Project, locale: str) -> list[glossary.Term]:
    path = project.locales_dir / locale / "glossary.yaml"
    return glossary.load(path, locale, project.rel(path))


def check_catalog(catalog: Catalog, display: str, locale: str, terms: list[glossary.Term] | None = None) -> list[Finding]:
    findings = []
    for message in catalog:
        if not message.id:
            continue
        for check, text, severity in check_message(message, locale, formatted=catalog.domain == LAYOUT_DOMAIN) + glossary_findings(message, terms or []):
            findings.append(Finding(display, line_of(message), locale, check, text, severity))
    return findings


def check_project(project: Project, locales: list[LocaleInfo], domains: list[str] | None) -> list[Finding]:
    """Every check on every given locale's catalogs (the source locale is skipped)."""
    findings: list[Finding] = []
    terms = {}
    for locale in locales:
        try:
            terms[locale.code] = glossary_of(project, locale.code)
        except PublisherError as exc:
            file, _, line = str(exc.where).rpartition(":")
            findings.append(Finding(file, int(line) if line.isdigit() else 0, locale.code, "glossary", exc.message))
            terms[locale.code] = []
    for domain in domains or store.domains(project):
        for locale in locales:
            if locale.code == project.source_locale:
                continue
            path = store.po_path(project, locale.code, domain)
            display = project.rel(path)
            if not path.exists():
                findings.append(Finding(display, 0, locale.code, "missing-catalog", "no catalog; run 'publisher update'"))
                continue
            try:
                catalog = store.load_catalog(project, locale.code, domain)
            except PublisherError as exc:
                where = str(exc.where or display)
                file, _, line = where.rpartition(":")
                findings.append(Finding(file or where, int(line) if line.isdigit() else 0, locale.code, "catalog", exc.message))
                continue
            assert catalog is not None
            findings.extend(check_catalog(catalog, display, locale.code, terms[locale.code]))
    return findings
