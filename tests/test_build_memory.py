"""``kg build`` in bounded memory: the N-Quads and GraphML written in chunks are the texts made
at once, and no chunk holds more than its share (counted, not timed); the commitments query in
groups of its own answers as the one-group form did; the build's engine filled from chunks, or
kept on disk, answers as one filled from the whole text, and a build with it writes the same
exports."""

from __future__ import annotations

import tempfile
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Literal, URIRef

import kg.pipeline as pipeline
from kg.build import build_dataset
from kg.export import Quads, nquads_chunks, render_nquads
from kg.network import graphml_chunks, render_graphml, to_networkx
from kg.paths import default_seeds
from kg.queries import saved_query
from kg.store import MemoryStore

QUERIES = ("commitments", "entities", "facts", "articles")
# commitments.rq before its lists got groups of their own: one group per commitment holding
# every investor x target x recipient x citation (211 MiB in pyoxigraph at 100k triples)
ONE_GROUP = """SELECT ?commitment ?label ?status ?currency ?value ?minValue ?maxValue ?approximation
       ?statedValueUsd ?valueUsd ?minValueUsd ?maxValueUsd ?usdRate ?usdRateDate ?undisclosed
       ?horizonYears ?horizonEnd ?announcedOn ?partOf
       (GROUP_CONCAT(DISTINCT STR(?investor); separator=" ") AS ?investors)
       (GROUP_CONCAT(DISTINCT STR(?target); separator=" ") AS ?targets)
       (GROUP_CONCAT(DISTINCT STR(?recipient); separator=" ") AS ?recipients)
       (GROUP_CONCAT(DISTINCT ?cite; separator=" ") AS ?sources)
WHERE {
  ?commitment a kg:Commitment ; skos:prefLabel ?label .
  FILTER(LANG(?label) = "en")
  OPTIONAL { ?commitment kg:investor ?investor }
  OPTIONAL { ?commitment kg:target ?target }
  OPTIONAL { ?commitment kg:recipient ?recipient }
  OPTIONAL { ?commitment kg:status/rdfs:label ?status FILTER(LANG(?status) = "en") }
  OPTIONAL { ?commitment kg:undisclosed ?undisclosed }
  OPTIONAL { ?commitment kg:horizonYears ?horizonYears }
  OPTIONAL { ?commitment kg:horizonEnd ?horizonEnd }
  OPTIONAL { ?commitment kg:announcedOn ?announcedOn }
  OPTIONAL { ?commitment kg:partOf ?partOf }
  OPTIONAL { ?commitment kg:amount ?amount . ?amount kg:currency ?currency }
  OPTIONAL { ?commitment kg:amount ?amount . ?amount kg:value ?value }
  OPTIONAL { ?commitment kg:amount ?amount . ?amount kg:minValue ?minValue }
  OPTIONAL { ?commitment kg:amount ?amount . ?amount kg:maxValue ?maxValue }
  OPTIONAL { ?commitment kg:amount ?amount . ?amount kg:approximation ?approximation }
  OPTIONAL { ?commitment kg:amount ?amount . ?amount kg:statedValueUsd ?statedValueUsd }
  OPTIONAL { ?commitment kg:amount ?amount . ?amount kg:valueUsd ?valueUsd }
  OPTIONAL { ?commitment kg:amount ?amount . ?amount kg:minValueUsd ?minValueUsd }
  OPTIONAL { ?commitment kg:amount ?amount . ?amount kg:maxValueUsd ?maxValueUsd }
  OPTIONAL {
    ?commitment kg:amount ?amount .
    ?amount kg:usdRate ?usdRate ; kg:usdRateDate ?usdRateDate .
  }
  OPTIONAL {
    GRAPH ?claim { ?commitment ?property ?object }
    ?claim kg:citation ?citation .
    ?citation prov:entity/dcterms:identifier ?article ; kg:paragraph ?paragraph .
  }
  BIND(CONCAT(?article, ":", STR(?paragraph)) AS ?cite)
}
GROUP BY ?commitment ?label ?status ?currency ?value ?minValue ?maxValue ?approximation
         ?statedValueUsd ?valueUsd ?minValueUsd ?maxValueUsd ?usdRate ?usdRateDate ?undisclosed
         ?horizonYears ?horizonEnd ?announcedOn ?partOf
ORDER BY DESC(COALESCE(?valueUsd, ?maxValueUsd, 0)) ?label
"""


