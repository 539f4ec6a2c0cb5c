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
from dataclasses import dataclass, field, replace
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.support import NullTranslations

from publisher import figures, interrupts, limits
from publisher.catalogs import pofile, store
from publisher.catalogs.checks import check_catalog, glossary_of, usable_layout
from publisher.catalogs.extract import LAYOUT_DOMAIN
from publisher.catalogs.pofile import line_of
from publisher.config import LocaleInfo, Project
from publisher.errors import Location, PublisherError
from publisher.fonts import Stacks, covered, describe, missing, stacks, suggestion
from publisher.fsutil import write_bytes
from publisher.layout import Layout, available, load_layout, points
from publisher.localize import Edition, localize
from publisher.model import Issue, deepest_nesting, plain_text
from publisher.source import read_issue

TARGETS = ("screen", "print")  # the reader's file first: its name is the edition's


@dataclass(frozen=True)
class Options:
    strict: bool = False
    variant: str = ""  # "": the layout's; a pdf/x-* variant is the print file's, any other the screen file's
    bleed: str = ""  # "": the layout's
    marks: str = ""
    fmt: str = "pdf"
    tagged: bool = False  # the print file tagged too (the screen file always is)
    target: str = "both"  # print, screen or both

    @property
    def targets(self) -> tuple[str, ...]:
        """The files of an edition: an HTML preview is one file, shown as on screen."""
        if self.fmt != "pdf":
            return ("screen",)
        return TARGETS if self.target == "both" else (self.target,)


@dataclass(frozen=True)
class Output:
    """One file of an edition: its target (print or screen), path and inputs hash."""

    target: str
    path: Path
    inputs: str


@dataclass(frozen=True)
class Job:
    """One edition: laid out once, written as each of its outputs."""

    root: Path
    issue_dir: Path
    locale: str
    outputs: tuple[Output, ...]
    options: Options

    @property
    def names(self) -> str:
        return ", ".join(o.path.name for o in self.outputs)


@dataclass
class Result:
    locale: str
    file: str
    issue: str
    variant: str = "screen"
    conformance: str = ""
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
    typesetting: list[str] = field(default_factory=list)  # a typesetter's queries to the editor: lines no break could set well
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


@dataclass(frozen=True)
class Rendered:
    """An edition laid out as HTML, with what a preview shows about it (its units' messages and catalogs)."""

    html: str
    source: Issue  # the issue as written: its units carry their msgids
    edition: Edition
    layout: Layout
    stacks: Stacks
    catalogs: dict[str, Catalog | None]  # by domain, as written (fuzzy entries kept)
    names: dict[str, str]  # domain → the PO file as shown to people


def render_edition(job: Job, results: list[Result], preview: bool = False) -> Rendered:
    """The stages up to HTML (source → model → edition → HTML), shared by a build and ``publisher serve``.

    Fills each result's coverage and warnings; ``preview`` marks every unit
    with a data attribute (never in a published file).
    """
    from publisher.config import load_project

    project = load_project(job.root)
    locale = project.locales[job.locale]
    issue, layout = load_inputs(project, job.issue_dir)
    issue_catalog, written_layout, names = catalogs_for(project, locale, issue)
    layout_catalog, unusable = usable_layout(written_layout, names[LAYOUT_DOMAIN], locale.code)
    edition = localize(issue, locale, layout, issue_catalog, layout_catalog, project.source_locale, names)
    _record_coverage(results, issue, edition, locale.code == project.source_locale)
    catalogs = {issue.domain: issue_catalog, LAYOUT_DOMAIN: written_layout}
    # Wrong output shown in English or cut short comes first: the command line prints the first few warnings.
    first = unusable + _cut_off(locale.code, catalogs, names)
    coarse = figures.low_resolution(edition, layout, job.issue_dir) + figures.without_own_picture(issue.sections, locale.code, project.source_locale)
    for result in results:
        result.warnings[:0] = first
        result.warnings += coarse
    if job.options.strict and locale.code != project.source_locale:
        _enforce_strict(results[0], edition, catalogs, names, project.rel(job.issue_dir), glossary_of(project, locale.code))
    font_stacks = stacks(layout, edition.settings.script)
    check_coverage(edition, layout, layout_catalog, covered(tuple(f.family for f in font_stacks.faces), font_stacks.faces), names)
    translations = pofile.translations(layout_catalog, LAYOUT_DOMAIN) if layout_catalog is not None else NullTranslations()
    from publisher import html as html_stage

    interrupts.checkpoint()
    web = web_links(project, issue, locale.code) if job.options.fmt == "html" and not preview else None
    text = html_stage.render(edition, layout, font_stacks, translations, issue.meta.period.end, job.options, preview=preview, web=web)
    interrupts.checkpoint()
    return Rendered(text, issue, edition, layout, font_stacks, catalogs, names)


