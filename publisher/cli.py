"""The command line: ``publisher build|serve|extract|update|init-lang|compile|status|check|export|import|proof``.

Only argument handling and printing live here; each command calls one
function of the library. A user's mistake is one line on stderr and exit
code 1 (content) or 2 (usage); ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

from publisher import __version__
from publisher.errors import EXIT_CONTENT, EXIT_OK, PublisherError, UsageError, printable

SIZE = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt|px)$")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="publisher",
        description="Publish the CSRS Weekly Analysis in every language from one source.",
        epilog="Exit codes: 0 success, 1 a content problem (bad source or catalog, check errors under --strict, missing glyphs), 2 a usage error.",
    )
    parser.add_argument("--version", action="version", version=f"publisher {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--root", type=Path, help="project folder (default: found from the current folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("build", help="build the PDF editions of one or more issues")
    p.add_argument("issues", nargs="+", type=Path, metavar="ISSUE_DIR")
    p.add_argument("--lang", action="append", help="locale(s): en, ps, fa_AF (or prs), ar, or all (default); repeat or comma-separate")
    p.add_argument("--out", type=Path, default=Path("dist"), help="output folder (default: dist)")
    p.add_argument("--jobs", "-j", type=int, default=0, help="worker processes (default: number of cores)")
    p.add_argument("--force", action="store_true", help="rebuild even editions whose inputs did not change")
    p.add_argument("--fail-fast", action="store_true", help="stop at the first failed edition")
    p.add_argument("--strict", action="store_true", help="fail an edition with untranslated or fuzzy messages or check errors")
    p.add_argument("--target", default="both", choices=["print", "screen", "both"], help="print: NAME-print.pdf for the printer (PDF/X, bleed, whole sheets); screen: NAME.pdf for readers (tagged); both (default)")
    p.add_argument("--pdf-variant", default="", help="a pdf/x-* variant for the print file (default: the layout's, pdf/x-4), any other for the screen file (default: the layout's, pdf/a-3a; pdf/ua-1…); any variant WeasyPrint offers, or none")
    p.add_argument("--tagged", action="store_true", help="tag the print file too (the screen file always is)")
    p.add_argument("--bleed", default="", help="the print file's bleed (default: the layout's, 3mm)")
    p.add_argument("--marks", default="", choices=["", "crop", "cross", "crop cross"], help="printer's marks on the print file")
    p.add_argument("--format", dest="fmt", default="pdf", choices=["pdf", "html"], help="pdf, or html for a browser preview")
    p.add_argument("--json", action="store_true", help="print the results as JSON on stdout")
    p.add_argument("--quiet", "-q", action="store_true", help="print only errors")

    p = sub.add_parser("serve", help="a live preview in the browser: every edition rebuilt as you save")
    p.add_argument("issues", nargs="*", type=Path, metavar="ISSUE_DIR", help="default: every issue under issues/")
    p.add_argument("--lang", action="append", help="locale(s) (default: all)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0: any free port)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--quiet", "-q", action="store_true", help="print only errors")

    p = sub.add_parser("extract", help="write the message templates (.pot) of the layout and the issues")
    p.add_argument("issues", nargs="*", type=Path, metavar="ISSUE_DIR", help="default: every issue under issues/")

    p = sub.add_parser("update", help="merge the templates into every locale's catalogs (.po)")
    p.add_argument("--lang", action="append")
    p.add_argument("--purge-obsolete", action="store_true", help="drop obsolete (#~) entries: translations of text no longer in any issue")
    p.add_argument("--no-memory", action="store_true", help="leave new messages empty (by default they are filled from the locale's other catalogs)")

    p = sub.add_parser("tm", help="the translation memory (every translated message of every catalog) for CAT tools")
    p.add_argument("action", choices=["export"])
    p.add_argument("--format", dest="fmt", default="tmx", choices=["tmx"])
    p.add_argument("--lang", action="append", help="locale(s) (default: every translated locale)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.tmx")

    p = sub.add_parser("init-lang", help="create the catalogs of a new locale")
    p.add_argument("locale")

    p = sub.add_parser("compile", help="write .mo files beside the .po files")
    p.add_argument("--lang", action="append")

    p = sub.add_parser("status", help="translation progress per locale and domain")
    p.add_argument("issues", nargs="*", type=Path, metavar="ISSUE_DIR")
    p.add_argument("--lang", action="append")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("check", help="check translations (markup, numbers, placeholders, bidi, punctuation)")
    p.add_argument("issues", nargs="*", type=Path, metavar="ISSUE_DIR")
    p.add_argument("--lang", action="append")
    p.add_argument("--json", action="store_true")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too (fuzzy, untranslated, identical, short): the gate before print")

    p = sub.add_parser("proof", help="a review proof (PDF and HTML): every message beside its translation, status, findings and edition page")
    p.add_argument("issue", type=Path, metavar="ISSUE_DIR")
    p.add_argument("--lang", required=True, help="the locale(s) to review, e.g. ps, comma-separated or all (the source language has none)")
    p.add_argument("--out", type=Path, default=Path("dist"), help="output folder (default: dist)")
    p.add_argument("--format", dest="fmt", default="pdf", choices=["pdf", "html"], help="pdf (with the HTML beside it, default) or html only")

    p = sub.add_parser("export", help="a locale's catalogs as XLIFF 1.2 for a CAT tool (Trados, memoQ, OmegaT)")
    p.add_argument("--format", dest="fmt", default="xliff", choices=["xliff"])
    p.add_argument("--lang", required=True, help="the target locale, e.g. ps")
    p.add_argument("--issue", action="append", type=Path, default=[], metavar="ISSUE_DIR", help="only the layout's and this issue's catalogs (default: every catalog)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE.xlf", help="default: standard output")

    p = sub.add_parser(
        "import",
        help="a Word draft (.docx) into an issue folder's issue.md, or a translated XLIFF file into a locale's catalogs",
        usage="publisher import DRAFT.docx --into ISSUE_DIR [options]\n       publisher import LOCALE FILE.xlf",
    )
    p.add_argument("sources", nargs="+", type=Path, metavar="DRAFT.docx | LOCALE FILE.xlf")
    p.add_argument("--into", type=Path, metavar="ISSUE_DIR", help="the issue folder to write, e.g. issues/456 (Word drafts)")
    p.add_argument("--number", type=int, help="the issue number (else read from an 'Issue Number – 456 (…)' line)")
    p.add_argument("--period", help="START..END, e.g. 2024-12-09..2024-12-13 (else read from the 'Issue Number' line)")
    p.add_argument("--series", help="the series (default: the project's only layout)")
    p.add_argument("--strict", action="store_true", help="exit 1 if anything in the document could not be mapped")
    p.add_argument("--force", action="store_true", help="replace an existing issue.md")

    p = sub.add_parser("import-translation", help="align a translator's Word document with an issue and fill its catalog (as fuzzy)")
    p.add_argument("locale")
    p.add_argument("docx", type=Path, metavar="TRANSLATED.docx")
    p.add_argument("--issue", type=Path, required=True, metavar="ISSUE_DIR")
    p.add_argument("--overwrite", action="store_true", help="also replace reviewed (non-fuzzy) translations")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    from publisher import interrupts

    try:
        with interrupts.handled():
            from publisher import limits
            from publisher.config import load_project

            limits.validate()
            project = load_project(args.root)
            handler = globals()[f"cmd_{args.command.replace('-', '_')}"]
            return int(handler(project, args) or EXIT_OK)
    except PublisherError as exc:
        if args.debug:
            raise
        print(f"publisher: {exc}" if not exc.where else str(exc), file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # e.g. `publisher status | head`
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("publisher: interrupted; files already written are complete and in the manifest, nothing half-written was kept", file=sys.stderr)
        return 128 + (interrupts.last_signal() or 2)


def _issue_dirs(project, given: list[Path]) -> list[Path]:
    if given:
        for path in given:
            if not path.is_dir():
                raise PublisherError("issue folder does not exist", str(path))
        return given
    return sorted(p.parent for p in (project.root / "issues").glob("*/issue.md"))


def cmd_build(project, args) -> int:
    from publisher.build import build
    from publisher.edition import Options
    from publisher.pdf import VARIANTS

    if args.pdf_variant and args.pdf_variant not in VARIANTS:
        raise UsageError(f"unknown --pdf-variant '{args.pdf_variant}' (known: {', '.join(VARIANTS)})")
    if args.bleed and not SIZE.match(args.bleed):
        raise UsageError(f"--bleed must be a length such as 3mm, not '{args.bleed}'")
    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (all cores) or more")
    locales = project.select(args.lang)
    issue_dirs = _issue_dirs(project, args.issues)
    options = Options(strict=args.strict, variant=args.pdf_variant, bleed=args.bleed, marks=args.marks, fmt=args.fmt, tagged=args.tagged, target=args.target)
    tty = sys.stderr.isatty() and not os.environ.get("NO_COLOR")
    quiet = args.quiet or args.json
    started = time.perf_counter()
    done = [0]
    shown: set[str] = set()
    queried: set[tuple[str, str]] = set()

    def on_start(job) -> None:
        if not quiet:
            print(f"  building {job.names} …", file=sys.stderr, flush=True)

    def on_done(result) -> None:
        done[0] += 1
        if result.ok and not quiet:
            what = "built" if result.rebuilt else "up to date"
            mark = "\033[32m✓\033[0m" if tty else "ok"
            pages = f"{result.pages} pages" if result.pages else ""
            secs = f"{result.seconds:.1f} s" if result.rebuilt else ""
            cov = f"{result.coverage:g}% translated" if result.coverage < 100 else ""
            step = f"[{done[0]}/{len(locales) * len(issue_dirs) * len(options.targets)}] " if tty else ""
            print(f"{step}{mark} {what:10} {result.file}  {', '.join(x for x in (pages, secs, cov) if x)}", file=sys.stderr, flush=True)
            for warning in result.warnings[:5]:
                print(f"    warning: {printable(warning)}", file=sys.stderr)
            if len(result.warnings) > 5:
                print(f"    … and {len(result.warnings) - 5} more (see manifest.json)", file=sys.stderr)
            if (result.issue, result.locale) not in queried:  # an edition's print and screen files share their lines: queried once
                queried.add((result.issue, result.locale))
                for query in result.typesetting:
                    print(f"    query: {printable(query)}", file=sys.stderr)
        elif not result.ok and result.error not in shown:  # an edition's error once, not once per file
            shown.add(result.error)
            print(printable(result.error), file=sys.stderr, flush=True)

    results = build(project, issue_dirs, locales, args.out, options, jobs=args.jobs, force=args.force, fail_fast=args.fail_fast, on_start=on_start, on_done=on_done)
    failed = [r for r in results if not r.ok]
    if args.fmt == "html":
        _write_indexes(project, issue_dirs, locales, args.out, quiet)
    if args.json:
        from dataclasses import asdict

        print(json.dumps({"ok": not failed, "out": str(args.out), "editions": [asdict(r) | {"coverage": r.coverage} for r in results]}, indent=2, ensure_ascii=False))
    elif not args.quiet:
        total = time.perf_counter() - started
        print(f"{len(results) - len(failed)} of {len(results)} files in {printable(str(args.out))}/ ({total:.1f} s); manifest: {printable(str(args.out / 'manifest.json'))}", file=sys.stderr)
    return EXIT_CONTENT if failed else EXIT_OK


def _write_indexes(project, issue_dirs: list[Path], locales, out: Path, quiet: bool) -> None:
    """The web edition's archive: an index page per language of the issues in ``out``."""
    from publisher.edition import load_issues
    from publisher.web_index import write_indexes

    layout = load_issues(project, issue_dirs[:1])[0][2]
    for path in write_indexes(project, out, locales, layout):
        if not quiet:
            print(f"wrote {printable(str(path))}", file=sys.stderr)


