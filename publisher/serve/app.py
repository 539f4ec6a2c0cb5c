"""The preview's web application (Starlette): index, editions, their PDFs, unit facts and a reload stream.

Serves only what a build may read: the editions' fonts by name, files inside
an issue folder, and this package's static files. Every page carries a
Content-Security-Policy allowing nothing from outside this server, and only
the preview's own script.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from publisher.catalogs.checks import check_project
from publisher.catalogs.extract import LAYOUT_DOMAIN
from publisher.catalogs.stats import status_rows
from publisher.errors import PublisherError
from publisher.serve.pages import HERE, page, with_bar
from publisher.serve.pdfs import Pdfs
from publisher.serve.previews import Previews, State

CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'"
STATIC = {"preview.js": "text/javascript", "preview.css": "text/css"}
HEARTBEAT = 15.0


class Broadcast:
    """Tells every open page which edition was rebuilt (server-sent events)."""

    def __init__(self) -> None:
        self.queues: set[asyncio.Queue[str | None]] = set()
        self.version = 0
        self.loop: asyncio.AbstractEventLoop | None = None

    def close(self) -> None:
        """End every open stream (the server is stopping: it need not wait for the browsers). Any thread, a signal handler too."""
        if self.loop is not None:
            self.loop.call_soon_threadsafe(lambda: [queue.put_nowait(None) for queue in self.queues])

    def send(self, state: State) -> None:
        self.version += 1
        data = json.dumps({"key": "/".join(state.key), "version": state.version, "ok": not state.error})
        for queue in self.queues:
            queue.put_nowait(data)

    async def stream(self) -> AsyncIterator[str]:
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.loop = asyncio.get_running_loop()
        self.queues.add(queue)
        try:
            yield "retry: 500\n\n"
            while True:
                try:
                    data = await asyncio.wait_for(queue.get(), HEARTBEAT)
                except TimeoutError:
                    yield ": alive\n\n"
                    continue
                if data is None:
                    return
                yield f"event: built\ndata: {data}\n\n"
        finally:
            self.queues.discard(queue)


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers={"Content-Security-Policy": CSP, "Cache-Control": "no-store"})


def _href(state: State) -> str:
    return f"/issues/{state.key[0]}/{state.key[1]}"


def create_app(previews: Previews, broadcast: Broadcast, pdfs: Pdfs) -> Starlette:
    """The application over editions kept by ``previews``; ``broadcast`` is fed by the watcher."""

    def rows() -> list[dict]:
        project = previews.project
        domains = sorted({s.domain for s in previews.states.values() if s.domain})
        try:
            status = {(r["locale"], r["domain"]): r for r in status_rows(project, previews.locales, domains)}
            findings = check_project(project, previews.locales, [LAYOUT_DOMAIN, *domains])
        except PublisherError:
            status, findings = {}, []
        out = []
        for state in previews.states.values():
            folder, code = state.key
            good = state.good
            row = status.get((code, state.domain), {})
            result = good.result if good else None
            out.append({
                "key": "/".join(state.key), "folder": folder, "locale": code, "href": _href(state), "title": good.title if good else "",
                "dir": previews.project.locales[code].direction if code in previews.project.locales else "ltr",
                "percent": row.get("percent", result.coverage if result else 0), "fuzzy": row.get("fuzzy", ""), "untranslated": row.get("untranslated", ""),
                "warnings": result.warnings if result else [], "error": state.error,
                "findings": [str(f) for f in findings if f.locale == code and (Path(f.file).stem in (state.domain, LAYOUT_DOMAIN) or f.check == "glossary")],
            })
        return out

    async def index(request: Request) -> Response:
        listed = await asyncio.to_thread(rows)  # status and checks read every catalog: not on the event loop
        return _html(page("index.html", rows=listed, version=broadcast.version))

    def edition_page(state: State) -> Response:
        others = [{"locale": code, "href": _href(s), "current": s is state} for (folder, code), s in previews.states.items() if folder == state.key[0]]
        bar = page("bar.html", key="/".join(state.key), version=state.version, href=_href(state), others=others, error=state.error, has_good=state.good is not None, seconds=state.seconds)
        if state.good is None:
            return _html(page("failed.html", key="/".join(state.key), bar=bar), 500)
        return _html(with_bar(state.good.html, bar))

    async def issue_file(request: Request) -> Response:
        folder, name = request.path_params["folder"], request.path_params["name"]
        base, _, ext = name.partition(".")
        state = previews.states.get((folder, base))
        if state is not None and ext == "":
            return edition_page(state)
        if state is not None and ext == "pdf":
            path, error = await asyncio.to_thread(pdfs.get, state.issue_dir, base)
            return FileResponse(path, media_type="application/pdf") if path else _html(f"<pre>{_escape(error)}</pre>", 500)
        issue_dir = previews.issue_dirs.get(folder)
        return _inside(issue_dir, name) if issue_dir else PlainTextResponse("not found", 404)

    async def units(request: Request) -> Response:
        state = previews.states.get((request.path_params["folder"], request.path_params["locale"]))
        if state is None or state.good is None:
            return JSONResponse({}, 404)
        return JSONResponse(state.good.units)

    async def versions(request: Request) -> Response:
        return JSONResponse({"*": broadcast.version} | {"/".join(k): s.version for k, s in previews.states.items()})

    async def font(request: Request) -> Response:
        path = previews.font(request.path_params["name"])
        return FileResponse(path) if path else PlainTextResponse("not found", 404)

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return PlainTextResponse("not found", 404)
        return FileResponse(HERE / "static" / name, media_type=STATIC[name], headers={"Cache-Control": "no-store"})

    async def events(request: Request) -> Response:
        return StreamingResponse(broadcast.stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    return Starlette(routes=[
        Route("/", index),
        Route("/events", events),
        Route("/static/{name}", static),
        Route("/fonts/{name}", font),
        Route("/api/units/{folder}/{locale}", units),
        Route("/api/versions", versions),
        Route("/issues/{folder}/{name:path}", issue_file),
    ])


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def _inside(folder: Path, name: str) -> Response:
    """A file of an issue folder (an image of the issue); nothing outside it, no hidden files."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder) or any(part.startswith(".") for part in Path(name).parts) or not path.is_file():
        return PlainTextResponse("not found", 404)
    return FileResponse(path)
