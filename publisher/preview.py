"""``--format html``: an edition's HTML with its fonts and pictures beside it, for a browser preview.

The fonts and the figures' pictures are copied into ``<name>_files/`` and the
stylesheet's ``file://`` URLs and the figures' ``src`` become relative, so the
folder can be opened or moved as it is.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

from markupsafe import escape

from publisher.fsutil import write_bytes, write_text


def write_preview(html: str, out: Path, fonts: list[Path], pictures: list[tuple[str, Path]] = ()) -> None:
    """``pictures``: (the ``src`` written in the HTML, the file it names) of each figure."""
    assets = out.parent / f"{out.stem}_files"
    assets.mkdir(parents=True, exist_ok=True)
    for font in sorted(set(fonts)):
        target = assets / font.name
        if not target.exists() or target.stat().st_size != font.stat().st_size:
            write_bytes(target, font.read_bytes())
        html = html.replace(font.resolve().as_uri(), f"{assets.name}/{font.name}")
    for number, (src, path) in enumerate(pictures, 1):
        name = f"figure-{number}{path.suffix.lower()}"  # numbered: two folders may hold pictures of one name
        write_bytes(assets / name, path.read_bytes())
        html = html.replace(f'src="{escape(src)}"', f'src="{assets.name}/{urllib.parse.quote(name)}"', 1)
    write_text(out, html)

