"""Bidi isolation of Latin runs in right-to-left text.

In a Pashto, Dari or Arabic paragraph, a name, acronym or URL in Latin letters
is a left-to-right island. Each such run becomes its own :class:`Text` with
``script='latin'``; the layout wraps it in ``<bdi>`` so the bidi algorithm
never reorders its neighbours, and sets it in the Latin font. The characters
are never changed, only grouped.
"""

from __future__ import annotations

import re

from publisher.model import Code, Emphasis, Inline, Link, Strong, Text

# Embedding/override/isolate controls: text from a catalog must not carry them
# (Trojan-source style reordering); LRM, RLM, ZWJ and ZWNJ are allowed.
CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

# A Latin run: starts and ends with a Latin letter or digit-led token, may hold
# spaces, dots, hyphens, slashes and similar joiners between Latin words.
_LATIN = "A-Za-z\u00c0-\u024f"
_RUN = re.compile(rf"[{_LATIN}][{_LATIN}0-9]*(?:[ .\-/&'’:@_+]*[{_LATIN}0-9]+)*\.?")


def isolate(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Split text runs into Latin islands and the rest, recursively."""
    out: list[Inline] = []
    for run in inlines:
        if isinstance(run, Text) and not run.script:
            out.extend(split_latin(run.text))
        elif isinstance(run, Strong):
            out.append(Strong(isolate(run.children)))
        elif isinstance(run, Emphasis):
            out.append(Emphasis(isolate(run.children)))
        elif isinstance(run, Link):
            out.append(Link(run.href, isolate(run.children)))
        elif isinstance(run, Code):
            out.append(Text(run.text, "latin"))
        else:
            out.append(run)
    return tuple(out)


def split_latin(text: str) -> list[Text]:
    """``text`` as alternating runs; their concatenation is ``text``."""
    parts: list[Text] = []
    pos = 0
    for match in _RUN.finditer(text):
        if match.start() > pos:
            parts.append(Text(text[pos : match.start()]))
        parts.append(Text(match.group(0), "latin"))
        pos = match.end()
    if pos < len(text):
        parts.append(Text(text[pos:]))
    return parts
