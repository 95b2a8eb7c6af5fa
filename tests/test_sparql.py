"""The query layer: safety guards, timeout, row cap, syntax errors, bindings, saved queries."""

from __future__ import annotations

import multiprocessing
import re
import select
import socket

import pytest
from rdflib import Literal, URIRef

from kg.errors import InputError, NotFoundError, QueryError
from kg.queries import saved_queries, saved_query
from kg.sparql import (
    QuerySyntaxError,
    QueryTimeout,
    check_bindings,
    check_query,
    parse_binding,
    result_json,
    run_query,
    term_text,
)
from kg.store import MemoryStore
from kg.vocab import ID, KG

# a query no machine finishes in a second: the cube of every triple, counted
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# an RDF-star triple rdflib cannot parse but Oxigraph would run, beside 10^10 rows made from
# nothing (so that even an empty store would count for ever)
ENDLESS_RDF_STAR = (
    "SELECT (COUNT(*) AS ?n) WHERE { { << ?s ?p ?o >> ?q ?r } UNION { "
    + " ".join(f"VALUES ?v{n} {{ 0 1 2 3 4 5 6 7 8 9 }}" for n in range(10))
    + " } }"
)
BOUND = 60  # seconds a forked check may take before it counts as hung (it takes milliseconds)


@pytest.fixture(scope="module")
def store(dataset):
    return MemoryStore(dataset)


# ----------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <https://example.org/q> "
        "{ ?s ?x ?y } } }",
        "ASK { { SELECT ?s WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } } } }",
        "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
    ],
)
def test_service_is_refused_wherever_it_hides(query):
    with pytest.raises(QueryError, match="SERVICE is refused"):
        check_query(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://example.org/graph.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "CONSTRUCT { ?s ?p ?o } FROM <https://w3id.org/korea-ai-kg/graph/provenance> "
        "WHERE { ?s ?p ?o }",
        "ASK FROM <file:///tmp/x.ttl> { ?s ?p ?o }",
    ],
)
def test_from_and_from_named_are_refused(query):
    with pytest.raises(QueryError, match="FROM / FROM NAMED are refused"):
        check_query(query)


def test_load_is_refused_as_reading_a_file_or_url():
    with pytest.raises(QueryError, match="LOAD is refused") as err:
        check_query("LOAD <file:///etc/passwd> INTO GRAPH <http://x>")
    assert err.value.exit_code == 2


@pytest.mark.parametrize(
    "update, named",
    [
        ("INSERT DATA { <http://x> <http://y> <http://z> }", "INSERT DATA"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "INSERT / DELETE"),
        ("CLEAR ALL", "CLEAR"),
        ("DROP GRAPH <https://w3id.org/korea-ai-kg/graph/provenance>", "DROP"),
        ("PREFIX ex: <http://x/> CREATE GRAPH ex:g ; COPY DEFAULT TO ex:g", "CREATE, COPY"),
    ],
)
def test_updates_are_refused(update, named):
    with pytest.raises(QueryError, match=re.escape(named) + " refused"):
        check_query(update)


def test_refused_query_never_reaches_the_store(store):
    before = len(store.dataset())
    for text in (
        "INSERT DATA { id:x a kg:Investor }",
        "CLEAR ALL",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    ):
        with pytest.raises(QueryError):
            run_query(store, text)
    assert len(store.dataset()) == before
    assert not run_query(store, "ASK { id:x a kg:Investor }").boolean


# ----------------------------------------------------------------------------- errors


def _check_in_a_process(text: str) -> str:
    """Run check_query on ``text`` in a forked process, killed after BOUND seconds; return the
    name of the exception it raised, "accepted", or "hung"."""
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)

    def target():
        try:
            check_query(text)
            sender.send("accepted")
        except Exception as exc:
            sender.send(type(exc).__name__)

    worker = ctx.Process(target=target, daemon=True)
    worker.start()
    try:
        return receiver.recv() if receiver.poll(BOUND) else "hung"
    finally:
        worker.kill()
        worker.join()