def cmd_serve(project, args) -> int:
    from publisher.serve.run import serve

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be from 0 to 65535, not {args.port}")
    issue_dirs = _issue_dirs(project, args.issues)
    if not issue_dirs:
        raise PublisherError("no issue to serve: give an issue folder such as issues/455")
    serve(project, issue_dirs, project.select(args.lang), args.host, args.port, args.quiet)
    return EXIT_OK


def cmd_extract(project, args) -> int:
    from publisher.catalogs import store
    from publisher.edition import load_issues

    issues, layouts = [], []
    for _, issue, layout in load_issues(project, _issue_dirs(project, args.issues)):
        issues.append(issue)
        if layout.folder not in layouts:
            layouts.append(layout.folder)
    if not layouts:
        layouts = sorted(p.parent for p in project.layouts_dir.glob("*/layout.yaml"))
    for path, changed in store.extract(project, issues, layouts):
        print(f"{'wrote' if changed else 'unchanged'} {project.rel(path)}")
    return EXIT_OK


def cmd_update(project, args) -> int:
    from publisher.catalogs import store

    for outcome in store.update(project, project.select(args.lang), purge_obsolete=args.purge_obsolete, use_memory=not args.no_memory):
        filled = outcome.filled
        memory = f" (translation memory: {filled.exact} translated, {filled.fuzzy} fuzzy, {filled.untranslated} left)" if filled.exact or filled.fuzzy else ""
        print(f"{outcome.action:9} {project.rel(outcome.path)}{memory}")
    return EXIT_OK


