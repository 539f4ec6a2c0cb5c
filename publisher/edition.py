"""Build one edition: the stages in order, source → model → edition → HTML → PDF.

Runs in a worker process; everything it needs arrives in a :class:`Job`, and
everything it reports leaves in a :class:`Result`. It writes one file,
atomically, and only if every stage succeeded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.support import NullTranslations

from publisher import interrupts, limits
from publisher.catalogs import pofile, store
from publisher.catalogs.checks import check_catalog, usable_layout
from publisher.catalogs.extract import LAYOUT_DOMAIN
from publisher.catalogs.pofile import line_of
from publisher.config import LocaleInfo, Project
from publisher.errors import Location, PublisherError
from publisher.fonts import Stacks, covered, describe, missing, stacks, suggestion
from publisher.fsutil import write_bytes
from publisher.layout import Layout, available, load_layout
from publisher.localize import Edition, localize
from publisher.model import Issue, deepest_nesting, plain_text
from publisher.source import read_issue


@dataclass(frozen=True)
class Options:
    strict: bool = False
    variant: str = "pdf/a-3b"
    bleed: str = ""
    marks: str = ""
    fmt: str = "pdf"
    tagged: bool = False


@dataclass(frozen=True)
class Job:
    root: Path
    issue_dir: Path
    locale: str
    out: Path
    inputs: str
    options: Options


@dataclass
class Result:
    locale: str
    file: str
    issue: str
    ok: bool = False
    rebuilt: bool = True
    pages: int = 0
    bytes: int = 0
    sha256: str = ""
    inputs: str = ""
    seconds: float = 0.0
    translated: int = 0
    total: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def coverage(self) -> float:
        return round(100.0 * self.translated / self.total, 1) if self.total else 100.0


def load_inputs(project: Project, issue_dir: Path) -> tuple[Issue, Layout]:
    """Parse the issue and load its series' layout."""
    issue = read_issue(issue_dir, project.rel(Path(issue_dir) / "issue.md"), available(project.layouts_dir), project.root)
    layout = load_layout(project.layouts_dir, issue.meta.series)
    depth, where = deepest_nesting(issue.sections)
    most = layout.settings.get("max_nesting", limits.LAYOUT_NESTING)
    if isinstance(most, bool) or not isinstance(most, int) or not 1 <= most <= limits.PARSER_DEPTH:
        raise PublisherError(f"max_nesting must be a whole number from 1 to {limits.PARSER_DEPTH}, not {most!r}", f"layouts/{layout.name}/layout.yaml")
    if depth > most:
        raise PublisherError(
            f"lists and quotes nested {depth} deep: more than the limit of {most} this layout can show (max_nesting in layouts/{layout.name}/layout.yaml)",
            where,
        )
    return issue, layout


def load_issues(project: Project, issue_dirs: list[Path]) -> list[tuple[Path, Issue, Layout]]:
    """Parse every issue given; two folders holding the same issue (series and number) are refused.

    They would write the same editions, manifest entries and catalog. A folder
    given twice is read once.
    """
    loaded: list[tuple[Path, Issue, Layout]] = []
    seen: dict[str, Path] = {}
    folders: set[Path] = set()
    for issue_dir in issue_dirs:
        if Path(issue_dir).resolve() in folders:
            continue
        folders.add(Path(issue_dir).resolve())
        issue, layout = load_inputs(project, issue_dir)
        if issue.domain in seen:
            raise PublisherError(
                f"number {issue.meta.number} of series {issue.meta.series} is also the number of {project.rel(seen[issue.domain] / 'issue.md')}: "
                "two issues would write the same editions and catalog; give each folder its own number",
                issue.meta.number_at,
            )
        seen[issue.domain] = Path(issue_dir)
        loaded.append((Path(issue_dir), issue, layout))
    return loaded


def catalogs_for(project: Project, locale: LocaleInfo, issue: Issue) -> tuple[Catalog | None, Catalog | None, dict[str, str]]:
    names = {
        issue.domain: project.rel(store.po_path(project, locale.code, issue.domain)),
        LAYOUT_DOMAIN: project.rel(store.po_path(project, locale.code, LAYOUT_DOMAIN)),
    }
    return (
        store.load_catalog(project, locale.code, issue.domain),
        store.load_catalog(project, locale.code, LAYOUT_DOMAIN),
        names,
    )


def check_coverage(edition: Edition, layout: Layout, layout_catalog: Catalog | None, points: frozenset[int], names: dict[str, str]) -> None:
    """No tofu: every character the edition prints must be in its fonts."""
    for unit in edition.issue.units():
        gaps = missing(plain_text(unit.inlines), points)
        if gaps:
            where = edition.sources.get(unit.id, unit.where)
            raise PublisherError(f"{edition.code}: {describe(gaps[0])} is in no font of this edition ({suggestion(gaps[0], layout)})", where)
    if layout_catalog is not None:
        for message in layout_catalog:
            if not message.id or message.fuzzy:
                continue
            strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
            gaps = missing("".join(s or "" for s in strings), points)
            if gaps:
                raise PublisherError(f"{edition.code}: {describe(gaps[0])} is in no font of this edition ({suggestion(gaps[0], layout)})", Location(names[LAYOUT_DOMAIN], line_of(message)))
    for text in (edition.gregorian, edition.number):
        gaps = missing(text, points)
        if gaps:
            raise PublisherError(f"{edition.code}: {describe(gaps[0])} (in a date or number) is in no font of this edition ({suggestion(gaps[0], layout)})")


