"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint on 127.0.0.1, with a query page.

The front (stdlib ``http.server``) owns the rules; an Oxigraph server process behind it on another
loopback port owns the evaluation, because only a process boundary can stop a running query:

- ``GET /sparql?query=...`` and ``POST /sparql`` (form-encoded, or ``application/sparql-query``);
- every query is checked by :func:`kg.sparql.check_query` first: SERVICE, LOAD, FROM and update
  text are refused (400), as are ``default-graph-uri`` / ``named-graph-uri``; the update
  operation itself (``update=``, ``application/sparql-update``, PUT, DELETE) is forbidden (403/405);
- the Oxigraph server stops a query after ``timeout`` seconds (``--timeout-s``; answered 503);
- results stream from it row by row and stop at ``max_rows`` (header ``Kg-Row-Cap``);
- content negotiation (``Accept``, or ``format=json|xml|csv|tsv|turtle|jsonld|ntriples|rdfxml``):
  SPARQL JSON / XML / CSV / TSV results, and Turtle / JSON-LD / N-Triples / RDF/XML graphs;
- ``GET /`` is a page to type queries and see results, with no network access beyond this
  endpoint.

The store behind it: ``oxigraph:PATH`` is served in place (read-only, so other commands can keep
reading it), ``memory`` is written to a temporary Oxigraph folder first, and ``sparql:URL`` is
proxied with the same checks.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path

from kg.errors import KGError, QueryError, StoreError

HOST = "127.0.0.1"
MAX_BODY = 1 << 20  # bytes of query text a request may send

