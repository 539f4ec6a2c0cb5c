"""Paragraph-wide line breaking (Knuth and Plass's total fit) for justified paragraphs WeasyPrint breaks greedily.

WeasyPrint fills each line as full as it can and only then looks at the next,
so a long word that does not fit (a name, which is never hyphenated) leaves
its line loose, however good the other breaks of the paragraph could have
been. TeX chooses all the breaks of a paragraph at once, minimising the sum
of each line's demerits; the looseness is shared out, and a hyphen is taken
where it helps most. This does the same on the laid-out edition, for each
justified left-to-right paragraph with a line looser than the edition allows
(``<meta name="justify-loose">``):

- the words, spaces and soft hyphens of its text are measured with the
  fonts WeasyPrint uses (Pango, through WeasyPrint's own layout object);
- the breaks of least total demerits are found (badness from the space each
  word space gets beyond its natural width, a penalty per hyphen, more for
  two hyphenated lines in a row; three in a row, or a hyphen on the last line
  but one, are not allowed), every line no wider than the measure;
- where that is clearly better than the greedy lines, the paragraph's other
  break points are taken away (a word joiner after each other space, the
  soft hyphens it does not use removed, a word joiner after a dash or slash)
  so that WeasyPrint can break it only there.

Each plan is checked on the next layout: a paragraph whose lines are not the
ones planned gets its text back. A paragraph whose hyphen a later pass must
take away (the last line of a page) gets its text back the same way
(:meth:`Plans.release`). Right-to-left paragraphs are left to WeasyPrint.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import cache
from itertools import groupby
from typing import Any

from publisher import linebreaks
from publisher.locale_rules.hyphenation import SOFT_HYPHEN

WORD_JOINER = "\u2060"
NO_BREAK = "\u00a0"
INLINE = frozenset({"strong", "b", "em", "i", "span", "bdi", "abbr", "cite", "q", "small", "sub", "sup", "mark", "a", "code"})
BREAK_AFTER = re.compile("([-\u2010\u2013\u2014/])(?!\u2060)")  # break opportunities inside a word, taken away
TOLERANCE = 0.5  # CSS px a planned line keeps clear of the measure (measuring word by word may differ slightly)
STRETCH = 0.5  # a word space's stretchability, in spaces (TeX's interword glue: 1/2 of the space)
HYPHEN_PENALTY = 50.0
PENALTIES = (HYPHEN_PENALTY, 100.0, 150.0, 200.0, 300.0, 500.0, 1000.0, 2000.0, 3000.0, 4000.0, 6000.0, 8000.0, 12000.0, 16000.0, 32000.0)  # a hyphen's penalty, raised in these steps until an issue's plans keep the hyphenation share
DOUBLE_HYPHEN = 3000.0
FITNESS_JUMP = 100.0  # demerits for a loose line next to a tight one
RUNT = (1 + 100 * 3.4**3) ** 2  # a last word alone costs as much as a line stretched 3.4 times its spaces' stretchability (about 6 pt gaps in English)
MAX_RATIO = 10.0  # stretch ratios above this are not considered at all
GAIN = 0.75  # a plan is used when its loosest line stretches at most this share of the greedy loosest line's stretch


@dataclass
class _Piece:
    """A run of a paragraph's text in one style, where it lives in the tree (``element.text`` or ``element.tail``)."""

    node: Any
    attr: str  # "text" or "tail"
    style: Any


@dataclass
class _Word:
    text: str  # without soft hyphens
    width: float
    splits: list[tuple[int, float, float]]  # (soft hyphen index in the word, width before it with the hyphen, width after it)


@dataclass
class _Paragraph:
    element: Any
    width: float
    words: list[_Word]
    spaces: list[float]  # the natural width of the space after each word but the last
    space: float  # the paragraph's natural word space, for the stretch ratio
    greedy: float  # the greedy layout's loosest line, as a stretch ratio
    size: float  # the font size, for tracking
    runt: int = -1  # the word after which the no-break space of the no-runt rule stands (a break there costs RUNT)
    page_ends: frozenset[int] = frozenset()  # the lines (from 0) that end a page: no hyphen there (the limits say so)


