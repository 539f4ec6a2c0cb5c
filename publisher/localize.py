"""The canonical issue seen through one locale: an :class:`Edition`.

A pure function of (issue, locale, layout, catalogs): every unit is looked up
in the locale's catalog (untranslated and fuzzy units fall back to the English
and are recorded), translated Markdown is parsed like the source, unsafe links
are dropped, Latin runs are isolated in right-to-left editions, and every
number the layout writes is in the edition's digits.
"""

from __future__ import annotations

import dataclasses
import math
import re
import urllib.parse
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message

from publisher.catalogs.checks import forbidden_character
from publisher.catalogs.pofile import line_of
from publisher.config import LocaleInfo
from publisher.errors import Location, PublisherError
from publisher.inline import parse_inline
from publisher.layout import Layout, LocaleSettings
from publisher.locale_rules import bidi, calendars, digits, nobreak
from publisher.model import (
    AUTHOR_CONTEXT,
    KEYWORD_CONTEXT,
    Cell,
    Emphasis,
    Figure,
    Image,
    Inline,
    Issue,
    ListBlock,
    ListItem,
    Node,
    Note,
    NoteRef,
    Paragraph,
    Quote,
    Section,
    Strong,
    Table,
    Text,
    Unit,
    headings,
    plain_text,
)

RUNNING_TEXT = frozenset({"paragraph", "list-item", "quote", "recommendation"})  # set justified: a runt shows
SAFE_HREF = re.compile(r"^(https?://|mailto:|#)", re.I)


@dataclass(frozen=True)
class Missing:
    """A unit shown in English because its translation is missing or fuzzy."""

    domain: str
    where: Location
    status: str  # untranslated, fuzzy
    text: str


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    level: int
    number: str | None
    inlines: tuple[Inline, ...]
    lang: str = ""  # as the heading's unit: set when shown in another language
    dir: str = ""


@dataclass(frozen=True)
class Edition:
    """What the layout renders: the issue in one locale, with its numbers and dates."""

    code: str
    lang: str
    dir: str
    source_lang: str  # BCP 47 tag and direction of the source language (what fallback text is in)
    source_dir: str
    settings: LocaleSettings
    issue: Issue
    number: str
    gregorian: str
    solar_hijri: dict[str, str] | None
    toc: tuple[TocEntry, ...]
    keywords: tuple[str, ...]  # the front matter's, translated (context "keyword"), for the PDF's metadata
    authors: tuple[str, ...]  # the bylines' names, transliterated (context "author"): the layout's and the PDF's Author
    reading_minutes: int
    missing: tuple[Missing, ...]
    sources: dict[str, Location]  # unit id → where its shown text comes from (PO entry or source)

    def native(self, value: int | str) -> str:
        return digits.to_native(str(value), self.settings.digits)


