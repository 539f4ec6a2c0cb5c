"""``publisher serve`` in a real browser: Debian's Chromium driven by Playwright (nothing downloaded).

Starts the server on a free port in a subprocess over a copy of the project,
opens the index and the Pashto edition, saves a changed msgstr and sees the
new text within 3 s without a reload by hand; a broken catalog shows its
one-line error above the last good page; a click shows a block's message;
each edition is photographed and checked for its direction (right-to-left
editions mirrored: headings set from the right edge of the text block).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import serve_process
from conftest import LOCALES

BROWSER = os.environ.get("PUBLISHER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
PO = "locales/ps/LC_MESSAGES/weekly-analysis-455.po"


def _browser_or_skip() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Playwright is not installed (pip install playwright)")
    if not Path(BROWSER).is_file():
        pytest.skip(f"no Chromium at {BROWSER} (apt-get install chromium)")
    return BROWSER


@pytest.fixture()
def server(project_copy: Path) -> Iterator[str]:
    """The preview server over a copy of the project; its base URL."""
    _browser_or_skip()
    with (project_copy / "serve.log").open("w") as log:
        try:
            process, url = serve_process.start(project_copy, "issues/455", log=log)
        except RuntimeError:
            pytest.fail("the server did not start: " + (project_copy / "serve.log").read_text())
        try:
            yield url
        finally:
            serve_process.stop(process)


@pytest.fixture()
def browser(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=BROWSER, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield chromium
        finally:
            chromium.close()


def _save(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _wait_live(page) -> None:
    # A selector, not wait_for_function: the page's CSP (script-src 'self') blocks the
    # eval Playwright polls a string expression with, whenever the first check is false.
    page.wait_for_selector("html[data-publisher-live]", state="attached", timeout=10000)
    assert page.evaluate("window.publisherLive") is True


def test_live_reload_of_a_saved_msgstr(server: str, browser, project_copy: Path) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    page.goto(server + "/")
    links = page.locator("a.edition-link")
    assert sorted(links.all_inner_texts()) == sorted(LOCALES)
    page.click("a.edition-link >> text=ps")
    page.wait_for_url("**/issues/455/ps")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    _wait_live(page)
    page.evaluate("window.scrollTo(0, 600)")
    page.evaluate("window.beforeReload = 1")  # gone after a reload: proves the page reloaded itself
    started = time.monotonic()
    _save(project_copy / PO, 'msgstr "سریزه"', 'msgstr "پیلامه"')
    page.wait_for_selector("#introduction:has-text('پیلامه')", timeout=3000)
    assert time.monotonic() - started < 3.0
    assert page.evaluate("window.beforeReload") is None
    assert abs(page.evaluate("window.scrollY") - 600) <= 2  # the scroll position is kept


def test_build_error_keeps_last_good_page(server: str, browser, project_copy: Path) -> None:
    page = browser.new_page()
    page.goto(server + "/issues/455/ps")
    _wait_live(page)
    _save(project_copy / PO, 'msgstr "سریزه"', 'msgstr "سریزه')  # unterminated
    error = page.wait_for_selector("#publisher-error code", timeout=5000).inner_text()
    assert error.startswith(PO + ":") and "\n" not in error
    assert page.locator("#introduction").inner_text().strip().endswith("سریزه")  # the last good rendering
    _wait_live(page)
    _save(project_copy / PO, 'msgstr "سریزه', 'msgstr "سریزه"')
    page.wait_for_selector("#publisher-error", state="detached", timeout=5000)


def test_click_shows_the_message(server: str, browser) -> None:
    page = browser.new_page()
    page.goto(server + "/issues/455/ps")
    page.click("#introduction")
    panel = page.wait_for_selector("#publisher-unit:not([hidden])", timeout=5000).inner_text()
    assert "Introduction" in panel and PO + ":" in panel and "translated" in panel and "issues/455/issue.md:11" in panel


HEADING_EDGES = """() => {
  const h = document.querySelector("main h2");
  const range = document.createRange();
  range.selectNodeContents(h);
  const text = range.getBoundingClientRect(), box = h.getBoundingClientRect(), cs = getComputedStyle(h);
  return {dir: getComputedStyle(document.body).direction, textLeft: text.left, textRight: text.right,
          left: box.left + parseFloat(cs.paddingLeft) + parseFloat(cs.borderLeftWidth),
          right: box.right - parseFloat(cs.paddingRight) - parseFloat(cs.borderRightWidth)};
}"""


@pytest.mark.parametrize("width", [1000, 390])  # a desktop window and a phone
def test_each_edition_mirrored(server: str, browser, tmp_path: Path, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    for code in LOCALES:
        page.goto(f"{server}/issues/455/{code}")
        page.locator("main h2").first.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / f"{code}-{width}.png"))
        edges = page.evaluate(HEADING_EDGES)
        if code == "en":
            assert edges["dir"] == "ltr" and abs(edges["textLeft"] - edges["left"]) <= 2, edges
        else:
            assert edges["dir"] == "rtl" and abs(edges["textRight"] - edges["right"]) <= 2, edges
            assert edges["textLeft"] - edges["left"] > 20, edges  # a short heading: room left on its left side
        if os.environ.get("PUBLISHER_SCREENSHOTS"):  # to look at them
            shutil.copy(tmp_path / f"{code}-{width}.png", os.environ["PUBLISHER_SCREENSHOTS"])
