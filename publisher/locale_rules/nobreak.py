"""Spaces a line must not break at, written into the text as no-break spaces.

A number stays with the word it counts ("20 groups", "۳ دسمبر"), a month with
its day and year, a range ("۲ تا ۶") stays whole, a proclitic such as Pashto
«د» is never left at the end of a line, and a title or heading never ends on
one short word. What applies is layout data (``no_break`` in layout.yaml);
month names and the words between the ends of a range come from CLDR through
Babel, so a new language needs no code. Only spaces change, to U+00A0, which
WeasyPrint still stretches when it justifies a line.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError

from publisher.errors import PublisherError
from publisher.model import Inline, Text

NBSP = "\u00a0"
WORD_JOINER = "\u2060"
_CLOSED_DASH = re.compile(r"(?<=[^\s\u2060])—")
_NUMBER_WORD = re.compile(r"(?<=[\d%٪])[ ](?=[^\W\d_])")
_NUMBER_YEAR = re.compile(r"(?<=\d[,،])[ ](?=\d)")
_DASH_RANGE = re.compile(r"(?<=\d)[ \u2009](?=[–—-][ \u2009]?\d)|(?<=\d[ \u2009][–—-])[ \u2009](?=\d)")


@dataclass(frozen=True)
class Rules:
    numbers: bool = False
    dashes: bool = False  # a closed em dash never starts a line ("powers—was": a word joiner before it)
    months: tuple[str, ...] = ()
    ranges: tuple[str, ...] = ()
    proclitics: tuple[str, ...] = ()
    heading_last_word: int = 0
    heading_subtitle: int = 0  # letters: a title's part after its colon, if no longer, is kept on one line
    paragraph_last_word: int = 0  # letters: a paragraph's last word, if no longer, never stands alone on its last line

    def pattern(self) -> re.Pattern[str] | None:
        """Spaces after a month (before its day or year), a range word or a proclitic."""
        words = [re.escape(w) for w in (*self.ranges, *self.proclitics)]
        alternatives = [rf"(?:(?<=\s)|^)(?:{'|'.join(words)})[ ]"] if words else []
        if self.months:
            alternatives.append(rf"(?:{'|'.join(re.escape(m) for m in self.months)})[ ](?=\d)")
        return re.compile("|".join(alternatives)) if alternatives else None


def rules_for(settings: dict[str, Any], locale: str) -> Rules:
    """The rules of ``locale`` from the layout's ``no_break`` settings."""
    data = settings.get("no_break") or {}
    if not isinstance(data, dict):
        raise PublisherError("'no_break' must be a mapping", "layouts/weekly-analysis/layout.yaml")
    try:
        babel_locale = Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        babel_locale = None
    months: tuple[str, ...] = ()
    ranges: tuple[str, ...] = ()
    if data.get("dates") and babel_locale is not None:
        months = tuple(sorted({str(name) for width in ("wide", "abbreviated") for name in babel_locale.months["format"][width].values()}, key=len, reverse=True))
        ranges = _range_words(babel_locale)
    proclitics = (data.get("proclitics") or {}).get(locale, ())
    counts = [data.get(key, 0) for key in ("heading_last_word", "heading_subtitle", "paragraph_last_word")]
    if not all(isinstance(count, int) for count in counts) or not isinstance(proclitics, list | tuple):
        raise PublisherError(
            "no_break: 'heading_last_word', 'heading_subtitle' and 'paragraph_last_word' are numbers of letters, 'proclitics' lists words per locale",
            "layouts/weekly-analysis/layout.yaml",
        )
    return Rules(bool(data.get("numbers")), bool(data.get("dashes")), months, ranges, tuple(str(p) for p in proclitics), *counts)


def _range_words(babel_locale: Locale) -> tuple[str, ...]:
    """Words CLDR puts between the two ends of a range (``تا``, ``bis``…)."""
    words: set[str] = set()
    for formats in (babel_locale.interval_formats.get("yMMMd") or {}, babel_locale.interval_formats.get("yMd") or {}):
        for parts in formats.values():
            if isinstance(parts, list | tuple) and parts:
                tail = re.search(r"[^A-Za-z']*$", str(parts[0]))
                words.update(w for w in re.findall(r"[^\W\d_]+", tail.group(0) if tail else ""))
    return tuple(sorted(words))


