"""``memory`` and ``memory:FILE``: embedded, in memory, no server."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.stores.base import ox_quads, rdf_format
from kg.stores.oxigraph import PyoxigraphStore, _engine_error, write_oxigraph


class MemoryStore(PyoxigraphStore):
    """Embedded, in memory, no server: built from an rdflib Dataset or loaded from a file.

    SPARQL runs on pyoxigraph's in-memory engine (filled on the first query); ``dataset()`` is
    the rdflib Dataset given, or, for a file, the engine's quads parsed on first use. ``nquads``,
    the dataset's own N-Quads text when already made (or its chunks, read as they come), fills
    the engine in one bulk parse instead of converting the dataset term by term. ``scratch``,
    an empty folder, keeps the engine's indexes on disk there instead of in memory (``kg build``
    removes the folder after use).
    """

    name = "memory"

    def __init__(
        self,
        dataset=None,
        *,
        path: Path | str | None = None,
        nquads: str | Iterable[str] | None = None,
        scratch: Path | str | None = None,
    ):
        if (dataset is None) == (path is None):
            raise TypeError("MemoryStore takes a dataset or a path")
        self._dataset = dataset
        self._nquads = nquads
        self._path = Path(path) if path is not None else None
        self._scratch = Path(scratch) if scratch is not None else None
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

            # ``scratch``: the engine's quads in an empty folder on disk (``kg build`` at a
            # million quads: the same answers without holding every index in memory)
            store = ox.Store(str(self._scratch)) if self._scratch is not None else ox.Store()
            if self._path is not None:
                try:
                    store.load(path=str(self._path), format=rdf_format(self._path))
                except (SyntaxError, OSError, ValueError) as exc:
                    raise InputError(f"{self._path}: {_engine_error(exc)}") from None
            elif isinstance(self._nquads, str):
                store.bulk_load(input=self._nquads, format=ox.RdfFormat.N_QUADS)
                self._nquads = None  # the engine holds it now
            elif self._scratch is not None:
                # one bulk load per chunk: the loader holds a whole input's quads at once
                for chunk in self._nquads:
                    store.bulk_load(input=chunk, format=ox.RdfFormat.N_QUADS)
                self._nquads = None
            elif self._nquads is not None:
                store.bulk_load(input=_ChunkReader(self._nquads), format=ox.RdfFormat.N_QUADS)
                self._nquads = None
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


class _ChunkReader(io.RawIOBase):
    """Text chunks as a binary stream (UTF-8), read as the engine asks for them."""

    def __init__(self, chunks: Iterable[str]):
        self._chunks: Iterator[str] = iter(chunks)
        self._left = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._left:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._left = memoryview(chunk.encode("utf-8"))
        n = min(len(buffer), len(self._left))
        buffer[:n] = self._left[:n]
        self._left = self._left[n:]
        return n