def web_links(project: Project, issue: Issue, code: str) -> dict:
    """The web edition's links, relative to its folder: every language's page (``hreflang``), its PDF, its language's index."""
    from publisher.build import output_name
    from publisher.web_index import index_name

    series, number = issue.meta.series, issue.meta.number
    alternates = []
    for other in project.locales.values():
        try:
            name = other.babel.get_display_name(other.code) or other.name
        except (ValueError, LookupError):
            name = other.name
        alternates.append({"lang": other.bcp47, "dir": other.direction, "name": name, "href": output_name(series, number, other.code, "html"), "current": other.code == code})
    return {"alternates": alternates, "pdf": output_name(series, number, code, "pdf"), "index": index_name(code)}


def build_one(job: Job, record: Callable[[list[Result]], None] | None = None) -> list[Result]:
    """Build one edition, stage after stage, and write its files; errors become failed Results, never a half-written file.

    ``record`` (the manifest) is called with each file's result right after
    that file is renamed into place, with signals deferred, so the two never
    disagree.
    """
    started = time.perf_counter()
    results = [Result(locale=job.locale, file=o.path.name, issue=str(job.issue_dir), inputs=o.inputs, variant=o.target) for o in job.outputs]
    try:
        rendered = render_edition(job, results)
        text, layout, font_stacks, issue = rendered.html, rendered.layout, rendered.stacks, rendered.source
        pictures = [(figure.src, path) for figure, path in figures.files(rendered.edition, job.issue_dir)]
        commits = _output(job, text, layout, font_stacks, issue.meta.period.end, results, pictures)
        for result, commit in zip(results, commits, strict=True):
            interrupts.checkpoint()
            result.seconds = round(time.perf_counter() - started, 2)
            with interrupts.deferred():
                data = commit()
                result.bytes = len(data)
                result.sha256 = hashlib.sha256(data).hexdigest()
                result.ok = True
                if record:
                    record([result])
        return results
    except (PublisherError, OSError) as exc:
        error = error_line(job, exc)
    failed = [r for r in results if not r.ok]
    for result in failed:
        result.error = error
        result.seconds = round(time.perf_counter() - started, 2)
    if record:
        with interrupts.deferred():
            record(failed)
    return results


def error_line(job: Job, exc: PublisherError | OSError) -> str:
    """An edition's failure as one ``file:line: message`` line (the issue file when the error names no place)."""
    if isinstance(exc, PublisherError):
        return str(exc) if exc.where else f"{Path(job.issue_dir) / 'issue.md'}: {job.locale}: {exc.message}"
    # a full disk or a vanished folder while WeasyPrint works
    return f"{job.names}: {job.locale}: cannot write: {exc.strerror or exc}"


def _record_coverage(results: list[Result], issue: Issue, edition: Edition, is_source: bool) -> None:
    """Translated units of the issue, and a warning for every message shown in English (the same in each file)."""
    total = sum(1 for _ in issue.units())
    translated = total if is_source else total - sum(1 for m in edition.missing if m.domain == issue.domain)
    warnings = [_shown_in_english(miss, edition.code) for miss in edition.missing]
    for result in results:
        result.total, result.translated, result.warnings = total, translated, list(warnings)


def _shown_in_english(miss, code: str) -> str:
    return f"{miss.where}: {code}: {miss.status}: shown in English: {miss.text[:60]}"


