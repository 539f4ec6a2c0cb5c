"""Reading and writing PO/POT files deterministically, with errors that name lines.

Babel's ``read_po``/``write_po`` do the work; this module adds what a
translator's tool can get wrong (a wrong ``Plural-Forms``, a missing plural
form, a duplicate msgid) as :class:`PublisherError` with file and line.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, normalize, read_po, unescape, write_po
from babel.support import Translations

from publisher import limits
from publisher.errors import PublisherError
from publisher.fsutil import read_regular, write_bytes

WIDTH = 76


def load(path: Path, display: str, locale: str | None = None, domain: str | None = None) -> Catalog:
    """Read a PO or POT file; any defect is one error naming file and line."""
    try:
        raw = read_regular(Path(path), display, limits.CATALOG_BYTES)
    except FileNotFoundError:
        raise PublisherError("no such catalog", display) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PublisherError("not valid UTF-8", f"{display}:{line}") from None
    text, previous = _scan(text, display)
    if locale:
        _check_plural_header(text, display, locale)
    try:
        catalog = read_po(io.StringIO(text), locale=locale, domain=domain, abort_invalid=True)
    except PoFileError as exc:
        line = (getattr(exc, "lineno", 0) or 0) + 1  # Babel counts lines from 0
        msg = str(exc).split(" on ")[0].split(":")[0] if str(exc) else "syntax error"
        raise PublisherError(f"PO syntax error: {msg}", f"{display}:{line}") from None
    except (ValueError, TypeError) as exc:
        raise PublisherError(f"PO syntax error: {exc}", display) from None
    for (ctxt, mid), (prev_ctxt, prev_ids) in previous.items():
        message = catalog.get(mid, ctxt or None)
        if message is not None:
            message.previous_id = prev_ids
            message.previous_context = prev_ctxt or None
    if locale:
        _check_plurals(catalog, text, display, locale)
    return catalog


_KEYWORD = re.compile(r'^(#~ ?)?(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*)$')
_PREVIOUS = re.compile(r'^#\|\s*(msgctxt|msgid_plural|msgid)?\s*(".*)$')
_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"$')


def _scan(text: str, display: str) -> tuple[str, dict[tuple[str, str], tuple[str, list[str]]]]:
    """What Babel's reader lets through: unterminated strings, duplicate msgids.

    Also reads GNU's previous-msgid comments (``#| msgid``), which Babel's
    reader does not, and blanks them out of the text it is given (blank lines
    keep the line numbers of everything else).
    """
    lines = text.split("\n")
    seen: dict[tuple[str, str, bool], int] = {}
    previous: dict[tuple[str, str], tuple[str, list[str]]] = {}
    pending: dict[str, list[str]] = {}
    entry: dict[str, list[str]] = {}
    current: list[str] | None = None
    obsolete = False
    start = 0

    def finish() -> None:
        nonlocal entry, pending
        if "msgid" in entry:
            ctxt = "".join(entry.get("msgctxt", []))
            mid = "".join(entry["msgid"])
            key = (ctxt, mid, obsolete)
            if mid and key in seen:
                raise PublisherError(f"duplicate msgid (first defined at line {seen[key]})", f"{display}:{start}")
            seen[key] = start
            if pending.get("msgid") is not None and not obsolete:
                ids = ["".join(pending["msgid"])] + (["".join(pending["msgid_plural"])] if "msgid_plural" in pending else [])
                previous[(ctxt, mid)] = ("".join(pending.get("msgctxt", [])), ids)
        entry, pending = {}, {}

    prev_current: list[str] | None = None
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        match = _PREVIOUS.match(stripped)
        if match:
            if "msgstr" in entry or ("msgid" in entry and match.group(1)):
                finish()
            if match.group(1):
                prev_current = pending.setdefault(match.group(1), [])
            if prev_current is not None:
                prev_current.append(_string(match.group(2), display, number))
            lines[number - 1] = ""
            continue
        match = _KEYWORD.match(stripped)
        if match:
            keyword = match.group(2)
            if keyword in ("msgctxt", "msgid") and ("msgstr" in entry or (keyword == "msgctxt" and "msgid" in entry)):
                finish()
            if keyword == "msgid":
                start, obsolete = number, bool(match.group(1))
            key = "msgstr" if keyword.startswith("msgstr") else keyword
            if keyword in entry.setdefault("_keywords", []):
                raise PublisherError(f"a second {keyword} in one entry", f"{display}:{number}")
            entry["_keywords"].append(keyword)
            current = entry.setdefault(key, [])
            current.append(_string(match.group(3), display, number))
        elif stripped.startswith('"') or stripped.startswith('#~ "'):
            if current is None:
                raise PublisherError("a string outside any msgid/msgstr", f"{display}:{number}")
            current.append(_string(stripped[3:] if stripped.startswith("#~") else stripped, display, number))
        elif not stripped:
            finish()
            current = None
    finish()
    return "\n".join(lines), previous


def _string(token: str, display: str, number: int) -> str:
    token = token.strip()
    if not _STRING.match(token):
        raise PublisherError("unterminated or malformed string (a missing \" or a stray character?)", f"{display}:{number}")
    return unescape(token)


def _check_plural_header(text: str, display: str, locale: str) -> None:
    """Compare the declared Plural-Forms with the locale's before anything else trips on it."""
    expected = get_plural(locale)
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith('"Plural-Forms:'):
            found = re.search(r"nplurals\s*=\s*(\d+)", line)
            if not found or int(found.group(1)) != expected.num_plurals:
                raise PublisherError(
                    f"wrong Plural-Forms for {locale}: {line.strip()[15:-3].strip()!r}; expected {expected.plural_forms!r}",
                    f"{display}:{number}",
                )
            return


