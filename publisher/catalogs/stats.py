"""Translation progress: messages and words per locale and domain."""

from __future__ import annotations

from babel.messages.catalog import Catalog

from publisher.catalogs import store
from publisher.config import LocaleInfo, Project


def _words(message) -> int:
    mid = message.id if isinstance(message.id, str) else message.id[0]
    return len(mid.split())


def counts(catalog: Catalog | None, template: Catalog) -> dict[str, int]:
    """Translated, fuzzy and untranslated messages and source words."""
    out = {"translated": 0, "fuzzy": 0, "untranslated": 0, "translated_words": 0, "fuzzy_words": 0, "untranslated_words": 0}
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context) if catalog is not None else None
        strings = found.string if found is not None and isinstance(found.string, (list, tuple)) else [found.string if found is not None else ""]
        if found is not None and all(strings) and not found.fuzzy:
            state = "translated"
        elif found is not None and found.fuzzy and any(strings):
            state = "fuzzy"
        else:
            state = "untranslated"
        out[state] += 1
        out[f"{state}_words"] += _words(message)
    return out


def status_rows(project: Project, locales: list[LocaleInfo], domains: list[str] | None) -> list[dict]:
    rows = []
    for domain in domains or store.domains(project):
        template = store.load_template(project, domain)
        for locale in locales:
            catalog = store.load_catalog(project, locale.code, domain)
            row = {"locale": locale.code, "domain": domain, **counts(catalog, template)}
            total = row["translated"] + row["fuzzy"] + row["untranslated"]
            row["total"] = total
            row["percent"] = round(100.0 * row["translated"] / total, 1) if total else 100.0
            row["source"] = locale.code == project.source_locale
            row["exists"] = catalog is not None
            if row["source"]:  # the source language is complete by definition: its msgstrs stay empty
                words = row["translated_words"] + row["fuzzy_words"] + row["untranslated_words"]
                row.update(translated=total, fuzzy=0, untranslated=0, translated_words=words, fuzzy_words=0, untranslated_words=0, percent=100.0)
            rows.append(row)
    return rows


def status_table(rows: list[dict]) -> str:
    """A table a person reads at a glance."""
    head = ("locale", "domain", "translated", "fuzzy", "untransl.", "words left", "done")
    lines = [head]
    for r in rows:
        if r["source"]:
            lines.append((r["locale"], r["domain"], "source", "", "", "", "—"))
            continue
        bar = "█" * int(r["percent"] // 10) + "░" * (10 - int(r["percent"] // 10))
        lines.append((
            r["locale"], r["domain"], f"{r['translated']}/{r['total']}", str(r["fuzzy"]), str(r["untranslated"]),
            str(r["fuzzy_words"] + r["untranslated_words"]), f"{bar} {r['percent']:5.1f}%" + ("" if r["exists"] else " (no catalog)"),
        ))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)