def _cut_off(code: str, catalogs: dict[str, Catalog | None], names: dict[str, str]) -> list[str]:
    """A warning for each translation far shorter than its source (a catalog cut off while saving?)."""
    return [str(f) for domain, catalog in catalogs.items() if catalog is not None for f in check_catalog(catalog, names[domain], code) if f.check == "short"]


def _enforce_strict(result: Result, edition: Edition, catalogs: dict[str, Catalog | None], names: dict[str, str], where: str, terms: list) -> None:
    """``--strict``: any untranslated or fuzzy message, or any check error (glossary misses too), fails the edition."""
    problems = []
    if edition.missing:
        problems.append(f"{len(edition.missing)} untranslated or fuzzy messages (first: {_shown_in_english(edition.missing[0], edition.code)})")
    for domain, catalog in catalogs.items():
        if catalog is not None:
            findings = [f for f in check_catalog(catalog, names[domain], edition.code, terms) if f.severity == "error"]
            if findings:
                problems.append(f"{len(findings)} check errors (first: {findings[0]})")
    if problems:
        raise PublisherError("--strict: " + "; ".join(problems), where)


def _output(
    job: Job, text: str, layout: Layout, font_stacks: Stacks, created: dt.date, results: list[Result], pictures: list[tuple[str, Path]]
) -> list[Callable[[], bytes]]:
    """Render the edition's files (PDFs, or an HTML preview with its fonts and figures' pictures); return the steps that write each atomically."""
    fonts = [f.path for f in font_stacks.faces]
    if job.options.fmt == "html":
        from publisher.preview import write_preview

        [output] = job.outputs

        def write_html() -> bytes:
            write_preview(text, output.path, fonts, pictures)
            return output.path.read_bytes()

        return [write_html]
    from publisher import pdf

    allowed = [layout.folder, Path(job.issue_dir), *{f.parent for f in fonts}]
    targets = []
    for output, result in zip(job.outputs, results, strict=True):
        target = target_of(output.target, layout, job.options)
        if output.target == "print":
            allowed.append(_profile(layout))
        result.conformance = target.variant
        targets.append(replace(target, identifier=hashlib.sha256(output.inputs.encode()).hexdigest()[:32].encode()))
    when = int(dt.datetime.combine(created, dt.time(), dt.UTC).timestamp())
    rendered = pdf.render(text, Path(job.issue_dir).resolve().as_uri() + "/", allowed, targets, when)

    def writer(output: Output, made: pdf.Rendered) -> Callable[[], bytes]:
        def write_pdf() -> bytes:
            write_bytes(output.path, made.pdf)
            return made.pdf

        return write_pdf

    for output, result in zip(job.outputs, results, strict=True):
        result.pages = rendered[output.target].pages
        result.typesetting = list(rendered[output.target].queries)
    return [writer(output, rendered[output.target]) for output in job.outputs]


def target_of(name: str, layout: Layout, options: Options):  # noqa: ANN201 - a pdf.Target (pdf is imported late)
    """The PDF variant and settings of the print or screen file: the layout's, or ``--pdf-variant``'s for its kind."""
    from publisher.pdf import Target

    asked = options.variant
    if name == "print":
        variant = asked if asked.startswith("pdf/x-") else layout.print.variant
        bleed = points(options.bleed or layout.print.bleed)
        return Target("print", variant, tagged=options.tagged, page_multiple=layout.print.page_multiple, marks=options.marks, bleed=bleed, inks=layout.print.inks)
    variant = asked if asked and not asked.startswith("pdf/x-") else layout.screen.variant
    return Target("screen", variant, tagged=True)


def _profile(layout: Layout) -> Path:
    """The print file's CMYK output profile, installed by a system package named in the layout."""
    profile = layout.print.profile
    if profile is None or not profile.is_file():
        package = f" (install the package {layout.print.profile_package})" if layout.print.profile_package else ""
        lines = (layout.folder / "layout.yaml").read_text(encoding="utf-8").splitlines()
        line = next((n for n, text in enumerate(lines, 1) if str(profile) in text), 1)
        raise PublisherError(f"print.output_profile: {profile} is missing{package}", f"layouts/{layout.name}/layout.yaml:{line}")
    return profile
