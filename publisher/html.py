"""The edition as HTML: the layout's Jinja2 templates, with gettext for its strings.

Autoescape is on, so a translator's text is always data. The layout's own
strings go through Jinja2's i18n extension with ``babel.support.Translations``
(newstyle gettext: ``%(name)s`` placeholders, escaped values). Nothing here
knows Markdown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape
from markupsafe import Markup, escape

from publisher import __version__
from publisher.errors import PublisherError
from publisher.fonts import Stacks, covered, tabular
from publisher.layout import Layout, points
from publisher.locale_rules import nobreak
from publisher.locale_rules.hyphenation import limits_from, soft_hyphens
from publisher.localize import Edition
from publisher.model import Text, plain_text


@dataclass(frozen=True)
class FaceView:
    family: str
    url: str
    weight: str
    style: str


# A token longer than any line: it may break anywhere (CSS overflow-wrap), which is
# set on such runs only, since WeasyPrint then also breaks at soft hyphens without
# drawing the hyphen ("sta / bility").
UNBREAKABLE = re.compile(r"[^\s\u00ad]{40}")


def css_family(stack: tuple[str, ...]) -> str:
    """A CSS font-family list, every name quoted (no generic: never a system font)."""
    return ", ".join('"' + name.replace("\\", "").replace('"', "") + '"' for name in stack)


def css_string(value: str) -> str:
    """A value safe inside a CSS double-quoted string."""
    out = []
    for ch in str(value):
        if ch in '"\\<>' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return "".join(out)


def environment(layout: Layout, translations: Translations | NullTranslations) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(layout.templates)),
        autoescape=select_autoescape(enabled_extensions=("html",), disabled_extensions=("css",), default_for_string=True, default=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    # Jinja2 treats what gettext returns as trusted markup; a translator's text
    # is data, so it is escaped before Jinja2 formats it (values are escaped too).
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: escape(translations.gettext(s)),
        ngettext=lambda s, p, n: escape(translations.ngettext(s, p, n)),
        pgettext=lambda c, s: escape(translations.pgettext(c, s)),
        npgettext=lambda c, s, p, n: escape(translations.npgettext(c, s, p, n)),
        newstyle=True,
    )
    env.filters["css_string"] = css_string
    env.tests["unbreakable"] = lambda text: UNBREAKABLE.search(str(text)) is not None
    env.filters["url_parts"] = lambda text: re.findall(r"[^/]*/+|[^/]+", str(text))  # an address in pieces ending at slashes
    env.filters["signs"] = _signs
    env.filters["unbound"] = lambda text: str(text).replace("\u00a0", " ").replace("\u202f", " ")  # no-break spaces, for metadata
    return env


def render(
    edition: Edition,
    layout: Layout,
    stacks: Stacks,
    translations: Translations | NullTranslations,
    created: dt.date,
    options: Any = None,
    unit_ids: bool = False,
    preview: bool = False,
    web: dict[str, Any] | None = None,
) -> str:
    """Render the edition's HTML, stylesheet inlined.

    ``unit_ids`` marks each unit's element ``data-unit`` (a review proof finds
    its pages); ``preview`` does too and adds what ``publisher serve`` shows;
    ``web`` (the web edition's links: other languages, PDF, archive index)
    adds its navigation and ``hreflang`` alternates. A PDF gets none.
    """
    env = environment(layout, translations)
    env.globals["unit_ids"] = unit_ids
    env.globals["preview"] = preview
    env.globals["web"] = web
    hyphenation = limits_from(layout.settings.get("hyphenation"), f"layouts/{layout.name}/layout.yaml")
    enabled = edition.settings.hyphenate
    env.filters["hyphenate"] = lambda text: soft_hyphens(str(text), edition.lang, hyphenation) if enabled else text
    env.filters["bound"] = partial(_bound, rules=nobreak.rules_for(layout.settings, edition.code))
    env.globals["shown_in"] = _shown_in(edition, translations)
    series = layout.series
    fonts = font_context(stacks)
    context: dict[str, Any] = {
        "edition": edition,
        "text": series["text"],
        "contact": {k: str(v) for k, v in (series.get("contact") or {}).items()},
        "version": __version__,
        "created": created.isoformat(),
        "title_text": plain_text(edition.issue.title.inlines),
        "byline": _names(edition),
        "hyphenation": hyphenation if enabled else None,
        "vertical_justify": layout.settings.get("vertical_justify") if not web else None,
        "copyfit": {**layout.settings["copyfit"], "multiple": layout.print.page_multiple} if layout.settings.get("copyfit") and not web else None,
        "fill": layout.print.fill if not web else "blank",  # a PDF edition carries the layout's notes page (the print file repeats it)
    }
    try:
        css = env.get_template("style.css").render(
            edition=edition,
            page=layout.settings,
            fonts=fonts,
            print=print_settings(layout, options),
            contact={k: css_string(v) for k, v in context["contact"].items()},
        )
        return env.get_template("edition.html").render(css=css, **context)
    except TemplateError as exc:
        raise PublisherError(f"layout template error: {exc}", _template_location(exc, layout)) from None


def _names(edition: Edition) -> str:
    """The authors as the edition's language lists names ("A, B and C"; CLDR's list patterns)."""
    from babel import UnknownLocaleError
    from babel.lists import format_list

    try:
        return format_list(list(edition.authors), locale=edition.code)
    except (UnknownLocaleError, ValueError):
        return ", ".join(edition.authors)


def font_context(stacks: Stacks) -> dict[str, Any]:
    """The edition's faces (as ``file://`` URLs) and CSS font-family lists, each stack followed by every other face."""
    return {
        "faces": [FaceView(f.family, f.path.resolve().as_uri(), f.weight, f.style) for f in stacks.faces],
        "body": css_family(stacks.body + _others(stacks, stacks.body)),
        "heading": css_family(stacks.heading + _others(stacks, stacks.heading)),
        "latin_body": css_family(stacks.latin_body + _others(stacks, stacks.latin_body)),
        "latin_heading": css_family(stacks.latin_heading + _others(stacks, stacks.latin_heading)),
        "hyphen": "\u2010" if ord("\u2010") in covered(stacks.body[:1], stacks.faces) else "-",
        # The face a sign in a column of figures is set in: one whose plus and minus are alike wide, so the units line up.
        "signs": css_family(stacks.body + _others(stacks, stacks.body) if tabular(stacks.body, stacks.faces, "+\u2212") else stacks.heading + _others(stacks, stacks.heading)),
    }


