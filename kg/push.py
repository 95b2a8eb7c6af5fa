"""``kg push URL``: load the graph, provenance included, into a triple store over HTTP.

It speaks the SPARQL 1.1 Graph Store HTTP Protocol, which Oxigraph, Fuseki, GraphDB, Virtuoso
and Neptune all implement: one ``PUT URL?graph=<name>`` per named graph (claims, provenance,
ontology) with the graph as N-Triples, over one kept-alive connection (:mod:`kg.stores.http`:
connect and read timeouts, ``$KG_CONNECT_TIMEOUT`` / ``$KG_READ_TIMEOUT``). PUT replaces a
graph, so pushing again is safe; graphs the server holds that kg does not are left alone. When
a push fails part-way, the error says how many graphs were already replaced.

Then point kg at the store's query endpoint with ``--store sparql:QUERY-URL``; the server must
use the union of its graphs as the default graph (Oxigraph: ``--union-default-graph``).
"""

from __future__ import annotations

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


def check_url(url: str) -> str:
    """``url`` when it is an http(s) Graph Store endpoint URL without a query; else InputError.

    >>> check_url("http://127.0.0.1:99999/store")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.InputError: http://127.0.0.1:99999/store: not a valid URL (Port out of range ...
    """
    from kg.stores.http import split_url

    try:
        split_url(url)
    except InputError as exc:
        raise InputError(
            f"{exc}; expected the http(s) URL of a Graph Store Protocol endpoint, "
            "e.g. http://127.0.0.1:7878/store"
        ) from None
    if urllib.parse.urlsplit(url).query:
        raise InputError(f"{url[:200]}: give the endpoint without a query string")
    return url


def push(store, url: str, *, connect: float | None = None, read: float | None = None) -> Pushed:
    """PUT every named graph of ``store`` (a memory or oxigraph store) to the endpoint ``url``.

    >>> push.__name__  # needs a running server: see tests/test_store.py
    'push'
    """
    from kg.sparql.terms import printable
    from kg.stores.http import Client

    check_url(url)
    graphs = store.graph_dumps()
    client = Client(url, connect=connect, read=read)
    path = client.path
    start, count, triples = time.perf_counter(), 0, 0

    def so_far() -> str:
        if not count:
            return "no graph was replaced"
        return f"{count} graph(s) were already replaced, the others are as they were"

    try:
        for name, ntriples in graphs:
            target = (
                f"{path}?default"
                if name is None
                else f"{path}?graph={urllib.parse.quote(name, safe='')}"
            )
            try:
                reply = client.request(
                    "PUT", target, ntriples, {"Content-Type": "application/n-triples"}, 1 << 20
                )
            except StoreError as exc:
                raise StoreError(f"cannot push to {printable(url)}: {exc} ({so_far()})") from None
            if reply.status not in (200, 201, 204):
                raise StoreError(
                    f"{printable(url)} refused graph <{printable(name or 'default')}>: HTTP "
                    f"{reply.status} {printable(reply.body)} ({so_far()})"
                )
            count += 1
            triples += ntriples.count(b"\n")
    finally:
        client.close()
    return Pushed(url, count, triples, time.perf_counter() - start)
