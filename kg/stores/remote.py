"""``sparql:URL``: any SPARQL 1.1 endpoint over HTTP (stdlib), read-only from kg's side.

Every answer is checked before it is used: its content type, its JSON shape, the variables the
query asked for, each term; anything else is a short StoreError, never the server's raw bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kg.errors import InputError, QueryError, StoreError
from kg.sparql.results import Result, capped, graph_of
from kg.stores.base import Store, new_dataset
from kg.stores.http import MAX_ANSWER, Client


class SparqlStore(Store):
    """A SPARQL 1.1 Protocol endpoint over HTTP; timeouts as :mod:`kg.stores.http` says."""

    name = "sparql"

    def __init__(self, url: str, timeout: float | None = None, connect: float | None = None):
        if not url.startswith(("http://", "https://")):
            raise InputError(f"sparql:{url[:200]}: expected an http:// or https:// URL")
        self.url = url
        self._client = Client(url, connect=connect, read=timeout)
        self.timeout = self._client.read

    def _post(self, query: str, accept: str):
        from kg.sparql.terms import printable

        reply = self._client.request(
            "POST",
            None,
            query.encode("utf-8"),
            {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept},
            MAX_ANSWER,
        )
        if reply.status == 400:
            raise QueryError(f"the endpoint refused the query: {printable(reply.body)}")
        if reply.status != 200:
            raise StoreError(
                f"{printable(self.url)} answered HTTP {reply.status}: {printable(reply.body)}"
            )
        return reply.media, reply.body

    def query(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, *, max_rows: int | None = None
    ) -> Result:
        import json

        from kg.sparql.prologue import full_query
        from kg.sparql.terms import json_term, printable

        kind, body = self._post(
            full_query(sparql, bindings),
            "application/sparql-results+json, application/n-triples;q=0.9",
        )
        bad = f"{printable(self.url)} answered"
        if kind == "application/n-triples":
            import pyoxigraph as ox

            from kg.sparql.terms import ox_to_rdflib

            convert = ox_to_rdflib()
            notes: list[str] = []
            try:
                triples = [
                    (convert(t.subject), convert(t.predicate), convert(t.object))
                    for t in capped(ox.parse(body, ox.RdfFormat.N_TRIPLES), max_rows, notes)
                ]
            except (SyntaxError, ValueError) as exc:
                raise StoreError(
                    f"{bad} malformed N-Triples ({printable(str(exc), 200)})"
                ) from None
            return Result("graph", graph=graph_of(triples), notes=notes)
        if kind not in ("application/sparql-results+json", "application/json"):
            raise StoreError(f"{bad} with unexpected content type {printable(kind, 80)}")
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            raise StoreError(f"{bad} malformed JSON: {printable(body, 120)}") from None
        if not isinstance(data, dict):
            raise StoreError(f"{bad} JSON that is not SPARQL results")
        if "boolean" in data:
            if not isinstance(data["boolean"], bool):
                raise StoreError(f"{bad} an ASK result that is not true or false")
            return Result("ask", boolean=data["boolean"])
        head, results = data.get("head"), data.get("results")
        variables = head.get("vars") if isinstance(head, dict) else None
        bindings_ = results.get("bindings") if isinstance(results, dict) else None
        if (
            not isinstance(variables, list)
            or not all(isinstance(v, str) for v in variables)
            or not isinstance(bindings_, list)
        ):
            raise StoreError(f"{bad} JSON without head.vars and results.bindings")
        self._check_variables(sparql, variables, bad)
        notes = []
        rows = []
        for b in capped(bindings_, max_rows, notes):
            if not isinstance(b, dict):
                raise StoreError(f"{bad} a result row that is not a JSON object")
            rows.append(tuple(json_term(b.get(v)) for v in variables))
        return Result("select", variables, rows, notes=notes)

    @staticmethod
    def _check_variables(sparql: str, variables: list[str], bad: str) -> None:
        from kg.sparql.checks import check_query
        from kg.sparql.terms import printable

        try:
            asked = check_query(sparql).variables
        except QueryError:
            return  # the endpoint accepted what rdflib cannot parse: nothing to compare
        missing = [v for v in asked if v not in variables]
        if missing:
            raise StoreError(
                f"{bad} without the variable(s) "
                f"{printable(', '.join('?' + v for v in missing), 200)} the query asked for"
            )

    def dataset(self):
        """Every quad of the endpoint's named graphs (kg keeps all its triples in named graphs)."""
        res = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        ds = new_dataset()
        try:
            ds.addN((s, p, o, ds.graph(g)) for s, p, o, g in res.rows)
        except (AssertionError, TypeError, ValueError):
            raise StoreError(f"{self.url} answered quads kg cannot hold") from None
        return ds
