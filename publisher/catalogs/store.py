"""Where catalogs live in a project, and the commands' file work on them.

Templates: ``locales/<domain>.pot``; catalogs:
``locales/<locale>/LC_MESSAGES/<domain>.po`` (and ``.mo`` after compile).
Every write is atomic; a catalog changed by someone else while we merged it
is not overwritten.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from publisher.catalogs import pofile
from publisher.catalogs.extract import COPYRIGHT, LAYOUT_DOMAIN, issue_template, layout_template, template_date
from publisher.catalogs.memory import Filled, Memory, fill
from publisher.catalogs.merge import merge
from publisher.config import LocaleInfo, Project
from publisher.errors import PublisherError, UsageError
from publisher.fsutil import write_bytes
from publisher.model import Issue


def pot_path(project: Project, domain: str) -> Path:
    return project.locales_dir / f"{domain}.pot"


def po_path(project: Project, locale: str, domain: str) -> Path:
    return project.locales_dir / locale / "LC_MESSAGES" / f"{domain}.po"


def domains(project: Project) -> list[str]:
    """Every domain with a template, the layout's first."""
    found = sorted(p.stem for p in project.locales_dir.glob("*.pot"))
    return sorted(found, key=lambda d: (d != LAYOUT_DOMAIN, d))


def _same_but_dates(a: bytes, b: bytes) -> bool:
    def strip(data: bytes) -> list[bytes]:
        return [line for line in data.split(b"\n") if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:'))]

    return strip(a) == strip(b)


def write_template(project: Project, catalog: Catalog) -> bool:
    """Write a POT unless only its dates would change (no churn)."""
    path = pot_path(project, catalog.domain)
    data = pofile.dumps(catalog)
    if path.exists() and _same_but_dates(path.read_bytes(), data):
        return False
    write_bytes(path, data)
    return True


def extract(project: Project, issues: list[Issue], layout_dirs: list[Path]) -> list[tuple[Path, bool]]:
    """Write the templates of the given issues and layouts."""
    when = template_date()
    written = []
    layout_catalog: Catalog | None = None
    for layout_dir in layout_dirs:
        part = layout_template(layout_dir, project.root, when)
        if layout_catalog is None:
            layout_catalog = part
        else:
            for message in part:
                if message.id and layout_catalog.get(message.id, message.context) is None:
                    layout_catalog[message.id] = message
    if layout_catalog is not None:
        written.append((pot_path(project, LAYOUT_DOMAIN), write_template(project, layout_catalog)))
    for issue in issues:
        written.append((pot_path(project, issue.domain), write_template(project, issue_template(issue, when))))
    return written


def load_template(project: Project, domain: str) -> Catalog:
    path = pot_path(project, domain)
    return pofile.load(path, project.rel(path), domain=domain)


def load_catalog(project: Project, locale: str, domain: str) -> Catalog | None:
    """A locale's catalog, or None when it has none for the domain."""
    path = po_path(project, locale, domain)
    if not path.exists():
        return None
    return pofile.load(path, project.rel(path), locale=locale, domain=domain)


TRANSLATORS = "CSRS translators <info@csrsaf.org>"


def new_catalog(template: Catalog, locale: LocaleInfo) -> Catalog:
    """A fresh catalog for ``locale`` with complete, correct headers (plural forms from CLDR, no placeholders)."""
    holder = template.copyright_holder if template.copyright_holder not in (None, "", "ORGANIZATION") else COPYRIGHT
    year = template.creation_date.year
    catalog = Catalog(
        locale=locale.code,
        domain=template.domain,
        header_comment=(
            f"# {locale.babel.english_name} translations for {template.project}.\n"
            f"# Copyright (C) {year} {holder}\n"
            f"# This file is distributed under the same license as the {template.project} project.\n"
            f"# {TRANSLATORS}, {year}.\n#"
        ),
        project=template.project,
        version=template.version,
        copyright_holder=holder,
        msgid_bugs_address=template.msgid_bugs_address,
        creation_date=template.creation_date,
        revision_date=template.creation_date,
        language_team=f"{locale.name} <info@csrsaf.org>",
        last_translator=TRANSLATORS,
        charset="utf-8",
        fuzzy=False,
    )
    # Babel inserts the template's own Message objects: a copy, or filling one
    # locale from memory would write its translations into the next locale's.
    catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
    return catalog


@dataclass
class Outcome:
    path: Path
    action: str  # created, updated, unchanged
    filled: Filled = field(default_factory=Filled)  # new messages the translation memory filled


def load_memory(project: Project, locale: str, cache: dict[Path, Catalog] | None = None) -> Memory:
    """Every translated message of every catalog of ``locale`` (``cache``: catalogs already read, by path)."""
    memory = Memory(locale)
    folder = project.locales_dir / locale / "LC_MESSAGES"
    for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        catalog = cache.get(path) if cache is not None else None
        if catalog is None:
            catalog = pofile.load(path, project.rel(path), locale=locale, domain=path.stem)
            if cache is not None:
                cache[path] = catalog
        memory.add_catalog(catalog, project.rel(path))
    return memory


def update(project: Project, locales: list[LocaleInfo], purge_obsolete: bool = False, use_memory: bool = True) -> list[Outcome]:
    """Merge every template into every given locale's catalog (``purge_obsolete``: drop ``#~`` entries).

    ``use_memory``: fill each translated locale's untranslated messages from
    its other catalogs (:mod:`memory`); the source language has nothing to fill.
    """
    outcomes = []
    cache: dict[Path, Catalog] = {}
    memories: dict[str, Memory] = {}

    def fill_from_memory(catalog: Catalog, locale: LocaleInfo) -> Filled:
        if not use_memory or locale.code == project.source_locale or not any(m.id and not m.string for m in catalog):
            return Filled()
        if locale.code not in memories:
            memories[locale.code] = load_memory(project, locale.code, cache)
        return fill(catalog, memories[locale.code])

    for domain in domains(project):
        template = load_template(project, domain)
        for locale in locales:
            path = po_path(project, locale.code, domain)
            if not path.exists():
                catalog = new_catalog(template, locale)
                filled = fill_from_memory(catalog, locale)
                write_bytes(path, pofile.dumps(catalog))
                outcomes.append(Outcome(path, "created", filled))
                continue
            before = path.read_bytes()
            catalog = cache.pop(path, None) or pofile.load(path, project.rel(path), locale=locale.code, domain=domain)
            merged = merge(catalog, template)
            filled = fill_from_memory(merged, locale)
            if purge_obsolete:
                merged.obsolete.clear()
            data = pofile.dumps(merged)
            if data == before:
                outcomes.append(Outcome(path, "unchanged", filled))
                continue
            if hashlib.sha256(path.read_bytes()).digest() != hashlib.sha256(before).digest():
                raise PublisherError(
                    "changed on disk while it was being merged (is a translator saving it?); not overwritten, run update again",
                    project.rel(path),
                )
            write_bytes(path, data)
            outcomes.append(Outcome(path, "updated", filled))
    return outcomes


def init_lang(project: Project, locale: LocaleInfo) -> list[Path]:
    """Create a new language's catalogs from the templates."""
    made = []
    all_domains = domains(project)
    if not all_domains:
        raise UsageError("no templates yet: run 'publisher extract' first")
    for domain in all_domains:
        path = po_path(project, locale.code, domain)
        if path.exists():
            raise UsageError(f"{project.rel(path)} already exists; use 'publisher update'")
        write_bytes(path, pofile.dumps(new_catalog(load_template(project, domain), locale)))
        made.append(path)
    return made


def compile_all(project: Project, locales: list[LocaleInfo]) -> list[Path]:
    """Write ``.mo`` files beside the ``.po`` files (fuzzy entries left out)."""
    made = []
    for locale in locales:
        for domain in domains(project):
            catalog = load_catalog(project, locale.code, domain)
            if catalog is None:
                continue
            path = po_path(project, locale.code, domain).with_suffix(".mo")
            write_bytes(path, pofile.mo_bytes(catalog))
            made.append(path)
    return made



def export_xliff(project: Project, locale: LocaleInfo, domain_names: list[str] | None) -> tuple[bytes, int]:
    """The locale's catalogs (``domain_names``, or all) as one XLIFF document, and how many units it has."""
    from publisher.catalogs import xliff

    if locale.code == project.source_locale:
        raise UsageError(f"{locale.code} is the source language: there is nothing to translate")
    catalogs = []
    for domain in domain_names or domains(project):
        catalog = load_catalog(project, locale.code, domain)
        if catalog is None:
            raise PublisherError(f"no catalog for {locale.code}: run 'publisher update' first", project.rel(po_path(project, locale.code, domain)))
        catalogs.append((project.rel(po_path(project, locale.code, domain)), catalog))
    units = sum(1 for _, catalog in catalogs for message in catalog if message.id)
    return xliff.dumps(catalogs, project.source_locale, locale.code), units


@dataclass
class Imported:
    path: Path
    written: bool
    changed: int
    unchanged: int
    unknown: list[str]  # file:line: msgid of units no message of the catalog has


def import_xliff(project: Project, locale: LocaleInfo, source: Path, display: str) -> list[Imported]:
    """Merge a translator's XLIFF file into the locale's catalogs (by msgctxt and msgid); every file is checked before any is written."""
    from babel.messages.plurals import get_plural

    from publisher import limits
    from publisher.catalogs import xliff
    from publisher.fsutil import read_regular

    try:
        data = read_regular(source, display, limits.CATALOG_BYTES)
    except FileNotFoundError:
        raise PublisherError("no such file", display) from None
    files = xliff.parse(data, display, locale.code)
    known = set(domains(project))
    nplurals = get_plural(locale.code).num_plurals
    plans = []
    for found in files:
        domain = xliff.po_domain(found.original, locale.code)
        path = po_path(project, locale.code, domain) if domain else None
        if domain not in known or path is None or project.rel(path) != found.original or not path.exists():
            raise PublisherError(f"<file original='{found.original}'> is not a {locale.code} catalog of this project", f"{display}:{found.line}")
        before = path.read_bytes()
        catalog = pofile.load(path, project.rel(path), locale=locale.code, domain=domain)
        applied = xliff.apply(catalog, found.units, nplurals, display)
        unknown = [f"{display}:{u.line}: {u.msgid[:60]!r}" for u in applied.unknown]
        plans.append((path, before, catalog, applied, unknown))
    results = []
    for path, before, catalog, applied, unknown in plans:
        if applied.changed and path.read_bytes() != before:
            raise PublisherError("changed on disk during the import (is a translator saving it?); not overwritten, import again", project.rel(path))
        written = pofile.save(catalog, path) if applied.changed else False
        results.append(Imported(path, written, applied.changed, applied.unchanged, unknown))
    return results
