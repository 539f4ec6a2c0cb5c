"""The canonical issue: typed, immutable, and ignorant of HTML, PDF and Markdown.

Every edition is this model seen through one locale (``localize``). Each
text-bearing block carries a :class:`Unit`: the translatable message, with a
stable identity and the place in the source it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from publisher.errors import Location

# --- inline runs -----------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Plain text. ``script`` and ``lang`` are set by bidi isolation ('latin' runs in RTL text)."""

    kind: ClassVar[str] = "text"
    text: str
    script: str = ""
    lang: str = ""  # BCP 47 tag when the run is in another language than its block


@dataclass(frozen=True)
class Strong:
    kind: ClassVar[str] = "strong"
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emphasis:
    kind: ClassVar[str] = "emphasis"
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    kind: ClassVar[str] = "link"
    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Code:
    kind: ClassVar[str] = "code"
    text: str


@dataclass(frozen=True)
class Image:
    kind: ClassVar[str] = "image"
    src: str
    alt: str


@dataclass(frozen=True)
class LineBreak:
    kind: ClassVar[str] = "linebreak"
    pass


@dataclass(frozen=True)
class NoteRef:
    """A footnote reference ``[^label]`` as written; localize puts the note's text in its place."""

    kind: ClassVar[str] = "noteref"
    label: str


@dataclass(frozen=True)
class Note:
    """A footnote at its reference: the layout floats ``children`` to the foot of the page."""

    kind: ClassVar[str] = "footnote"
    label: str
    children: tuple[Inline, ...]
    lang: str = ""  # set when the note is shown in another language than the edition's
    dir: str = ""


Inline = Text | Strong | Emphasis | Link | Code | Image | LineBreak | NoteRef | Note


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The text a reader sees, markup dropped (for bookmarks, metadata, checks)."""
    out: list[str] = []
    for run in inlines:
        if isinstance(run, (Text, Code)):
            out.append(run.text)
        elif isinstance(run, Image):
            out.append(run.alt)
        elif isinstance(run, LineBreak):
            out.append(" ")
        elif isinstance(run, NoteRef):
            continue
        else:
            out.append(plain_text(run.children))
    return "".join(out)


# --- units and blocks ------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One translatable message: one block's text, as Markdown inline source."""

    id: str
    kind: str  # title, heading, paragraph, list-item, quote, recommendation, reference, table-cell, table-number, caption, figure-alt, figure-caption
    source: str
    where: Location
    context: str
    inlines: tuple[Inline, ...]
    # Set when the text shown is in another language than the edition's (an
    # untranslated message shown in the source language): its BCP 47 tag and direction.
    lang: str = ""
    dir: str = ""

    @property
    def translatable(self) -> bool:
        """False for a table cell of figures only: shown as written, in the edition's digits, never a message."""
        return self.kind not in SOURCE_ONLY


SOURCE_ONLY = frozenset({"table-number"})


@dataclass(frozen=True)
class Heading:
    kind: ClassVar[str] = "heading"
    unit: Unit
    level: int
    anchor: str
    number: int | None = None


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    unit: Unit


@dataclass(frozen=True)
class ListItem:
    kind: ClassVar[str] = "item"
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ListBlock:
    kind: ClassVar[str] = "list"
    ordered: bool
    start: int
    items: tuple[ListItem, ...]
    role: str = "list"  # list, recommendations, references


@dataclass(frozen=True)
class Quote:
    kind: ClassVar[str] = "quote"
    blocks: tuple[Block, ...]
    attribution: Unit | None = None  # a last paragraph starting with "—": who said it, set apart


@dataclass(frozen=True)
class Cell:
    """One table cell: its message (``None`` when empty) and its alignment (start, center, end)."""

    unit: Unit | None
    align: str = "start"


@dataclass(frozen=True)
class Table:
    """A GFM pipe table: a header row, body rows, and an optional numbered caption."""

    kind: ClassVar[str] = "table"
    head: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    number: int
    caption: Unit | None = None


@dataclass(frozen=True)
class Figure:
    """A picture set apart (a paragraph of one image): its description and optional caption are messages.

    ``src`` is relative to the issue folder; ``variants`` are the per-locale
    files found beside it (``chart.ps.png`` for ``chart.png``), as (locale, src).
    """

    kind: ClassVar[str] = "figure"
    src: str
    alt: Unit
    number: int
    caption: Unit | None = None
    variants: tuple[tuple[str, str], ...] = ()

    def src_for(self, locale: str) -> str:
        """The picture an edition shows: its own when there is one, else the source's."""
        return dict(self.variants).get(locale, self.src)


