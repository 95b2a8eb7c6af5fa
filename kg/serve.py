"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint on 127.0.0.1, with a query page.

The front (stdlib ``http.server``, a thread per connection) owns HTTP; the one query runner
(:class:`kg.sparql.Runner`) owns evaluation, with a pool of forked worker processes, each with
its own engine, fed by a bounded queue. There is no engine port: nobody reaches the engine but
the front, and SERVICE is refused in every worker before anything runs.

- ``GET /sparql?query=...`` and ``POST /sparql`` (form-encoded, or ``application/sparql-query``);
- the query's size and bracket nesting are bounded before any parse (400); SERVICE, LOAD, FROM and
  update text are refused (400), as are ``default-graph-uri`` / ``named-graph-uri``; the update
  operation itself (``update=``, ``application/sparql-update``) is forbidden (403);
- a query is stopped after ``timeout`` seconds (its worker is killed and replaced; 503 with
  Retry-After); results stop at ``max_rows`` (header ``Kg-Row-Cap``);
- a query that has used 20 ms of CPU moves to the slow lane at the least CPU priority, so cheap
  queries keep their speed; at most ``max_slow`` slow queries run at once (one more: 503);
- when every worker is busy and the queue is full the answer is 429 with Retry-After;
- HTTP manners: each connection has a read timeout; Content-Length is required for a body and
  validated (400, 411); a body over 1 MB is 413; other methods are 405 with Allow; other body
  types 415 with the accepted ones; at most ``MAX_CONNECTIONS`` connections at once (503 beyond);
- content negotiation (``Accept``, or ``format=json|xml|csv|tsv|turtle|jsonld|ntriples|rdfxml``):
  SPARQL JSON / XML / CSV / TSV results, and Turtle / JSON-LD / N-Triples / RDF/XML graphs;
- ``GET /`` is a SPARQL editor (YASGUI, see :mod:`kg.serve_page`) and ``/static/NAME`` the
  files it loads, from a fixed table; the page makes no request beyond this server.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kg.errors import InputError, KGError, QueryError, StoreError
from kg.sparql.results import FORMATS, GRAPH_TYPES, RESULT_TYPES, Unacceptable
from kg.sparql.results import negotiate as _negotiate

HOST = "127.0.0.1"
MAX_BODY = 1 << 20  # bytes of request body
MAX_DRAIN = 32 << 20  # bytes of an oversized body read and dropped so the 413 can be read
READ_TIMEOUT = 10.0  # seconds a connection may stay silent
BODY_DEADLINE = 30.0  # seconds to receive a whole body
MAX_CONNECTIONS = 64
DEFAULT_WORKERS = 2  # always running; up to 6 more start while every one is busy
DEFAULT_MAX_SLOW = 8  # slow queries (over 20 ms of CPU) at once, at the least priority
WORKER_MEMORY = 1 << 30  # bytes of address space a worker may add to what it started with
ACCEPTED_BODIES = ("application/sparql-query", "application/x-www-form-urlencoded")

__all__ = ["FORMATS", "GRAPH_TYPES", "HOST", "RESULT_TYPES", "Refused", "negotiate", "serve"]


class ServeError(KGError):
    """The endpoint cannot start: the port is taken, or the store cannot be served."""


class Refused(Exception):
    """A request the endpoint answers with an error status and a plain-text reason."""

    def __init__(self, status: HTTPStatus, message: str, headers: dict | None = None):
        self.status, self.message, self.headers = status, message, headers or {}
        super().__init__(message)


def negotiate(accept: str | None, offered: dict[str, str], fmt: str | None = None) -> str:
    """The media type to answer with (see :func:`kg.sparql.results.negotiate`); 406 otherwise.

    >>> negotiate("*/*", GRAPH_TYPES)
    'text/turtle'
    """
    try:
        return _negotiate(accept, offered, fmt)
    except Unacceptable as exc:
        raise Refused(HTTPStatus.NOT_ACCEPTABLE, str(exc)) from None


# ----------------------------------------------------------------------------- helpers


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


