"""HTML to PDF with WeasyPrint, through the one door to the outside world.

The URL fetcher serves only files under the allowed folders (the layout, the
issue, the font packages, the print file's CMYK profile) and ``data:`` URIs; anything else — ``http(s)``,
a ``file:`` path elsewhere — stops the build with an error naming it. Output
is reproducible: a fixed PDF identifier derived from the inputs, dates taken
from the issue.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import logging
import mimetypes
import os
import re
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from publisher import copyfit, feathering, letterspacing, linebreaks, linefit, typesetting
from publisher.errors import PublisherError
from publisher.pdf_structure import repair_rtl_leaders, viewer_preferences

# What WeasyPrint 70 offers (weasyprint.pdf.VARIANTS, less "debug"), listed here so
# that checking --pdf-variant does not load WeasyPrint; "none" is plain PDF.
VARIANTS = (
    "pdf/a-3b", "pdf/a-1a", "pdf/a-1b", "pdf/a-2a", "pdf/a-2b", "pdf/a-2u", "pdf/a-3a", "pdf/a-3u",
    "pdf/a-4e", "pdf/a-4f", "pdf/a-4u", "pdf/ua-1", "pdf/ua-2", "pdf/x-1a", "pdf/x-3", "pdf/x-4", "pdf/x-5g", "none",
)  # fmt: skip


class ForbiddenURL(BaseException):
    """Raised inside WeasyPrint; BaseException so it is never swallowed as a warning."""


@dataclass(frozen=True)
class Target:
    """One PDF file made from the edition's one layout.

    ``print``: the page bleed is kept (TrimBox and BleedBox inside a larger
    MediaBox), the layout's CMYK profile is the output intent, links are
    dropped, and blank pages go before the last page (the back cover) up to
    ``page_multiple``.
    ``screen``: the pages are trimmed to the page box and the file is tagged.
    """

    name: str
    variant: str
    tagged: bool = False
    page_multiple: int = 1
    marks: str = ""
    bleed: float = 0.0  # points between TrimBox and BleedBox (the sheet is larger with crop marks)
    identifier: bytes = b""  # the PDF's /ID, from the file's inputs
    inks: tuple[tuple[str, tuple[float, ...]], ...] = ()  # sRGB colours printed as these C M Y K values (layout.yaml: print.inks)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    queries: tuple[str, ...] = ()  # lines set too open for the layout's limits (publisher/typesetting.py)


def make_fetcher(allowed: list[Path]):
    """A WeasyPrint URL fetcher confined to ``allowed`` folders and ``data:`` URIs."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    roots = [Path(p).resolve() for p in allowed]

    class Confined(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=True)

        def fetch(self, url: str, headers=None):  # noqa: ANN001 - WeasyPrint's signature
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                header, _, payload = url[5:].partition(",")
                data = base64.b64decode(payload) if header.endswith(";base64") else urllib.parse.unquote_to_bytes(payload)
                return URLFetcherResponse(url, data, {"Content-Type": header.split(";")[0] or "text/plain"})
            if scheme == "file":
                path = Path(urllib.parse.unquote(urllib.parse.urlsplit(url).path)).resolve()
                if any(path == root or root in path.parents for root in roots) and path.is_file():
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
            raise FatalURLFetchingError(f"refused to fetch {url} (only the layout's, the issue's and the fonts' files may be used)")

    return Confined()


