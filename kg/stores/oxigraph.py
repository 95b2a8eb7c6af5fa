"""Stores whose SPARQL pyoxigraph evaluates: the shared engine code, and ``oxigraph:PATH`` (on
disk, opened read-only, written by :func:`write_oxigraph`)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kg.errors import InputError, QueryError, StoreError
from kg.sparql.results import Result, capped, graph_of
from kg.stores.base import Store, new_dataset, ox_quads, rdf_format


def _engine_error(exc: BaseException) -> str:
    from kg.sparql.terms import printable

    return printable(str(exc) or type(exc).__name__, 500)


class PyoxigraphStore(Store):
    """Shared by the memory and on-disk stores: SPARQL evaluated by a ``pyoxigraph.Store``.

    The project's prefixes are given to the engine as parameters, not as text, so the line and
    column of a syntax error are those of the query as written.
    """

    def _ox(self):
        raise NotImplementedError

    def prepare_for_fork(self) -> None:
        self._ox()

    def links(self):
        """The projection's nodes and links (:class:`kg.links.Links`), read from the quads."""
        from kg.links import scan

        return scan(self._ox())

    def labels(self, iris: list[str]) -> dict[str, str]:
        """Each IRI's shown label, as the projection picks it (:func:`kg.links.labels`)."""
        from kg.links import labels

        return labels(self._ox(), iris)

    def query(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, *, max_rows: int | None = None
    ) -> Result:
        from kg.sparql.checks import refuse_service
        from kg.sparql.prologue import prefixes, with_values

        refuse_service(sparql)
        text = with_values(sparql, bindings or {})
        try:
            res = self._ox().query(text, prefixes=prefixes(), use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {_engine_error(exc)}") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"{self.name} store: {_engine_error(exc)}") from None
        return _result(res, max_rows)

    def records(self, sparql: str) -> Iterator[dict]:
        import pyoxigraph as ox

        from kg.sparql.checks import refuse_service
        from kg.sparql.prologue import prefixes, with_values
        from kg.sparql.terms import ox_to_rdflib

        refuse_service(sparql)
        text = with_values(sparql, {})
        try:
            res = self._ox().query(text, prefixes=prefixes(), use_default_graph_as_union=True)
            if not isinstance(res, ox.QuerySolutions):
                raise QueryError("records() reads a SELECT query")
            convert = ox_to_rdflib()
            names = [v.value for v in res.variables]
            for solution in res:
                yield {n: convert(t) for n, t in zip(names, solution, strict=True) if t is not None}
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {_engine_error(exc)}") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"{self.name} store: {_engine_error(exc)}") from None

    def dataset(self):
        """The quads as oxigraph holds them (literals in canonical form, e.g. decimal ``1``
        for ``1.0``), so that every store hands the same Dataset to networkx."""
        import pyoxigraph as ox

        from kg.sparql.terms import ox_to_rdflib

        ds = new_dataset()
        convert = ox_to_rdflib()
        graphs: dict = {}

        def graph(name):
            found = graphs.get(name)
            if found is None:
                found = graphs[name] = (
                    ds.default_graph
                    if isinstance(name, ox.DefaultGraph)
                    else ds.graph(convert(name))
                )
            return found

        try:
            ds.addN(
                (convert(q.subject), convert(q.predicate), convert(q.object), graph(q.graph_name))
                for q in self._ox().quads_for_pattern(None, None, None)
            )
        except OSError as exc:
            raise StoreError(f"{self.name} store: cannot read it: {_engine_error(exc)}") from None
        return ds

    def graph_dumps(self) -> Iterable[tuple[str | None, bytes]]:
        import pyoxigraph as ox

        store = self._ox()
        try:
            graphs = sorted(store.named_graphs(), key=lambda g: g.value)
            default = ox.DefaultGraph()
            if next(iter(store.quads_for_pattern(None, None, None, default)), None) is not None:
                yield None, store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=default)
            for graph in graphs:
                yield graph.value, store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        except OSError as exc:
            raise StoreError(f"{self.name} store: cannot read it: {_engine_error(exc)}") from None