@pytest.fixture(scope="module")
def dataset():
    return build_dataset()


def _rows(store: MemoryStore, text: str) -> list[tuple]:
    """Rows as text, each GROUP_CONCAT's items sorted (their order is the engine's choice)."""
    return [
        tuple(" ".join(sorted(str(t).split(" "))) for t in row) for row in store.query(text).rows
    ]


def _sorted_lines(quads: Quads) -> str:
    """The N-Quads as one sorted set of lines (the form before chunks)."""
    lines = set()
    for name, subjects in quads.graphs.items():
        graph = "" if name == "urn:x-rdflib:default" else f" <{name}>"
        for s, preds in subjects.items():
            for p, objects in preds.items():
                lines.update(f"{s.n3()} {p.n3()} {o.n3()}{graph} ." for o in objects)
    return "\n".join(sorted(lines)) + "\n"


def _prefixes() -> Quads:
    """Subjects whose IRIs begin alike (``urn:a``, ``urn:a/b``, ``urn:ab``) in the default and
    in named graphs, the same triple in two graphs, literals with quotes and accents."""
    ds = Dataset()
    p, q = URIRef("urn:p"), URIRef("urn:q")
    for i, s in enumerate(("urn:ab", "urn:a", "urn:a/b", "urn:a0", "urn:b")):
        ds.add((URIRef(s), p, Literal(i), ds.default_graph.identifier))
        for g in ("urn:g2", "urn:g1"):
            ds.add((URIRef(s), q, Literal(f'say "{s}" ü', lang="en"), URIRef(g)))
    return Quads.of(ds)


@pytest.mark.parametrize("lines", [1, 3, 7, 20_000])
@pytest.mark.parametrize("which", ["curated", "prefixes", "empty"])
def test_nquads_chunks_are_the_sorted_lines_and_each_holds_its_share(dataset, which, lines):
    quads = {"curated": lambda: Quads.of(dataset), "prefixes": _prefixes, "empty": Quads}[which]()
    chunks = list(nquads_chunks(quads, lines=lines))
    assert "".join(chunks) == _sorted_lines(quads) == render_nquads(quads)
    # a chunk is closed once it has ``lines`` lines: it holds at most that many more than
    # one subject's lines, never the whole graph when the graph is larger
    per_subject: dict[str, int] = {}
    for line in _sorted_lines(quads).splitlines():
        if line:
            subject = line.split(" ", 1)[0]
            per_subject[subject] = per_subject.get(subject, 0) + 1
    most = max(per_subject.values(), default=0)
    for chunk in chunks:
        assert chunk.count("\n") <= max(lines - 1 + most, 1)
    if which == "curated" and lines < 20_000:
        assert len(chunks) > 100


def _graphs() -> dict[str, nx.Graph]:
    plain = nx.DiGraph(name="plain", node_default={"colour": "grey"}, id="g1", size=3)
    plain.add_node("a", colour="red", weight=1.5, text="line\r\nbreak ü")
    plain.add_node("b", flag=True, count=2)
    plain.add_edge("a", "b", label="x<y & z")
    plain.add_edge("b", "a", weight=2)
    undirected = nx.MultiGraph()
    undirected.add_edge("x", "y", key="k1", note=" ")
    undirected.add_edge("x", "y", key="k2", note="")
    lone = nx.MultiDiGraph()
    lone.add_node("only")
    return {"plain": plain, "undirected": undirected, "lone": lone, "empty": nx.MultiDiGraph()}


@pytest.mark.parametrize("size", [1, 2, 2_000])
def test_graphml_chunks_are_networkx_text_and_each_holds_its_share(dataset, size):
    graphs = {"curated": to_networkx(dataset), **_graphs()}
    for name, graph in graphs.items():
        # networkx's writer takes a graph's "id" out of it: it is given a copy
        copy = graph.copy()
        want = "\n".join(nx.generate_graphml(copy, encoding="utf-8", prettyprint=True)) + "\n"
        chunks = list(graphml_chunks(graph, size=size))
        assert "".join(chunks) == want == render_graphml(graph), name
        for chunk in chunks:
            assert chunk.count("<node ") + chunk.count("<edge ") <= size, name
        if name == "curated" and size < 2_000:
            assert len(chunks) > graph.number_of_nodes() // size


