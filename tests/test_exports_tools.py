"""Exports for analysts' tools, each opened by a real reader: the Neo4j CSV files and the Cypher
script in an embedded Cypher database (ladybug, the maintained fork of kuzu), GEXF in networkx,
the CSV tables with the csv module, the framed JSON-LD with PyLD."""

from __future__ import annotations

import ast
import csv
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from kg import exports
from kg.cli import app
from kg.errors import InputError
from kg.export import Quads, render_turtle
from kg.exports import framed, gexf, neo4j, tables
from kg.network import to_networkx
from kg.writer import write_files

lb = pytest.importorskip("ladybug")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

HOSTILE = (
    'it\'s "quoted", with;semicolons',
    "back\\slash and\nnew line\ttab",
    "'); MATCH (n) DETACH DELETE n; //",
    "<script>alert(1)</script> & 한국어 ",
)


@pytest.fixture(scope="module")
def graph(dataset):
    return to_networkx(dataset)


@pytest.fixture(scope="module")
def out(dataset, graph, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tools")
    write_files(folder, exports.render(dataset, graph))
    return folder


@pytest.fixture(scope="module")
def asked() -> dict:
    result = CliRunner().invoke(app, ["ask", "--json", "who attended the New York meeting"])
    assert result.exit_code == 0, result.output
    answers = json.loads(result.stdout)["answers"]
    return {a["id"]: (a["label"], tuple(a["sources"])) for a in answers}


# ------------------------------------------------------------------ a Neo4j import in ladybug


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


def _field(name: str) -> tuple[str, str]:
    """A Neo4j header field as (property, ladybug type); ids and labels by their role."""
    if name == "id:ID":
        return "id", "STRING PRIMARY KEY"
    if name == ":LABEL":
        return "labels", "STRING[]"
    prop, _, kind = name.partition(":")
    return prop, {"": "STRING", "double": "DOUBLE", "string[]": "STRING[]"}[kind]


def _read(i: int, kind: str) -> str:
    column = f"column{i}"
    if kind.startswith("STRING[]"):
        return f"string_split({column}, '{neo4j.ARRAY}')"
    return f"CAST({column} AS DOUBLE)" if kind == "DOUBLE" else column


def _schema(conn, folder: Path) -> tuple[list, list]:
    """Tables for the typed headers of nodes.csv and relationships.csv (ladybug wants a schema
    first; Neo4j does not), one relationship table per :TYPE."""
    nodes = [_field(f) for f in _header(folder / "neo4j-nodes.csv")]
    conn.execute("CREATE NODE TABLE Entity(" + ", ".join(f"`{p}` {k}" for p, k in nodes) + ")")
    rels = [_field(f) for f in _header(folder / "neo4j-relationships.csv")[3:]]
    with (folder / "neo4j-relationships.csv").open(encoding="utf-8", newline="") as fh:
        kinds = sorted({row[2] for row in list(csv.reader(fh))[1:]})
    props = "".join(f", `{p}` {k}" for p, k in rels)
    for kind in kinds:
        conn.execute(f"CREATE REL TABLE {kind}(FROM Entity TO Entity{props})")
    return nodes, kinds


def _load_csv(folder: Path):
    """The CSV files copied into a fresh database, converting by their typed headers."""
    conn = lb.Connection(lb.Database(":memory:"))
    nodes, kinds = _schema(conn, folder)
    path = (folder / "neo4j-nodes.csv").as_posix()
    cols = ", ".join(_read(i, k) for i, (_, k) in enumerate(nodes))
    conn.execute(f"COPY Entity FROM (LOAD FROM '{path}' (header=false, skip=1) RETURN {cols})")
    path = (folder / "neo4j-relationships.csv").as_posix()
    rels = [_field(f) for f in _header(folder / "neo4j-relationships.csv")[3:]]
    cols = "".join(f", {_read(i + 3, k)}" for i, (_, k) in enumerate(rels))
    for kind in kinds:
        conn.execute(
            f"COPY {kind} FROM (LOAD FROM '{path}' (header=false, skip=1) "
            f"WITH * WHERE column2 = '{kind}' RETURN column0, column1{cols})"
        )
    return conn


_SET_LABEL = re.compile(r"MATCH \(n:Entity\) WHERE n\.id IN (\[.*\]) SET n:`(\w+)`;")


def _run_cypher(folder: Path):
    """kg.cypher run statement by statement in a fresh database with the same tables; the
    statements ladybug has no counterpart for (the constraint: its primary key is one; extra
    labels) are returned instead, as {label: ids}."""
    conn = lb.Connection(lb.Database(":memory:"))
    _schema(conn, folder)
    labels: dict[str, list[str]] = {}
    lines = (folder / "kg.cypher").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("CREATE CONSTRAINT kg_entity_id")
    for line in lines[1:]:
        if found := _SET_LABEL.fullmatch(line):
            labels[found.group(2)] = ast.literal_eval(found.group(1))
        else:
            conn.execute(line)
    return conn, labels


def _rows(conn, query: str) -> list:
    result = conn.execute(query)
    rows = []
    while result.has_next():
        rows.append(tuple(tuple(v) if isinstance(v, list) else v for v in result.get_next()))
    return sorted(rows, key=repr)


ATTENDEES = (
    "MATCH (m:Entity {id: 'ny-meeting'})-[r:ATTENDEE]->(p:Entity) RETURN p.id, p.label, r.citations"
)


def test_neo4j_csv_in_ladybug_gives_kg_ask_attendees(out, asked):
    conn = _load_csv(out)
    got = {pid: (label, tuple(cites)) for pid, label, cites in _rows(conn, ATTENDEES)}
    assert got == asked
    assert len(got) == 6


def test_neo4j_csv_keeps_labels_types_and_counts(out, graph):
    conn = _load_csv(out)
    assert _rows(conn, "MATCH (n:Entity) RETURN count(*)") == [(graph.number_of_nodes(),)]
    assert _rows(conn, "MATCH ()-[r]->() RETURN count(*)") == [(graph.number_of_edges(),)]
    # an official is a Person too (the ontology's classes above the node's own)
    (labels,) = _rows(conn, "MATCH (n:Entity {id: 'lee-jae-myung'}) RETURN n.labels")[0]
    assert {"Entity", "Official", "Person"} <= set(labels)
    persons = {n for n, d in graph.nodes(data=True) if d["group"] == "Person"}
    found = _rows(conn, "MATCH (n:Entity) WHERE list_contains(n.labels, 'Person') RETURN n.id")
    assert {r[0] for r in found} == persons
    # amounts are numbers there: the sum is the projection's
    (total,) = _rows(conn, "MATCH (n:Entity) RETURN sum(n.amount_valueUsd)")[0]
    expected = sum(d.get("amount_valueUsd", 0.0) for _, d in graph.nodes(data=True))
    assert total == pytest.approx(expected) and total > 1e9


def test_cypher_script_creates_the_same_graph(out):
    from_csv = _load_csv(out)
    from_script, labels = _run_cypher(out)
    everything = "MATCH (n:Entity) RETURN n.*"
    assert _rows(from_script, everything.replace("n.*", "n.id, n.label, n.citations")) == _rows(
        from_csv, everything.replace("n.*", "n.id, n.label, n.citations")
    )
    props = [p for p, _ in (_field(f) for f in _header(out / "neo4j-nodes.csv"))]
    props.remove("labels")
    query = "MATCH (n:Entity) RETURN " + ", ".join(f"n.`{p}`" for p in props)
    assert _rows(from_script, query) == _rows(from_csv, query)
    edges = "MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id, label(r), b.id, r.label, r.citations"
    assert _rows(from_script, edges) == _rows(from_csv, edges)
    # the label statements add exactly the CSV's labels
    by_label: dict[str, set] = {}
    for node, node_labels in _rows(from_csv, "MATCH (n:Entity) RETURN n.id, n.labels"):
        for label in node_labels[1:]:
            by_label.setdefault(label, set()).add(node)
    assert {k: set(v) for k, v in labels.items()} == by_label
    got = {r[0]: r[1:] for r in _rows(from_script, ATTENDEES)}
    assert set(got) == {r[0] for r in _rows(from_csv, ATTENDEES)}


def _hostile_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for i, text in enumerate(HOSTILE):
        g.add_node(
            f"n{i}",
            label=text,
            group="Person",
            types="Person",
            aliases=f"{text}; other",
            sources="a000:1",
            amount_value=float(i) * 1e9,
        )
    g.add_edge("n0", "n1", predicate="attendee", label=HOSTILE[2], sources="a000:1 a001:2")
    return g


def test_hostile_text_survives_csv_and_cypher(tmp_path):
    g = _hostile_graph()
    above = {"Person": ("Agent", "Person")}
    files = {
        "neo4j-nodes.csv": neo4j.render_nodes(g, above),
        "neo4j-relationships.csv": neo4j.render_relationships(g),
        "kg.cypher": neo4j.render_cypher(g, above),
    }
    write_files(tmp_path, files)
    assert len(files["kg.cypher"].splitlines()) == 1 + 4 + 2 + 1  # one line per statement
    query = "MATCH (n:Entity) RETURN n.id, n.label, n.aliases, n.amount_value"
    from_script, labels = _run_cypher(tmp_path)
    for conn in (_load_csv(tmp_path), from_script):
        rows = _rows(conn, query)
        assert [r[1] for r in rows] == list(HOSTILE)
        # an array item cannot hold Neo4j's delimiter: ';' inside one becomes ','
        assert rows[0][2] == (HOSTILE[0].replace(";", ","), "other")
        assert [r[3] for r in rows] == [0.0, 1e9, 2e9, 3e9]
        assert _rows(conn, "MATCH (n:Entity) RETURN count(*)") == [(4,)]
        edge = _rows(conn, "MATCH (a)-[r:ATTENDEE]->(b) RETURN a.id, b.id, r.label")
        assert edge == [("n0", "n1", HOSTILE[2])]
    assert labels == {"Agent": ["n0", "n1", "n2", "n3"], "Person": ["n0", "n1", "n2", "n3"]}
    table = list(csv.DictReader(tables.render_nodes(g).splitlines(keepends=True)))
    assert [r["label"] for r in table] == list(HOSTILE)
    path = tmp_path / "h.gexf"
    path.write_text(gexf.render(g), encoding="utf-8")
    back = nx.read_gexf(path)
    assert [back.nodes[n]["label"] for n in sorted(back)] == list(HOSTILE)


def test_relationship_types_are_neo4j_identifiers(graph):
    types = {neo4j.relationship_type(d["predicate"]) for _, _, d in graph.edges(data=True)}
    assert {"ATTENDEE", "MEMBER", "SUB_ORGANIZATION_OF", "MAY_LEAD_TO_JOINING"} <= types
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", t) for t in types)


# ------------------------------------------------------------------------------------- GEXF


def test_gexf_opens_in_networkx_with_labels_colours_and_sizes(out, graph):
    from kg.viz.svg import STYLES

    back = nx.read_gexf(out / "kg.gexf")
    assert set(back) == set(graph)
    assert back.number_of_edges() == graph.number_of_edges()
    for node, data in back.nodes(data=True):
        assert data["label"] == graph.nodes[node]["label"] and data["label"]
        assert data["class"] == graph.nodes[node]["class"]
        assert {"r", "g", "b"} <= set(data["viz"]["color"]) and data["viz"]["size"] > 0
    colour = back.nodes["blackrock"]["viz"]["color"]
    assert (
        "#{:02x}{:02x}{:02x}".format(colour["r"], colour["g"], colour["b"])
        == (STYLES["Investor"][0])
    )
    sizes = {n: d["viz"]["size"] for n, d in back.nodes(data=True)}
    assert sizes["south-korea"] > sizes["adebayo-ogunlesi"]
    labels = {d["label"] for _, _, d in back.edges(data=True)}
    assert "attended by" in labels


# ----------------------------------------------------------------------------- pandas tables


def test_node_and_edge_tables(out, graph, asked):
    with (out / "nodes.csv").open(encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with (out / "edges.csv").open(encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert [r["id"] for r in nodes] == list(graph)  # one row per entity
    assert len(edges) == graph.number_of_edges()
    assert list(edges[0])[:6] == ["source", "target", "predicate", "label", "citations", "articles"]
    attended = {
        r["target"]: tuple(r["citations"].split())
        for r in edges
        if r["source"] == "ny-meeting" and r["predicate"] == "attendee"
    }
    assert attended == {k: v[1] for k, v in asked.items()}
    for r in edges:
        cited = [c.split(":")[0] for c in r["citations"].split()]
        assert r["articles"].split() == list(dict.fromkeys(cited))
    usd = [float(r["amount_valueUsd"]) for r in nodes if r["amount_valueUsd"]]
    assert len(usd) == sum(1 for _, d in graph.nodes(data=True) if "amount_valueUsd" in d)
    rebuilt = nx.MultiDiGraph((r["source"], r["target"]) for r in edges)
    assert sorted(rebuilt.edges()) == sorted((a, b) for a, b, _ in graph.edges(keys=True))


# ------------------------------------------------------------------------------ framed JSON-LD


def _no_network(url, options=None):
    raise AssertionError(f"PyLD tried to load {url}")


def test_framed_jsonld_is_the_fused_view(out, dataset):
    jsonld = pytest.importorskip("pyld.jsonld")
    doc = json.loads((out / "entities.jsonld").read_text(encoding="utf-8"))
    options = {"format": "application/n-quads", "documentLoader": _no_network}
    nquads = jsonld.to_rdf(doc, options)
    back = Graph().parse(data=nquads, format="nquads")
    fused = Graph().parse(data=render_turtle(dataset), format="turtle")
    assert len(back) == len(fused)
    assert isomorphic(back, fused)


def test_framed_jsonld_has_one_object_per_entity(out, graph):
    jsonld = pytest.importorskip("pyld.jsonld")
    doc = json.loads((out / "entities.jsonld").read_text(encoding="utf-8"))
    ids = [o["id"] for o in doc["@graph"]]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(graph)  # memberships, amounts, statements are inside their owner
    by_id = {o["id"]: o for o in doc["@graph"]}
    blackrock = by_id["blackrock"]
    assert blackrock["label"] == "BlackRock" and "Investor" in blackrock["type"]
    assert {m["organization"] for m in blackrock["memberships"]} >= {"aip"}
    assert blackrock["citations"] and all(":" in c for c in blackrock["citations"])
    fink = by_id["larry-fink"]
    assert {m["title"] for m in fink["memberships"]} >= {"CEO", "chair"}
    assert set(by_id["ny-meeting"]["attendee"]) >= {"larry-fink", "lee-jae-myung"}
    # the keys are terms of the context, and the context round-trips
    options = {"documentLoader": _no_network}
    again = jsonld.compact(jsonld.expand(doc, options), doc["@context"], options)
    nodes = {o["id"]: o for o in again["@graph"]}
    assert nodes["blackrock"]["label"] == "BlackRock"
    assert nodes["larry-fink"]["aliases"] == ["Fink"]


def test_framed_jsonld_round_trips_awkward_graphs():
    """Ids that cannot be relative, text that needs escaping, two datatypes and two languages
    on one predicate, an amount two commitments share (stays top-level), a membership whose
    member is missing, a chain of memberships: PyLD gives back exactly the graph."""
    jsonld = pytest.importorskip("pyld.jsonld")
    from rdflib import XSD, Literal, URIRef

    from kg.vocab import ID, KG, SKOS

    ds = Dataset()
    claim = ds.graph(URIRef(str(ID) + "claim/x"))
    odd = [ID["a:b"], ID["한국"], ID["../up"], ID["ok/value"], URIRef("urn:x:1")]
    for i, node in enumerate(odd):
        claim.add((node, RDF_TYPE, KG.Commitment))
        claim.add((node, SKOS.prefLabel, Literal(HOSTILE[i % len(HOSTILE)], lang="en")))
        claim.add((node, SKOS.prefLabel, Literal("한국어", lang="ko")))
        claim.add((node, KG.startDate, Literal("2025-09", datatype=XSD.gYearMonth)))
        claim.add((node, KG.startDate, Literal("2025-09-22", datatype=XSD.date)))
        claim.add((node, KG.amount, ID["shared"]))
        claim.add((node, KG.status, KG.Announced))
    claim.add((ID["shared"], RDF_TYPE, KG.MonetaryAmount))
    claim.add((ID["shared"], KG.value, Literal("4000000000.0", datatype=XSD.decimal)))
    claim.add((ID["m1"], RDF_TYPE, KG.Membership))
    claim.add((ID["m1"], KG.member, ID["nobody"]))
    claim.add((ID["m2"], RDF_TYPE, KG.Membership))
    claim.add((ID["m2"], KG.member, ID["m3"]))
    claim.add((ID["m3"], RDF_TYPE, KG.Membership))
    claim.add((ID["m3"], KG.member, ID["m2"]))
    doc = json.loads(framed.render(Quads.of(ds)))
    ids = [o["id"] for o in doc["@graph"]]
    assert "shared" in ids and "m1" in ids  # not embedded: two owners, no owner
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": _no_network})
    back = Graph().parse(data=nquads, format="nquads")
    expected = Graph()
    for triple in claim:
        expected.add(triple)
    assert isomorphic(back, expected)


def test_framed_jsonld_is_linear_and_canonical(dataset):
    quads = Quads.of(dataset)
    assert framed.render(quads) == framed.render(Quads.of(dataset))


# ----------------------------------------------------------------------------------- the set


def test_formats_and_empty_graph():
    with pytest.raises(InputError, match="known: neo4j, gexf, csv, jsonld"):
        exports.render(Dataset(), nx.MultiDiGraph(), ["xlsx"])
    files = exports.render(Dataset(), nx.MultiDiGraph())
    assert set(files) == {*neo4j.FILES, gexf.FILE, *tables.FILES, framed.FILE}
    assert files["neo4j-nodes.csv"] == "id:ID,:LABEL\n"
    assert json.loads(files["entities.jsonld"])["@graph"] == []


def test_docs_examples_run_on_the_committed_exports(monkeypatch):
    import doctest

    pytest.importorskip("pyld")
    root = Path(__file__).resolve().parents[1]
    monkeypatch.chdir(root)
    result = doctest.testfile(
        str(root / "docs/exports.md"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert result.attempted >= 20
    assert result.failed == 0


def test_build_writes_the_tool_exports(dataset, graph):
    from kg.pipeline import render_exports

    files = render_exports(dataset, graph)
    assert {*neo4j.FILES, gexf.FILE, *tables.FILES, framed.FILE} <= set(files)
    assert files["kg.gexf"] == gexf.render(graph)


# ------------------------------------------------------------------------------- kg export


def test_kg_export_writes_the_chosen_formats(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["export", "-f", "gexf", "-f", "csv", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edges.csv", "kg.gexf", "nodes.csv"]
    assert nx.read_gexf(tmp_path / "kg.gexf").nodes["blackrock"]["label"] == "BlackRock"


def test_kg_export_refuses_unknown_formats_and_bad_targets(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["export", "-f", "xlsx", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "known: neo4j, gexf, csv, jsonld" in result.stderr
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "kg.gexf").mkdir()  # a folder where the file should go: nothing is written
    result = runner.invoke(app, ["export", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg.gexf"]