def localize(
    issue: Issue,
    locale: LocaleInfo,
    layout: Layout,
    issue_catalog: Catalog | None,
    layout_catalog: Catalog | None,
    source_locale: str,
    catalog_names: dict[str, str] | None = None,
) -> Edition:
    """Build the edition of ``issue`` for ``locale``."""
    settings = layout.for_locale(locale.code)
    rtl = locale.direction == "rtl"
    is_source = locale.code == source_locale
    source = LocaleInfo(source_locale, source_locale, ())
    source_settings = layout.for_locale(source_locale)
    missing: list[Missing] = []
    sources: dict[str, Location] = {}
    po_name = (catalog_names or {}).get(issue.domain, f"{issue.domain}.po")

    def native(text: str) -> str:
        return digits.to_native(text, settings.digits)

    rules = nobreak.rules_for(layout.settings, locale.code)
    spelled = _month_spellings(layout, layout_catalog, locale.code)
    if spelled:  # the press's own spelling is a month name too: it stays with its day and year
        rules = dataclasses.replace(rules, months=tuple(sorted({*rules.months, *spelled.values()}, key=len, reverse=True)))
    source_rules = nobreak.rules_for(layout.settings, source_locale)

    def bound(unit: Unit, inlines: tuple[Inline, ...], rules: nobreak.Rules) -> tuple[Inline, ...]:
        inlines = nobreak.bind_runs(inlines, rules)
        if unit.kind in ("title", "heading"):
            return nobreak.bind_last_word(nobreak.bind_subtitle(inlines, rules), rules)
        return nobreak.bind_paragraph_end(inlines, rules) if unit.kind in RUNNING_TEXT else inlines

    notes: dict[str, Unit] = {}  # footnotes in the edition's language, by label (localized first)

    def unit_of(unit: Unit) -> Unit:
        localized = _unit_of(unit)
        return dataclasses.replace(localized, inlines=_place_notes(localized.inlines, notes, sources.get(unit.id, unit.where)))

    def _unit_of(unit: Unit) -> Unit:
        message = issue_catalog.get(unit.source) if issue_catalog is not None and unit.translatable else None
        text, where = unit.source, unit.where
        fallback = False
        if not unit.translatable:
            pass  # figures only: the source's, in the edition's digits
        elif _usable(message):
            text, where = str(message.string), Location(po_name, line_of(message))
        elif not is_source:
            fallback = True
            status = "fuzzy" if message is not None and message.fuzzy and message.string else "untranslated"
            missing.append(Missing(issue.domain, unit.where, status, unit.source))
        sources[unit.id] = where
        forbidden = forbidden_character(text)
        if forbidden:
            raise PublisherError(f"{locale.code}: {forbidden}", where)
        inlines = _safe(parse_inline(text, where, source_settings.quotes if fallback else settings.quotes))
        _refuse_climbing_images(inlines, where)
        inlines = bound(unit, inlines, source_rules if fallback else rules)
        if fallback:
            # Shown in the source language: one unit in that language and its
            # direction, never cut into islands, with the source's digits.
            return dataclasses.replace(unit, inlines=inlines, lang=source.bcp47, dir=source.direction)
        if rtl:
            inlines = bidi.isolate(inlines, source.bcp47)
        inlines = _digits(inlines, settings.digits, locale.code)
        return dataclasses.replace(unit, inlines=inlines)

    def node_of(node: Node) -> Node:
        if isinstance(node, Section):
            heading = None
            if node.heading is not None:
                heading = dataclasses.replace(node.heading, unit=unit_of(node.heading.unit))
            return Section(heading, tuple(node_of(b) for b in node.blocks), node.role)
        if isinstance(node, Paragraph):
            return Paragraph(unit_of(node.unit))
        if isinstance(node, ListBlock):
            items = tuple(ListItem(tuple(node_of(b) for b in item.blocks)) for item in node.items)
            return dataclasses.replace(node, items=items)
        if isinstance(node, Quote):
            return Quote(tuple(node_of(b) for b in node.blocks), unit_of(node.attribution) if node.attribution else None)
        if isinstance(node, Table):
            head, *rows = (tuple(Cell(unit_of(c.unit) if c.unit else None, c.align) for c in row) for row in (node.head, *node.rows))
            return dataclasses.replace(node, head=head, rows=tuple(rows), caption=unit_of(node.caption) if node.caption else None)
        if isinstance(node, Figure):
            # The edition's own picture (charts with words in them) when one is beside the source's.
            return dataclasses.replace(node, src=node.src_for(locale.code), alt=unit_of(node.alt), caption=unit_of(node.caption) if node.caption else None)
        return node

    notes.update((note.label, unit_of(note.unit)) for note in issue.footnotes)
    localized = dataclasses.replace(
        issue,
        footnotes=tuple(dataclasses.replace(note, unit=notes[note.label]) for note in issue.footnotes),
        title=unit_of(issue.title),
        sections=tuple(node_of(s) for s in issue.sections),  # type: ignore[misc]
    )
    if layout_catalog is not None:
        layout_name = (catalog_names or {}).get("layout", "layout.po")
        for message in layout_catalog:
            if message.id and _usable(message):
                strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
                forbidden = forbidden_character("".join(strings))
                if forbidden:
                    raise PublisherError(f"{locale.code}: {forbidden}", Location(layout_name, line_of(message)))
    if layout_catalog is not None and not is_source:
        for message in layout_catalog:
            if message.id and not _usable(message):
                status = "fuzzy" if message.fuzzy and message.string else "untranslated"
                text = message.id if isinstance(message.id, str) else message.id[0]
                loc = message.locations[0] if message.locations else ("layout", 0)
                missing.append(Missing("layout", Location(str(loc[0]), int(loc[1] or 0)), status, text))
    toc = tuple(
        TocEntry(h.anchor, h.level, native(str(h.number)) if h.number is not None else None, h.unit.inlines, h.unit.lang, h.unit.dir)
        for h in headings(localized.sections)
        if h.level <= int(layout.settings.get("contents_depth", 1))
    )
    words = sum(len(plain_text(u.inlines).split()) for u in localized.units())
    minutes = max(1, math.ceil(words / int(layout.settings.get("words_per_minute", 200))))
    hijri = None
    if "solar-hijri" in settings.calendars:
        parts = calendars.solar_hijri(issue.meta.period)
        months = layout.months.get("solar-hijri", ())
        hijri = {k: (months[v - 1] if k.endswith("_month") and len(months) >= v else native(str(v))) if k != "kind" else str(v) for k, v in parts.items()}
    return Edition(
        code=locale.code,
        lang=locale.bcp47,
        dir=locale.direction,
        source_lang=source.bcp47,
        source_dir=source.direction,
        settings=settings,
        issue=localized,
        number=native(str(issue.meta.number)),
        gregorian=native(nobreak.bind(_respelled(calendars.gregorian(issue.meta.period, locale.code), spelled), rules)),
        solar_hijri=hijri,
        toc=toc,
        keywords=tuple(_keyword(issue_catalog, k) for k in issue.meta.keywords),
        authors=tuple(_keyword(issue_catalog, a, AUTHOR_CONTEXT) for a in issue.meta.authors),
        reading_minutes=minutes,
        missing=tuple(missing),
        sources=sources,
    )


