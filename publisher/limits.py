"""How much source text a build accepts: bounds that keep a hostile issue from hanging it.

Each limit has a default far above what an issue of the series needs (issue
455: 21 KB, 80 blocks, nesting two levels deep, no block over 900
characters) and can be changed with the environment variable named in the
error that reports it, e.g. ``PUBLISHER_MAX_ISSUE_BYTES=2000000``. The limits
are listed in ``docs/security.md``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from publisher.errors import UsageError

# markdown-it stops parsing (and silently drops the rest of the file) at this
# many nested block tokens; a list level counts two, a quote level one.
PARSER_NESTING = 100
# Lists and quotes nested deeper than this are refused while parsing, before
# markdown-it could drop anything. How deep a layout can show them is the
# layout's own setting, ``max_nesting`` in its layout.yaml (LAYOUT_NESTING
# when it does not say).
PARSER_DEPTH = PARSER_NESTING // 2 - 2
LAYOUT_NESTING = 8


@dataclass(frozen=True)
class Limit:
    name: str  # the environment variable that sets it
    default: int
    what: str  # what it counts, for the error message
    most: int = 10**12  # no setting can go above this

    @property
    def value(self) -> int:
        raw = os.environ.get(self.name, "").strip()
        if not raw:
            return self.default
        if not raw.isdigit() or not 1 <= int(raw) <= self.most:
            raise UsageError(f"{self.name} must be a whole number from 1 to {self.most}, not {raw!r}")
        return int(raw)

    def exceeded(self, count: int) -> str:
        """The message for ``count`` going over the limit."""
        return f"{self.what}: {count:,} is more than the limit of {self.value:,} (set {self.name} to change it)"


ISSUE_BYTES = Limit("PUBLISHER_MAX_ISSUE_BYTES", 64_000, "issue file size in bytes")
CATALOG_BYTES = Limit("PUBLISHER_MAX_CATALOG_BYTES", 1_000_000, "catalog file size in bytes")
BLOCK_CHARS = Limit("PUBLISHER_MAX_BLOCK_CHARS", 20_000, "characters in one block (heading, paragraph, item or translation)")
BLOCKS = Limit("PUBLISHER_MAX_BLOCKS", 2_000, "text blocks (headings, paragraphs, items) in the issue")
INLINE_NESTING = Limit("PUBLISHER_MAX_INLINE_NESTING", 16, "bold, italic and links nested in each other", most=200)
INLINE_RUNS = Limit("PUBLISHER_MAX_INLINE_RUNS", 200, "bold, italic, link and code spans in one block")
ISSUE_SPANS = Limit("PUBLISHER_MAX_ISSUE_SPANS", 5_000, "bold, italic, link and code spans in the issue")

ALL = (ISSUE_BYTES, CATALOG_BYTES, BLOCK_CHARS, BLOCKS, INLINE_NESTING, INLINE_RUNS, ISSUE_SPANS)


def validate() -> None:
    """Every limit's setting, read once at the start of a command: a bad one is a usage error there."""
    for limit in ALL:
        _ = limit.value
