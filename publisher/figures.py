"""Figures' pictures as printed: a raster picture too coarse for its printed size is a warning.

The one place that opens a picture (with Pillow, which WeasyPrint brings);
the size it is printed at comes from the layout (``figures`` in
``layout.yaml``: the text block's width, at most ``max_height`` tall).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from publisher.errors import PublisherError
from publisher.layout import Layout, points
from publisher.localize import Edition
from publisher.model import Figure, Node, Section

MM_PER_INCH = 25.4
DEFAULTS = {"max_height": "120mm", "min_dpi": 200}


def settings(layout: Layout) -> dict:
    """The layout's ``figures`` settings, defaults filled in."""
    return {**DEFAULTS, **(layout.settings.get("figures") or {})}


def text_width(layout: Layout, script: str) -> float:
    """The width of the text block of an edition's script, in points (the page less its margins, ``type`` first)."""
    page = layout.settings["page"]
    kind = (layout.settings.get("type") or {}).get(script) or {}
    return points(str(page["width"])) - sum(points(str(kind.get(side) or page[side])) for side in ("margin_inner", "margin_outer"))


def figures(sections: tuple[Node, ...]) -> Iterator[Figure]:
    """Every figure, in reading order."""
    for node in sections:
        if isinstance(node, Figure):
            yield node
        elif isinstance(node, Section):
            yield from figures(node.blocks)


def files(edition: Edition, issue_dir: Path) -> list[tuple[Figure, Path]]:
    """Each figure of the edition with the file it shows (its ``src`` as a path in the issue folder)."""
    return [(figure, Path(issue_dir) / urllib.parse.unquote(figure.src.split("#")[0].split("?")[0])) for figure in figures(edition.issue.sections)]


def low_resolution(edition: Edition, layout: Layout, issue_dir: Path) -> list[str]:
    """A warning for each raster picture the edition prints below the layout's ``min_dpi``."""
    wanted = settings(layout)
    width_pt = text_width(layout, edition.settings.script)
    most_high = points(str(wanted["max_height"]))
    warnings = []
    for figure, path in files(edition, issue_dir):
        if path.suffix.lower() == ".svg":
            continue  # drawn, not pixels
        pixels = _size(path, figure)
        printed = min(width_pt, most_high * pixels[0] / pixels[1])  # points wide, as the stylesheet fits it
        dpi = pixels[0] / (printed / 72)
        if dpi < wanted["min_dpi"]:
            warnings.append(
                f"{figure.alt.where}: {edition.code}: picture '{figure.src}' is {dpi:.0f} dpi at its printed width "
                f"({printed / 72 * MM_PER_INCH:.0f} mm, {pixels[0]} pixels): at least {wanted['min_dpi']} dpi wanted for print"
            )
    return warnings


def without_own_picture(issue_sections: tuple[Node, ...], code: str, source: str) -> list[str]:
    """A warning for each figure drawn again for other languages but not for this one: the source's picture (its words, its digits) is printed."""
    warnings = []
    for figure in figures(issue_sections):
        others = sorted({locale for locale, _ in figure.variants})
        if others and code != source and code not in others:
            stem, dot, suffix = figure.src.rpartition(".")
            warnings.append(
                f"{figure.alt.where}: {code}: picture '{figure.src}' has versions for {', '.join(others)} but none for {code} "
                f"({stem}.{code}{dot}{suffix}): the source's picture is printed"
            )
    return warnings


def _size(path: Path, figure: Figure) -> tuple[int, int]:
    """A picture's size in pixels; one Pillow cannot read is an error at the figure's line."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as picture:
            width, height = picture.size
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise PublisherError(f"picture '{figure.src}' cannot be read as PNG or JPEG: {exc}", figure.alt.where) from None
    if not width or not height:
        raise PublisherError(f"picture '{figure.src}' has no pixels", figure.alt.where)
    return width, height