def render(html: str, base_url: str, allowed: list[Path], targets: list[Target], when: int) -> dict[str, Rendered]:
    """Lay the edition out once and write one PDF per target; WeasyPrint is imported only here.

    Both files come from the same layout (the bleed changes no line): the
    screen file shows each page's trim box only. ``when`` (seconds since 1970)
    is the only date written: fontTools stamps each font subset with
    ``SOURCE_DATE_EPOCH`` or, without it, the clock, so it is set to the
    issue's date while rendering.
    """
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fetcher = make_fetcher(allowed)
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(when)
    try:
        multiple = max((target.page_multiple for target in targets if target.name == "print"), default=1)
        document = _laid_out(partial(weasyprint.HTML, string=html, base_url=base_url, url_fetcher=fetcher), multiple)
        repair_rtl_leaders(document)
        letterspacing.flush(document)
        queries = tuple(typesetting.queries(document))
        return {target.name: replace(_write(document, target), queries=queries) for target in targets}
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise PublisherError(str(cause).strip('"')) from None
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _laid_out(parse: Callable[[], Any], multiple: int = 1) -> Any:
    """The edition's pages as they are printed: copyfitted, hyphenation limits kept, short pages tightened, and the pages vertically justified.

    ``parse`` gives a new weasyprint HTML of the edition. A copyfit step is
    chosen on first layouts (one each, before the passes that keep the
    limits) and set from the HTML as it came. The layout's notes page is
    taken out first, and put back as many times as a booklet of
    ``multiple`` pages needs (:func:`_with_notes`).
    """
    taken: dict[int, tuple[Any, Any, int] | None] = {}

    def parsed() -> Any:  # every source set, copyfit's included, is set without the notes page
        made = parse()
        taken[id(made)] = _take_notes(made.etree_element)
        return made

    source = parsed()
    root = source.etree_element  # its <meta> settings are those of every setting
    source, first = copyfit.fitted(source, source.render(), copyfit.settings(root), parsed)
    notes = taken[id(source)]
    limits = linebreaks.rules(root)
    plans = linefit.Plans()
    document = _replanned(root, source, first, plans, limits, share=True)
    if document is first:  # nothing planned: the limits are kept on the first layout as it is
        document = linebreaks.settle(root, source.render, first)
    for _ in range(2):  # paragraphs set to their best breaks, checked on the new layout, then the hyphenation limits again; once more for those given back
        replanned = _replanned(root, source, document, plans, limits)
        if replanned is document:
            break
        document = replanned
    tracked = linebreaks.track(root, source.render, document)
    if tracked is not document:  # a new layout: its hyphenated lines are checked again
        document = linebreaks.settle(root, source.render, tracked, plans.release, plans.planned)
    limit = feathering.limits(root)
    tightened = feathering.tighten(document, source.render, limit)
    if tightened is not document:  # a new layout: its hyphenated lines are checked again
        document = linebreaks.settle(root, source.render, tightened, plans.release, plans.planned)
    document = _replanned(root, source, document, plans, limits)
    feathering.justify(document, limit)
    return _with_notes(source, document, notes, multiple, limit)


def _replanned(root: Any, source: Any, document: Any, plans: linefit.Plans, limits: linebreaks.Rules, share: bool = False) -> Any:
    """The layout with its loose paragraphs not yet planned set to their best breaks, checked, and the hyphenation limits kept; as it was when none is.

    Run after the first layouts, and once more after the last passes: a
    hyphen taken away late (over the share, on a page's last line) can open a
    paragraph's line after the paragraph breaker last looked at it. With
    ``share`` (the first time), the paragraphs with hyphens are planned too,
    to keep the hyphenation share over the whole issue.
    """
    planned = len(plans.saved)
    allowed = int(limits.share * linebreaks.counted(document)[0]) if share and limits.share else None
    linefit.plan(root, document, limits.zone, bool(limits.capitalized), plans, allowed)
    if len(plans.saved) == planned:
        return document
    document = source.render()
    if plans.check(document):
        document = source.render()
    return linebreaks.settle(root, source.render, document, plans.release, plans.planned)


def _take_notes(root: Any) -> tuple[Any, Any, int] | None:
    """Take the layout's notes page (``<section class="notes">``) out of the document; (it, its parent, its place there), or None."""
    for parent in root.iter():
        children = list(parent)
        found = [child for child in children if child.tag == "section" and "notes" in (child.get("class") or "").split()]
        if found:
            place = children.index(found[0])
            for element in found:
                parent.remove(element)
            return found[0], parent, place
    return None


def _with_notes(source: Any, document: Any, notes: tuple[Any, Any, int] | None, multiple: int, limit: feathering.Limits) -> Any:
    """The document with the notes page repeated where it stood (before the back cover) until the pages are a multiple of ``multiple``; as it was when none is needed.

    The pages before them are laid out as before (the same tree up to there)
    and vertically justified again.
    """
    missing = -len(document.pages) % multiple
    if notes is None or not missing:
        return document
    model, parent, place = notes
    for _ in range(missing):
        parent.insert(place, copy.deepcopy(model))
    document = source.render()
    feathering.justify(document, limit)
    return document


def _notes_page(page: Any) -> bool:
    """Whether a laid-out page is a notes page (the print file's only)."""
    return getattr(page._page_box.page_type, "name", None) == "notes"