@dataclass
class Plans:
    """The paragraphs set to planned breaks: their original text, to give back, and their planned line counts."""

    saved: dict[Any, list[tuple[Any, str, str | None]]] = field(default_factory=dict)
    lines: dict[Any, int] = field(default_factory=dict)
    owners: dict[Any, Any] = field(default_factory=dict)  # each element of a planned paragraph → the paragraph
    penalty: float = HYPHEN_PENALTY  # a hyphen's penalty: raised once for the whole issue to keep the share (:func:`plan`)
    spans: dict[Any, list[tuple[Any, Any]]] = field(default_factory=dict)  # each planned paragraph's letter-spaced lines: (parent, span)

    def __bool__(self) -> bool:
        return bool(self.saved)

    def release(self, element: Any) -> bool:
        """Give ``element`` (or the planned paragraph it is in) its text back; whether it was planned."""
        paragraph = self.owners.get(element)
        if paragraph is None or paragraph not in self.saved:
            return False
        for parent, span in self.spans.pop(paragraph, ()):
            parent.remove(span)
        for target, attr, value in self.saved.pop(paragraph):
            setattr(target, attr, value)
        self.lines.pop(paragraph, None)
        paragraph.attrib.pop("data-linefit", None)
        return True

    def planned(self, element: Any) -> bool:
        """Whether ``element`` is (in) a paragraph set to planned breaks: its hyphens were chosen for the whole paragraph."""
        return self.owners.get(element) in self.saved

    def check(self, document: Any) -> bool:
        """Give back the text of each paragraph not laid out as planned; whether any was (a new layout is needed)."""
        found = _lines_by_element(document)
        failed = [element for element, count in self.lines.items() if element not in found or len(found[element]) != count or any(_overflows(line) for line in found[element])]
        for element in failed:
            self.release(element)
        return bool(failed)


def plan(root: Any, document: Any, zone: float = 0.0, whole_names: bool = False, plans: Plans | None = None, allowed: int | None = None) -> Plans:
    """Set each loose justified left-to-right paragraph to its best breaks (its tree changed); the plans made.

    A paragraph is looked at when a line's spaces open past half the
    edition's ``justify-loose`` limit. ``zone`` (a share of the measure) and
    ``whole_names`` are the hyphenation limits a plan keeps: no word broken
    with less than the zone before its hyphen, no capitalized word broken.
    Given ``allowed``, the hyphenated lines the edition may have (its share),
    every such paragraph with a hyphenated line is planned too, and a hyphen
    costs more, step by step (:data:`PENALTIES`), until the plans and the
    lines left as set keep to it: each hyphen then stands where it saves the
    most of the whole issue, not of its own paragraph (a Lagrangian
    relaxation of the share, which a pass taking hyphens away one by one
    afterwards cannot be).
    """
    plans = plans if plans is not None else Plans()
    limit, tracking, letters = linebreaks.loose_limit(root)
    if not limit:
        return plans
    candidates: list[tuple[_Paragraph, int, list[tuple[_Paragraph, float]]]] = []
    for element, lines in _lines_by_element(document).items():
        if element in plans.saved:
            continue
        hyphens = sum(linebreaks.hyphen(line) == "soft" for line in lines)
        paragraph = _paragraph(element, lines, -1.0 if allowed is not None and hyphens else limit / 2, zone, whole_names)
        if paragraph is not None:
            candidates.append((paragraph, hyphens, [(_tracked(paragraph, track), track) for track in sorted({0.0, tracking})]))
    if not candidates:
        return plans
    penalties = [plans.penalty]
    if allowed is not None:
        _, soft, hard = linebreaks.counted(document)
        outside = soft + hard - sum(hyphens for _, hyphens, _ in candidates)
        penalties = [penalty for penalty in PENALTIES if penalty >= plans.penalty] or [plans.penalty]
    previous: list[Any] = []
    for penalty in penalties:
        chosen = [(paragraph, hyphens, _choice(paragraph, variants, penalty, allowed is not None and hyphens > 0, letters[0] > 0)) for paragraph, hyphens, variants in candidates]
        plans.penalty = penalty
        if allowed is None or outside + sum(_hyphens(choice, hyphens) for _, hyphens, choice in chosen) <= allowed:
            break
        previous = chosen
    if allowed is not None and previous:
        chosen = _spent(chosen, previous, allowed - outside)
    for paragraph, _, choice in chosen:
        element = paragraph.element
        if choice is None:
            element.set("data-linefit", "as-set")  # looked at: its greedy lines are as good as any (tracking included)
            continue
        tracked, track, breaks = choice
        plans.saved[element] = _snapshot(element)
        plans.lines[element] = len(breaks) + 1
        plans.owners.update((node, element) for node in element.iter())
        spacing = _letter_spacing(tracked, breaks, letters[0] - max(track, 0.0), letters[1], track)  # the line's letter spacing, the paragraph's included, stays within the limit
        plans.spans[element] = _enforce(element, paragraph, breaks, {line: f"{track + extra:.4f}em" for line, extra in spacing.items()})
        plans.owners.update((span, element) for _, span in plans.spans[element])
        element.set("data-linefit", "planned")
        if track:
            style = element.get("style")
            element.set("style", f"{style};letter-spacing:{track}em" if style else f"letter-spacing:{track}em")
    return plans


