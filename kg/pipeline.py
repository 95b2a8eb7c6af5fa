"""The whole build: seeds -> checked dataset -> every export, written all-or-nothing.

>>> import tempfile
>>> from kg.paths import default_seeds
>>> summary = build_exports(default_seeds(), tempfile.mkdtemp())
>>> "kg.trig" in summary["files"]
True
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from kg.cache import Cache
from kg.errors import ValidationError


def classes_count(graph) -> dict[str, int]:
    """Entities per display class in the networkx projection, largest first."""
    counts = Counter(data["class"] for _, data in graph.nodes(data=True))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def render_exports(dataset, graph, quads=None, nquads: str | None = None) -> dict[str, str]:
    """Every export of a built dataset and its networkx projection, by file name (``quads``:
    the dataset's :class:`kg.export.Quads` and ``nquads`` its N-Quads, when made already)."""
    files: dict[str, str] = {}
    emit_exports(dataset, graph, files.__setitem__, quads, nquads)
    return files


def emit_exports(
    dataset,
    graph,
    emit: Callable[[str, str], None],
    quads=None,
    nquads: str | None = None,
    chunked: Callable[[str, Iterable[str]], None] | None = None,
    consume: bool = False,
) -> None:
    """Give ``emit`` every export, by file name, one at a time, each made only when the one
    before was given, so no more than one export's text need be held (``kg build`` writes
    each to its staged file at once). Stages that are done are released as it goes.

    ``chunked``, when given, takes the N-Quads, GraphML, TriG and JSON-LD as text chunks
    instead (never held whole); then, unless ``nquads`` is given, the index and the views
    query one engine filled from the N-Quads' chunks, on disk in a temporary folder (removed
    after use) for a large graph. The exports that read the quads come first; with
    ``consume``, a :class:`kg.quadset.QuadSet` ``dataset`` (and ``quads``) is emptied after
    them, before the pictures and the exports of the projection are made."""
    import tempfile

    from kg import exports
    from kg.export import (
        Quads,
        jsonld_chunks,
        nquads_chunks,
        render_nquads,
        render_turtle,
        trig_chunks,
    )
    from kg.memory import release
    from kg.network import graphml_chunks
    from kg.quadset import QuadSet
    from kg.question import index
    from kg.store import MemoryStore
    from kg.viz import build_context, build_views

    quads = quads if quads is not None else Quads.of(dataset)
    stream = chunked or (lambda name, chunks: emit(name, "".join(chunks)))
    with tempfile.TemporaryDirectory(prefix="kg-build-store-") as scratch:
        if chunked is not None and nquads is None:
            chunked("kg.nq", nquads_chunks(quads))
            # the index and the views query one engine, filled from the N-Quads once more
            store = MemoryStore(
                dataset, nquads=nquads_chunks(quads), scratch=scratch if _on_disk(quads) else None
            )
        else:
            nquads = nquads if nquads is not None else render_nquads(quads)
            emit("kg.nq", nquads)
            store = MemoryStore(dataset, nquads=nquads)
            del nquads  # the store holds it until its first query fills the engine
        release()
        emit(index.FILE, index.render_from_store(store))
        release()
        context = build_context(dataset, graph, store)  # all the views read from the store
        del store  # closes the engine (before its folder is removed)
    release()
    stream("kg.trig", trig_chunks(quads))
    release()
    emit("kg.ttl", render_turtle(quads))
    release()
    stream("kg.jsonld", jsonld_chunks(quads))
    release()
    tools = [f for f in exports.FORMATS if f != "jsonld"]  # "jsonld" reads the quads
    for name, text in exports.each(dataset, graph, ("jsonld",), quads=quads):
        emit(name, text)
        del text
    if consume and isinstance(dataset, QuadSet):
        dataset.clear()  # the ontology stays: the Neo4j labels read its classes
        quads.graphs.clear()
    release()
    for name, chunks in build_views(dataset, graph, context=context):
        stream(name, chunks)
        del chunks
        release()
    del context
    stream("kg.graphml", graphml_chunks(graph))
    for name, text in exports.each(dataset, graph, tools, quads=quads):
        emit(name, text)
        del text
        release()


# quads from which the build's engine keeps its indexes on disk, not in memory: at a million
# quads an in-memory engine holds about 750 MiB; on disk the question index's queries take
# about 4x the CPU (bench/notes.md, growth5)
DISK_ENGINE_QUADS = 500_000


def _on_disk(quads) -> bool:
    """Whether the build's engine for ``quads`` (:class:`kg.export.Quads`) goes on disk."""
    total = sum(
        len(objects)
        for subjects in quads.graphs.values()
        for preds in subjects.values()
        for objects in preds.values()
    )
    return total >= DISK_ENGINE_QUADS


def build_exports(
    seeds_dir: Path | str,
    out: Path | str,
    store: str | None = None,
    cache: Path | None = None,
    max_records: int | None = None,
    progress: Callable[[str], None] = lambda step: None,
) -> dict:
    """Build, validate (SHACL), render and write; raise before writing anything on a problem.
    Each step is told to ``progress`` as it starts (``kg build`` prints them on stderr).

    The graph is also loaded into ``store`` when that (or the configured store) is on disk.
    With a ``cache`` folder, seed files read before are not parsed again, and seeds, ontology
    and code all as before give the earlier exports without building: the files written are
    the same as a clean build's. ``max_records`` raises (or lowers) the limit on the records
    of all seed files together.
    """
    from kg.export import write_exports
    from kg.seeds import MAX_RECORDS
    from kg.store import refresh_store
    from kg.writer import Staging

    memo = Cache(cache) if cache is not None else None
    limit = MAX_RECORDS if max_records is None else max_records
    key = _build_key(Path(seeds_dir), memo, limit) if memo is not None else None
    found = memo.get(key) if memo is not None and key else None
    if isinstance(found, tuple) and len(found) == 2:
        progress("seeds, ontology and code as before: the cached build")
        files, summary = found
        progress(f"writing {len(files)} files to {out}")
        write_exports(files, out)
    else:
        kept: dict[str, str] = {}  # the texts, only for the cache
        with Staging(Path(out)) as staging:

            def emit(name: str, text: str | Iterable[str]) -> None:
                if memo is not None and key and not isinstance(text, str):
                    text = "".join(text)  # the cache keeps every text
                staging.add(name, text)
                if memo is not None and key and isinstance(text, str):
                    kept[name] = text

            summary = _build(Path(seeds_dir), memo, limit, progress, emit)
            progress(f"moving {len(summary['files'])} files into {out}")
            staging.commit()
        if memo is not None and key:
            memo.put(key, (kept, summary))
    loaded = refresh_store(store, Path(out) / "kg.nq")
    return {"out": str(out), "store": loaded, **summary}


def _build_key(seeds_dir: Path, memo: Cache, limit: int) -> str | None:
    """The key of a whole build: every seed file (name and bytes) and the ontology."""
    from kg.paths import ontology_files
    from kg.seeds import MAX_FILE_BYTES, _display, read_bytes, seed_files

    if not seeds_dir.is_dir():
        return None
    parts: list[bytes | str] = [seeds_dir.name, str(limit)]
    for path in seed_files(seeds_dir):
        display = _display(path)
        data = read_bytes(path, display)
        if len(data) > MAX_FILE_BYTES:
            return None
        parts += [display, path.relative_to(seeds_dir).as_posix(), data]
    for path in ontology_files():
        parts += [path.name, path.read_bytes()]
    return memo.key("build", *parts)


def _build(
    seeds_dir: Path,
    memo: Cache | None,
    limit: int,
    progress: Callable[[str], None],
    emit: Callable[[str, str | Iterable[str]], None],
) -> dict:
    """Build from the seeds, giving ``emit`` each export as it is made; return the summary."""
    from kg.build import build_from_seeds
    from kg.export import Quads
    from kg.memory import release
    from kg.network import to_networkx
    from kg.seeds import load_seeds
    from kg.validate import shacl_problems

    progress(f"reading the seeds in {seeds_dir}")
    built = build_from_seeds(load_seeds(seeds_dir, cache=memo, max_records=limit), compact=True)
    progress("validating against the SHACL shapes")
    quads = Quads.of(built.dataset)
    problems = shacl_problems(built, quads=quads)
    if problems:
        raise ValidationError(problems)
    # what is left to do reads only the dataset: the records and their locations go
    dataset, stats, warnings = built.dataset, built.stats, built.warnings
    del built
    release()
    progress("rendering the exports and pictures")
    graph = to_networkx(dataset)
    names: list[str] = []

    def give(name: str, text: str | Iterable[str]) -> None:
        names.append(name)
        emit(name, text)

    emit_exports(dataset, graph, give, quads, chunked=give, consume=True)
    sources = Counter({k.split(":", 1)[1]: v for k, v in stats.items() if k.startswith("source:")})
    summary = {
        "files": sorted(names),
        "quads": stats["quads"],
        "graphs": stats["graphs"],
        "triples": stats["triples"],
        "claims": stats["claims"],
        "classes": classes_count(graph),
        "sources": dict(sorted(sources.items())),
        "warnings": warnings,
    }
    return summary
