"""A review proof: every message of an issue beside its translation, for a reviewer to sign off on paper.

The stages are the edition's: the edition is localized and laid out as
``build`` does (with each unit's element marked, to find the page it lands
on), the catalogs are checked with :mod:`publisher.catalogs.checks`, and the
rows are rendered through this package's templates (data, not code) into
HTML and a PDF with the edition's fonts.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html as html_lib
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.support import NullTranslations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from publisher.catalogs import pofile
from publisher.catalogs.checks import PLACEHOLDER, check_message, glossary_findings, glossary_of, usable_layout
from publisher.catalogs.extract import LAYOUT_DOMAIN
from publisher.config import LocaleInfo, Project
from publisher.errors import PublisherError, UsageError
from publisher.fonts import stacks
from publisher.fsutil import write_bytes

TEMPLATES = Path(__file__).parent / "templates"
STATUS_HIDDEN = {"fuzzy", "untranslated"}  # findings the status column already shows


@dataclass
class Row:
    """One message as the reviewer sees it."""

    number: int
    location: str  # PO file:line
    context: str | None
    sources: list[str]
    targets: list[str]
    status: str  # translated, fuzzy, untranslated
    diff: Markup | None  # fuzzy: the previous source against the current one, word by word
    findings: list[tuple[str, str, str]]  # (check, message, severity)
    pages: list[int]
    origin: str  # where the source text is (issue.md:line or the template)


@dataclass
class Proof:
    html: Path
    pdf: Path | None
    rows: int
    edition_pages: int
    counts: dict[str, int] = field(default_factory=dict)


def word_diff(old: str, new: str, keep: int = 3) -> Markup:
    """``old`` → ``new`` word by word: removed words in ``<del>``, added ones in ``<ins>`` (escaped).

    Unchanged runs longer than ``2 * keep + 1`` words are cut to their ends, so
    that the change, not the paragraph, catches the reviewer's eye.
    """
    a, b = old.split(), new.split()
    parts = []
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            words = a[i1:i2]
            if len(words) > 2 * keep + 1:
                head = words[:keep] if index > 0 else []
                tail = words[-keep:] if index < len(opcodes) - 1 else []
                words = head + ["…"] + tail
            parts.append(html_lib.escape(" ".join(words)))
            continue
        if i2 > i1:
            parts.append(f"<del>{html_lib.escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{html_lib.escape(' '.join(b[j1:j2]))}</ins>")
    return Markup(" ".join(parts))


INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
MIN_FRAGMENT = 3  # characters: a shorter piece of a layout string would be found everywhere


def _flat(text: str) -> str:
    """Text as compared on a page: no soft hyphens or bidi marks, every kind of space one space."""
    return SPACES.sub(" ", text.translate(INVISIBLE)).strip()


def text_pages(texts: list[str], page_texts: list[str]) -> list[int]:
    """The pages (from 1) whose text holds one of ``texts``, each placeholder standing for one word.

    For layout strings, which carry no unit id: the cover, the running heads,
    the back page. A text with fewer than :data:`MIN_FRAGMENT` characters of
    its own (placeholders aside) would be found everywhere and finds nothing.
    """
    patterns = []
    for text in texts:
        pieces = [SPACES.sub(" ", p.translate(INVISIBLE)) for p in PLACEHOLDER.split(text)]
        if sum(len(p.strip()) for p in pieces) < MIN_FRAGMENT:
            continue
        body = r"\S+".join(re.escape(p) for p in pieces)
        patterns.append(re.compile(rf"(?<!\w){body}(?!\w)"))  # whole words: 'وری' is not in 'ضروری'
    flat = [_flat(t) for t in page_texts]
    return [n for n, page in enumerate(flat, 1) if any(p.search(page) for p in patterns)]


def _shown(message: Message, usable: Catalog | None) -> list[str]:
    """What the edition prints for a layout message: its translation, or the English when it is missing, fuzzy or unusable."""
    current = usable.get(message.id, message.context) if usable is not None else None
    if current is not None and not current.fuzzy and all(_list(current.string)):
        return _list(current.string)
    return _list(message.id)


def _list(value: object) -> list[str]:
    return [str(v or "") for v in value] if isinstance(value, (list, tuple)) else [str(value or "")]


def status_of(message: Message) -> str:
    strings = _list(message.string)
    if not all(strings):
        return "untranslated"
    return "fuzzy" if message.fuzzy else "translated"


def rows_of(catalog: Catalog, display: str, locale: str, terms: list, pages: dict[str, list[int]], first: int = 1) -> list[Row]:
    """A row per message of ``catalog``, with its findings and the edition pages of the text it translates (``pages``: by msgid)."""
    rows = []
    for message in catalog:
        if not message.id:
            continue
        status = status_of(message)
        diff = None
        if status == "fuzzy" and message.previous_id:
            diff = word_diff(_list(message.previous_id)[0], _list(message.id)[0])
        found = check_message(message, locale, formatted=catalog.domain == LAYOUT_DOMAIN) + glossary_findings(message, terms)
        found = [f for f in found if f[0] not in STATUS_HIDDEN]
        origin = ", ".join(f"{f}:{n}" if n else f for f, n in message.locations[:3])
        rows.append(
            Row(
                first + len(rows),
                f"{display}:{pofile.line_of(message)}",
                message.context,
                _list(message.id),
                _list(message.string),
                status,
                diff,
                found,
                pages.get(_list(message.id)[0], []),
                origin,
            )
        )
    return rows


def make_proof(project: Project, issue_dir: Path, locale: LocaleInfo, out: Path, pdf: bool = True) -> Proof:
    """Write ``<edition>-proof.html`` (fonts beside it) and ``-proof.pdf`` for ``locale``'s edition of the issue into ``out``."""
    from publisher import html as html_stage
    from publisher import pdf as pdf_stage
    from publisher.build import output_name
    from publisher.edition import Options, catalogs_for, load_inputs
    from publisher.localize import localize
    from publisher.preview import write_preview

    if locale.code == project.source_locale:
        raise UsageError(f"{locale.code} is the source language: there is no translation to review")
    issue, layout = load_inputs(project, issue_dir)
    issue_catalog, written_layout, names = catalogs_for(project, locale, issue)
    if issue_catalog is None:
        raise PublisherError(f"no catalog for {locale.code}: run 'publisher update' first", names[issue.domain])
    layout_catalog, _ = usable_layout(written_layout, names[LAYOUT_DOMAIN], locale.code)
    edition = localize(issue, locale, layout, issue_catalog, layout_catalog, project.source_locale, names)
    font_stacks = stacks(layout, edition.settings.script)
    translations = pofile.translations(layout_catalog, LAYOUT_DOMAIN) if layout_catalog is not None else NullTranslations()
    fonts = [f.path for f in font_stacks.faces]
    allowed = [layout.folder, Path(issue_dir), *{f.parent for f in fonts}]
    edition_html = html_stage.render(edition, layout, font_stacks, translations, issue.meta.period.end, Options(target="screen"), unit_ids=True)
    laid = pdf_stage.laid_out(edition_html, Path(issue_dir).resolve().as_uri() + "/", allowed)
    page_count = laid.pages
    pages: dict[str, list[int]] = {}
    for unit in issue.units():
        for number in laid.units.get(unit.id, []):
            if number not in pages.setdefault(unit.source, []):
                pages[unit.source].append(number)
    terms = glossary_of(project, locale.code)
    rows = rows_of(issue_catalog, names[issue.domain], locale.code, terms, pages)
    layout_pages = {} if written_layout is None else {_list(m.id)[0]: text_pages(_shown(m, layout_catalog), laid.texts) for m in written_layout if m.id}
    layout_rows = rows_of(written_layout, names[LAYOUT_DOMAIN], locale.code, terms, layout_pages, len(rows) + 1) if written_layout is not None else []
    counts = {s: sum(1 for r in rows + layout_rows if r.status == s) for s in ("translated", "fuzzy", "untranslated")}
    counts["findings"] = sum(len(r.findings) for r in rows + layout_rows)
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(enabled_extensions=("html",), disabled_extensions=("css",), default=True), undefined=StrictUndefined)
    css = env.get_template("proof.css").render(faces=html_stage.font_context(font_stacks)["faces"],
                                               body=html_stage.css_family(font_stacks.body + font_stacks.latin_body),
                                               latin=html_stage.css_family(font_stacks.latin_body + font_stacks.body))
    text = env.get_template("proof.html").render(
        css=Markup(css),
        issue=issue,
        title=" ".join(issue.title.source.split()),
        locale=locale,
        lang=locale.bcp47,
        dir=locale.direction,
        source_lang=LocaleInfo(project.source_locale, project.source_locale, ()).bcp47,
        sections=[(names[issue.domain], rows), (names[LAYOUT_DOMAIN], layout_rows)],
        counts=counts,
        edition_pages=page_count,
        edition_file=output_name(issue.meta.series, issue.meta.number, locale.code, "pdf"),
        created=dt.date.today().isoformat(),
    )
    out.mkdir(parents=True, exist_ok=True)
    stem = output_name(issue.meta.series, issue.meta.number, locale.code, "pdf").removesuffix(".pdf") + "-proof"
    html_path = out / f"{stem}.html"
    write_preview(text, html_path, fonts)
    pdf_path = None
    if pdf:
        import weasyprint

        document = weasyprint.HTML(string=text, base_url=TEMPLATES.as_uri() + "/", url_fetcher=pdf_stage.make_fetcher([TEMPLATES, *{f.parent for f in fonts}]))
        pdf_path = out / f"{stem}.pdf"
        write_bytes(pdf_path, document.write_pdf(pdf_tags=True))
    return Proof(html_path, pdf_path, len(rows) + len(layout_rows), page_count, counts)
