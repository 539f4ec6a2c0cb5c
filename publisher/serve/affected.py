"""Which editions a saved file changes: the watcher rebuilds exactly these.

- a file of an issue folder → every edition of that issue;
- ``locales/<code>/LC_MESSAGES/<domain>.po`` → that locale's edition of the
  issue with that domain (``layout.po``: of every issue); the locale's
  glossary → that locale's editions (their findings);
- ``locales/locales.yaml`` or anything under ``layouts/`` → every edition.

Pure: paths in, edition keys out.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from publisher.catalogs.extract import LAYOUT_DOMAIN

Key = tuple[str, str]  # (issue folder name, locale code)


def _under(path: Path, folder: Path) -> Path | None:
    try:
        return path.relative_to(folder)
    except ValueError:
        return None


def affected(
    changed: Iterable[Path],
    keys: Iterable[Key],
    issue_dirs: dict[str, Path],
    domains: dict[str, str],
    locales_dir: Path,
    layouts_dir: Path,
) -> set[Key]:
    """The edition keys a set of changed paths touches.

    ``issue_dirs`` and ``domains`` map an issue folder's name to its resolved
    path and to its catalog domain; paths are compared resolved.
    """
    keys = list(keys)
    hit: set[Key] = set()
    for raw in changed:
        path = Path(raw).resolve()
        if _under(path, layouts_dir.resolve()) is not None:
            return set(keys)
        for name, folder in issue_dirs.items():
            if _under(path, folder.resolve()) is not None:
                hit.update(k for k in keys if k[0] == name)
        inside = _under(path, locales_dir.resolve())
        if inside is None:
            continue
        if inside.parts == ("locales.yaml",):
            return set(keys)
        if len(inside.parts) < 2:
            continue  # a template (.pot): no edition shows it
        code = inside.parts[0]
        if path.suffix == ".po" and path.stem != LAYOUT_DOMAIN:
            hit.update(k for k in keys if k[1] == code and domains.get(k[0]) == path.stem)
        elif path.suffix in (".po", ".yaml"):
            hit.update(k for k in keys if k[1] == code)
    return hit
