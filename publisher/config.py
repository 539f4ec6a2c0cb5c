"""The project's configuration: where things are and which locales exist.

``locales/locales.yaml`` lists the languages; a fifth language is one entry
there plus ``publisher init-lang``. Nothing here knows about a particular
language.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError

from publisher.errors import PublisherError, UsageError

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
        """A locale by code or alias (``prs`` is ``fa_AF``); unknown ones are a usage error."""
        for info in self.locales.values():
            if name == info.code or name in info.aliases:
                return info
        raise UsageError(f"unknown locale '{name}' (known: {', '.join(self.locales)}; 'all' for every one)")

    def select(self, names: list[str] | None) -> list[LocaleInfo]:
        """``--lang`` values (repeatable, comma-separated, or ``all``) to locales, in config order."""
        if not names or "all" in names:
            return list(self.locales.values())
        wanted: list[LocaleInfo] = []
        for chunk in names:
            for name in filter(None, (n.strip() for n in chunk.split(","))):
                info = self.resolve_locale(name)
                if info not in wanted:
                    wanted.append(info)
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


def load_project(root: Path | None = None) -> Project:
    """Read the project's configuration."""
    root = find_root(root)
    path = root / CONFIG
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PublisherError(f"malformed YAML: {getattr(exc, 'problem', exc)}", f"{CONFIG}:{mark.line + 1 if mark else 1}") from None
    if not isinstance(data, dict) or not isinstance(data.get("locales"), dict):
        raise PublisherError("expected a 'locales' mapping", str(CONFIG))
    locales: dict[str, LocaleInfo] = {}
    for code, entry in data["locales"].items():
        entry = entry or {}
        try:
            Locale.parse(str(code))
        except (UnknownLocaleError, ValueError):
            raise PublisherError(f"'{code}' is not a locale Babel (CLDR) knows", str(CONFIG)) from None
        locales[str(code)] = LocaleInfo(str(code), str(entry.get("name", code)), tuple(entry.get("aliases", ())), str(entry.get("tag", "")))
    source = str(data.get("source", "en"))
    if source not in locales:
        raise PublisherError(f"source locale '{source}' is not among the locales", str(CONFIG))
    return Project(root=root, source_locale=source, locales=locales)
