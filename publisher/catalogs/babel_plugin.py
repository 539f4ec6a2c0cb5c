"""A Babel extractor for issue files, so ``pybabel extract`` sees what ``publisher extract`` sees.

Registered as the ``weekly_issue`` entry point under ``babel.extractors``;
use it in a mapping file::

    [weekly_issue: issues/**/issue.md]

The messages and translator notes are the same as ``publisher extract``'s;
a mistake in an issue is the same one line (and exit code 1), not a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import IO, Any

from publisher.catalogs.extract import front_matter_messages, unit_comments
from publisher.errors import EXIT_CONTENT, PublisherError
from publisher.source import parse_issue


def extract_issue(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]) -> Iterator[tuple[int, str | None, Any, list[str]]]:
    """Yield ``(line, None, message, comments)`` for every unit of the issue, then its keywords and authors (as ``pgettext``, contexts ``keyword`` and ``author``)."""
    name = getattr(fileobj, "name", "issue.md")
    try:
        issue = parse_issue(fileobj.read().decode(options.get("encoding", "utf-8")), str(name))
    except UnicodeDecodeError as exc:
        print(f"{name}: not UTF-8 text (byte {exc.start})", file=sys.stderr)
        raise SystemExit(EXIT_CONTENT) from None
    except PublisherError as exc:
        print(str(exc), file=sys.stderr)
        raise SystemExit(EXIT_CONTENT) from None
    for unit in issue.messages():
        yield unit.where.line, None, unit.source, unit_comments(unit)
    for text, context, where, note in front_matter_messages(issue):
        yield where.line, "pgettext", (context, text), [note]
