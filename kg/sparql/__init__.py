"""The one query package: every user query (``kg sparql``, ``kg viz --query``, ``kg serve``)
and every store query goes through it.

- :mod:`kg.sparql.prologue`: the project's prefixes, bindings as an escaped VALUES block;
- :mod:`kg.sparql.checks`: size and nesting bounded before any parse, then the parse (one lock)
  that refuses updates, LOAD, SERVICE and FROM;
- :mod:`kg.sparql.terms`: term conversion (pyoxigraph, rdflib, SPARQL JSON, N-Triples, people);
- :mod:`kg.sparql.results`: :class:`Result`, the row cap, content negotiation, wire formats;
- :mod:`kg.sparql.runner`: :class:`Runner`, the one runner with a timeout and a row cap (a
  forked worker per query, or a pool of workers behind a bounded queue for ``kg serve``).

User values never go into query text unescaped: they travel as bindings.

>>> from kg.store import open_store
>>> result = run_query(open_store(), "SELECT ?name WHERE { id:blackrock skos:prefLabel ?name }")
>>> [str(row[0]) for row in result.rows]
['BlackRock']
"""

from __future__ import annotations

from kg.sparql.checks import (
    MAX_DEPTH,
    MAX_QUERY_CHARS,
    Checked,
    QuerySyntaxError,
    QueryTimeout,
    check_bindings,
    check_query,
    prescan,
)
from kg.sparql.prologue import full_query, prefixes, sparql_term, with_values
from kg.sparql.results import (
    GRAPH_TYPES,
    RESULT_TYPES,
    Result,
    Unacceptable,
    negotiate,
    result_json,
    serialize,
)
from kg.sparql.runner import (
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    MAX_TIMEOUT,
    Answer,
    Busy,
    Runner,
    WorkerFailed,
    check_max_rows,
    check_timeout,
    run_query,
)
from kg.sparql.terms import parse_binding, printable, term_json, term_text

__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "GRAPH_TYPES",
    "MAX_DEPTH",
    "MAX_QUERY_CHARS",
    "MAX_TIMEOUT",
    "RESULT_TYPES",
    "Answer",
    "Busy",
    "Checked",
    "QuerySyntaxError",
    "QueryTimeout",
    "Result",
    "Runner",
    "Unacceptable",
    "WorkerFailed",
    "check_bindings",
    "check_max_rows",
    "check_query",
    "check_timeout",
    "full_query",
    "negotiate",
    "parse_binding",
    "prefixes",
    "prescan",
    "printable",
    "result_json",
    "run_query",
    "serialize",
    "sparql_term",
    "term_json",
    "term_text",
    "with_values",
]
