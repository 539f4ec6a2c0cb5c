"""A layout is a folder of data: templates, a stylesheet, settings and series text.

``layouts/<series>/layout.yaml`` (page, colours, fonts by script, per-locale
digits, counters and calendars) and ``series.yaml`` (the series' text and
contact) are read and checked here; a wrong value names the key.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale
from babel.core import get_global

from publisher import schema
from publisher.errors import Location, PublisherError, UsageError
from publisher.locale_rules.digits import ZEROS

SETTINGS = "layout.yaml"
SERIES = "series.yaml"
CALENDARS = "calendars.yaml"


@dataclass(frozen=True)
class FontRef:
    package: str
    family: str
    where: str = field(default="", compare=False)  # layout.yaml:line of its package, for errors


@dataclass(frozen=True)
class LocaleSettings:
    """How one edition writes numbers and dates and which fonts it uses."""

    script: str
    digits: str
    counter_style: str
    calendars: tuple[str, ...]
    hyphenate: bool
    quotes: str = ""  # typographic quotes: double open, double close, single open, single close
    number_suffix: str = "."  # after a list item's or a heading's number ("1.", "۱-")


@dataclass(frozen=True)
class PrintSettings:
    """The printer's file: its PDF variant, bleed, page multiple and CMYK output profile."""

    variant: str = "pdf/x-4"
    bleed: str = "3mm"
    page_multiple: int = 1
    marks_area: str = "6mm"  # room outside the bleed for crop marks, when asked for
    profile: Path | None = None
    profile_package: str = ""
    inks: tuple[tuple[str, tuple[float, ...]], ...] = ()  # (an sRGB colour "#rrggbb", its C M Y K from 0 to 1)
    fill: str = "blank"  # the pages that make the count up: "blank", or "notes" (the layout's notes page)


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
    scripts: dict[str, str] = field(default_factory=dict)  # CLDR script code (Arab) → a key of ``fonts``
    print: PrintSettings = PrintSettings()
    screen: ScreenSettings = ScreenSettings()

    def for_locale(self, code: str) -> LocaleSettings:
        """A locale's settings; one not in ``layout.yaml`` gets its CLDR script's fonts and digits."""
        return self.locales.get(code) or self.defaults(code)

    def defaults(self, code: str, entry: schema.LocaleLayout | None = None) -> LocaleSettings:
        """``entry`` completed with the locale's CLDR defaults (script, numbering system) and ``default``'s calendars."""
        fallback = self.locales.get("default") or LocaleSettings("latin", "latn", "decimal", ("gregorian",), True)
        entry = entry or schema.LocaleLayout()
        script = entry.script or self.scripts.get(cldr_script(code), fallback.script)
        digits = entry.digits or cldr_digits(code)
        return LocaleSettings(
            script=script,
            digits=digits,
            counter_style=entry.counter_style or schema.COUNTER_OF_DIGITS.get(digits, "decimal"),
            calendars=tuple(entry.calendars) if entry.calendars is not None else fallback.calendars,
            hyphenate=entry.hyphenate if entry.hyphenate is not None else fallback.hyphenate,
            quotes=entry.quotes if entry.quotes is not None else fallback.quotes,
            number_suffix=entry.number_suffix or self.settings.get("number_suffix", {}).get(script) or fallback.number_suffix,
        )

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


def cldr_script(code: str) -> str:
    """The script a locale is written in, from CLDR's likely subtags (``ur`` → ``Arab``)."""
    try:
        locale = Locale.parse(code)
    except (ValueError, TypeError):
        return "Latn"
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags")
    for key in (str(locale), locale.language):
        parts = str(likely.get(key, "")).split("_")
        if len(parts) > 1 and len(parts[1]) == 4:
            return parts[1]
    return "Latn"


def cldr_digits(code: str) -> str:
    """The locale's CLDR default numbering system, when the layout knows its digits."""
    try:
        system = Locale.parse(code).default_numbering_system
    except (ValueError, TypeError, AttributeError):
        return "latn"
    return system if system in ZEROS else "latn"


def available(layouts_dir: Path) -> set[str]:
    """The series that have a layout (a folder with ``layout.yaml``)."""
    return {p.parent.name for p in layouts_dir.glob(f"*/{SETTINGS}")}


