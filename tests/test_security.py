"""The toolkit's protections, one test (at least) per protection, each able to fail.

Text from issues and catalogs is data; the renderer fetches nothing but the
layout's, the issue's and the fonts' files (and ``data:`` URIs); bidi controls
are refused; YAML is safe; files are written atomically; a catalog changed by a
translator during ``update`` is not overwritten; every mistake is one line.
See ``docs/security.md``. Everything works on ``project_copy``; a local HTTP
server records any request a build would make (there must be none).
"""

from __future__ import annotations

import errno
import hashlib
import http.server
import io
import json
import os
import re
import resource
import shutil
import signal
import struct
import subprocess
import sys
import textwrap
import threading
import time
import unicodedata
import urllib.request
import uuid
import zlib
from collections import Counter
from pathlib import Path

import pypdf
import pytest
from babel.messages.pofile import read_po, write_po
from conftest import ROOT, pdf_path, pdftotext, run_cli
from pdftools import layout_settings

from publisher.errors import PublisherError

ISSUE_DOMAIN = "weekly-analysis-455"
EN_PDF = "weekly-analysis-455-en.pdf"
PS_PDF = "weekly-analysis-455-ps.pdf"
# One reported line: "file:line: message", "path: message" or "publisher: message".
ONE_LINE = re.compile(r"^(publisher: |[^\s:]+(?::\d+)?: )\S")


# --- helpers ---------------------------------------------------------------------


def po(project: Path, locale: str, domain: str = ISSUE_DOMAIN) -> Path:
    return project / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"


def rel_po(locale: str, domain: str = ISSUE_DOMAIN) -> str:
    return f"locales/{locale}/LC_MESSAGES/{domain}.po"


def set_translation(path: Path, msgid: str | None, text: str, startswith: str | None = None) -> str:
    """Give one message of a PO file a new msgstr (as a translator's editor would); return its msgid."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    message = None
    for candidate in catalog:
        if candidate.id and (candidate.id == msgid or (startswith and isinstance(candidate.id, str) and candidate.id.startswith(startswith))):
            message = candidate
            break
    assert message is not None, (msgid, startswith)
    message.string = text
    message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76, sort_output=False, sort_by_file=False, include_previous=True)
    return str(message.id)


def entry_lines(path: Path, msgid: str) -> range:
    """Lines (1-based) from a message's first comment or msgid line to its last msgstr line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    first = msgid.split("\n")[0][:30].replace("\\", "\\\\").replace('"', '\\"')
    for i, line in enumerate(lines):
        if line.startswith("msgid ") and (f'"{first}' in line or (line == 'msgid ""' and i + 1 < len(lines) and lines[i + 1].startswith(f'"{first}'))):
            start = i
            while start > 0 and lines[start - 1].startswith("#"):
                start -= 1
            end = i
            while end + 1 < len(lines) and lines[end + 1].strip():
                end += 1
            return range(start + 1, end + 2)
    raise AssertionError(f"no entry for {msgid!r} in {path}")


def error_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.strip().splitlines() if line.strip()]


