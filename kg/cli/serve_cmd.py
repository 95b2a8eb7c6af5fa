"""``kg serve`` (a read-only SPARQL endpoint on loopback) and ``kg push`` (load a triple store)."""

from __future__ import annotations

from typing import Annotated

import typer

from kg.cli.common import SeedsOpt, StoreOpt, open_from


def serve(
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port on 127.0.0.1.")
    ] = 7879,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds a query may run.")
    ] = 10.0,
    max_rows: Annotated[
        int, typer.Option("--max-rows", min=1, help="Rows (or triples) per answer.")
    ] = 10_000,
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint at http://127.0.0.1:PORT/sparql.

    GET and POST queries; SPARQL JSON / XML / CSV / TSV results and Turtle / JSON-LD /
    N-Triples graphs by content negotiation; updates, SERVICE, LOAD and FROM are refused. Open
    http://127.0.0.1:PORT/ in a browser to type queries. Stop with Ctrl-C.
    """
    import signal
    import sys

    from kg.serve import serve as run

    def stop(signum, frame):
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)

    def ready(url: str) -> None:
        typer.echo(
            f"kg serve: SPARQL endpoint {url} (query page {url[: -len('sparql')]}); "
            f"timeout {timeout:g} s, row cap {max_rows}; Ctrl-C stops",
            err=True,
        )

    try:
        run(open_from(store, seeds), port=port, timeout=timeout, max_rows=max_rows, ready=ready)
    except KeyboardInterrupt:
        typer.echo("kg serve: stopped", err=True)


def push(
    url: Annotated[
        str, typer.Argument(help="Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store")
    ],
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
) -> None:
    """Load the graph with its provenance into a triple store (one HTTP PUT per named graph).

    Query it afterwards with --store sparql:QUERY-URL; the server must answer with the union of
    its graphs as the default graph (Oxigraph: serve --union-default-graph).
    """
    from kg.push import push as run

    pushed = run(open_from(store, seeds), url)
    typer.echo(
        f"pushed {pushed.triples} triples in {pushed.graphs} graphs to {pushed.url} "
        f"in {pushed.seconds:.1f} s"
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("push")(push)
