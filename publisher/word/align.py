"""``publisher import-translation ps translated.docx --issue issues/456``.

A translator's Word document (the whole issue in one language) is cut into
blocks and aligned with the issue's units in reading order by dynamic
programming (as sentence aligners do): a heading pairs with a heading, a list
item with a list item, and numbers, URLs and Latin names shared by the two
sides pull pairs together when the counts differ. Aligned text goes into the
catalog as fuzzy, with a comment naming the paragraph, for a reviewer to
confirm; a reviewed translation is never replaced unless asked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from publisher.catalogs import pofile, store
from publisher.config import LocaleInfo, Project
from publisher.errors import PublisherError
from publisher.model import Unit
from publisher.source import NUMBERED, read_issue
from publisher.word.draft import read_draft
from publisher.word.markdown import HEADING, Element, MarkdownWriter, parse_html

# Coarse classes both sides share.
CLASS_OF_UNIT = {"title": "H", "heading": "H", "paragraph": "P", "list-item": "L", "recommendation": "L", "reference": "L", "quote": "Q"}
GAP = -1.0
_ANCHOR = re.compile(r"\d+|https?://\S+|[\w.-]+\.(?:com|org|net|link|af|gov)\S*|[A-Za-z][A-Za-z'’-]{1,}")


@dataclass(frozen=True)
class Block:
    cls: str
    text: str  # Markdown inline, as a msgstr
    paragraph: int


@dataclass
class Report:
    docx: str
    po: str
    aligned: list[tuple[Unit, Block]] = field(default_factory=list)
    kept: list[Unit] = field(default_factory=list)  # reviewed translations not replaced
    empty: list[Unit] = field(default_factory=list)
    left_over: list[Block] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{u.where}: no paragraph of {self.docx} aligned; left as it was" for u in self.empty]
        out += [f"{self.docx}: paragraph {b.paragraph}: left over (no unit of the issue matched): {b.text[:50]}" for b in self.left_over]
        out.append(
            f"{self.po}: {len(self.aligned)} units aligned and written as fuzzy, {len(self.kept)} reviewed translations kept (--overwrite replaces them), "
            f"{len(self.empty)} left empty, {len(self.left_over)} paragraphs left over"
        )
        return out


def blocks_of(html: str, paragraphs: list[str]) -> list[Block]:
    """The document's text blocks in order, each with its Word paragraph number."""
    writer = MarkdownWriter()
    found: list[tuple[str, str, str]] = []  # (class, markdown, plain)

    def walk(el: Element, cls: str | None) -> None:
        for child in el.children:
            if not isinstance(child, Element):
                continue
            if child.tag in HEADING:
                text = writer.inline(child).strip()
                match = NUMBERED.match(text)
                found.append(("H", match.group(2) if match else text, child.text()))
            elif child.tag == "p":
                found.append((cls or "P", writer.inline(child).strip(), child.text()))
                cls = "P" if cls == "L" else cls
            elif child.tag == "li":
                lead = Element("p", children=[c for c in child.children if not (isinstance(c, Element) and c.tag in ("p", "ul", "ol", "blockquote"))])
                rest = [c for c in child.children if isinstance(c, Element) and c.tag in ("p", "ul", "ol", "blockquote")]
                if lead.text().strip():
                    found.append(("L", writer.inline(lead).strip(), lead.text()))
                    walk(Element("div", children=rest), "P")
                else:
                    walk(Element("div", children=rest), "L")
            elif child.tag == "blockquote":
                walk(child, "Q")
            else:
                walk(child, cls)

    walk(parse_html(html), None)
    out: list[Block] = []
    cursor = 0
    norm = [" ".join(p.split()) for p in paragraphs]
    for cls, text, plain in found:
        if not text:
            continue
        key = " ".join(plain.split())
        number = next((i for i in range(cursor, len(norm)) if norm[i] == key), None)
        if number is not None:
            cursor = number + 1
        out.append(Block(cls, text, (number if number is not None else cursor) + 1))
    return out


def anchors(text: str) -> set[str]:
    """Numbers (any script's digits), URLs and Latin words: what a translation keeps."""
    folded = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in text)
    return {a.lower() for a in _ANCHOR.findall(folded)}


def _score(unit: Unit, block: Block) -> float:
    same = CLASS_OF_UNIT.get(unit.kind, "P") == block.cls
    a, b = anchors(unit.source), anchors(block.text)
    shared = len(a & b) / max(1, len(a | b)) if (a or b) else 0.0
    return (2.0 if same else -1.5) + 3.0 * shared


def align(units: list[Unit], blocks: list[Block]) -> list[tuple[int | None, int | None]]:
    """Needleman–Wunsch over the two sequences; pairs (unit index, block index), None for a gap."""
    n, m = len(units), len(blocks)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[""] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        score[i][0], move[i][0] = i * GAP, "u"
    for j in range(1, m + 1):
        score[0][j], move[0][j] = j * GAP, "b"
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = ((score[i - 1][j - 1] + _score(units[i - 1], blocks[j - 1]), "d"), (score[i - 1][j] + GAP, "u"), (score[i][j - 1] + GAP, "b"))
            score[i][j], move[i][j] = max(options)
    pairs: list[tuple[int | None, int | None]] = []
    i, j = n, m
    while i or j:
        step = move[i][j]
        if step == "d":
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif step == "u":
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    return pairs[::-1]


def import_translation(project: Project, locale: LocaleInfo, docx: Path, issue_dir: Path, overwrite: bool) -> Report:
    """Align ``docx`` with the issue and write the aligned translations into the locale's catalog."""
    if locale.code == project.source_locale:
        raise PublisherError(f"{locale.code} is the source language: there is nothing to translate into it")
    issue = read_issue(issue_dir, project.rel(Path(issue_dir) / "issue.md"))
    path = store.po_path(project, locale.code, issue.domain)
    catalog = store.load_catalog(project, locale.code, issue.domain)
    if catalog is None:
        raise PublisherError(f"no catalog for {locale.code}: run `publisher extract` and `publisher update` (or `init-lang {locale.code}`) first", project.rel(path))
    draft = read_draft(docx, str(docx))
    units = list(issue.units())
    blocks = blocks_of(draft.html, draft.paragraphs)
    report = Report(docx=str(docx), po=project.rel(path))
    for ui, bi in align(units, blocks):
        if ui is not None and bi is not None and _score(units[ui], blocks[bi]) > 0:
            unit, block = units[ui], blocks[bi]
            message = catalog.get(unit.source)
            if message is None:
                report.empty.append(unit)
                continue
            if message.string and not message.fuzzy and not overwrite:
                report.kept.append(unit)
                continue
            message.string = block.text
            message.flags.add("fuzzy")
            note = f"imported from {docx.name}, paragraph {block.paragraph}"
            message.user_comments = [c for c in message.user_comments if not c.startswith("imported from ")] + [note]
            report.aligned.append((unit, block))
            continue
        if ui is not None:
            report.empty.append(units[ui])
        if bi is not None:
            report.left_over.append(blocks[bi])
    pofile.save(catalog, path)
    return report
