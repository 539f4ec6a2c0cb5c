"""How fast is ``publisher update`` with translation memory on an archive of 50 issues, and how much does it fill?

A project is generated in a temporary folder: the real layout, locales and
layout catalogs, and 49 archived issues of about 80 messages each (the
series' recurring headings plus sentences of about 20 words), translated in
ps, fa_AF and ar. Issue 50 is new: a third of its messages are sentences of
earlier issues, a third are such sentences with a few words changed, a third
are new. ``store.update`` is timed over every locale (all 50 issues and the
layout merged, the new issue created and filled from memory); target: under 2 s.

Run: ``.venv/bin/python benchmarks/bench_tm.py``; or import and call ``run()``.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402

from benchmarks.bench_update import _edit, _fake_translation, _sentence  # noqa: E402
from publisher.catalogs import pofile, store  # noqa: E402
from publisher.config import load_project  # noqa: E402

ISSUES = 50
MESSAGES = 80
HEADINGS = ["Introduction", "Political Objectives", "Security Objectives", "Economic Objectives", "Conclusion", "Recommendations", "References"]
TARGET_S = 2.0


def _issue_texts(rng: random.Random, number: int, archive: list[str]) -> tuple[list[str], dict[str, str]]:
    """The texts of one issue; for the last one a third reused, a third edited, a third new ({text: kind})."""
    texts, kinds = list(HEADINGS), {h: "reused" for h in HEADINGS}
    while len(texts) < MESSAGES:
        if number == ISSUES and archive:
            kind = ("reused", "edited", "new")[len(texts) % 3]
            text = rng.choice(archive) if kind == "reused" else _edit(rng, rng.choice(archive), 2) if kind == "edited" else _sentence(rng, 20)
        else:
            kind, text = "new", _sentence(rng, 20 + rng.randint(-2, 2))
        if text not in kinds:
            texts.append(text)
            kinds[text] = kind
    return texts, kinds


def make_archive(folder: Path, seed: int = 50) -> dict[str, str]:
    """Write the project; return the new issue's {text: reused|edited|new}."""
    for name in ("layouts",):
        shutil.copytree(ROOT / name, folder / name)
    (folder / "locales").mkdir()
    shutil.copy(ROOT / "locales/locales.yaml", folder / "locales/locales.yaml")
    shutil.copy(ROOT / "locales/layout.pot", folder / "locales/layout.pot")
    project = load_project(folder)
    rng = random.Random(seed)
    archive: list[str] = []
    kinds: dict[str, str] = {}
    for number in range(1, ISSUES + 1):
        domain = f"weekly-analysis-{number:03d}"
        texts, kinds = _issue_texts(rng, number, archive)
        template = Catalog(domain=domain, project="bench", charset="utf-8", fuzzy=False)
        for line, text in enumerate(texts, 1):
            template.add(text, locations=[(f"issues/{number:03d}/issue.md", line)])
        store.pot_path(project, domain).write_bytes(pofile.dumps(template))
        for locale in project.locales.values():
            if number == ISSUES:
                continue
            path = store.po_path(project, locale.code, domain)
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = store.new_catalog(template, locale)
            if locale.code != project.source_locale:
                for message in catalog:
                    if message.id:
                        message.string = _fake_translation(message.id) if message.id not in HEADINGS else f"{locale.code}: {message.id}"
            path.write_bytes(pofile.dumps(catalog))
        archive += [t for t in texts if t not in HEADINGS]
    for locale in project.locales.values():
        shutil.copy(ROOT / f"locales/{locale.code}/LC_MESSAGES/layout.po", store.po_path(project, locale.code, "layout"))
    return kinds


def run() -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-tm-") as tmp:
        folder = Path(tmp)
        kinds = make_archive(folder)
        project = load_project(folder)
        started = time.perf_counter()
        outcomes = store.update(project, list(project.locales.values()))
        seconds = time.perf_counter() - started
        new = [o for o in outcomes if o.action == "created"]
        rows = {}
        for outcome in new:
            locale = outcome.path.parent.parent.name
            if locale == project.source_locale:
                continue
            f = outcome.filled
            total = f.exact + f.fuzzy + f.untranslated
            rows[locale] = {"messages": total, "translated": f.exact, "fuzzy": f.fuzzy, "left": f.untranslated, "share": (f.exact + f.fuzzy) / total}
        expected = {k: sum(1 for v in kinds.values() if v == k) for k in ("reused", "edited", "new")}
        again = time.perf_counter()
        second = store.update(project, list(project.locales.values()))
        noop_s = time.perf_counter() - again
    return {
        "issues": ISSUES,
        "catalogs": len(outcomes),
        "seconds": seconds,
        "noop_seconds": noop_s,
        "second_run_changed": sum(1 for o in second if o.action != "unchanged"),
        "expected": expected,
        "filled": rows,
    }


def main() -> int:
    r = run()
    print(f"update with translation memory: {r['issues']} issues, {r['catalogs']} catalogs: {r['seconds']:.2f} s (target < {TARGET_S:g} s); again (nothing to do): {r['noop_seconds']:.2f} s, {r['second_run_changed']} changed")
    e = r["expected"]
    print(f"new issue: {e['reused']} texts reused, {e['edited']} edited, {e['new']} new")
    for locale, row in r["filled"].items():
        print(f"  {locale}: {row['translated']} translated + {row['fuzzy']} fuzzy of {row['messages']} = {row['share']:.0%} pre-filled, {row['left']} left")
    ok = r["seconds"] < TARGET_S and r["second_run_changed"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