def test_locating_a_syntax_error_never_runs_the_query_so_service_calls_nobody():
    # Oxigraph parses RDF-star, rdflib does not: the query reaches the syntax-error path, which
    # once ran it in Oxigraph to find the error's position, calling the SERVICE endpoint
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        query = (
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> "
            "{ << ?s ?p ?o >> ?q ?r } }"
        )
        assert _check_in_a_process(query) == "QuerySyntaxError"
        ready, _, _ = select.select([listener], [], [], 0.5)
        assert ready == [], "the query was run: its SERVICE endpoint got a connection"


def test_a_heavy_query_with_a_syntax_error_fails_at_once_instead_of_running():
    assert _check_in_a_process(ENDLESS_RDF_STAR) == "QuerySyntaxError"
    with pytest.raises(QuerySyntaxError, match="RDF-star quoted triples"):
        check_query(ENDLESS_RDF_STAR)


def test_syntax_error_points_at_line_and_column():
    text = "SELECT ?x\nWHERE {\n  ?x kg:attendee ?y .\n  ?y skos:prefLabel }\n"
    with pytest.raises(QuerySyntaxError) as err:
        check_query(text)
    assert (err.value.line, err.value.column) == (4, 21)  # the "}" where an object belongs
    assert "line 4, column 21: unexpected '}'" in str(err.value)
    assert "  ?y skos:prefLabel }" in str(err.value)  # the offending line is quoted
    assert err.value.exit_code == 2


def test_unknown_query_form_is_located_at_its_start():
    with pytest.raises(
        QuerySyntaxError,
        match="line 1, column 1: unexpected 'SELEC'; expected SELECT, ASK, CONSTRUCT or DESCRIBE",
    ):
        check_query("SELEC ?x WHERE { ?x ?p ?o }")


def test_unknown_prefix_names_the_predeclared_ones():
    with pytest.raises(QueryError, match="unknown prefix 'foo:'.*kg, org"):
        check_query("SELECT ?x WHERE { ?x foo:bar ?y }")


def test_forms_and_variables():
    assert check_query("SELECT ?s ?l WHERE { ?s skos:prefLabel ?l }").variables == ("s", "l")
    assert check_query("ASK { ?s a kg:Investor }").form == "ask"
    assert check_query("CONSTRUCT WHERE { ?s a kg:Investor }").form == "construct"
    assert check_query("DESCRIBE id:blackrock").form == "describe"


# ----------------------------------------------------------------------------- running


def test_select_with_bindings_in_a_worker_equals_the_store(store):
    text = "SELECT ?attendee WHERE { ?event kg:attendee ?attendee } ORDER BY ?attendee"
    bindings = {"event": ID["mou-signing"]}
    via_layer = run_query(store, text, bindings)
    assert via_layer.rows == store.query(text, bindings).rows
    assert {term_text(r[0]) for r in via_layer.rows} == {
        "id:bae-kyung-hoon",
        "id:larry-fink",
        "id:lee-jae-myung",
    }


def test_ask_construct_describe(store):
    assert run_query(store, "ASK { id:gip kg:ownedBy id:blackrock }").boolean is True
    graph = run_query(store, "CONSTRUCT WHERE { id:gip kg:ownedBy ?owner }").graph
    assert set(graph) == {(ID["gip"], KG.ownedBy, ID["blackrock"])}
    described = run_query(store, "DESCRIBE id:gip").graph
    assert (ID["gip"], KG.ownedBy, ID["blackrock"]) in described


def test_row_cap_cuts_and_says_so(store, built):
    text = "SELECT ?s WHERE { ?s a kg:Commitment } ORDER BY ?s"
    full = run_query(store, text, max_rows=None)
    commitments = [r for r in built.seeds.records.values() if r.kind == "commitments"]
    assert len(full.rows) == len(commitments) and not full.notes
    capped = run_query(store, text, max_rows=5)
    assert capped.rows == full.rows[:5]
    assert any("row cap 5" in n for n in capped.notes)
    graph = run_query(store, "CONSTRUCT WHERE { ?s a kg:Commitment }", max_rows=4)
    assert len(graph.graph) == 4 and any("row cap 4" in n for n in graph.notes)