def _check_plurals(catalog: Catalog, text: str, display: str, locale: str) -> None:
    expected = get_plural(locale)
    for message in catalog:
        if message.id and message.pluralizable and any(message.string):
            strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
            if len(strings) < expected.num_plurals or any(not s for s in strings):
                line = line_of(message)
                raise PublisherError(
                    f"plural message {message.id[0]!r} needs {expected.num_plurals} forms for {locale}, has {sum(1 for s in strings if s)}",
                    f"{display}:{line}",
                )


def line_of(message) -> int:
    """The 1-based line of a message's msgid in its file (Babel counts from 0)."""
    return (message.lineno or 0) + 1


def dumps(catalog: Catalog) -> bytes:
    """The catalog as PO text: source order, Babel's wrapping, previous msgids as GNU writes them.

    Babel wraps a long previous msgid as plain comment text (invalid for
    msgfmt), so previous msgids are written here, after Babel's output.
    """
    buf = io.BytesIO()
    write_po(buf, catalog, width=WIDTH, sort_output=False, sort_by_file=False, include_previous=False)
    text = buf.getvalue().decode("utf-8")
    with_previous = [m for m in catalog if m.id and m.previous_id]
    if not with_previous:
        return text.encode("utf-8")
    blocks = text.split("\n\n")
    live = [m for m in catalog if m.id]
    # Babel writes the header block first, then one block per live message, in order.
    for index, message in enumerate(live, start=1):
        if not message.previous_id or index >= len(blocks):
            continue
        lines = blocks[index].split("\n")
        at = next(i for i, line in enumerate(lines) if line.startswith(("msgctxt ", "msgid ")))
        lines[at:at] = _previous_lines(message)
        blocks[index] = "\n".join(lines)
    return "\n\n".join(blocks).encode("utf-8")


def _previous_lines(message) -> list[str]:
    out: list[str] = []
    parts = [("msgctxt", message.previous_context)] if message.previous_context else []
    ids = list(message.previous_id)
    parts.append(("msgid", ids[0]))
    if len(ids) > 1:
        parts.append(("msgid_plural", ids[1]))
    for keyword, value in parts:
        for n, chunk in enumerate(normalize(value, width=WIDTH).split("\n")):
            out.append(f"#| {keyword} {chunk}" if n == 0 else f"#| {chunk}")
    return out


def save(catalog: Catalog, path: Path) -> bool:
    """Write atomically; return whether the bytes on disk changed."""
    data = dumps(catalog)
    path = Path(path)
    if path.exists() and path.read_bytes() == data:
        return False
    write_bytes(path, data)
    return True


def translations(catalog: Catalog, domain: str) -> Translations:
    """Compile in memory (fuzzy entries left out) for Jinja2's i18n extension."""
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(fp=buf, domain=domain)


def mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()
