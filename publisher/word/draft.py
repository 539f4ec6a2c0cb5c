"""Read a .docx: its HTML through mammoth, and an inventory of what mammoth cannot carry.

mammoth converts what it understands and drops the rest quietly (comments,
text boxes, deleted text of tracked changes, unknown styles become plain
paragraphs). python-docx walks the document body in order so that each of
those is reported with its paragraph number: nothing is dropped unlisted.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from publisher.errors import PublisherError

# Word styles → the constructs (mammoth style-map syntax).
STYLE_MAP = """
p[style-name='Title'] => h1.title:fresh
p[style-name='Subtitle'] => p.subtitle:fresh
p[style-name='Heading 1'] => h1:fresh
p[style-name='Heading 2'] => h2:fresh
p[style-name='Heading 3'] => h3:fresh
p[style-name='Heading 4'] => h4:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Block Text'] => blockquote > p:fresh
p[style-name='List Bullet'] => ul > li:fresh
p[style-name='List Bullet 2'] => ul|ol > li > ul > li:fresh
p[style-name='List Bullet 3'] => ul|ol > li > ul|ol > li > ul > li:fresh
p[style-name='List Number'] => ol > li:fresh
p[style-name='List Number 2'] => ul|ol > li > ol > li:fresh
p[style-name='List Number 3'] => ul|ol > li > ul|ol > li > ol > li:fresh
"""
# Styles that carry no structure of their own, or one mammoth maps by itself.
KNOWN_STYLES = {
    "Normal", "Body Text", "Body Text 2", "Body Text 3", "First Paragraph", "Compact", "No Spacing", "Default",
    "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4",
    "Quote", "Intense Quote", "Block Text", "List Paragraph",
    "List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2", "List Number 3",
    "List", "List 2", "List 3", "List Continue", "List Continue 2", "Footnote Text", "Caption",
}  # fmt: skip
# mammoth messages the inventory reports itself (with a paragraph number), or that lose nothing.
QUIET = ("Unrecognised paragraph style", "Unrecognised run style", "was referenced but not defined in the document")
KNOWN = {name.lower() for name in KNOWN_STYLES}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_BYTES = 50_000_000


@dataclass
class Draft:
    """What a .docx holds, as the importer needs it."""

    html: str
    paragraphs: list[str]  # plain text of each body paragraph, in order (1-based in reports)
    title: str = ""
    keywords: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)  # "paragraph 12: …" lines
    images: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, bytes)


def read_draft(path: Path, name: str) -> Draft:
    """Read ``path`` (``name`` in messages); a file that is not a Word document is one clear error."""
    if not path.is_file():
        raise PublisherError("no such Word document", name)
    if path.stat().st_size > MAX_BYTES:
        raise PublisherError(f"larger than {MAX_BYTES // 1_000_000} MB", name)
    if not zipfile.is_zipfile(path):
        raise PublisherError("not a Word document (.docx): it is not a zip package (a .doc? save it as .docx)", name)
    import docx
    import mammoth
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise PublisherError(f"not a readable Word document: {exc}", name) from None
    images: list[tuple[str, bytes]] = []
    pictures: list[str] = []  # what an editor must finish in the figures

    def keep_image(image) -> dict[str, str]:
        with image.open() as handle:
            data = handle.read()
        ext = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}.get(image.content_type, "")
        if not ext:  # GIF, BMP, TIFF…: a PNG the issue format takes (EMF and the like cannot be read: refused at the build)
            data, ext = _as_png(data)
        file = f"image-{len(images) + 1}.{ext}"
        images.append((file, data))
        if ext == "bin":
            pictures.append(f"document: {file} is in a format the issue cannot show (EMF, WMF…): saved beside the issue, not placed; export it as PNG or SVG")
        alt = " ".join((image.alt_text or "").split())
        if not alt:
            alt = f"Picture {len(images)}"
            pictures.append(f"document: {file} has no description (alt text) in Word: its figure says '{alt}'; write what it shows")
        return {"src": file, "alt": alt}

    with path.open("rb") as handle:
        result = mammoth.convert_to_html(handle, style_map=STYLE_MAP, convert_image=mammoth.images.img_element(keep_image))
    draft = Draft(html=result.value, paragraphs=[], images=images)
    props = document.core_properties
    draft.title = (props.title or "").strip()
    draft.keywords = [k.strip() for k in (props.keywords or "").replace(";", ",").split(",") if k.strip()]
    draft.unmapped = _inventory(document, draft.paragraphs) + pictures
    for message in result.messages:
        if any(known in message.message for known in QUIET):
            continue  # reported with its paragraph number by the inventory, or harmless
        draft.unmapped.append(f"document: {message.message}")
    return draft


def _inventory(document, texts: list[str]) -> list[str]:
    """Walk the body in order; report every paragraph whose content has no place in an issue."""
    found: list[str] = []
    number = 0
    for block in document.element.body.iterchildren():
        if block.tag == f"{W}tbl":
            number += 1
            texts.append("")
            continue
        if block.tag != f"{W}p":
            continue
        number += 1
        texts.append("".join(t.text or "" for t in block.iter(f"{W}t")))
        where = f"paragraph {number}"
        style = _style_name(document, block)
        if style and style.lower() not in KNOWN and not style.lower().startswith("heading "):
            found.append(f"{where}: unknown style '{style}': imported as a plain paragraph")
        if block.find(f".//{W}ins") is not None or block.find(f".//{W}del") is not None:
            found.append(f"{where}: tracked changes not accepted: insertions kept, deletions left out; accept or reject them in Word")
        if block.find(f".//{W}commentReference") is not None:
            found.append(f"{where}: a comment (not imported)")
        if block.find(f".//{W}txbxContent") is not None:
            found.append(f"{where}: a text box (its text is not imported)")
    return found


def _style_name(document, block) -> str:
    ppr = block.find(f"{W}pPr")
    style = ppr.find(f"{W}pStyle") if ppr is not None else None
    if style is None:
        return ""
    style_id = style.get(f"{W}val", "")
    try:
        return document.styles.element.get_by_id(style_id).name_val or style_id
    except AttributeError:
        return style_id


def _as_png(data: bytes) -> tuple[bytes, str]:
    """A picture Pillow reads, as PNG bytes; one it cannot is kept as it is ('bin')."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as picture:
            out = io.BytesIO()
            picture.save(out, "PNG")
            return out.getvalue(), "png"
    except (OSError, UnidentifiedImageError, ValueError):
        return data, "bin"