def _hyphens(choice: tuple[_Paragraph, float, list[tuple[int, int]]] | None, as_set: int) -> int:
    """The hyphenated lines of a paragraph's choice (``as_set`` when it keeps its greedy lines)."""
    return as_set if choice is None else sum(cut >= 0 for _, cut in choice[2])


def _spent(chosen: list[Any], previous: list[Any], allowed: int) -> list[Any]:
    """The choices with what the share has left spent: a paragraph takes its plan of the penalty before (more hyphens) where that opens its loosest line least per hyphen, while the share allows.

    A penalty step changes several paragraphs at once, so the step that
    keeps the share may leave hyphens unused (issue 456 used 5 of 8); they
    go to the paragraphs whose loosest line they close most.
    """
    left = allowed - sum(_hyphens(choice, hyphens) for _, hyphens, choice in chosen)
    offers = []
    for index, ((_, hyphens, choice), (_, _, before)) in enumerate(zip(chosen, previous, strict=True)):
        more = _hyphens(before, hyphens) - _hyphens(choice, hyphens)
        if choice is not None and before is not None and more > 0:
            gain = _loosest(choice[0], choice[2]) - _loosest(before[0], before[2])
            if gain > 0:
                offers.append((-gain / more, index, more))
    spent = list(chosen)
    for _, index, more in sorted(offers):
        if more <= left:
            spent[index] = previous[index]
            left -= more
    return spent


def _choice(
    paragraph: _Paragraph, variants: list[tuple[_Paragraph, float]], penalty: float, shared: bool, spaced: bool
) -> tuple[_Paragraph, float, list[tuple[int, int]]] | None:
    """The tracking and breaks of least loose line among the paragraph's variants, when clearly better than its greedy lines; None when none is.

    A ``shared`` paragraph (its hyphens are shared out over the issue) takes
    its best breaks whatever they are: its greedy lines would keep hyphens
    the share has no room for. When loose lines may be ``spaced`` (letter
    spacing), breaks as good as the greedy ones are taken too: only planned
    lines can be letter-spaced.
    """
    found = []
    for tracked, track in variants:  # as set, and tracked as a typesetter would (TeX's \looseness has no such thing; InDesign's does)
        breaks = _best(tracked, penalty)
        if breaks is not None:
            found.append((_loosest(tracked, breaks), track, breaks, tracked))
    if not found:
        return None
    loosest, track, breaks, tracked = min(found, key=lambda found: found[:2])
    if loosest > (1.0 if spaced else GAIN) * paragraph.greedy and not shared:
        return None
    return tracked, track, breaks


