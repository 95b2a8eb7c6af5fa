"""Graph analysis on the networkx projection: ``kg path``, ``kg central``, ``kg communities``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from kg.analysis import DEFAULT_MAX_HOPS
from kg.cli.common import Format, FormatOpt, JsonOpt, SeedsOpt, StoreOpt, chosen, open_session


class Measure(StrEnum):
    """Centrality measures."""

    degree = "degree"
    betweenness = "betweenness"
    pagerank = "pagerank"
    eigenvector = "eigenvector"


def path(
    a: Annotated[str, typer.Argument(help="From: a name, alias or id.")],
    b: Annotated[str, typer.Argument(help="To: a name, alias or id.")],
    max_hops: Annotated[
        int, typer.Option("--max-hops", min=1, help="Longest path.")
    ] = DEFAULT_MAX_HOPS,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most paths shown.")] = 10,
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
    fmt: FormatOpt = Format.table,
    as_json: JsonOpt = False,
) -> None:
    """The shortest path(s) between two entities, as readable chains of relations.

    Each arrow points the way its relation does: 'Larry Fink —CEO of→ BlackRock', and
    'Larry Fink ←attended by— Meeting ...' when the path walks a relation backwards.
    """
    from kg.analysis import shortest_paths
    from kg.cli import output as out

    g = open_session(store, seeds)
    source, target = g.names.resolve(a), g.names.resolve(b)
    paths = shortest_paths(g.graph, source.id, target.id, max_hops, limit)
    form = chosen(fmt, as_json)
    if form == "json":
        out.print_json(
            {
                "source": source.brief(),
                "target": target.brief(),
                "paths": [p.to_dict() for p in paths],
            }
        )
    elif form == "csv":
        out.print_csv(
            ["path", "step", "source", "relation", "target", "sources"],
            [
                [n, i, s.source, s.label, s.target, list(s.sources)]
                for n, p in enumerate(paths, 1)
                for i, s in enumerate(p.steps, 1)
            ],
        )
    else:
        hops = len(paths[0].steps)
        out.note(f"{len(paths)} shortest path(s) of {hops} hop(s)")
        for p in paths:
            out.echo(p.text())


def central(
    measure: Annotated[
        Measure, typer.Option("--measure", help="Centrality measure.")
    ] = Measure.degree,
    cls: Annotated[
        str | None,
        typer.Option("--class", help="Only nodes of this class or group (Person, Investor ...)."),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many.")] = 10,
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
    fmt: FormatOpt = Format.table,
    as_json: JsonOpt = False,
) -> None:
    """The most central entities: degree (distinct neighbours), betweenness, pagerank or
    eigenvector, computed on the whole graph (undirected), then filtered by --class."""
    from kg.cli import output as out

    rows = open_session(store, seeds).central(str(measure), cls, top)
    out.emit(
        chosen(fmt, as_json),
        ["rank", "id", "label", "class", str(measure)],
        [[r.rank, r.id, r.label, r.kind, r.score] for r in rows],
        rows,
    )


def communities(
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
    fmt: FormatOpt = Format.table,
    as_json: JsonOpt = False,
) -> None:
    """Groups of entities more linked to each other than to the rest (greedy modularity),
    largest first, each named after its best-connected member."""
    from kg.cli import output as out

    found = open_session(store, seeds).communities()
    form = chosen(fmt, as_json)
    if form == "json":
        out.print_json(found)
    elif form == "csv":
        out.print_csv(
            ["community", "id", "label", "class"],
            [[c.number, m.id, m.label, m.kind] for c in found for m in c.members],
        )
    else:
        out.print_table(
            ["#", "size", "hub", "members"],
            [[c.number, c.size, c.hub.label, "; ".join(m.label for m in c.members)] for c in found],
        )


def register(app: typer.Typer) -> None:
    """Add ``kg path``, ``kg central`` and ``kg communities`` to ``app``."""
    app.command("path")(path)
    app.command("central")(central)
    app.command("communities")(communities)
