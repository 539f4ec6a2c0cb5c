"""The project's configuration: where things are and which locales exist.

``locales/locales.yaml`` lists the languages; a fifth language is one entry
there plus ``publisher init-lang``. Nothing here knows about a particular
language.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from babel import Locale, UnknownLocaleError

from publisher import schema
from publisher.errors import Location, PublisherError, UsageError
from publisher.fsutil import write_text

CONFIG = Path("locales") / "locales.yaml"


@dataclass(frozen=True)
class LocaleInfo:
    """One configured language."""

    code: str
    name: str
    aliases: tuple[str, ...]
    tag: str = ""  # the BCP 47 tag of the text when more precise than the code (en-US)

    @cached_property
    def babel(self) -> Locale:
        return Locale.parse(self.code)

    @property
    def direction(self) -> str:
        return self.babel.text_direction

    @property
    def bcp47(self) -> str:
        """The tag HTML and PDF want (``fa-AF``, not ``fa_AF``; ``en-US`` when locales.yaml says so)."""
        return self.tag or self.code.replace("_", "-")


@dataclass(frozen=True)
class Project:
    """A checkout: its root, its locales, its layouts and issues."""

    root: Path
    source_locale: str
    locales: dict[str, LocaleInfo]

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    def rel(self, path: Path) -> str:
        """A path as a user sees it: relative to the project root when inside it."""
        try:
            return str(Path(path).resolve().relative_to(self.root))
        except ValueError:
            return str(path)

    def resolve_locale(self, name: str) -> LocaleInfo:
        """A locale by code or alias, as people type it (``fa-AF``, ``FA_AF``, ``prs``, ``EN``); unknown ones are a usage error."""
        key = normal(name)
        for info in self.locales.values():
            if key == normal(info.code) or key in {normal(a) for a in info.aliases}:
                return info
        raise UsageError(f"unknown locale '{name}' (known: {', '.join(self.locales)}; 'all' for every one)")

    def select(self, names: list[str] | None) -> list[LocaleInfo]:
        """``--lang`` values (repeatable, comma-separated, or ``all``) to locales, in config order."""
        if names is None:
            return list(self.locales.values())
        parts = [n.strip() for chunk in names for n in chunk.split(",") if n.strip()]
        if not parts:
            raise UsageError(f"--lang names no locale (known: {', '.join(self.locales)}; 'all' for every one)")
        wanted: list[LocaleInfo] = []
        for name in parts:
            if normal(name) == "all":
                continue
            info = self.resolve_locale(name)
            if info not in wanted:
                wanted.append(info)
        if any(normal(name) == "all" for name in parts):
            return list(self.locales.values())
        return wanted

    @property
    def targets(self) -> list[LocaleInfo]:
        """Locales translated from the source (all but the source language)."""
        return [i for i in self.locales.values() if i.code != self.source_locale]


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding ``locales/locales.yaml``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file():
            return folder
    raise UsageError(f"not inside a publisher project (no {CONFIG} here or above {here})")


def normal(name: str) -> str:
    """A locale name compared the way people mean it: case and ``-``/``_`` do not matter."""
    return name.strip().replace("-", "_").lower()


def load_project(root: Path | None = None) -> Project:
    """Read the project's configuration, checked against its schema."""
    root = find_root(root)
    data, lines = schema.read_yaml(root / CONFIG, str(CONFIG))
    checked = schema.validate(schema.LocalesFile, data, lines, str(CONFIG))
    locales: dict[str, LocaleInfo] = {}
    for code, entry in checked.locales.items():
        where = Location(str(CONFIG), schema.line_of(lines, ("locales", code)))
        try:
            Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            raise PublisherError(f"'{code}' is not a locale Babel (CLDR) knows", where) from None
        entry = entry or schema.LocaleEntry()
        locales[code] = LocaleInfo(code, entry.name or code, tuple(entry.aliases), entry.tag or "")
    if checked.source not in locales:
        raise PublisherError(f"source locale '{checked.source}' is not among the locales", Location(str(CONFIG), schema.line_of(lines, ("source",))))
    return Project(root=root, source_locale=checked.source, locales=locales)


def cldr_locale(name: str) -> Locale:
    """The CLDR locale a user means by ``name`` (``ur``, ``fa-AF``), or a usage error."""
    try:
        return Locale.parse(name.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise UsageError(f"unknown locale '{name}': neither in {CONFIG} nor a locale Babel (CLDR) knows") from None


def add_locale(project: Project, locale: Locale) -> Project:
    """Add ``locale`` to ``locales/locales.yaml`` (comments and order kept); the project as it now is."""
    path = project.root / CONFIG
    code, name = str(locale), locale.english_name or str(locale)
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next((i for i, line in enumerate(lines) if re.match(r"locales\s*:\s*(#.*)?$", line)), None)
    if start is None:
        raise UsageError(f"add '{code}' under 'locales:' in {CONFIG} (as  {code}: {{name: {name}}}), then run init-lang again")
    last, indent = start, "  "
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            break
        if last == start:
            indent = line[: len(line) - len(line.lstrip())]
        last = i
    before = "\n".join(lines)
    lines[last + 1 : last + 1] = [f"{indent}{code}:", f"{indent}{indent}name: {json.dumps(name, ensure_ascii=False)}"]
    write_text(path, "\n".join(lines))
    try:
        return load_project(project.root)
    except PublisherError:
        write_text(path, before)
        raise
