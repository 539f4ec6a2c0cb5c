"""The configuration files' declared schemas, and a YAML reader that keeps line numbers.

``locales/locales.yaml`` and a layout's ``layout.yaml``, ``series.yaml`` and
``calendars.yaml`` are read with the position of every key kept, then
validated by the pydantic models below. A wrong value is one
:class:`PublisherError` naming the file, the key (dotted) and its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError

from publisher.errors import Location, PublisherError
from publisher.locale_rules.digits import ZEROS

CALENDAR_NAMES = ("gregorian", "solar-hijri")
# CSS counter styles of page and list numbers, and the one that goes with each numbering system.
COUNTER_OF_DIGITS = {"latn": "decimal", "arab": "arabic-indic", "arabext": "persian", "deva": "devanagari", "beng": "bengali", "thai": "thai"}
COUNTER_STYLES = tuple(sorted(set(COUNTER_OF_DIGITS.values())))

Lines = dict[tuple[str, ...], int]


class _Closed(BaseModel):
    """A mapping whose keys are all known: a misspelt key is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class _Open(BaseModel):
    """A mapping that may carry keys other parts of the layout read."""

    model_config = ConfigDict(extra="allow", frozen=True)


# locales/locales.yaml


class LocaleEntry(_Closed):
    name: str | None = None
    aliases: list[str] = []
    tag: str | None = None  # BCP 47 tag of the text when more precise than the code (en-US: US hyphenation)


class LocalesFile(_Closed):
    source: str = "en"
    locales: dict[str, LocaleEntry | None]


# layouts/<series>/layout.yaml


class FontRef(_Closed):
    package: str = Field(min_length=1)
    family: str = Field(min_length=1)


class FontRoles(_Closed):
    body: FontRef
    heading: FontRef


class LocaleLayout(_Closed):
    """One edition's settings; a key left out takes the locale's CLDR default."""

    script: str | None = None
    digits: Literal[tuple(ZEROS)] | None = None  # type: ignore[valid-type]
    counter_style: Literal[COUNTER_STYLES] | None = None  # type: ignore[valid-type]
    calendars: list[Literal[CALENDAR_NAMES]] | None = None  # type: ignore[valid-type]
    hyphenate: bool | None = None
    # Typographic quotes the source's straight ones become: double open, double close, single open, single close.
    quotes: str | None = Field(None, min_length=4, max_length=4)
    number_suffix: str | None = Field(None, min_length=1, max_length=3)  # after a list or heading number


class FigureSettings(_Closed):
    """How figures are printed: as wide as the text block, at most ``max_height`` tall; rasters below ``min_dpi`` are warned of."""

    max_height: str = Field("120mm", pattern=r"^\d+(\.\d+)?(mm|cm|in|pt)$")
    min_dpi: int = Field(200, ge=1, le=4800)


class VerticalJustify(_Closed):
    """How far a page's gaps may close (``shrink``, a percentage) or grow (a length per kind of gap) so that pages end on one line."""

    shrink: str = Field("0%", pattern=r"^\d+(\.\d+)?%$")
    heading: str = Field("0mm", pattern=r"^\d+(\.\d+)?(mm|cm|in|pt|px)$")
    paragraph: str = Field("0mm", pattern=r"^\d+(\.\d+)?(mm|cm|in|pt|px)$")
    item: str = Field("0mm", pattern=r"^\d+(\.\d+)?(mm|cm|in|pt|px)$")
    stretch: str = Field("100%", pattern=r"^(1\d\d|200)(\.\d+)?%$")  # 100–200 %: how far past them a page may go when that fills it


class CopyfitStep(_Closed):
    """One tighter setting: the leading and the gaps between blocks, as percentages of the layout's."""

    leading: str = Field(pattern=r"^(9\d|100)(\.\d+)?%$")
    gaps: str = Field(pattern=r"^([5-9]\d|100)(\.\d+)?%$")


