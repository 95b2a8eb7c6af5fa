"""``kg push URL``: load the graph, provenance included, into a triple store over HTTP.

It speaks the SPARQL 1.1 Graph Store HTTP Protocol, which Oxigraph, Fuseki, GraphDB, Virtuoso
and Neptune all implement: one ``PUT URL?graph=<name>`` per named graph (claims, provenance,
ontology) with the graph as N-Triples, over one kept-alive connection. PUT replaces a graph, so
pushing again is safe; graphs the server holds that kg does not are left alone.

Then point kg at the store's query endpoint with ``--store sparql:QUERY-URL``; the server must
use the union of its graphs as the default graph (Oxigraph: ``--union-default-graph``).
"""

from __future__ import annotations

import http.client
import time
import urllib.parse
from dataclasses import dataclass

from kg.errors import InputError, StoreError


@dataclass
class Pushed:
    """What a push sent."""

    url: str
    graphs: int
    triples: int
    seconds: float


def _connection(url: str) -> tuple[http.client.HTTPConnection, str]:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(
            f"{url}: expected the http(s) URL of a Graph Store Protocol endpoint, "
            "e.g. http://127.0.0.1:7878/store"
        )
    if parts.query:
        raise InputError(f"{url}: give the endpoint without a query string")
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    return cls(parts.hostname, parts.port, timeout=120), parts.path or "/"


def push(store, url: str) -> Pushed:
    """PUT every named graph of ``store`` (a memory or oxigraph store) to the endpoint ``url``.

    >>> push.__name__  # needs a running server: see tests/test_store.py
    'push'
    """
    graphs = store.graph_dumps()
    conn, path = _connection(url)
    start, count, triples = time.perf_counter(), 0, 0
    try:
        for name, ntriples in graphs:
            target = (
                f"{path}?default"
                if name is None
                else f"{path}?graph={urllib.parse.quote(name, safe='')}"
            )
            try:
                conn.request(
                    "PUT", target, body=ntriples, headers={"Content-Type": "application/n-triples"}
                )
                response = conn.getresponse()
                detail = response.read().decode("utf-8", "replace").strip()[:500]
            except (OSError, http.client.HTTPException) as exc:
                raise StoreError(f"cannot push to {url}: {exc}") from None
            if response.status not in (200, 201, 204):
                raise StoreError(f"{url} refused graph <{name}>: HTTP {response.status} {detail}")
            count += 1
            triples += ntriples.count(b"\n")
    finally:
        conn.close()
    return Pushed(url, count, triples, time.perf_counter() - start)
