"""mammoth's HTML → the issue's Markdown body (pure: text in, text out).

mammoth writes a small, regular HTML: headings, paragraphs, ``strong``/``em``,
links, lists, block quotes, tables, images and footnotes. Each becomes the
construct ``docs/issue-format.md`` documents; text is escaped so that a
literal ``*`` or a paragraph starting "1. " stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"br", "img", "hr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


HEADING = {"h1": "##", "h2": "###", "h3": "####", "h4": "#####", "h5": "######", "h6": "######"}
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_BLOCK_START = re.compile(r"^(\s*)([#>+-]|\d{1,9}[.)])(?=\s|$)")


def escape(text: str) -> str:
    """Text that Markdown reads back as the same text."""
    text = _SPECIAL.sub(r"\\\1", text)
    return text


def escape_start(text: str) -> str:
    """A paragraph's first characters that Markdown would read as a heading, list or quote."""
    match = _BLOCK_START.match(text)
    if not match:
        return text
    marker = match.group(2)
    escaped = marker[:-1] + "\\" + marker[-1] if marker[-1] in ".)" else "\\" + marker
    return match.group(1) + escaped + text[match.end() :]


@dataclass
class Converted:
    body: str
    footnotes: list[str]
    tables: int = 0


class MarkdownWriter:
    """Walks the tree once; lists and quotes indent their children as the format requires."""

    def __init__(self) -> None:
        self.footnotes: dict[str, str] = {}
        self.tables = 0

    def convert(self, root: Element) -> Converted:
        notes = [c for c in root.children if isinstance(c, Element) and c.tag == "ol" and _is_footnote_list(c)]
        for ol in notes:
            for li in ol.children:
                if isinstance(li, Element) and li.tag == "li":
                    self.footnotes[li.attrs.get("id", "")] = self.inline(li, footnote_body=True).strip()
        blocks = self.blocks([c for c in root.children if c not in notes])
        numbered = {key: i + 1 for i, key in enumerate(self.footnotes)}
        body = "\n\n".join(blocks)
        body = re.sub(r"\x00FN:([^\x00]*)\x00", lambda m: f"[^{numbered.get(m.group(1), m.group(1))}]", body)
        lines = [f"[^{numbered[key]}]: {text}" for key, text in self.footnotes.items()]
        return Converted(body=body, footnotes=lines, tables=self.tables)

    def blocks(self, children: list[Element | str]) -> list[str]:
        out: list[str] = []
        for child in children:
            if isinstance(child, str):
                if child.strip():
                    out.append(escape_start(escape(_squash(child)).strip()))
                continue
            block = self.block(child)
            if block:
                out.append(block)
        return out

    def block(self, el: Element) -> str:
        if el.tag in HEADING:
            return f"{HEADING[el.tag]} {self.inline(el).strip()}"
        if el.tag == "p":
            text = self.inline(el).strip()
            return escape_start(text) if text else ""
        if el.tag in ("ul", "ol"):
            return self.list_block(el)
        if el.tag == "blockquote":
            inner = "\n\n".join(self.blocks(el.children))
            return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
        if el.tag == "table":
            return self.table(el)
        if el.tag == "img":
            return self.image(el)
        return "\n\n".join(self.blocks(el.children))

    def list_block(self, el: Element) -> str:
        """Items with their continuation blocks indented by the marker's width; loose if any item has a paragraph."""
        items: list[tuple[str, bool]] = []
        number = int(el.attrs.get("start", "1") or 1) if el.tag == "ol" else 0
        for li in (c for c in el.children if isinstance(c, Element) and c.tag == "li"):
            marker = f"{number}. " if el.tag == "ol" else "- "
            number += 1
            lead: list[Element | str] = []
            rest: list[Element] = []
            for child in li.children:
                if isinstance(child, Element) and child.tag in ("ul", "ol", "blockquote", "table", "p") and (child.tag != "p" or lead or rest):
                    rest.append(child)
                elif isinstance(child, Element) and child.tag == "p":
                    lead.extend(child.children)
                elif not rest:
                    lead.append(child)
            text = marker + escape_start(self.inline(Element("span", children=lead)).strip())
            loose = False
            for child in rest:
                block = self.block(child)
                if not block:
                    continue
                indented = "\n".join(" " * len(marker) + line if line else "" for line in block.split("\n"))
                tight = child.tag in ("ul", "ol")
                loose = loose or not tight
                text += ("\n" if tight else "\n\n") + indented
            items.append((text, loose))
        return ("\n\n" if any(loose for _, loose in items) else "\n").join(text for text, _ in items)

    def table(self, el: Element) -> str:
        self.tables += 1
        rows = [r for r in _descendants(el) if r.tag == "tr"]
        cells = [[self.inline(c).strip().replace("\n", " ") or " " for c in row.children if isinstance(c, Element) and c.tag in ("td", "th")] for row in rows]
        if not cells:
            return ""
        width = max(len(r) for r in cells)
        cells = [r + [" "] * (width - len(r)) for r in cells]
        lines = ["| " + " | ".join(cells[0]) + " |", "|" + "|".join("---" for _ in range(width)) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
        return "\n".join(lines)

    def image(self, el: Element) -> str:
        if el.attrs.get("src", "").endswith(".bin"):
            return ""  # a format the issue cannot show: saved, listed, not placed
        return f"![{escape(el.attrs.get('alt', ''))}]({el.attrs.get('src', '')})"

    def inline(self, el: Element, footnote_body: bool = False) -> str:
        parts: list[str] = []
        for child in el.children:
            if isinstance(child, str):
                parts.append(escape(_squash(child)))
            elif child.tag == "strong":
                parts.append(_wrap("**", self.inline(child)))
            elif child.tag == "em":
                parts.append(_wrap("*", self.inline(child)))
            elif child.tag == "sup" and _footnote_ref(child):
                parts.append(f"\x00FN:{_footnote_ref(child)}\x00")
            elif child.tag == "a":
                href = child.attrs.get("href", "")
                if footnote_body and href.startswith("#footnote-ref"):
                    continue
                label = self.inline(child)
                parts.append(f"[{label}]({href})" if href and not href.startswith("#") else label)
            elif child.tag == "br":
                parts.append(" ")
            elif child.tag == "img":
                parts.append(self.image(child))
            else:
                parts.append(self.inline(child, footnote_body))
        return "".join(parts)


def _squash(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text)


def _wrap(mark: str, text: str) -> str:
    """Emphasis around text, with the spaces kept outside (``**a: ** b`` is not bold in Markdown)."""
    stripped = text.strip()
    if not stripped:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{stripped}{mark}{trail}"


def _is_list(block: str) -> bool:
    return bool(re.match(r"^(- |\d+\. )", block))


def _descendants(el: Element):
    for child in el.children:
        if isinstance(child, Element):
            yield child
            yield from _descendants(child)


def _footnote_ref(sup: Element) -> str:
    for a in _descendants(sup):
        if a.tag == "a" and a.attrs.get("href", "").startswith("#footnote-"):
            return a.attrs["href"][1:]
    return ""


def _is_footnote_list(ol: Element) -> bool:
    items = [c for c in ol.children if isinstance(c, Element) and c.tag == "li"]
    return bool(items) and all(li.attrs.get("id", "").startswith(("footnote-", "endnote-")) for li in items)


def to_markdown(html: str) -> Converted:
    return MarkdownWriter().convert(parse_html(html))
