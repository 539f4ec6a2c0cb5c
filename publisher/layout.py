"""A layout is a folder of data: templates, a stylesheet, settings and series text.

``layouts/<series>/layout.yaml`` (page, colours, fonts by script, per-locale
digits, counters and calendars) and ``series.yaml`` (the series' text and
contact) are read and checked here; a wrong value names the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from publisher.errors import PublisherError, UsageError
from publisher.locale_rules.digits import ZEROS

SETTINGS = "layout.yaml"
SERIES = "series.yaml"
CALENDARS = "calendars.yaml"
CALENDAR_NAMES = {"gregorian", "solar-hijri"}
COUNTER_STYLES = {"decimal", "persian", "arabic-indic", "devanagari", "bengali", "thai"}


@dataclass(frozen=True)
class FontRef:
    package: str
    family: str


@dataclass(frozen=True)
class LocaleSettings:
    """How one edition writes numbers and dates and which fonts it uses."""

    script: str
    digits: str
    counter_style: str
    calendars: tuple[str, ...]
    hyphenate: bool


@dataclass(frozen=True)
class PrintSettings:
    """The printer's file: its PDF variant, bleed, page multiple and CMYK output profile."""

    variant: str = "pdf/x-4"
    bleed: str = "3mm"
    page_multiple: int = 1
    marks_area: str = "6mm"  # room outside the bleed for crop marks, when asked for
    profile: Path | None = None
    profile_package: str = ""


@dataclass(frozen=True)
class ScreenSettings:
    """The reader's file: its PDF variant (always tagged)."""

    variant: str = "pdf/a-3a"


@dataclass(frozen=True)
class Layout:
    name: str
    folder: Path
    settings: dict[str, Any]
    series: dict[str, Any]
    fonts: dict[str, dict[str, FontRef]]
    locales: dict[str, LocaleSettings]
    months: dict[str, tuple[str, ...]] = field(default_factory=dict)
    print: PrintSettings = PrintSettings()
    screen: ScreenSettings = ScreenSettings()

    def for_locale(self, code: str) -> LocaleSettings:
        return self.locales.get(code) or self.locales["default"]

    @property
    def templates(self) -> Path:
        return self.folder / "templates"


LENGTH = re.compile(r"(\d+(?:\.\d+)?)(mm|cm|in|pt|px)")
POINTS = {"mm": 72 / 25.4, "cm": 720 / 25.4, "in": 72.0, "pt": 1.0, "px": 0.75}


def points(length: str) -> float:
    """A CSS length (3mm, 0.125in, 9pt) in PDF points."""
    match = LENGTH.fullmatch(length)
    if not match:
        raise UsageError(f"'{length}' is not a length such as 3mm")
    return float(match.group(1)) * POINTS[match.group(2)]


def _yaml(path: Path, display: str) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PublisherError("missing layout file", display) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PublisherError(f"malformed YAML: {getattr(exc, 'problem', exc)}", f"{display}:{mark.line + 1 if mark else 1}") from None


def available(layouts_dir: Path) -> set[str]:
    """The series that have a layout (a folder with ``layout.yaml``)."""
    return {p.parent.name for p in layouts_dir.glob(f"*/{SETTINGS}")}


