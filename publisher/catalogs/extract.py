"""Build the message templates (POT): one per issue, one for the layout.

An issue gives one message per block (its Markdown inline source), with the
block's location (``#:``) and a note for the translator (``#.``), and one per
keyword of its front matter (context ``keyword``: the PDF's keywords). The layout
domain holds the templates' strings (Babel's Jinja2 extraction), the series'
text (``series.yaml``) and the calendar names (``calendars.yaml``).
"""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from collections.abc import Iterable
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract as babel_extract
from jinja2.ext import babel_extract as jinja_extract

from publisher import __version__
from publisher.errors import Location, PublisherError
from publisher.model import AUTHOR_CONTEXT, KEYWORD_CONTEXT, Issue, Unit

LAYOUT_DOMAIN = "layout"
COPYRIGHT = "Center for Strategic and Regional Studies"
COMMENT_TAGS = ("Translators:", "TRANSLATORS:")
KIND_NOTES = {
    "title": "Title of the issue (cover and first page).",
    "heading": "Section heading.",
    "paragraph": "Paragraph.",
    "list-item": "Bullet item; keep a bold lead-in bold.",
    "quote": "Quotation, set apart from the text.",
    "recommendation": "Numbered recommendation (the number is added by the layout).",
    "reference": "Numbered reference (the number is added by the layout); keep link targets unchanged.",
    "table-cell": "Table cell (a header cell when 'header'); columns are mirrored by the layout in right-to-left editions.",
    "footnote": "Footnote text, printed at the foot of the page of its reference (the number is added by the layout).",
    "attribution": "Who is quoted: the last line of a quotation (the layout adds the dash).",
    "caption": "Caption of a table (the layout adds 'Table N:' in front).",
    "figure-alt": "Description of a picture for readers who cannot see it (the tagged PDF's alternate text): plain text, no Markdown.",
    "figure-caption": "Caption of a figure, printed under the picture (the layout adds 'Figure N:' in front).",
}
KEYWORD_NOTE = "keyword (of the PDF's document properties, for libraries and search): a word or short phrase, no Markdown."
AUTHOR_NOTE = "author (byline and the PDF's Author): a person's name; transliterate it into your script as your press writes it, do not translate it."
MARKUP_NOTE = "Markdown: keep **bold**, *italic* and [label](target) as in the source; link targets unchanged."


def new_template(domain: str, when: dt.datetime) -> Catalog:
    return Catalog(
        domain=domain,
        project="CSRS Weekly Analysis",
        version=__version__,
        copyright_holder=COPYRIGHT,
        msgid_bugs_address="info@csrsaf.org",
        creation_date=when,
        revision_date=when,
        charset="utf-8",
        fuzzy=False,
    )


def template_date() -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)


def issue_template(issue: Issue, when: dt.datetime) -> Catalog:
    """One message per text-bearing block of the issue, in reading order."""
    catalog = new_template(issue.domain, when)
    for unit in issue.messages():
        comments = unit_comments(unit)
        existing = catalog.get(unit.source)
        location = (unit.where.file, unit.where.line)
        if existing is not None:
            existing.locations.append(location)
            continue
        catalog.add(unit.source, locations=[location], auto_comments=comments)
    for text, context, where, note in front_matter_messages(issue):
        _add(catalog, text, (where.file, where.line), [note], context)
    return catalog


def unit_comments(unit: Unit) -> list[str]:
    """The translator's notes on a unit (what it is, where it sits, what markup to keep), wrapped."""
    comments = [f"{unit.kind} ({unit.id}): {KIND_NOTES.get(unit.kind, '')}".rstrip(), f"In: {unit.context}"]
    if any(ch in unit.source for ch in "*_[`"):
        comments.append(MARKUP_NOTE)
    return wrap_comments(comments)


def front_matter_messages(issue: Issue) -> Iterable[tuple[str, str, Location, str]]:
    """The front matter's keywords and authors: (text, context, line, translator's note) of each message."""
    for values, wheres, context, note in (
        (issue.meta.keywords, issue.meta.keyword_where, KEYWORD_CONTEXT, KEYWORD_NOTE),
        (issue.meta.authors, issue.meta.author_where, AUTHOR_CONTEXT, AUTHOR_NOTE),
    ):
        for text, where in zip(values, wheres or (issue.title.where,) * len(values), strict=False):
            yield text, context, where, note


def layout_template(layout_dir: Path, root: Path, when: dt.datetime) -> Catalog:
    """The layout's strings: templates, series text and calendar names."""
    catalog = new_template(LAYOUT_DOMAIN, when)
    for path in sorted(layout_dir.glob("templates/*.html")) + sorted(layout_dir.glob("templates/*.j2")):
        rel = path.relative_to(root).as_posix()
        with open(path, "rb") as handle:
            for lineno, message, comments, context in babel_extract(
                jinja_extract,
                handle,
                comment_tags=COMMENT_TAGS,
                options={"extensions": "jinja2.ext.i18n", "trimmed": "true"},
            ):
                _add(catalog, message, (rel, lineno), [c.strip() for c in comments], context)
    for name in ("series.yaml", "calendars.yaml"):
        path = layout_dir / name
        if path.exists():
            for message, line, comment, context in data_strings(path):
                _add(catalog, message, (path.relative_to(root).as_posix(), line), [comment], context)
    return catalog


def _add(catalog: Catalog, message: str | tuple[str, ...], location: tuple[str, int], comments: list[str], context: str | None) -> None:
    key = message if isinstance(message, str) else message[0]
    existing = catalog.get(key, context)
    if existing is not None:
        existing.locations.append(location)
        for comment in wrap_comments([c for c in comments if c]):
            if comment not in existing.auto_comments:
                existing.auto_comments.append(comment)
        return
    catalog.add(message, locations=[location], auto_comments=wrap_comments([c for c in comments if c]), context=context)


def wrap_comments(comments: list[str], width: int = 72) -> list[str]:
    """Comments as the lines a PO file will hold (``#.`` lines are wrapped, and read back one by one)."""
    return [line for comment in comments for line in (textwrap.wrap(comment, width, break_long_words=False, break_on_hyphens=False) or [comment])]


def data_strings(path: Path) -> Iterable[tuple[str, int, str, str | None]]:
    """Translatable strings of a layout data file, with their lines.

    In ``series.yaml`` every value under ``text:`` is translatable; in
    ``calendars.yaml`` every month name, with its calendar as the context.
    """
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PublisherError(f"malformed YAML: {getattr(exc, 'problem', exc)}", f"{path}:{mark.line + 1 if mark else 1}") from None
    if not isinstance(root, yaml.MappingNode):
        return
    for key, value in root.value:
        if path.name == "series.yaml" and key.value == "text" and isinstance(value, yaml.MappingNode):
            for k, v in value.value:
                yield str(v.value), v.start_mark.line + 1, f"Series text '{k.value}'.", None
        if path.name == "calendars.yaml" and isinstance(value, yaml.MappingNode):
            for k, v in value.value:
                if k.value == "months" and isinstance(v, yaml.SequenceNode):
                    for i, month in enumerate(v.value, 1):
                        yield (
                            str(month.value),
                            month.start_mark.line + 1,
                            f"Month {i} of the {key.value.replace('-', ' ')} calendar, as your press writes it.",
                            f"{key.value} month",
                        )