RESULT_TYPES = {  # media type -> pyoxigraph QueryResultsFormat name
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {  # media type -> pyoxigraph RdfFormat name
    "text/turtle": "TURTLE",
    "application/ld+json": "JSON_LD",
    "application/n-triples": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
}
FORMATS = {  # the format= parameter
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}


class ServeError(KGError):
    """The endpoint cannot start: the port is taken, or the Oxigraph server is missing."""


class Refused(Exception):
    """A request the endpoint answers with an error status and a plain-text reason."""

    def __init__(self, status: HTTPStatus, message: str, headers: dict | None = None):
        self.status, self.message, self.headers = status, message, headers or {}
        super().__init__(message)


# ----------------------------------------------------------------------------- negotiation


def negotiate(accept: str | None, offered: dict[str, str], fmt: str | None = None) -> str:
    """The media type to answer with, from ``format=`` or the Accept header (q-values honoured).

    >>> negotiate("text/csv;q=0.5, application/sparql-results+json", RESULT_TYPES)
    'application/sparql-results+json'
    >>> negotiate("*/*", GRAPH_TYPES)
    'text/turtle'
    """
    if fmt:
        media = FORMATS.get(fmt)
        if media not in offered:
            raise Refused(
                HTTPStatus.NOT_ACCEPTABLE,
                f"format={fmt} is not available for this query (use one of: "
                f"{', '.join(k for k, v in FORMATS.items() if v in offered)})",
            )
        return media
    default = next(iter(offered))
    if not accept:
        return default
    ranked = []
    for n, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranked.append((-q, n, media.lower()))
    for neg_q, _, media in sorted(ranked):
        if neg_q >= 0:
            break
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            prefix = media.split("/")[0]
            return next(
                (m for m in offered if prefix == "*" or m.startswith(prefix + "/")), default
            )
    raise Refused(
        HTTPStatus.NOT_ACCEPTABLE,
        f"cannot answer in any type of Accept: {accept} (available: "
        f"{', '.join(dict.fromkeys(offered))})",
    )


# ----------------------------------------------------------------------------- the backend


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, deadline: float, proc: subprocess.Popen | None = None) -> None:
    """Block until something accepts connections on ``port``, or raise ServeError."""
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
            raise ServeError(f"the Oxigraph server stopped at start-up: {err.strip()[-500:]}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise ServeError(f"nothing answered on {HOST}:{port} in time")


@contextlib.contextmanager
def oxigraph_server(
    location: Path, read_only: bool = True, timeout: float | None = None
) -> Iterator[str]:
    """An Oxigraph server process on a free loopback port for the block; its base URL.

    It answers with the union of all graphs as the default graph, like kg's own stores;
    ``timeout`` (seconds) stops long queries.
    """
    binary = shutil.which("oxigraph")
    if binary is None:
        raise ServeError(
            "kg serve needs the Oxigraph server: pip install 'kg[oxigraph]' "
            "(the 'oxigraph' package)"
        )
    port = free_port()
    cmd = [
        binary,
        "serve-read-only" if read_only else "serve",
        "--location",
        str(location),
        "--bind",
        f"{HOST}:{port}",
        "--union-default-graph",
    ]
    if timeout is not None:
        cmd += ["--timeout-s", f"{max(1, round(timeout))}"]
    proc = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        wait_for_port(port, time.monotonic() + 30, proc)
        yield f"http://{HOST}:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()


@contextlib.contextmanager
def backend(store, timeout: float) -> Iterator[str]:
    """The query URL of a SPARQL endpoint serving ``store``, for the duration of the block.

    Embedded stores get an Oxigraph server process (read-only, with the query timeout); a
    ``sparql:URL`` store is used as it is.
    """
    from kg.store import MemoryStore, OxigraphStore, SparqlStore

    if isinstance(store, SparqlStore):
        yield store.url
        return
    if isinstance(store, OxigraphStore):
        with oxigraph_server(store.path, timeout=timeout) as url:
            yield f"{url}/query"
        return
    if not isinstance(store, MemoryStore):
        raise ServeError(f"kg serve cannot serve a {store.name} store")
    scratch = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    try:
        store.save_oxigraph(scratch / "store")
        with oxigraph_server(scratch / "store", timeout=timeout) as url:
            yield f"{url}/query"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# ----------------------------------------------------------------------------- answering


@dataclass
class Answer:
    """A response body with its media type and extra headers."""

    media: str
    body: bytes
    headers: dict


@dataclass
class Endpoint:
    """What the handler needs: the backend query URL and the limits."""

    backend_url: str
    timeout: float
    max_rows: int

    def answer(self, query: str, accept: str | None, fmt: str | None) -> Answer:
        """Check, run and serialise one query (raises :class:`Refused` for the client)."""
        from kg.sparql import check_query
        from kg.store import full_query

        try:
            form = check_query(query).form
        except QueryError as exc:
            raise Refused(HTTPStatus.BAD_REQUEST, str(exc)) from None
        offered = RESULT_TYPES if form in ("select", "ask") else GRAPH_TYPES
        media = negotiate(accept, offered, fmt)
        want = {"select": "text/tab-separated-values", "ask": "application/sparql-results+json"}
        try:
            with self._send(full_query(query), want.get(form, "application/n-triples")) as reply:
                if form == "ask":
                    data, capped = reply.read(), False
                else:
                    lines, capped = _read_capped(
                        reply, self.max_rows, form == "select", time.monotonic() + self.timeout
                    )
                    data = b"".join(lines)
            body = _reserialise(form, data, media)
        except (SyntaxError, ValueError, OSError, http.client.HTTPException) as exc:
            # the backend answered 200 and then failed mid-stream (it writes the reason
            # into the body, e.g. when its timeout cancels the query)
            raise self._failure(str(exc)) from None
        headers = {"Kg-Row-Cap": f"{self.max_rows}; reached"} if capped else {}
        return Answer(media, body, headers)

    def _failure(self, detail: str) -> Refused:
        if "cancelled" in detail or "timeout" in detail.lower() or "timed out" in detail:
            return Refused(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"query stopped: it ran longer than {self.timeout:g} s",
            )
        return Refused(HTTPStatus.BAD_GATEWAY, f"the store failed to answer: {detail[:1000]}")

    @contextlib.contextmanager
    def _send(self, query: str, accept: str):
        request = urllib.request.Request(
            self.backend_url,
            data=query.encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout + 5) as response:
                yield response
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:1000]
            if exc.code == 400:
                raise Refused(HTTPStatus.BAD_REQUEST, detail) from None
            raise self._failure(detail) from None
        except TimeoutError:
            raise self._failure("timed out") from None
        except (urllib.error.URLError, OSError) as exc:
            raise Refused(
                HTTPStatus.BAD_GATEWAY,
                f"the store behind this endpoint did not answer: {getattr(exc, 'reason', exc)}",
            ) from None


def _read_capped(
    response, max_rows: int, header: bool, deadline: float
) -> tuple[list[bytes], bool]:
    """Lines of a line-based answer (TSV rows, N-Triples), stopping after ``max_rows``; a
    TimeoutError past ``deadline`` (a remote endpoint has no timeout of ours)."""
    lines: list[bytes] = []
    limit = max_rows + (1 if header else 0)
    for line in response:
        if len(lines) == limit:
            return lines, True  # closing the response makes the backend stop evaluating
        if time.monotonic() > deadline:
            raise TimeoutError("timed out")
        lines.append(line)
    return lines, False


