"""Benchmarks of the toolkit, measured in one run and printed as ratios.

    python benchmarks/bench.py            # everything (the archive takes minutes)
    python benchmarks/bench.py --quick    # a smaller archive

1. Each edition's full build against WeasyPrint alone on the same final HTML
   (the floor): the toolkit's own work should add at most 10 %.
2. Four editions with --jobs 2 against --jobs 1: at most 0.6 of serial on two cores.
3. A no-op rebuild against a full build.
4. ``publisher update`` on 1,000 messages (10 % changed) against GNU msgmerge
   (``bench_update.py``).
5. An archive of generated issues × 4 editions: time and peak memory per
   edition as the archive grows (flat means linear total).
Nothing here is asserted; tests never time anything.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.build import plan  # noqa: E402
from publisher.config import load_project  # noqa: E402
from publisher.edition import Options, build_one  # noqa: E402


def cli(*args: str, cwd: Path = ROOT) -> float:
    """Seconds one ``publisher`` command takes, as a user runs it."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "publisher", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - start


def floor_vs_build(repeat: int = 3) -> list[tuple[str, float, float]]:
    """Per edition: best full in-process build time, best bare WeasyPrint time on its HTML."""
    import weasyprint

    from publisher import html as html_stage
    from publisher import pdf as pdf_stage
    from publisher.catalogs import pofile
    from publisher.catalogs.extract import LAYOUT_DOMAIN
    from publisher.edition import catalogs_for, load_inputs
    from publisher.fonts import stacks
    from publisher.localize import localize

    project = load_project(ROOT)
    out = Path(tempfile.mkdtemp(prefix="bench-floor-"))
    rows = []
    # The screen file alone, like for like with one bare WeasyPrint PDF (a default build also writes the print file).
    for job in plan(project, [ROOT / "issues/455"], list(project.locales.values()), out, Options(target="screen")):
        build_one(job)  # warm caches (imports, font maps), as a long-running build would be
        full = min(_timed(lambda j=job: build_one(j)) for _ in range(repeat))
        locale = project.locales[job.locale]
        issue, layout = load_inputs(project, job.issue_dir)
        ic, lc, names = catalogs_for(project, locale, issue)
        edition = localize(issue, locale, layout, ic, lc, project.source_locale, names)
        st = stacks(layout, edition.settings.script)
        text = html_stage.render(edition, layout, st, pofile.translations(lc, LAYOUT_DOMAIN), issue.meta.period.end, job.options)
        fetcher = pdf_stage.make_fetcher([layout.folder, job.issue_dir, *{f.path.parent for f in st.faces}])
        bare = min(
            _timed(lambda t=text, j=job, f=fetcher: weasyprint.HTML(string=t, base_url=j.issue_dir.resolve().as_uri() + "/", url_fetcher=f).write_pdf(pdf_variant="pdf/a-3a"))
            for _ in range(repeat)
        )
        rows.append((job.locale, full, bare))
    shutil.rmtree(out, ignore_errors=True)
    return rows


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def parallel(repeat: int = 3) -> tuple[float, float, float]:
    """Best of ``repeat`` forced rebuilds, serial and with two jobs, after one untimed build (as each week)."""
    out = Path(tempfile.mkdtemp(prefix="bench-par-"))
    for name, jobs in (("s", "1"), ("p", "2")):
        cli("build", "issues/455", "--lang", "all", "--out", str(out / name), "--jobs", jobs)
    serial = min(cli("build", "issues/455", "--lang", "all", "--out", str(out / "s"), "--jobs", "1", "--force") for _ in range(repeat))
    two = min(cli("build", "issues/455", "--lang", "all", "--out", str(out / "p"), "--jobs", "2", "--force") for _ in range(repeat))
    noop = min(cli("build", "issues/455", "--lang", "all", "--out", str(out / "p"), "--jobs", "2") for _ in range(repeat))
    shutil.rmtree(out, ignore_errors=True)
    return serial, two, noop


def make_archive(dest: Path, count: int) -> list[Path]:
    """``count`` issues made from issue 455 (new numbers, each paragraph varied), with their catalogs."""
    for name in ("layouts", "locales"):
        shutil.copytree(ROOT / name, dest / name, dirs_exist_ok=True)
    source = (ROOT / "issues/455/issue.md").read_text(encoding="utf-8")
    dirs = []
    for i in range(count):
        number = 1000 + i
        folder = dest / "issues" / str(number)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "issue.md").write_text(re.sub(r"^number: 455$", f"number: {number}", source, flags=re.M), encoding="utf-8")
        for po in (ROOT / "locales").glob("*/LC_MESSAGES/weekly-analysis-455.po"):
            target = dest / "locales" / po.parent.parent.name / "LC_MESSAGES" / f"weekly-analysis-{number}.po"
            shutil.copyfile(po, target)
        dirs.append(folder)
    return dirs


