"""Interrupts and failures: exit 130 with one line, never a traceback, and a manifest that matches the files.

Signals are sent at many points of real builds (serial and with two workers);
the swallowed-interrupt case (a signal landing in a finalizer, where Python
ignores the exception) is reproduced deterministically.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import LOCALES, ROOT, run_cli
from test_security import cli_snippet, complete_pdf, po, run_python, set_translation, temp_files

NAMES = [f"weekly-analysis-455-{code}.pdf" for code in LOCALES]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_manifest_is_true(out: Path) -> dict[str, dict]:
    """Every edition file on disk is listed with its own sha256 and size; no listed file is missing."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {e["file"]: e for e in manifest["editions"]}
    for name in NAMES:
        path = out / name
        if path.exists():
            assert name in listed, f"{name} is on disk but not in the manifest"
            assert listed[name]["sha256"] == _sha(path), f"{name}: the manifest's sha256 is not the file's"
            assert listed[name]["bytes"] == path.stat().st_size
            assert complete_pdf(path.read_bytes())
        else:
            assert not (listed.get(name) or {}).get("sha256"), f"{name} is listed with a sha256 but not on disk"
    return listed


def _popen(project: Path, out: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "publisher", "build", "issues/455", "--out", str(out), "--lang", "all", *args],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _after_first_start(process: subprocess.Popen, delay: float, sig: int, group: bool) -> str:
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if "building" in line:
            break
    time.sleep(delay)
    if process.poll() is None:
        if group:  # Ctrl-C in a terminal: every process of the job gets it
            os.killpg(process.pid, sig)
        else:
            process.send_signal(sig)
    _, rest = process.communicate(timeout=180)
    return "".join(seen) + rest


@pytest.fixture()
def old_build(project_copy: Path, built: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    result = run_cli("build", "issues/455", "--lang", "all", "--out", str(out), "-q", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    return out


# Points spread over a build of four editions (about 3 s serial, 2 s with two workers).
POINTS = [0.05, 0.4, 0.8, 1.3, 1.9, 2.6]


@pytest.mark.parametrize("group", [True, False], ids=["ctrl-c", "kill-int"])
@pytest.mark.parametrize("delay", POINTS)
def test_sigint_with_two_workers_exits_130_and_the_manifest_matches(old_build: Path, project_copy: Path, delay: float, group: bool) -> None:
    process = _popen(project_copy, old_build, "--jobs", "2", "--force")
    stderr = _after_first_start(process, delay, signal.SIGINT, group)
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    if process.returncode == 0:  # the build finished before the signal: nothing to interrupt
        assert "4 of 4 editions" in stderr
    else:
        assert process.returncode == 130, stderr
        assert stderr.strip().splitlines()[-1].startswith("publisher: interrupted"), stderr
        assert sum("publisher: interrupted" in line for line in stderr.splitlines()) == 1, stderr
    assert temp_files(old_build) == []
    assert_manifest_is_true(old_build)


@pytest.mark.parametrize("seed", range(4))
def test_sigkill_at_a_random_point_then_the_next_build_makes_the_manifest_true(old_build: Path, project_copy: Path, seed: int) -> None:
    """SIGKILL cannot be handled: what is on disk stays whole, and the next build reconciles the manifest."""
    delay = random.Random(seed).uniform(0.0, 2.5)
    process = _popen(project_copy, old_build, "--jobs", "2", "--force")
    _after_first_start(process, delay, signal.SIGKILL, group=True)
    for name in NAMES:
        assert complete_pdf((old_build / name).read_bytes())
    json.loads((old_build / "manifest.json").read_text(encoding="utf-8"))
    result = run_cli("build", "issues/455", "--lang", "all", "--out", str(old_build), "-q", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    listed = assert_manifest_is_true(old_build)
    assert all(listed[name]["ok"] for name in NAMES)


SWALLOWED = """
import os, signal
import publisher.localize as localize_module
real = localize_module.localize

class Finalized:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)  # lands here, where Python ignores exceptions

def localize(*args, **kwargs):
    Finalized()
    return real(*args, **kwargs)

import publisher.edition
publisher.edition.localize = localize
"""


def test_an_interrupt_swallowed_by_a_finalizer_still_stops_the_build(old_build: Path, project_copy: Path) -> None:
    before = {name: (old_build / name).read_bytes() for name in NAMES}
    script = cli_snippet(SWALLOWED, "build", "issues/455", "--lang", "all", "--jobs", "1", "--force", "--out", str(old_build))
    result = run_python(script, project_copy)
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("publisher: interrupted")
    assert "built" not in result.stderr, "no edition may be finished after the interrupt"
    assert {name: (old_build / name).read_bytes() for name in NAMES} == before
    assert_manifest_is_true(old_build)


def test_sigterm_stops_a_build_like_ctrl_c(old_build: Path, project_copy: Path) -> None:
    process = _popen(project_copy, old_build, "--jobs", "1", "--force")
    stderr = _after_first_start(process, 0.3, signal.SIGTERM, group=False)
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert "Traceback" not in stderr
    assert_manifest_is_true(old_build)


def test_a_failed_edition_is_listed_with_the_file_left_on_disk(old_build: Path, project_copy: Path) -> None:
    """The previous PDF stays (nothing is lost); the manifest says the edition failed and which bytes are there."""
    old = (old_build / NAMES[1]).read_bytes()
    set_translation(po(project_copy, "ps"), None, "\U0001f600 emoji that no font has", startswith="**")
    result = run_cli("build", "issues/455", "--lang", "all", "--out", str(old_build), "-q", cwd=project_copy)
    assert result.returncode == 1, result.stderr
    assert (old_build / NAMES[1]).read_bytes() == old
    listed = assert_manifest_is_true(old_build)
    assert listed[NAMES[1]]["ok"] is False and "no font" in listed[NAMES[1]]["error"]
    assert all(listed[name]["ok"] for name in NAMES if name != NAMES[1])


def test_a_damaged_manifest_or_cache_is_rebuilt(old_build: Path, project_copy: Path) -> None:
    (old_build / ".publisher-cache.json").write_text(json.dumps({NAMES[0]: 5, NAMES[1]: {"inputs": []}}), encoding="utf-8")
    (old_build / "manifest.json").write_text('{"editions": [5, {"file": 7}]', encoding="utf-8")
    result = run_cli("build", "issues/455", "--lang", "all", "--out", str(old_build), "-q", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    listed = assert_manifest_is_true(old_build)
    assert all(listed[name]["ok"] for name in NAMES)
