"""``publisher serve`` as a child process on a free port, for the browser test and the latency benchmark."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(project: Path, *args: str, log: IO | int = subprocess.DEVNULL) -> tuple[subprocess.Popen, str]:
    """Start ``publisher serve ARGS`` in ``project``; return it and its base URL once it answers."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "publisher", "serve", *args, "--port", str(port)], cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a busy machine
    while process.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/api/versions", timeout=10):  # answers once every edition is rendered
                return process, url
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise RuntimeError("publisher serve did not start")


def stop(process: subprocess.Popen) -> None:
    """Ctrl-C, as a person stops it; killed if it does not end within 10 s."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
