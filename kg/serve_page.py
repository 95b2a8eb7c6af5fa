"""The ``kg serve`` page and the static files it loads, all from the package (no network).

The page is YASGUI (``kg/static/yasgui/``, vendored from npm by ``scripts/refresh_yasgui.py``;
its version and sha256 sums are in ``MANIFEST.json``) pointed at the server's own ``/sparql``,
with the example queries (``kg/queries/examples``) and the saved queries (``kg/queries``, those
that make sense without bindings) in a menu, and the project's prefixes
(:func:`kg.sparql.prologue.prologue`) declared in each tab.

Static files are served from a fixed table (:data:`STATIC`): a request names a key, never a
path, so nothing else on disk can be reached. Their URLs carry a digest of their content
(``?v=``), so a browser may keep them for a year; the page itself is revalidated (ETag).

>>> asset("yasgui.min.js").media
'text/javascript; charset=utf-8'
>>> asset("../serve.py") is None
True
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from string import Template

# name in /static/ -> (file in the package, media type)
STATIC = {
    "yasgui.min.js": ("static/yasgui/yasgui.min.js", "text/javascript; charset=utf-8"),
    "yasgui.min.css": ("static/yasgui/yasgui.min.css", "text/css; charset=utf-8"),
    "LICENSE": ("static/yasgui/LICENSE", "text/plain; charset=utf-8"),
    "page.js": ("static/page.js", "text/javascript; charset=utf-8"),
    "page.css": ("static/page.css", "text/css; charset=utf-8"),
}
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# saved queries that answer nothing unless a variable is bound (kg sparql --saved NAME --bind)
ONLY_BOUND = frozenset({"named"})
FOREVER = "public, max-age=31536000, immutable"  # a URL whose ?v= matches the content
REVALIDATE = "no-cache"  # keep it, but ask (If-None-Match) before each use


@dataclass(frozen=True)
class Asset:
    """A file the server sends: its bytes, media type and content digest (also its ETag)."""

    body: bytes
    media: str
    digest: str

    @property
    def etag(self) -> str:
        return f'"{self.digest}"'


def _asset(body: bytes, media: str) -> Asset:
    return Asset(body, media, hashlib.sha256(body).hexdigest()[:16])


def asset(name: str) -> Asset | None:
    """The static file called ``name`` in :data:`STATIC`; None for any other name."""
    return _load(name) if name in STATIC else None


@cache
def _load(name: str) -> Asset:
    path, media = STATIC[name]
    return _asset(files("kg").joinpath(path).read_bytes(), media)


@cache
def manifest() -> dict:
    """The vendored YASGUI's manifest: package, version, tarball integrity, files' sha256."""
    return json.loads(files("kg").joinpath("static/yasgui/MANIFEST.json").read_text("utf-8"))


def editor_text(query: str) -> str:
    """``query`` as a tab opens it: its leading comments, then a PREFIX line for each project
    prefix it does not declare, then the query.

    >>> print(editor_text("# a note\\nASK { ?s a kg:Investor }").splitlines()[1])
    PREFIX kg: <https://w3id.org/korea-ai-kg/ontology#>
    """
    from kg.sparql.prologue import prologue

    lines = query.splitlines(keepends=True)
    head = 0
    while head < len(lines) and lines[head].startswith("#"):
        head += 1
    body = "".join(lines[head:])
    return "".join(lines[:head]) + prologue(body) + body


def page_config() -> dict:
    """What the page script gets: the prefixes, the first query, the menu of queries, and the
    query that lists the classes and properties to complete."""
    from kg.queries import SavedQuery, example_queries, saved_queries
    from kg.sparql.prologue import prefixes

    def entry(q: SavedQuery, kind: str) -> dict:
        return {
            "name": f"{kind}:{q.name}",
            "title": q.title,
            "description": q.description,
            "query": editor_text(q.text),
        }

    examples = [entry(q, "example") for q in example_queries()]
    saved = [entry(q, "saved") for q in saved_queries() if q.name not in ONLY_BOUND]
    first = next(q for q in examples if q["name"] == "example:ny-meeting")
    config = {
        "prefixes": prefixes(),
        "terms": files("kg").joinpath("static/terms.rq").read_text("utf-8"),
        "start": first["query"],
        "groups": [
            {"label": "Examples", "queries": examples},
            {"label": "Saved queries (kg sparql --saved NAME)", "queries": saved},
        ],
    }
    text = json.dumps(config, sort_keys=True)
    # the persisted tabs of an older page are not mixed with this one's
    config["digest"] = hashlib.sha256(text.encode()).hexdigest()[:12]
    return config


def _script_json(value) -> str:
    """JSON that cannot end the ``<script>`` element holding it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


@cache
def page() -> Asset:
    """The page: the HTML template with the configuration and each static file's digest."""
    template = Template(files("kg").joinpath("serve_page.html").read_text("utf-8"))

    def version(name: str) -> str:
        return _load(name).digest

    html = template.substitute(
        config=_script_json(page_config()),
        yasgui_version=manifest()["version"],
        yasgui_js=version("yasgui.min.js"),
        yasgui_css=version("yasgui.min.css"),
        page_js=version("page.js"),
        page_css=version("page.css"),
    )
    return _asset(html.encode("utf-8"), "text/html; charset=utf-8")
