"""``--format html``: an edition's HTML with its fonts beside it, for a browser preview.

The fonts are copied into ``<name>_files/`` and the stylesheet's ``file://``
URLs become relative, so the folder can be opened or moved as it is.
"""

from __future__ import annotations

from pathlib import Path

from publisher.fsutil import write_bytes, write_text


def write_preview(html: str, out: Path, fonts: list[Path]) -> None:
    assets = out.parent / f"{out.stem}_files"
    assets.mkdir(parents=True, exist_ok=True)
    for font in sorted(set(fonts)):
        target = assets / font.name
        if not target.exists() or target.stat().st_size != font.stat().st_size:
            write_bytes(target, font.read_bytes())
        html = html.replace(font.resolve().as_uri(), f"{assets.name}/{font.name}")
    write_text(out, html)