def archive(sizes: list[int]) -> list[tuple[int, float, float]]:
    """For each archive size: seconds per edition and peak worker memory (MiB)."""
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
            dest = Path(tmp)
            make_archive(dest, size)
            seconds = cli("build", *[f"issues/{1000 + i}" for i in range(size)], "--lang", "all", "--out", "dist", "--jobs", "2", cwd=dest)
            peak = _peak_rss_of_build(dest, size)
            rows.append((size, seconds / (size * 4), peak))
    return rows


def _peak_rss_of_build(dest: Path, size: int) -> float:
    """Peak RSS (MiB) of one serial rebuild of the whole archive (children included)."""
    code = (
        "import resource, subprocess, sys;"
        f"subprocess.run([sys.executable, '-m', 'publisher', 'build', *[f'issues/{{1000 + i}}' for i in range({size})], '--lang', 'all', '--out', 'dist2', '--jobs', '1'], check=True, capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=dest, capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return int(out.stdout.strip()) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="archive of 2, 5 and 10 issues instead of 10, 25 and 50")
    parser.add_argument("--skip-archive", action="store_true")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; input: issue 455 ({hashlib.sha256((ROOT / 'issues/455/issue.md').read_bytes()).hexdigest()[:8]})\n")

    print("1. full build of each edition against WeasyPrint alone on the same HTML (best of 3, warm process)")
    print(f"   {'edition':8} {'build s':>8} {'WeasyPrint s':>13} {'ratio':>6}  (target ≤ 1.10)")
    for locale, full, bare in floor_vs_build():
        print(f"   {locale:8} {full:8.2f} {bare:13.2f} {full / bare:6.2f}")

    serial, two, noop = parallel()
    print("\n2. four editions, --jobs 2 against --jobs 1 (whole command, best of 3 forced rebuilds)")
    print(f"   serial {serial:.2f} s, two jobs {two:.2f} s, ratio {two / serial:.2f}  (target ≤ 0.60)")
    print("\n3. no-op rebuild against a full build (whole command, best of 3)")
    print(f"   no-op {noop:.2f} s, full {two:.2f} s, ratio {noop / two:.3f}")

    print("\n4. update of a 1,000-message catalog with 10 % changed")
    try:
        sys.path.insert(0, str(Path(__file__).parent))
        import bench_update

        r = bench_update.run()
        update, merge_only, msgmerge, babel = r["publisher_update_s"], r["publisher_merge_s"], r["msgmerge_s"], r.get("babel_update_s")
        print(f"   {'what':38} {'seconds':>8} {'vs msgmerge':>12}")
        print(f"   {'GNU msgmerge --previous':38} {msgmerge:8.3f} {1:12.2f}")
        print(f"   {'publisher update (read, merge, write)':38} {update:8.3f} {update / msgmerge:12.2f}")
        print(f"   {'publisher merge alone (in memory)':38} {merge_only:8.3f} {merge_only / msgmerge:12.2f}")
        babel_text = f"{babel:8.1f} {babel / msgmerge:12.0f}" if babel else "   >120 s"
        print(f"   {'Babel Catalog.update (difflib fuzzy)':38} {babel_text}")
        print(f"   result verified: {r['verification']['translated']} translated, {r['verification']['fuzzy']} fuzzy with previous msgid; written file passes msgfmt: {r['written_file']['ok']}")
    except Exception as exc:  # a missing msgmerge should not hide the rest
        print(f"   skipped: {exc}")

    if not args.skip_archive:
        sizes = [2, 5, 10] if args.quick else [10, 25, 50]
        print(f"\n5. archive of generated issues × 4 editions (--jobs 2): {sizes}")
        print(f"   {'issues':>6} {'editions':>8} {'s/edition':>10} {'peak MiB':>9} {'vs first':>9}")
        rows = archive(sizes)
        base = rows[0][1]
        for size, per, peak in rows:
            print(f"   {size:6} {size * 4:8} {per:10.2f} {peak:9.0f} {per / base:9.2f}")
        spread = statistics.pstdev([r[1] for r in rows]) / statistics.mean([r[1] for r in rows])
        print(f"   time per edition varies by {spread:.0%} across sizes (flat = linear total)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
