"""Fonts from pip packages (fontpkg-*), never from the system, and their coverage.

The layout names a font package per script and role; this module finds the
files, describes them as ``@font-face`` rules, and checks with fontTools that
every character an edition will print is in its font stack (no tofu).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from publisher.errors import PublisherError
from publisher.layout import Layout

LATIN = "latin"


@dataclass(frozen=True)
class Face:
    """One ``@font-face`` rule."""

    family: str
    path: Path
    weight: str  # "400" or "100 900" for a variable font
    style: str


@dataclass(frozen=True)
class Stacks:
    """The font families of an edition, by role, first choice first."""

    body: tuple[str, ...]
    heading: tuple[str, ...]
    latin_body: tuple[str, ...]
    latin_heading: tuple[str, ...]
    faces: tuple[Face, ...]


# A font package that exists on PyPI, named in errors as an example of the naming.
EXAMPLE_PACKAGE = "fontpkg-noto-sans-arabic"


def _family(package: str, where: str = ""):
    import fontpkg

    try:
        return fontpkg.family(package)
    except fontpkg.FontpkgError:
        installed = ", ".join(f"fontpkg-{slug}" for slug in sorted(fontpkg.families())) or "none"
        raise PublisherError(
            f"font package 'fontpkg-{package}' is not installed (installed: {installed}; font packages on PyPI are named fontpkg-<family>, e.g. {EXAMPLE_PACKAGE})",
            where or None,
        ) from None


def installed_covering(ch: str) -> list[str]:
    """The installed font packages (fontpkg slugs) whose regular face has ``ch``."""
    import fontpkg

    found = []
    for slug, family in sorted(fontpkg.families().items()):
        regular = [f for f in family.files if f.style == "normal"] or list(family.files)
        if regular and ord(ch) in _cmap(Path(regular[0].path)):
            found.append(slug)
    return found


def faces_of(package: str, family: str, where: str = "") -> list[Face]:
    fam = _family(package, where)
    out = []
    for file in fam.files:
        weight = f"{file.wght_min} {file.wght_max}" if file.variable else str(file.weight or 400)
        out.append(Face(family, Path(file.path), weight, file.style))
    return out


def stacks(layout: Layout, script: str) -> Stacks:
    """Font stacks for an edition in ``script``; Latin runs use the Latin fonts."""
    own = layout.fonts[script]
    latin = layout.fonts.get(LATIN, own)
    refs = {(r.package, r.family): r.where for r in (*own.values(), *latin.values())}
    faces = tuple(f for (package, family), where in sorted(refs.items()) for f in faces_of(package, family, where))
    body = (own["body"].family, latin["body"].family) if script != LATIN else (own["body"].family,)
    heading = (own["heading"].family, own["body"].family, latin["heading"].family) if script != LATIN else (own["heading"].family, own["body"].family)
    return Stacks(
        body=tuple(dict.fromkeys(body)),
        heading=tuple(dict.fromkeys(heading)),
        latin_body=tuple(dict.fromkeys((latin["body"].family, own["body"].family))),
        latin_heading=tuple(dict.fromkeys((latin["heading"].family, latin["body"].family, own["body"].family))),
        faces=faces,
    )


def tabular(stack: tuple[str, ...], faces: tuple[Face, ...], chars: str) -> bool:
    """Whether the stack's first face draws ``chars`` all as wide as each other (Amiri's minus is 596 units, its plus 529)."""
    upright = [f for f in faces if f.family == stack[0] and f.style == "normal"]
    face = next((f for f in upright if f.weight == "400"), upright[0] if upright else None)
    return face is not None and len({_advance(face.path, ch) for ch in chars}) == 1


@cache
def _advance(path: Path, ch: str) -> int | None:
    font = TTFont(str(path), lazy=True)
    try:
        glyph = (font.getBestCmap() or {}).get(ord(ch))
        return font["hmtx"][glyph][0] if glyph else None
    finally:
        font.close()


@cache
def _cmap(path: Path) -> frozenset[int]:
    font = TTFont(str(path), lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def covered(stack: tuple[str, ...], faces: tuple[Face, ...]) -> frozenset[int]:
    """Code points some font of ``stack`` has."""
    points: set[int] = set()
    for face in faces:
        if face.family in stack:
            points |= _cmap(face.path)
    return frozenset(points)


def invisible(ch: str) -> bool:
    """Characters that need no glyph: spaces, line ends, bidi and joiner controls."""
    return ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc", "Zs")


def missing(text: str, points: frozenset[int]) -> list[str]:
    """Characters of ``text`` no font in the stack covers, in order of first use."""
    return list(dict.fromkeys(ch for ch in text if not invisible(ch) and ord(ch) not in points))


def describe(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')} ({ch})"


def suggestion(ch: str, layout: Layout) -> str:
    """What to do about a character no font of the edition has: an installed package that has it, if any."""
    packages = installed_covering(ch)
    where = f"layouts/{layout.name}/layout.yaml"
    if packages:
        return f"installed font package(s) with it: {', '.join(packages)}; name one under 'fonts:' in {where}"
    return f"no installed font package has it: pip install a fontpkg-<family> package that does (e.g. {EXAMPLE_PACKAGE} for Arabic script) and name it under 'fonts:' in {where}"
