"""Read ``issues/<number>/issue.md`` (YAML front matter + CommonMark) into the model.

The only module that knows the source format; documented in
``docs/issue-format.md``. Every error names the file and line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import posixpath
import re
import urllib.parse
from pathlib import Path
from typing import Any

import yaml
from markdown_it.token import Token

from publisher import limits
from publisher.errors import Location, PublisherError
from publisher.fsutil import read_regular
from publisher.inline import block_parser, markdown, parse_inline, span_count, unshown_markup
from publisher.model import (
    Cell,
    Figure,
    Footnote,
    Heading,
    Inline,
    Issue,
    IssueMeta,
    ListBlock,
    ListItem,
    Node,
    NoteRef,
    Paragraph,
    Period,
    Quote,
    Section,
    Table,
    Unit,
)

ISSUE_FILE = "issue.md"
FIELDS = {"series", "number", "period", "title", "keywords", "authors"}
REQUIRED = ("series", "number", "period", "title")
# Sections the layout treats specially, recognised by their (English) heading.
ROLES = {
    "introduction": "introduction",
    "conclusion": "conclusion",
    "recommendations": "recommendations",
    "references": "references",
}
RESERVED_ANCHORS = {"title", "contents", "opening", "cover", "back"}  # used by the layout itself
NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$", re.S)
ATTRIBUTION = "—"  # a quote's last paragraph starting so names who said it
CAPTION = "Table: "  # a paragraph right after a table, starting so, is its caption
ALIGN = {"text-align:left": "start", "text-align:center": "center", "text-align:right": "end"}
CELL_SPLIT = re.compile(r"(?<!\\)\|")
PICTURE_TYPES = (".png", ".jpg", ".jpeg", ".svg")
MAX_FOLDER_FILES = 2000  # files of an issue folder looked at for pictures
TASK = re.compile(r"\[[ xX]\](\s|$)")  # a GFM task list's checkbox
CELL_HEADING = re.compile(r"#{1,6}(\s|$)")


def read_issue(issue_dir: Path, display: str | None = None, known_series: set[str] | None = None, root: Path | None = None) -> Issue:
    """Parse the issue in ``issue_dir``; ``display`` is the path used in messages.

    Only a regular file is read, at most ``limits.ISSUE_BYTES`` of it; with
    ``root`` (the project), a symbolic link leading out of the project is refused.
    """
    path = Path(issue_dir) / ISSUE_FILE
    name = display or str(path)
    if not Path(issue_dir).is_dir():
        raise PublisherError("issue folder does not exist", display and str(Path(display).parent) or str(issue_dir))
    try:
        data = read_regular(path, name, limits.ISSUE_BYTES, root)
    except FileNotFoundError:
        raise PublisherError(f"no {ISSUE_FILE} in the issue folder", name) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PublisherError(f"not UTF-8 text (byte {exc.start})", name) from None
    return parse_issue(text, name, known_series, pictures(Path(issue_dir)))


def pictures(issue_dir: Path) -> frozenset[str]:
    """The picture files in the issue folder and below ('/'-separated paths); links leading out of it are left out."""
    root = issue_dir.resolve()
    found = set()
    for path in itertools.islice(issue_dir.rglob("*"), MAX_FOLDER_FILES):
        if path.suffix.lower() in PICTURE_TYPES and path.is_file() and root in path.resolve().parents:
            found.add(path.relative_to(issue_dir).as_posix())
    return frozenset(found)


def parse_issue(text: str, name: str, known_series: set[str] | None = None, files: frozenset[str] | None = None) -> Issue:
    """Parse the text of an issue file; ``files`` (the issue folder's pictures) are what figures may show (``None``: not checked)."""
    _refuse_controls(text, name)
    front, body, body_line = _split_front_matter(text, name)
    meta, title = _read_meta(front, name, known_series)
    reader = _Body(name, body_line, files)
    sections = reader.parse(body)
    if not any(True for _ in sections):
        raise PublisherError("the issue has no body text after the front matter", Location(name, body_line + 1))
    issue = Issue(meta=meta, title=title, sections=sections, source=Location(name, 1), footnotes=tuple(reader.notes.values()))
    _check_notes(issue)
    return issue


def _check_notes(issue: Issue) -> None:
    """Each footnote referred to exactly once, from running text, and each reference defined."""
    used: dict[str, Location] = {}
    for unit in issue.units():
        for label in note_labels(unit.inlines):
            if unit.kind in ("title", "heading", "footnote"):
                raise PublisherError(f"a footnote reference [^{label}] cannot sit in a {unit.kind}", unit.where)
            if label in used:
                raise PublisherError(f"footnote [^{label}] is referred to twice (first at line {used[label].line}); each footnote has one reference", unit.where)
            if label not in {note.label for note in issue.footnotes}:
                raise PublisherError(f"footnote [^{label}] is not defined (write '[^{label}]: text' on a line of its own)", unit.where)
            used[label] = unit.where
    for note in issue.footnotes:
        if note.label not in used:
            raise PublisherError(f"footnote [^{note.label}] is defined but never referred to", note.unit.where)


def note_labels(inlines: tuple[Inline, ...]) -> list[str]:
    """The footnote labels referred to in runs, in order."""
    found: list[str] = []
    for run in inlines:
        if isinstance(run, NoteRef):
            found.append(run.label)
        found.extend(note_labels(getattr(run, "children", ())))
    return found


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _refuse_controls(text: str, name: str) -> None:
    """NUL and other control characters (tab and line ends aside) are not text: refused where they are."""
    found = CONTROL.search(text)
    if found:
        code = ord(found.group(0))
        what = "NUL character (U+0000)" if code == 0 else f"control character U+{code:04X}"
        raise PublisherError(f"{what} is not allowed in an issue", Location(name, text.count("\n", 0, found.start()) + 1))


# --- front matter ------------------------------------------------------------


def _split_front_matter(text: str, name: str) -> tuple[str, str, int]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise PublisherError("the file must start with YAML front matter ('---' on the first line)", Location(name, 1))
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 1
    raise PublisherError("the front matter is not closed by a '---' line", Location(name, 1))


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so a bad one is reported, not raised."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_meta(front: str, name: str, known_series: set[str] | None) -> tuple[IssueMeta, Unit]:
    try:
        node = yaml.compose(front, Loader=_Loader)
        data = yaml.load(front, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PublisherError(f"malformed YAML front matter: {problem}", Location(name, line)) from None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise PublisherError("the front matter must be a mapping of fields (series, number, period, title)", Location(name, 2))
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        if str(key_node.value) in lines:
            raise PublisherError(f"field '{key_node.value}' is given twice", Location(name, key_node.start_mark.line + 2))
        lines[str(key_node.value)] = key_node.start_mark.line + 2
        if isinstance(value_node, yaml.MappingNode):
            for sub_key, _ in value_node.value:
                lines[f"{key_node.value}.{sub_key.value}"] = sub_key.start_mark.line + 2
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                lines[f"{key_node.value}.{index}"] = item.start_mark.line + 2

    def where(key: str) -> Location:
        return Location(name, lines.get(key, 1))

    for key in data:
        if str(key) not in FIELDS:
            raise PublisherError(f"unknown field '{key}' (expected one of: {', '.join(sorted(FIELDS))})", where(str(key)))
    for key in REQUIRED:
        if key not in data or data[key] in (None, ""):
            raise PublisherError(f"missing field '{key}'", Location(name, 1))
    series = data["series"]
    if not isinstance(series, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", series):
        raise PublisherError(f"'series' must be a name like 'weekly-analysis', not {series!r}", where("series"))
    if known_series is not None and series not in known_series:
        raise PublisherError(f"unknown series '{series}' (known: {', '.join(sorted(known_series))})", where("series"))
    number = data["number"]
    written = _scalar(node, "number")
    if isinstance(number, bool) or not isinstance(number, int) or number < 1 or not re.fullmatch(r"[1-9][0-9]*", written):
        shown = written if isinstance(number, int) and not isinstance(number, bool) else repr(number)
        raise PublisherError(f"'number' must be a positive whole number, not {shown}", where("number"))
    period = _read_period(data["period"], where)
    title = data["title"]
    if not isinstance(title, str) or not title.strip():
        raise PublisherError("'title' must be text", where("title"))
    keywords = data.get("keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise PublisherError("'keywords' must be a list of words", where("keywords"))
    authors = data.get("authors") or []
    if not isinstance(authors, list) or not all(isinstance(a, str) and a.strip() for a in authors):
        raise PublisherError("'authors' must be a list of names, e.g. [Ahmad Shah Karimi, Mariam Noori]", where("authors"))
    authors = [" ".join(a.split()) for a in authors]
    for i, author in enumerate(authors):
        _refuse_unshown(author, where(f"authors.{i}"))
        if any(ch in author for ch in "*_[`<"):
            raise PublisherError(f"author {author!r}: a name is plain text, without Markdown", where(f"authors.{i}"))
    _refuse_unshown(" ".join(title.split()), where("title"))
    title_unit = Unit(
        id="title",
        kind="title",
        source=" ".join(title.split()),
        where=where("title"),
        context="the issue's title, on the cover and at the top of the first page",
        inlines=parse_inline(" ".join(title.split()), where("title")),
    )
    keyword_where = tuple(where(f"keywords.{i}") for i in range(len(keywords)))
    meta = IssueMeta(
        series=series,
        number=number,
        period=period,
        keywords=tuple(keywords),
        number_at=where("number"),
        keyword_where=keyword_where,
        authors=tuple(authors),
        author_where=tuple(where(f"authors.{i}") for i in range(len(authors))),
    )
    return meta, title_unit


def _scalar(node: yaml.MappingNode, key: str) -> str:
    """The text of a top-level field as written in the file (``0x3e7``, not 999)."""
    for key_node, value_node in node.value:
        if key_node.value == key and isinstance(value_node, yaml.ScalarNode):
            return str(value_node.value)
    return ""


def _read_period(value: Any, where: Any) -> Period:
    if not isinstance(value, dict) or set(value) != {"start", "end"}:
        raise PublisherError("'period' must have exactly 'start' and 'end' dates (YYYY-MM-DD)", where("period"))
    dates = {}
    for key in ("start", "end"):
        raw = value[key]
        if isinstance(raw, dt.datetime):
            raw = raw.date()
        if isinstance(raw, dt.date):
            dates[key] = raw
            continue
        try:
            text = str(raw).strip()
            dates[key] = dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text).date()
        except ValueError:
            raise PublisherError(f"period {key} {raw!r} is not a date (YYYY-MM-DD)", where(f"period.{key}")) from None
    if dates["end"] < dates["start"]:
        raise PublisherError(f"period ends ({dates['end']}) before it starts ({dates['start']})", where("period.end"))
    return Period(dates["start"], dates["end"])


# --- body ---------------------------------------------------------------------


def _join_lines(content: str) -> str:
    """One message from a block's lines: soft breaks become spaces, hard breaks stay."""
    lines = content.split("\n")
    out = []
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        if not last and line.endswith("\\"):
            out.append(line.strip() + "\n")
        elif not last and line.endswith("  "):
            out.append(line.strip() + "\\\n")
        else:
            out.append(line.strip() + ("" if last else " "))
    return "".join(out).strip()


def slugify(text: str) -> str:
    """An ASCII anchor from an (English) heading: stable across editions."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "section"


class _Body:
    """Turns markdown-it's token stream into the section tree."""

    def __init__(self, name: str, body_line: int, files: frozenset[str] | None = None) -> None:
        self.name = name
        self.files = files
        self.figures = 0
        self.offset = body_line
        self.anchors: set[str] = set(RESERVED_ANCHORS)
        self.counts: dict[str, int] = {}
        self.suffixes: dict[str, int] = {}
        self.spans = 0

    def where(self, tok: Token) -> Location:
        return Location(self.name, (tok.map[0] if tok.map else 0) + self.offset + 1)

    def parse(self, body: str) -> tuple[Section, ...]:
        tokens = block_parser().parse(body)
        self.lines = body.split("\n")
        self.tables = 0
        self.nesting = 0  # lists and quotes around the current block
        self.notes: dict[str, Footnote] = {}
        self._check_limits(tokens)
        pos = 0
        # Each stack entry: (level, heading, role, children)
        stack: list[tuple[int, Heading | None, str, list[Node]]] = [(1, None, "body", [])]
        root: list[Section] = []

        def close_to(level: int) -> None:
            while len(stack) > 1 and stack[-1][0] >= level:
                lvl, heading, role, kids = stack.pop()
                section = Section(heading, tuple(kids), role)
                stack[-1][3].append(section)

        self.path: list[str] = []
        while pos < len(tokens):
            tok = tokens[pos]
            if tok.type == "heading_open":
                level = int(tok.tag[1])
                if level == 1:
                    raise PublisherError("'#' is reserved for the title (front matter); start sections with '##'", self.where(tok))
                close_to(level)
                heading, role = self._heading(tok, tokens[pos + 1], level, self._context(stack))
                stack.append((level, heading, role, []))
                pos += 3
                continue
            node, pos = self._block(tokens, pos, self._context(stack))
            if node is not None:
                stack[-1][3].append(node)
        close_to(2)
        opening = stack[0][3]
        for node in opening:
            if isinstance(node, Section):
                root.append(node)
        loose = [n for n in opening if not isinstance(n, Section)]
        if loose:  # text before the first heading: an untitled opening section
            first = next(i for i, n in enumerate(opening) if not isinstance(n, Section))
            root.insert(sum(isinstance(n, Section) for n in opening[:first]), Section(None, tuple(loose), "introduction"))
        return tuple(root)

    def _check_limits(self, tokens: list[Token]) -> None:
        """Refuse more blocks, or lists and quotes nested deeper, than the parser keeps whole.

        Past ``limits.PARSER_NESTING`` markdown-it would silently drop the rest
        of the file; how deep a layout can show is checked with the layout
        (``edition.load_inputs``).
        """
        blocks = [tok for tok in tokens if tok.type == "inline"]
        if len(blocks) > limits.BLOCKS.value:
            raise PublisherError(limits.BLOCKS.exceeded(len(blocks)), self.where(blocks[limits.BLOCKS.value]))
        depth = deepest = 0
        most = limits.PARSER_DEPTH
        first: Token | None = None
        for tok in tokens:
            if tok.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
                depth += 1
                if depth > most and first is None:
                    first = tok
                deepest = max(deepest, depth)
            elif tok.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
                depth -= 1
        if first is not None:
            raise PublisherError(f"lists and quotes nested {deepest} deep: more than the {most} levels the Markdown parser keeps whole", self.where(first))

    def _context(self, stack: list[tuple[int, Heading | None, str, list[Node]]]) -> str:
        titles = [h.unit.source for _, h, _, _ in stack if h is not None]
        return " › ".join(titles) if titles else "the opening of the issue"

    def _heading(self, open_tok: Token, inline_tok: Token, level: int, parent: str) -> tuple[Heading, str]:
        raw = " ".join(inline_tok.content.split())
        number = None
        match = NUMBERED.match(raw)
        if match:
            number, raw = int(match.group(1)), match.group(2)
        if not raw:
            raise PublisherError("empty heading", self.where(open_tok))
        anchor = base = slugify(raw)
        n = self.suffixes.get(base, 2)  # suffixes below n are taken already: linear, however many repeats
        while anchor in self.anchors:
            anchor, n = f"{base}-{n}", n + 1
        self.suffixes[base] = n
        self.anchors.add(anchor)
        self.current = anchor
        self.counts[anchor] = 0
        role = ROLES.get(raw.strip().lower().rstrip(":"), "body") if level == 2 else "body"
        unit = Unit(
            id=anchor,
            kind="heading",
            source=raw,
            where=self.where(open_tok),
            context=f"heading, level {level - 1}" + (f", numbered {number}" if number is not None else "") + (f", in “{parent}”" if level > 2 else ""),
            inlines=self._inlines(raw, self.where(open_tok)),
        )
        self.role = role
        return Heading(unit=unit, level=level - 1, anchor=anchor, number=number), role

    def _unit(self, tok: Token, inline_tok: Token, kind: str, context: str) -> Unit:
        return self._new_unit(_join_lines(inline_tok.content), self.where(tok), kind, f"{kind.replace('-', ' ')} in “{context}”")

    def _inlines(self, source: str, where: Location) -> tuple[Inline, ...]:
        """A block's runs, counting the issue's spans against their limit (each one costs the renderer)."""
        _refuse_unshown(source, where)
        inlines = parse_inline(source, where)
        self.spans += span_count(inlines)
        if self.spans > limits.ISSUE_SPANS.value:
            raise PublisherError(limits.ISSUE_SPANS.exceeded(self.spans) + " (counted up to this block)", where)
        return inlines

    def _block(self, tokens: list[Token], pos: int, context: str, kind: str = "paragraph") -> tuple[Node | None, int]:
        tok = tokens[pos]
        if tok.type == "paragraph_open" and _picture_alone(tokens[pos + 1].content):
            return self._figure(tok, tokens[pos + 1], context), pos + 3
        if tok.type == "paragraph_open":
            unit = self._unit(tok, tokens[pos + 1], kind, context)
            return Paragraph(unit), pos + 3
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            return self._list(tokens, pos, context)
        if tok.type == "blockquote_open":
            blocks, pos = self._children(tokens, pos + 1, "blockquote_close", context, "quote")
            last = blocks[-1] if blocks else None
            if len(blocks) > 1 and isinstance(last, Paragraph) and last.unit.source.startswith(ATTRIBUTION):
                text = last.unit.source[len(ATTRIBUTION) :].strip()
                unit = dataclasses.replace(last.unit, kind="attribution", source=text, context=f"attribution of a quote in “{context}”", inlines=parse_inline(text, last.unit.where))
                return Quote(tuple(blocks[:-1]), unit), pos
            return Quote(tuple(blocks)), pos
        if tok.type == "hr":
            return None, pos + 1  # a thematic break carries no text; the layout paginates
        if tok.type == "footnote_reference_open":
            return None, self._footnote(tokens, pos)
        if tok.type == "table_open":
            if self.nesting:
                raise PublisherError("a table cannot sit inside a list or quote; put it between paragraphs", self.where(tok))
            return self._table(tokens, pos, context)
        what = {"fence": "code block", "code_block": "indented code block", "html_block": "raw HTML (a block of tags)"}.get(tok.type, tok.type)
        raise PublisherError(f"{what} is not part of the issue format (see docs/issue-format.md)", self.where(tok))

    def _figure(self, tok: Token, inline_tok: Token, context: str) -> Figure:
        """A paragraph of one picture: ``![description](chart.png "Caption")``, the file in the issue folder."""
        where = self.where(tok)
        if self.nesting:
            raise PublisherError("a figure cannot sit inside a list or quote; put it between paragraphs", where)
        [image] = [t for t in markdown().parseInline(inline_tok.content.strip())[0].children or [] if t.type == "image"]
        src = str(image.attrs.get("src", ""))
        path = _picture_path(src)
        if path is None:
            raise PublisherError(f"image '{src}' is outside the issue folder; refused (pictures must be files in the issue's folder)", where)
        if not path.lower().endswith(PICTURE_TYPES):
            raise PublisherError(f"picture '{src}' must be a PNG, JPEG or SVG file (.png, .jpg, .jpeg, .svg)", where)
        if self.files is not None and path not in self.files:
            raise PublisherError(f"picture '{src}' is not a file in the issue folder", where)
        alt = " ".join(image.content.split())
        if not alt:
            raise PublisherError(f"figure '{src}' has no description: write what it shows between the brackets, ![Trade by month, 2024]({src})", where)
        self.figures += 1
        number = self.figures
        alt_unit = self._new_unit(alt, where, "figure-alt", f"description of figure {number} ({src}), in “{context}”")
        title = " ".join(str(image.attrs.get("title") or "").split())
        caption = self._new_unit(title, where, "figure-caption", f"caption of figure {number}, in “{context}”") if title else None
        return Figure(src=src, alt=alt_unit, number=number, caption=caption, variants=_variants(path, self.files or frozenset()))

    def _footnote(self, tokens: list[Token], pos: int) -> int:
        """``[^label]: text``: one paragraph, one message; placed at its reference by the layout."""
        open_tok = tokens[pos]
        label = str(open_tok.meta["label"])
        if label in self.notes:
            raise PublisherError(f"footnote [^{label}] is defined twice (first at line {self.notes[label].unit.where.line})", self.where(open_tok))
        end = next(i for i in range(pos, len(tokens)) if tokens[i].type == "footnote_reference_close")
        inner = [tok for tok in tokens[pos + 1 : end] if tok.type != "inline"]
        if [tok.type for tok in inner] != ["paragraph_open", "paragraph_close"]:
            raise PublisherError(f"footnote [^{label}] must be one paragraph of text", self.where(open_tok))
        text = _join_lines(tokens[pos + 2].content)
        unit = Unit(id=f"footnote/{label}", kind="footnote", source=text, where=self.where(open_tok), context=f"footnote [^{label}]", inlines=self._inlines(text, self.where(open_tok)))
        self.notes[label] = Footnote(label, unit)
        return end + 1

    def _table(self, tokens: list[Token], pos: int, context: str) -> tuple[Table, int]:
        """A pipe table: one message per cell (context: table, row, column), then its ``Table: …`` caption if any."""
        open_tok = tokens[pos]
        self.tables += 1
        number = self.tables
        rows: list[tuple[Cell, ...]] = []
        cells: list[Cell] = []
        row_tok = open_tok
        while tokens[pos].type != "table_close":
            tok = tokens[pos]
            if tok.type == "tr_open":
                row_tok, cells = tok, []
            elif tok.type in ("th_open", "td_open"):
                column = len(cells) + 1
                where = self.where(row_tok)
                what = "header" if tok.type == "th_open" else f"row {len(rows)}"
                cell_context = f"table {number}, {what}, column {column}, in “{context}”"
                cells.append(Cell(self._cell(tokens[pos + 1], where, cell_context), ALIGN.get(str(tok.attrs.get("style", "")), "start")))
            elif tok.type == "tr_close":
                self._check_row(row_tok, len(cells), len(rows[0]) if rows else len(cells))
                rows.append(tuple(cells))
            pos += 1
        pos += 1
        caption = None
        if pos + 1 < len(tokens) and tokens[pos].type == "paragraph_open" and tokens[pos + 1].content.startswith(CAPTION):
            text = _join_lines(tokens[pos + 1].content[len(CAPTION) :])
            if not text:
                raise PublisherError("empty table caption", self.where(tokens[pos]))
            caption = self._new_unit(text, self.where(tokens[pos]), "caption", f"caption of table {number}, in “{context}”")
            pos += 3
        return Table(head=rows[0], rows=tuple(rows[1:]), number=number, caption=caption), pos

    def _check_row(self, row_tok: Token, cells: int, columns: int) -> None:
        """A row with more cells than the header would lose the extra ones (GFM drops them): refused."""
        line = self.lines[row_tok.map[0]] if row_tok.map else ""
        written = line.strip()
        written = written[1:] if written.startswith("|") else written
        written = written[:-1] if written.endswith("|") and not written.endswith("\\|") else written
        found = len(CELL_SPLIT.split(re.sub(r"`[^`]*`", "", written)))
        if found > columns:
            raise PublisherError(f"table row has {found} cells but the header has {columns}: the extra ones would be lost", self.where(row_tok))

    def _cell(self, inline_tok: Token, where: Location, context: str) -> Unit | None:
        text = " ".join(inline_tok.content.split())
        if not text:
            return None
        if CELL_HEADING.match(text):
            raise PublisherError("a heading cannot sit inside a table cell (write the cell's text without '#')", where)
        kind = "table-cell" if any(ch.isalpha() for ch in text) else "table-number"
        return self._new_unit(text, where, kind, context)

    def _new_unit(self, text: str, where: Location, kind: str, context: str) -> Unit:
        """The next unit of the current section (ids count blocks and cells alike)."""
        section = getattr(self, "current", "opening")
        self.counts[section] = self.counts.get(section, 0) + 1
        return Unit(id=f"{section}/{self.counts[section]}", kind=kind, source=text, where=where, context=context, inlines=self._inlines(text, where))

    def _children(self, tokens: list[Token], pos: int, close: str, context: str, kind: str) -> tuple[list[Node], int]:
        out: list[Node] = []
        first = True
        self.nesting += 1
        while tokens[pos].type != close:
            if tokens[pos].type == "heading_open":
                raise PublisherError("a heading cannot sit inside a list or quote", self.where(tokens[pos]))
            node, pos = self._block(tokens, pos, context, kind if (first or kind == "quote") else "paragraph")
            if node is not None:
                out.append(node)
                first = False
        self.nesting -= 1
        return out, pos + 1

    def _list(self, tokens: list[Token], pos: int, context: str) -> tuple[ListBlock, int]:
        open_tok = tokens[pos]
        ordered = open_tok.type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        start = int(open_tok.attrs.get("start", 1) or 1) if ordered else 1
        role = getattr(self, "role", "body")
        list_role = role if ordered and role in ("recommendations", "references") else "list"
        kind = {"recommendations": "recommendation", "references": "reference"}.get(list_role, "list-item")
        items: list[ListItem] = []
        pos += 1
        while tokens[pos].type != close:
            assert tokens[pos].type == "list_item_open"
            item_tok = tokens[pos]
            blocks, pos = self._children(tokens, pos + 1, "list_item_close", context, kind)
            if blocks and isinstance(blocks[0], Paragraph) and TASK.match(blocks[0].unit.source):
                raise PublisherError("a task list item ('[ ]' or '[x]') is not part of the issue format; write a plain list item", self.where(item_tok))
            items.append(ListItem(tuple(blocks)))
        return ListBlock(ordered=ordered, start=start, items=tuple(items), role=list_role), pos + 1


def _refuse_unshown(source: str, where: Location) -> None:
    """Markup the layout cannot show (raw HTML, strikethrough, a captioned picture inside text) is an error, never printed."""
    problem = unshown_markup(source)
    if problem:
        raise PublisherError(f"{problem} (see docs/issue-format.md)", where)


def _picture_alone(content: str) -> bool:
    """A paragraph whose only content is one picture: a figure."""
    runs = [t for t in markdown().parseInline(content.strip())[0].children or [] if not (t.type == "text" and not t.content.strip())]
    return len(runs) == 1 and runs[0].type == "image"


def _picture_path(src: str) -> str | None:
    """The picture's path inside the issue folder ('/'-separated), or None when it is elsewhere (absolute, a URL, climbing out)."""
    path = urllib.parse.unquote(src.split("#")[0].split("?")[0]).replace("\\", "/")
    if not path or ":" in path or path.startswith("/"):
        return None
    normal = posixpath.normpath(path)
    return None if normal == ".." or normal.startswith("../") else normal


def _variants(path: str, files: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """The per-locale pictures beside ``path``: ``chart.ps.png`` (or ``chart.ps.svg``) for ``chart.png``, as (locale, path)."""
    stem = posixpath.splitext(path)[0]
    found = re.compile(re.escape(stem) + r"\.([A-Za-z]{2,3}(?:_[A-Za-z0-9]{2,4})?)\.(?:png|jpe?g|svg)", re.I)
    return tuple(sorted((m.group(1), f) for f in files if (m := found.fullmatch(f))))
