"""``kg viz``: draw the graph, or one part of it, as an interactive HTML page that works offline."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import SeedsOpt, StoreOpt, open_from


class Format(StrEnum):
    """What ``kg viz`` writes: the interactive page or a static picture for print."""

    html = "html"
    svg = "svg"
    png = "png"
    vis = "vis"


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
    timeline: Annotated[
        bool,
        typer.Option("--timeline", help="Events, agreements and announcements on a time axis."),
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
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            help="html: the interactive page; svg or png: a static picture for print with "
            "its legend and sources (png is drawn by headless Chromium); vis: a vis-network "
            "page built with pyvis (same layout, physics off, offline).",
        ),
    ] = Format.html,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="File to write (default exports/<view>.<format>); '-' writes to stdout.",
        ),
    ] = None,
    seeds: SeedsOpt = None,
    store: StoreOpt = None,
) -> None:
    """Draw the whole graph, or one view of it, as one self-contained HTML page.

    Open the page by double-click: it needs no network. Without a view option the whole graph
    is drawn. Examples: kg viz --focus "Larry Fink" --hops 2; kg viz --class Investor,Project;
    kg viz --source a002; kg viz --money; kg viz --timeline; kg viz --query my.rq --out my.html;
    kg viz --money --format png.
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
            ("--timeline", timeline),
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
    elif timeline:
        view = pictures.timeline(ctx)
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
    if fmt is Format.vis:
        from kg.viz.vis import render_vis
        from kg.writer import write_file

        text = render_vis(view, size_by=size_by.value, articles=ctx.articles)
        if out == "-":
            typer.echo(text, nl=False)
            return
        path = write_file(Path(out) if out else Path("exports") / f"{view.name}-vis.html", text)
        count = f"{view.graph.number_of_nodes()} nodes, {view.graph.number_of_edges()} edges"
        typer.echo(f"wrote {path} ({count})", err=True)
        return
    page = pictures.render(view, size_by=size_by.value, articles=ctx.articles)
    target = Path(out) if out and out != "-" else Path("exports") / f"{view.name}.{fmt.value}"
    if fmt is Format.png:
        from kg.viz.export import png
        from kg.writer import write_file

        picture = png(page.svg)
        if out == "-":
            sys.stdout.buffer.write(picture)
            return
        path = write_file(target, picture)
    elif out == "-":
        typer.echo(page.svg if fmt is Format.svg else page.html, nl=False)
        return
    else:
        path = pictures.write_page(page, target, fmt.value)
    typer.echo(f"wrote {path} ({page.nodes} nodes, {page.edges} edges)", err=True)


def register(app: typer.Typer) -> None:
    app.command("viz")(viz)