def load_layout(layouts_dir: Path, name: str) -> Layout:
    """Read the layout of series ``name`` and check it against its schema."""
    folder = layouts_dir / name
    if not (folder / SETTINGS).is_file():
        raise UsageError(f"unknown layout '{name}' (known: {', '.join(sorted(available(layouts_dir))) or 'none'})")
    display = f"layouts/{name}/{SETTINGS}"
    data, lines = schema.read_yaml(folder / SETTINGS, display)
    checked = schema.validate(schema.LayoutFile, data, lines, display)
    fonts = {
        script: {role: FontRef(ref.package, ref.family, str(Location(display, schema.line_of(lines, ("fonts", script, role, "package"))))) for role, ref in (("body", r.body), ("heading", r.heading))}
        for script, r in checked.fonts.items()
    }
    for script in checked.scripts.values():
        if script not in fonts:
            raise PublisherError(f"scripts: '{script}' has no fonts (known: {', '.join(fonts)})", Location(display, schema.line_of(lines, ("scripts",))))
    layout = Layout(name, folder, data, {}, fonts, {}, scripts=dict(checked.scripts))
    default = checked.locales.get("default") or schema.LocaleLayout()
    layout.locales["default"] = LocaleSettings(default.script or "latin", default.digits or "latn", default.counter_style or "decimal", tuple(default.calendars or ("gregorian",)), default.hyphenate is not False, default.quotes or "")
    for code, entry in checked.locales.items():
        settings = layout.defaults(code, entry) if code != "default" else layout.locales["default"]
        if settings.script not in fonts:
            raise PublisherError(f"locales.{code}.script: '{settings.script}' has no fonts (known: {', '.join(fonts)})", Location(display, schema.line_of(lines, ("locales", code, "script"))))
        layout.locales[code] = settings
    series, _ = schema.load(folder / SERIES, f"layouts/{name}/{SERIES}", schema.SeriesFile)
    layout.series.update(series.model_dump())
    if (folder / CALENDARS).exists():
        calendars, _ = schema.load(folder / CALENDARS, f"layouts/{name}/{CALENDARS}", schema.CalendarsFile)
        layout.months.update({k: tuple(v.months) for k, v in calendars.root.items()})
    return dataclasses.replace(layout, print=_print_settings(data.get("print"), data.get("colours") or {}, display, lines), screen=_screen_settings(data.get("screen"), display))


def _print_settings(entry: Any, colours: dict[str, Any], display: str, lines: schema.Lines) -> PrintSettings:
    """``print:`` of layout.yaml; the output profile is a file a system package installs."""

    def at(*key: str) -> Location:
        return Location(display, schema.line_of(lines, ("print", *key)))

    if entry is None:
        return PrintSettings()
    if not isinstance(entry, dict):
        raise PublisherError("'print' must be a mapping", at())
    variant = str(entry.get("variant", "pdf/x-4"))
    if not variant.startswith("pdf/x-"):
        raise PublisherError(f"print.variant must be a PDF/X variant such as pdf/x-4, not '{variant}'", at("variant"))
    bleed, area = str(entry.get("bleed", "3mm")), str(entry.get("marks_area", "6mm"))
    for key, value in (("bleed", bleed), ("marks_area", area)):
        if not LENGTH.fullmatch(value):
            raise PublisherError(f"print.{key} must be a length such as 3mm, not '{value}'", at(key))
    multiple = entry.get("page_multiple", 1)
    if not isinstance(multiple, int) or isinstance(multiple, bool) or multiple < 1:
        raise PublisherError(f"print.page_multiple must be a whole number of pages (1, 2, 4…), not '{multiple}'", at("page_multiple"))
    profile = entry.get("output_profile") or {}
    if not isinstance(profile, dict) or not profile.get("path"):
        raise PublisherError("print.output_profile needs 'path' (an ICC profile) and 'package' (what installs it)", at("output_profile"))
    fill = entry.get("fill", "blank")
    if fill not in ("blank", "notes"):
        raise PublisherError(f"print.fill must be 'blank' or 'notes' (the pages that make the count up), not '{fill}'", at("fill"))
    inks = _inks(entry.get("inks"), colours, display)
    return PrintSettings(variant, bleed, multiple, area, Path(str(profile["path"])), str(profile.get("package", "")), inks, fill)


def _inks(entry: Any, colours: dict[str, Any], display: str) -> tuple[tuple[str, tuple[float, ...]], ...]:
    """``print.inks``: a colour of ``colours`` (or white) → its C M Y K percentages, printed so instead of converted from RGB."""
    if entry is None:
        return ()
    if not isinstance(entry, dict):
        raise PublisherError("print.inks must map colour names to C M Y K percentages", display)
    found = []
    for name, value in entry.items():
        rgb = "#ffffff" if name == "white" else str(colours.get(name, "")).lower()
        if not re.fullmatch(r"#[0-9a-f]{6}", rgb):
            raise PublisherError(f"print.inks.{name}: not a colour of 'colours' (nor white)", display)
        if not (isinstance(value, list) and len(value) == 4 and all(isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 100 for v in value)):
            raise PublisherError(f"print.inks.{name} must be four percentages [C, M, Y, K] from 0 to 100, not {value!r}", display)
        found.append((rgb, tuple(float(v) / 100 for v in value)))
    return tuple(found)


def _screen_settings(entry: Any, display: str) -> ScreenSettings:
    if entry is None:
        return ScreenSettings()
    if not isinstance(entry, dict):
        raise PublisherError("'screen' must be a mapping", display)
    variant = str(entry.get("variant", "pdf/a-3a"))
    if variant.startswith("pdf/x-"):
        raise PublisherError(f"screen.variant '{variant}' is a print variant (the screen file is tagged: pdf/a-3a, pdf/ua-1…)", display)
    return ScreenSettings(variant)
