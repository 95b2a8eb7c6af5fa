"""``kg serve`` (a read-only SPARQL endpoint on loopback) and ``kg push`` (load a triple store)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import SeedsOpt, StoreOpt, open_from


def serve(
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port on 127.0.0.1.")
    ] = 7879,
    timeout: Annotated[
        str,
        typer.Option(
            "--timeout", metavar="SECONDS", help="Seconds a query may run (at most 3600)."
        ),
    ] = "10",
    max_rows: Annotated[
        int, typer.Option("--max-rows", min=1, max=10_000_000, help="Rows (or triples) per answer.")
    ] = 10_000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, max=64, help="Query worker processes, each with its own engine."
        ),
    ] = 2,
    max_workers: Annotated[
        int | None,
        typer.Option(
            "--max-workers",
            min=1,
            max=64,
            help="Most worker processes while queries wait (default: --workers + 6).",
        ),
    ] = None,
    max_slow: Annotated[
        int | None,
        typer.Option(
            "--max-slow",
            min=1,
            max=64,
            help="Slow queries (over 20 ms of CPU) at once, at the least priority (default 8).",
        ),
    ] = None,
    queue: Annotated[
        int | None,
        typer.Option(
            "--queue",
            min=0,
            max=10_000,
            help="Queries that may wait for a worker (default 32); beyond: HTTP 429.",
        ),
    ] = None,
    read_timeout: Annotated[
        str,
        typer.Option(
            "--read-timeout", metavar="SECONDS", help="Seconds a client connection may stay silent."
        ),
    ] = "10",
    quiet: Annotated[bool, typer.Option("--quiet", help="Do not log each request.")] = False,
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint at http://127.0.0.1:PORT/sparql.

    GET and POST queries; SPARQL JSON / XML / CSV / TSV results and Turtle / JSON-LD /
    N-Triples graphs by content negotiation; updates, SERVICE, LOAD and FROM are refused. Open
    http://127.0.0.1:PORT/ in a browser for a SPARQL editor (YASGUI, bundled: no network) with
    example and saved queries. Stop with Ctrl-C.
    """
    import signal
    import sys

    from kg.serve import serve as run
    from kg.sparql.runner import check_timeout

    seconds = check_timeout(timeout)
    silent = check_timeout(read_timeout, "--read-timeout")

    def stop(signum, frame):
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)

    def ready(url: str) -> None:
        typer.echo(
            f"kg serve: SPARQL endpoint {url} (query page {url[: -len('sparql')]}); "
            f"timeout {seconds:g} s, row cap {max_rows}, {workers} worker(s); Ctrl-C stops",
            err=True,
        )

    try:
        run(
            open_from(store, seeds),
            port=port,
            timeout=seconds,
            max_rows=max_rows,
            ready=ready,
            workers=workers,
            max_workers=max_workers,
            max_slow=max_slow,
            queue=queue,
            quiet=quiet,
            read_timeout=silent,
        )
    except KeyboardInterrupt:
        typer.echo("kg serve: stopped", err=True)


def push(
    url: Annotated[
        str | None,
        typer.Argument(
            help="Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store "
            "(Virtuoso: http://HOST:8890/sparql-graph-crud-auth)"
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            metavar="NAME",
            help="User to log in as; the password comes from $KG_PASSWORD, else ~/.netrc "
            "(never from the command line).",
        ),
    ] = None,
    batch: Annotated[
        int, typer.Option("--batch", min=1, max=100_000, help="Graphs per progress line.")
    ] = 50,
    resume: Annotated[
        int,
        typer.Option(
            "--resume", metavar="N", min=0, help="Skip the first N graphs (after a failed push)."
        ),
    ] = 0,
    bulk: Annotated[
        Path | None,
        typer.Option(
            "--bulk",
            metavar="DIR",
            help="Instead of pushing: write DIR/kg.nq and DIR/kg-load.sql for Virtuoso's bulk "
            "loader (ld_dir + rdf_loader_run) and print the steps.",
        ),
    ] = None,
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
) -> None:
    """Load the graph with its provenance into a triple store (one HTTP PUT per named graph).

    Graphs go in batches with progress on stderr; a failed push says which graphs were replaced
    and how to go on. Query it afterwards with --store sparql:QUERY-URL; the server must answer
    with the union of its graphs as the default graph (Oxigraph: serve --union-default-graph;
    Virtuoso does so by default).
    """
    from kg.errors import InputError
    from kg.push import bulk_files, check_url
    from kg.push import push as run

    if bulk is not None:
        if url is not None:
            raise InputError("give either a URL to push to or --bulk DIR, not both")
        made = bulk_files(open_from(store, seeds), bulk)
        typer.echo(f"wrote {made.quads} quads in {made.graphs} graphs to {made.nquads}")
        typer.echo(f"load them with Virtuoso's bulk loader (script {made.script}):")
        for step in made.steps:
            typer.echo(f"  {step}")
        return
    if url is None:
        raise InputError("give the Graph Store endpoint URL to push to (or --bulk DIR)")
    check_url(url)
    pushed = run(
        open_from(store, seeds),
        url,
        user=user,
        batch=batch,
        resume=resume,
        progress=lambda line: typer.echo(line, err=True),
    )
    skipped = f", {pushed.skipped} skipped (--resume)" if pushed.skipped else ""
    typer.echo(
        f"pushed {pushed.triples} quads in {pushed.graphs} graphs to {pushed.url} "
        f"in {pushed.seconds:.1f} s; replaced {pushed.graphs} of {pushed.total} graphs{skipped}"
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("push")(push)
