"""The library of saved queries: the ``.rq`` files of this folder, documented by their header.

Each file starts with ``# key: value`` comments: ``title``, ``description`` and one ``param``
per variable a caller may bind (``# param: ?event an event IRI, e.g. id:ny-meeting``); a
comment line without a key continues the one before.

>>> q = saved_query("attendees")
>>> q.title, q.params[0]
('Who attended which event', ('event', 'an event IRI, e.g. id:ny-meeting'))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.errors import NotFoundError

QUERY_DIR = Path(__file__).resolve().parent
EXAMPLE_DIR = QUERY_DIR / "examples"  # short queries to start from (the kg serve page's menu)
_HEADER = re.compile(r"^(title|description|param):\s*(.*)$")
_NAME = re.compile(r"^[a-z0-9-]+(\.rq)?$")


@dataclass(frozen=True)
class SavedQuery:
    """A saved query: its name, header comments and text."""

    name: str
    title: str
    description: str
    params: tuple[tuple[str, str], ...]  # (variable, what to bind)
    text: str


@cache
def _read(path: Path) -> SavedQuery:
    """Read a ``.rq`` file whose leading ``# key: value`` comments document it."""
    text = path.read_text(encoding="utf-8")
    head: dict[str, list[str]] = {"title": [], "description": [], "param": []}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        m = _HEADER.match(body)
        if m:
            key = m.group(1)
            head[key].append(m.group(2))
        elif key and body:
            head[key][-1] += " " + body
    params = []
    for entry in head["param"]:
        name, _, what = entry.partition(" ")
        params.append((name.lstrip("?"), what.strip()))
    return SavedQuery(
        path.stem, " ".join(head["title"]), " ".join(head["description"]), tuple(params), text
    )


def saved_queries() -> list[SavedQuery]:
    """Every saved query, by name.

    >>> "attendees" in [q.name for q in saved_queries()]
    True
    """
    return [_read(p) for p in sorted(QUERY_DIR.glob("*.rq"))]


def example_queries() -> list[SavedQuery]:
    """The example queries (``examples/*.rq``, same header), by name.

    >>> "ny-meeting" in [q.name for q in example_queries()]
    True
    """
    return [_read(p) for p in sorted(EXAMPLE_DIR.glob("*.rq"))]


def saved_query(name: str) -> SavedQuery:
    """One saved query by name (with or without ``.rq``); NotFoundError lists the known ones."""
    path = QUERY_DIR / f"{name.removesuffix('.rq')}.rq"
    if not _NAME.match(name) or not path.is_file():
        known = ", ".join(q.name for q in saved_queries())
        raise NotFoundError(f"no saved query '{name}' (known: {known})")
    return _read(path)
