"""Hyphenation limits WeasyPrint lacks, enforced on its layout.

The edition's HTML states them as ``<meta>`` values named after the CSS Text 4
properties (``hyphenate-limit-lines``, ``-last``, ``-zone``) plus the house
rule ``hyphenate-limit-share`` (the most lines of all that may end in a
hyphen); the text carries its break points as soft hyphens
(:mod:`publisher.locale_rules.hyphenation`). After a layout, every line that
ends in a hyphen and breaks a limit — the third of three hyphenated lines in a
row, the last line of a page, a break whose first part is narrower than the
zone (the line loses little by leaving the word whole), the last but one line
of a paragraph (``hyphenate-limit-final: whole``, TeX's final hyphen
demerits: no fragment alone on the last line), and over the share
the breaks of names first and then those whose lines would open least
without them, and a line set loose (WeasyPrint
sometimes breaks at an early soft hyphen) — has its word's soft hyphens
removed in that element, and the document is laid out again, until no line
breaks a limit. Each pass only removes break points, so it ends.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from publisher.locale_rules.hyphenation import SOFT_HYPHEN

MAX_PASSES = 8
# A hyphenated line set this loose (its words fill less of the line before
# justification) is worse than no hyphen: WeasyPrint (Pango) sometimes breaks
# at an early soft hyphen ("We cannot over-" on a line that holds eleven words).
LOOSE = 0.8
BROKEN_WORD = re.compile(rf"[^\W\d_]+(?:{SOFT_HYPHEN}[^\W\d_]+)+")  # a word with soft hyphens


@dataclass(frozen=True)
class Rules:
    lines: int = 0  # hyphenated lines in a row, at most (0: any)
    last: str = "none"  # "page": the last line of a page never ends in a hyphen
    zone: float = 0.0  # share of the line below which a word's first part is not worth a hyphen
    share: float = 0.0  # share of all lines that may end in a hyphen (0: any)
    final: str = "none"  # "whole": a paragraph's last word is never broken (its last line is no fragment)
    capitalized: float = 0.0  # em: a capitalized word is broken only where keeping it whole opens its line's spaces past this

    def __bool__(self) -> bool:
        return bool(self.lines or self.last != "none" or self.zone or self.share or self.final != "none" or self.capitalized)


def rules(root: Any) -> Rules:
    """The limits stated in the document's ``<meta name="hyphenate-limit-…">``; none without them."""
    found = {meta.get("name"): meta.get("content", "") for meta in root.iter("meta") if meta.get("name", "").startswith("hyphenate-limit-")}

    def share(name: str) -> float:
        value = found.get(name, "").strip().rstrip("%")
        return float(value) / 100 if value else 0.0

    lines = found.get("hyphenate-limit-lines", "")
    return Rules(
        int(lines) if lines.isdigit() else 0,
        found.get("hyphenate-limit-last", "none"),
        share("hyphenate-limit-zone"),
        share("hyphenate-limit-share"),
        found.get("hyphenate-limit-final", "none"),
        float(loose.group(1)) if (loose := re.fullmatch(r"loose (\d+(?:\.\d+)?)em", found.get("hyphenate-limit-capitalized", ""))) else 0.0,
    )


def settle(
    root: Any, render: Callable[[], Any], document: Any = None, release: Callable[[Any], bool] | None = None, planned: Callable[[Any], bool] | None = None
) -> Any:
    """Lay out with ``render`` (from ``document`` when given) until the hyphenated lines keep the limits; the last document.

    ``release`` gives a paragraph set to planned breaks its own text back
    (:mod:`publisher.linefit`) before one of its hyphens is taken away;
    ``planned`` tells such paragraphs, whose hyphens are given up last over
    the share (each was chosen for the whole paragraph, and what it saves
    is more than its own line shows).
    """
    limits = rules(root)
    document = document if document is not None else render()
    if not limits:
        return document
    for _ in range(MAX_PASSES):
        undo = _breaking(document, limits, planned or (lambda element: False))
        released = [release(text_box.element) for text_box in undo] if release else []
        if not any([_unhyphenate(text_box) for text_box in undo] + released):  # a list: every one, not the first
            break
        document = render()
    return document


