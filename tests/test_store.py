"""Stores behind one interface: memory, oxigraph on disk and a SPARQL endpoint give the same
answers; store specs come from the option, the environment or a config file; bindings are
escaped, never pasted."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from kg import serve
from kg.cli import app
from kg.errors import InputError, QueryError, StoreError
from kg.paths import shipped_graph
from kg.serve import free_port
from kg.store import (
    MemoryStore,
    OxigraphStore,
    SparqlStore,
    open_store,
    resolve_spec,
    sparql_term,
    with_values,
    write_oxigraph,
)
from kg.vocab import ID

QUERIES = [
    (
        "SELECT ?p ?l WHERE { id:ny-meeting kg:attendee ?p . ?p skos:prefLabel ?l } ORDER BY ?p ?l",
        {},
    ),
    ("SELECT ?p WHERE { ?e kg:attendee ?p }", {"e": ID["ny-meeting"]}),
    (
        "SELECT ?c (SUM(?usd) AS ?total) WHERE { ?c kg:amount ?m . ?m kg:valueUsd ?usd } "
        "GROUP BY ?c ORDER BY DESC(?total) ?c",
        {},
    ),
    (
        "SELECT ?e WHERE { ?e skos:prefLabel ?l FILTER(CONTAINS(LCASE(STR(?l)), ?needle)) }",
        {"needle": Literal("rock")},
    ),
    (
        "SELECT ?claim ?source WHERE { GRAPH <https://w3id.org/korea-ai-kg/graph/provenance> { "
        "?claim prov:wasDerivedFrom ?source } } ORDER BY ?claim ?source LIMIT 50",
        {},
    ),
    ("SELECT DISTINCT ?org WHERE { id:blackrock (^kg:investor/kg:target/kg:partner)* ?org }", {}),
    ("ASK { ?s a kg:Investor }", {}),
    ("ASK { ?s a kg:NoSuchClass }", {}),
]
CONSTRUCT = (
    "CONSTRUCT { ?e ?p ?o } WHERE { ?e ?p ?o FILTER(isLiteral(?o)) }",
    {"e": ID["blackrock"]},
)


def answers(store) -> list:
    """Every reference query's answer, in a comparable form."""
    out = []
    for text, bindings in QUERIES:
        result = store.query(text, bindings)
        if result.kind == "ask":
            out.append(result.boolean)
        else:
            rows = result.rows if "ORDER BY" in text else sorted(result.rows, key=str)
            out.append((result.variables, rows))
    return out


@pytest.fixture(scope="module")
def memory():
    return open_store("memory")


@pytest.fixture(scope="module")
def oxigraph_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ox") / "store"
    write_oxigraph(path, shipped_graph())
    return path


# ----------------------------------------------------------------------------- embedded stores


def test_memory_store_answers_in_rdflib_terms(memory):
    result = memory.query(
        "SELECT ?l WHERE { ?e skos:prefLabel ?l FILTER(lang(?l) = 'en') }", {"e": ID["blackrock"]}
    )
    assert result.variables == ["l"]
    assert result.rows == [(Literal("BlackRock", lang="en"),)]
    assert result.records() == [{"l": Literal("BlackRock", lang="en")}]


def test_memory_store_from_a_dataset_matches_the_shipped_file(memory, dataset):
    assert answers(MemoryStore(dataset)) == answers(memory)


def test_oxigraph_store_answers_like_memory(memory, oxigraph_path):
    assert answers(OxigraphStore(oxigraph_path)) == answers(memory)


def test_oxigraph_dataset_is_the_same_dataset(memory, oxigraph_path):
    def quads(ds):
        return {(s, p, o, g) for s, p, o, g in ds.quads((None, None, None, None))}

    assert quads(OxigraphStore(oxigraph_path).dataset()) == quads(memory.dataset())


def test_construct_gives_an_rdflib_graph(memory, oxigraph_path):
    from rdflib.compare import isomorphic

    text, bindings = CONSTRUCT
    graph = memory.query(text, bindings).graph
    assert (
        ID["blackrock"],
        URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
        Literal("BlackRock", lang="en"),
    ) in graph
    assert isomorphic(graph, OxigraphStore(oxigraph_path).query(text, bindings).graph)


