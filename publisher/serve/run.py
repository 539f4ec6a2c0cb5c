"""``publisher serve``: render every edition once, then serve them and rebuild on save (one process, kept warm)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from publisher.config import LocaleInfo, Project
from publisher.errors import PublisherError, printable


def listen(host: str, port: int) -> socket.socket:
    """The server's socket, bound now so that a port in use is one line, not a traceback (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PublisherError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(64)
    return sock


def serve(project: Project, issue_dirs: list[Path], locales: list[LocaleInfo], host: str, port: int, quiet: bool = False) -> None:
    import uvicorn

    from publisher.serve.app import Broadcast, create_app
    from publisher.serve.pdfs import Pdfs
    from publisher.serve.previews import Previews
    from publisher.serve.watch import watch

    sock = listen(host, port)
    port = sock.getsockname()[1]
    previews = Previews(project, issue_dirs, locales)
    previews.rebuild()
    for state in previews.states.values():
        if state.error:
            print(printable(state.error), file=sys.stderr)
    broadcast = Broadcast()
    app = create_app(previews, broadcast, Pdfs(project.root))

    def rebuilt(keys: list, seconds: float) -> None:
        if not quiet:
            print(f"rebuilt {', '.join('/'.join(k) for k in keys)} in {seconds:.2f} s", file=sys.stderr, flush=True)
        for key in keys:
            if previews.states[key].error:
                print(printable(previews.states[key].error), file=sys.stderr, flush=True)

    @contextlib.asynccontextmanager
    async def lifespan(_app: object) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(watch(previews, broadcast.send, stop, rebuilt))
        print(f"serving {len(previews.states)} editions on http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr, flush=True)
        try:
            yield
        finally:
            stop.set()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    app.router.lifespan_context = lifespan
    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: object) -> None:
            broadcast.close()  # open pages' event streams end, so Ctrl-C stops at once
            super().handle_exit(sig, frame)  # type: ignore[arg-type]

    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2, lifespan="on")
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn raises the Ctrl-C it handled again once stopped
        Server(config).run(sockets=[sock])
