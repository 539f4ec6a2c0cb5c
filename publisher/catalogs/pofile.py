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
from babel.messages.pofile import PoFileError, read_po, write_po
from babel.support import Translations

from publisher.errors import PublisherError
from publisher.fsutil import write_bytes

WIDTH = 76


def load(path: Path, display: str, locale: str | None = None, domain: str | None = None) -> Catalog:
    """Read a PO or POT file; any defect is one error naming file and line."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise PublisherError("no such catalog", display) from None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PublisherError("not valid UTF-8", f"{display}:{line}") from None
    _check_duplicates(raw.decode("utf-8"), display)
    try:
        catalog = read_po(io.BytesIO(raw), locale=locale, domain=domain, abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", 0)
        msg = str(exc).split(" on ")[0].split(":")[0] if str(exc) else "syntax error"
        raise PublisherError(f"PO syntax error: {msg}", f"{display}:{line}") from None
    except (ValueError, TypeError) as exc:
        raise PublisherError(f"PO syntax error: {exc}", display) from None
    if locale:
        _check_plurals(catalog, raw.decode("utf-8"), display, locale)
    return catalog


_ENTRY_KEY = re.compile(r'^(#~ )?(msgctxt|msgid) "(.*)"\s*$')


def _check_duplicates(text: str, display: str) -> None:
    """Babel merges duplicate msgids silently; GNU gettext refuses them, and so do we."""
    seen: dict[tuple[str, str, bool], int] = {}
    ctxt = ""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = _ENTRY_KEY.match(lines[i])
        if match and match.group(2) == "msgctxt":
            ctxt = match.group(3)
        elif match and match.group(2) == "msgid":
            start = i
            value = match.group(3)
            prefix = "#~ " if match.group(1) else ""
            while i + 1 < len(lines) and lines[i + 1].startswith(prefix + '"'):
                i += 1
                value += lines[i][len(prefix) :].strip()[1:-1]
            key = (ctxt, value, bool(prefix))
            if value and key in seen:
                raise PublisherError(f"duplicate msgid (first defined at line {seen[key]})", f"{display}:{start + 1}")
            seen[key] = start + 1
            ctxt = ""
        i += 1


def _check_plurals(catalog: Catalog, text: str, display: str, locale: str) -> None:
    expected = get_plural(locale)
    header = catalog.mime_headers
    declared = dict(header).get("Plural-Forms", "")
    found = re.search(r"nplurals\s*=\s*(\d+)", declared)
    header_line = next((n for n, line in enumerate(text.split("\n"), 1) if line.startswith('"Plural-Forms:')), 1)
    if not found or int(found.group(1)) != expected.num_plurals:
        raise PublisherError(
            f"wrong Plural-Forms for {locale}: {declared or 'none'!r}; expected {expected.plural_forms!r}",
            f"{display}:{header_line}",
        )
    for message in catalog:
        if message.id and message.pluralizable and any(message.string):
            strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
            if len(strings) < expected.num_plurals or any(not s for s in strings):
                line = message.lineno or 0
                raise PublisherError(
                    f"plural message {message.id[0]!r} needs {expected.num_plurals} forms for {locale}, has {sum(1 for s in strings if s)}",
                    f"{display}:{line}",
                )


def dumps(catalog: Catalog) -> bytes:
    """The catalog as PO text: source order, Babel's wrapping, previous msgids kept."""
    buf = io.BytesIO()
    write_po(buf, catalog, width=WIDTH, sort_output=False, sort_by_file=False, include_previous=True)
    return buf.getvalue()


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