def test_row_cap_stops_and_says_so(memory):
    result = memory.query("SELECT * WHERE { ?s ?p ?o }", max_rows=3)
    assert len(result.rows) == 3
    assert result.notes == ["row cap 3 reached"]
    assert memory.query("SELECT * WHERE { ?s a kg:Investor }", max_rows=10_000).notes == []


def test_syntax_error_is_a_query_error(memory):
    with pytest.raises(QueryError, match="syntax"):
        memory.query("SELECT ?s WHERE { ?s ?p }")


def test_bindings_cannot_inject_query_text(memory):
    sneaky = Literal('x" } } ; DROP ALL ; SELECT * { ?s ?p "')
    result = memory.query("SELECT ?e WHERE { ?e skos:prefLabel ?needle }", {"needle": sneaky})
    assert result.rows == []
    with pytest.raises(InputError):
        memory.query("SELECT ?e WHERE { ?e ?p ?o }", {"e": URIRef("http://x/> } <http://y")})


def test_with_values_finds_the_where_group():
    e = URIRef("http://x/a")
    assert with_values("SELECT ?s WHERE { ?s ?p ?e }", {}) == "SELECT ?s WHERE { ?s ?p ?e }"
    construct = with_values("CONSTRUCT { ?e ?p ?o } WHERE { ?e ?p ?o }", {"e": e})
    assert construct.startswith("CONSTRUCT { ?e ?p ?o } WHERE { VALUES (?e) { (<http://x/a>) }")
    tricky = with_values('SELECT (STRLEN("{") AS ?n) # { comment\nWHERE { ?e ?p "}" }', {"e": e})
    assert 'WHERE { VALUES (?e) { (<http://x/a>) }  ?e ?p "}" }' in tricky
    with pytest.raises(InputError):
        with_values("SELECT * { ?s ?p ?o }", {"bad name": e})


def test_sparql_term_escapes():
    assert sparql_term(Literal('a"b\\c\nd')) == '"a\\"b\\\\c\\nd"'
    assert (
        sparql_term(Literal("7", datatype=URIRef("http://www.w3.org/2001/XMLSchema#int")))
        == '"7"^^<http://www.w3.org/2001/XMLSchema#int>'
    )
    assert sparql_term(Literal("서울", lang="ko")) == '"서울"@ko'
    assert sparql_term(3) == '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    with pytest.raises(InputError):
        sparql_term(URIRef("http://x/a b"))


# ----------------------------------------------------------------------------- writing a store


def test_write_oxigraph_replaces_atomically(tmp_path, dataset):
    path = tmp_path / "store"
    count = write_oxigraph(path, dataset)
    assert count == len(OxigraphStore(path))
    bad = tmp_path / "bad.nq"
    bad.write_text("<http://x/a> <http://x/b> .\n", encoding="utf-8")
    with pytest.raises(InputError):
        write_oxigraph(path, bad)
    assert len(OxigraphStore(path)) == count  # the previous store is untouched
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    small = tmp_path / "small.nq"
    small.write_text("<http://x/a> <http://x/b> <http://x/c> <http://x/g> .\n", encoding="utf-8")
    assert write_oxigraph(path, small) == 1
    assert len(OxigraphStore(path)) == 1


def test_write_oxigraph_refuses_a_folder_that_is_not_a_store(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="not an oxigraph store"):
        write_oxigraph(tmp_path, shipped_graph())
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_opening_a_missing_store_says_how_to_make_one(tmp_path):
    with pytest.raises(StoreError, match="kg build --store oxigraph:"):
        open_store(f"oxigraph:{tmp_path / 'nothing'}")


def test_kg_build_loads_an_oxigraph_store(tmp_path, memory):
    path = tmp_path / "store"
    result = CliRunner().invoke(
        app, ["build", "--out", str(tmp_path / "out"), "--store", f"oxigraph:{path}"]
    )
    assert result.exit_code == 0, result.output
    assert f"loaded into oxigraph:{path}" in result.output
    built = open_store(f"memory:{tmp_path / 'out' / 'kg.trig'}")
    assert answers(open_store(f"oxigraph:{path}")) == answers(built)