def _reserialise(form: str, data: bytes, media: str) -> bytes:
    """The backend's answer (TSV, SPARQL JSON or N-Triples) in the negotiated format."""
    import pyoxigraph as ox

    if form in ("select", "ask"):
        source = ox.QueryResultsFormat.TSV if form == "select" else ox.QueryResultsFormat.JSON
        parsed = ox.parse_query_results(data, source)
        return parsed.serialize(format=getattr(ox.QueryResultsFormat, RESULT_TYPES[media]))
    from kg.vocab import PREFIXES

    triples = list(ox.parse(data, ox.RdfFormat.N_TRIPLES))
    fmt = getattr(ox.RdfFormat, GRAPH_TYPES[media])
    prefixes = (
        {p: str(ns) for p, ns in PREFIXES.items()}
        if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML)
        else None
    )
    return ox.serialize(triples, format=fmt, prefixes=prefixes)


# ----------------------------------------------------------------------------- HTTP


def page() -> bytes:
    """The query page (one file, no external resources)."""
    return files("kg").joinpath("serve_page.html").read_bytes()


PAGE_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


class Handler(BaseHTTPRequestHandler):
    """SPARQL Protocol over HTTP/1.1; the endpoint is set on the server (``server.endpoint``)."""

    server_version = "kg-serve"
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (http.server's naming)
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/" and not url.query:
            self._send(
                HTTPStatus.OK,
                "text/html; charset=utf-8",
                page(),
                {"Content-Security-Policy": PAGE_POLICY},
            )
        elif url.path == "/sparql":
            self._protocol(urllib.parse.parse_qs(url.query, keep_blank_values=True), None)
        else:
            self._error(Refused(HTTPStatus.NOT_FOUND, "not found: the endpoint is /sparql"))

    def do_POST(self):  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            self._error(Refused(HTTPStatus.NOT_FOUND, "not found: the endpoint is /sparql"))
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._error(Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "query too long"))
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        kind = self.headers.get_content_type()
        if kind == "application/x-www-form-urlencoded":
            for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
            self._protocol(params, None)
        elif kind == "application/sparql-query":
            self._protocol(params, body)
        elif kind == "application/sparql-update":
            self._error(
                Refused(HTTPStatus.FORBIDDEN, "updates are refused: this endpoint is read-only")
            )
        else:
            self._error(
                Refused(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    "send application/sparql-query or a form with query=",
                )
            )

    def do_PUT(self):  # noqa: N802
        self._error(
            Refused(HTTPStatus.METHOD_NOT_ALLOWED, "read-only endpoint", {"Allow": "GET, POST"})
        )

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    def _protocol(self, params: dict, body: str | None) -> None:
        try:
            if "update" in params:
                raise Refused(
                    HTTPStatus.FORBIDDEN, "updates are refused: this endpoint is read-only"
                )
            if "default-graph-uri" in params or "named-graph-uri" in params:
                raise Refused(
                    HTTPStatus.BAD_REQUEST,
                    "default-graph-uri / named-graph-uri are "
                    "refused: the default graph is the union of every graph",
                )
            queries = params.get("query", []) + ([body] if body is not None else [])
            if len(queries) != 1 or not queries[0].strip():
                raise Refused(HTTPStatus.BAD_REQUEST, "give exactly one query")
            fmt = (params.get("format") or [None])[0]
            answer = self.server.endpoint.answer(queries[0], self.headers.get("Accept"), fmt)
        except Refused as exc:
            self._error(exc)
            return
        media = answer.media + ("; charset=utf-8" if answer.media.startswith("text/") else "")
        self._send(HTTPStatus.OK, media, answer.body, {"Vary": "Accept", **answer.headers})

    def _error(self, exc: Refused) -> None:
        self._send(
            exc.status,
            "text/plain; charset=utf-8",
            (exc.message + "\n").encode("utf-8"),
            exc.headers,
        )

    def _send(self, status: HTTPStatus, media: str, body: bytes, headers: dict) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    endpoint: Endpoint


def bind(port: int) -> Server:
    """The front server bound to 127.0.0.1:``port``; a taken port is a clear ServeError."""
    try:
        return Server((HOST, port), Handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} on {HOST} is already in use; choose another with --port"
            ) from None
        raise ServeError(f"cannot listen on {HOST}:{port}: {exc.strerror}") from None


def serve(store, port: int, timeout: float, max_rows: int, ready=None) -> None:
    """Serve ``store`` until interrupted; ``ready(url)`` is called once requests are answered.

    >>> serve.__name__  # a blocking call: see tests/test_serve.py for a server started for real
    'serve'
    """
    if timeout <= 0 or max_rows <= 0:
        raise StoreError("timeout and row cap must be positive")
    server = bind(port)
    try:
        with backend(store, timeout) as url:
            server.endpoint = Endpoint(url, timeout, max_rows)
            if ready is not None:
                ready(f"http://{HOST}:{server.server_address[1]}/sparql")
            server.serve_forever()
    finally:
        server.server_close()