def assert_one_line_error(result: subprocess.CompletedProcess, code: int = 1, named: bool = True) -> str:
    """Exit ``code``, no traceback, one line on stderr; ``named``: in the ``where: message`` form."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == code, (result.returncode, result.stderr)
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    if named:
        assert ONE_LINE.match(lines[0]), lines[0]
    return lines[0]


def build(project: Path, out: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess:
    return run_cli("build", "issues/455", "--lang", lang, "--out", str(out), "--force", "-q", *args, cwd=project)


def run_python(code: str, cwd: Path, preexec_fn=None, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run a Python snippet (which may patch the library) as a user's process would run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, preexec_fn=preexec_fn)


def cli_snippet(prelude: str, *args: str) -> str:
    return textwrap.dedent(prelude) + f"\nimport sys\nfrom publisher.cli import main\nsys.exit(main({list(args)!r}))\n"


def uris(path: Path) -> list[str]:
    """The targets of every URI link annotation of a PDF."""
    found = []
    for page in pypdf.PdfReader(str(path)).pages:
        for annot in page.get("/Annots", []) or []:
            action = annot.get_object().get("/A")
            if action is not None and action.get("/S") == "/URI":
                found.append(str(action["/URI"]))
    return found


def image_count(path: Path) -> int:
    return sum(len(page.images) for page in pypdf.PdfReader(str(path)).pages)


def complete_pdf(data: bytes) -> bool:
    """A whole PDF: parses, every page readable, ends with %%EOF."""
    if not data.startswith(b"%PDF") or b"%%EOF" not in data[-64:]:
        return False
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
        return len(reader.pages) > 0 and all(page.mediabox for page in reader.pages)
    except Exception:
        return False


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def png(width: int = 4, height: int = 4) -> bytes:
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def add_paragraph(project: Path, text: str) -> None:
    path = project / "issues" / "455" / "issue.md"
    source = path.read_text(encoding="utf-8")
    assert "## Introduction\n\n" in source
    path.write_text(source.replace("## Introduction\n\n", f"## Introduction\n\n{text}\n\n", 1), encoding="utf-8")


def passwd_lines() -> list[str]:
    try:
        return [line for line in Path("/etc/passwd").read_text().splitlines() if len(line) > 12][:3]
    except OSError:
        return []


# --- a local server that records every connection --------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    def setup(self) -> None:
        self.server.connections += 1  # type: ignore[attr-defined]
        super().setup()

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        body = b"body { display: none }" if self.path.endswith(".css") else png()
        self.send_response(200)
        self.send_header("Content-Type", "text/css" if self.path.endswith(".css") else "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_HEAD = do_GET

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    httpd.requests = []  # type: ignore[attr-defined]
    httpd.connections = 0  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.port = httpd.server_address[1]  # type: ignore[attr-defined]
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def assert_nothing_fetched(httpd) -> None:
    time.sleep(0.1)
    assert httpd.requests == [] and httpd.connections == 0, httpd.requests


def test_the_recording_server_does_record(server) -> None:
    """The control for every 'nothing was fetched' assertion below."""
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/probe.css", timeout=5) as response:
        assert response.read() == b"body { display: none }"
    assert server.requests == ["/probe.css"] and server.connections == 1


# --- URL fetching: the confined fetcher ---------------------------------------------------


@pytest.fixture()
def confined(tmp_path: Path):
    from publisher.pdf import make_fetcher

    allowed = tmp_path / "allowed"
    (allowed / "sub").mkdir(parents=True)
    (allowed / "sub" / "inside.css").write_text("p { color: red }")
    (tmp_path / "allowed-evil").mkdir()
    (tmp_path / "allowed-evil" / "secret.css").write_text("secret")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.png").write_bytes(png())
    (allowed / "link.png").symlink_to(tmp_path / "outside" / "secret.png")
    return make_fetcher([allowed]), allowed, tmp_path


def test_fetcher_serves_a_file_inside_the_allowed_folder(confined) -> None:
    fetcher, allowed, _ = confined
    response = fetcher.fetch((allowed / "sub" / "inside.css").as_uri())
    assert response.read() == b"p { color: red }"


@pytest.mark.parametrize(
    "url",
    [
        "data:text/plain;base64,aGVsbG8gd29ybGQ=",
        "data:,hello%20world",
        "data:text/plain;charset=utf-8,hello%20world",
    ],
)
def test_fetcher_serves_data_uris(confined, url: str) -> None:
    fetcher, _, _ = confined
    assert fetcher.fetch(url).read() == b"hello world"


def _refused_urls(allowed: Path, tmp: Path, port: int) -> list[str]:
    return [
        "file:///etc/passwd",
        "/etc/passwd",
        "file:///etc/hostname",
        "FILE:///etc/hostname",
        "file://localhost/etc/passwd",
        f"http://127.0.0.1:{port}/",
        f"http://127.0.0.1:{port}/x.css",
        f"https://127.0.0.1:{port}/x.css",
        f"ftp://127.0.0.1:{port}/x",
        allowed.as_uri() + "/../outside/secret.png",
        allowed.as_uri() + "/sub/../../outside/secret.png",
        allowed.as_uri() + "/%2e%2e/outside/secret.png",
        (tmp / "allowed-evil" / "secret.css").as_uri(),  # a sibling whose name starts like the allowed folder
        (allowed / "link.png").as_uri(),  # a symlink inside pointing outside
        allowed.as_uri(),  # a folder, not a file
        (allowed / "missing.css").as_uri(),
    ]


def test_fetcher_refuses_everything_else(confined, server) -> None:
    from weasyprint.urls import FatalURLFetchingError

    fetcher, allowed, tmp = confined
    for url in _refused_urls(allowed, tmp, server.port):
        with pytest.raises(FatalURLFetchingError) as caught:
            fetcher.fetch(url)
        assert url in str(caught.value) or url.lower() in str(caught.value).lower(), (url, str(caught.value))
    assert_nothing_fetched(server)


# --- URL fetching: images in the issue ---------------------------------------------------------


def test_image_inside_the_issue_folder_is_used(project_copy: Path, tmp_path: Path) -> None:
    """The control: an allowed image does reach the PDF, so 'no image' below means refused."""
    (project_copy / "issues" / "455" / "chart.png").write_bytes(png())
    add_paragraph(project_copy, "Chart: ![chart](chart.png)")
    result = build(project_copy, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert image_count(tmp_path / "out" / EN_PDF) > 0


ISSUE_IMAGES = {
    "absolute-path": "/etc/passwd",
    "file-uri": "file:///etc/passwd",
    "http-localhost": "http://127.0.0.1:{port}/x.png",
    "outside-png-absolute": "{outside}",
    "outside-png-relative": "../../../outside/secret.png",
    "symlink-to-outside": "link.png",
}


@pytest.mark.parametrize("name", list(ISSUE_IMAGES))
def test_issue_image_outside_the_allowed_folders_is_not_fetched(project_copy: Path, tmp_path: Path, server, name: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png())
    (project_copy / "issues" / "455" / "link.png").symlink_to(outside / "secret.png")
    url = ISSUE_IMAGES[name].format(port=server.port, outside=outside / "secret.png")
    add_paragraph(project_copy, f"Picture: ![x]({url})")
    out = tmp_path / "out"
    result = build(project_copy, out)
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode != 0:
        line = assert_one_line_error(result, named=False)
        assert url.lstrip("./") in line or Path(url).name in line, line
        assert not (out / EN_PDF).exists()
    else:
        pdf = out / EN_PDF
        text = pdftotext(pdf)
        assert image_count(pdf) == 0, "an image from outside the allowed folders is in the PDF"
        for line in passwd_lines():
            assert line not in text
    assert_nothing_fetched(server)


# --- URL fetching: the layout's stylesheet ------------------------------------------------------

STYLESHEET_URLS = {
    "import-http": ("prepend", "@import url(http://127.0.0.1:{port}/x.css);", "http://127.0.0.1:{port}/x.css"),
    "background-absolute": ("append", "body {{ background: url(/etc/passwd) }}", "/etc/passwd"),
    "background-file": ("append", "body {{ background: url(file:///etc/passwd) }}", "file:///etc/passwd"),
    "font-http": (
        "append",
        '@font-face {{ font-family: "Remote"; src: url(http://127.0.0.1:{port}/f.ttf) }} p {{ font-family: "Remote" }}',
        "http://127.0.0.1:{port}/f.ttf",
    ),
}


@pytest.mark.parametrize("name", list(STYLESHEET_URLS))
def test_stylesheet_url_outside_is_refused(project_copy: Path, tmp_path: Path, server, name: str) -> None:
    where, rule, url = STYLESHEET_URLS[name]
    rule, url = rule.format(port=server.port), url.format(port=server.port)
    css = project_copy / "layouts" / "weekly-analysis" / "templates" / "style.css"
    text = css.read_text(encoding="utf-8")
    css.write_text(rule + "\n" + text if where == "prepend" else text + "\n" + rule + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = build(project_copy, out)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    lines = error_lines(result)
    assert len(lines) == 1 and url in lines[0], result.stderr
    assert not (out / EN_PDF).exists()
    assert_nothing_fetched(server)


# --- hostile translations --------------------------------------------------------------------

# (text, shown literally?) — the {port} is the recording server's.
HOSTILE = {
    "img-file": ('<img src="file:///etc/hostname">', True),
    "style": ("<style>body{display:none}</style>", True),
    "link-stylesheet": ("<link rel=stylesheet href=http://127.0.0.1:{port}/x.css>", True),
    "md-javascript-link": ("[click](javascript:alert(1))", True),
    "md-file-link": ("[x](file:///etc/passwd)", True),
    "unbalanced-strong": ("** unbalanced bold", True),
    "close-body-script": ("</p></body><script>", True),
    "md-absolute-link": ("[x](/etc/passwd)", False),
    "md-other-scheme": ("[x](smb://127.0.0.1/share)", False),
    "md-absolute-image": ("![x](/etc/hostname)", False),
    "md-http-image": ("![x](http://127.0.0.1:{port}/x.png)", False),
    "html-anchor": ('<a href="javascript:alert(1)">x</a>', True),
}
# Where a hostile string goes: a paragraph of the issue, or a heading of the layout.
TARGETS = {
    "issue": (ISSUE_DOMAIN, None, "This analysis seeks to address these questions"),
    "layout": ("layout", "In this issue", None),
}
START, END = "QQSTART", "QQEND"
MIRRORS = str.maketrans({">": "<", ")": "(", "]": "[", "}": "{"})
# The edition prints its own quotes for the straight ones a translator types (layout.yaml `quotes`).
_QUOTES = layout_settings()["locales"]["ps"]["quotes"]
STRAIGHT = str.maketrans({_QUOTES[0]: '"', _QUOTES[1]: '"', _QUOTES[2]: "'", _QUOTES[3]: "'", "\u2019": "'"})
BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def _visible(text: str) -> Counter:
    """Characters as a reader sees them, whatever the visual order and mirroring of RTL lines."""
    from publisher.locale_rules.digits import to_ascii

    text = to_ascii(unicodedata.normalize("NFKC", text.translate(BIDI))).translate(MIRRORS)
    return Counter(ch for ch in text if not ch.isspace())


def _between_sentinels(text: str) -> str:
    lines = text.splitlines()
    hits = [i for i, line in enumerate(lines) if START in line or END in line]
    assert hits, "the hostile translation is not in the PDF at all"
    return "\n".join(lines[min(hits) : max(hits) + 1])


@pytest.fixture(scope="module")
def ps_pages(built: Path) -> int:
    return len(pypdf.PdfReader(str(pdf_path(built, "ps"))).pages)


@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_translation_is_shown_as_text(project_copy: Path, tmp_path: Path, server, ps_pages: int, target: str, name: str) -> None:
    hostile, literal = HOSTILE[name]
    hostile = hostile.replace("{port}", str(server.port))
    domain, msgid, startswith = TARGETS[target]
    set_translation(po(project_copy, "ps", domain), msgid, f"{START} {hostile} {END}", startswith)
    out = tmp_path / "out"
    result = build(project_copy, out, lang="ps")
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode != 0:
        assert_one_line_error(result, named=False)
        assert not (out / PS_PDF).exists()
    else:
        pdf = out / PS_PDF
        pages = len(pypdf.PdfReader(str(pdf)).pages)
        assert abs(pages - ps_pages) <= 1, f"{pages} pages instead of about {ps_pages}: the markup acted"
        targets = uris(pdf)
        assert any(t.startswith("http") for t in targets), "the control: the edition's own links are annotations"
        for target_uri in targets:
            assert re.match(r"^(https?://|mailto:)", target_uri), target_uri
        text = pdftotext(pdf)
        assert END in text and START in text
        if literal:
            missing = _visible(hostile) - _visible(_between_sentinels(text).translate(STRAIGHT))
            assert not missing, f"not shown as text: {dict(missing)}"
        for line in passwd_lines():
            assert line not in text
    assert_nothing_fetched(server)


@pytest.mark.parametrize("target", list(TARGETS))
def test_hostile_translation_is_escaped_in_the_html_preview(project_copy: Path, tmp_path: Path, server, target: str) -> None:
    domain, msgid, startswith = TARGETS[target]
    hostile = f'<style>body{{display:none}}</style><a href="javascript:alert(1)">x</a><link rel=stylesheet href=http://127.0.0.1:{server.port}/x.css>'
    set_translation(po(project_copy, "ps", domain), msgid, f"{START} {hostile} {END}", startswith)
    out = tmp_path / "out"
    result = build(project_copy, out, "--format", "html", lang="ps")
    assert result.returncode == 0, result.stderr
    page = (out / "weekly-analysis-455-ps.html").read_text(encoding="utf-8")
    flat = re.sub(r"</?bdi[^>]*>", "", page)  # Latin islands are isolated piece by piece
    assert "&lt;style&gt;body{display:none}&lt;/style&gt;" in flat
    assert "<style>body{display:none}" not in flat
    assert '<a href="javascript:' not in flat and "javascript:alert(" in flat
    assert "<link rel=stylesheet" not in flat
    assert_nothing_fetched(server)


# --- bidi controls ------------------------------------------------------------------------------

BIDI_TARGETS = {"issue": (ISSUE_DOMAIN, "Introduction"), "layout": ("layout", "In this issue")}


@pytest.mark.parametrize("target", list(BIDI_TARGETS))
@pytest.mark.parametrize("control", ["\u202e", "\u2066"], ids=["U+202E", "U+2066"])
def test_bidi_control_in_a_translation_fails_the_edition(project_copy: Path, tmp_path: Path, target: str, control: str) -> None:
    domain, msgid = BIDI_TARGETS[target]
    path = po(project_copy, "ps", domain)
    set_translation(path, msgid, f"سریزه {control}abc پای")
    out = tmp_path / "out"
    result = build(project_copy, out, lang="ps")
    line = assert_one_line_error(result)
    match = re.match(rf"^{re.escape(rel_po('ps', domain))}:(\d+): ", line)
    assert match, line
    assert int(match.group(1)) in entry_lines(path, msgid), (line, entry_lines(path, msgid))
    assert f"U+{ord(control):04X}" in line
    assert not (out / PS_PDF).exists()

    check = run_cli("check", "--lang", "ps", cwd=project_copy)
    assert check.returncode == 1, check.stdout + check.stderr
    found = [row for row in check.stdout.splitlines() if "bidi-control" in row]
    assert len(found) == 1 and found[0].startswith(f"{rel_po('ps', domain)}:"), check.stdout
    assert int(found[0].split(":")[1]) in entry_lines(path, msgid)


def test_lrm_rlm_zwnj_are_allowed(project_copy: Path, tmp_path: Path) -> None:
    path = po(project_copy, "ps", ISSUE_DOMAIN)
    set_translation(path, "Introduction", "سریزه\u200f")
    set_translation(path, "Conclusion", "پایله \u200eCSRS\u200e د\u200cکار")
    set_translation(po(project_copy, "ps", "layout"), "In this issue", "په دې\u200c ګڼه کې\u200f")
    out = tmp_path / "out"
    result = build(project_copy, out, lang="ps")
    assert result.returncode == 0, result.stderr
    assert complete_pdf((out / PS_PDF).read_bytes())
    check = run_cli("check", "--lang", "ps", "--json", cwd=project_copy)
    assert "Traceback" not in check.stderr
    assert not [f for f in json.loads(check.stdout) if f["check"] == "bidi-control"]


# --- YAML ------------------------------------------------------------------------------------


def _python_tags(marker: Path) -> list[str]:
    return [
        f'!!python/object/apply:os.system ["touch {marker}"]',
        f'!!python/object/apply:subprocess.call [["touch", "{marker}"]]',
        f'!!python/object/apply:builtins.exec ["open(\'{marker}\', \'w\').close()"]',
    ]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_yaml_tags_in_front_matter_are_refused(project_copy: Path, tmp_path: Path, index: int) -> None:
    marker = tmp_path / f"pwned-{uuid.uuid4().hex}"
    issue = project_copy / "issues" / "455" / "issue.md"
    text = issue.read_text(encoding="utf-8")
    text = re.sub(r"^title: .*$", f"title: {_python_tags(marker)[index]}", text, count=1, flags=re.M)
    issue.write_text(text, encoding="utf-8")
    for command in (["build", "issues/455", "--lang", "en", "--out", str(tmp_path / "out"), "-q"], ["extract", "issues/455"], ["check", "issues/455"]):
        result = run_cli(*command, cwd=project_copy)
        line = assert_one_line_error(result)
        assert line.startswith("issues/455/issue.md:7: "), line
        assert not marker.exists(), "YAML ran a command"

    from publisher.source import parse_issue

    with pytest.raises(PublisherError):
        parse_issue(text, "issue.md")
    assert not marker.exists()


@pytest.mark.parametrize("file", ["layouts/weekly-analysis/layout.yaml", "layouts/weekly-analysis/series.yaml", "locales/locales.yaml"])
def test_yaml_tags_in_configuration_are_refused(project_copy: Path, tmp_path: Path, file: str) -> None:
    marker = tmp_path / f"pwned-{uuid.uuid4().hex}"
    path = project_copy / file
    path.write_text(path.read_text(encoding="utf-8") + f"\nextra: {_python_tags(marker)[0]}\n", encoding="utf-8")
    result = build(project_copy, tmp_path / "out")
    line = assert_one_line_error(result)
    assert file.split("/")[-1] in line, line
    assert not marker.exists(), "YAML ran a command"


# --- atomic writes ----------------------------------------------------------------------------


def test_write_bytes_keeps_the_old_file_when_the_rename_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from publisher import fsutil

    target = tmp_path / "edition.pdf"
    target.write_bytes(b"old complete file")

    def failing_replace(src, dst):
        raise OSError(errno.EIO, "input/output error")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises((PublisherError, OSError)):
        fsutil.write_bytes(target, b"new" * 1000)
    assert target.read_bytes() == b"old complete file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edition.pdf"]


def test_write_bytes_keeps_the_old_file_when_the_write_fails_midway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from publisher import fsutil

    target = tmp_path / "catalog.po"
    target.write_bytes(b"old complete file")
    real_open = open

    class Failing:
        def __init__(self, handle):
            self.handle = handle

        def write(self, data):
            self.handle.write(bytes(data)[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    def half_open(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        return Failing(handle) if "w" in mode and Path(file).parent == tmp_path else handle

    monkeypatch.setattr("builtins.open", half_open)
    monkeypatch.setattr("io.open", half_open)
    def write_bytes(self, data):
        with half_open(self, "wb") as handle:
            return handle.write(data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    with pytest.raises((PublisherError, OSError)):
        fsutil.write_bytes(target, b"new" * 1000)
    monkeypatch.undo()
    assert target.read_bytes() == b"old complete file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.po"]


def test_write_bytes_keeps_the_old_file_when_interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from publisher import fsutil

    target = tmp_path / "manifest.json"
    target.write_bytes(b"{}")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fsutil.write_bytes(target, b'{"new": true}')
    assert target.read_bytes() == b"{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]


def _file_size_limit(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    return apply


def test_write_bytes_with_a_full_disk_keeps_the_old_file(tmp_path: Path) -> None:
    """A real short write (RLIMIT_FSIZE: the kernel refuses bytes past the limit), in another process."""
    target = tmp_path / "edition.pdf"
    target.write_bytes(b"old complete file")
    result = run_python(
        f"""
        from pathlib import Path
        from publisher.fsutil import write_bytes
        write_bytes(Path({str(target)!r}), b"n" * 200_000)
        """,
        tmp_path,
        preexec_fn=_file_size_limit(50_000),
    )
    assert result.returncode != 0, "the write should have failed"
    assert "cannot write" in result.stderr or "File too large" in result.stderr, result.stderr
    assert target.read_bytes() == b"old complete file"
    assert temp_files(tmp_path) == []


@pytest.fixture()
def previous_build(project_copy: Path, built: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """An output folder holding complete editions from an earlier build."""
    out = tmp_path / "out"
    out.mkdir()
    for name in [p.name for p in built.glob("*.pdf")] + ["manifest.json"]:
        shutil.copy2(built / name, out / name)
    return out, {p.name: p.read_bytes() for p in out.glob("*.pdf")}


def _popen_build(project: Path, out: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "publisher", "build", "issues/455", "--out", str(out), "--force", *args],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal
    )


def _assert_old_or_complete(out: Path, before: dict[str, bytes]) -> None:
    for name, old in before.items():
        path = out / name
        if path.exists():
            data = path.read_bytes()
            assert data == old or complete_pdf(data), f"{name} is neither the previous file nor a complete PDF"
    for path in out.glob("*.pdf"):
        assert path.name in before or complete_pdf(path.read_bytes()), path


def _interrupt_while_building(process: subprocess.Popen, edition: str, sig: int, delay: float) -> str:
    """Send ``sig`` ``delay`` seconds after the build starts on ``edition`` (mid-render); return stderr."""
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if f"building weekly-analysis-455-{edition}.pdf" in line:
            break
    else:
        raise AssertionError("the build never started " + edition + ": " + "".join(seen))
    time.sleep(delay)
    assert process.poll() is None, "the build ended before it could be interrupted"
    process.send_signal(sig)
    _, rest = process.communicate(timeout=120)
    return "".join(seen) + rest


@pytest.mark.parametrize(("edition", "delay"), [("en", 1.0), ("ps", 0.5), ("ar", 0.2)])
def test_sigint_during_a_build_leaves_old_or_complete_editions(project_copy: Path, previous_build, edition: str, delay: float) -> None:
    out, before = previous_build
    process = _popen_build(project_copy, out, "--lang", "all", "--jobs", "1")
    stderr = _interrupt_while_building(process, edition, signal.SIGINT, delay)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1].startswith("publisher: interrupted"), stderr
    _assert_old_or_complete(out, before)
    assert temp_files(out) == []
    json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("edition", "delay"), [("en", 1.0), ("fa_AF", 0.3)])
def test_sigkill_during_a_build_leaves_old_or_complete_editions(project_copy: Path, previous_build, edition: str, delay: float) -> None:
    out, before = previous_build
    process = _popen_build(project_copy, out, "--lang", "all", "--jobs", "1")
    _interrupt_while_building(process, edition, signal.SIGKILL, delay)
    assert process.returncode == -signal.SIGKILL
    _assert_old_or_complete(out, before)
    json.loads((out / "manifest.json").read_text(encoding="utf-8"))


FAIL_WRITES_UNDER = """
import builtins, errno, io, os
from pathlib import Path
OUT = Path({out!r}).resolve()
real_open = builtins.open

