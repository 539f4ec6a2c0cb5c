"""Markdown inline source ⇄ inline runs, with one CommonMark parser.

The source's blocks and the translators' messages go through the same
function, so a translation is parsed exactly as the English was: raw HTML is
off (it stays text), and links markdown-it deems unsafe (``javascript:``,
``file:``…) are not links. Straight quotes and apostrophes become the
locale's typographic ones (markdown-it's smartquotes), except in code and in
link text that shows its own address.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from publisher import limits
from publisher.errors import Location, PublisherError
from publisher.model import Code, Emphasis, Image, Inline, LineBreak, Link, NoteRef, Strong, Text


@lru_cache(maxsize=8)
def markdown(quotes: str = "") -> MarkdownIt:
    """The one configured parser: CommonMark, raw HTML disabled.

    ``quotes`` (double open, double close, single open, single close, e.g.
    ``“”‘’``) turns on smartquotes with those characters; empty keeps the
    source's marks.
    """
    md = MarkdownIt("commonmark", {"html": False, "typographer": bool(quotes), "quotes": quotes or "\"\"''"})
    md = md.disable("html_inline").disable("html_block")
    md.inline.ruler.before("link", "footnote_ref", _footnote_ref)
    if quotes:
        md.core.ruler.before("smartquotes", "keep_addresses", _keep_addresses)
        md.enable("smartquotes")
    return md


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    """The same parser for the block structure only (with GFM pipe tables), its nesting cap raised to ``limits.PARSER_NESTING``.

    Each block's text is parsed by :func:`parse_inline` (markdown-it's own
    cap of 20 there only turns runaway brackets into text, and keeps them
    fast); the block cap is raised so that deep lists reach the source's
    nesting check instead of being dropped.
    """
    parser = MarkdownIt("commonmark", {"html": True}).enable("table").use(footnote_plugin)
    # Footnote definitions stay where they are written (no 'tail' moving them): the source reads them.
    # Blocks of raw HTML are parsed as such, so that the source refuses them (never printed as tags).
    parser.disable(["html_inline", "inline", "text_join", "footnote_tail"])
    parser.options["maxNesting"] = limits.PARSER_NESTING
    return parser


@lru_cache(maxsize=1)
def _gfm() -> MarkdownIt:
    """CommonMark with raw HTML and GFM's strikethrough recognised: only to find what the issue format refuses."""
    return MarkdownIt("commonmark", {"html": True}).enable("strikethrough")


def unshown_markup(source: str) -> str:
    """Why the layout cannot show a block's source ('' when it can): raw HTML, strikethrough, a captioned picture in text."""
    tokens = _gfm().parseInline(source)
    for tok in (tokens[0].children or []) if tokens else []:
        if tok.type == "html_inline":
            return f"raw HTML ({tok.content[:40]!r}) is not part of the issue format: write bold, italic and links in Markdown"
        if tok.type == "s_open":
            return "strikethrough ('~~') is not part of the issue format"
        if tok.type == "image" and tok.attrs.get("title"):
            return "a picture with a caption cannot sit in running text: a figure is a paragraph of its own"
    return ""


NOTE_REF = re.compile(r"\[\^([^\]\s^]{1,40})\]")


def _footnote_ref(state: StateInline, silent: bool) -> bool:
    """``[^label]``: a footnote reference (its definition is a block of the issue, see ``source``)."""
    match = NOTE_REF.match(state.src, state.pos) if state.src.startswith("[^", state.pos) else None
    if match is None:
        return False
    if not silent:
        state.push("footnote_ref", "", 0).meta = {"label": match.group(1)}
    state.pos = match.end()
    return True


def _keep_addresses(state: StateCore) -> None:
    """Link text that is its own address (a URL) is marked so smartquotes leaves it as written."""
    for block in state.tokens:
        href = None
        for tok in block.children or []:
            if tok.type == "link_open":
                href = str(tok.attrs.get("href", ""))
            elif tok.type == "link_close":
                href = None
            elif tok.type == "text" and href is not None and tok.content and href.endswith(tok.content.strip()):
                tok.type = "text_special"  # joined back into text after smartquotes (rule text_join)