def _letter_spacing(paragraph: _Paragraph, breaks: list[tuple[int, int]], most: float, loose: float, track: float = 0.0) -> dict[int, float]:
    """The letter spacing (em) each planned line takes on top of the paragraph's, to close what its word spaces open past ``loose`` em.

    A line that stays loose whatever the breaks (a long name that fits
    nowhere) shares what its spaces would open past ``loose`` out between
    its letters too, at most ``most`` em each, as a typesetter's
    letter-spacing limit does (InDesign's justification settings; pdfTeX's
    font expansion): its spaces open less. Lines that are not loose keep
    their letters as set, so the spacing stays rare and even. In a paragraph
    tracked in (``track`` < 0), a line whose spaces open past half of
    ``loose`` gives its letters back what the tracking took, if its spaces
    stay past that half: tracking in is for the tight lines it lets
    take one more word, and on an open line it only opens the spaces more
    (review 9: 92 lines of issue 455 at -0.9 %, some with 0.45 em gaps). A
    line ending in a hyphen is left as it is (the hyphenation limits look at
    its last word).
    """
    found: dict[int, float] = {}
    if most <= 0:
        return found
    width = paragraph.width - TOLERANCE
    start = (-1, -1)
    for line, end in enumerate(breaks):
        natural, gaps = _span(paragraph.words, paragraph.spaces, start, end)
        if end[1] < 0 and gaps:
            letters = _letters(paragraph.words, start, end) + gaps
            spacing = min(most * paragraph.size, (width - natural - gaps * loose * paragraph.size) / letters) / paragraph.size
            if track < 0 and width - natural - gaps * loose / 2 * paragraph.size >= -track * paragraph.size * letters:
                spacing = max(spacing, -track)  # all of it or none: WeasyPrint draws a line tracked by a few thousandths of an em off the edge, which letterspacing.py cannot mend
            if spacing > 0:
                found[line] = spacing
        start = end
    return found


def _letters(words: list[_Word], start: tuple[int, int], end: tuple[int, int]) -> int:
    """The letters of a line from after break ``start`` to break ``end`` (as :func:`_span` measures it)."""
    first, split = start
    last, cut = end
    count = len(words[first].text) - words[first].splits[split][0] if split >= 0 else 0
    for index in range(first + 1, last + 1):
        count += words[index].splits[cut][0] if index == last and cut >= 0 else len(words[index].text)
    return count


def _tracked(paragraph: _Paragraph, track: float) -> _Paragraph:
    """The paragraph measured with ``track`` em more between its letters (Pango spaces every character by it)."""
    if not track:
        return paragraph
    add = track * paragraph.size
    words = [
        _Word(word.text, word.width + add * len(word.text), [(at, before + add * (at + 1), after + add * (len(word.text) - at)) for at, before, after in word.splits])
        for word in paragraph.words
    ]
    return dataclasses.replace(paragraph, words=words, spaces=[space + add for space in paragraph.spaces], space=paragraph.space + add)


def _lines_by_element(document: Any) -> dict[Any, list[Any]]:
    """Every block's lines, across pages, by its element (the block's width as each line's ``measure``)."""
    found: dict[Any, list[Any]] = {}
    for page in document.pages:
        for child in page._page_box.children:
            if type(child).__name__ == "MarginBox":
                continue
            for box in child.descendants():
                lines = [line for line in getattr(box, "children", ()) if type(line).__name__ == "LineBox"]
                if lines and getattr(box, "element", None) is not None and type(box).__name__ == "BlockBox":
                    for line in lines:
                        line.measure, line.page_end = box.width, False
                    lines[-1].page_end = True  # the last line of the block on this page (or of the block)
                    found.setdefault(box.element, []).extend(lines)
    return found


