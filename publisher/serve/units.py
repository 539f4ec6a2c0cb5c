"""What the preview's message panel shows for a clicked block: its msgid, PO entry, status and check findings.

Pure: everything comes from an edition already rendered (its source units and
the catalogs as written), so a click costs no build.
"""

from __future__ import annotations

from babel.messages.catalog import Catalog

from publisher.catalogs.checks import check_catalog
from publisher.catalogs.pofile import line_of
from publisher.edition import Rendered


def status_of(message, is_source: bool, translatable: bool) -> str:
    """translated, fuzzy, untranslated, or source (the edition's own language, or figures only)."""
    if is_source or not translatable:
        return "source"
    if message is None or not message.string:
        return "untranslated"
    return "fuzzy" if message.fuzzy else "translated"


def unit_table(rendered: Rendered, source_locale: str) -> dict[str, dict]:
    """Unit id → its message's facts, for every unit of the issue (JSON-ready)."""
    domain = rendered.source.domain
    catalog: Catalog | None = rendered.catalogs.get(domain)
    code = rendered.edition.code
    is_source = code == source_locale
    po = rendered.names[domain]
    findings = check_catalog(catalog, po, code) if catalog is not None and not is_source else []
    by_line: dict[int, list[str]] = {}
    for finding in findings:
        by_line.setdefault(finding.line, []).append(f"{finding.severity}: {finding.check}: {finding.message}")
    table = {}
    for unit in rendered.source.units():
        message = catalog.get(unit.source) if catalog is not None and unit.translatable else None
        status = status_of(message, is_source, unit.translatable)
        line = line_of(message) if message is not None else 0
        table[unit.id] = {
            "msgid": unit.source,
            "kind": unit.kind,
            "source": str(unit.where),
            "po": f"{po}:{line}" if line else (po if unit.translatable and not is_source else ""),
            "status": status,
            "shown_in_english": status in ("fuzzy", "untranslated"),
            "findings": by_line.get(line, []) if line else [],
        }
    return table
