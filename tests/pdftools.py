"""Reading built PDFs in tests: poppler's words with their boxes, fonts, the layout's data."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import pypdf
import yaml
from conftest import ROOT

STYLE_WORDS = {
    "thin", "extra", "ultra", "light", "regular", "medium", "semi", "demi", "bold",
    "black", "heavy", "italic", "oblique", "condensed", "semibold", "extrabold", "extralight",
}  # fmt: skip


@cache
def layout_settings() -> dict:
    """layout.yaml and series.yaml of the Weekly Analysis layout, merged."""
    folder = ROOT / "layouts" / "weekly-analysis"
    data: dict = {}
    for name in ("layout.yaml", "series.yaml"):
        path = folder / name
        if path.exists():
            data.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return data


@cache
def bbox_pages(path: Path) -> tuple[tuple[float, float, tuple[dict, ...]], ...]:
    """(width, height, words) of every page, from ``pdftotext -bbox-layout``; boxes in points, origin top left."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    ns = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for page in ET.fromstring(out).iter(f"{ns}page"):
        found = []
        for line_no, line in enumerate(page.iter(f"{ns}line")):
            for w in line.iter(f"{ns}word"):
                box = {k: float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")}
                found.append({**box, "text": w.text or "", "line": line_no, "x": (box["xMin"] + box["xMax"]) / 2})
        pages.append((float(page.get("width")), float(page.get("height")), tuple(found)))
    return tuple(pages)


def family_of(pdffonts_name: str) -> str:
    """``ABCDEF+Noto-Sans-Semi-Bold`` → ``Noto Sans``: the subset tag and style words dropped."""
    name = pdffonts_name.split("+", 1)[-1]
    parts = [p for p in re.split(r"[-_ ,]+", name) if p]
    while parts and parts[-1].lower() in STYLE_WORDS:
        parts.pop()
    return " ".join(parts)


def pdffonts(path: Path) -> list[dict]:
    """pdffonts' table: name, emb, sub, uni of every font."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    type_col, emb_col = out[0].index("type"), out[0].index("emb")
    rows = []
    for line in out[2:]:
        if line.strip():
            emb, sub, uni = line[emb_col:].split()[:3]
            rows.append({"name": line[:type_col].strip(), "emb": emb, "sub": sub, "uni": uni})
    return rows


def contents_numbers_of(page_words) -> list[tuple[str, float]]:
    """(printed page number, x centre) of each contents line with a dotted leader, top to bottom."""
    by_line: dict[int, list[dict]] = {}
    for w in page_words:
        by_line.setdefault(w["line"], []).append(w)
    found = []
    for line in by_line.values():
        if sum(w["text"].strip(".") == "" for w in line) < 3 and not any("...." in w["text"] for w in line):
            continue
        for w in line:
            digits = w["text"].strip(".\u2026 ")
            if digits and all(ch.isdecimal() for ch in digits):
                found.append((line[0]["yMin"], digits, w["x"]))
    return [(digits, x) for _, digits, x in sorted(found)]


HYPHENS = ("\u2010", "-", "\u00ad")  # WeasyPrint's hyphenate-character, a hard hyphen, a soft one


def text_lines(path: Path, margin: float = 20 * 72 / 25.4) -> list[dict]:
    """Every line of text inside the page margins (running heads and folios left out), in reading order.

    Each line: ``page`` (1-based), ``words`` (texts), ``last_on_page`` (the page's last line).
    """
    found: list[dict] = []
    for number, (_, height, page_words) in enumerate(bbox_pages(path), 1):
        lines: dict[int, list[str]] = {}
        for w in page_words:
            if w["yMin"] >= margin and w["yMax"] <= height - margin:
                lines.setdefault(w["line"], []).append(w["text"])
        page_lines = [{"page": number, "words": ws, "last_on_page": False} for ws in lines.values()]
        if page_lines:
            page_lines[-1]["last_on_page"] = True
        found += page_lines
    return found


def hyphenated(line: dict) -> bool:
    """A line that ends inside a word: its last word ends with a hyphen and has a letter before it."""
    last = line["words"][-1] if line["words"] else ""
    return last.endswith(HYPHENS) and len(last) > 1 and last[-2].isalpha()


def hard_hyphens(source: str) -> set[str]:
    """The source's hyphenated words ("Tajikistan-Afghanistan", "non-Western"), lower case: a line may break after their hyphen."""
    return {word.lower() for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)+", source)}


def discretionary(line: dict, after: dict | None, hard: set[str]) -> bool:
    """A line that ends in a hyphen the layout added: a U+2010, or a hyphen-minus (the face's own hyphen) splitting a word the source writes whole."""
    if not hyphenated(line):
        return False
    last = line["words"][-1]
    if last.endswith("\u2010"):
        return True
    following = after["words"][0] if after and after["words"] else ""
    joined = re.sub(r"^[^\w]+|[^\w]+$", "", re.split("[\u2014\u2013/]", last)[-1][:-1] + "-" + following)
    return not any(word.startswith(joined.lower()) or joined.lower() in word for word in hard)


def hyphen_runs(lines: list[dict]) -> list[int]:
    """The lengths of the runs of consecutive hyphenated lines."""
    runs, current = [], 0
    for line in lines:
        if hyphenated(line):
            current += 1
        elif current:
            runs.append(current)
            current = 0
    return runs + ([current] if current else [])


def outline_items(reader: pypdf.PdfReader) -> list[tuple[int, str]]:
    """(depth, title) of every bookmark, in order."""
    items: list[tuple[int, str]] = []

    def walk(nodes, depth):
        for node in nodes:
            if isinstance(node, list):
                walk(node, depth + 1)
            else:
                items.append((depth, str(node.title)))

    walk(reader.outline, 0)
    return items
