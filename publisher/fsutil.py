"""The one way this toolkit writes files: to a temporary sibling, then renamed.

An interrupted command therefore leaves either the previous file or the new
one, never half of one (``os.replace`` is atomic within a folder).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from publisher.errors import PublisherError


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place on success."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise PublisherError(f"cannot write here: {exc.strerror or exc}", str(path.parent)) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as handle:
            os.fsync(handle.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    try:
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        raise PublisherError(f"cannot write: {exc.strerror or exc}", str(path)) from None


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically (``\\n`` line ends)."""
    write_bytes(path, text.encode("utf-8"))
