"""Ctrl-C and SIGTERM as a sticky flag, so an interrupt is never lost.

Python raises ``KeyboardInterrupt`` wherever the signal lands; when that is a
finalizer (WeasyPrint's ``FontConfiguration.__del__``, a weakref callback) the
exception is printed and swallowed, and the build would go on and exit 0.
Here the signal is also recorded, and :func:`checkpoint`, called between
stages and editions, raises it again. Inside :func:`deferred` (renaming a
finished file and recording it in the manifest) a signal only sets the flag
and is raised when the block ends, so those steps are never split.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator

_state = {"signal": 0, "deferred": 0}


class Interrupted(KeyboardInterrupt):
    """A signal, raised. A subclass, not ``KeyboardInterrupt`` itself: CPython remembers a
    bare ``KeyboardInterrupt`` that crossed code run through ``PyRun_*`` (as C
    extensions do) and then ends the process by SIGINT after ``main`` returned,
    whatever exit code it chose (seen: 2 runs in 25 exited -2 instead of 130).
    """

SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _handler(signum: int, frame: object) -> None:
    _state["signal"] = signum
    if not _state["deferred"]:
        raise Interrupted


def _unraisable(hook: object) -> object:
    """Keep a swallowed interrupt quiet (no "Exception ignored … Traceback"): the flag has it."""

    def quiet(unraisable: sys.UnraisableHookArgs) -> None:
        if not isinstance(unraisable.exc_value, KeyboardInterrupt):
            hook(unraisable)  # type: ignore[operator]

    return quiet


def install(*, idle: bool = False) -> None:
    """Handle SIGINT and SIGTERM here; ``idle`` (a worker between jobs) only records them."""
    _state["signal"] = 0
    _state["deferred"] = 1 if idle else 0
    for signum in SIGNALS:
        signal.signal(signum, _handler)
    sys.unraisablehook = _unraisable(sys.__unraisablehook__)


@contextlib.contextmanager
def handled() -> Iterator[None]:
    """Install the handlers for one command; the caller's (pytest's, say) come back after."""
    saved = {signum: signal.getsignal(signum) for signum in SIGNALS}
    hook = sys.unraisablehook
    install()
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)
        sys.unraisablehook = hook


def last_signal() -> int:
    """The signal that came (0 for none): exit code 128 + it, as shells expect."""
    return _state["signal"]


def checkpoint() -> None:
    """Raise ``KeyboardInterrupt`` if a signal came since :func:`install`, even one swallowed."""
    if _state["signal"] and not _state["deferred"]:
        raise Interrupted


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Steps that must not be split by a signal; one that comes is raised at the end."""
    _state["deferred"] += 1
    try:
        yield
    finally:
        _state["deferred"] -= 1
    checkpoint()


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """In a worker: a job runs, and a signal stops it (outside it, the worker is idle)."""
    saved = _state["deferred"]
    _state["deferred"] = 0
    try:
        checkpoint()
        yield
    finally:
        _state["deferred"] = saved