def cmd_tm(project, args) -> int:
    from publisher.catalogs.memory import tmx_bytes
    from publisher.catalogs.store import load_memory
    from publisher.fsutil import write_bytes

    memories = [load_memory(project, locale.code) for locale in project.select(args.lang) if locale.code != project.source_locale]
    write_bytes(args.output, tmx_bytes(memories, project.source_locale))
    units = sum(len(m.remembered()) for m in memories)
    print(f"wrote {args.output}: {units} translation units ({', '.join(m.locale for m in memories)})", file=sys.stderr)
    return EXIT_OK


def cmd_init_lang(project, args) -> int:
    from publisher.catalogs import store
    from publisher.config import add_locale, cldr_locale

    try:
        locale = project.resolve_locale(args.locale)
    except UsageError:
        project = add_locale(project, cldr_locale(args.locale))
        locale = project.resolve_locale(args.locale)
        print(f"added {locale.code} ({locale.name}) to {project.rel(project.root / 'locales' / 'locales.yaml')}: {_described(project, locale)}")
    for path in store.init_lang(project, locale):
        print(f"created {project.rel(path)}")
    return EXIT_OK


def _described(project, locale) -> str:
    """What CLDR (through Babel) and each layout give a new locale."""
    from babel.messages.plurals import get_plural

    from publisher.layout import available, cldr_script, load_layout

    parts = [f"{'right-to-left' if locale.direction == 'rtl' else 'left-to-right'}, script {cldr_script(locale.code)}, plural forms {get_plural(locale.code).plural_forms.rstrip(';')}"]
    script = cldr_script(locale.code)
    for name in sorted(available(project.layouts_dir)):
        layout = load_layout(project.layouts_dir, name)
        settings = layout.for_locale(locale.code)
        parts.append(f"layout {name}: {settings.script} fonts, {settings.digits} digits, {settings.counter_style} counters")
        if locale.code not in layout.locales and script not in layout.scripts:
            parts[-1] += f" (no fonts for script {script} yet: add a fontpkg-* package under 'fonts:' and '{script}: <its key>' under 'scripts:' in layouts/{name}/layout.yaml)"
    return "; ".join(parts)