@dataclass(frozen=True)
class LaidOut:
    """Where things landed in an edition laid out as it is built: for a review proof."""

    units: dict[str, list[int]]  # data-unit id → the pages (from 1) it is on
    texts: list[str]  # the text of each page, line by line
    pages: int


def laid_out(html: str, base_url: str, allowed: list[Path]) -> LaidOut:
    """Lay out an edition rendered with unit ids as :func:`render` does, and read each unit's pages and each page's text."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = _laid_out(partial(weasyprint.HTML, string=html, base_url=base_url, url_fetcher=make_fetcher(allowed)))
    found: dict[str, list[int]] = {}
    texts = []
    for number, page in enumerate(document.pages, 1):
        text = []
        for box in page._page_box.descendants(placeholders=True):  # absolutely positioned boxes too (cover, back page)
            element = getattr(box, "element", None)
            unit = element.get("data-unit") if element is not None else None
            if unit and number not in found.setdefault(unit, []):
                found[unit].append(number)
            if type(box).__name__ == "LineBox":  # a line's runs as set, lines apart
                text.append("".join(run.text for run in box.descendants(placeholders=True) if type(run).__name__ == "TextBox"))
        texts.append(" ".join(text))
    return LaidOut(found, texts, len(document.pages))


def _write(document, target: Target) -> Rendered:  # noqa: ANN001 - a weasyprint Document
    """The target's PDF from the shared layout: a new Document over the same pages (fonts are subset anew)."""
    variant = None if target.variant == "none" else target.variant
    if target.name == "print":
        pages = _padded([_unlinked(page) for page in document.pages], target.page_multiple, target.marks)
        profiles = dict(document.color_profiles)
        if "device-cmyk" not in profiles and variant and variant.startswith("pdf/x"):
            raise PublisherError("the print file has no CMYK output profile (the layout's @color-profile device-cmyk was not loaded)")
        profiles["DefaultRGB"] = _srgb()  # the layout's RGB colours are sRGB, said so in every page's resources
        intent = "device-cmyk"
    else:
        pages = [_trimmed(page) for page in document.pages if not _notes_page(page)]
        profiles, intent = {}, None
    made = type(document)(pages, document.metadata, document.url_fetcher, document.font_config, profiles, intent)
    options = {
        "pdf_identifier": target.identifier,
        "pdf_variant": variant,
        "pdf_tags": target.tagged or bool(variant and variant.startswith(("pdf/ua", "pdf/a-1a", "pdf/a-2a", "pdf/a-3a"))),
        "custom_metadata": False,
    }
    with _inked(target.inks):
        pdf = made.write_pdf(finisher=partial(_finish, target), **options)
    return Rendered(pdf=pdf, pages=len(pages))


@contextlib.contextmanager
def _inked(inks: tuple[tuple[str, tuple[float, ...]], ...]) -> Iterator[None]:
    """While the print file is drawn, the layout's colours named in ``print.inks`` are written in the press's inks.

    A page is laid out once for both files, so its colours are the layout's
    sRGB ones; converted through the output profile, near-black text would
    print in four inks (about C73 M67 Y68 K88). Text set in black ink only,
    and the brand colours in agreed builds, are what a printer expects.
    WeasyPrint chooses a colour's operator when it draws it: that one step
    is wrapped, for this file only. Solid black (K100 only) overprints, as
    printers expect: small black type on a tint does not knock it out, so it
    cannot show a white edge when the plates are slightly off register. The
    overprint state is written with each colour it goes with, so a restored
    graphics state restores both.
    """
    if not inks:
        yield
        return
    import pydyf
    from tinycss2.color5 import parse_color
    from weasyprint.pdf.stream import Stream

    table = {rgb: parse_color("device-cmyk({})".format(" ".join(f"{v:g}" for v in cmyk))) for rgb, cmyk in inks}
    drawn = Stream.set_color
    overprint = {  # ExtGState name → (fill or stroke overprint key, on)
        "OPf1": ("op", True), "OPf0": ("op", False), "OPs1": ("OP", True), "OPs0": ("OP", False),
    }  # fmt: skip

    def set_color(self, color, stroke=False):  # noqa: ANN001, ANN202 - WeasyPrint's signature
        if color.space == "srgb":
            *channels, alpha = color
            key = "#" + "".join(f"{round(channel * 255):02x}" for channel in channels)
            if key in table:
                ink = table[key]
                color = parse_color("device-cmyk({} / {:g})".format(" ".join(f"{v:g}" for v in ink.coordinates), alpha)) if alpha < 1 else ink
        before = self._current_color_stroke if stroke else self._current_color
        result = drawn(self, color, stroke)
        after = self._current_color_stroke if stroke else self._current_color
        if after != before:  # a colour was written: its overprint goes with it
            black = color.space == "device-cmyk" and tuple(color.coordinates) == (0, 0, 0, 1) and color.alpha == 1
            name = f"OP{'s' if stroke else 'f'}{int(black)}"
            if name not in self._resources["ExtGState"]:
                key, on = overprint[name]
                self._resources["ExtGState"][name] = pydyf.Dictionary({"Type": "/ExtGState", key: "true" if on else "false", "OPM": 1})
            pydyf.Stream.set_state(self, name)
        return result

    Stream.set_color = set_color
    try:
        yield
    finally:
        Stream.set_color = drawn


