"""Exports for the tools analysts use, each format in its own module.

- :mod:`kg.exports.neo4j`: CSV files for ``neo4j-admin database import`` and a Cypher script;
- :mod:`kg.exports.gexf`: GEXF for Gephi, with colours and sizes;
- :mod:`kg.exports.tables`: node and edge CSV for pandas;
- :mod:`kg.exports.framed`: JSON-LD with one object per entity.

The first three read the networkx projection (:func:`kg.network.to_networkx`), the last the
quads. :data:`FORMATS` names them; :func:`render` gives the files of the formats asked for.

>>> from kg.build import build_dataset
>>> from kg.network import to_networkx
>>> ds = build_dataset()
>>> sorted(render(ds, to_networkx(ds), ("gexf", "csv")))
['edges.csv', 'kg.gexf', 'nodes.csv']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

FORMATS = ("neo4j", "gexf", "csv", "jsonld")


def check_formats(formats: Iterable[str]) -> None:
    """Refuse a format not in :data:`FORMATS` (InputError naming the known ones)."""
    from kg.errors import InputError

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise InputError(f"unknown export format '{unknown[0]}' (known: {', '.join(FORMATS)})")


def render(dataset, graph, formats: Iterable[str] = FORMATS, quads=None) -> dict[str, str]:
    """The files of ``formats`` (all by default) by export name; ``quads`` is the dataset's
    :class:`kg.export.Quads` when the caller has it already."""
    return dict(each(dataset, graph, formats, quads))


def each(dataset, graph, formats: Iterable[str] = FORMATS, quads=None) -> Iterator[tuple[str, str]]:
    """:func:`render`'s files one at a time, each made when the one before was taken (so no
    more than one is held)."""
    wanted = list(formats)
    check_formats(wanted)
    if "neo4j" in wanted:
        from kg.exports import neo4j

        yield from neo4j.each(dataset, graph)
    if "gexf" in wanted:
        from kg.exports import gexf

        yield gexf.FILE, gexf.render(graph)
    if "csv" in wanted:
        from kg.exports import tables

        yield from tables.each(graph)
    if "jsonld" in wanted:
        from kg.export import Quads
        from kg.exports import framed

        yield framed.FILE, framed.render(quads if quads is not None else Quads.of(dataset))