def _texts(line: Any) -> list[Any]:
    return [box for box in line.descendants() if type(box).__name__ == "TextBox"]


def _overflows(line: Any) -> bool:
    """Whether the line's text is wider than its measure (it could not be broken where planned)."""
    natural = sum(box.width - (getattr(box, "justification_spacing", 0) or 0) * box.text.count(" ") for box in _texts(line))
    return natural > line.measure + TOLERANCE


def _ratio_of(line: Any, space: float) -> float:
    """The greedy line's stretch ratio: the space added to each word space, in stretchabilities."""
    extra = max((getattr(box, "justification_spacing", 0) or 0) for box in _texts(line)) if _texts(line) else 0.0
    return extra / (STRETCH * space) if space else 0.0


def _pieces(element: Any, styles: dict[Any, Any] | None) -> list[_Piece] | None:
    """The paragraph's text runs in order with their styles (unchecked without ``styles``); None when it holds anything but plain inline text."""
    pieces: list[_Piece] = []

    def walk(node: Any) -> bool:
        style = styles.get(node) if styles is not None else None
        if styles is not None and (style is None or style["white_space"] != "normal" or style["float"] != "none" or style["position"] not in ("static", "relative")):
            return False
        pieces.append(_Piece(node, "text", style))
        for child in node:
            if not isinstance(child.tag, str) or child.tag not in INLINE or not walk(child):
                return False
            pieces.append(_Piece(child, "tail", style))
        return True

    return pieces if walk(element) else None


def _paragraph(element: Any, lines: list[Any], limit: float, zone: float, whole_names: bool) -> _Paragraph | None:
    """The paragraph measured word by word, when it is justified, left to right, plain and looser than ``limit`` somewhere."""
    if len(lines) < 2:
        return None
    style = lines[0].style
    if style["direction"] != "ltr" or style["text_align_all"] != "justify" or style["text_indent"].value:
        return None
    if len({round(line.measure, 2) for line in lines}) != 1:
        return None
    styles = {element: style}
    for line in lines:
        for box in line.descendants():
            if getattr(box, "element", None) is not None and box.element is not element:
                styles.setdefault(box.element, box.style)
    size = style["font_size"]
    if not any(max((getattr(box, "justification_spacing", 0) or 0) for box in _texts(line) or [None]) > limit * size for line in lines[:-1] if _texts(line)):
        return None
    pieces = _pieces(element, styles)
    if pieces is None:
        return None
    words, spaces, runt = _words(pieces)
    if len(words) < 4:
        return None
    for word in words:  # the hyphens the limits allow
        word.splits = [] if whole_names and word.text[:1].isupper() else [split for split in word.splits if split[1] >= zone * lines[0].measure]
    space = measure(" x", style) - measure("x", style)
    greedy = max(_ratio_of(line, space) for line in lines[:-1])
    page_ends = frozenset(index for index, line in enumerate(lines[:-1]) if line.page_end)
    return _Paragraph(element, lines[0].measure, words, spaces, space, greedy, size, runt, page_ends)


