"""Where kg finds its ontology, seeds and the prebuilt graph.

An installed wheel carries them in ``kg/_data``; a source checkout (editable install) uses the
repository's top-level ``ontology/``, ``seeds/`` and ``exports/``.

>>> ontology_file().name
'kg.ttl'
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_DATA = _PACKAGE / "_data"
_REPO = _PACKAGE.parent

GRAPH_FILE = "kg.trig"
INDEX_FILE = "kg-index.json"


def _data(installed: Path, checkout: Path) -> Path:
    return installed if installed.exists() else checkout


def ontology_dir() -> Path:
    """The folder holding ``kg.ttl`` and ``shapes.ttl``."""
    return _data(_DATA / "ontology", _REPO / "ontology")


def ontology_file() -> Path:
    """The ontology in Turtle."""
    return ontology_dir() / "kg.ttl"


def ontology_files() -> list[Path]:
    """Every Turtle file of the ontology graph: the ontology and its question lexicon."""
    return [ontology_file(), ontology_dir() / "lexicon.ttl"]


def shapes_file() -> Path:
    """The SHACL shapes in Turtle."""
    return ontology_dir() / "shapes.ttl"


def default_seeds() -> Path:
    """The curated seeds that ship with kg."""
    return _data(_DATA / "seeds", _REPO / "seeds")


def shipped_graph() -> Path:
    """The prebuilt dataset (TriG) that ships with kg, so lookups need no build step."""
    return _data(_DATA / GRAPH_FILE, _REPO / "exports" / GRAPH_FILE)


def shipped_index() -> Path:
    """The question index (names, facts, lexicon) that ships with kg, read by ``kg ask``."""
    return _data(_DATA / INDEX_FILE, _REPO / "exports" / INDEX_FILE)
