"""Watch the issue folders, locales/ and layouts/; rebuild the editions a save affects and tell the browsers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from watchfiles import awatch

from publisher.serve.affected import affected
from publisher.serve.previews import Previews, State


async def watch(previews: Previews, notify: Callable[[State], None], stop: asyncio.Event, on_rebuilt: Callable[[list, float], None] | None = None) -> None:
    """Until ``stop``: on each batch of saved files, rebuild exactly the editions affected (in a thread) and notify."""
    project = previews.project
    paths = [*previews.issue_dirs.values(), project.locales_dir, project.layouts_dir]
    loop = asyncio.get_running_loop()
    async for changes in awatch(*paths, stop_event=stop, debounce=400, step=30):
        started = loop.time()
        domains = {name: s.domain for (name, _), s in previews.states.items() if s.domain}
        keys = affected((Path(p) for _, p in changes), previews.states, previews.issue_dirs, domains, project.locales_dir, project.layouts_dir)
        if not keys:
            continue
        done = await asyncio.to_thread(previews.rebuild, keys)
        for key in done:
            notify(previews.states[key])
        if on_rebuilt:
            on_rebuilt(done, loop.time() - started)