def build_one(job: Job, record: Callable[[list[Result]], None] | None = None) -> Result:
    """Build one edition, stage after stage; errors become a failed Result, never a half-written file.

    ``record`` (the manifest) is called with the result right after the file
    is renamed into place, with signals deferred, so the two never disagree.
    """
    from publisher.config import load_project

    started = time.perf_counter()
    result = Result(locale=job.locale, file=job.out.name, issue=str(job.issue_dir), inputs=job.inputs)
    try:
        project = load_project(job.root)
        locale = project.locales[job.locale]
        issue, layout = load_inputs(project, job.issue_dir)
        issue_catalog, written_layout, names = catalogs_for(project, locale, issue)
        layout_catalog, unusable = usable_layout(written_layout, names[LAYOUT_DOMAIN], locale.code)
        edition = localize(issue, locale, layout, issue_catalog, layout_catalog, project.source_locale, names)
        _record_coverage(result, issue, edition, locale.code == project.source_locale)
        # Wrong output shown in English or cut short comes first: the command line prints the first few warnings.
        result.warnings[:0] = unusable + _cut_off(locale.code, {issue.domain: issue_catalog, LAYOUT_DOMAIN: written_layout}, names)
        if job.options.strict and locale.code != project.source_locale:
            _enforce_strict(result, edition, {issue.domain: issue_catalog, LAYOUT_DOMAIN: written_layout}, names, project.rel(job.issue_dir))
        font_stacks = stacks(layout, edition.settings.script)
        check_coverage(edition, layout, layout_catalog, covered(tuple(f.family for f in font_stacks.faces), font_stacks.faces), names)
        translations = pofile.translations(layout_catalog, LAYOUT_DOMAIN) if layout_catalog is not None else NullTranslations()
        from publisher import html as html_stage

        interrupts.checkpoint()
        text = html_stage.render(edition, layout, font_stacks, translations, issue.meta.period.end, job.options)
        interrupts.checkpoint()
        commit = _output(job, text, layout, font_stacks, issue.meta.period.end, result)
        interrupts.checkpoint()
        result.seconds = round(time.perf_counter() - started, 2)
        with interrupts.deferred():
            data = commit()
            result.bytes = len(data)
            result.sha256 = hashlib.sha256(data).hexdigest()
            result.ok = True
            if record:
                record([result])
        return result
    except PublisherError as exc:
        result.error = str(exc) if exc.where else f"{Path(job.issue_dir) / 'issue.md'}: {job.locale}: {exc.message}"
    except OSError as exc:  # a full disk or a vanished folder while WeasyPrint works
        result.error = f"{job.out}: {job.locale}: cannot write: {exc.strerror or exc}"
    result.ok = False
    result.seconds = round(time.perf_counter() - started, 2)
    if record:
        with interrupts.deferred():
            record([result])
    return result


def _record_coverage(result: Result, issue: Issue, edition: Edition, is_source: bool) -> None:
    """Translated units of the issue, and a warning for every message shown in English."""
    result.total = sum(1 for _ in issue.units())
    result.translated = result.total if is_source else result.total - sum(1 for m in edition.missing if m.domain == issue.domain)
    result.warnings.extend(_shown_in_english(miss, edition.code) for miss in edition.missing)


def _shown_in_english(miss, code: str) -> str:
    return f"{miss.where}: {code}: {miss.status}: shown in English: {miss.text[:60]}"


def _cut_off(code: str, catalogs: dict[str, Catalog | None], names: dict[str, str]) -> list[str]:
    """A warning for each translation far shorter than its source (a catalog cut off while saving?)."""
    return [str(f) for domain, catalog in catalogs.items() if catalog is not None for f in check_catalog(catalog, names[domain], code) if f.check == "short"]


def _enforce_strict(result: Result, edition: Edition, catalogs: dict[str, Catalog | None], names: dict[str, str], where: str) -> None:
    """``--strict``: any untranslated or fuzzy message, or any check error, fails the edition."""
    problems = []
    if edition.missing:
        problems.append(f"{len(edition.missing)} untranslated or fuzzy messages (first: {_shown_in_english(edition.missing[0], edition.code)})")
    for domain, catalog in catalogs.items():
        if catalog is not None:
            findings = [f for f in check_catalog(catalog, names[domain], edition.code) if f.severity == "error"]
            if findings:
                problems.append(f"{len(findings)} check errors (first: {findings[0]})")
    if problems:
        raise PublisherError("--strict: " + "; ".join(problems), where)


def _output(job: Job, text: str, layout: Layout, font_stacks: Stacks, created: dt.date, result: Result) -> Callable[[], bytes]:
    """Render the edition's file (PDF, or HTML preview with its fonts); return the step that writes it atomically."""
    fonts = [f.path for f in font_stacks.faces]
    if job.options.fmt == "html":
        from publisher.preview import write_preview

        def write_html() -> bytes:
            write_preview(text, job.out, fonts)
            return job.out.read_bytes()

        return write_html
    from publisher import pdf

    allowed = [layout.folder, Path(job.issue_dir), *{f.parent for f in fonts}]
    identifier = hashlib.sha256(job.inputs.encode()).hexdigest()[:32].encode()
    when = int(dt.datetime.combine(created, dt.time(), dt.UTC).timestamp())
    rendered = pdf.render(text, Path(job.issue_dir).resolve().as_uri() + "/", allowed, job.options.variant, identifier, when, job.options.tagged)
    result.pages = rendered.pages

    def write_pdf() -> bytes:
        write_bytes(job.out, rendered.pdf)
        return rendered.pdf

    return write_pdf