def _words(pieces: list[_Piece]) -> tuple[list[_Word], list[float], int]:
    """The paragraph's words (split at U+0020: no-break spaces and joiners hold theirs together), the spaces between them, and the runt gap.

    The no-break space that holds a paragraph's last word to the one before
    (the no-runt rule) is a gap too, taken only to spare a loose line (:data:`RUNT`):
    its index is the third value, -1 when there is none (a number or a date
    holds its word by a no-break space that is never broken).
    """
    runs: list[list[tuple[str, Any]]] = []
    spaces: list[float] = []
    current: list[tuple[str, Any]] = []  # the current word's runs: (text with soft hyphens, style)
    for piece in pieces:
        text = getattr(piece.node, piece.attr) or ""
        text = re.sub(r"[\t\n\r\f]+", " ", text)
        for index, part in enumerate(text.split(" ")):
            if index and current:
                runs.append(current)
                current = []
                spaces.append(measure(" x", piece.style) - measure("x", piece.style))
            if part:
                current.append((part, piece.style))
    if current:
        runs.append(current)
    spaces = spaces[: max(0, len(runs) - 1)]
    runt = -1
    if runs:
        last = runs[-1]
        at = max((n for n, (text, _) in enumerate(last) if NO_BREAK in text), default=None)
        if at is not None:
            text, style = last[at]
            cut = text.rindex(NO_BREAK)
            before, after = text[:cut], text[cut + 1 :]
            head = [*last[:at], (before, style)] if before else last[:at]
            tail = [(after, style), *last[at + 1 :]] if after else last[at + 1 :]
            joined = "".join(t for t, _ in head).replace(SOFT_HYPHEN, "")
            if head and tail and not joined[-1:].isdigit() and not "".join(t for t, _ in tail)[:1].isdigit():
                runs[-1:] = [head, tail]
                spaces.append(measure(NO_BREAK + "x", style) - measure("x", style))
                runt = len(runs) - 2
    return [_word(word) for word in runs], spaces, runt


def _word(runs: list[tuple[str, Any]]) -> _Word:
    """A word's width, and the widths around each of its soft hyphens (the hyphen drawn in the style it falls in)."""
    plain = "".join(text.replace(SOFT_HYPHEN, "") for text, _ in runs)
    width = sum(measure(text.replace(SOFT_HYPHEN, ""), style) for text, style in runs)
    splits = []
    offset = 0
    for number, (text, style) in enumerate(runs):
        position = 0
        for part in text.split(SOFT_HYPHEN)[:-1]:
            position += len(part)
            before = sum(measure(t.replace(SOFT_HYPHEN, ""), s) for t, s in runs[:number]) + measure(text.replace(SOFT_HYPHEN, "")[:position], style)
            after = measure(text.replace(SOFT_HYPHEN, "")[position:], style) + sum(measure(t.replace(SOFT_HYPHEN, ""), s) for t, s in runs[number + 1 :])
            splits.append((offset + position, before + measure(style["hyphenate_character"], style), after))
        offset += len(text.replace(SOFT_HYPHEN, ""))
    return _Word(plain, width, splits)


def measure(text: str, style: Any) -> float:
    """The width (CSS px) WeasyPrint gives ``text`` set on one line in ``style`` (one letter spacing added, as it adds it), cached by what changes it."""
    return _measured(text, _StyleKey(style))


class _StyleKey:
    """A computed style, hashed by what changes a text's width."""

    def __init__(self, style: Any) -> None:
        self.style = style
        self.key = (
            tuple(style["font_family"]), style["font_size"], style["font_weight"], style["font_style"], style["font_stretch"],
            str(style["letter_spacing"]), style["word_spacing"], str(style["font_variant_ligatures"]), str(style["font_feature_settings"]), str(style["lang"]),
        )  # fmt: skip

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _StyleKey) and other.key == self.key


@cache
def _measured(text: str, key: _StyleKey) -> float:
    """The width WeasyPrint gives ``text`` set on one line in the style."""
    from weasyprint.text.line_break import create_layout, line_size

    if not text:
        return 0.0
    layout = create_layout(text, key.style, None, None, 0)
    line, _ = layout.get_first_line()
    return line_size(line, key.style)[0]


@dataclass
class _Node:
    position: tuple[int, int]  # (word, soft hyphen index or -1): where the line before ends
    demerits: float
    previous: _Node | None
    fitness: int
    hyphens: int  # hyphenated lines in a row ending here
    line: int


