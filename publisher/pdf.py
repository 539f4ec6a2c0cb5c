"""HTML to PDF with WeasyPrint, through the one door to the outside world.

The URL fetcher serves only files under the allowed folders (the layout, the
issue, the font packages) and ``data:`` URIs; anything else — ``http(s)``,
a ``file:`` path elsewhere — stops the build with an error naming it. Output
is reproducible: a fixed PDF identifier derived from the inputs, dates taken
from the issue.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import os
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from publisher import linebreaks
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
class Rendered:
    pdf: bytes
    pages: int


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


def render(html: str, base_url: str, allowed: list[Path], variant: str, identifier: bytes, when: int, tagged: bool = False) -> Rendered:
    """Lay out and write the PDF; WeasyPrint is imported only here (a no-op build never loads it).

    ``when`` (seconds since 1970) is the only date written: fontTools stamps
    each font subset with ``SOURCE_DATE_EPOCH`` or, without it, the clock, so
    it is set to the issue's date while rendering.
    """
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fetcher = make_fetcher(allowed)
    options = {
        "pdf_identifier": identifier,
        "pdf_variant": None if variant == "none" else variant,
        "pdf_tags": tagged or variant.startswith(("pdf/ua", "pdf/a-1a", "pdf/a-2a", "pdf/a-3a")),
        "custom_metadata": False,
    }
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(when)
    try:
        source = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        document = linebreaks.settle(source.etree_element, lambda: source.render(**options))
        pages = len(document.pages)
        repair_rtl_leaders(document)
        pdf = document.write_pdf(finisher=viewer_preferences, **options)
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise PublisherError(str(cause).strip('"')) from None
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return Rendered(pdf=pdf, pages=pages)
