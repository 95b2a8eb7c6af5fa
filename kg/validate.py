"""Check seeds against the SHACL shapes and the referential rules, located at file:line.

>>> report = validate()                 # the curated seeds that ship with kg
>>> report.conforms
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, URIRef

from kg.errors import Problem, ValidationError
from kg.shacl_batch import BATCH_TRIPLES, batches, reach
from kg.vocab import ONTOLOGY_GRAPH

SH = "http://www.w3.org/ns/shacl#"


@dataclass
class Report:
    """The outcome of a validation: problems at file:line, plus warnings that do not fail it."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.problems


def data_graph(dataset) -> Graph:
    """Every triple of the dataset but the ontology, as one graph (what the shapes check)."""
    graph = Graph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if g != ONTOLOGY_GRAPH:
            graph.add((s, p, o))
    return graph


def fast_conforms(dataset, quads=None) -> bool | None:
    """shacl-rust's verdict on the dataset (data graph plus the ontology, as pySHACL sees it
    with ``ont_graph``), or None when shacl-rust is not installed. Tens of times faster than
    pySHACL; it only decides whether pySHACL needs to run (tests/test_shacl_fast.py checks that
    the two agree), so every reported problem is still pySHACL's. ``quads``: the dataset's
    :class:`kg.export.Quads`, when the caller has it already.
    """
    try:
        import shacl_rust
    except ImportError:
        return None
    from kg.export import render_ntriples
    from kg.paths import ontology_file, shapes_file

    data = render_ntriples(quads if quads is not None else dataset, skip=[str(ONTOLOGY_GRAPH)])
    onto = Graph().parse(ontology_file(), format="turtle")
    data += "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in onto)
    report = shacl_rust.validate(data, shapes_file().read_text(encoding="utf-8"), data_format="nt")
    return bool(report["conforms"])


def shacl_problems(built, fast: bool = True, quads=None) -> list[Problem]:
    """Run pySHACL on a built dataset and locate each result at the seed line it came from.

    With ``fast`` (and shacl-rust installed), shacl-rust checks the graph first, in bounded
    batches when the shapes allow it (:mod:`kg.shacl_batch`), and pySHACL runs only on what it
    finds wrong: the batches that fail, or the whole graph when the shapes reach across nodes.
    ``quads``: the dataset's :class:`kg.export.Quads`, if made.
    """
    if fast:
        shapes = Graph().parse(_shapes_path(), format="turtle")
        if _has_shacl_rust() and reach(shapes):
            return _batched_problems(built, quads, shapes)
        if fast_conforms(built.dataset, quads):
            return []
    return _pyshacl_problems(built)


def _shapes_path() -> Path:
    from kg.paths import shapes_file

    return shapes_file()


def _has_shacl_rust() -> bool:
    try:
        import shacl_rust  # noqa: F401
    except ImportError:
        return False
    return True


def _batched_problems(built, quads, shapes: Graph, size: int = BATCH_TRIPLES) -> list[Problem]:
    """shacl-rust on each batch; pySHACL on the batches it fails, results of owners only."""
    import shacl_rust

    from kg.export import Quads
    from kg.paths import ontology_file

    index = quads if quads is not None else Quads.of(built.dataset)
    onto = Graph().parse(ontology_file(), format="turtle")
    shapes_text = _shapes_path().read_text(encoding="utf-8")
    skip = str(ONTOLOGY_GRAPH)
    graphs = (subjects for name, subjects in index.graphs.items() if name != skip)
    problems: list[Problem] = []
    for batch in batches(graphs, onto, size):
        report = shacl_rust.validate(batch.ntriples, shapes_text, data_format="nt")
        if any(r.get("focusNode") in batch.owners for r in report["results"]):
            data = Graph().parse(data=batch.ntriples, format="nt")
            problems += _pyshacl_problems(built, data, shapes, batch.owners)
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.message))


def _pyshacl_problems(
    built, data: Graph | None = None, shapes: Graph | None = None, owners=None
) -> list[Problem]:
    """pySHACL's results on ``data`` (default: the whole data graph), at file:line; with
    ``owners`` (N-Triples terms), only the results whose focus node is one of them."""
    from pyshacl import validate as shacl_validate

    from kg.paths import ontology_file

    shapes = shapes if shapes is not None else Graph().parse(_shapes_path(), format="turtle")
    onto = Graph().parse(ontology_file(), format="turtle")
    conforms, results, _ = shacl_validate(
        data if data is not None else data_graph(built.dataset),
        shacl_graph=shapes,
        ont_graph=onto,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        inplace=True,  # the data graph is a fresh copy: pySHACL need not copy it again
    )
    if conforms:
        return []
    problems = []
    sh = lambda name: URIRef(SH + name)  # noqa: E731
    for result in results.subjects(RDF.type, sh("ValidationResult")):
        focus = results.value(result, sh("focusNode"))
        if owners is not None and focus.n3() not in owners:
            continue
        path = results.value(result, sh("resultPath"))
        message = results.value(result, sh("resultMessage"))
        value = results.value(result, sh("value"))
        loc = _locate(built.locations, focus)
        what = _short(path) + ": " if isinstance(path, URIRef) else ""
        text = f"{what}{message}" + (f" (value: {value})" if value is not None else "")
        entity = str(focus).rsplit("/id/", 1)[-1]
        problems.append(Problem(loc.file if loc else "?", loc.line if loc else 0, text, entity))
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.message))


def _locate(locations, node):
    text = str(node)
    while text:
        loc = locations.get(URIRef(text))
        if loc is not None:
            return loc
        text = text.rsplit("/", 1)[0] if "/" in text else ""
    return None


def _short(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def validate(seeds_dir: Path | str | None = None) -> Report:
    """Read and check a seeds folder (default: the curated seeds).

    Unreadable input (malformed YAML, duplicate keys) raises SeedError; rule violations are
    returned in the report.
    """
    from kg.build import build

    try:
        built = build(seeds_dir)
    except ValidationError as exc:
        return Report(problems=exc.problems)
    drafts = [f"draft {p}" for p in draft_problems(seeds_dir)]
    return Report(problems=shacl_problems(built), warnings=[*built.warnings, *drafts])


def draft_problems(
    seeds_dir: Path | str | None = None, extra: tuple[Path, ...] = ()
) -> list[Problem]:
    """The problems of the folder's ``*.draft.yaml`` files (and ``extra`` drafts), read with it.

    Drafts never enter the graph, so these are warnings of ``kg validate`` (and the failures of
    ``kg draft --check``); the checks are the referential and curation rules, not SHACL.
    """
    from kg.paths import default_seeds
    from kg.seeds import is_draft, load_seeds, seed_files

    folder = Path(seeds_dir or default_seeds())
    if not extra and not any(is_draft(p) for p in seed_files(folder, drafts=True)):
        return []
    try:
        load_seeds(folder, drafts=True, extra=extra)
    except ValidationError as exc:
        return [p for p in exc.problems if is_draft(Path(p.file))]
    return []
