"""Reading and writing PO/POT files deterministically, with errors that name lines.

Babel's ``read_po`` reads, :mod:`gnu_wrap` lays out as GNU does; this module adds what a
translator's tool can get wrong (a wrong ``Plural-Forms``, a missing plural
form, a duplicate msgid) as :class:`PublisherError` with file and line.
"""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po, unescape
from babel.support import Translations

from publisher import limits
from publisher.catalogs import gnu_wrap
from publisher.errors import PublisherError
from publisher.fsutil import read_regular, write_bytes


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
    text, previous, starts = _scan(text, display)
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
    for message in catalog:
        mid = message.id if isinstance(message.id, str) else message.id[0]
        start = starts.get((message.context or "", mid, False))
        if start:
            message.lineno = start - 1  # Babel counts from 0; line_of adds 1
    for (ctxt, mid), (prev_ctxt, prev_ids) in previous.items():
        message = catalog.get(mid, ctxt or None)
        if message is not None:
            message.previous_id = prev_ids
            message.previous_context = prev_ctxt or None
    if locale:
        _check_plurals(catalog, text, display, locale)
    _remember_headers(catalog, text)
    return catalog


_KEYWORD = re.compile(r'^(#~ ?)?(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*)$')
_PREVIOUS = re.compile(r'^#\|\s*(msgctxt|msgid_plural|msgid)?\s*(".*)$')
_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"$')


def _scan(text: str, display: str) -> tuple[str, dict[tuple[str, str], tuple[str, list[str]]], dict[tuple[str, str, bool], int]]:
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
    return "\n".join(lines), previous, seen


def _string(token: str, display: str, number: int) -> str:
    token = token.strip()
    if not _STRING.match(token):
        raise PublisherError("unterminated or malformed string (a missing \" or a stray character?)", f"{display}:{number}")
    return unescape(token)


def _check_plural_header(text: str, display: str, locale: str) -> None:
    """Compare the declared Plural-Forms with the locale's, and parse its rule, before anything else trips on it."""
    expected = get_plural(locale)
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if line.startswith('"Plural-Forms:'):
            declared = _header_value(lines, number - 1).partition(":")[2].strip()
            found = re.search(r"nplurals\s*=\s*(\d+)", declared)
            if not found or int(found.group(1)) != expected.num_plurals:
                raise PublisherError(f"wrong Plural-Forms for {locale}: {declared!r}; expected {expected.plural_forms!r}", f"{display}:{number}")
            rule = re.search(r"plural\s*=\s*([^;]*)", declared)
            try:
                gettext.c2py(rule.group(1) if rule else "")
            except (ValueError, RecursionError):
                raise PublisherError(f"Plural-Forms: {declared!r} is not a valid plural expression; expected {expected.plural_forms!r}", f"{display}:{number}") from None
            return


def _header_value(lines: list[str], first: int) -> str:
    """One header field, which a PO editor may wrap over several string lines, up to its ``\\n``."""
    value = ""
    for line in lines[first:]:
        if not _STRING.match(line.strip()):
            break
        value += unescape(line.strip())
        if value.endswith("\n"):
            break
    return value.strip()


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
    """The catalog as PO text laid out exactly as GNU gettext writes it (see :mod:`gnu_wrap`).

    Source order; previous msgids (``#|``) and obsolete entries (``#~``) as
    GNU writes them; header fields Babel does not know (``X-Generator``,
    ``X-Poedit-*``) kept in their place.
    """
    out: list[str] = [line.rstrip() for line in catalog.header_comment.splitlines()] if catalog.header_comment else []
    header = "".join(f"{name}: {value}\n" for name, value in header_fields(catalog))
    if catalog.fuzzy:
        out.append("#, fuzzy")
    out += gnu_wrap.wrap("msgid", "") + gnu_wrap.wrap("msgstr", header)
    for message in catalog:
        if message.id:
            out += [""] + _entry(message)
    for message in catalog.obsolete.values():
        out += [""] + _entry(message, obsolete=True)
    return ("\n".join(out) + "\n").encode("utf-8")


def _entry(message, obsolete: bool = False) -> list[str]:
    lines = gnu_wrap.comment_lines("#", list(message.user_comments)) + gnu_wrap.comment_lines("#.", list(message.auto_comments))
    if not obsolete:
        lines += gnu_wrap.references([(f, n) for f, n in message.locations])
    flags = (["fuzzy"] if message.fuzzy else []) + sorted(f for f in message.flags if f != "fuzzy")
    if flags:
        lines.append("#, " + ", ".join(flags))
    formatted = any(f.endswith("-format") and not f.startswith("no-") for f in message.flags)
    prefix = "#~ " if obsolete else ""
    if message.previous_id and not obsolete:
        ids = list(message.previous_id)
        if message.previous_context:
            lines += gnu_wrap.wrap("msgctxt", message.previous_context, "#| ")
        lines += gnu_wrap.wrap("msgid", ids[0], "#| ", formatted)
        if len(ids) > 1:
            lines += gnu_wrap.wrap("msgid_plural", ids[1], "#| ", formatted)
    if message.context is not None:
        lines += gnu_wrap.wrap("msgctxt", message.context, prefix)
    if message.pluralizable:
        msgid, plural = message.id[0], message.id[1]
        lines += gnu_wrap.wrap("msgid", msgid, prefix, formatted) + gnu_wrap.wrap("msgid_plural", plural, prefix, formatted)
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        for n, text in enumerate(strings):
            lines += gnu_wrap.wrap(f"msgstr[{n}]", text or "", prefix, formatted)
    else:
        lines += gnu_wrap.wrap("msgid", message.id, prefix, formatted) + gnu_wrap.wrap("msgstr", message.string or "", prefix, formatted)
    return lines


RAW_HEADER = "publisher_raw_header"  # attribute on a read Catalog (copied along by deepcopy in merges)


def header_fields(catalog: Catalog) -> list[tuple[str, str]]:
    """Babel's header fields, in the order and with the extra fields of the file read (if any)."""
    computed = [(name, value.rstrip("\n")) for name, value in catalog.mime_headers]
    raw = getattr(catalog, RAW_HEADER, None)
    if not raw:
        return computed
    known = {name.lower(): (name, value) for name, value in computed}
    fields = [known.pop(name.lower(), (name, value)) for name, value in raw]
    return fields + list(known.values())


def _remember_headers(catalog: Catalog, text: str) -> None:
    """Keep the header fields as written (Babel keeps only those it knows)."""
    match = re.search(r'^msgid ""\nmsgstr ""\n((?:".*"\n?)*)', text, re.M)
    if not match:
        return
    value = "".join(unescape(line) for line in match.group(1).splitlines() if line.startswith('"'))
    fields = [tuple(part.strip() for part in line.split(":", 1)) for line in value.split("\n") if ":" in line]
    setattr(catalog, RAW_HEADER, fields)


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