def bind(text: str, rules: Rules) -> str:
    """``text`` with its no-break spaces."""
    if rules.numbers:
        text = _NUMBER_WORD.sub(NBSP, text)
    if rules.dashes:  # UAX #14 lets a line break before an em dash; the break after it stays
        text = _CLOSED_DASH.sub(WORD_JOINER + "—", text)
    if rules.months:
        text = _NUMBER_YEAR.sub(NBSP, text)
        text = _DASH_RANGE.sub(lambda m: NBSP if m.group(0) == " " else "\u202f", text)  # a thin space stays thin
    pattern = rules.pattern()
    if pattern is not None:
        text = pattern.sub(lambda m: m.group(0)[:-1] + NBSP, text)
    if rules.months:  # a month, a short particle, its day: "د نومبر پر ۳۰مه", "le 3 of May" stay on one line
        months = "|".join(re.escape(m) for m in rules.months)
        text = re.sub(rf"({months})[ ]([^\W\d_]{{1,3}})[ ](?=\d)", lambda m: f"{m.group(1)}{NBSP}{m.group(2)}{NBSP}", text)
        # The day or year after a month counts nothing: the word after the date may start a line ("July 2009 / in Kabul", «يوليو ٢٠٠٩ / في كابل»)
        text = re.sub(rf"((?:{months}){NBSP}\d+(?:[{NBSP}\u202f][–—-][{NBSP}\u202f]?\d+)?(?:[,،]{NBSP}\d+)?){NBSP}(?=[^\W\d_])", r"\1 ", text)
    return text


def bind_runs(inlines: tuple[Inline, ...], rules: Rules) -> tuple[Inline, ...]:
    """:func:`bind` on every text run."""
    out: list[Inline] = []
    for run in inlines:
        if isinstance(run, Text):
            out.append(dataclasses.replace(run, text=bind(run.text, rules)))
        elif hasattr(run, "children"):
            out.append(dataclasses.replace(run, children=bind_runs(run.children, rules)))
        else:
            out.append(run)
    return tuple(out)


def bind_last_word(inlines: tuple[Inline, ...], rules: Rules) -> tuple[Inline, ...]:
    """A title or heading whose last word is short: that word is bound to the one before.

    A word of one or two letters before it (a conjunction, a particle) is bound
    too, so the last line never holds only "و واگرایی".
    """
    return _bind_end(inlines, rules.heading_last_word, particle=True)


def bind_subtitle(inlines: tuple[Inline, ...], rules: Rules) -> tuple[Inline, ...]:
    """A title or heading's part after its colon, when short, has its spaces bound: the line breaks at the colon, not inside the phrase.

    "…في أفغانستان: نقاط / التلاقي والتباين" becomes "…في أفغانستان: / نقاط التلاقي
    والتباين". Only a last text run is bound, and only a part of at most
    ``heading_subtitle`` letters, so it always fits on a line of its own.
    """
    if not rules.heading_subtitle or not inlines or not isinstance(inlines[-1], Text):
        return inlines
    *rest, last = inlines
    head, colon, tail = last.text.rpartition(": ")
    if not colon or not tail.strip() or len(re.findall(r"[^\W_]", tail)) > rules.heading_subtitle:
        return inlines
    return (*rest, dataclasses.replace(last, text=head + colon + tail.strip(" ").replace(" ", NBSP) + tail[len(tail.rstrip(" ")) :]))


def bind_paragraph_end(inlines: tuple[Inline, ...], rules: Rules) -> tuple[Inline, ...]:
    """A paragraph's short last word is bound to the word before: its last line never holds one short word alone (a runt)."""
    return _bind_end(inlines, rules.paragraph_last_word, particle=False)


def _bind_end(inlines: tuple[Inline, ...], letters: int, particle: bool) -> tuple[Inline, ...]:
    """The last word, if of at most ``letters`` letters, bound to the one before (and a one- or two-letter word before it, with ``particle``)."""
    if not letters or not inlines:
        return inlines
    *rest, last = inlines
    if isinstance(last, Text):
        body = last.text.rstrip()
        head, sep, word = body.rpartition(" ")
        if not sep or len(re.findall(r"[^\W_]", word)) > letters:
            return inlines
        word = NBSP + word
        before, sep, little = head.rpartition(" ")
        if particle and sep and len(little) <= 2:  # "و واگرایی": a one- or two-letter word goes down with it
            head, word = before, NBSP + little + word
        return (*rest, dataclasses.replace(last, text=head + word + last.text[len(body) :]))
    if hasattr(last, "children"):
        return (*rest, dataclasses.replace(last, children=_bind_end(last.children, letters, particle)))
    return inlines