def test_commitments_in_groups_of_their_own_answer_as_one_group(dataset):
    store = MemoryStore(dataset)
    rows = _rows(store, saved_query("commitments").text)
    assert rows == _rows(store, ONE_GROUP)  # the same rows in the same order
    assert len(rows) > 10 and any(r[-1] != "" for r in rows)
    one = saved_query("commitments").text
    bound = store.query(one, {"commitment": URIRef(str(store.query(one).rows[0][0]))}).rows
    assert len(bound) == 1


def test_an_engine_filled_from_chunks_or_on_disk_answers_as_one_from_text(dataset, tmp_path):
    quads = Quads.of(dataset)
    text = MemoryStore(dataset, nquads=render_nquads(quads))
    read: list[int] = []

    def counted(chunks):
        for chunk in chunks:
            read.append(len(chunk))
            yield chunk

    chunked = MemoryStore(dataset, nquads=counted(nquads_chunks(quads, lines=500)))
    disk = MemoryStore(dataset, nquads=nquads_chunks(quads, lines=500), scratch=tmp_path / "e")
    for name in QUERIES:
        query = saved_query(name).text
        want = _rows(text, query)
        assert _rows(chunked, query) == want, name
        ordered = "ORDER BY" in query  # else the rows' order is the engine's own
        assert _rows(disk, query) == want if ordered else sorted(_rows(disk, query)) == sorted(want)
    assert len(read) > 10 and max(read) < sum(read) / 5  # read chunk by chunk
    assert (tmp_path / "e" / "CURRENT").is_file()  # the disk engine's indexes are there


def test_a_build_with_its_engine_on_disk_writes_the_same_exports(tmp_path, monkeypatch):
    memory, disk = tmp_path / "memory", tmp_path / "disk"
    pipeline.build_exports(default_seeds(), memory)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(pipeline, "DISK_ENGINE_QUADS", 0)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    made: list[Path] = []
    real = MemoryStore._ox

    def watched(self):
        if self._scratch is not None:
            made.append(self._scratch)
        return real(self)

    monkeypatch.setattr(MemoryStore, "_ox", watched)
    pipeline.build_exports(default_seeds(), disk)
    assert made and all(p.parent == scratch for p in made)  # the engine was on disk
    assert not any(scratch.iterdir())  # and its folder is gone
    names = sorted(p.name for p in memory.iterdir())
    assert names == sorted(p.name for p in disk.iterdir()) and len(names) > 10
    for name in names:
        assert (memory / name).read_bytes() == (disk / name).read_bytes(), name


def test_the_index_from_fact_lines_is_the_index_from_fact_lists(dataset):
    from kg.question import index

    store = MemoryStore(dataset)
    text = index.render_from_store(store)
    assert text == index.render(index.from_store(store))
    assert not text.isascii()  # Korean labels: their lines sort by their escaped form


def test_the_build_draws_its_pictures_without_the_claims_quads(tmp_path, monkeypatch):
    import kg.viz as viz

    held: list[tuple[int, int]] = []
    real = viz.build_views

    def counted(dataset, graph, store=None, context=None):
        held.append((len(dataset), len(dataset.ontology)))
        return real(dataset, graph, store, context)

    monkeypatch.setattr(viz, "build_views", counted)
    pipeline.build_exports(default_seeds(), tmp_path / "out")
    assert held and all(quads == ontology > 0 for quads, ontology in held)
    assert (tmp_path / "out" / "kg.jsonld").stat().st_size > 100_000  # written before


@pytest.mark.parametrize("size", [1, 3, 2_000])
def test_a_page_in_chunks_is_the_page_with_its_json_made_at_once(dataset, size, monkeypatch):
    import kg.viz.page as page
    from kg.viz import Context, money, timeline, whole

    ctx = Context.from_dataset(dataset)
    real = page._json_chunks
    for make in (whole, money, timeline):
        view = make(ctx)
        monkeypatch.setattr(page, "_json_chunks", lambda value: iter([page._json(value)]))
        whole_json = "".join(page.render_html(view, articles=ctx.articles))
        monkeypatch.setattr(page, "_json_chunks", lambda value: real(value, size))
        chunks = list(page.render_html(view, articles=ctx.articles))
        assert "".join(chunks) == whole_json == page.render(view, articles=ctx.articles).html
        items = len(view.graph) if make is whole else 1
        assert len(chunks) > (items // size if size < 2_000 else 2)
