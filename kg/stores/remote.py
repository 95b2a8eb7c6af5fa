"""``sparql:URL``: any SPARQL 1.1 endpoint over HTTP (stdlib), read-only from kg's side.

Every answer is checked before it is used: its content type, its JSON shape, the variables the
query asked for, each term; anything else is a short StoreError, never the server's raw bytes.
Queries go as an HTML form POST (``query=...``), which every engine takes (Virtuoso 7 does not
answer a ``application/sparql-query`` body). Credentials as :mod:`kg.stores.http` reads them.

Where an engine answers standard SPARQL in its own way, the adapter evens it out (the engine is
told by the ``Server`` header):

- Virtuoso answers ASK as a SELECT of ``?__ASK_RETVAL`` (one row of 1, or no row): a boolean;
- Virtuoso writes decimals without a fraction (``5`` for ``5.0``) and booleans as 1 / 0: read in
  their XSD canonical form, as the embedded stores give them;
- Virtuoso's default graph is the union of every graph, its own system graphs included
  (``virtrdf:`` ...): :meth:`SparqlStore.dataset` leaves those out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kg.errors import InputError, QueryError, StoreError
from kg.sparql.results import Result, capped, graph_of
from kg.stores.base import Store, new_dataset
from kg.stores.http import MAX_ANSWER, Client, credentials

XSD = "http://www.w3.org/2001/XMLSchema#"
VIRTUOSO_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/",
    "http://www.openlinksw.com/schemas/",
)


def virtuoso_literal(term):
    """A literal as Virtuoso writes it, in the XSD canonical form the embedded stores give.

    >>> from rdflib import Literal, URIRef
    >>> virtuoso_literal(Literal("678000000", datatype=URIRef(XSD + "decimal")))
    rdflib.term.Literal('678000000.0', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    >>> str(virtuoso_literal(Literal("1", datatype=URIRef(XSD + "boolean"))))
    'true'
    """
    from rdflib import Literal

    if not isinstance(term, Literal) or term.datatype is None:
        return term
    kind, text = str(term.datatype), str(term)
    if kind == XSD + "decimal" and "." not in text and text.lstrip("+-").isdigit():
        return Literal(text + ".0", datatype=term.datatype)
    if kind == XSD + "boolean" and text in ("1", "0"):
        return Literal("true" if text == "1" else "false", datatype=term.datatype)
    return term


class SparqlStore(Store):
    """A SPARQL 1.1 Protocol endpoint over HTTP; timeouts as :mod:`kg.stores.http` says."""

    name = "sparql"

    def __init__(
        self,
        url: str,
        timeout: float | None = None,
        connect: float | None = None,
        user: str | None = None,
    ):
        if not url.startswith(("http://", "https://")):
            raise InputError(f"sparql:{url[:200]}: expected an http:// or https:// URL")
        self._client = Client(url, connect=connect, read=timeout, creds=credentials(url, user))
        self.url = self._client.url
        self.timeout = self._client.read
        self.engine = ""

    def _post(self, query: str, accept: str):
        import urllib.parse

        from kg.sparql.terms import printable

        reply = self._client.request(
            "POST",
            None,
            urllib.parse.urlencode({"query": query}).encode("ascii"),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
            MAX_ANSWER,
        )
        self.engine = reply.server
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
        virtuoso = self.engine.startswith("Virtuoso")
        if virtuoso and variables == ["__ASK_RETVAL"]:
            if not bindings_:
                return Result("ask", boolean=False)
            row = bindings_[0] if len(bindings_) == 1 else None
            value = json_term(row.get("__ASK_RETVAL")) if isinstance(row, dict) else None
            if str(value) not in ("0", "1"):
                raise StoreError(f"{bad} an ASK result that is not 1 or 0")
            return Result("ask", boolean=str(value) == "1")
        self._check_variables(sparql, variables, bad)
        notes = []
        rows = []
        for b in capped(bindings_, max_rows, notes):
            if not isinstance(b, dict):
                raise StoreError(f"{bad} a result row that is not a JSON object")
            row_ = tuple(json_term(b.get(v)) for v in variables)
            rows.append(tuple(virtuoso_literal(t) for t in row_) if virtuoso else row_)
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
        rows = res.rows
        if self.engine.startswith("Virtuoso"):
            rows = [r for r in rows if not str(r[3]).startswith(VIRTUOSO_GRAPHS)]
        try:
            ds.addN((s, p, o, ds.graph(g)) for s, p, o, g in rows)
        except (AssertionError, TypeError, ValueError):
            raise StoreError(f"{self.url} answered quads kg cannot hold") from None
        return ds
