"""``publisher build --format html``: a publishable web edition (lang/dir, phone layout, hreflang, PDF link, an index per language)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import LOCALES, run_cli


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("web")
    result = run_cli("build", "issues/455", "--format", "html", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("code", LOCALES)
def test_edition_page(web: Path, code: str) -> None:
    page = (web / f"weekly-analysis-455-{code}.html").read_text(encoding="utf-8")
    direction = "ltr" if code == "en" else "rtl"
    assert re.search(rf'<html lang="[^"]+" dir="{direction}"', page)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media screen and (max-width:" in page  # the phone layout
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page)
    assert [href for _, href in alternates] == [f"weekly-analysis-455-{c}.html" for c in LOCALES]
    assert {lang for lang, _ in alternates} == {"en-US", "ps", "fa-AF", "ar"}
    assert f'href="weekly-analysis-455-{code}.pdf"' in page and f'href="index-{code}.html"' in page
    assert "data-unit" not in page  # preview attributes stay out of published files
    assert "file://" not in page


@pytest.mark.parametrize("code", LOCALES)
def test_index_per_language(web: Path, code: str) -> None:
    page = (web / f"index-{code}.html").read_text(encoding="utf-8")
    assert f'href="weekly-analysis-455-{code}.html"' in page and f'href="weekly-analysis-455-{code}.pdf"' in page
    assert "&#34;" not in page.split("</style>")[0]  # CSS is not HTML-escaped
    assert (web / f"index-{code}_files").is_dir() and "file://" not in page
    title = re.search(r"<title>(.*?)</title>", (web / f"weekly-analysis-455-{code}.html").read_text(encoding="utf-8"))[1]
    assert title in page
