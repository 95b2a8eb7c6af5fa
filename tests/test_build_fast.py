"""The build's shortcuts give what the long way gives: the pyoxigraph store bulk-loaded from the
N-Quads (``MemoryStore(dataset, nquads=...)``), the SHACL input written from the quad index, and the
flattened amount OPTIONALs of ``commitments.rq``."""

from __future__ import annotations

import re

import pytest

from kg.build import build_dataset
from kg.export import Quads, render_nquads, render_ntriples
from kg.queries import saved_query
from kg.store import MemoryStore
from kg.vocab import ONTOLOGY_GRAPH

QUERIES = ("commitments", "entities", "attendees", "facts", "articles")
# commitments.rq's amount block as it was, one OPTIONAL holding the nested ones
NESTED_AMOUNT = """  OPTIONAL {
    ?commitment kg:amount ?amount .
    ?amount kg:currency ?currency .
    OPTIONAL { ?amount kg:value ?value }
    OPTIONAL { ?amount kg:minValue ?minValue }
    OPTIONAL { ?amount kg:maxValue ?maxValue }
    OPTIONAL { ?amount kg:approximation ?approximation }
    OPTIONAL { ?amount kg:statedValueUsd ?statedValueUsd }
    OPTIONAL { ?amount kg:valueUsd ?valueUsd }
    OPTIONAL { ?amount kg:minValueUsd ?minValueUsd }
    OPTIONAL { ?amount kg:maxValueUsd ?maxValueUsd }
    OPTIONAL { ?amount kg:usdRate ?usdRate ; kg:usdRateDate ?usdRateDate }
  }
"""


def _rows(store: MemoryStore, text: str) -> list[tuple]:
    """Rows as text, each GROUP_CONCAT's items sorted (their order is the engine's choice)."""
    rows = store.query(text).rows
    return [tuple(" ".join(sorted(str(t).split(" "))) for t in row) for row in rows]


@pytest.fixture(scope="module")
def dataset():
    return build_dataset()


def test_a_store_filled_from_nquads_answers_as_a_converted_one(dataset):
    converted = MemoryStore(dataset)
    filled = MemoryStore(dataset, nquads=render_nquads(Quads.of(dataset)))
    for name in QUERIES:
        text = saved_query(name).text
        assert sorted(_rows(filled, text)) == sorted(_rows(converted, text)), name
    assert filled._nquads is None  # the engine holds the text now, not the store


def test_the_shacl_input_is_every_triple_but_the_ontology(dataset):
    lines = render_ntriples(Quads.of(dataset), skip=[str(ONTOLOGY_GRAPH)]).splitlines()
    expected = {
        f"{s.n3()} {p.n3()} {o.n3()} ."
        for s, p, o, g in dataset.quads((None, None, None, None))
        if g != ONTOLOGY_GRAPH
    }
    assert len(lines) == len(expected) > 5000  # one line per quad, none twice in a graph
    assert set(lines) == expected


def test_flat_amount_optionals_answer_as_the_nested_form(dataset):
    flat = saved_query("commitments").text
    start = flat.index("      # one OPTIONAL per amount field")
    end = flat.index("    }\n  }\n  {\n    SELECT ?commitment (GROUP_CONCAT")
    nested = flat[:start] + NESTED_AMOUNT + flat[end:]
    assert re.search(r"OPTIONAL \{ \?amount kg:value", nested)
    store = MemoryStore(dataset)
    rows = _rows(store, flat)
    assert rows == _rows(store, nested)
    amounts = [r for r in rows if r[3] != "None"]
    assert 0 < len(amounts) < len(rows)  # commitments without an amount are in the test
