"""The query layer: safety checks, a timeout and a row cap for every user query, and the
terms of its results for people and for JSON (the saved queries live in :mod:`kg.queries`).

Every user query (``kg sparql``, the server) goes through :func:`run_query`, whatever the store:

- it is parsed with rdflib's SPARQL parser first, never run, so a syntax error is reported with
  its line and column in the text the user wrote;
- updates (INSERT, DELETE, LOAD, CLEAR ...) are refused, and so are SERVICE (a request to another
  endpoint) and FROM / FROM NAMED (which would read a file or a URL into the dataset);
- bindings must name variables of the query;
- the store answers in a forked worker process that is killed when the timeout runs out (neither
  rdflib nor pyoxigraph can interrupt a running query), and at most ``max_rows`` rows come back.

User values never go into query text: they travel as bindings, which each store passes as terms.

>>> from kg.store import open_store
>>> result = run_query(open_store(), "SELECT ?name WHERE { id:blackrock skos:prefLabel ?name }")
>>> [str(row[0]) for row in result.rows]
['BlackRock']
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from kg.errors import InputError, KGError, QueryError, StoreError

DEFAULT_TIMEOUT = 10.0  # seconds
DEFAULT_MAX_ROWS = 10_000

# update operations as rdflib's parser names them -> how the message names them
_UPDATES = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "INSERT / DELETE",
}
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class QuerySyntaxError(QueryError):
    """A query that does not parse; ``line`` and ``column`` (1-based) point into its text."""

    def __init__(self, message: str, line: int, column: int):
        self.line = line
        self.column = column
        super().__init__(message)


class QueryTimeout(KGError):
    """A query ran longer than its timeout and was stopped; it returned nothing."""


# ----------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Checked:
    """What the checks learnt about a query: its form, (for SELECT) the variables it returns,
    and every variable it mentions (the ones a binding may set)."""

    form: str  # "select" | "ask" | "construct" | "describe"
    variables: tuple[str, ...] = ()
    mentioned: frozenset[str] = frozenset()


def check_query(text: str) -> Checked:
    """Parse ``text`` and refuse what a read-only, offline query layer must not run.

    Raises :class:`QuerySyntaxError` (with line and column) or :class:`~kg.errors.QueryError`.

    >>> check_query("SELECT ?s WHERE { ?s a kg:Investor . ?s kg:member ?m }").variables
    ('s',)
    >>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    kg.errors.QueryError: SERVICE is refused: queries may not call other SPARQL endpoints
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    from kg.vocab import PREFIXES

    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        _refuse_update(text)
        raise _syntax_error(text, exc) from None
    try:
        algebra = translateQuery(parsed, initNs=PREFIXES).algebra
    except Exception as exc:  # rdflib raises plain Exceptions for unknown prefixes and the like
        message = str(exc)
        if message.startswith("Unknown namespace prefix"):
            prefix = message.rpartition(":")[2].strip()
            known = ", ".join(sorted(PREFIXES))
            message = f"unknown prefix '{prefix}:' (predeclared: {known})"
        raise QueryError(f"SPARQL error: {message}") from None
    found, mentioned = _contents(algebra)
    if "ServiceGraphPattern" in found:
        raise QueryError("SERVICE is refused: queries may not call other SPARQL endpoints")
    if algebra.get("datasetClause"):
        raise QueryError(
            "FROM / FROM NAMED are refused: they would read a file or a URL into the store. "
            "The default graph is already the union of every claim graph; use GRAPH ?g { ... } "
            "to look inside named graphs"
        )
    form = algebra.name.removesuffix("Query").lower()
    variables = tuple(str(v) for v in algebra.get("PV") or ()) if form == "select" else ()
    return Checked(form, variables, frozenset(mentioned))


def _contents(algebra) -> tuple[set[str], set[str]]:
    """The names of every algebra node below ``algebra`` and the names of the variables it
    mentions (rdflib's own, such as ``__agg_1__``, left out)."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    names: set[str] = set()
    variables: set[str] = set()
    seen: set[int] = set()
    stack = [algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, (CompValue, list, dict)):
            if id(node) in seen:
                continue
            seen.add(id(node))
        if isinstance(node, CompValue):
            names.add(node.name)
            stack.extend(node.values())
        elif isinstance(node, Variable):
            if not str(node).startswith("__"):
                variables.add(str(node))
        elif isinstance(node, (list, tuple, set, frozenset)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
    return names, variables


def _refuse_update(text: str) -> None:
    """Raise a clear refusal when ``text`` is a SPARQL update rather than a query."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        update = parseUpdate(text)
    except ParseException:
        return
    operations = [_UPDATES.get(op.name, op.name) for op in update.request]
    if "LOAD" in operations:
        raise QueryError(
            "LOAD is refused: it would read a file or a URL into the store (queries are read-only)"
        )
    raise QueryError(
        f"{', '.join(dict.fromkeys(operations))} refused: kg runs read-only "
        "queries only (SELECT, ASK, CONSTRUCT, DESCRIBE)"
    )


