"""The one way this toolkit writes files: to a temporary sibling, then renamed.

An interrupted command therefore leaves either the previous file or the new
one, never half of one (``os.replace`` is atomic within a folder). Content
files (issues, catalogs) are read with :func:`read_regular`: regular files
only, within a size limit.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from publisher.errors import PublisherError
from publisher.limits import Limit


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


def read_regular(path: Path, display: str, limit: Limit, root: Path | None = None) -> bytes:
    """The bytes of a regular file (never a device, FIFO or folder), at most ``limit`` of them.

    With ``root``, a symbolic link leading out of that folder is refused. A
    missing file raises ``FileNotFoundError`` for the caller to name.
    """
    path = Path(path)
    target = path.resolve()
    if root is not None and target != Path(os.path.abspath(path)) and not target.is_relative_to(Path(root).resolve()):
        raise PublisherError("is a symbolic link to a file outside the project; refused", display)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens at once, and is refused below
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise PublisherError(f"cannot read: {exc.strerror or exc}", display) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise PublisherError("is not a regular file (a folder, device or pipe); refused", display)
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit.value + 1)
    if len(data) > limit.value:
        raise PublisherError(limit.exceeded(max(info.st_size, len(data))), display)
    return data
