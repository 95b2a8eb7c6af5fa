"""Printing for the query commands: aligned tables for people, JSON and CSV for scripts.

Data goes to stdout and messages to stderr. Colour (bold headings) is used only on a terminal,
and never when ``NO_COLOR`` is set; tables wrap long cells to the terminal's width, but only on
a terminal (piped output keeps each row on one line).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
import textwrap
from collections.abc import Iterable

import typer

from kg.model import Source

MIN_WIDTH = 12  # narrowest a wrapped column gets
GAP = "  "


def _color() -> bool | None:
    """``False`` when NO_COLOR is set; otherwise let click strip styles off a non-terminal."""
    return False if os.environ.get("NO_COLOR") else None


def echo(text: str = "") -> None:
    """A line of data on stdout."""
    typer.echo(text, color=_color())


def note(text: str) -> None:
    """A message on stderr."""
    typer.echo(text, err=True, color=_color())


def bold(text: str) -> str:
    """``text`` in bold (stripped again when stdout is not a terminal)."""
    return typer.style(text, bold=True)


def heading(text: str) -> None:
    """A section heading of a table-format page."""
    echo(bold(text))


def print_json(data) -> None:
    """``data`` (plain data or kg.model results) as indented UTF-8 JSON."""
    from kg.model import to_data

    echo(json.dumps(to_data(data), indent=2, ensure_ascii=False, default=str))


def print_records(kind: type, items) -> None:
    """kg.model results of class ``kind`` as CSV: one row a result, one column a field (an
    amount spread over ``amount_*`` columns, an entity as its id, lists joined with spaces)."""
    from kg.model import columns_of, csv_row

    print_csv(columns_of(kind), [csv_row(i) for i in items])


def print_csv(columns: list[str], rows: list[list]) -> None:
    """Rows as CSV with a header line; lists in cells are joined with spaces."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    typer.echo(buffer.getvalue(), nl=False)


def print_results(fmt: str, kind: type, items, columns: list[str], rows) -> None:
    """kg.model results of class ``kind``: JSON or CSV made from their fields, else a table of
    ``columns`` with ``rows`` (an iterable of cell lists) for people."""
    if fmt == "json":
        print_json(items)
    elif fmt == "csv":
        print_records(kind, items)
    else:
        print_table(columns, list(rows))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _widths(columns: list[str], cells: list[list[str]]) -> list[int]:
    """Column widths: the widest cell, shrunk (widest column first) to fit a terminal."""
    widths = [
        max([len(c)] + [len(line) for row in cells for line in row[i].splitlines() or [""]])
        for i, c in enumerate(columns)
    ]
    if not sys.stdout.isatty():
        return widths
    room = shutil.get_terminal_size().columns - len(GAP) * (len(columns) - 1)
    while sum(widths) > room and max(widths) > MIN_WIDTH:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    return widths


def print_table(columns: list[str], rows: list[list], indent: str = "") -> None:
    """Rows as an aligned table with a bold header."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = _widths(columns, cells)
    echo(indent + bold(GAP.join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()))
    for row in cells:
        wrapped = [
            textwrap.wrap(text, w) or [""] if len(text) > w else [text]
            for text, w in zip(row, widths, strict=True)
        ]
        for n in range(max(len(lines) for lines in wrapped)):
            parts = [
                (lines[n] if n < len(lines) else "").ljust(w)
                for lines, w in zip(wrapped, widths, strict=True)
            ]
            echo(indent + GAP.join(parts).rstrip())


def emit(fmt: str, columns: list[str], rows: list[list], data=None) -> None:
    """Print rows in ``fmt``: a table, CSV, or JSON (``data`` when given, else rows as objects)."""
    if fmt == "json":
        print_json(
            data if data is not None else [dict(zip(columns, row, strict=True)) for row in rows]
        )
    elif fmt == "csv":
        print_csv(columns, rows)
    else:
        print_table(columns, rows)


def print_sources(sources: Iterable[Source], indent: str = "  ") -> None:
    """The articles behind an answer, one per line with the paragraphs used."""
    for s in sources:
        paras = ", ".join(str(p) for p in s.paragraphs)
        echo(f"{indent}{s.id}  {s.title} ({s.publisher}), paragraph(s) {paras}")