def _syntax_error(text: str, exc) -> QuerySyntaxError:
    """A syntax error located where parsing got furthest, with the line quoted.

    rdflib's parser only says where the failing construct started ("Expected SelectQuery" at
    the ``{``); :func:`_furthest_failure` re-parses the text (parsing only: nothing is ever
    evaluated) to find the character where the parser had to give up.
    """
    from pyparsing import col, lineno

    if "{SelectQuery |" in str(exc):
        loc, expected = exc.loc, "expected SELECT, ASK, CONSTRUCT or DESCRIBE"
    else:
        loc, expected = max(exc.loc, _furthest_failure(text)), ""
    line, column = lineno(loc, text), col(loc, text)
    lines = text.splitlines() or [""]
    line = min(max(line, 1), len(lines))
    here = lines[line - 1][column - 1 :].split()
    found = f"unexpected '{here[0]}'" if here else "unexpected end of line"
    if "<<" in lines[line - 1]:
        expected = "RDF-star quoted triples (<< >>) are not supported"
    detail = f"{found}; {expected}" if expected else found
    message = (
        f"SPARQL syntax error at line {line}, column {column}: {detail}\n"
        f"  {lines[line - 1]}\n  {' ' * (column - 1)}^"
    )
    return QuerySyntaxError(message, line, column)


_LOCATOR_LOCK = threading.Lock()


@cache
def _locator():
    """A private copy of rdflib's query grammar whose every element reports where it failed.

    Returns ``(grammar, furthest)``, ``furthest`` a one-item list holding the furthest
    character any element failed at during the last parse. The copy leaves rdflib's own
    grammar untouched.
    """
    import copy

    from pyparsing import ParserElement
    from rdflib.plugins.sparql.parser import QueryUnit

    grammar = copy.deepcopy(QueryUnit)
    furthest = [0]

    def failed(text, start, element, error) -> None:
        furthest[0] = max(furthest[0], error.loc)

    seen: set[int] = set()
    stack = [grammar]
    while stack:
        element = stack.pop()
        if id(element) in seen:
            continue
        seen.add(id(element))
        element.set_fail_action(failed)
        stack.extend(getattr(element, "exprs", None) or [])
        inner = getattr(element, "expr", None)
        if isinstance(inner, ParserElement):
            stack.append(inner)
    return grammar, furthest


def _furthest_failure(text: str) -> int:
    """The furthest character of ``text`` at which the SPARQL grammar failed: where the
    parser had to give up, rather than where the construct it gave up on began."""
    from pyparsing import ParseBaseException

    grammar, furthest = _locator()
    with _LOCATOR_LOCK:
        furthest[0] = 0
        try:
            grammar.parse_string(text, parse_all=True)
        except ParseBaseException as exc:
            return max(furthest[0], exc.loc)
        return furthest[0]


# ----------------------------------------------------------------------------- running


def run_query(
    store,
    text: str,
    bindings: Mapping[str, Any] | None = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_rows: int | None = DEFAULT_MAX_ROWS,
):
    """Check ``text``, then run it on ``store`` in a worker stopped after ``timeout`` seconds.

    ``bindings`` map variable names to rdflib terms; ``timeout=None`` waits for ever and
    ``max_rows=None`` returns every row. A result cut by the row cap says so in ``notes``; a
    query stopped by the timeout raises :class:`QueryTimeout`.
    """
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # never dereference a graph IRI
    checked = check_query(text)
    check_bindings(checked, bindings or {})
    return _in_worker(store, text, dict(bindings or {}), timeout, max_rows)


def check_bindings(checked: Checked, bindings: Mapping[str, Any]) -> None:
    """Refuse bindings that are not variable names or name no variable of the query.

    >>> check_bindings(check_query("ASK { ?s a kg:Investor }"), {"x": None})
    Traceback (most recent call last):
    kg.errors.InputError: cannot bind ?x: the query has no such variable (its variables: ?s)
    """
    for name in bindings:
        if not _VARIABLE.match(str(name)):
            raise InputError(f"bad variable name '{name}' in the bindings")
        if name not in checked.mentioned:
            have = ", ".join(f"?{v}" for v in sorted(checked.mentioned)) or "none"
            raise InputError(
                f"cannot bind ?{name}: the query has no such variable (its variables: {have})"
            )


