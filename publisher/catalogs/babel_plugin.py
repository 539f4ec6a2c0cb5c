"""A Babel extractor for issue files, so ``pybabel extract`` sees what ``publisher extract`` sees.

Registered as the ``weekly_issue`` entry point under ``babel.extractors``;
use it in a mapping file::

    [weekly_issue: issues/**/issue.md]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from publisher.catalogs.extract import KEYWORD_NOTE, KIND_NOTES, keyword_locations
from publisher.model import KEYWORD_CONTEXT
from publisher.source import parse_issue


def extract_issue(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]) -> Iterator[tuple[int, str | None, Any, list[str]]]:
    """Yield ``(line, None, message, comments)`` for every unit of the issue, then its keywords (as ``pgettext``, context ``keyword``)."""
    name = getattr(fileobj, "name", "issue.md")
    issue = parse_issue(fileobj.read().decode(options.get("encoding", "utf-8")), str(name))
    for unit in issue.units():
        yield unit.where.line, None, unit.source, [f"{unit.kind} ({unit.id}): {KIND_NOTES.get(unit.kind, '')}".rstrip(), f"In: {unit.context}"]
    for keyword, where in keyword_locations(issue):
        yield where.line, "pgettext", (KEYWORD_CONTEXT, keyword), [KEYWORD_NOTE]
