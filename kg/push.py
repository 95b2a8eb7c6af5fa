"""``kg push URL``: load the graph, provenance included, into a triple store over HTTP.

It speaks the SPARQL 1.1 Graph Store HTTP Protocol, which Oxigraph, Fuseki, GraphDB, Virtuoso
and Neptune all implement: one ``PUT URL?graph=<name>`` per named graph (claims, provenance,
ontology) with the graph as N-Triples, over one kept-alive connection (:mod:`kg.stores.http`:
connect and read timeouts, ``$KG_CONNECT_TIMEOUT`` / ``$KG_READ_TIMEOUT``). PUT replaces a
graph, so pushing again is safe; graphs the server holds that kg does not are left alone.

Graphs go in a fixed order (sorted by name), in batches of ``batch`` graphs with a progress line
on stderr after each; a push that fails part-way says which graphs were replaced and how to go
on (``--resume N`` skips the first N, or a plain re-run replaces them all again). Credentials as
:mod:`kg.stores.http` reads them (``--user`` with ``$KG_PASSWORD``, or ``~/.netrc``).

For large graphs, :func:`bulk_files` writes the N-Quads and a Virtuoso isql script of the
engine's own bulk loader (``ld_dir`` + ``rdf_loader_run``).

Then point kg at the store's query endpoint with ``--store sparql:QUERY-URL``; the server must
use the union of its graphs as the default graph (Oxigraph: ``--union-default-graph``).
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import InputError, StoreError

if TYPE_CHECKING:
    from kg.stores.base import Store


@dataclass(frozen=True)
class Pushed:
    """What a push sent: graphs replaced (skipped by ``resume``), triples, seconds."""

    url: str
    graphs: int
    triples: int
    seconds: float
    skipped: int = 0
    total: int = 0


@dataclass(frozen=True)
class Bulk:
    """The files of a bulk load and the commands that load them."""

    nquads: Path
    script: Path
    graphs: int
    quads: int
    steps: tuple[str, ...]


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


def push(
    store,
    url: str,
    *,
    connect: float | None = None,
    read: float | None = None,
    user: str | None = None,
    batch: int = 50,
    resume: int = 0,
    progress: Callable[[str], None] | None = None,
) -> Pushed:
    """PUT every named graph of ``store`` (a memory or oxigraph store) to the endpoint ``url``,
    skipping the first ``resume`` graphs; ``progress`` gets a line after each ``batch``.

    >>> push.__name__  # needs a running server: see tests/test_store.py, tests/test_virtuoso.py
    'push'
    """
    from kg.sparql.terms import printable
    from kg.stores.http import Client, credentials

    check_url(url)
    if batch < 1 or resume < 0:
        raise InputError("--batch must be at least 1 and --resume at least 0")
    graphs = list(store.graph_dumps())
    total = len(graphs)
    if resume > total:
        raise InputError(f"--resume {resume}: there are only {total} graphs to push")
    client = Client(url, connect=connect, read=read, creds=credentials(url, user))
    shown = printable(client.url)
    path = client.path
    start, count, triples = time.perf_counter(), 0, 0

    def so_far() -> str:
        done = resume + count
        if not done:
            return "no graph was replaced; re-run the same command"
        return (
            f"graphs 1-{done} of {total} (sorted by name) were replaced, the others are as they "
            f"were; go on with `kg push --resume {done} ...`, or re-run the same command: PUT "
            "replaces each graph, so a re-run is safe"
        )

    try:
        try:  # a request without a body first, so that a challenge or a refusal costs no upload
            client.request("HEAD", f"{path}?graph=urn%3Akg%3Aprobe", None, {}, 1 << 20)
        except StoreError as exc:
            raise StoreError(f"cannot push to {shown}: {exc} ({so_far()})") from None
        for index, (name, ntriples) in enumerate(graphs[resume:], resume + 1):
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
                raise StoreError(f"cannot push to {shown}: {exc} ({so_far()})") from None
            if reply.status not in (200, 201, 204):
                raise StoreError(
                    f"{shown} refused graph <{printable(name or 'default')}>: HTTP "
                    f"{reply.status} {printable(reply.body)} ({so_far()})"
                )
            count += 1
            triples += ntriples.count(b"\n")
            if progress is not None and (count % batch == 0 or index == total):
                rate = triples / max(time.perf_counter() - start, 1e-9)
                progress(f"kg push: {index}/{total} graphs, {triples} triples ({rate:,.0f}/s)")
    finally:
        client.close()
    return Pushed(shown, count, triples, time.perf_counter() - start, resume, total)


def bulk_files(store: Store, folder: Path | str, port: int = 1111) -> Bulk:
    """Write ``folder``/kg.nq (every graph as N-Quads) and ``folder``/kg-load.sql, an isql
    script for Virtuoso's bulk loader that first drops each of kg's graphs (so that the load
    replaces them, as a push does), then ``ld_dir`` + ``rdf_loader_run`` + ``checkpoint``.

    The folder must be readable by the Virtuoso server and listed in its ``DirsAllowed``.
    """
    from kg.writer import write_files

    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder (create it, inside the server's DirsAllowed)")
    if "'" in str(folder):
        raise InputError(f"{folder}: a bulk-load folder cannot contain a quote")
    names, chunks, quads = [], [], 0
    for name, ntriples in store.graph_dumps():
        if name is None:
            raise InputError("the bulk loader takes named graphs only; this store has a default")
        names.append(name)
        suffix = f" <{name}> .\n".encode()
        lines = [ln[:-1].rstrip(b".").rstrip() + suffix for ln in ntriples.splitlines(True)]
        quads += len(lines)
        chunks.append(b"".join(lines))
    sql = ["log_enable(3, 1);"]
    sql += [f"SPARQL DROP SILENT GRAPH <{n}>;" for n in names]
    sql += [
        "DELETE FROM DB.DBA.load_list WHERE ll_file = '" + str(folder / "kg.nq") + "';",
        f"ld_dir('{folder}', 'kg.nq', 'urn:kg:bulk-default');",
        "rdf_loader_run();",
        "checkpoint;",
        "SELECT ll_file, ll_state, ll_error FROM DB.DBA.load_list;",
    ]
    nquads, script = folder / "kg.nq", folder / "kg-load.sql"
    write_files(folder, {nquads.name: b"".join(chunks), script.name: "\n".join(sql) + "\n"})
    steps = (
        f'isql-vt {port} dba "$KG_PASSWORD" < {script}',
        "or, in isql: " + " ".join(sql[-4:-1]),
    )
    return Bulk(nquads, script, len(names), quads, steps)
