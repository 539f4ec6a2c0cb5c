"""The preview's PDFs: built on demand by the ordinary build (screen file only), cached by its inputs hash.

They go to a folder of their own under the system's temporary folder, so a
preview never touches ``dist/``; a PDF whose inputs did not change since it
was last opened is served without a rebuild (the build's own cache).
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
from pathlib import Path

from publisher.build import build
from publisher.config import load_project
from publisher.edition import Options
from publisher.errors import PublisherError


class Pdfs:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.out = Path(tempfile.gettempdir()) / f"publisher-serve-{hashlib.sha256(str(root).encode()).hexdigest()[:12]}"
        self._lock = threading.Lock()

    def get(self, issue_dir: Path, locale: str) -> tuple[Path | None, str]:
        """The edition's PDF (built now if stale), or None and its one-line error."""
        try:
            with self._lock:
                project = load_project(self.root)
                results = build(project, [issue_dir], [project.locales[locale]], self.out, Options(target="screen"), jobs=1)
        except PublisherError as exc:  # the issue or locales.yaml broken since the server started
            return None, str(exc)
        [result] = results
        return (self.out / result.file, "") if result.ok else (None, result.error)
