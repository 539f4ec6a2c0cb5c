"""How fast is ``publisher update``'s merge, next to GNU msgmerge and Babel's fuzzy ``Catalog.update``?

A synthetic Pashto catalog of 1,000 translated messages (sentences of about
20 words) is merged with a template in which 10 % of the messages had a few
words edited. Timed on the same files:

* ``publisher.catalogs.merge.merge`` (rapidfuzz matching), in memory, and with
  reading and writing the files (what ``update`` does);
* GNU ``msgmerge --previous`` (fuzzy matching on by default);
* Babel's ``Catalog.update`` with fuzzy matching on (difflib), in a child
  process stopped after 120 s.

The publisher's result is verified: 900 messages translated, 100 fuzzy with
their previous msgid and their old translation.

Run: ``.venv/bin/python benchmarks/bench_update.py``; or import and call ``run()``.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from publisher.catalogs import pofile  # noqa: E402
from publisher.catalogs.merge import merge  # noqa: E402

MESSAGES = 1000
CHANGED = 0.10
WORDS = 20
BABEL_TIMEOUT = 120.0
REPEAT = 3
LOCALE = "ps"
DOMAIN = "bench"
SOURCE = "issues/bench/issue.md"

_WORDS = """
afghanistan china russia emirate security economic political regional interests cooperation transit investment mining
sector government officials delegation visit ministers relations strategic alliance influence stability threat groups
policy border trade railway corridor neighbours partners dialogue agreement commitment pressure concerns opportunity
resources development infrastructure energy water agriculture exports imports market currency sanctions recognition
diplomacy embassy envoy council summit framework initiative project network connectivity route province capital
the a of in and to with for on by from between among across within toward against over under after before during
both each several many few most some every other another certain various major minor key central growing shared
has have had is are was were will would could should may might must can continues remains seeks aims plans hopes
expanded reduced increased strengthened weakened maintained protected supported opposed welcomed rejected signed
analysts observers experts leaders citizens traders farmers workers students families communities institutions
"""
_VOCABULARY = _WORDS.split()


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(_VOCABULARY) for _ in range(n)]
    return (" ".join(words)).capitalize() + "."


def _fake_translation(text: str) -> str:
    """A stand-in translation: the words reversed and marked, so it differs from the source."""
    return "ژ " + " ".join(reversed(text.rstrip(".").split())) + "."


def _edit(rng: random.Random, text: str, edits: int = 3) -> str:
    words = text.rstrip(".").split()
    for pos in rng.sample(range(1, len(words)), edits):
        choice = rng.choice(_VOCABULARY)
        while choice == words[pos]:
            choice = rng.choice(_VOCABULARY)
        words[pos] = choice
    return " ".join(words) + "."


def make_files(folder: Path, messages: int = MESSAGES, changed: float = CHANGED, seed: int = 455) -> tuple[Path, Path, dict[str, str]]:
    """Write ``old.po`` (translated) and ``new.pot`` (10 % edited); return the paths and {new text: old text}."""
    rng = random.Random(seed)
    sources: list[str] = []
    seen: set[str] = set()
    while len(sources) < messages:
        text = _sentence(rng, WORDS + rng.randint(-2, 2))
        if text not in seen:
            seen.add(text)
            sources.append(text)
    edited: dict[str, str] = {}
    for index in sorted(rng.sample(range(messages), int(messages * changed))):
        new = _edit(rng, sources[index])
        while new in seen:
            new = _edit(rng, sources[index])
        seen.add(new)
        edited[new] = sources[index]

    catalog = Catalog(locale=LOCALE, domain=DOMAIN, project="bench", charset="utf-8", fuzzy=False)
    template = Catalog(domain=DOMAIN, project="bench", charset="utf-8", fuzzy=False)
    new_of = {old: new for new, old in edited.items()}
    for line, text in enumerate(sources, 1):
        catalog.add(text, _fake_translation(text), locations=[(SOURCE, line)], auto_comments=["paragraph: Paragraph."])
        template.add(new_of.get(text, text), locations=[(SOURCE, line)], auto_comments=["paragraph: Paragraph."])

    po, pot = folder / "old.po", folder / "new.pot"
    for path, cat in ((po, catalog), (pot, template)):
        buf = io.BytesIO()
        write_po(buf, cat, width=76)
        path.write_bytes(buf.getvalue())
    return po, pot, edited


def _read(path: Path, locale: str | None = LOCALE) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=locale)


def _counts(catalog: Catalog) -> dict[str, int]:
    live = [m for m in catalog if m.id]
    return {
        "translated": sum(1 for m in live if m.string and not m.fuzzy),
        "fuzzy": sum(1 for m in live if m.string and m.fuzzy),
        "untranslated": sum(1 for m in live if not m.string),
        "obsolete": len(catalog.obsolete),
    }


def verify(merged: Catalog, edited: dict[str, str], messages: int = MESSAGES) -> dict:
    """The merge kept every translation: the edited ones fuzzy with their previous msgid."""
    counts = _counts(merged)
    problems = []
    expected_fuzzy = len(edited)
    if counts["translated"] != messages - expected_fuzzy:
        problems.append(f"{counts['translated']} translated, expected {messages - expected_fuzzy}")
    if counts["fuzzy"] != expected_fuzzy:
        problems.append(f"{counts['fuzzy']} fuzzy, expected {expected_fuzzy}")
    wrong_previous = wrong_string = 0
    for new, old in edited.items():
        message = merged.get(new)
        if message is None or not message.fuzzy:
            continue
        if list(message.previous_id or []) != [old]:
            wrong_previous += 1
        if message.string != _fake_translation(old):
            wrong_string += 1
    if wrong_previous:
        problems.append(f"{wrong_previous} fuzzy messages without their previous msgid")
    if wrong_string:
        problems.append(f"{wrong_string} fuzzy messages with another message's translation")
    return {**counts, "with_previous_msgid": expected_fuzzy - wrong_previous, "ok": not problems, "problems": problems}


_PREVIOUS_LINE = re.compile(r'#\|\s+(?:msgid\s+)?"((?:[^"\\]|\\.)*)"')


def verify_written(data: bytes, edited: dict[str, str], folder: Path) -> dict:
    """The written PO: every previous msgid is valid PO syntax and names the old text; GNU msgfmt accepts the file."""
    lines = data.decode("utf-8").split("\n")
    previous: list[str] = []
    malformed = 0
    for i, line in enumerate(lines):
        if not line.startswith("#| msgid"):
            continue
        parts, valid, j = [], True, i
        while j < len(lines) and lines[j].startswith("#|"):
            match = _PREVIOUS_LINE.fullmatch(lines[j])
            if match is None:
                valid = False
                break
            parts.append(match.group(1).replace('\\"', '"').replace("\\\\", "\\"))
            j += 1
        if valid:
            previous.append("".join(parts))
        else:
            malformed += 1
    problems = []
    if malformed:
        problems.append(f"{malformed} '#| msgid' comments are not valid PO syntax")
    right = sum(1 for text in previous if text in edited.values())
    if right != len(edited):
        problems.append(f"{right} of {len(edited)} previous msgids read back from the file")
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        path = folder / "written.po"
        path.write_bytes(data)
        check = subprocess.run([msgfmt, "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
        if check.returncode != 0:
            first = check.stderr.strip().splitlines()[0] if check.stderr.strip() else "failed"
            problems.append(f"msgfmt --check rejects the written file ({first.replace(str(path), path.name)})")
    return {"ok": not problems, "problems": problems}


def _median_time(fn, repeat: int = REPEAT) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _time_publisher(po: Path, pot: Path, out: Path) -> tuple[float, float, Catalog]:
    catalog, template = _read(po), _read(pot, None)
    merge_s, merged = _median_time(lambda: merge(catalog, template))

    def full() -> None:  # what 'publisher update' does for one file
        cat = pofile.load(po, po.name, locale=LOCALE, domain=DOMAIN)
        tpl = pofile.load(pot, pot.name, domain=DOMAIN)
        out.write_bytes(pofile.dumps(merge(cat, tpl)))

    full_s, _ = _median_time(full)
    return merge_s, full_s, merged


def _time_msgmerge(po: Path, pot: Path, out: Path) -> tuple[float | None, dict | None]:
    msgmerge = shutil.which("msgmerge")
    if msgmerge is None:
        return None, None
    cmd = [msgmerge, "--quiet", "--previous", f"--lang={LOCALE}", "-o", str(out), str(po), str(pot)]
    seconds, _ = _median_time(lambda: subprocess.run(cmd, check=True, capture_output=True))
    return seconds, _counts(_read(out))


def _babel_child(po: str, pot: str) -> None:
    """In a child process: time Babel's own fuzzy update, print JSON."""
    catalog, template = _read(Path(po)), _read(Path(pot), None)
    started = time.perf_counter()
    catalog.update(template, no_fuzzy_matching=False)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, **_counts(catalog)}))