def _best(paragraph: _Paragraph, penalty: float = HYPHEN_PENALTY) -> list[tuple[int, int]] | None:
    """The breaks of least total demerits: (word index, soft hyphen index or -1) after which each line but the last ends."""
    words, spaces = paragraph.words, paragraph.spaces
    width = paragraph.width - TOLERANCE
    stretch = STRETCH * paragraph.space
    count = len(words)
    # Candidate breaks: after word i (at its space), or inside word i at one of its soft hyphens.
    candidates: list[tuple[int, int]] = []
    for i, word in enumerate(words):
        candidates += [(i, s) for s in range(len(word.splits))]
        candidates.append((i, -1))
    active: list[_Node] = [_Node((-1, -1), 0.0, None, 1, 0, 0)]
    for end in candidates:
        last = end == (count - 1, -1)
        if end[0] == count - 1 and not last:
            continue  # no hyphen in the paragraph's last word
        best: dict[tuple[int, int], _Node] = {}
        survivors = []
        for node in active:
            if end[0] <= node.position[0]:
                survivors.append(node)  # a break inside the same word: this node ends its line in a later word
                continue
            natural, gaps = _span(words, spaces, node.position, end)
            if natural > width:
                continue  # too long: this node can start no later line either
            survivors.append(node)
            if last:
                ratio = 0.0
            elif gaps == 0:
                continue
            else:
                ratio = (width - natural) / (gaps * stretch)
                if ratio > MAX_RATIO:
                    continue
            hyphen = end[1] >= 0
            penultimate = hyphen and _is_penultimate(words, spaces, end, width)
            if hyphen and (node.hyphens >= 2 or penultimate or node.line in paragraph.page_ends):
                continue
            badness = 100.0 * ratio**3
            fitness = 0 if ratio < 0.5 else 1 if ratio < 1 else 2
            demerits = (1.0 + badness) ** 2 + (penalty**2 if hyphen else 0.0)
            demerits += DOUBLE_HYPHEN if hyphen and node.hyphens else 0.0
            demerits += FITNESS_JUMP if abs(fitness - node.fitness) > 1 else 0.0
            demerits += RUNT + penalty**2 if end == (paragraph.runt, -1) else 0.0  # a runt is always worse than a hyphen
            key = (fitness, node.hyphens + 1 if hyphen else 0)
            total = node.demerits + demerits
            if key not in best or total < best[key].demerits:
                best[key] = _Node(end, total, node, fitness, key[1], node.line + 1)
        active = survivors + list(best.values())
        if not active:
            return None
    finals = [node for node in active if node.position == (count - 1, -1)]
    if not finals:
        return None
    node = min(finals, key=lambda n: n.demerits)
    breaks = []
    node = node.previous
    while node is not None and node.position != (-1, -1):
        breaks.append(node.position)
        node = node.previous
    return breaks[::-1]


def _is_penultimate(words: list[_Word], spaces: list[float], end: tuple[int, int], width: float) -> bool:
    """Whether what follows a hyphen break fits on one line (the break would end the last line but one)."""
    natural, _ = _span(words, spaces, end, (len(words) - 1, -1))
    return natural <= width


def _span(words: list[_Word], spaces: list[float], start: tuple[int, int], end: tuple[int, int]) -> tuple[float, int]:
    """The natural width of a line from after break ``start`` to break ``end`` (``end`` in a later word), and its word spaces."""
    first, split = start
    last, cut = end
    width, gaps = 0.0, 0
    if split >= 0:  # the rest of a hyphenated word opens the line
        width += words[first].splits[split][2] + spaces[first]
        gaps += 1
    for index in range(first + 1, last + 1):
        width += words[index].splits[cut][1] if index == last and cut >= 0 else words[index].width
        if index < last:
            width += spaces[index]
            gaps += 1
    return width, gaps


def _loosest(paragraph: _Paragraph, breaks: list[tuple[int, int]]) -> float:
    """The loosest planned line but the last, as a stretch ratio."""
    width = paragraph.width - TOLERANCE
    worst = 0.0
    start = (-1, -1)
    for end in breaks:
        natural, gaps = _span(paragraph.words, paragraph.spaces, start, end)
        worst = max(worst, (width - natural) / (gaps * STRETCH * paragraph.space) if gaps else MAX_RATIO)
        start = end
    return worst


