"""The whole build: seeds -> checked dataset -> every export, written all-or-nothing.

>>> import tempfile
>>> from kg.paths import default_seeds
>>> summary = build_exports(default_seeds(), tempfile.mkdtemp())
>>> "kg.trig" in summary["files"]
True
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kg.errors import ValidationError


def classes_count(graph) -> dict[str, int]:
    """Entities per display class in the networkx projection, largest first."""
    counts = Counter(data["class"] for _, data in graph.nodes(data=True))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def render_exports(dataset, graph) -> dict[str, str]:
    """Every export of a built dataset and its networkx projection, by file name."""
    from kg.export import render_all
    from kg.network import render_graphml
    from kg.question import index
    from kg.store import MemoryStore
    from kg.viz import render_build_views

    extra = {"kg.graphml": render_graphml(graph)}
    extra[index.FILE] = index.render(index.from_store(MemoryStore(dataset)))
    extra.update(render_build_views(dataset, graph))
    return render_all(dataset, extra)


def build_exports(seeds_dir: Path | str, out: Path | str, store: str | None = None) -> dict:
    """Build, validate (SHACL), render and write; raise before writing anything on a problem.

    The graph is also loaded into ``store`` when that (or the configured store) is on disk.
    """
    from kg.build import build
    from kg.export import write_exports
    from kg.network import to_networkx
    from kg.validate import shacl_problems

    built = build(seeds_dir)
    problems = shacl_problems(built)
    if problems:
        raise ValidationError(problems)
    graph = to_networkx(built.dataset)
    files = render_exports(built.dataset, graph)
    write_exports(files, out)
    from kg.store import refresh_store

    loaded = refresh_store(store, files["kg.nq"])
    sources = Counter(
        {k.split(":", 1)[1]: v for k, v in built.stats.items() if k.startswith("source:")}
    )
    return {
        "out": str(out),
        "store": loaded,
        "files": sorted(files),
        "triples": built.stats["triples"],
        "claims": built.stats["claims"],
        "classes": classes_count(graph),
        "sources": dict(sorted(sources.items())),
        "warnings": built.warnings,
    }
