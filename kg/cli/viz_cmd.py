"""``kg viz``: draw the graph, or one part of it, as an interactive HTML page that works offline."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import SeedsOpt, StoreOpt, open_from


class SizeBy(StrEnum):
    """The centrality measures node size can follow."""

    degree = "degree"
    pagerank = "pagerank"
    betweenness = "betweenness"
    none = "none"


def viz(
    focus: Annotated[
        str | None,
        typer.Option("--focus", help="Draw the neighbourhood of this entity (id, name or alias)."),
    ] = None,
    hops: Annotated[
        int | None,
        typer.Option("--hops", min=0, help="How many steps around --focus to include (default 1)."),
    ] = None,
    classes: Annotated[
        str | None,
        typer.Option(
            "--class",
            help="Only entities of these classes, comma-separated (Investor,Project); "
            "subclasses count.",
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="What one article says: its id (a002) or its title."),
    ] = None,
    money: Annotated[
        bool,
        typer.Option(
            "--money",
            help="Investors -> commitments -> projects, edge width by US-dollar amount.",
        ),
    ] = False,
    query: Annotated[
        Path | None,
        typer.Option(
            "--query",
            help="Draw the graph a CONSTRUCT (or DESCRIBE) query in this file returns.",
        ),
    ] = None,
    size_by: Annotated[
        SizeBy, typer.Option("--size-by", help="Node size by this centrality measure.")
    ] = SizeBy.degree,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="File to write (default exports/<view>.html); '-' writes to stdout.",
        ),
    ] = None,
    seeds: SeedsOpt = None,
    store: StoreOpt = None,
) -> None:
    """Draw the whole graph, or one view of it, as one self-contained HTML page.

    Open the page by double-click: it needs no network. Without a view option the whole graph
    is drawn. Examples: kg viz --focus "Larry Fink" --hops 2; kg viz --class Investor,Project;
    kg viz --source a002; kg viz --money; kg viz --query my.rq --out my.html.
    """
    from kg import viz as pictures
    from kg.errors import InputError

    chosen = [
        name
        for name, given in (
            ("--focus", focus),
            ("--class", classes),
            ("--source", source),
            ("--money", money),
            ("--query", query),
        )
        if given
    ]
    if len(chosen) > 1:
        raise InputError(f"choose one view, not {' and '.join(chosen)}")
    if hops is not None and focus is None:
        raise InputError("--hops goes with --focus")
    from kg.cli.common import read_query_file

    text = read_query_file(query) if query else ""
    st = open_from(store, seeds)
    ctx = pictures.Context.from_dataset(st.dataset())
    if focus is not None:
        from kg.resolve import resolve

        view = pictures.neighbourhood(ctx, resolve(st, focus).id, 1 if hops is None else hops)
    elif classes is not None:
        view = pictures.of_classes(ctx, [c for c in classes.split(",") if c.strip()])
    elif source is not None:
        view = pictures.of_article(ctx, source)
    elif money:
        view = pictures.money(ctx)
    elif query is not None:
        from kg.sparql import run_query

        result = run_query(st, text)
        for note in result.notes:
            typer.echo(f"note: {note}", err=True)
        if result.kind != "graph":
            raise InputError(
                f"{query}: --query needs a CONSTRUCT or DESCRIBE query, not {result.kind.upper()}"
            )
        view = pictures.of_rdf(
            ctx, result.graph, f"Query {query.name}", "query-" + pictures.slug(query.stem)
        )
    else:
        view = pictures.whole(ctx)
    page = pictures.render(view, size_by=size_by.value, articles=ctx.articles)
    if out == "-":
        typer.echo(page.html, nl=False)
        return
    path = pictures.write_page(page, Path(out) if out else Path("exports") / f"{view.name}.html")
    typer.echo(f"wrote {path} ({page.nodes} nodes, {page.edges} edges)", err=True)


def register(app: typer.Typer) -> None:
    app.command("viz")(viz)