def test_a_query_that_outlives_the_timeout_is_stopped(store):
    with pytest.raises(QueryTimeout, match="1 s timeout") as err:
        run_query(store, ENDLESS, timeout=1)
    assert err.value.exit_code == 1
    assert multiprocessing.active_children() == []  # the worker was killed and reaped


def test_json_results_follow_the_w3c_format(store):
    result = run_query(store, "SELECT ?l WHERE { id:msit skos:prefLabel ?l } ORDER BY ?l")
    assert result_json(result) == {
        "head": {"vars": ["l"]},
        "results": {
            "bindings": [
                {
                    "l": {
                        "type": "literal",
                        "value": "Ministry of Science and ICT",
                        "xml:lang": "en",
                    }
                },
                {"l": {"type": "literal", "value": "과학기술정보통신부", "xml:lang": "ko"}},
            ]
        },
    }
    assert result_json(run_query(store, "ASK {}")) == {"head": {}, "boolean": True}


# ----------------------------------------------------------------------------- bindings


@pytest.mark.parametrize(
    "text, name, term",
    [
        ("event=id:ny-meeting", "event", ID["ny-meeting"]),
        ("?x=<http://example.org/a>", "x", URIRef("http://example.org/a")),
        ('name="Larry Fink"@en', "name", Literal("Larry Fink", lang="en")),
        ('name="} ; DROP ALL #"', "name", Literal("} ; DROP ALL #")),
        ("n=42", "n", Literal(42)),
        ("flag=true", "flag", Literal(True)),
        ("label=Amazon Web Services", "label", Literal("Amazon Web Services")),
        ("url=http://example.org/", "url", Literal("http://example.org/")),
    ],
)
def test_parse_binding(text, name, term):
    assert parse_binding(text) == (name, term)


@pytest.mark.parametrize("text", ["no-equals", "bad name=1", "=1"])
def test_parse_binding_rejects_malformed(text):
    with pytest.raises(InputError):
        parse_binding(text)


def test_bad_binding_names_are_refused(store):
    with pytest.raises(InputError, match="bad variable name"):
        run_query(store, "ASK {}", {"x } DROP": Literal(1)})


def test_binding_a_variable_the_query_lacks_is_refused_naming_its_variables(store):
    text = "SELECT ?e WHERE { ?e kg:ownedBy ?owner }"
    refusal = r"cannot bind \?nosuch: .*\(its variables: \?e, \?owner\)"
    with pytest.raises(InputError, match=refusal):
        run_query(store, text, {"nosuch": Literal(1)})
    # a variable of the pattern may be bound even when it is not returned
    check_bindings(check_query(text), {"owner": ID["blackrock"]})
    assert [term_text(r[0]) for r in run_query(store, text, {"owner": ID["blackrock"]}).rows] == [
        "id:gip"
    ]


# ----------------------------------------------------------------------------- saved queries


def test_every_saved_query_is_documented_safe_and_answers(store):
    queries = saved_queries()
    assert len(queries) >= 10
    for q in queries:
        checked = check_query(q.text)
        assert q.title and q.description, q.name
        for variable, meaning in q.params:
            # pyoxigraph binds only projected variables: every parameter must be selected
            assert variable in checked.variables, (q.name, variable)
            assert meaning, (q.name, variable)
        if q.name != "named":  # named needs ?name bound to say anything
            assert store.query(q.text).rows, q.name


def test_saved_query_by_name_and_unknown_name():
    assert saved_query("attendees.rq").name == "attendees"
    with pytest.raises(NotFoundError, match="known: articles, attendees"):
        saved_query("../sparql")