def test_kg_build_refreshes_the_configured_store(tmp_path, monkeypatch):
    path = tmp_path / "store"
    monkeypatch.setenv("KG_STORE", f"oxigraph:{path}")
    result = CliRunner().invoke(app, ["build", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert len(OxigraphStore(path)) == len(
        open_store(f"memory:{tmp_path / 'out' / 'kg.nq'}").dataset()
    )
    monkeypatch.setenv("KG_STORE", "memory")
    result = CliRunner().invoke(app, ["build", "--out", str(tmp_path / "out2")])
    assert result.exit_code == 0 and "loaded into" not in result.output


def test_kg_build_refuses_a_remote_store(tmp_path):
    result = CliRunner().invoke(
        app, ["build", "--out", str(tmp_path / "out"), "--store", "sparql:http://127.0.0.1:9/query"]
    )
    assert result.exit_code == 2
    assert "kg push" in result.output


# ----------------------------------------------------------------------------- store specs


def test_spec_precedence(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_STORE", raising=False)
    monkeypatch.delenv("KG_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_spec() == "memory"
    (tmp_path / "kg.toml").write_text('store = "oxigraph:data/store"\n', encoding="utf-8")
    assert resolve_spec() == f"oxigraph:{tmp_path / 'data' / 'store'}"
    monkeypatch.setenv("KG_STORE", "sparql:http://127.0.0.1:1/query")
    assert resolve_spec() == "sparql:http://127.0.0.1:1/query"
    assert resolve_spec("memory") == "memory"


def test_config_file_named_by_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("KG_STORE", raising=False)
    config = tmp_path / "elsewhere.toml"
    config.write_text('store = "memory"\n', encoding="utf-8")
    monkeypatch.setenv("KG_CONFIG", str(config))
    assert resolve_spec() == "memory"
    config.write_text("store = [1]\n", encoding="utf-8")
    with pytest.raises(InputError, match="must be a string"):
        resolve_spec()
    config.write_text("store = \n", encoding="utf-8")
    with pytest.raises(InputError, match="not a TOML"):
        resolve_spec()
    monkeypatch.setenv("KG_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(InputError, match="does not exist"):
        resolve_spec()


@pytest.mark.parametrize("spec", ["mongo:x", "oxigraph:", "sparql:ftp://x", "memory:x.ttl"])
def test_bad_specs_are_input_errors(spec):
    with pytest.raises(InputError):
        open_store(spec)


def test_seeds_cannot_be_combined_with_a_remote_store():
    with pytest.raises(InputError, match="--seeds"):
        open_store("sparql:http://127.0.0.1:9/query", seeds="seeds")


# ----------------------------------------------------------------------------- remote endpoint


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """A real, empty, read-write Oxigraph server on loopback; its base URL."""
    if shutil.which("oxigraph") is None:
        pytest.skip("the oxigraph server binary is not installed")
    with serve.oxigraph_server(tmp_path_factory.mktemp("oxserver") / "db", read_only=False) as url:
        yield url


@pytest.fixture(scope="module")
def pushed(oxigraph_server) -> str:
    """The curated graph pushed with ``kg push``; the store spec to query it."""
    result = subprocess.run(
        [sys.executable, "-m", "kg", "push", f"{oxigraph_server}/store"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "KG_STORE": "memory"},
    )
    assert result.returncode == 0, result.stderr
    assert "graphs to" in result.stdout
    return f"sparql:{oxigraph_server}/query"


@pytest.mark.server
def test_sparql_store_answers_like_memory(pushed, memory):
    assert answers(open_store(pushed)) == answers(memory)


@pytest.mark.server
def test_sparql_store_construct_and_dataset(pushed, memory):
    from rdflib.compare import isomorphic

    store = open_store(pushed)
    text, bindings = CONSTRUCT
    assert isomorphic(store.query(text, bindings).graph, memory.query(text, bindings).graph)
    remote = {q for q in store.dataset().quads((None, None, None, None))}
    local = {q for q in memory.dataset().quads((None, None, None, None))}
    assert remote == local


@pytest.mark.server
def test_push_again_replaces_graphs(oxigraph_server, pushed, memory):
    from kg.push import push

    first = open_store(pushed).query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    report = push(memory, f"{oxigraph_server}/store")
    again = open_store(pushed).query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert first.rows == again.rows
    assert report.triples == int(again.rows[0][0])


@pytest.mark.server
def test_sparql_store_errors(pushed):
    store = open_store(pushed)
    with pytest.raises(QueryError):
        store.query("SELECT ?s WHERE { ?s ?p }")
    with pytest.raises(StoreError, match="cannot reach"):
        SparqlStore(f"http://127.0.0.1:{free_port()}/query").query("ASK { ?s ?p ?o }")


def test_push_refuses_a_remote_source_and_bad_urls(memory):
    from kg.push import push

    with pytest.raises(InputError, match="local store"):
        push(SparqlStore("http://127.0.0.1:9/query"), "http://127.0.0.1:9/store")
    with pytest.raises(InputError, match="Graph Store"):
        push(memory, "ftp://127.0.0.1/store")


def test_push_to_nothing_is_a_clear_error(memory):
    result = CliRunner().invoke(app, ["push", f"http://127.0.0.1:{free_port()}/store"])
    assert result.exit_code == 1
    assert "cannot push" in result.output


# ----------------------------------------------------------------------------- every command

COMMANDS = [
    ["attendees", "New York meeting"],
    ["entity", "BlackRock", "--json"],
    ["commitments", "--json"],
    ["members", "AI Infrastructure Partnership"],
    ["why", "Larry Fink"],
    ["search", "black rock"],
    ["ask", "who signed the BlackRock MOU"],
    ["ask", "how is Larry Fink connected to Jensen Huang"],
    [
        "sparql",
        "SELECT ?e (COUNT(?p) AS ?n) WHERE { ?e kg:attendee ?p } GROUP BY ?e ORDER BY ?e",
        "--format",
        "csv",
    ],
    ["sparql", "--saved", "investments", "--json"],
    ["path", "Larry Fink", "Ulsan"],
    ["central", "--measure", "pagerank", "--top", "5", "--json"],
    ["communities", "--json"],
    ["viz", "--money", "--out", "-"],
    ["viz", "--focus", "Larry Fink", "--hops", "2", "--out", "-"],
]


def run_everything(spec: str) -> list[tuple[int, str]]:
    runner = CliRunner()
    out = []
    for args in COMMANDS:
        result = runner.invoke(app, [*args, "--store", spec])
        out.append((result.exit_code, result.stdout))
    return out


@pytest.mark.server
def test_every_command_answers_the_same_on_every_store(oxigraph_path, pushed):
    memory = run_everything("memory")
    assert [code for code, _ in memory] == [0] * len(COMMANDS), memory
    assert run_everything(f"oxigraph:{oxigraph_path}") == memory
    assert run_everything(pushed) == memory


@pytest.mark.server
def test_kg_serve_proxies_a_sparql_store_through_its_workers(pushed, memory):
    import json
    import time
    import urllib.parse
    import urllib.request

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--port", str(port), "--quiet", "--store", pushed],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        query = "SELECT ?p WHERE { id:ny-meeting kg:attendee ?p } ORDER BY ?p"
        url = f"http://127.0.0.1:{port}/sparql?{urllib.parse.urlencode({'query': query})}"
        deadline, body = time.monotonic() + 60, None
        while body is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    body = json.loads(response.read())
            except OSError:
                time.sleep(0.2)
        assert body is not None, "kg serve did not answer"
        got = [b["p"]["value"] for b in body["results"]["bindings"]]
        assert got == [str(row[0]) for row in memory.query(query).rows]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=15)
    assert "Traceback" not in err


def test_the_oxigraph_program_is_found_beside_the_interpreter(monkeypatch, tmp_path):
    from kg.serve import oxigraph_binary

    program = tmp_path / "bin" / "oxigraph"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bin" / "python"))
    monkeypatch.setenv("PATH", "/nonexistent")
    assert oxigraph_binary() == str(program)
