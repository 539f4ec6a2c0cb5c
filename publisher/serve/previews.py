"""The editions a preview server shows, rendered in this (warm) process and kept between saves.

Each edition keeps its last good rendering beside its last error, so a
mistake saved in a catalog shows as one line above the page it broke, not as
a blank page. A version number per edition tells the browser when to reload.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from publisher.config import LocaleInfo, Project, load_project
from publisher.edition import Job, Options, Output, Result, error_line, render_edition
from publisher.errors import PublisherError
from publisher.serve.affected import Key
from publisher.serve.units import unit_table


@dataclass
class Snapshot:
    """One good rendering: the page, its fonts (served by name) and its units' facts."""

    html: str
    fonts: dict[str, Path]
    units: dict[str, dict]
    title: str
    result: Result


@dataclass
class State:
    key: Key
    issue_dir: Path
    good: Snapshot | None = None
    error: str = ""
    version: int = 0
    domain: str = ""
    seconds: float = 0.0
    built_at: float = field(default_factory=time.time)


class Previews:
    """Every edition of the given issues, rebuilt on demand; thread-safe (builds run one at a time)."""

    def __init__(self, project: Project, issue_dirs: list[Path], locales: list[LocaleInfo]) -> None:
        self.root = project.root
        self.project = project
        self.locales = locales
        self.issue_dirs = {Path(d).resolve().name: Path(d).resolve() for d in issue_dirs}
        self.states: dict[Key, State] = {(name, loc.code): State((name, loc.code), folder) for name, folder in self.issue_dirs.items() for loc in locales}
        self._lock = threading.Lock()

    def rebuild(self, keys: set[Key] | None = None) -> list[Key]:
        """Render the given editions (default: all) again; return those rebuilt, in order."""
        todo = [k for k in self.states if keys is None or k in keys]
        with self._lock:
            with contextlib.suppress(PublisherError):  # locales.yaml broken: each edition reports it below
                self.project = load_project(self.root)
            for key in todo:
                self._render(self.states[key])
        return todo

    def _render(self, state: State) -> None:
        started = time.perf_counter()
        name, code = state.key
        job = Job(self.root, state.issue_dir, code, (Output("screen", Path(f"{name}-{code}.html"), ""),), Options(fmt="html"))
        result = Result(locale=code, file=job.outputs[0].path.name, issue=str(state.issue_dir))
        try:
            rendered = render_edition(job, [result], preview=True)
            fonts = {f.path.name: f.path for f in rendered.stacks.faces}
            html = rendered.html
            for font in fonts.values():
                html = html.replace(font.resolve().as_uri(), f"/fonts/{font.name}")
            units = unit_table(rendered, self.project.source_locale)
            title = rendered.source.title.source
            state.good = Snapshot(html, fonts, units, title, result)
            state.domain = rendered.source.domain
            state.error = ""
        except (PublisherError, OSError) as exc:
            state.error = error_line(job, exc)
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the server; shown on the page, one line
            state.error = f"{state.issue_dir / 'issue.md'}: {code}: internal error: {type(exc).__name__}: {exc}"
        state.version += 1
        state.seconds = time.perf_counter() - started
        state.built_at = time.time()

    def font(self, name: str) -> Path | None:
        """A font file of some edition, by file name (nothing else is served from outside the project)."""
        for state in self.states.values():
            if state.good and name in state.good.fonts:
                return state.good.fonts[name]
        return None
