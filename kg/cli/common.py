"""What the query commands share, defined once: the store, seeds and output format options, and
reading a query file.

Typer reads these ``Annotated`` types as option declarations, so a command just names them::

    def attendees(event: str, store: StoreOpt = None, seeds: SeedsOpt = None,
                  fmt: FormatOpt = Format.table, as_json: JsonOpt = False): ...
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Format(StrEnum):
    """Output formats: a table for people, JSON and CSV for scripts."""

    table = "table"
    json = "json"
    csv = "csv"


StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        metavar="SPEC",
        help="Where the graph lives: memory (the graph shipped with kg), memory:FILE.trig, "
        "oxigraph:PATH or sparql:URL. Default: $KG_STORE, then kg.toml, else memory.",
    ),
]
SeedsOpt = Annotated[
    Path | None,
    typer.Option(
        "--seeds", metavar="DIR", help="Build the graph fresh from this seeds folder instead."
    ),
]
FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help="table for people; json or csv for scripts.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Short for --format json.")]


def open_from(store: str | None, seeds: Path | None):
    """The store the options name (see :func:`kg.store.open_store`)."""
    from kg.store import open_store

    return open_store(store, seeds)


def open_session(store: str | None, seeds: Path | None):
    """A :class:`~kg.session.Session` over the store the options name."""
    from kg.session import Session

    return Session(store, seeds)


def chosen(fmt: Format | str, as_json: bool) -> str:
    """The format in force: ``--json`` wins over ``--format``."""
    return "json" if as_json else str(fmt)


def read_query_file(path: Path) -> str:
    """The text of a query file; InputError (exit 2) when it cannot be read as UTF-8 or is
    larger than 1 MB (``kg sparql --file /dev/zero`` stops at once)."""
    from kg.limits import MAX_QUERY_FILE, read_text

    return read_text(path, MAX_QUERY_FILE, "query")