@dataclass(frozen=True)
class Section:
    """A heading and what follows it up to the next heading of its level or above."""

    kind: ClassVar[str] = "section"
    heading: Heading | None
    blocks: tuple[Node, ...]
    role: str = "body"  # introduction, body, conclusion, recommendations, references


@dataclass(frozen=True)
class Footnote:
    """A footnote's definition (``[^label]: text``): one message."""

    label: str
    unit: Unit


Block = Paragraph | ListBlock | Quote | Table | Figure
Node = Paragraph | ListBlock | Quote | Table | Figure | Section


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


KEYWORD_CONTEXT = "keyword"  # the catalogs' context of the front matter's keywords
AUTHOR_CONTEXT = "author"  # the catalogs' context of the front matter's authors (names, transliterated)


@dataclass(frozen=True)
class IssueMeta:
    series: str
    number: int
    period: Period
    keywords: tuple[str, ...] = ()
    number_at: Location = field(default=Location(""), compare=False)  # the ``number:`` line, for messages
    keyword_where: tuple[Location, ...] = field(default=(), compare=False)  # the line of each keyword in the front matter
    authors: tuple[str, ...] = ()  # the bylines' names, in the source's script
    author_where: tuple[Location, ...] = field(default=(), compare=False)  # the line of each author in the front matter


@dataclass(frozen=True)
class Issue:
    """One issue of a series: metadata, its title and its sections in order."""

    meta: IssueMeta
    title: Unit
    sections: tuple[Section, ...]
    source: Location = field(default=Location(""))
    footnotes: tuple[Footnote, ...] = ()

    @property
    def domain(self) -> str:
        """The gettext domain of this issue's own text."""
        return f"{self.meta.series}-{self.meta.number}"

    def units(self) -> Iterator[Unit]:
        """Every translatable unit, in reading order."""
        yield self.title
        for section in self.sections:
            yield from _units_of(section)
        for note in self.footnotes:
            yield note.unit

    def messages(self) -> Iterator[Unit]:
        """The units translators see (figures-only table cells left out), in reading order."""
        return (unit for unit in self.units() if unit.translatable)


def _units_of(node: Node | ListItem) -> Iterator[Unit]:
    if isinstance(node, Section):
        if node.heading is not None:
            yield node.heading.unit
        for child in node.blocks:
            yield from _units_of(child)
    elif isinstance(node, Paragraph):
        yield node.unit
    elif isinstance(node, ListBlock):
        for item in node.items:
            yield from _units_of(item)
    elif isinstance(node, (ListItem, Quote)):
        for child in node.blocks:
            yield from _units_of(child)
        if isinstance(node, Quote) and node.attribution is not None:
            yield node.attribution
    elif isinstance(node, Figure):
        yield node.alt
        if node.caption is not None:
            yield node.caption
    elif isinstance(node, Table):
        if node.caption is not None:
            yield node.caption
        for row in (node.head, *node.rows):
            yield from (cell.unit for cell in row if cell.unit is not None)


def deepest_nesting(sections: tuple[Section, ...]) -> tuple[int, Location | None]:
    """How deep lists and quotes nest, and where the first text at that depth is."""
    best: tuple[int, Location | None] = (0, None)
    todo: list[tuple[Node | ListItem, int]] = [(s, 0) for s in reversed(sections)]
    while todo:  # depth first, in reading order, without recursion
        node, depth = todo.pop()
        if isinstance(node, (ListBlock, Quote)):
            depth += 1
        if isinstance(node, Paragraph) and depth > best[0]:
            best = (depth, node.unit.where)
        children = node.items if isinstance(node, ListBlock) else getattr(node, "blocks", ())
        todo.extend((child, depth) for child in reversed(children))
    return best


def headings(sections: tuple[Section, ...]) -> Iterator[Heading]:
    """Every heading, in reading order (for contents and bookmarks)."""
    for section in sections:
        if section.heading is not None:
            yield section.heading
        yield from headings(tuple(b for b in section.blocks if isinstance(b, Section)))
