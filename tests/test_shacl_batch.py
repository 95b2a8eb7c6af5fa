"""SHACL in batches (kg.shacl_batch) gives exactly the whole graph's problems: on every invalid
case that reaches SHACL, on seeded graph mutations, with batches far smaller than a claim; and
shapes that read beyond a focus node's triples and its values' types are found and validated
whole."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from ruamel.yaml import YAML

from kg.build import build
from kg.errors import KGError
from kg.export import Quads
from kg.paths import ontology_file, shapes_file
from kg.shacl_batch import batches, reach
from kg.validate import _batched_problems, _pyshacl_problems, shacl_problems
from kg.vocab import ONTOLOGY_GRAPH

pytest.importorskip("shacl_rust")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from test_shacl_fast import BASE, RICH, _folder, _mutate  # noqa: E402

PREFIX = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .\n"


def _shapes() -> Graph:
    return Graph().parse(shapes_file(), format="turtle")


def _same(built, size: int) -> list:
    """The batched problems, asserted equal to whole-graph pySHACL's."""
    whole = _pyshacl_problems(built)
    assert _batched_problems(built, None, _shapes(), size) == whole
    return whole


def test_the_project_shapes_stay_local():
    assert reach(_shapes())


@pytest.mark.parametrize(
    "shape",
    [
        "sh:targetClass ex:C ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ]",
        "sh:targetClass ex:C ; sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ]",
        "sh:targetObjectsOf ex:p ; sh:property [ sh:path ex:q ; sh:minCount 1 ]",
        "sh:targetNode ex:n ; sh:property [ sh:path ex:q ; sh:minCount 1 ]",
        "sh:targetClass ex:C ; sh:property [ sh:path ex:p ;"
        " sh:node [ sh:property [ sh:path ex:q ; sh:minCount 1 ] ] ]",
        "sh:targetClass ex:C ; sh:property [ sh:path ex:p ;"
        " sh:or ( [ sh:path ex:q ; sh:minCount 1 ] ) ]",
        "sh:targetClass ex:C ; sh:property [ sh:path ex:p ;"
        " sh:qualifiedValueShape [ sh:class ex:D ] ; sh:qualifiedMinCount 1 ]",
        'sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this {}" ]',
    ],
)
def test_shapes_that_reach_across_are_found(shape):
    text = f"{PREFIX}ex:S a sh:NodeShape ; {shape} ."
    assert not reach(Graph().parse(data=text, format="turtle"))


def test_a_cyclic_list_is_not_followed_forever():
    text = (
        f"{PREFIX}ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:or _:l .\n"
        "_:l <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> [ sh:datatype ex:T ] ;\n"
        "    <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:l ."
    )
    assert not reach(Graph().parse(data=text, format="turtle"))


def test_local_shapes_are_accepted():
    shape = (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:or ( [ sh:path ex:p ; sh:minCount 1 ] "
        "[ sh:path ex:q ; sh:hasValue true ] ) ; sh:property [ sh:path ex:p ; sh:maxCount 1 ; "
        "sh:or ( [ sh:class ex:D ] [ sh:datatype ex:T ] ) ; sh:not [ sh:in ( ex:x ) ] ] ."
    )
    assert reach(Graph().parse(data=PREFIX + shape, format="turtle"))


def test_batches_cover_every_triple_once_per_graph():
    built = build(RICH.parent)
    quads = Quads.of(built.dataset)
    graphs = [s for name, s in quads.graphs.items() if name != str(ONTOLOGY_GRAPH)]
    onto = Graph().parse(ontology_file(), format="turtle")
    cut = list(batches(graphs, onto, size=25))
    assert len(cut) > 10
    owners = [o for b in cut for o in b.owners]
    assert len(owners) == len(set(owners))  # each node is owned by one batch
    data = Graph()
    for b in cut:
        data.parse(data=b.ntriples, format="nt")
    whole = Graph()
    for subjects in graphs:
        for s, preds in subjects.items():
            for p, objects in preds.items():
                for o in objects:
                    whole.add((s, p, o))
    assert set(data) == set(whole) | set(onto)


def test_curated_graph_conforms_in_batches():
    built = build()
    assert _batched_problems(built, None, _shapes(), 200) == []
    assert shacl_problems(built) == []


def test_invalid_cases_give_the_same_problems_in_batches(tmp_path):
    reached = 0
    for case_dir in sorted((HERE / "cases" / "invalid").iterdir()):
        case = YAML(typ="safe").load((case_dir / "case.yaml").read_text("utf-8"))
        files = {"base.yaml": BASE.read_text("utf-8"), "bad.yaml": case["seed"]}
        try:
            built = build(_folder(tmp_path, case_dir.name, files))
        except KGError:
            continue
        reached += 1
        assert _same(built, 30) != [], case_dir.name
        assert shacl_problems(built) == _pyshacl_problems(built), case_dir.name
    assert reached >= 1


@pytest.mark.slow
def test_graph_mutations_give_the_same_problems_in_batches():
    rng = random.Random(20261203)
    built = build(RICH.parent)
    ds = built.dataset
    from rdflib import RDF

    entities = sorted({s for s in ds.subjects(RDF.type, None) if "/id/" in str(s)})
    verdicts = set()
    for n in range(40):
        added, removed = _mutate(rng, ds, entities)
        for q in removed:
            ds.remove(q)
        for q in added:
            ds.add(q)
        verdicts.add(bool(_same(built, 20 + 7 * n)))
        for q in added:
            ds.remove(q)
        for q in removed:
            ds.add(q)
    assert verdicts == {True, False}


def test_shapes_that_reach_across_are_validated_whole(monkeypatch, tmp_path):
    case = YAML(typ="safe").load((HERE / "cases/invalid/unknown-currency/case.yaml").read_text())
    files = {"base.yaml": BASE.read_text("utf-8"), "bad.yaml": case["seed"]}
    built = build(_folder(tmp_path, "case", files))
    monkeypatch.setattr("kg.validate.reach", lambda shapes: False)
    monkeypatch.setattr("kg.validate._batched_problems", None)  # must not be used
    assert shacl_problems(built) == _pyshacl_problems(built) != []