def _month_spellings(layout: Layout, layout_catalog: Catalog | None, code: str) -> dict[str, str]:
    """CLDR's Gregorian month names that the layout catalog spells otherwise (context "gregorian month"), old → new."""
    english = layout.months.get("gregorian", ())
    if layout_catalog is None or not english:
        return {}
    try:
        names = Locale.parse(code).months["format"]["wide"]
    except (ValueError, UnknownLocaleError):
        return {}
    found = {}
    for number, name in enumerate(english, 1):
        message = layout_catalog.get(name, context="gregorian month")
        if message is not None and message.string and not message.fuzzy and number in names and message.string != names[number]:
            found[str(names[number])] = str(message.string)
    return found


def _respelled(text: str, spelled: dict[str, str]) -> str:
    for old, new in spelled.items():
        text = re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", new, text)
    return text


def _place_notes(inlines: tuple[Inline, ...], notes: dict[str, Unit], where: Location) -> tuple[Inline, ...]:
    """Each footnote reference replaced by its note's text (a reference a translation made up is an error at ``where``)."""
    out: list[Inline] = []
    for run in inlines:
        if isinstance(run, NoteRef):
            note = notes.get(run.label)
            if note is None:
                raise PublisherError(f"footnote [^{run.label}] is not defined in the issue", where)
            out.append(Note(run.label, note.inlines, note.lang, note.dir))
        elif hasattr(run, "children"):
            out.append(dataclasses.replace(run, children=_place_notes(run.children, notes, where)))
        else:
            out.append(run)
    return tuple(out)


def _keyword(catalog: Catalog | None, keyword: str, context: str = KEYWORD_CONTEXT) -> str:
    """A keyword (or, with its context, an author's name) in the edition's language (the English one while untranslated)."""
    message = catalog.get(keyword, context) if catalog is not None else None
    return str(message.string) if _usable(message) else keyword


def _usable(message: Message | None) -> bool:
    return message is not None and bool(message.string) and not message.fuzzy


def _safe(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Links only to the web, mail or inside the document; images only by relative path."""
    out: list[Inline] = []
    for run in inlines:
        if run.kind == "link":
            children = _safe(run.children)
            if SAFE_HREF.match(run.href):
                out.append(dataclasses.replace(run, children=children))
            else:
                out.extend(children)
        elif isinstance(run, (Strong, Emphasis)):
            out.append(dataclasses.replace(run, children=_safe(run.children)))
        elif isinstance(run, Image) and (":" in run.src or run.src.startswith(("/", "\\"))):
            out.append(Text(run.alt))
        else:
            out.append(run)
    return tuple(out)


def _refuse_climbing_images(inlines: tuple[Inline, ...], where: Location) -> None:
    """An image path climbing out of the issue folder (``../``) is an error at ``where`` (source or PO line).

    The PDF's fetcher would refuse it too, but naming the issue; the HTML
    preview would keep it. Checked here, both refuse it at its own line.
    """
    for run in inlines:
        if isinstance(run, Image) and _leaves_folder(run.src):
            raise PublisherError(f"image '{run.src}' is outside the issue folder; refused (pictures must be files in the issue's folder)", where)
        if hasattr(run, "children"):
            _refuse_climbing_images(run.children, where)


def _leaves_folder(src: str) -> bool:
    """A relative path (as a URL, so ``%2e%2e`` counts) that climbs above its folder."""
    parts = [p for p in urllib.parse.unquote(src.split("?")[0].split("#")[0]).replace("\\", "/").split("/") if p not in ("", ".")]
    depth = 0
    for part in parts:
        depth += -1 if part == ".." else 1
        if depth < 0:
            return True
    return False


def _digits(inlines: tuple[Inline, ...], system: str, locale: str) -> tuple[Inline, ...]:
    """Native digits and number signs in the text runs (not in Latin islands, link targets or code)."""
    out: list[Inline] = []
    for run in inlines:
        if isinstance(run, Text) and run.script != "latin":
            out.append(dataclasses.replace(run, text=digits.to_native_text(run.text, system, locale)))
        elif hasattr(run, "children"):
            out.append(dataclasses.replace(run, children=_digits(run.children, system, locale)))
        else:
            out.append(run)
    return tuple(out)