def load_layout(layouts_dir: Path, name: str) -> Layout:
    """Read and check the layout of series ``name``."""
    folder = layouts_dir / name
    if not (folder / SETTINGS).is_file():
        raise UsageError(f"unknown layout '{name}' (known: {', '.join(sorted(available(layouts_dir))) or 'none'})")
    display = f"layouts/{name}/{SETTINGS}"
    settings = _yaml(folder / SETTINGS, display)
    if not isinstance(settings, dict):
        raise PublisherError("expected a mapping of settings", display)
    for key in ("page", "colours", "fonts", "locales"):
        if not isinstance(settings.get(key), dict):
            raise PublisherError(f"'{key}' must be a mapping", display)
    fonts: dict[str, dict[str, FontRef]] = {}
    for script, roles in settings["fonts"].items():
        fonts[script] = {}
        for role in ("body", "heading"):
            ref = (roles or {}).get(role)
            if not isinstance(ref, dict) or not ref.get("package") or not ref.get("family"):
                raise PublisherError(f"fonts.{script}.{role} needs 'package' and 'family'", display)
            fonts[script][role] = FontRef(str(ref["package"]), str(ref["family"]))
    locales: dict[str, LocaleSettings] = {}
    for code, entry in settings["locales"].items():
        where = f"locales.{code}"
        entry = entry or {}
        script = entry.get("script", "latin")
        if script not in fonts:
            raise PublisherError(f"{where}.script '{script}' has no fonts (known: {', '.join(fonts)})", display)
        digits = entry.get("digits", "latn")
        if digits not in ZEROS:
            raise PublisherError(f"{where}.digits '{digits}' is not a numbering system (known: {', '.join(ZEROS)})", display)
        counter = entry.get("counter_style", "decimal")
        if counter not in COUNTER_STYLES:
            raise PublisherError(f"{where}.counter_style '{counter}' (known: {', '.join(sorted(COUNTER_STYLES))})", display)
        calendars = tuple(entry.get("calendars", ["gregorian"]))
        unknown = set(calendars) - CALENDAR_NAMES
        if unknown:
            raise PublisherError(f"{where}.calendars: unknown {', '.join(sorted(unknown))} (known: {', '.join(sorted(CALENDAR_NAMES))})", display)
        locales[str(code)] = LocaleSettings(script, digits, counter, calendars, bool(entry.get("hyphenate", True)))
    if "default" not in locales:
        locales["default"] = LocaleSettings("latin", "latn", "decimal", ("gregorian",), True)
    series = _yaml(folder / SERIES, f"layouts/{name}/{SERIES}")
    if not isinstance(series, dict) or not isinstance(series.get("text"), dict):
        raise PublisherError("expected 'text' and 'contact' mappings", f"layouts/{name}/{SERIES}")
    months: dict[str, tuple[str, ...]] = {}
    if (folder / CALENDARS).exists():
        cal = _yaml(folder / CALENDARS, f"layouts/{name}/{CALENDARS}") or {}
        months = {k: tuple(v.get("months", ())) for k, v in cal.items()}
    return Layout(name, folder, settings, series, fonts, locales, months, _print_settings(settings.get("print"), display), _screen_settings(settings.get("screen"), display))


def _print_settings(entry: Any, display: str) -> PrintSettings:
    """``print:`` of layout.yaml; the output profile is a file a system package installs."""
    if entry is None:
        return PrintSettings()
    if not isinstance(entry, dict):
        raise PublisherError("'print' must be a mapping", display)
    variant = str(entry.get("variant", "pdf/x-4"))
    if not variant.startswith("pdf/x-"):
        raise PublisherError(f"print.variant must be a PDF/X variant such as pdf/x-4, not '{variant}'", display)
    bleed, area = str(entry.get("bleed", "3mm")), str(entry.get("marks_area", "6mm"))
    for key, value in (("bleed", bleed), ("marks_area", area)):
        if not LENGTH.fullmatch(value):
            raise PublisherError(f"print.{key} must be a length such as 3mm, not '{value}'", display)
    multiple = entry.get("page_multiple", 1)
    if not isinstance(multiple, int) or isinstance(multiple, bool) or multiple < 1:
        raise PublisherError(f"print.page_multiple must be a whole number of pages (1, 2, 4…), not '{multiple}'", display)
    profile = entry.get("output_profile") or {}
    if not isinstance(profile, dict) or not profile.get("path"):
        raise PublisherError("print.output_profile needs 'path' (an ICC profile) and 'package' (what installs it)", display)
    return PrintSettings(variant, bleed, multiple, area, Path(str(profile["path"])), str(profile.get("package", "")))


def _screen_settings(entry: Any, display: str) -> ScreenSettings:
    if entry is None:
        return ScreenSettings()
    if not isinstance(entry, dict):
        raise PublisherError("'screen' must be a mapping", display)
    variant = str(entry.get("variant", "pdf/a-3a"))
    if variant.startswith("pdf/x-"):
        raise PublisherError(f"screen.variant '{variant}' is a print variant (the screen file is tagged: pdf/a-3a, pdf/ua-1…)", display)
    return ScreenSettings(variant)