def _breaking(document: Any, limits: Rules, planned: Callable[[Any], bool]) -> list[Any]:
    """The hyphenated lines' last text boxes to undo: those that break a limit, then over the share names first and the cheapest.

    A line that ends in a word's own hyphen (``Tajikistan-``) counts in a run
    and in the share like a hyphenated one, but has nothing to undo.
    """
    found, kept = [], []
    run = total = hard = 0
    last_pages = _last_pages(document)
    for number, page in enumerate(document.pages):
        flow = _lines(page, number, last_pages)
        for index, (line, penultimate) in enumerate(flow):
            texts = [box for box in line.descendants() if type(box).__name__ == "TextBox"]
            total += bool(texts)
            ending = hyphen(line)
            if not ending:
                run = 0
                continue
            run += 1
            if ending == "hard":
                hard += 1
                continue
            end = texts[-1]
            width = _fragment_share(line, end)
            if (
                (limits.capitalized and _name_break_avoidable(line, end, limits.capitalized))
                or _fill(line) < LOOSE
                or (limits.lines and run > limits.lines)
                or (limits.last == "page" and index == len(flow) - 1)
                or (limits.final == "whole" and penultimate)
                or width < limits.zone
            ):
                found.append(end)
                run = 0
            else:
                kept.append((not _capitalized(end), planned(end.element), _unbroken_spaces(line, end), end))
    if limits.share:
        excess = len(kept) + hard - int(limits.share * total)
        found += [end for *_, end in sorted(kept, key=lambda kept: kept[:3])[: max(0, excess)]]  # names first, then the cheapest, planned ones last
    return found


def hyphen(line: Any) -> str:
    """How the line ends: ``"soft"`` at a soft hyphen, ``"hard"`` in a word's own hyphen (``Tajikistan-``), ``""`` otherwise."""
    texts = [box for box in line.descendants() if type(box).__name__ == "TextBox"]
    if not texts:
        return ""
    ends, character = texts[-1].text.rstrip(), texts[-1].style["hyphenate_character"]
    if not ends.endswith((character, "-")):
        return ""
    return "soft" if ends.endswith(SOFT_HYPHEN + character) else "hard"  # WeasyPrint keeps the soft hyphen it broke at


def counted(document: Any) -> tuple[int, int, int]:
    """The lines of the flow, and those ending at a soft hyphen and in a word's own hyphen: what the share is counted on."""
    total = soft = hard = 0
    last_pages = _last_pages(document)
    for number, page in enumerate(document.pages):
        for line, _ in _lines(page, number, last_pages):
            if any(type(box).__name__ == "TextBox" for box in line.descendants()):
                total += 1
                ending = hyphen(line)
                soft += ending == "soft"
                hard += ending == "hard"
    return total, soft, hard


def _last_pages(document: Any) -> dict[int, int]:
    """For each element with lines, the page (from 0) its last lines are on: a paragraph split by a page ends on the next."""
    found = {}
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            if box.element is not None and any(type(line).__name__ == "LineBox" for line in getattr(box, "children", ())):
                found[id(box.element)] = number
    return found


def _lines(page: Any, number: int, ends: dict[int, int]) -> list[tuple[Any, bool]]:
    """The page's lines in the flow (not in its margins), in order, each with whether it is its block's last but one.

    Only the part of a block that ends on this page has its last but one
    line here: the first part of a paragraph split by the page does not.
    """
    found = []
    for child in page._page_box.children:
        if type(child).__name__ == "MarginBox":
            continue
        for box in child.descendants():
            lines = [line for line in getattr(box, "children", ()) if type(line).__name__ == "LineBox"]
            ending = box.element is None or ends.get(id(box.element)) == number
            found += [(line, ending and i == len(lines) - 2) for i, line in enumerate(lines)]
    return found


def _fill(line: Any) -> float:
    """How much of the line its text fills before justification widened the spaces."""
    return _natural(line) / line.width if line.width else 1.0


def _natural(line: Any) -> float:
    """The width of the line's text before justification widened its spaces."""
    texts = [box for box in line.descendants() if type(box).__name__ == "TextBox"]
    return sum(box.width - (getattr(box, "justification_spacing", 0) or 0) * box.text.count(" ") for box in texts)


def _name_break_avoidable(line: Any, end: Any, loose: float) -> bool:
    """A broken capitalized word whose line, were the word kept whole, would still open its spaces less than ``loose`` em."""
    return _capitalized(end) and _unbroken_spaces(line, end) <= loose


