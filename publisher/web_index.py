"""The web edition's archive: one index page per language listing every issue built into the folder.

Run after ``publisher build --format html``. The list is read from the
edition pages in the output folder (their ``<title>`` and description, as
built), so issues built on other days stay listed; the page itself is the
layout's ``archive.html`` template, in the language's own words (layout.po).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from babel.support import NullTranslations

from publisher.catalogs import pofile, store
from publisher.catalogs.checks import usable_layout
from publisher.catalogs.extract import LAYOUT_DOMAIN
from publisher.config import LocaleInfo, Project
from publisher.fonts import stacks
from publisher.layout import Layout
from publisher.preview import write_preview

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
NAME = re.compile(r"^(?P<series>.+)-(?P<number>\d+)-(?P<locale>[A-Za-z_]+)\.html$")


@dataclass(frozen=True)
class Entry:
    number: int
    href: str
    pdf: str
    title: str
    description: str


def index_name(code: str) -> str:
    return f"index-{code}.html"


def entries(out: Path, code: str) -> list[Entry]:
    """The editions of ``code`` in ``out``, newest issue first."""
    found = []
    for path in out.glob(f"*-{code}.html"):
        match = NAME.match(path.name)
        if not match or match["locale"] != code:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")[:20000]
        title, description = TITLE.search(text), DESCRIPTION.search(text)
        found.append(Entry(
            int(match["number"]), path.name, f"{path.stem}.pdf",
            html.unescape(title[1]).strip() if title else path.stem,
            html.unescape(description[1]) if description else "",
        ))
    return sorted(found, key=lambda e: -e.number)


def write_indexes(project: Project, out: Path, locales: list[LocaleInfo], layout: Layout) -> list[Path]:
    """Write ``index-<locale>.html`` for each locale with editions in ``out``; return the pages written."""
    from publisher.html import environment, font_context

    written = []
    alternates = [{"lang": loc.bcp47, "dir": loc.direction, "name": loc.babel.get_display_name(loc.code) or loc.name, "href": index_name(loc.code)} for loc in project.locales.values()]
    for locale in locales:
        listed = entries(out, locale.code)
        if not listed:
            continue
        catalog, _ = usable_layout(store.load_catalog(project, locale.code, LAYOUT_DOMAIN), LAYOUT_DOMAIN, locale.code)
        translations = pofile.translations(catalog, LAYOUT_DOMAIN) if catalog is not None else NullTranslations()
        faces = stacks(layout, layout.for_locale(locale.code).script)
        page = environment(layout, translations).get_template("archive.html").render(
            lang=locale.bcp47, dir=locale.direction, text=layout.series["text"], colours=layout.settings["colours"], entries=listed,
            alternates=[a | {"current": a["href"] == index_name(locale.code)} for a in alternates],
            fonts=font_context(faces),
        )
        path = out / index_name(locale.code)
        write_preview(page, path, [f.path for f in faces.faces])
        written.append(path)
    return written
