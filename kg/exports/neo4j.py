"""The entity graph for Neo4j: CSV files for ``neo4j-admin database import`` and a Cypher script.

``neo4j-nodes.csv`` has one row per entity: ``id:ID``, ``:LABEL`` (``Entity`` and the node's
ontology classes with every class above them, so ``MATCH (n:Person)`` finds officials too) and
typed properties (``amount_valueUsd:double``, ``citations:string[]``).
``neo4j-relationships.csv`` has ``:START_ID``, ``:END_ID``, ``:TYPE`` (the predicate in upper
snake case: ``ATTENDEE``, ``SUB_ORGANIZATION_OF``) and the edge's properties. ``kg.cypher``
creates the same graph with plain ``CREATE`` statements (for ``cypher-shell -f``). Arrays use
Neo4j's default delimiter ``;``; an item cannot hold it, so a ``;`` inside one is written as
``,`` (in both forms).

>>> relationship_type("subOrganizationOf"), relationship_type("https://schema.org/x")
('SUB_ORGANIZATION_OF', 'HTTPS_SCHEMA_ORG_X')
>>> cypher_string("it's \\\\ fine")
"'it\\\\'s \\\\\\\\ fine'"
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from rdflib import OWL, RDF, RDFS

from kg.exports.columns import Column, edge_columns, node_columns
from kg.vocab import ONTOLOGY_GRAPH, kg_name

ENTITY = "Entity"  # the label every node carries (the id constraint is on it)
CONSTRAINT = "kg_entity_id"
ARRAY = ";"
FILES = ("neo4j-nodes.csv", "neo4j-relationships.csv", "kg.cypher")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NOT_WORD = re.compile(r"[^A-Za-z0-9]+")


def relationship_type(predicate: str) -> str:
    """A predicate's relationship type: ``mayLeadToJoining`` -> ``MAY_LEAD_TO_JOINING``."""
    return _NOT_WORD.sub("_", _CAMEL.sub("_", predicate)).strip("_").upper() or "RELATED"


def superclasses(dataset) -> dict[str, tuple[str, ...]]:
    """Each ontology class with the kg classes above it (itself included), by local name."""
    onto = dataset.graph(ONTOLOGY_GRAPH)
    out = {}
    for cls in onto.subjects(RDF.type, OWL.Class):
        if name := kg_name(cls):
            above = (kg_name(c) for c in onto.transitive_objects(cls, RDFS.subClassOf))
            out[name] = tuple(sorted({c for c in above if c}))
    return out


def node_labels(types: str, above: dict[str, tuple[str, ...]]) -> list[str]:
    """``Entity`` and the classes of a node's ``types`` with every class above them."""
    found = {c for t in types.split() for c in above.get(t, (t,))}
    return [ENTITY] + sorted(found - {ENTITY})


def _header(column: Column) -> str:
    return column.name if column.kind == "string" else f"{column.name}:{column.kind}"


def _items(values: list[str]) -> list[str]:
    """Array items as both files write them: a ``;`` inside one (the CSV files' array delimiter,
    which cannot be escaped there) becomes ``,``, so that the CSV files and the script agree."""
    return [v.replace(ARRAY, ",") for v in values]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY.join(_items(value))
    return repr(value) if isinstance(value, float) else value


def _csv(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def render_nodes(graph, above: dict[str, tuple[str, ...]]) -> str:
    """``neo4j-nodes.csv``: one row per node, typed header."""
    columns = node_columns(graph)
    rows = [["id:ID", ":LABEL", *map(_header, columns)]]
    for node, data in graph.nodes(data=True):
        labels = ARRAY.join(node_labels(data.get("types", ""), above))
        rows.append([node, labels, *(_cell(c.get(data)) for c in columns)])
    return _csv(rows)


def render_relationships(graph) -> str:
    """``neo4j-relationships.csv``: one row per edge, typed header."""
    columns = edge_columns(graph)
    rows = [[":START_ID", ":END_ID", ":TYPE", *map(_header, columns)]]
    for a, b, data in graph.edges(data=True):
        kind = relationship_type(data.get("predicate", ""))
        rows.append([a, b, kind, *(_cell(c.get(data)) for c in columns)])
    return _csv(rows)


def cypher_string(text: str) -> str:
    """A Cypher string literal: single quotes, backslash escapes, one line."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace("'", "\\'")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f"'{escaped}'"


def _value(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(map(cypher_string, _items(value))) + "]"
    return repr(value) if isinstance(value, float) else cypher_string(value)


def _map(pairs) -> str:
    """A map literal; keys in backticks (``group`` is a keyword in some Cypher dialects)."""
    return "{" + ", ".join(f"`{k}`: {_value(v)}" for k, v in pairs if v is not None) + "}"


def render_cypher(graph, above: dict[str, tuple[str, ...]]) -> str:
    """``kg.cypher``: a uniqueness constraint on ``Entity.id``, one ``CREATE`` per node, one
    ``SET`` per label adding the class labels, one ``MATCH ... CREATE`` per relationship."""
    nodes, edges = node_columns(graph), edge_columns(graph)
    unique = f"FOR (n:{ENTITY}) REQUIRE n.id IS UNIQUE"
    lines = [f"CREATE CONSTRAINT {CONSTRAINT} IF NOT EXISTS {unique};"]
    by_label: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        pairs = [("id", node), *((c.name, c.get(data)) for c in nodes)]
        lines.append(f"CREATE (:{ENTITY} {_map(pairs)});")
        for label in node_labels(data.get("types", ""), above)[1:]:
            by_label.setdefault(label, []).append(node)
    for label, ids in sorted(by_label.items()):
        lines.append(
            f"MATCH (n:{ENTITY}) WHERE n.id IN [{', '.join(map(cypher_string, ids))}] "
            f"SET n:`{label.replace('`', '')}`;"
        )
    for a, b, data in graph.edges(data=True):
        kind = relationship_type(data.get("predicate", ""))
        props = _map((c.name, c.get(data)) for c in edges)
        ends = f"(a:{ENTITY} {{id: {cypher_string(a)}}}), (b:{ENTITY} {{id: {cypher_string(b)}}})"
        lines.append(f"MATCH {ends} CREATE (a)-[:{kind} {props}]->(b);")
    return "\n".join(lines) + "\n"


def render(dataset, graph) -> dict[str, str]:
    """The three Neo4j files by their export names."""
    return dict(each(dataset, graph))


def each(dataset, graph) -> Iterator[tuple[str, str]]:
    """:func:`render`'s files one at a time, each made when the one before was taken."""
    above = superclasses(dataset)
    yield FILES[0], render_nodes(graph, above)
    yield FILES[1], render_relationships(graph)
    yield FILES[2], render_cypher(graph, above)