class HalfWriter:
    def __init__(self, handle):
        self.handle = handle
    def write(self, data):
        self.handle.write(bytes(data)[: max(1, len(data) // 2)])
        self.handle.flush()
        raise OSError(errno.ENOSPC, "No space left on device")
    def __getattr__(self, name):
        return getattr(self.handle, name)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.handle.close()

def failing_open(file, mode="r", *args, **kwargs):
    handle = real_open(file, mode, *args, **kwargs)
    if isinstance(file, (str, os.PathLike)) and any(m in mode for m in "wa+") and Path(file).resolve().parent == OUT and ".pdf" in Path(file).name:
        return HalfWriter(handle)
    return handle

builtins.open = io.open = failing_open
"""


def test_disk_full_while_writing_a_pdf_keeps_the_previous_edition(project_copy: Path, previous_build) -> None:
    """Every write of a PDF into the output folder fails half-way (as on a full disk): the old PDF stays."""
    out, before = previous_build
    script = cli_snippet(FAIL_WRITES_UNDER.format(out=str(out)), "build", "issues/455", "--lang", "en", "--out", str(out), "--force", "-q")
    result = run_python(script, project_copy)
    line = assert_one_line_error(result)
    assert EN_PDF in line, line
    assert (out / EN_PDF).read_bytes() == before[EN_PDF]
    assert temp_files(out) == []


# --- interrupted update ---------------------------------------------------------------------------


def _change_templates(project: Path) -> None:
    issue = project / "issues" / "455" / "issue.md"
    text = issue.read_text(encoding="utf-8")
    assert "This analysis seeks to address" in text
    issue.write_text(text.replace("This analysis seeks to address", "This analysis tries to address"), encoding="utf-8")
    result = run_cli("extract", cwd=project, env={"SOURCE_DATE_EPOCH": "1733400000"})
    assert result.returncode == 0, result.stderr


def _catalogs(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted((project / "locales").glob("*/LC_MESSAGES/*.po"))}


@pytest.fixture()
def pending_update(project_copy: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A project whose templates changed: (project, catalogs before, catalogs after a complete update)."""
    _change_templates(project_copy)
    before = _catalogs(project_copy)
    reference = tmp_path / "reference"
    shutil.copytree(project_copy, reference)
    result = run_cli("update", cwd=reference)
    assert result.returncode == 0, result.stderr
    after = _catalogs(reference)
    assert sum(before[k] != after[k] for k in before) >= 4, "the update must change several catalogs"
    return project_copy, before, after


def _assert_old_or_new(project: Path, before: dict[str, bytes], after: dict[str, bytes]) -> tuple[int, int]:
    from publisher.catalogs import pofile

    now = _catalogs(project)
    assert set(now) == set(before)
    old = new = 0
    for name, data in now.items():
        assert data in (before[name], after[name]), f"{name} is neither the old nor the new catalog"
        old += data == before[name] and data != after[name]
        new += data == after[name] and data != before[name]
        locale = name.split("/")[1]
        pofile.load(project / name, name, locale=locale)
    assert temp_files(project / "locales") == []
    return old, new


def test_update_interrupted_midway_leaves_each_catalog_old_or_new(pending_update) -> None:
    project, before, after = pending_update
    script = cli_snippet(
        """
        import os
        real_replace, calls = os.replace, []
        def replace(src, dst):
            calls.append(dst)
            if len(calls) == 4:
                raise KeyboardInterrupt  # Ctrl-C at the fourth catalog
            return real_replace(src, dst)
        os.replace = replace
        """,
        "update",
    )
    result = run_python(script, project)
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr
    old, new = _assert_old_or_new(project, before, after)
    assert new >= 1 and old >= 1, "the interruption should fall between catalogs"


def test_update_with_a_full_disk_leaves_each_catalog_old_or_new(pending_update) -> None:
    project, before, after = pending_update
    result = run_python(cli_snippet("", "update"), project, preexec_fn=_file_size_limit(45_000))
    line = assert_one_line_error(result)
    assert ".po" in line, line
    _assert_old_or_new(project, before, after)


# --- concurrency ------------------------------------------------------------------------------------


def _assert_manifest(out: Path, files: set[str]) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {e["file"]: e for e in manifest["editions"]}
    assert files <= set(listed), listed.keys()
    for name in files:
        assert listed[name]["ok"] is True
        assert complete_pdf((out / name).read_bytes())


def test_two_builds_into_one_folder_at_once(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    processes = [_popen_build(project_copy, out, "--lang", "en", "-q") for _ in range(2)]
    results = [p.communicate(timeout=300) for p in processes]
    for process, (_, stderr) in zip(processes, results, strict=True):
        assert process.returncode == 0, stderr
    _assert_manifest(out, {EN_PDF})
    assert temp_files(out) == []


def test_two_builds_of_different_editions_at_once_keep_both_in_the_manifest(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    processes = [_popen_build(project_copy, out, "--lang", lang, "-q") for lang in ("en", "ps")]
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    _assert_manifest(out, {EN_PDF, PS_PDF})


def test_a_build_waits_for_another_recording_the_manifest(project_copy: Path, built: Path, tmp_path: Path) -> None:
    """Builds into one folder queue on the folder's lock: what another build records meanwhile is kept."""
    import fcntl

    from publisher.build import LOCK

    out = tmp_path / "out"
    out.mkdir()
    shutil.copy2(built / PS_PDF, out / PS_PDF)
    with open(out / LOCK, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another build is recording its editions
        process = _popen_build(project_copy, out, "--lang", "en", "-q")
        time.sleep(3.0)
        assert process.poll() is None, "the build ended without waiting for the lock"
        assert not (out / "manifest.json").exists(), "the build wrote its manifest without waiting for the lock"
        data = (out / PS_PDF).read_bytes()
        other = {"file": PS_PDF, "locale": "ps", "issue": "issues/455", "ok": True, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        (out / "manifest.json").write_text(json.dumps({"generator": "other build", "editions": [other]}), encoding="utf-8")
        fcntl.flock(lock, fcntl.LOCK_UN)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    _assert_manifest(out, {EN_PDF, PS_PDF})


def _translator_edit(path: Path) -> bytes:
    data = path.read_bytes()
    edited = data.replace('msgstr "سریزه"'.encode(), 'msgstr "سریزه (نوې)"'.encode()) + b"\n# saved by the translator\n"
    assert edited != data
    return edited


def test_update_refuses_a_catalog_changed_during_the_merge(pending_update, monkeypatch: pytest.MonkeyPatch) -> None:
    from publisher.catalogs import store
    from publisher.config import load_project

    project_dir, before, _ = pending_update
    project = load_project(project_dir)
    path = po(project_dir, "ps")
    saved: dict[str, bytes] = {}
    real_merge = store.merge

    def merge_while_translator_saves(catalog, template):
        merged = real_merge(catalog, template)
        if str(catalog.locale) == "ps" and catalog.domain == ISSUE_DOMAIN:
            saved["bytes"] = _translator_edit(path)
            path.write_bytes(saved["bytes"])
        return merged

    monkeypatch.setattr(store, "merge", merge_while_translator_saves)
    with pytest.raises(PublisherError) as caught:
        store.update(project, [project.locales["ps"]])
    assert "bytes" in saved, "the merge of the ps catalog never ran"
    message = str(caught.value)
    assert "\n" not in message and rel_po("ps") in message, message
    assert path.read_bytes() == saved["bytes"], "the translator's save was overwritten"
    assert temp_files(project_dir / "locales") == []


def test_update_command_refuses_a_catalog_changed_during_the_merge(pending_update, tmp_path: Path) -> None:
    project, _, _ = pending_update
    path = po(project, "ps")
    edited = _translator_edit(path)
    saved = tmp_path / "translator-saved.po"
    saved.write_bytes(edited)
    script = cli_snippet(
        f"""
        from pathlib import Path
        from publisher.catalogs import store
        real_merge = store.merge
        def merge(catalog, template):
            merged = real_merge(catalog, template)
            if str(catalog.locale) == "ps" and catalog.domain == {ISSUE_DOMAIN!r}:
                Path({str(path)!r}).write_bytes(Path({str(saved)!r}).read_bytes())
            return merged
        store.merge = merge
        """,
        "update",
        "--lang",
        "ps",
    )
    result = run_python(script, project)
    line = assert_one_line_error(result)
    assert line.startswith(rel_po("ps") + ":") or line.startswith(rel_po("ps")), line
    assert path.read_bytes() == edited


# --- every mistake named ---------------------------------------------------------------------------


def _insert_line(path: Path, after_prefix: str, new: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(after_prefix)) + 1
    lines.insert(index, new)
    path.write_text("\n".join(lines), encoding="utf-8")
    return index + 1


def _setup_po_syntax(project: Path) -> tuple[str, int | None, str]:
    path = po(project, "ps")
    line = _insert_line(path, 'msgstr "سریزه"', "this is not a PO line")
    return rel_po("ps"), line, "ps"


def _setup_unterminated_string(project: Path) -> tuple[str, int | None, str]:
    path = po(project, "ps")
    line = _insert_line(path, 'msgstr "سریزه"', '\nmsgid "an unterminated string')
    return rel_po("ps"), line + 1, "ps"


def _setup_duplicate(project: Path) -> tuple[str, int | None, str]:
    path = po(project, "ps")
    text = path.read_text(encoding="utf-8").rstrip("\n") + '\n\nmsgid "Introduction"\nmsgstr "دوه ځله"\n'
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    return rel_po("ps"), max(i for i, line in enumerate(lines) if line == 'msgid "Introduction"') + 1, "ps"


def _setup_plural_forms(project: Path) -> tuple[str, int | None, str]:
    path = po(project, "ar", "layout")
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith('"Plural-Forms:'))
    end = start + 1
    while end < len(lines) and lines[end].startswith('"') and not re.match(r'^"[A-Za-z-]+: ', lines[end]):
        end += 1
    lines[start:end] = ['"Plural-Forms: nplurals=2; plural=(n != 1);\\n"']
    path.write_text("\n".join(lines), encoding="utf-8")
    return rel_po("ar", "layout"), start + 1, "ar"


def _setup_missing_plural(project: Path) -> tuple[str, int | None, str]:
    path = po(project, "ar", "layout")
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("msgstr[5]"))
    del lines[index]
    first = next(i for i in range(index, -1, -1) if lines[i].startswith("msgid "))
    path.write_text("\n".join(lines), encoding="utf-8")
    return rel_po("ar", "layout"), -(first + 1), "ar"  # negative: anywhere in the entry from this line


CATALOG_MISTAKES = {
    "po-syntax": (_setup_po_syntax, "syntax"),
    "po-unterminated": (_setup_unterminated_string, ""),
    "duplicate-msgid": (_setup_duplicate, "duplicate msgid"),
    "wrong-plural-forms": (_setup_plural_forms, "Plural-Forms"),
    "missing-plural-form": (_setup_missing_plural, "plural"),
}


@pytest.mark.parametrize("name", list(CATALOG_MISTAKES))
def test_catalog_mistake_is_one_line_naming_file_and_line(project_copy: Path, tmp_path: Path, name: str) -> None:
    setup, words = CATALOG_MISTAKES[name]
    file, line_no, locale = setup(project_copy)
    for command in (["build", "issues/455", "--lang", locale, "--out", str(tmp_path / "out"), "-q"], ["update", "--lang", locale], ["compile", "--lang", locale]):
        result = run_cli(*command, cwd=project_copy)
        line = assert_one_line_error(result)
        match = re.match(rf"^{re.escape(file)}:(\d+): ", line)
        assert match, (command, line)
        if line_no is not None and line_no > 0:
            assert int(match.group(1)) == line_no, (command, line, line_no)
        elif line_no is not None:
            assert -line_no <= int(match.group(1)) <= -line_no + 10, (command, line, -line_no)
        assert words in line, line
    assert not (tmp_path / "out" / f"weekly-analysis-455-{locale}.pdf").exists()


def _front(project: Path, old: str, new: str) -> None:
    path = project / "issues" / "455" / "issue.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unknown_series_is_named(project_copy: Path, tmp_path: Path) -> None:
    _front(project_copy, "series: weekly-analysis", "series: no-such-series")
    line = assert_one_line_error(build(project_copy, tmp_path / "out"))
    assert line.startswith("issues/455/issue.md:2: ") and "no-such-series" in line, line


def test_missing_layout_is_named(project_copy: Path, tmp_path: Path) -> None:
    (project_copy / "layouts" / "weekly-analysis" / "layout.yaml").unlink()
    result = build(project_copy, tmp_path / "out")
    assert result.returncode in (1, 2), result.stderr
    line = assert_one_line_error(result, result.returncode)
    assert "weekly-analysis" in line, line


def test_missing_issue_folder_is_named(project_copy: Path, tmp_path: Path) -> None:
    for command in (["build", "issues/999", "--lang", "en", "--out", str(tmp_path / "out")], ["check", "issues/999"], ["status", "issues/999"], ["extract", "issues/999"]):
        line = assert_one_line_error(run_cli(*command, cwd=project_copy))
        assert line.startswith("issues/999: ") and "does not exist" in line, line


def test_output_folder_under_a_regular_file_is_named(project_copy: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "somefile"
    blocker.write_text("not a folder")
    line = assert_one_line_error(build(project_copy, blocker / "sub"))
    assert str(blocker / "sub") in line or "somefile" in line, line
    assert blocker.read_text() == "not a folder"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write into a read-only folder")
def test_read_only_output_folder_is_named(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "readonly"
    out.mkdir()
    out.chmod(0o500)
    try:
        line = assert_one_line_error(build(project_copy, out))
        assert "readonly" in line, line
    finally:
        out.chmod(0o700)


@pytest.mark.parametrize(
    "args",
    [
        ["build", "issues/455", "--lang", "xx"],
        ["build", "issues/455", "--lang", "en,xx"],
        ["update", "--lang", "xx"],
        ["check", "--lang", "xx"],
        ["init-lang", "xx"],
        ["build", "issues/455", "--pdf-variant", "pdf/nonsense"],
        ["build", "issues/455", "--bleed", "lots"],
        ["build", "issues/455", "--jobs", "-1"],
    ],
    ids=lambda a: "-".join(a[:1] + a[2:]),
)
def test_usage_mistake_is_one_line_exit_2(project_copy: Path, tmp_path: Path, args: list[str]) -> None:
    line = assert_one_line_error(run_cli(*args, cwd=project_copy), code=2)
    assert line.startswith("publisher: "), line


def test_unknown_option_is_exit_2(project_copy: Path) -> None:
    result = run_cli("build", "issues/455", "--no-such-option", cwd=project_copy)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "--no-such-option" in result.stderr


def _without_amiri(monkeypatch: pytest.MonkeyPatch) -> None:
    import fontpkg

    real = fontpkg.family

    def family(slug, *args, **kwargs):
        if slug == "amiri":
            raise fontpkg.FamilyNotInstalled(slug)
        return real(slug, *args, **kwargs)

    monkeypatch.setattr(fontpkg, "family", family)


def test_missing_font_package_is_named(project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from publisher.build import build as build_editions
    from publisher.config import load_project
    from publisher.edition import Options

    _without_amiri(monkeypatch)
    project = load_project(project_copy)
    try:
        results = build_editions(project, [project_copy / "issues" / "455"], [project.locales["ps"]], tmp_path / "out", Options(), jobs=1)
    except PublisherError as exc:
        message = str(exc)
    else:
        assert results and not any(r.ok for r in results) and len({r.error for r in results}) == 1  # the screen and print files
        message = results[0].error
    assert "fontpkg-amiri" in message and "\n" not in message, message
    assert not (tmp_path / "out" / PS_PDF).exists()


def test_missing_font_package_is_one_line_from_the_command(project_copy: Path, tmp_path: Path) -> None:
    script = cli_snippet(
        """
        import fontpkg
        real = fontpkg.family
        def family(slug, *args, **kwargs):
            if slug == "amiri":
                raise fontpkg.FamilyNotInstalled(slug)
            return real(slug, *args, **kwargs)
        fontpkg.family = family
        """,
        "build",
        "issues/455",
        "--lang",
        "ps",
        "--out",
        str(tmp_path / "out"),
        "-q",
    )
    line = assert_one_line_error(run_python(script, project_copy))
    assert "fontpkg-amiri" in line, line
