"""``kg sparql``: run a SPARQL query (text, file or saved) through the safe query layer."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import JsonOpt, SeedsOpt, StoreOpt, open_from
from kg.sparql.runner import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, MAX_ROWS, MAX_TIMEOUT


class SparqlFormat(StrEnum):
    """Output formats of ``kg sparql``: ttl is for CONSTRUCT and DESCRIBE results."""

    table = "table"
    json = "json"
    csv = "csv"
    ttl = "ttl"


def sparql(
    query: Annotated[
        str | None,
        typer.Argument(
            help="The query text ('-' reads it from stdin). The project's prefixes (kg:, id:, "
            "skos:, prov:, dcterms: ...) are predeclared."
        ),
    ] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read the query from a file.")] = None,
    saved: Annotated[
        str | None, typer.Option("--saved", metavar="NAME", help="Run a saved query (see --list).")
    ] = None,
    list_saved: Annotated[
        bool, typer.Option("--list", help="List the saved queries with what they answer and take.")
    ] = False,
    bind: Annotated[
        list[str] | None,
        typer.Option(
            "--bind",
            metavar="NAME=VALUE",
            help="Bind a variable, e.g. event=id:ny-meeting or name='\"Larry Fink\"@en' "
            "(repeatable). Values are passed as terms, never pasted into the query.",
        ),
    ] = None,
    timeout: Annotated[
        str,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help=f"Seconds before the query is stopped (above 0, at most {MAX_TIMEOUT:g}).",
        ),
    ] = f"{DEFAULT_TIMEOUT:g}",
    max_rows: Annotated[
        int,
        typer.Option("--max-rows", min=1, max=MAX_ROWS, help="Most rows (or triples) returned."),
    ] = DEFAULT_MAX_ROWS,
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
    fmt: Annotated[
        SparqlFormat,
        typer.Option(
            "--format",
            "-f",
            help="table; json (SPARQL JSON results, JSON-LD for graphs); csv; "
            "ttl (Turtle, for CONSTRUCT / DESCRIBE).",
        ),
    ] = SparqlFormat.table,
    as_json: JsonOpt = False,
) -> None:
    """Run a read-only SPARQL query: SELECT, ASK, CONSTRUCT or DESCRIBE.

    Refused: updates, LOAD, SERVICE, FROM / FROM NAMED. A note on stderr says when the row cap
    cut the result; a query that outlives --timeout is stopped (exit 1). Syntax errors give
    the line and column.
    """
    from kg.cli import output as out
    from kg.errors import InputError
    from kg.limits import MAX_QUERY_FILE, read_text
    from kg.queries import saved_queries, saved_query
    from kg.sparql import check_bindings, check_query, check_timeout, parse_binding, run_query

    form = "json" if as_json else str(fmt)
    seconds = check_timeout(timeout)
    if list_saved:
        _print_saved(saved_queries(), form)
        return
    given = [n for n, v in (("QUERY", query), ("--file", file), ("--saved", saved)) if v]
    if len(given) != 1:
        raise InputError("give one of QUERY, --file or --saved (or --list)")
    if saved:
        text = saved_query(saved).text
    elif file:
        text = read_text(file, MAX_QUERY_FILE, "query")
    elif query == "-":
        text = sys.stdin.read(MAX_QUERY_FILE + 1)
        if len(text) > MAX_QUERY_FILE:
            raise InputError(f"the query on stdin is longer than {MAX_QUERY_FILE:,} characters")
    else:
        text = query or ""
    checked = check_query(text)
    if form == "ttl" and checked.form in ("select", "ask"):
        raise InputError(
            f"--format ttl is for CONSTRUCT and DESCRIBE; this {checked.form.upper()} "
            "query returns rows (use table, json or csv)"
        )
    bindings = dict(parse_binding(b) for b in bind or [])
    check_bindings(checked, bindings)
    result = run_query(
        open_from(store, seeds), text, bindings, timeout=seconds, max_rows=max_rows, checked=checked
    )
    _print_result(result, form)
    for message in result.notes:
        out.note(
            f"note: {message} (raise it with --max-rows)"
            if "row cap" in message
            else f"note: {message}"
        )


def _print_result(result, fmt: str) -> None:
    from kg.cli import output as out
    from kg.sparql import result_json, term_text

    if result.kind == "graph":
        if fmt == "json":
            out.echo(result.graph.serialize(format="json-ld", auto_compact=True).rstrip())
        elif fmt == "csv":
            out.print_csv(
                ["subject", "predicate", "object"],
                [[str(s), str(p), str(o)] for s, p, o in sorted(result.graph)],
            )
        else:
            out.echo(result.graph.serialize(format="turtle").rstrip())
        return
    if fmt == "json":
        out.print_json(result_json(result))
    elif result.kind == "ask":
        out.echo("true" if result.boolean else "false")
    elif fmt == "csv":
        out.print_csv(
            result.variables,
            [[str(t) if t is not None else None for t in row] for row in result.rows],
        )
    elif not result.variables:
        out.note(f"{len(result.rows)} row(s) with no variables")
    else:
        out.print_table(
            result.variables, [[_shown(term_text(t)) for t in row] for row in result.rows]
        )
        out.note(f"{len(result.rows)} row(s)")


def _shown(text: str) -> str:
    """A cell for a terminal: control characters (escape sequences) shown as ``?``."""
    import re

    return re.sub(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", "?", text)


def _print_saved(queries, fmt: str) -> None:
    import textwrap

    from kg.cli import output as out

    if fmt in ("json", "csv"):
        data = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "bind": [{"variable": v, "meaning": m} for v, m in q.params],
            }
            for q in queries
        ]
        if fmt == "json":
            out.print_json(data)
        else:
            out.print_csv(
                ["name", "title", "bind", "description"],
                [[q.name, q.title, [f"?{v}" for v, _ in q.params], q.description] for q in queries],
            )
        return
    for q in queries:
        out.echo(out.bold(f"{q.name:14}") + q.title)
        for line in textwrap.wrap(q.description, 84):
            out.echo(" " * 16 + line)
        for variable, meaning in q.params:
            out.echo(" " * 16 + f"--bind {variable}=…  {meaning}")
        out.echo()
    out.note("run one with: kg sparql --saved NAME [--bind VAR=VALUE]")


def register(app: typer.Typer) -> None:
    """Add ``kg sparql`` to ``app``."""
    app.command("sparql")(sparql)