def _snapshot(element: Any) -> list[tuple[Any, str, str | None]]:
    """The paragraph's text and its elements' texts and tails, to give back."""
    saved: list[tuple[Any, str, str | None]] = [(element, "text", element.text)]
    for node in element.iter():
        if node is not element:
            saved += [(node, "text", node.text), (node, "tail", node.tail)]
    return saved


def _enforce(element: Any, paragraph: _Paragraph, breaks: list[tuple[int, int]], spacing: dict[int, str]) -> list[tuple[Any, Any]]:
    """Leave the text only the planned break points: a joiner after every other space, the unused soft hyphens and dash breaks taken away.

    The lines in ``spacing`` (line number → CSS letter spacing) are wrapped
    in spans that set it, one for each run of text they hold; the spans made
    are returned with their parents, to take out again.
    """
    chosen = set(breaks)
    pieces = _pieces(element, None) or []
    parents = {child: parent for parent in element.iter() for child in parent}
    word, in_word = 0, 0  # the word the text has reached, and the letters of it passed
    line = 0
    started = hyphenated = False  # a word was started; the line ended at a hyphen, and the rest of the word is still the line's (a word split between elements loses its hyphen)
    made: list[tuple[Any, Any]] = []
    for piece in pieces:
        text = getattr(piece.node, piece.attr)
        if not text:
            continue
        out: list[tuple[int, str]] = []  # (line, character)
        for ch in re.sub(r"[\t\n\r\f]", " ", text):
            if ch == " ":
                if started:
                    broken = (word, -1) in chosen
                    line += broken + hyphenated
                    hyphenated = False
                    out.append((line, " " if broken else " " + WORD_JOINER))
                    word, in_word, started = word + 1, 0, False
                elif word == 0 and not in_word:
                    out.append((line, " "))  # before the first word: collapsed away as before
                continue  # a space after a space collapses (it would stand after a joiner, which keeps it)
            if ch == NO_BREAK and started and word == paragraph.runt and in_word == len(paragraph.words[word].text):
                broken = (word, -1) in chosen
                line += broken + hyphenated
                hyphenated = False
                out.append((line, " " if broken else NO_BREAK))  # the no-runt rule's space, broken only if planned
                word, in_word, started = word + 1, 0, False
                continue
            if ch == SOFT_HYPHEN:
                splits = paragraph.words[word].splits
                index = next((n for n, split in enumerate(splits) if split[0] == in_word), None)
                if index is not None and (word, index) in chosen:
                    out.append((line, SOFT_HYPHEN))
                    hyphenated = True
                continue
            started = True
            in_word += 1
            out.append((line, ch))
        runs = [  # (letter spacing or None, text)
            (value, BREAK_AFTER.sub("\\1" + WORD_JOINER, "".join(ch for _, ch in group))) for value, group in groupby(out, key=lambda item: spacing.get(item[0]))
        ]
        made += _spaced(piece, parents, runs)
    return made


def _spaced(piece: _Piece, parents: dict[Any, Any], runs: list[tuple[str | None, str]]) -> list[tuple[Any, Any]]:
    """Put the piece's runs back in the tree: the first plain run where the text was, each letter-spaced run in a span after it (the next plain run its tail)."""
    plain = runs[0][1] if runs and runs[0][0] is None else ""
    setattr(piece.node, piece.attr, plain)
    if piece.attr == "text":
        parent, place = piece.node, 0
    else:
        parent = parents[piece.node]
        place = list(parent).index(piece.node) + 1
    made = []
    for value, text in runs[1 if plain else 0 :]:
        if value is None:
            made[-1][1].tail = text
            continue
        span = parent.makeelement("span", {"style": f"letter-spacing:{value}"})
        span.text, span.tail = text, ""
        parent.insert(place, span)
        place += 1
        made.append((parent, span))
    return made
