"""``memory`` and ``memory:FILE``: embedded, in memory, no server."""

from __future__ import annotations

from pathlib import Path

from kg.errors import InputError
from kg.stores.base import ox_quads, rdf_format
from kg.stores.oxigraph import PyoxigraphStore, _engine_error, write_oxigraph


class MemoryStore(PyoxigraphStore):
    """Embedded, in memory, no server: built from an rdflib Dataset or loaded from a file.

    SPARQL runs on pyoxigraph's in-memory engine (filled on the first query); ``dataset()`` is
    the rdflib Dataset given, or, for a file, the engine's quads parsed on first use. ``nquads``,
    the dataset's own N-Quads text when already made (``kg build``), fills the engine in one bulk
    parse instead of converting the dataset term by term.
    """

    name = "memory"

    def __init__(self, dataset=None, *, path: Path | str | None = None, nquads: str | None = None):
        if (dataset is None) == (path is None):
            raise TypeError("MemoryStore takes a dataset or a path")
        self._dataset = dataset
        self._nquads = nquads
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
            elif self._nquads is not None:
                store.bulk_load(input=self._nquads, format=ox.RdfFormat.N_QUADS)
                self._nquads = None  # the engine holds it now
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