def _time_babel(po: Path, pot: Path, timeout: float = BABEL_TIMEOUT) -> tuple[float | None, dict | None]:
    try:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--babel-child", str(po), str(pot)], capture_output=True, text=True, timeout=timeout, check=True
        )
    except subprocess.TimeoutExpired:
        return None, None
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return data.pop("seconds"), data


def run(messages: int = MESSAGES, changed: float = CHANGED, babel_timeout: float = BABEL_TIMEOUT) -> dict:
    """Generate the files, time the three merges, verify the publisher's; return the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-update-") as tmp:
        folder = Path(tmp)
        po, pot, edited = make_files(folder, messages, changed)
        merge_s, full_s, merged = _time_publisher(po, pot, folder / "publisher.po")
        msgmerge_s, msgmerge_counts = _time_msgmerge(po, pot, folder / "msgmerge.po")
        babel_s, babel_counts = _time_babel(po, pot, babel_timeout)
        verification = verify(merged, edited, messages)
        written = verify_written(pofile.dumps(merged), edited, folder)

    def ratio(seconds: float | None) -> float | None:
        return round(seconds / merge_s, 1) if seconds is not None and merge_s else None

    return {
        "messages": messages,
        "changed": len(edited),
        "words_per_message": WORDS,
        "publisher_merge_s": merge_s,
        "publisher_update_s": full_s,
        "msgmerge_s": msgmerge_s,
        "babel_update_s": babel_s,
        "babel_timeout_s": babel_timeout,
        "ratio_msgmerge": ratio(msgmerge_s),
        "ratio_babel": ratio(babel_s),
        "ratio_publisher_update": ratio(full_s),
        "msgmerge_counts": msgmerge_counts,
        "babel_counts": babel_counts,
        "verification": verification,
        "written_file": written,
    }


def _fmt(seconds: float | None, timeout: float | None = None, missing: str = "n/a") -> str:
    if seconds is None:
        return f">{timeout:g} s" if timeout is not None else missing
    return f"{seconds:.3f} s"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--babel-child"]:
        _babel_child(argv[1], argv[2])
        return 0
    r = run()
    v = r["verification"]
    rows = [
        ("merge", "seconds", "× publisher merge", "translated", "fuzzy"),
        ("publisher merge (in memory)", _fmt(r["publisher_merge_s"]), "1.0", str(v["translated"]), str(v["fuzzy"])),
        ("publisher read+merge+write", _fmt(r["publisher_update_s"]), f"{r['ratio_publisher_update']}", "", ""),
        (
            "GNU msgmerge --previous",
            _fmt(r["msgmerge_s"], missing="not installed"),
            f"{r['ratio_msgmerge']}" if r["ratio_msgmerge"] is not None else "—",
            str((r["msgmerge_counts"] or {}).get("translated", "—")),
            str((r["msgmerge_counts"] or {}).get("fuzzy", "—")),
        ),
        (
            "Babel Catalog.update (fuzzy)",
            _fmt(r["babel_update_s"], timeout=r["babel_timeout_s"]),
            f"{r['ratio_babel']}" if r["ratio_babel"] is not None else f">{r['babel_timeout_s'] / r['publisher_merge_s']:.0f}",
            str((r["babel_counts"] or {}).get("translated", "—")),
            str((r["babel_counts"] or {}).get("fuzzy", "—")),
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print(f"{r['messages']} messages of ~{r['words_per_message']} words, {r['changed']} edited")
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    status = "ok" if v["ok"] else "FAILED: " + "; ".join(v["problems"])
    print(f"verification: {v['translated']} translated, {v['fuzzy']} fuzzy, {v['with_previous_msgid']} with previous msgid — {status}")
    w = r["written_file"]
    print("written PO file: " + ("ok" if w["ok"] else "PROBLEMS: " + "; ".join(w["problems"])))
    return 0 if v["ok"] and w["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
