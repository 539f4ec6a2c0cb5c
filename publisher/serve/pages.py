"""The preview's own pages (index, toolbar, error page): Jinja2 templates of this package, autoescaped."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

HERE = Path(__file__).resolve().parent
_env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(default=True, default_for_string=True))


def page(name: str, **context: object) -> Markup:
    return Markup(_env.get_template(name).render(**context))


def with_bar(html: str, bar: Markup) -> str:
    """The edition's page with the preview's toolbar, panel and script (before ``</body>``) and stylesheet."""
    head, sep, tail = html.rpartition("</body>")
    html = f"{head}{bar}{sep}{tail}" if sep else html + bar
    return html.replace("</head>", '<link rel="stylesheet" href="/static/preview.css">\n</head>', 1)
