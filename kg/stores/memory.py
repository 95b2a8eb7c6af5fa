"""``memory`` and ``memory:FILE``: embedded, in memory, no server."""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.stores.base import ox_quads, rdf_format
from kg.stores.oxigraph import PyoxigraphStore, _engine_error, write_oxigraph

# id(dataset) -> its pyoxigraph store, made by prefill(), for as long as the dataset lives
_FILLED: dict[int, Any] = {}


def prefill(dataset, nquads: str) -> None:
    """Give ``dataset`` its pyoxigraph store, loaded from the dataset's own N-Quads text (one
    bulk parse): every MemoryStore over it then queries that store instead of converting the
    dataset term by term. The dataset must not change afterwards (``kg build`` does not).
    """
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(input=nquads, format=ox.RdfFormat.N_QUADS)
    key = id(dataset)
    _FILLED[key] = store
    weakref.finalize(dataset, _FILLED.pop, key, None)


class MemoryStore(PyoxigraphStore):
    """Embedded, in memory, no server: built from an rdflib Dataset or loaded from a file.

    SPARQL runs on pyoxigraph's in-memory engine (filled on the first query); ``dataset()`` is
    the rdflib Dataset given, or, for a file, the engine's quads parsed on first use.
    """

    name = "memory"

    def __init__(self, dataset=None, *, path: Path | str | None = None):
        if (dataset is None) == (path is None):
            raise TypeError("MemoryStore takes a dataset or a path")
        self._dataset = dataset
        self._path = Path(path) if path is not None else None
        self._store = None

    @classmethod
    def from_file(cls, path: Path | str | None = None) -> MemoryStore:
        """A memory store over a TriG or N-Quads file (default: the graph that ships with kg)."""
        from kg.paths import shipped_graph

        path = Path(path) if path else shipped_graph()
        rdf_format(path)
        return cls(path=path)

    def _ox(self):
        if self._store is None:
            import pyoxigraph as ox

            store = ox.Store()
            if self._path is not None:
                try:
                    store.load(path=str(self._path), format=rdf_format(self._path))
                except (SyntaxError, OSError, ValueError) as exc:
                    raise InputError(f"{self._path}: {_engine_error(exc)}") from None
            elif id(self._dataset) in _FILLED:
                store = _FILLED[id(self._dataset)]
            else:
                store.extend(ox_quads(self._dataset))
            self._store = store
        return self._store

    def dataset(self):
        if self._dataset is None:
            self._dataset = super().dataset()
        return self._dataset

    def is_shipped(self) -> bool:
        """Whether this store holds the graph that ships with kg (its question index ships too)."""
        from kg.paths import shipped_graph

        return self._path is not None and self._path.resolve() == shipped_graph().resolve()

    def save_oxigraph(self, path: Path | str) -> int:
        """Write this graph as an oxigraph store at ``path`` (see :func:`write_oxigraph`)."""
        return write_oxigraph(path, self._path if self._dataset is None else self._dataset)
