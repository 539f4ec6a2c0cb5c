"""XLIFF 1.2 export and import of a locale's catalogs, for CAT tools (Trados, memoQ, OmegaT).

The PO files stay the truth: export writes everything a translator needs to see
(translator and extractor notes, msgctxt, locations, the previous msgid of a
fuzzy message, plural forms) through translate-toolkit's PO-flavoured XLIFF
(:mod:`translate.storage.poxliff`, the layout ``po2xliff`` writes); import takes
back only what a translator changes (the translation, its review state and the
translator's notes) and merges it by (msgctxt, msgid) into the catalog read
from disk, so an unchanged round trip rewrites nothing.

Review state: a PO *fuzzy* message is ``approved="no"`` with
``state="needs-review-translation"``; a translated one ``approved="yes"``,
``state="translated"``. On import ``approved="no"`` or any ``needs-*``/``new``
state makes a message fuzzy again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from lxml import etree

from publisher.errors import PublisherError

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
ID_PREFIX = "m"
TRANSLATOR, DEVELOPER = "translator", "developer"
FUZZY_STATES = {"new", "needs-translation", "needs-adaptation", "needs-l10n", "needs-review-translation", "needs-review-adaptation", "needs-review-l10n"}
DONE_STATES = {"translated", "signed-off", "final"}
MAX_BYTES = 64 * 1024 * 1024


def lang_tag(locale: str) -> str:
    """A gettext locale as an XLIFF/BCP 47 language tag (``fa_AF`` → ``fa-AF``)."""
    return locale.replace("_", "-")


def unit_id(context: str | None, msgid: str) -> str:
    """A stable, XML-safe id for a message (msgctxt and msgid), the same on every export."""
    digest = hashlib.sha1(f"{context or ''}\x04{msgid}".encode()).hexdigest()[:16]
    return f"{ID_PREFIX}{digest}"


def _first(msgid: str | tuple | list) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _strings(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string or ""]


def dumps(catalogs: list[tuple[str, Catalog]], source_locale: str, locale: str) -> bytes:
    """One XLIFF 1.2 document with a ``<file>`` per catalog (``original``: the PO path shown to the user)."""
    from translate.misc.multistring import multistring
    from translate.storage.poxliff import PoXliffFile

    store = PoXliffFile(sourcelanguage=lang_tag(source_locale), targetlanguage=lang_tag(locale))
    nplurals = get_plural(locale).num_plurals
    for display, catalog in catalogs:
        store.switchfile(display, createifmissing=True)
        filenode = store.getfilenode(display)
        filenode.set("target-language", lang_tag(locale))
        filenode.set("datatype", "po")
        for message in catalog:
            if not message.id:
                continue
            ids = list(message.id) if message.pluralizable else [message.id]
            source = multistring([ids[0]] + [ids[1]] * (nplurals - 1)) if message.pluralizable else ids[0]
            unit = store.addsourceunit(source, display, True)
            unit.setid(unit_id(message.context, ids[0]))
            strings = _strings(message)
            if any(strings):
                unit.target = multistring(strings) if message.pluralizable else strings[0]
            _set_state(unit, message)
            if message.context is not None:
                unit.createcontextgroup("po-entry", [("x-po-msgctxt", message.context)], purpose="information")
            for filename, line in message.locations:
                contexts = [("sourcefile", filename)] + ([("linenumber", str(line))] if line else [])
                unit.createcontextgroup("po-reference", contexts, purpose="location")
            if message.auto_comments:
                unit.addnote("\n".join(message.auto_comments), origin=DEVELOPER)
            if message.user_comments:
                unit.addnote("\n".join(message.user_comments), origin=TRANSLATOR)
            if message.previous_id:
                previous = list(message.previous_id)
                if message.pluralizable and unit.hasplural():
                    for n, child in enumerate(unit.units):
                        child.addalttrans(strings[n] if n < len(strings) else "", origin="previous", sourcetxt=previous[min(n, len(previous) - 1)], context=getattr(message, "previous_context", None))
                else:
                    unit.addalttrans(strings[0], origin="previous", sourcetxt=previous[0], context=getattr(message, "previous_context", None))
    return _as_12(bytes(store))


def _as_12(data: bytes) -> bytes:
    """Declare XLIFF 1.2: translate-toolkit's units are built in 1.1's namespace, and every element used here means the same in 1.2."""
    head, sep, rest = data.partition(b">\n")  # the XML declaration
    root, sep2, body = rest.partition(b">")
    root = root.replace(b"document:1.1", b"document:1.2").replace(b'version="1.1"', b'version="1.2"')
    return head + sep + root + sep2 + body


def _set_state(unit, message: Message) -> None:  # noqa: ANN001 - a PoXliffUnit
    children = unit.units if unit.hasplural() else [unit]
    translated = any(_strings(message))
    for element in [unit.xmlelement] + [child.xmlelement for child in children if child is not unit]:
        element.set("approved", "yes" if translated and not message.fuzzy else "no")
    for child in children:
        target = child.xmlelement.find(child.namespaced("target"))
        if target is not None:
            target.set("state", "needs-review-translation" if message.fuzzy else "translated")


@dataclass
class Incoming:
    """One unit of an XLIFF file as a translator left it."""

    context: str | None
    msgid: str
    strings: list[str]
    fuzzy: bool
    notes: list[str] | None  # translator notes; None: the file has none for it (keep the PO's)
    line: int
    id: str = ""  # as exported (unit_id): finds the message when a tool dropped the msgctxt


@dataclass
class FileUnits:
    original: str
    line: int
    units: list[Incoming] = field(default_factory=list)


def parse(data: bytes, display: str, locale: str) -> list[FileUnits]:
    """Read an XLIFF 1.x file meant for ``locale``; a malformed file or another language is one error with its line."""
    if len(data) > MAX_BYTES:
        raise PublisherError(f"XLIFF file larger than {MAX_BYTES // (1024 * 1024)} MiB", display)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise PublisherError(f"not well-formed XML: {exc.msg.split(', line')[0]}", f"{display}:{line}") from None
    if root.getroottree().docinfo.doctype or root.getroottree().docinfo.internalDTD is not None:
        raise PublisherError("a DOCTYPE in an XLIFF file is refused (entities could read other files)", f"{display}:1")
    if etree.QName(root).localname != "xliff":
        raise PublisherError(f"not an XLIFF file (root element <{etree.QName(root).localname}>)", f"{display}:{root.sourceline or 1}")
    version = root.get("version", "")
    if version.startswith("2"):
        raise PublisherError(f"XLIFF {version} is not supported; export XLIFF 1.2", f"{display}:{root.sourceline or 1}")
    ns = etree.QName(root).namespace
    q = (lambda name: f"{{{ns}}}{name}") if ns else (lambda name: name)
    files = []
    for filenode in root.iter(q("file")):
        where = f"{display}:{filenode.sourceline or 1}"
        target_lang = filenode.get("target-language")
        if not target_lang:
            raise PublisherError("<file> has no target-language", where)
        if target_lang.replace("-", "_").lower() != locale.lower():
            raise PublisherError(f"this file is for target language '{target_lang}', not '{lang_tag(locale)}'", where)
        original = filenode.get("original")
        if not original:
            raise PublisherError("<file> has no original (the catalog it was exported from)", where)
        found = FileUnits(original, filenode.sourceline or 1)
        for node in filenode.iter(q("trans-unit"), q("group")):
            if node.tag == q("group") and node.get("restype") != "x-gettext-plurals":
                continue
            if node.tag == q("trans-unit") and node.getparent().get("restype") == "x-gettext-plurals":
                continue  # a plural form: read with its group
            found.units.append(_incoming(node, q, display))
        files.append(found)
    if not files:
        raise PublisherError("no <file> element: nothing to import", f"{display}:{root.sourceline or 1}")
    return files


def _text(node: etree._Element | None) -> str:
    return "".join(node.itertext()) if node is not None else ""


def _incoming(node: etree._Element, q, display: str) -> Incoming:  # noqa: ANN001 - the namespacing function
    where = f"{display}:{node.sourceline or 1}"
    forms = [node] if node.tag == q("trans-unit") else [child for child in node if child.tag == q("trans-unit")]
    if not forms:
        raise PublisherError("a plural group without trans-units", where)
    sources, strings, states = [], [], []
    for form in forms:
        source = form.find(q("source"))
        if source is None:
            raise PublisherError("a trans-unit without <source>", f"{display}:{form.sourceline or 1}")
        target = form.find(q("target"))
        sources.append(_text(source))
        strings.append(_text(target))
        states.append(target.get("state") if target is not None else None)
    context = None
    for ctx in node.iter(q("context")):
        if ctx.get("context-type") == "x-po-msgctxt" and ctx.getparent().getparent() is node:
            context = _text(ctx)
            break
    # A tool that copies the source into an untranslated unit's target marks it as not translated yet.
    strings = ["" if state in ("new", "needs-translation") and text == src else text for text, src, state in zip(strings, sources, states, strict=True)]
    approved = node.get("approved")
    fuzzy = approved == "no" or any(s in FUZZY_STATES for s in states if s)
    if approved is None and not any(s in DONE_STATES for s in states if s):
        fuzzy = True  # neither approved nor a finished state: not reviewed
    notes = [_text(n) for n in node if n.tag == q("note") and n.get("from") in (TRANSLATOR, "po-translator")]
    notes_lines = "\n".join(notes).split("\n") if notes else None
    return Incoming(context, sources[0], strings, fuzzy and any(strings), notes_lines, node.sourceline or 1, node.get("id") or "")


@dataclass
class Applied:
    changed: int = 0
    unchanged: int = 0
    unknown: list[Incoming] = field(default_factory=list)


def apply(catalog: Catalog, units: list[Incoming], nplurals: int, display: str) -> Applied:
    """Merge the units into ``catalog`` by (msgctxt, msgid) in place; count what changed.

    A plural message given some of its forms but not all is refused (the PO
    would not load again), at the unit's line in ``display``.
    """
    done = Applied()
    by_id = {unit_id(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}
    for unit in units:
        message = catalog.get(unit.msgid, unit.context)
        if message is None and unit.id in by_id and _first(by_id[unit.id].id) == unit.msgid:
            message = by_id[unit.id]
        if message is None or not message.id:
            done.unknown.append(unit)
            continue
        if message.pluralizable:
            forms = (unit.strings + [""] * nplurals)[:nplurals]
            if any(forms) and not all(forms):
                raise PublisherError(f"plural message {unit.msgid!r} needs {nplurals} forms, has {sum(1 for f in forms if f)}", f"{display}:{unit.line}")
        before = (_strings(message), message.fuzzy, list(message.user_comments), message.previous_id)
        if message.pluralizable:
            strings = (unit.strings + [""] * nplurals)[:nplurals]
            message.string = tuple(strings)
        else:
            message.string = unit.strings[0]
        translated = any(_strings(message))
        if unit.fuzzy and translated:
            message.flags.add("fuzzy")
        else:
            message.flags.discard("fuzzy")
            if translated:
                message.previous_id = []  # reviewed: the old source no longer matters (as Poedit does)
                message.previous_context = None
        if unit.notes is not None:
            message.user_comments = [n for n in unit.notes]
        after = (_strings(message), message.fuzzy, list(message.user_comments), message.previous_id)
        if after != before:
            done.changed += 1
        else:
            done.unchanged += 1
    return done


def po_domain(original: str, locale: str) -> str | None:
    """The domain of an exported PO path (``locales/<locale>/LC_MESSAGES/<domain>.po``), or None when it is not one."""
    path = Path(original)
    if path.suffix != ".po" or path.parent.name != "LC_MESSAGES" or path.parent.parent.name != locale:
        return None
    return path.stem