def _finish(target: Target, document, pdf) -> None:  # noqa: ANN001 - WeasyPrint's finisher signature
    """Last touches to the PDF objects before they are written.

    PDF/X-4 XMP carries a random ``xmpMM:DocumentID``: it is derived from the
    inputs so that the file is reproducible. WeasyPrint puts the BleedBox at
    most 10 pt outside the TrimBox, inside the MediaBox: it is set to the real
    bleed, so the sheet may be larger (room for crop marks) and a bleed over
    10 pt is right.
    """
    import pydyf

    viewer_preferences(document, pdf)
    fixed = b"xmp.did:" + str(uuid.UUID(bytes=hashlib.sha256(target.identifier).digest()[:16])).encode()
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary | pydyf.Stream):
            continue
        if isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata":
            obj.stream = [re.sub(rb"xmp\.did:[0-9a-f-]{36}", fixed, bytes(part)) for part in obj.stream]
        elif isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page" and target.bleed and "TrimBox" in obj:
            (left, bottom, right, top), media, b = obj["TrimBox"], obj["MediaBox"], target.bleed
            obj["BleedBox"] = pydyf.Array([max(media[0], left - b), max(media[1], bottom - b), min(media[2], right + b), min(media[3], top + b)])
            if "ArtBox" in obj:  # WeasyPrint sets it to the MediaBox, sheet and marks included: the page's art is the trimmed page
                obj["ArtBox"] = obj["TrimBox"]


def _srgb():  # noqa: ANN202 - a weasyprint ColorProfile
    """WeasyPrint's own sRGB profile, as the print file's DefaultRGB (device RGB read as sRGB, not as the press's)."""
    from importlib.resources import files

    from weasyprint.css import ColorProfile

    with (files("weasyprint.pdf") / "sRGB2014.icc").open("rb") as icc:
        return ColorProfile(icc, "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"]))


def _unlinked(page):  # noqa: ANN001, ANN202 - a weasyprint Page
    """The page without link annotations: paper has no links, and PDF/X wants no annotations on the page."""
    unlinked = copy.copy(page)
    unlinked.links = []
    return unlinked


def _trimmed(page):  # noqa: ANN001, ANN202 - a weasyprint Page
    """The page without its bleed: the MediaBox is the page box (what bleeds is drawn outside it)."""
    trimmed = copy.copy(page)
    trimmed.bleed = dict.fromkeys(page.bleed, 0)
    return trimmed


def _padded(pages: list, multiple: int, marks: str) -> list:
    """Blank pages before the last page (the back cover) until the count is a multiple of ``multiple``."""
    missing = -len(pages) % multiple
    if not missing or len(pages) < 2:
        return list(pages)
    blank = _blank(pages[-1], marks)
    return [*pages[:-1], *(copy.copy(blank) for _ in range(missing)), pages[-1]]


def _blank(page, marks: str):  # noqa: ANN001, ANN202 - a weasyprint Page
    """A blank page of ``page``'s size and bleed (crop marks too, if asked): no text, links or bookmarks."""
    import weasyprint

    bleed = page.bleed
    css = f"@page {{ size: {page.width}px {page.height}px; margin: 0; bleed: {bleed['top']}px;{f' marks: {marks};' if marks else ''} }}"
    [blank] = weasyprint.HTML(string=f"<!doctype html><style>{css}</style>").render().pages
    return blank