SIGN = re.compile(r"(?<![\w\u2212+])([+\u2212])(?=[\u200e\u200f\u061c]?\d)")


MARK_DIRECTION = {"\u200e": "ltr", "\u200f": "rtl", "\u061c": "rtl"}  # the bidi mark CLDR puts before a locale's sign


def _signs(html: str) -> Markup:
    """A cell's rendered figures with each number's sign in ``<span class="sign">``.

    The figure is isolated in the direction its sign's bidi mark gives it
    (Dari "+۱۸٪" runs left to right, Arabic "٪١٨+" right to left): WeasyPrint
    orders the boxes of a line by their own levels, and the sign's box alone
    would otherwise take the paragraph's.
    """
    text = str(html)
    found = SIGN.search(text)
    if found is None:
        return Markup(text)
    direction = MARK_DIRECTION.get(text[found.start() - 1] if found.start() else "")
    signed = SIGN.sub(r'<span class="sign">\1</span>', text)
    return Markup(f'<span dir="{direction}">{signed}</span>' if direction else signed)


def _shown_in(edition: Edition, translations: Translations | NullTranslations) -> Any:
    """``shown_in(msgid)``: the (lang, dir) a layout string is shown in when the catalog lacks it, else None."""
    def shown_in(msgid: str, plural: str | None = None) -> tuple[str, str] | None:
        if edition.lang == edition.source_lang:
            return None
        if plural is None:
            translated = translations.gettext(msgid) != msgid
        else:  # a plural message is missing when both English forms come back
            translated = (translations.ngettext(msgid, plural, 1), translations.ngettext(msgid, plural, 2)) != (msgid, plural)
        return None if translated else (edition.source_lang, edition.source_dir)

    return shown_in


def print_settings(layout: Layout, options: Any) -> dict[str, str]:
    """What the stylesheet's print rules need: bleed, marks, and the CMYK profile when a print file is made."""
    profile = layout.print.profile
    wanted = getattr(options, "target", "both") in ("print", "both") and getattr(options, "fmt", "pdf") == "pdf"
    marks = getattr(options, "marks", "") or ""
    bleed = getattr(options, "bleed", "") or layout.print.bleed
    # WeasyPrint draws crop marks in the CSS bleed: widened by the marks' area, they stay outside the real bleed.
    sheet = f"{points(bleed) + points(layout.print.marks_area):.6f}pt" if marks else bleed
    return {
        "bleed": sheet,
        "marks": marks,
        "profile": profile.resolve().as_uri() if wanted and profile is not None else "",
    }


def _others(stacks: Stacks, first: tuple[str, ...]) -> tuple[str, ...]:
    """Every other family of the edition, so the stack covers all it is checked against."""
    rest = []
    for face in stacks.faces:
        if face.family not in first and face.family not in rest:
            rest.append(face.family)
    return tuple(rest)


def _template_location(exc: BaseException, layout: Layout) -> str:
    """The template file and line an error arose in (Jinja2 maps its frames to template lines)."""
    name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(str(layout.templates)):
            name, line = filename, tb.tb_lineno
        tb = tb.tb_next
    base = f"layouts/{layout.name}/templates/"
    return f"{base}{Path(str(name)).name}:{line}" if name and line else base


def _bound(text: Any, rules: nobreak.Rules) -> Any:
    """A layout text (the series' about paragraphs) with the edition's no-break spaces, as the issue's own text has them."""
    [run] = nobreak.bind_paragraph_end((Text(nobreak.bind(str(text), rules)),), rules)
    return Markup(run.text) if isinstance(text, Markup) else run.text