def _capitalized(end: Any) -> bool:
    """Whether the broken word starts with a capital (a name, or a sentence's first word): the first hyphen to give up."""
    return re.split(r"\s", end.text)[-1][:1].isupper()


def _unbroken_spaces(line: Any, end: Any) -> float:
    """How far (em) the line's spaces would open were its broken word kept whole: what taking the hyphen away costs."""
    fragment = re.split(r"\s", end.text)[-1]
    texts = [box for box in line.descendants() if type(box).__name__ == "TextBox"]
    spaces = sum(box.text.count(" ") for box in texts)
    if spaces < 2:
        return float("inf")
    size = end.style["font_size"]
    left = _natural(line) - end.width * len(fragment) / len(end.text) - 0.25 * size  # the fragment and the space before it go down
    return (line.width - left) / (spaces - 1) / size


def _fragment_share(line: Any, end: Any) -> float:
    """How much of the line the broken word's first part takes (the text box's width shared by its characters)."""
    fragment = re.split(r"\s", end.text)[-1]
    return end.width * len(fragment) / len(end.text) / line.width if line.width else 0.0


def _unhyphenate(end: Any) -> bool:
    """Remove the soft hyphens of the broken word wherever it stands in its element's own text; whether any went."""
    before = end.text[: -len(end.style["hyphenate_character"])].replace(SOFT_HYPHEN, "")
    fragment = re.search(r"[^\W\d_]+$", before)
    element = end.element
    if element is None or fragment is None:
        return False
    changed = False

    def whole(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(0).replace(SOFT_HYPHEN, "")
        if not word.startswith(fragment.group(0)):
            return match.group(0)
        changed = True
        return word

    element.text = BROKEN_WORD.sub(whole, element.text or "") or element.text
    for child in element:
        child.tail = BROKEN_WORD.sub(whole, child.tail or "") or child.tail
    return changed


def loose_limit(root: Any) -> tuple[float, float, tuple[float, float]]:
    """What the edition's ``<meta name="justify-loose">`` allows.

    The looseness (em added to each word space), the tracking (em) a loose
    paragraph may take, and the letter spacing (em) a line whose spaces open
    past a looseness (em) may take: ``"0.45em -0.01em 0.01em/0.3em"``.
    """
    setting = next((meta.get("content", "") for meta in root.iter("meta") if meta.get("name") == "justify-loose"), "")
    number = r"(-?\d+(?:\.\d+)?)em"
    match = re.match(rf"\s*{number}(?:\s+{number})?(?:\s+{number}/{number})?", setting)
    if not match:
        return 0.0, 0.0, (0.0, 0.0)
    return float(match.group(1)), float(match.group(2) or 0), (float(match.group(3) or 0), float(match.group(4) or 0))


def track(root: Any, render: Callable[[], Any], document: Any) -> Any:
    """Set each paragraph that has a very loose justified line a little tighter, once: the last document.

    A greedy line breaker leaves a line loose when the next word, often a name
    that is never hyphenated, does not fit. A typesetter tracks such a
    paragraph in by about 1 %: every line then holds a little more, and the
    loose line usually takes the next word. The edition's ``<meta
    name="justify-loose" content="0.3em -0.012em">`` says which lines are too
    loose (space added to each word space) and the tracking given to their
    paragraphs; the document is laid out once more if any was. Paragraphs
    the paragraph breaker looked at (``data-linefit``) are left as they are.
    """
    limit, amount, _ = loose_limit(root)
    if not limit or not amount:
        return document
    tracking = f"{amount:g}"
    loose = []
    for page in document.pages:
        for child in page._page_box.children:
            if type(child).__name__ == "MarginBox":
                continue
            for box in child.descendants():
                element = getattr(box, "element", None)
                if element is None or element in loose or element.tag not in ("p", "li") or element.get("data-linefit"):
                    continue
                for line in getattr(box, "children", ()):
                    if type(line).__name__ == "LineBox" and any(
                        (getattr(text, "justification_spacing", 0) or 0) > limit * text.style["font_size"] for text in line.descendants() if type(text).__name__ == "TextBox"
                    ):
                        loose.append(element)
                        break
    for element in loose:
        style = element.get("style")
        element.set("style", f"{style};letter-spacing:{tracking}em" if style else f"letter-spacing:{tracking}em")
    return render() if loose else document
