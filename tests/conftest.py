"""Shared fixtures: the real project, a disposable copy of it, and one build of all editions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("en", "ps", "fa_AF", "ar")


def front_matter(title: str, number: int = 455) -> str:
    """A valid front matter block (period December 2–6, 2024), for issues written by tests."""
    return f'---\nseries: weekly-analysis\nnumber: {number}\nperiod:\n  start: 2024-12-02\n  end: 2024-12-06\ntitle: "{title}"\n---\n'


def run_cli(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run ``python -m publisher`` as a user would, from ``cwd``."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "publisher", *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture()
def project_copy(tmp_path: Path) -> Path:
    """A throw-away copy of the project (issues, locales, layouts) to change freely."""
    dest = tmp_path / "project"
    dest.mkdir()
    for name in ("issues", "locales", "layouts"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("*.mo"))
    return dest


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four editions of issue 455, built once for the whole session."""
    out = tmp_path_factory.mktemp("dist")
    result = run_cli("build", "issues/455", "--lang", "all", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def pdf_path(out: Path, locale: str) -> Path:
    return out / f"weekly-analysis-455-{locale}.pdf"


def pdftotext(path: Path) -> str:
    """Text of a PDF as poppler extracts it (falls back to pypdf without poppler)."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout
    import pypdf

    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages)