class Copyfit(_Closed):
    """When an edition that runs onto one page past the booklet's multiple is set tighter (``last_page``: how full that page may be), and how."""

    last_page: str = Field(pattern=r"^\d+(\.\d+)?%$")
    steps: list[CopyfitStep] = Field(min_length=1, max_length=4)


class LayoutFile(_Open):
    page: dict[str, str | int | float]
    colours: dict[str, str]
    contents_depth: int = Field(1, ge=1, le=6)
    number_suffix: dict[str, str] = {}  # font set → what follows a list or heading number
    words_per_minute: int = Field(200, ge=1, le=10000)
    figures: FigureSettings = FigureSettings()
    vertical_justify: VerticalJustify = VerticalJustify()
    copyfit: Copyfit | None = None
    fonts: dict[str, FontRoles]
    scripts: dict[str, str] = {}
    locales: dict[str, LocaleLayout | None]


# layouts/<series>/series.yaml and calendars.yaml


class SeriesFile(_Open):
    model_config = ConfigDict(extra="allow", frozen=True, coerce_numbers_to_str=True)
    text: dict[str, str]
    contact: dict[str, str] = {}


class CalendarEntry(_Closed):
    months: list[str] = Field(min_length=12, max_length=13)


class CalendarsFile(RootModel[dict[str, CalendarEntry]]):
    pass


def read_yaml(path: Path, display: str) -> tuple[Any, Lines]:
    """A YAML file's data and the line of every key (``("locales", "en", "digits")`` → 42)."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise PublisherError("missing file", display) from None
    except OSError as exc:
        raise PublisherError(f"cannot read: {exc.strerror or exc}", display) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PublisherError("not valid UTF-8 text (is it a YAML file?)", Location(display, raw[: exc.start].count(b"\n") + 1)) from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: Lines = {(): node.start_mark.line + 1}
        _positions(node, (), lines, set(), display)
        return loader.construct_document(node), lines
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PublisherError(f"malformed YAML: {problem}", Location(display, mark.line + 1 if mark else 1)) from None
    finally:
        loader.dispose()


def _positions(node: yaml.Node, path: tuple[str, ...], lines: Lines, seen: set[int], display: str) -> None:
    """Record each key's line; refuse aliases (shared nodes) and keys given twice."""
    if id(node) in seen:
        raise PublisherError("YAML aliases (*name) are not allowed in configuration", Location(display, node.start_mark.line + 1))
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in keys:
                raise PublisherError(f"'{'.'.join((*path, key))}' is given twice", Location(display, key_node.start_mark.line + 1))
            keys.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            if id(value_node) in seen:
                raise PublisherError("YAML aliases (*name) are not allowed in configuration", Location(display, key_node.start_mark.line + 1))
            _positions(value_node, (*path, key), lines, seen, display)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, str(index))] = item.start_mark.line + 1
            _positions(item, (*path, str(index)), lines, seen, display)


def line_of(lines: Lines, key: tuple[str, ...]) -> int:
    """The line of ``key``, or of its nearest parent that has one."""
    key = tuple(str(k) for k in key)
    while key and key not in lines:
        key = key[:-1]
    return lines.get(key, 1)


def validate(model: type[BaseModel], data: Any, lines: Lines, display: str) -> Any:
    """``data`` checked against ``model``; the first problem as ``file:line: key: message``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        loc = tuple(str(p) for p in error["loc"])
        key = ".".join(loc) or "the file"
        message = "unknown key (misspelt?)" if error["type"] == "extra_forbidden" else error["msg"][0].lower() + error["msg"][1:]
        if error["type"] not in ("missing", "extra_forbidden"):
            message += f", not {_short(error['input'])}"
        raise PublisherError(f"{key}: {message}", Location(display, line_of(lines, loc))) from None


def load(path: Path, display: str, model: type[BaseModel]) -> tuple[Any, Lines]:
    """Read ``path`` and validate it against ``model``: the model instance and the key lines."""
    data, lines = read_yaml(path, display)
    return validate(model, data, lines, display), lines


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"
