"""Where a word may break at a line end: soft hyphens from the language's patterns.

WeasyPrint hyphenates every word it meets with ``hyphens: auto`` and has no
say about names or acronyms; here the break points are written into the text
as soft hyphens (U+00AD) from the same patterns (pyphen, chosen by the
edition's language tag: ``en-US`` gives US patterns), and the stylesheet says
``hyphens: manual``. The layout's ``hyphenation`` settings decide which
words may break:

- ``min_word``, ``min_before``, ``min_after``: the shortest word broken and
  the fewest letters left before and carried after the break (CSS
  ``hyphenate-limit-chars``);
- ``capitalized``: false keeps every word that starts with a capital whole
  (names, acronyms, and the first word of a sentence), as typesetters do;
- ``limit_lines``, ``limit_last`` and ``limit_zone`` (CSS
  ``hyphenate-limit-lines``, ``-last`` and ``-zone``, which WeasyPrint lacks or
  ignores for soft hyphens): the most hyphenated lines in a row, whether the
  last line of a page may end in a hyphen, and the share of the line (in %)
  below which a word's first part is not worth a hyphen; ``limit_share``: the
  most lines (in % of all) that may end in a hyphen; ``whole_last_word``: a
  paragraph's last word is never broken. The PDF stage enforces them
  (:mod:`publisher.linebreaks`);
- ``exceptions``: words written with their only break points as hyphens
  (``geo-political``), where the patterns break badly ("geopo-litical"), as
  TeX's ``\\hyphenation``; any case of the word takes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from publisher.errors import PublisherError

SOFT_HYPHEN = "\u00ad"
WORD = re.compile(r"[^\W\d_]+")
EXCEPTION = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")


@dataclass(frozen=True)
class Limits:
    min_word: int = 7
    min_before: int = 3
    min_after: int = 3
    capitalized: bool | str = False  # true, false, or "when-loose": only where keeping the word whole leaves its line loose
    limit_lines: int = 2
    limit_last: str = "page"  # CSS hyphenate-limit-last: none (no limit) or page
    limit_zone: int = 10  # CSS hyphenate-limit-zone, in % of the line
    limit_share: int = 4  # % of all lines that may end in a hyphen
    whole_last_word: bool = True  # a paragraph's last word is never broken
    exceptions: tuple[str, ...] = ()  # words with their break points as hyphens: "geo-political"


def limits_from(settings: Any, where: str) -> Limits:
    """The layout's ``hyphenation`` mapping as :class:`Limits`; a wrong value names its key."""
    settings = settings or {}
    if not isinstance(settings, dict):
        raise PublisherError("'hyphenation' must be a mapping", where)
    unknown = set(settings) - set(Limits.__dataclass_fields__)
    if unknown:
        raise PublisherError(f"hyphenation: unknown setting '{sorted(unknown)[0]}' (known: {', '.join(Limits.__dataclass_fields__)})", where)
    values: dict[str, Any] = {}
    for key, default in Limits().__dict__.items():
        value = settings.get(key, default)
        if key == "exceptions":
            if not isinstance(value, list | tuple) or not all(isinstance(word, str) and EXCEPTION.fullmatch(word) for word in value):
                raise PublisherError(f"hyphenation.exceptions must be a list of words with their break points as hyphens (geo-political), not {value!r}", where)
            values[key] = tuple(value)
            continue
        if key == "capitalized":
            ok = isinstance(value, bool) or value == "when-loose"
        elif isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
        else:
            ok = value in ("none", "page")
        if not ok:
            expected = "true, false or 'when-loose'" if key == "capitalized" else "true or false" if isinstance(default, bool) else "a whole number from 1" if isinstance(default, int) else "'none' or 'page'"
            raise PublisherError(f"hyphenation.{key} must be {expected}, not {value!r}", where)
        values[key] = value
    return Limits(**values)


@lru_cache(maxsize=8)
def _patterns(language: str, before: int, after: int) -> Any:
    import pyphen

    found = pyphen.language_fallback(language.replace("-", "_"))
    return pyphen.Pyphen(lang=found, left=before, right=after) if found else None


@lru_cache(maxsize=8)
def _exceptions(words: tuple[str, ...]) -> dict[str, frozenset[int]]:
    """Each exception word (case folded, without its hyphens) → the places of its break points."""
    found = {}
    for written in words:
        parts = written.split("-")
        places = {sum(len(part) for part in parts[:index]) for index in range(1, len(parts))}
        found["".join(parts).casefold()] = frozenset(places)
    return found


def soft_hyphens(text: str, language: str, limits: Limits) -> str:
    """``text`` with a soft hyphen at every break point its words may take (none when the language has no patterns)."""
    patterns = _patterns(language, limits.min_before, limits.min_after)
    if patterns is None:
        return text

    exceptions = _exceptions(limits.exceptions)

    def word(match: re.Match[str]) -> str:
        found = match.group(0)
        if len(found) < limits.min_word or (found[0].isupper() and (not limits.capitalized or found.isupper())):
            return found  # short, or a name (unless the layout allows it), or an acronym
        if found.casefold() in exceptions:
            return "".join(SOFT_HYPHEN + ch if index in exceptions[found.casefold()] else ch for index, ch in enumerate(found))
        return patterns.inserted(found, hyphen=SOFT_HYPHEN)

    return WORD.sub(word, text)
