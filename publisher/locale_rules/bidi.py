"""Bidi isolation of Latin runs in right-to-left text.

In a Pashto, Dari or Arabic paragraph, a name, acronym, English title or URL
in Latin letters is a left-to-right island. Each such run becomes its own
:class:`Text` with ``script='latin'``; the layout wraps it in ``<bdi>`` so the
bidi algorithm never reorders its neighbours, and sets it in the Latin font.
The characters are never changed, only grouped.

Runs are found with the Unicode Bidirectional Algorithm's own character
classes (``unicodedata.bidirectional``), not a hand-made list: a run starts at
a strong left-to-right letter and goes on over everything that is not
right-to-left (inner spaces, commas, colons, digits, brackets, hyphens…); it
ends at its last letter or digit, or at a closing bracket whose opening one is
inside it. So ``Asia: Water, Trade and Security`` stays one unit, and the
sentence's own punctuation after it stays with the right-to-left text.
"""

from __future__ import annotations

import re
import unicodedata

from publisher.model import Code, Emphasis, Inline, Link, Strong, Text

# Embedding/override/isolate controls: text from a catalog must not carry them
# (Trojan-source style reordering); LRM, RLM, ZWJ and ZWNJ are allowed.
CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

# Classes that end a run: right-to-left letters and digits, paragraph and
# segment separators, and the explicit controls.
_STOP = {"R", "AL", "AN", "B", "S", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
# Classes a run may end on: letters, European digits (1, ³) and marks on them.
_END = {"L", "EN", "NSM"}
_PAIRS = {")": "(", "]": "[", "}": "{"}
# Digits of the Arabic script are European-number class (U+06F0…) but belong
# to the right-to-left text around them.
_RTL_BLOCKS = ((0x0600, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


def _rtl_script(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in _RTL_BLOCKS)


def _class(ch: str) -> str:
    return "AL" if _rtl_script(ch) else unicodedata.bidirectional(ch)


def isolate(inlines: tuple[Inline, ...], lang: str = "") -> tuple[Inline, ...]:
    """Split text runs into Latin islands and the rest, recursively.

    ``lang`` is the language the islands are taken to be in (the source
    language: names, acronyms and titles quoted as written).
    """
    out: list[Inline] = []
    for run in inlines:
        if isinstance(run, Text) and not run.script:
            out.extend(split_latin(run.text, lang))
        elif isinstance(run, Strong):
            out.append(Strong(isolate(run.children, lang)))
        elif isinstance(run, Emphasis):
            out.append(Emphasis(isolate(run.children, lang)))
        elif isinstance(run, Link):
            out.append(Link(run.href, isolate(run.children, lang)))
        elif isinstance(run, Code):
            out.append(Text(run.text, "latin", lang))
        else:
            out.append(run)
    return tuple(out)


def latin_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every maximal left-to-right run of ``text``."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        if _class(text[i]) != "L" and not _digits_before_letter(text, i):
            i += 1
            continue
        j, last, opened = i, i, []
        while j < n and _class(text[j]) not in _STOP:
            ch = text[j]
            if ch in _PAIRS.values():
                opened.append(ch)
            elif ch in _PAIRS and opened and opened[-1] == _PAIRS[ch]:
                opened.pop()
                if not opened:
                    last = j
            if _class(ch) in _END and not opened:
                last = j
            j += 1
        if _abbreviation_dot(text, last):
            last += 1
        runs.append((i, last + 1))
        i = last + 1
    return runs


def _abbreviation_dot(text: str, last: int) -> bool:
    """``U.S.``: the final dot of single letters joined by dots is part of the run."""
    return last + 1 < len(text) and text[last + 1] == "." and last >= 2 and text[last - 1] == "." and _class(text[last - 2]) == "L"


def _digits_before_letter(text: str, i: int) -> bool:
    """``3D``, ``5G``: ASCII digits joined to a Latin letter start its run."""
    if not ("0" <= text[i] <= "9") or (i and "0" <= text[i - 1] <= "9"):
        return False
    j = i
    while j < len(text) and "0" <= text[j] <= "9":
        j += 1
    return j < len(text) and _class(text[j]) == "L"


def split_latin(text: str, lang: str = "") -> list[Text]:
    """``text`` as alternating runs; their concatenation is ``text``."""
    parts: list[Text] = []
    pos = 0
    for start, end in latin_runs(text):
        if start > pos:
            parts.append(Text(text[pos:start]))
        parts.append(Text(text[start:end], "latin", lang))
        pos = end
    if pos < len(text):
        parts.append(Text(text[pos:]))
    return parts