def _work(conn, store, text: str, bindings: dict, max_rows: int | None) -> None:
    """The worker's side: run the query and send back the result or the error."""
    try:
        result = store.query(text, bindings, max_rows=max_rows)
        if result.graph is not None:
            result.graph = list(result.graph)  # plain triples travel; graphs are rebuilt
        conn.send(("ok", result))
    except KGError as exc:
        conn.send(("error", isinstance(exc, InputError), str(exc)))
    except Exception as exc:  # an engine failure: report it rather than die silently
        conn.send(("error", False, f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _in_worker(store, text: str, bindings: dict, timeout: float | None, max_rows: int | None):
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_work, args=(sender, store, text, bindings, max_rows), daemon=True)
    worker.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryTimeout(
                f"the query ran longer than the {timeout:g} s timeout and was "
                "stopped; nothing was returned (allow it more time to finish)"
            )
        try:
            status, *payload = receiver.recv()
        except EOFError:
            worker.join()
            raise StoreError(
                f"the query worker stopped unexpectedly (exit code {worker.exitcode})"
            ) from None
    finally:
        worker.kill()
        worker.join()
        receiver.close()
    if status == "error":
        is_input, message = payload
        raise (QueryError if is_input else StoreError)(message)
    result = payload[0]
    if result.graph is not None:
        result.graph = _graph(result.graph)
    return result


def _graph(triples: list[tuple]):
    from rdflib import Graph

    from kg.vocab import bind_prefixes

    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph)
    for triple in triples:
        graph.add(triple)
    return graph


# ----------------------------------------------------------------------------- terms


def parse_binding(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` from the command line as a variable name and an rdflib term.

    VALUE is an IRI in ``<...>``, a prefixed name with one of the project's prefixes, a number,
    ``true`` / ``false``, or else a string (``"..."`` quotes are optional; ``@lang`` may follow).

    >>> parse_binding("event=id:ny-meeting")
    ('event', rdflib.term.URIRef('https://w3id.org/korea-ai-kg/id/ny-meeting'))
    >>> parse_binding('name="Larry Fink"@en')[1].language
    'en'
    """
    from rdflib import XSD, Literal, URIRef

    from kg.vocab import PREFIXES

    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _VARIABLE.match(name):
        raise InputError(f"--bind takes NAME=VALUE, got '{text}'")
    if value.startswith("<") and value.endswith(">"):
        return name, URIRef(value[1:-1])
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        return name, URIRef(str(PREFIXES[prefix]) + local)
    quoted = re.match(r'^"(.*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*))?$', value, re.DOTALL)
    if quoted:
        return name, Literal(quoted.group(1), lang=quoted.group(2))
    if value in ("true", "false"):
        return name, Literal(value == "true")
    if re.match(r"^[+-]?\d+$", value):
        return name, Literal(int(value))
    try:
        return name, Literal(Decimal(value), datatype=XSD.decimal)
    except InvalidOperation:
        return name, Literal(value)


def term_text(term, bare_ids: bool = False) -> str:
    """A term for people: IRIs shortened with the project's prefixes, literals as their text;
    with ``bare_ids`` an entity IRI is its bare id.

    >>> from kg.vocab import ID
    >>> term_text(ID["blackrock"]), term_text(ID["blackrock"], bare_ids=True)
    ('id:blackrock', 'blackrock')
    """
    from rdflib import BNode, URIRef

    from kg.vocab import PREFIXES, local_id

    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        if bare_ids and local_id(text) != text:
            return local_id(text)
        best = max(
            ((p, str(ns)) for p, ns in PREFIXES.items() if text.startswith(str(ns))),
            key=lambda pn: len(pn[1]),
            default=None,
        )
        return f"{best[0]}:{text[len(best[1]) :]}" if best else f"<{text}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def term_json(term) -> dict | None:
    """A term in the W3C SPARQL 1.1 Query Results JSON format."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal) and term.language:
        out["xml:lang"] = term.language
    elif isinstance(term, Literal) and term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def result_json(result) -> dict:
    """A SELECT or ASK result in the W3C SPARQL 1.1 Query Results JSON format."""
    if result.kind == "ask":
        return {"head": {}, "boolean": result.boolean}
    if result.kind != "select":
        raise InputError("a CONSTRUCT / DESCRIBE result is a graph: use JSON-LD or Turtle")
    bindings = [
        {v: term_json(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    return {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