def cmd_compile(project, args) -> int:
    from publisher.catalogs import store

    for path in store.compile_all(project, project.select(args.lang)):
        print(f"wrote {project.rel(path)}")
    return EXIT_OK


def cmd_status(project, args) -> int:
    from publisher.catalogs.stats import status_rows, status_table

    rows = status_rows(project, project.select(args.lang), _domains_of(project, args.issues))
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        print(status_table(rows))
    return EXIT_OK


def cmd_check(project, args) -> int:
    from publisher.catalogs.checks import check_project

    findings = check_project(project, project.select(args.lang), _domains_of(project, args.issues))
    if args.json:
        print(json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            print(finding)
        errors = sum(1 for f in findings if f.severity == "error")
        print(f"check: {errors} errors, {len(findings) - errors} warnings", file=sys.stderr)
    failing = findings if args.strict else [f for f in findings if f.severity == "error"]
    return EXIT_CONTENT if failing else EXIT_OK


def cmd_proof(project, args) -> int:
    from publisher.proof import make_proof

    locales = [locale for locale in project.select([args.lang]) if locale.code != project.source_locale or args.lang == project.source_locale]
    if not args.issue.is_dir():
        raise PublisherError("issue folder does not exist", str(args.issue))
    for locale in locales:
        done = make_proof(project, args.issue, locale, args.out, pdf=args.fmt == "pdf")
        counts = ", ".join(f"{n} {what}" for what, n in done.counts.items())
        print(f"wrote {done.pdf or done.html}: {done.rows} messages ({counts}); the edition has {done.edition_pages} pages", file=sys.stderr)
    return EXIT_OK


def cmd_export(project, args) -> int:
    from publisher.catalogs.store import export_xliff
    from publisher.fsutil import write_bytes

    locales = project.select([args.lang])
    if len(locales) != 1:
        raise UsageError("--lang takes one locale for an XLIFF export")
    data, units = export_xliff(project, locales[0], _domains_of(project, args.issue))
    if args.output:
        write_bytes(args.output, data)
        print(f"wrote {args.output}: {units} units for {locales[0].code}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return EXIT_OK


def cmd_import(project, args) -> int:
    if len(args.sources) == 2 and args.into is None:
        return _import_xliff(project, str(args.sources[0]), args.sources[1])
    if len(args.sources) != 1 or (args.into is None and args.sources[0].suffix.lower() != ".docx"):
        raise UsageError("import takes DRAFT.docx --into ISSUE_DIR, or LOCALE FILE.xlf")
    if args.into is None:
        raise UsageError("--into ISSUE_DIR is required to import a Word draft")
    args.docx = args.sources[0]
    return _import_word(project, args)


def _import_xliff(project, code: str, path: Path) -> int:
    from publisher.catalogs.store import import_xliff

    locale = project.resolve_locale(code)
    results = import_xliff(project, locale, path, str(path))
    for result in results:
        print(f"{'updated' if result.written else 'unchanged'} {project.rel(result.path)}: {result.changed} changed, {result.unchanged} unchanged, {len(result.unknown)} unknown units")
        for line in result.unknown:
            print(f"{printable(line)}: no such message in the catalog (source text changed? run 'publisher update' and export again)", file=sys.stderr)
    return EXIT_OK


def _import_word(project, args) -> int:
    from publisher.layout import available
    from publisher.word.front import parse_period_option
    from publisher.word.importer import import_issue

    known = available(project.layouts_dir)
    series = args.series or (next(iter(known)) if len(known) == 1 else "weekly-analysis")
    if series not in known:
        raise UsageError(f"unknown --series '{series}' (layouts: {', '.join(sorted(known))})")
    if args.number is not None and args.number < 1:
        raise UsageError("--number must be a positive whole number")
    try:
        period = parse_period_option(args.period) if args.period else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    done = import_issue(args.docx, args.into, str(args.docx), series, args.number, period, args.force, known)
    for line in done.unmapped:
        print(f"{args.docx}: {line}", file=sys.stderr)
    extra = f", {len(done.images)} images" if done.images else ""
    print(f"wrote {done.path} ({done.sections} sections{extra}); {len(done.unmapped)} things not mapped", file=sys.stderr)
    return EXIT_CONTENT if args.strict and done.unmapped else EXIT_OK


def cmd_import_translation(project, args) -> int:
    from publisher.word.align import import_translation

    locale = project.resolve_locale(args.locale)
    report = import_translation(project, locale, args.docx, args.issue, args.overwrite)
    for line in report.lines():
        print(line, file=sys.stderr)
    return EXIT_OK


def _domains_of(project, issue_dirs: list[Path]) -> list[str] | None:
    """The layout domain plus the given issues' domains; None means every domain."""
    if not issue_dirs:
        return None
    from publisher.catalogs.extract import LAYOUT_DOMAIN
    from publisher.edition import load_issues

    names = [LAYOUT_DOMAIN]
    for _, issue, _ in load_issues(project, _issue_dirs(project, issue_dirs)):
        names.append(issue.domain)
    return names
