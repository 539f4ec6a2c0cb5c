"""From saving a msgstr to the updated page, with ``publisher serve``, against a full ``publisher build`` of that edition.

On a throw-away copy of the project, ``publisher serve issues/455 --lang ps``
runs in a child process. Each round saves a changed Pashto msgstr, waits for
the server's reload event for that edition (the stream a browser listens to)
and fetches the page until it shows the new text: that is the latency an
editor sees (the watcher's debounce included). The reference is what a
translator did before: ``publisher build issues/455 --lang ps --force`` in a
new process (the screen and print PDFs, as by default). Both are measured in
this one run and their medians compared; the target is a ratio ≤ 1.0.

Run: ``.venv/bin/python benchmarks/bench_serve.py`` (``--rounds N``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import serve_process  # noqa: E402 - the test suite's helper: start and stop a server

PO = "locales/ps/LC_MESSAGES/weekly-analysis-455.po"
OLD = 'msgstr "سریزه"'
KEY = "455/ps"
WORDS = ("پیلامه", "مقدمه", "پیل", "سرخط")


def _copy(dest: Path) -> None:
    for name in ("issues", "locales", "layouts"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("*.mo"))


class Events(threading.Thread):
    """Reads the server-sent events; ``wait(version)`` returns once the edition reached that version."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.version, self.ready = url, 0, threading.Event()
        self.changed = threading.Condition()

    def run(self) -> None:
        with urllib.request.urlopen(self.url + "/events") as stream:
            self.ready.set()
            for raw in stream:
                line = raw.decode().strip()
                if line.startswith("data:"):
                    data = json.loads(line[5:])
                    if data["key"] == KEY:
                        with self.changed:
                            self.version = data["version"]
                            self.changed.notify_all()

    def wait(self, version: int, timeout: float = 30.0) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: self.version >= version, timeout):
                raise SystemExit("no rebuild event")


def serve_latency(project: Path, rounds: int) -> list[float]:
    process, url = serve_process.start(project, "issues/455", "--lang", "ps", "-q")
    try:
        events = Events(url)
        events.start()
        events.ready.wait(10)
        with urllib.request.urlopen(url + "/api/versions") as response:
            version = json.load(response)[KEY]
        po = project / PO
        text = po.read_text(encoding="utf-8")
        times = []
        for n in range(rounds):
            word = WORDS[n % len(WORDS)]  # letters only: digits would be shown as Pashto digits
            time.sleep(0.5)  # a pause between saves, as when a person types
            started = time.perf_counter()
            po.write_text(text.replace(OLD, f'msgstr "{word}"', 1), encoding="utf-8")
            version += 1
            events.wait(version)
            with urllib.request.urlopen(f"{url}/issues/455/ps") as response:
                page = response.read().decode()
            times.append(time.perf_counter() - started)
            assert word in page, "the page does not show the saved text"
        return times
    finally:
        serve_process.stop(process)


def build_time(project: Path, rounds: int) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "publisher", "build", "issues/455", "--lang", "ps", "--force", "--jobs", "1", "-q", "--out", str(project / "dist")], cwd=project, env=env, check=True)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        _copy(project)
        served = serve_latency(project, args.rounds)
        built = build_time(project, max(1, args.rounds // 2))
    s, b = statistics.median(served), statistics.median(built)
    print(f"publisher serve: saved msgstr → updated ps page   median {s:.2f} s  (min {min(served):.2f}, max {max(served):.2f}, {len(served)} saves)")
    print(f"publisher build --lang ps --force (new process)  median {b:.2f} s  (min {min(built):.2f}, max {max(built):.2f}, {len(built)} builds)")
    print(f"ratio serve / build: {s / b:.2f} (target ≤ 1.0)")


if __name__ == "__main__":
    main()