def _result(res, max_rows: int | None) -> Result:
    import pyoxigraph as ox

    from kg.sparql.terms import ox_to_rdflib

    if isinstance(res, ox.QueryBoolean):
        return Result("ask", boolean=bool(res))
    convert = ox_to_rdflib()
    notes: list[str] = []
    try:
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            rows = [tuple(map(convert, sol)) for sol in capped(res, max_rows, notes)]
            return Result("select", variables, rows, notes=notes)
        triples = [
            (convert(t.subject), convert(t.predicate), convert(t.object))
            for t in capped(res, max_rows, notes)
        ]
        return Result("graph", graph=graph_of(triples), notes=notes)
    except (OSError, ValueError, RuntimeError) as exc:  # raised lazily, while iterating
        raise StoreError(f"query failed: {_engine_error(exc)}") from None


class OxigraphStore(PyoxigraphStore):
    """pyoxigraph on disk, opened read-only: many commands (and servers) can read it at once.

    Write one with :func:`write_oxigraph` (``kg build --store oxigraph:PATH``).
    """

    name = "oxigraph"

    def __init__(self, path: Path | str):
        import pyoxigraph as ox

        self.path = Path(path)
        if not (self.path / "CURRENT").is_file():
            raise StoreError(
                f"no oxigraph store at {self.path} "
                f"(create it with `kg build --store oxigraph:{self.path}`)"
            )
        try:
            self._store = ox.Store.read_only(str(self.path))
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(
                f"cannot open the oxigraph store at {self.path} (damaged? rebuild it with "
                f"`kg build --store oxigraph:{self.path}`): {_engine_error(exc)}"
            ) from None

    def _ox(self):
        return self._store

    def links(self):
        """The link list kept beside the store (:mod:`kg.linkfile`); when it is missing (a
        store written by an older kg), stale or damaged, the quads' own, which are then kept
        for the next time if the folder is writable."""
        from kg import linkfile

        state = None
        try:
            state = linkfile.fingerprint(self.path)
            return linkfile.read(self.path, state)
        except linkfile.Unusable:
            found = super().links()
            if state is not None:
                linkfile.save(self.path, found, state, best_effort=True)
            return found

    def __len__(self) -> int:
        return len(self._store)


def _remove_stale_staging(path: Path) -> None:
    """Remove the staging folders of ``write_oxigraph`` runs that were killed (their process is
    gone), named ``.NAME.kgPID-RANDOM``."""
    import re

    from kg.writer import _alive

    pattern = re.compile(rf"^\.{re.escape(path.name)}\.kg(\d+)-[A-Za-z0-9_]+$")
    for entry in path.parent.iterdir():
        match = pattern.match(entry.name)
        if match and not _alive(int(match.group(1))) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def write_oxigraph(path: Path | str, source: Path | str | bytes | Any) -> int:
    """Replace the oxigraph store at ``path`` with a dataset; return how many quads it holds.

    ``source`` is an rdflib Dataset, N-Quads bytes, or a .trig / .nq / .nt file. The store is
    bulk-loaded into a fresh folder next to ``path`` and swapped in by renames, so readers never
    see a half loaded store and a failure leaves the previous one in place. The projection's
    link list (:mod:`kg.linkfile`) is written beside it by the first ``kg central`` that needs
    it, not here: a load stays a bulk load.

    >>> import tempfile
    >>> from kg.paths import shipped_graph
    >>> folder = Path(tempfile.mkdtemp()) / "store"
    >>> write_oxigraph(folder, shipped_graph()) == len(OxigraphStore(folder))
    True
    """
    import pyoxigraph as ox

    path = Path(path)
    if path.exists() and not (path / "CURRENT").is_file():
        raise StoreError(f"{path} exists and is not an oxigraph store; refusing to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(path)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.kg{os.getpid()}-", dir=path.parent))
    try:
        store = ox.Store(str(staging))
        if isinstance(source, bytes):
            store.bulk_load(source, ox.RdfFormat.N_QUADS)
        elif isinstance(source, (str, Path)):
            store.bulk_load(path=str(source), format=rdf_format(Path(source)))
        else:
            store.bulk_load(
                b"".join(str(q).encode("utf-8") + b" .\n" for q in ox_quads(source)),
                ox.RdfFormat.N_QUADS,
            )
        store.flush()
        count = len(store)
        del store  # releases the database lock before the folder moves
        old = path.with_name(f".{path.name}.old") if path.exists() else None
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
            path.rename(old)
        staging.rename(path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except SyntaxError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(f"cannot load {source!r}: {_engine_error(exc)}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count
