"""The build command: plan the editions, reuse what is current, build the rest in parallel.

An edition's inputs (issue folder, its two catalogs, the layout, the fonts,
the toolkit, the options) are hashed without importing WeasyPrint; when the
hash and the output on disk match the cache, the edition is reused. The rest
are built in worker processes; each writes its own file atomically and
records it in the manifest at once (signals deferred between the two), so the
manifest describes the files on disk after any interruption or failure; every
build also reconciles it with the files it finds.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, replace
from functools import partial
from pathlib import Path

from publisher import __version__, interrupts
from publisher.catalogs import store
from publisher.catalogs.extract import LAYOUT_DOMAIN
from publisher.config import LocaleInfo, Project
from publisher.edition import Job, Options, Output, Result, build_one, load_issues
from publisher.errors import PublisherError
from publisher.fonts import stacks
from publisher.fsutil import write_text

MANIFEST = "manifest.json"
CACHE = ".publisher-cache.json"
LOCK = ".publisher.lock"
# Editions a worker process builds before it is replaced (see build); release
# automation may tune it with PUBLISHER_WORKER_EDITIONS.
def _recycle_after() -> int:
    value = os.environ.get("PUBLISHER_WORKER_EDITIONS", "")
    return max(1, int(value)) if value.isdigit() else 16


RECYCLE = _recycle_after()
PACKAGE = Path(__file__).resolve().parent


def output_name(series: str, number: int, locale: str, fmt: str, target: str = "screen") -> str:
    """``weekly-analysis-455-ps.pdf`` for readers, ``weekly-analysis-455-ps-print.pdf`` for the printer."""
    return f"{series}-{number}-{locale}{'-print' if target == 'print' else ''}.{fmt}"


def _hash_files(digest: hashlib._Hash, paths: Iterable[Path], base: Path) -> None:
    for path in sorted(set(paths)):
        if path.is_file():
            try:
                name = path.relative_to(base).as_posix()
            except ValueError:
                name = path.name
            digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())


def inputs_hash(project: Project, issue_dir: Path, domain: str, layout_dir: Path, fonts: list[Path], locale: str, options: Options, target: str = "screen") -> str:
    """A hash of everything one file of an edition is made from (``fonts`` include the print file's profile)."""
    settings = sorted((k, v) for k, v in asdict(options).items() if k != "target")
    digest = hashlib.sha256(f"publisher {__version__}\0{locale}\0{target}\0{settings}".encode())
    _hash_files(digest, PACKAGE.rglob("*.py"), PACKAGE)
    _hash_files(digest, (p for p in Path(issue_dir).rglob("*") if not p.name.startswith(".")), project.root)
    _hash_files(digest, [store.po_path(project, locale, domain), store.po_path(project, locale, LAYOUT_DOMAIN)], project.root)
    _hash_files(digest, layout_dir.rglob("*"), project.root)
    _hash_files(digest, fonts, Path("/"))
    digest.update((project.root / "locales" / "locales.yaml").read_bytes())
    return digest.hexdigest()


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def plan(project: Project, issue_dirs: list[Path], locales: list[LocaleInfo], out: Path, options: Options) -> list[Job]:
    """One job per (issue, locale), with one output per file and its inputs hash. Bad issues fail here, early."""
    jobs = []
    for issue_dir, issue, layout in load_issues(project, issue_dirs):
        for locale in locales:
            try:
                fonts = [f.path for f in stacks(layout, layout.for_locale(locale.code).script).faces]
            except PublisherError:  # a missing font package fails this edition only (build_one reports it)
                fonts = []
            outputs = []
            for target in options.targets:
                files = fonts + ([layout.print.profile] if target == "print" and layout.print.profile else [])
                digest = inputs_hash(project, issue_dir, issue.domain, layout.folder, files, locale.code, options, target)
                name = output_name(issue.meta.series, issue.meta.number, locale.code, options.fmt, target)
                outputs.append(Output(target, out / name, digest))
            jobs.append(Job(project.root, Path(issue_dir), locale.code, tuple(outputs), options))
    return jobs


def build(
    project: Project,
    issue_dirs: list[Path],
    locales: list[LocaleInfo],
    out: Path,
    options: Options,
    jobs: int = 0,
    force: bool = False,
    fail_fast: bool = False,
    on_start: Callable[[Job], None] | None = None,
    on_done: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Build (or reuse) every requested edition; return their results in plan order."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublisherError(f"cannot create the output folder: {exc.strerror}", str(out)) from None
    if not os.access(out, os.W_OK):
        raise PublisherError("the output folder is not writable", str(out))
    planned = plan(project, issue_dirs, locales, out, options)
    record = partial(_record, out, frozenset(o.path.name for job in planned for o in job.outputs))
    record([])  # reconcile the manifest with the files an earlier, interrupted build left
    cache = _read_json(out / CACHE)
    results: dict[Path, Result] = {}
    todo: list[Job] = []
    for job in planned:
        stale = []
        for output in job.outputs:  # each file is reused or rebuilt on its own
            entry = cache.get(output.path.name)
            current = not force and isinstance(entry, dict) and entry.get("inputs") == output.inputs and output.path.exists() and _sha(output.path) == entry.get("sha256")
            result = _reused(entry) if current else None
            if result is None:
                stale.append(output)
                continue
            results[output.path] = result
            if on_done:
                on_done(result)
        if stale:
            todo.append(replace(job, outputs=tuple(stale)))
    # Longest first (by the last build's time) so that two workers finish together.
    todo.sort(key=lambda job: -max(_seconds(cache.get(o.path.name)) for o in job.outputs))
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    if workers == 1 and len(todo) <= RECYCLE:
        _run_here(todo, results, fail_fast, on_start, on_done, record)
    else:
        # Fresh worker processes for every RECYCLE editions per worker: WeasyPrint's
        # text stack (Pango, fontconfig, HarfBuzz) keeps growing caches in C, and
        # new processes keep memory per edition flat however large the archive.
        batch = RECYCLE * workers
        for first in range(0, len(todo), batch):
            if _run_in_workers(todo[first : first + batch], workers, results, fail_fast, on_start, on_done, record) and fail_fast:
                break
    ordered = [results[o.path] for j in planned for o in j.outputs if o.path in results]
    record([r for r in ordered if not r.rebuilt])  # reused editions: their entries, refreshed
    return ordered


def _reused(entry: dict) -> Result | None:
    """The result of a reused edition from its cache entry; None for a damaged entry (rebuilt)."""
    try:
        return Result(**{**entry, "rebuilt": False, "seconds": 0.0})
    except TypeError:
        return None


def _seconds(entry: object) -> float:
    try:
        return float(entry.get("seconds", 0.0)) if isinstance(entry, dict) else 0.0
    except (TypeError, ValueError):
        return 0.0


Callback = Callable[..., None] | None


def _run_here(todo: list[Job], results: dict[Path, Result], fail_fast: bool, on_start: Callback, on_done: Callback, record: Callback) -> None:
    """Build in this process, one edition after another."""
    failed = False
    for job in todo:
        interrupts.checkpoint()
        if failed and fail_fast:
            break
        if on_start:
            on_start(job)
        for result in build_one(job, record):
            results[_path_of(job, result)] = result
            failed = failed or not result.ok
            if on_done:
                on_done(result)
    interrupts.checkpoint()


INTERRUPTED = "interrupted"


def _work(job: Job, record: Callback) -> list[Result]:
    """A worker's job: interruptible while it runs; an interrupt comes back as a result."""
    try:
        with interrupts.interruptible():
            return build_one(job, record)
    except KeyboardInterrupt:
        return [Result(locale=job.locale, file=job.outputs[0].path.name, issue=str(job.issue_dir), error=INTERRUPTED)]


def _run_in_workers(todo: list[Job], workers: int, results: dict[Path, Result], fail_fast: bool, on_start: Callback, on_done: Callback, record: Callback) -> bool:
    """Build in forked worker processes (WeasyPrint loaded once, before the fork); True if one failed.

    Workers only note a signal while idle; on Ctrl-C (theirs or this process's)
    the running jobs stop, each worker cleans up its own temporary file, and
    ``KeyboardInterrupt`` is raised here once every worker has finished.
    """
    import weasyprint  # noqa: F401 - loaded here once, shared by the forked workers

    failed = interrupted = False
    pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=multiprocessing.get_context("fork"), initializer=partial(interrupts.install, idle=True))
    try:
        futures = {}
        for job in todo:
            if on_start:
                on_start(job)
            futures[pool.submit(_work, job, record)] = job
        for future in as_completed(futures):
            if future.cancelled():
                continue
            done = future.result()
            if done[0].error == INTERRUPTED:
                raise interrupts.Interrupted
            for result in done:
                results[_path_of(futures[future], result)] = result
                if on_done:
                    on_done(result)
            if not all(r.ok for r in done):
                failed = True
                if fail_fast:
                    for other in futures:  # those already running finish and are recorded
                        other.cancel()
            interrupts.checkpoint()
    except KeyboardInterrupt:
        interrupted = True
        with interrupts.deferred():
            for process in list((pool._processes or {}).values()):
                with contextlib.suppress(OSError):
                    os.kill(process.pid, signal.SIGINT)
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        if not interrupted:
            pool.shutdown(wait=True)
    if interrupted:
        raise interrupts.Interrupted
    return failed


def _path_of(job: Job, result: Result) -> Path:
    return next(o.path for o in job.outputs if o.path.name == result.file)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _record(out: Path, names: frozenset[str], results: list[Result]) -> None:
    """Update the cache and the manifest under a lock (two builds into one folder queue here)."""
    try:
        lock = open(out / LOCK, "a+b")  # noqa: SIM115 - held for the block below
    except OSError as exc:
        raise PublisherError(f"cannot open the build lock: {exc.strerror or exc}", str(out / LOCK)) from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            _record_locked(out, names, results)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _record_locked(out: Path, names: frozenset[str], results: list[Result]) -> None:
    """Update the cache and the manifest atomically, then make them agree with the files on disk.

    Other editions' entries are kept. An entry whose file is gone is dropped; a
    file of this build's plan that has no entry, or whose bytes are not the
    entry's (an interrupted or killed build, a hand edit), is listed as it is,
    with ``ok: false``, and rebuilt next time.
    """
    cache = _read_json(out / CACHE)
    manifest = _read_json(out / MANIFEST)
    editions = {e.get("file"): e for e in manifest.get("editions", []) if isinstance(e, dict) and isinstance(e.get("file"), str)}
    for result in results:
        entry = asdict(result)
        entry["coverage"] = result.coverage
        if result.ok:
            previous = cache.get(result.file) if isinstance(cache.get(result.file), dict) else {}
            cache[result.file] = {k: v for k, v in asdict(result).items() if k != "rebuilt"}
            if not result.rebuilt:  # a reused edition keeps the time its last build took
                cache[result.file]["seconds"] = previous.get("seconds", 0.0)
        else:
            cache.pop(result.file, None)
        editions[result.file] = {k: entry[k] for k in ENTRY_KEYS}
    for name in sorted(set(editions) | {n for n in names if (out / n).is_file()}):
        path = out / name
        entry = editions.get(name)
        if not path.is_file():
            if entry is None or entry.get("ok") or entry.get("sha256"):
                editions.pop(name, None)  # gone; a failed edition with no file stays listed
            continue
        sha = _sha(path)
        if entry is None or entry.get("sha256") != sha:
            failed = entry is not None and not entry.get("ok") and entry.get("error")
            error = f"{failed} (the file is an earlier build's)" if failed and not entry.get("sha256") else failed or STALE
            kind = {"variant": "print" if name.endswith(f"-print{path.suffix}") else "screen"}
            editions[name] = {**{k: None for k in ENTRY_KEYS}, **kind, **(entry or {}), "file": name, "ok": False, "bytes": path.stat().st_size, "sha256": sha, "rebuilt": False, "error": error}
            cache.pop(name, None)
    write_text(out / CACHE, json.dumps(cache, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    doc = {"generator": f"publisher {__version__}", "editions": [editions[k] for k in sorted(editions)]}
    write_text(out / MANIFEST, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


STALE = "not the file of the last build (interrupted, or changed since): rebuild it"
ENTRY_KEYS = ("file", "locale", "issue", "variant", "conformance", "ok", "bytes", "pages", "sha256", "inputs", "translated", "total", "coverage", "warnings", "typesetting", "rebuilt", "error")
