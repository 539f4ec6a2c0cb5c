"""``publisher serve`` without a browser: which editions a save affects, warm rebuilds, the last good rendering, the unit panel's facts."""

from __future__ import annotations

from pathlib import Path

from publisher.config import load_project
from publisher.serve.affected import affected
from publisher.serve.previews import Previews

KEYS = [(issue, code) for issue in ("455", "456") for code in ("en", "ps", "fa_AF", "ar")]


def _affected(project: Path, *changed: str) -> set[tuple[str, str]]:
    dirs = {"455": project / "issues/455", "456": project / "issues/456"}
    domains = {"455": "weekly-analysis-455", "456": "weekly-analysis-456"}
    return affected([project / c for c in changed], KEYS, dirs, domains, project / "locales", project / "layouts")


def test_affected_editions(tmp_path: Path) -> None:
    assert _affected(tmp_path, "locales/ps/LC_MESSAGES/weekly-analysis-455.po") == {("455", "ps")}
    assert _affected(tmp_path, "locales/ar/LC_MESSAGES/layout.po") == {("455", "ar"), ("456", "ar")}
    assert _affected(tmp_path, "locales/fa_AF/glossary.yaml") == {("455", "fa_AF"), ("456", "fa_AF")}
    assert _affected(tmp_path, "issues/456/issue.md") == {k for k in KEYS if k[0] == "456"}
    assert _affected(tmp_path, "layouts/weekly-analysis/templates/style.css") == set(KEYS)
    assert _affected(tmp_path, "locales/locales.yaml") == set(KEYS)
    assert _affected(tmp_path, "locales/weekly-analysis-455.pot", "README.md") == set()


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_rebuild_keeps_last_good_and_reports_one_line(project_copy: Path) -> None:
    project = load_project(project_copy)
    previews = Previews(project, [project_copy / "issues/455"], project.select(["ps"]))
    previews.rebuild()
    state = previews.states[("455", "ps")]
    assert state.good is not None and not state.error and state.version == 1
    assert 'dir="rtl"' in state.good.html and 'data-unit="introduction"' in state.good.html
    assert "/fonts/" in state.good.html and "file://" not in state.good.html
    po = project_copy / "locales/ps/LC_MESSAGES/weekly-analysis-455.po"
    _replace_in(po, 'msgstr "سریزه"', 'msgstr "پیلامه"')
    previews.rebuild({("455", "ps")})
    assert "پیلامه" in state.good.html and state.version == 2
    _replace_in(po, 'msgstr "پیلامه"', 'msgstr "پیلامه')  # an unterminated string
    previews.rebuild({("455", "ps")})
    assert state.error.startswith("locales/ps/LC_MESSAGES/weekly-analysis-455.po:") and "\n" not in state.error
    assert "پیلامه" in state.good.html  # the last good rendering is kept


def test_unit_facts(project_copy: Path) -> None:
    po = project_copy / "locales/ps/LC_MESSAGES/weekly-analysis-455.po"
    _replace_in(po, 'msgid "Introduction"\nmsgstr "سریزه"', '#, fuzzy\nmsgid "Introduction"\nmsgstr "سریزه"')
    project = load_project(project_copy)
    previews = Previews(project, [project_copy / "issues/455"], project.select(["ps", "en"]))
    previews.rebuild()
    units = previews.states[("455", "ps")].good.units
    intro = units["introduction"]
    assert intro["msgid"] == "Introduction" and intro["status"] == "fuzzy" and intro["shown_in_english"]
    assert intro["po"].startswith("locales/ps/LC_MESSAGES/weekly-analysis-455.po:") and intro["source"] == "issues/455/issue.md:11"
    assert units["title"]["status"] == "translated"
    assert previews.states[("455", "en")].good.units["title"]["status"] == "source"


def _get(url: str) -> tuple[int, dict, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace")


def test_server_serves_nothing_outside_and_escapes(project_copy: Path) -> None:
    import serve_process

    po = project_copy / "locales/ps/LC_MESSAGES/weekly-analysis-455.po"
    _replace_in(po, 'msgstr "سریزه"', 'msgstr "سریزه <script>alert(1)</script>"')
    (project_copy / "issues/455/.secret").write_text("no", encoding="utf-8")
    process, url = serve_process.start(project_copy, "issues/455", "--lang", "ps")
    try:
        status, headers, page = _get(url + "/issues/455/ps")
        assert status == 200 and "script-src 'self'" in headers["content-security-policy"] and "default-src 'self'" in headers["content-security-policy"]
        assert "<script>alert" not in page and "script&gt;alert(1)&lt;/script" in page  # escaped (a Latin run, isolated)
        for path in ("/issues/455/..%2F..%2Flocales%2Flocales.yaml", "/issues/455/.secret", "/fonts/passwd", "/static/app.py", "/issues/455/..%2Fissue.md%2F..%2F..%2F..%2Fpyproject.toml"):
            assert _get(url + path)[0] == 404, path
        assert _get(url + "/issues/455/issue.md")[0] == 200  # a file of the issue folder (an image, say) is served
    finally:
        serve_process.stop(process)