def parse_inline(source: str, where: Location | str | None = None, quotes: str = "") -> tuple[Inline, ...]:
    """Parse one message's Markdown into inline runs, with ``quotes`` as the typographic quotes (see
    :func:`markdown`); a message over a limit is an error at ``where``."""
    if len(source) > limits.BLOCK_CHARS.value:
        raise PublisherError(limits.BLOCK_CHARS.exceeded(len(source)), where)
    tokens = markdown(quotes).parseInline(source)
    children = tokens[0].children or [] if tokens else []
    return _build(children, where)


def _build(tokens: list[Token], where: Location | str | None) -> tuple[Inline, ...]:
    """Runs from markdown-it's flat token list (a stack, no recursion), within the nesting and span limits."""
    _check_limits(tokens, where)
    stack: list[tuple[str, str, list[Inline]]] = [("root", "", [])]
    for tok in tokens:
        out = stack[-1][2]
        if tok.type == "text":
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + tok.content)
            else:
                out.append(Text(tok.content))
        elif tok.type == "softbreak":
            out.append(Text(" "))
        elif tok.type == "hardbreak":
            out.append(LineBreak())
        elif tok.type == "code_inline":
            out.append(Code(tok.content))
        elif tok.type == "footnote_ref":
            out.append(NoteRef(tok.meta["label"]))
        elif tok.type == "image":
            out.append(Image(str(tok.attrs.get("src", "")), tok.content))
        elif tok.type in OPENS:
            stack.append((tok.type, str(tok.attrs.get("href", "")), []))
        elif tok.type in CLOSES:
            kind, href, kids = stack.pop()
            node: Inline
            if kind == "strong_open":
                node = Strong(_merge(kids))
            elif kind == "em_open":
                node = Emphasis(_merge(kids))
            else:
                node = Link(href, _merge(kids))
            stack[-1][2].append(node)
        else:  # anything else is shown as the text it was written as
            out.append(Text(tok.content))
    return _merge(stack[0][2])


OPENS = ("strong_open", "em_open", "link_open")
CLOSES = ("strong_close", "em_close", "link_close")


def _check_limits(tokens: list[Token], where: Location | str | None) -> None:
    """Refuse spans nested deeper, or more of them, than the limits (the layout renders nesting recursively)."""
    depth = deepest = spans = 0
    for tok in tokens:
        if tok.type in OPENS or tok.type == "code_inline":
            spans += 1
        if tok.type in OPENS:
            depth += 1
            deepest = max(deepest, depth)
        elif tok.type in CLOSES:
            depth -= 1
    if deepest > limits.INLINE_NESTING.value:
        raise PublisherError(limits.INLINE_NESTING.exceeded(deepest), where)
    if spans > limits.INLINE_RUNS.value:
        raise PublisherError(limits.INLINE_RUNS.exceeded(spans), where)


def span_count(inlines: tuple[Inline, ...]) -> int:
    """How many bold, italic, link and code spans the runs hold, at any depth."""
    count, todo = 0, list(inlines)
    while todo:
        run = todo.pop()
        if isinstance(run, (Strong, Emphasis, Link, Code)):
            count += 1
        todo.extend(getattr(run, "children", ()))
    return count


def _merge(runs: list[Inline]) -> tuple[Inline, ...]:
    merged: list[Inline] = []
    for run in runs:
        if isinstance(run, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + run.text)
        elif not (isinstance(run, Text) and not run.text):
            merged.append(run)
    return tuple(merged)


def signature(inlines: tuple[Inline, ...]) -> list[str]:
    """The markup of a message, text left out: what a translation must keep."""
    sig: list[str] = []
    for run in inlines:
        if isinstance(run, Strong):
            sig += ["strong(", *signature(run.children), ")"]
        elif isinstance(run, Emphasis):
            sig += ["em(", *signature(run.children), ")"]
        elif isinstance(run, Link):
            sig += [f"link<{run.href}>(", *signature(run.children), ")"]
        elif isinstance(run, Code):
            sig.append("code")
        elif isinstance(run, Image):
            sig.append(f"image<{run.src}>")
        elif isinstance(run, LineBreak):
            sig.append("br")
        elif isinstance(run, NoteRef):
            sig.append(f"footnote<{run.label}>")
    return sig
