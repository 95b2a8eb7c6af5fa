"""``kg export``: the exports for analysts' tools (Neo4j, Gephi, pandas, framed JSON-LD) from
any store, written all-or-nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import SeedsOpt, StoreOpt, open_from
from kg.exports import FORMATS


def export(
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"One of {', '.join(FORMATS)}; repeat for several (default: all).",
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder to write into.")] = Path("exports"),
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
) -> None:
    """Write the graph for Neo4j (import CSV and a Cypher script), Gephi (GEXF), pandas (node
    and edge CSV) and JSON-LD tools (one object per entity); see docs/exports.md.

    Exit 2 for an unknown format or a folder that cannot be written.
    """
    from kg import exports
    from kg.network import to_networkx
    from kg.writer import write_files

    chosen = list(dict.fromkeys(formats or FORMATS))
    exports.check_formats(chosen)
    dataset = open_from(store, seeds).dataset()
    files = exports.render(dataset, to_networkx(dataset), chosen)
    write_files(out, files)
    typer.echo(f"wrote {len(files)} files to {out}: {', '.join(sorted(files))}")


def register(app: typer.Typer) -> None:
    app.command("export")(export)
