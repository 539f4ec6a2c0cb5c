"""``publisher import draft.docx --into issues/456``: a Word draft becomes ``issue.md``.

The document's title, cover line and headings become the front matter and the
sections; the rest goes through :mod:`publisher.word.markdown`. The result is
parsed as any issue is before it is written, so what lands on disk builds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from publisher.errors import PublisherError
from publisher.fsutil import write_bytes, write_text
from publisher.source import ISSUE_FILE, parse_issue
from publisher.word.draft import read_draft
from publisher.word.front import Front, parse_issue_line
from publisher.word.markdown import HEADING, Element, MarkdownWriter, parse_html


@dataclass
class Imported:
    path: Path
    unmapped: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    sections: int = 0


def import_issue(
    docx: Path,
    into: Path,
    display: str,
    series: str,
    number: int | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    force: bool = False,
    known_series: set[str] | None = None,
) -> Imported:
    """Convert ``docx`` into ``into/issue.md`` (and its images); every unmapped construct is listed."""
    target = into / ISSUE_FILE
    if target.exists() and not force:
        raise PublisherError(f"{ISSUE_FILE} exists already (use --force to replace it)", str(target))
    draft = read_draft(docx, display)
    root = parse_html(draft.html)
    front = Front(series=series, number=number, keywords=draft.keywords)
    if period:
        front.start, front.end = period
    unmapped = list(draft.unmapped)
    _take_front_matter(root, front, draft.title, unmapped)
    gaps = front.missing()
    if gaps:
        raise PublisherError("missing front matter: " + "; ".join(gaps), display)
    _shift_headings(root)
    converted = MarkdownWriter().convert(root)
    if draft.images:
        unmapped.append(f"document: {len(draft.images)} image(s) saved beside the issue; a picture on a paragraph of its own is a figure: give it a caption (\"Caption\" after its file name)")
    text = front.yaml() + "\n" + converted.body.strip() + "\n"
    if converted.footnotes:
        text += "\n" + "\n".join(converted.footnotes) + "\n"
    try:
        issue = parse_issue(text, str(target), known_series)
    except PublisherError as exc:
        raise PublisherError(f"the converted document is not a valid issue: {exc}", display) from None
    into.mkdir(parents=True, exist_ok=True)
    for name, data in draft.images:
        write_bytes(into / name, data)
    write_text(target, text)
    return Imported(path=target, unmapped=unmapped, images=[name for name, _ in draft.images], sections=len(issue.sections))


def _take_front_matter(root: Element, front: Front, core_title: str, unmapped: list[str]) -> None:
    """Remove the title and the cover line from the body, filling ``front`` from them."""
    blocks = [c for c in root.children if isinstance(c, Element)]
    title = next((b for b in blocks if b.tag == "h1" and "title" in b.attrs.get("class", "").split()), None)
    if title is None:
        title = next((b for b in blocks if b.tag in HEADING), None)
    if title is not None:
        front.title = " ".join(title.text().split())
        root.children.remove(title)
    elif core_title:
        front.title = core_title
    for block in blocks:
        if block.tag == "p" and "subtitle" in block.attrs.get("class", "").split():
            unmapped.append(f"document: subtitle '{block.text().strip()[:60]}' not imported (the cover shows the title only)")
            root.children.remove(block)
            continue
        if block.tag != "p":
            continue
        found = parse_issue_line(block.text())
        if found:
            number, start, end = found
            front.number = front.number if front.number is not None else number
            if front.start is None:
                front.start, front.end = start, end
            root.children.remove(block)
            break


def _shift_headings(root: Element) -> None:
    """The document's highest remaining heading level becomes a section (``##``)."""
    levels = sorted({int(c.tag[1]) for c in _all(root) if c.tag in HEADING})
    if not levels or levels[0] == 1:
        return
    for el in _all(root):
        if el.tag in HEADING:
            el.tag = f"h{max(1, int(el.tag[1]) - levels[0] + 1)}"


def _all(el: Element):
    for child in el.children:
        if isinstance(child, Element):
            yield child
            yield from _all(child)