def oxigraph_binary() -> str | None:
    """The Oxigraph server program: beside the running interpreter first, then on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


@contextlib.contextmanager
def oxigraph_server(
    location: Path, read_only: bool = True, timeout: float | None = None
) -> Iterator[str]:
    """An Oxigraph server process on a free loopback port for the block; its base URL.

    ``kg serve`` does not use it (its engine runs in its own workers); it is the Graph Store
    server ``kg push`` and the ``sparql:`` store are tested against.
    """
    binary = oxigraph_binary()
    if binary is None:
        raise ServeError("the Oxigraph server is not installed (pip install oxigraph)")
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
        if proc.stderr is not None:
            proc.stderr.close()


# ----------------------------------------------------------------------------- answering


class Endpoint:
    """What the handler needs: the runner (with its limits) and the page."""

    def __init__(self, runner):
        self.runner = runner
        self.timeout = runner.timeout
        self.max_rows = runner.max_rows

    def answer(self, query: str, accept: str | None, fmt: str | None):
        """Run one query through the runner (raises :class:`Refused` for the client)."""
        from kg.sparql.checks import QueryTimeout
        from kg.sparql.runner import Busy, WorkerFailed

        try:
            return self.runner.answer(query, accept, fmt)
        except Unacceptable as exc:
            raise Refused(HTTPStatus.NOT_ACCEPTABLE, str(exc)) from None
        except (QueryError, InputError) as exc:
            raise Refused(HTTPStatus.BAD_REQUEST, str(exc)) from None
        except QueryTimeout:
            raise Refused(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"query stopped: it ran longer than {self.timeout:g} s",
                {"Retry-After": "1"},
            ) from None
        except Busy as exc:
            status = HTTPStatus.TOO_MANY_REQUESTS if "full" in str(exc) else 503
            raise Refused(
                HTTPStatus(status), str(exc), {"Retry-After": str(exc.retry_after)}
            ) from None
        except WorkerFailed as exc:
            raise Refused(HTTPStatus.SERVICE_UNAVAILABLE, str(exc), {"Retry-After": "1"}) from None
        except StoreError as exc:
            raise Refused(HTTPStatus.BAD_GATEWAY, f"the store failed to answer: {exc}") from None


# ----------------------------------------------------------------------------- HTTP


def page() -> bytes:
    """The query page (YASGUI on this endpoint; every file it loads is served from here)."""
    from kg.serve_page import page as rendered

    return rendered().body


_ALLOW = {"/": "GET, HEAD", "/sparql": "GET, HEAD, POST"}
STATIC_PREFIX = "/static/"


def _allowed(path: str) -> str | None:
    """The methods a path answers (the Allow header); None for a path that does not exist."""
    from kg.serve_page import STATIC

    if path.startswith(STATIC_PREFIX) and path[len(STATIC_PREFIX) :] in STATIC:
        return "GET, HEAD"
    return _ALLOW.get(path)


class Handler(BaseHTTPRequestHandler):
    """SPARQL Protocol over HTTP/1.1; the endpoint is set on the server (``server.endpoint``)."""

    server_version = "kg-serve"
    protocol_version = "HTTP/1.1"
    timeout = READ_TIMEOUT  # every read from the client (socketserver sets it on the socket)

    # -- methods

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self._guarded(self._get)

    do_HEAD = do_GET  # noqa: N815

    def do_POST(self):  # noqa: N802
        self._guarded(self._post)

    def _not_allowed(self):
        self._guarded(self._refuse_method)

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _not_allowed  # noqa: N815

    def parse_request(self) -> bool:
        """http.server's parsing, with a client that goes silent mid-headers answered 408."""
        try:
            return super().parse_request()
        except TimeoutError:
            self._timed_out()
            return False

    def _timed_out(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.send_error(HTTPStatus.REQUEST_TIMEOUT, "the request took too long to arrive")

    def _guarded(self, action) -> None:
        try:
            action()
        except Refused as exc:
            self._error(exc)
        except TimeoutError:
            self._timed_out()
        except ConnectionError:
            self.close_connection = True
        except Exception as exc:  # never a traceback, never a dead server
            self.log_error("internal error: %s: %s", type(exc).__name__, exc)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self._error(Refused(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error"))

    def _route(self) -> urllib.parse.SplitResult:
        url = urllib.parse.urlsplit(self.path)
        if _allowed(url.path) is None:
            self._discard_body()
            raise Refused(HTTPStatus.NOT_FOUND, "not found: the endpoint is /sparql")
        return url

    def _refuse_method(self) -> None:
        url = self._route()
        self._discard_body()
        raise Refused(
            HTTPStatus.METHOD_NOT_ALLOWED,
            f"{self.command} is not allowed here (read-only endpoint); use {_allowed(url.path)}",
            {"Allow": _allowed(url.path) or ""},
        )

    def _get(self) -> None:
        url = self._route()
        if self.headers.get("Content-Length") not in (None, "0"):
            self._discard_body()
        if url.path != "/sparql":
            self._file(url)
            return
        self._protocol(urllib.parse.parse_qs(url.query, keep_blank_values=True), None)

    def _post(self) -> None:
        url = self._route()
        if url.path != "/sparql":
            self._discard_body()
            raise Refused(
                HTTPStatus.METHOD_NOT_ALLOWED,
                "POST is not allowed here; queries go to /sparql",
                {"Allow": _allowed(url.path) or ""},
            )
        kind = self.headers.get_content_type()
        if kind == "application/sparql-update":
            self._discard_body()
            raise Refused(HTTPStatus.FORBIDDEN, "updates are refused: this endpoint is read-only")
        if kind not in ACCEPTED_BODIES:
            self._discard_body()
            raise Refused(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                f"send {' or '.join(ACCEPTED_BODIES)} (a form with query=)",
                {"Accept-Post": ", ".join(ACCEPTED_BODIES)},
            )
        body = self._read_body()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(HTTPStatus.BAD_REQUEST, "the body is not UTF-8 text") from None
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if kind == "application/x-www-form-urlencoded":
            try:
                form = urllib.parse.parse_qs(
                    text, keep_blank_values=True, strict_parsing=False, max_num_fields=100
                )
            except ValueError:
                raise Refused(HTTPStatus.BAD_REQUEST, "too many form fields") from None
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
            self._protocol(params, None)
        else:
            self._protocol(params, text)

    # -- the page and its files

    def _file(self, url: urllib.parse.SplitResult) -> None:
        """The page or one of the static files it loads, with its cache headers; a matching
        If-None-Match is answered 304 without the body."""
        from kg.serve_page import FOREVER, PAGE_POLICY, REVALIDATE, asset
        from kg.serve_page import page as rendered

        headers = {"Cache-Control": REVALIDATE}
        if url.path == "/":
            found = rendered()
            headers["Content-Security-Policy"] = PAGE_POLICY
        else:
            static = asset(url.path[len(STATIC_PREFIX) :])
            if static is None:  # _route lets only the table's names through
                raise Refused(HTTPStatus.NOT_FOUND, "not found")
            found = static
            if urllib.parse.parse_qs(url.query).get("v") == [found.digest]:
                headers["Cache-Control"] = FOREVER
        headers["ETag"] = found.etag
        if found.etag in [t.strip() for t in self.headers.get("If-None-Match", "").split(",")]:
            self._send(HTTPStatus.NOT_MODIFIED, found.media, b"", headers)
            return
        self._send(HTTPStatus.OK, found.media, found.body, headers)

    # -- bodies

    def _length(self) -> int | None:
        """The validated Content-Length (None when absent); Refused when it is malformed."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise Refused(
                HTTPStatus.LENGTH_REQUIRED, "chunked bodies are not accepted: send Content-Length"
            )
        values = self.headers.get_all("Content-Length") or []
        if not values:
            return None
        if len(set(values)) != 1 or not values[0].strip().isdigit() or len(values[0]) > 18:
            self.close_connection = True
            raise Refused(
                HTTPStatus.BAD_REQUEST,
                "Content-Length must be one whole number of bytes (0 or more)",
            )
        return int(values[0])

    def _read_body(self) -> bytes:
        length = self._length()
        if length is None:
            self.close_connection = True
            raise Refused(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length header")
        if length > MAX_BODY:
            self._drain(length)
            self.close_connection = True
            raise Refused(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"the body is {length:,} bytes; at most {MAX_BODY:,} are accepted",
                {"Connection": "close"},
            )
        return self._receive(length)

    def _receive(self, length: int) -> bytes:
        deadline = time.monotonic() + BODY_DEADLINE
        chunks, left = [], length
        while left > 0:
            if time.monotonic() > deadline:
                self.close_connection = True
                raise Refused(HTTPStatus.REQUEST_TIMEOUT, "the body took too long to arrive")
            chunk = self.rfile.read1(min(left, 1 << 16))
            if not chunk:
                self.close_connection = True
                raise Refused(HTTPStatus.BAD_REQUEST, "the body ended before Content-Length")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _drain(self, length: int) -> None:
        """Read and drop up to MAX_DRAIN bytes of a body we refuse, so that the client, still
        sending, gets to read the answer instead of a reset connection."""
        deadline = time.monotonic() + 5
        left = min(length, MAX_DRAIN)
        with contextlib.suppress(OSError):
            while left > 0 and time.monotonic() < deadline:
                chunk = self.rfile.read1(min(left, 1 << 16))
                if not chunk:
                    break
                left -= len(chunk)

    def _discard_body(self) -> None:
        try:
            length = self._length()
        except Refused:
            return
        if length:
            if length > MAX_BODY:
                self.close_connection = True
            self._drain(length)

    def handle_expect_100(self) -> bool:
        """Refuse an oversized body before the client sends it."""
        try:
            length = self._length()
        except Refused as exc:
            self._error(exc)
            return False
        if length is not None and length > MAX_BODY:
            self.close_connection = True
            self._error(
                Refused(
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                    f"the body is {length:,} bytes; at most {MAX_BODY:,} are accepted",
                    {"Connection": "close"},
                )
            )
            return False
        return super().handle_expect_100()

    # -- the protocol

    def _protocol(self, params: dict, body: str | None) -> None:
        if "update" in params:
            raise Refused(HTTPStatus.FORBIDDEN, "updates are refused: this endpoint is read-only")
        if "default-graph-uri" in params or "named-graph-uri" in params:
            raise Refused(
                HTTPStatus.BAD_REQUEST,
                "default-graph-uri / named-graph-uri are "
                "refused: the default graph is the union of every graph",
            )
        queries = params.get("query", []) + ([body] if body is not None else [])
        if len(queries) != 1 or not queries[0].strip():
            raise Refused(HTTPStatus.BAD_REQUEST, "give exactly one query")
        formats = params.get("format") or [None]
        endpoint = self.server.endpoint  # type: ignore[attr-defined]
        answer = endpoint.answer(queries[0], self.headers.get("Accept"), formats[0])
        media = answer.media + ("; charset=utf-8" if answer.media.startswith("text/") else "")
        self._send(HTTPStatus.OK, media, answer.body, {"Vary": "Accept", **answer.headers})

    def _error(self, exc: Refused) -> None:
        if exc.headers.get("Connection") == "close":
            self.close_connection = True
        self._send(
            exc.status,
            "text/plain; charset=utf-8",
            (exc.message + "\n").encode("utf-8"),
            exc.headers,
        )

    def _send(self, status: HTTPStatus, media: str, body: bytes, headers: dict) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.close_connection and "Connection" not in headers:
            self.send_header("Connection", "close")
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_error(self, code, message=None, explain=None):
        """http.server's own refusals (bad request line, header too long ...) as plain text,
        always with an HTTP/1.x status line."""
        self.close_connection = True
        if self.request_version == "HTTP/0.9":
            self.request_version = "HTTP/1.0"
        try:
            status = HTTPStatus(code)
        except ValueError:
            status = HTTPStatus.BAD_REQUEST
        from kg.sparql.terms import printable

        reason = printable(message or status.phrase, 200)
        self._error(Refused(status, reason, {"Connection": "close"}))

    def log_message(self, format, *args):  # noqa: A002 (http.server's naming)
        from kg.sparql.terms import printable

        if getattr(self.server, "quiet", False):
            return
        line = printable(format % args, 300)
        sys.stderr.write(f"{self.address_string()} [{self.log_date_time_string()}] {line}\n")


class Server(ThreadingHTTPServer):
    """One thread per connection, at most MAX_CONNECTIONS at once; no traceback ever."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128
    endpoint: Endpoint
    quiet = False

    def __init__(self, *args, **kwargs):
        self._active = 0
        self._count_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        with self._count_lock:
            full = self._active >= MAX_CONNECTIONS
            if not full:
                self._active += 1
        if full:
            with contextlib.suppress(OSError):
                request.settimeout(1)
                request.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                    b"Retry-After: 1\r\nConnection: close\r\nContent-Length: 24\r\n\r\n"
                    b"too many connections: 1\n"
                )
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._count_lock:
                self._active -= 1

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        sys.stderr.write(f"kg serve: a connection failed: {type(exc).__name__}\n")


def bind(port: int, read_timeout: float = READ_TIMEOUT) -> Server:
    """The front server bound to 127.0.0.1:``port``; a taken port is a clear ServeError."""
    handler = type("Handler", (Handler,), {"timeout": read_timeout})
    try:
        return Server((HOST, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} on {HOST} is already in use; choose another with --port"
            ) from None
        raise ServeError(f"cannot listen on {HOST}:{port}: {exc.strerror}") from None


def serve(
    store,
    port: int,
    timeout: float,
    max_rows: int,
    ready=None,
    *,
    workers: int = DEFAULT_WORKERS,
    max_workers: int | None = None,
    max_slow: int | None = None,
    queue: int | None = None,
    quiet: bool = False,
    read_timeout: float = READ_TIMEOUT,
) -> None:
    """Serve ``store`` until interrupted; ``ready(url)`` is called once requests are answered.

    >>> serve.__name__  # a blocking call: see tests/test_serve.py for a server started for real
    'serve'
    """
    from kg.sparql.runner import Runner, check_max_rows, check_timeout

    check_timeout(timeout)
    check_max_rows(max_rows)
    if not 1 <= workers <= 64:
        raise InputError("--workers must be from 1 to 64")
    read_timeout = check_timeout(read_timeout, "--read-timeout")
    from kg.serve_page import page as rendered

    rendered()  # a broken page or a missing file fails here, not at the first request
    server = bind(port, read_timeout)
    server.quiet = quiet
    try:
        with Runner(
            store,
            timeout=timeout,
            max_rows=max_rows,
            workers=workers,
            max_workers=max_workers or workers + 6,
            max_slow=max_slow or DEFAULT_MAX_SLOW,
            queue=queue,
            memory=WORKER_MEMORY,
        ) as runner:
            server.endpoint = Endpoint(runner)
            if ready is not None:
                ready(f"http://{HOST}:{server.server_address[1]}/sparql")
            server.serve_forever()
    finally:
        server.server_close()
