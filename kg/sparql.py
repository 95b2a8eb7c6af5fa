"""The query layer: safety checks, a timeout, a row cap and the library of saved queries.

Every user query (``kg sparql``, the server) goes through :func:`run_query`, whatever the store:

- it is parsed with rdflib's SPARQL parser first, so a syntax error is reported with its line and
  column in the text the user wrote;
- updates (INSERT, DELETE, LOAD, CLEAR ...) are refused, and so are SERVICE (a request to another
  endpoint) and FROM / FROM NAMED (which would read a file or a URL into the dataset);
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
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from kg.errors import InputError, KGError, NotFoundError, QueryError, StoreError

DEFAULT_TIMEOUT = 10.0  # seconds
DEFAULT_MAX_ROWS = 10_000
QUERY_DIR = Path(__file__).resolve().parent / "queries"

# update operations as rdflib's parser names them -> how the message names them
_UPDATES = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
    "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE", "Modify": "INSERT / DELETE",
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
    """What the checks learnt about a query: its form and (for SELECT) its variables."""

    form: str  # "select" | "ask" | "construct" | "describe"
    variables: tuple[str, ...] = ()


def check_query(text: str) -> Checked:
    """Parse ``text`` and refuse what a read-only, offline query layer must not run.

    Raises :class:`QuerySyntaxError` (with line and column) or :class:`~kg.errors.QueryError`.

    >>> check_query("SELECT ?s WHERE { ?s a kg:Investor }")
    Checked(form='select', variables=('s',))
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
    found = _names(algebra)
    if "ServiceGraphPattern" in found:
        raise QueryError("SERVICE is refused: queries may not call other SPARQL endpoints")
    if algebra.get("datasetClause"):
        raise QueryError(
            "FROM / FROM NAMED are refused: they would read a file or a URL into the store. "
            "The default graph is already the union of every claim graph; use GRAPH ?g { ... } "
            "to look inside named graphs")
    form = algebra.name.removesuffix("Query").lower()
    variables = tuple(str(v) for v in algebra.get("PV") or ()) if form == "select" else ()
    return Checked(form, variables)


def _names(node, found: set[str] | None = None) -> set[str]:
    """Every algebra or parse-tree node name below ``node``."""
    from rdflib.plugins.sparql.parserutils import CompValue

    found = set() if found is None else found
    if isinstance(node, CompValue):
        found.add(node.name)
        for value in node.values():
            _names(value, found)
    elif isinstance(node, (list, tuple)):
        for item in node:
            _names(item, found)
    return found


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
        raise QueryError("LOAD is refused: it would read a file or a URL into the store "
                         "(queries are read-only)")
    raise QueryError(f"{', '.join(dict.fromkeys(operations))} refused: kg runs read-only "
                     "queries only (SELECT, ASK, CONSTRUCT, DESCRIBE)")


def _syntax_error(text: str, exc) -> QuerySyntaxError:
    """A syntax error located as precisely as the parsers allow, with the line quoted.

    rdflib's parser only tells where the failing construct started ("Expected SelectQuery");
    Oxigraph's tells the character where parsing failed and, when short, what it expected
    there, so its position is used unless the query form itself is unknown.
    """
    import pyoxigraph as ox

    from kg.vocab import PREFIXES

    line, column, expected = exc.lineno, exc.col, "expected SELECT, ASK, CONSTRUCT or DESCRIBE"
    if "{SelectQuery |" not in str(exc):
        try:
            ox.Store().query(text, prefixes={p: str(ns) for p, ns in PREFIXES.items()})
        except SyntaxError as ox_exc:
            m = re.match(r"error at (\d+):(\d+): (.*)", str(ox_exc), re.DOTALL)
            if m:
                line, column = int(m.group(1)), int(m.group(2))
                short = len(m.group(3).split(", ")) <= 6
                expected = m.group(3).replace("\n", " ") if short else ""
    lines = text.splitlines() or [""]
    line = min(max(line, 1), len(lines))
    here = lines[line - 1][column - 1:].split()
    found = f"unexpected '{here[0]}'" if here else "unexpected end of line"
    detail = f"{found}; {expected}" if expected else found
    message = (f"SPARQL syntax error at line {line}, column {column}: {detail}\n"
               f"  {lines[line - 1]}\n  {' ' * (column - 1)}^")
    return QuerySyntaxError(message, line, column)


# ----------------------------------------------------------------------------- running


def run_query(store, text: str, bindings: Mapping[str, Any] | None = None, *,
              timeout: float | None = DEFAULT_TIMEOUT,
              max_rows: int | None = DEFAULT_MAX_ROWS):
    """Check ``text``, then run it on ``store`` in a worker stopped after ``timeout`` seconds.

    ``bindings`` map variable names to rdflib terms; ``timeout=None`` waits for ever and
    ``max_rows=None`` returns every row. A result cut by the row cap says so in ``notes``; a
    query stopped by the timeout raises :class:`QueryTimeout`.
    """
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # never dereference a graph IRI
    check_query(text)
    for name in bindings or {}:
        if not _VARIABLE.match(str(name)):
            raise InputError(f"bad variable name '{name}' in the bindings")
    return _in_worker(store, text, dict(bindings or {}), timeout, max_rows)


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


def _in_worker(store, text: str, bindings: dict, timeout: float | None,
               max_rows: int | None):
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_work, args=(sender, store, text, bindings, max_rows),
                         daemon=True)
    worker.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryTimeout(f"the query ran longer than the {timeout:g} s timeout and was "
                               "stopped; nothing was returned (allow it more time to finish)")
        try:
            status, *payload = receiver.recv()
        except EOFError:
            worker.join()
            raise StoreError(f"the query worker stopped unexpectedly "
                             f"(exit code {worker.exitcode})") from None
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


# ----------------------------------------------------------------------------- saved queries


@dataclass(frozen=True)
class SavedQuery:
    """A query of the library ``kg/queries``: its name, header comments and text."""

    name: str
    title: str
    description: str
    params: tuple[tuple[str, str], ...]  # (variable, what to bind)
    text: str


def _read_saved(path: Path) -> SavedQuery:
    """Read a ``.rq`` file whose leading ``# key: value`` comments document it."""
    text = path.read_text(encoding="utf-8")
    head: dict[str, list[str]] = {"title": [], "description": [], "param": []}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        m = re.match(r"^(title|description|param):\s*(.*)$", body)
        if m:
            key = m.group(1)
            head[key].append(m.group(2))
        elif key and body:
            head[key][-1] += " " + body
    params = []
    for entry in head["param"]:
        name, _, what = entry.partition(" ")
        params.append((name.lstrip("?"), what.strip()))
    return SavedQuery(path.stem, " ".join(head["title"]), " ".join(head["description"]),
                      tuple(params), text)


def saved_queries() -> list[SavedQuery]:
    """Every saved query, by name.

    >>> "attendees" in [q.name for q in saved_queries()]
    True
    """
    return [_read_saved(p) for p in sorted(QUERY_DIR.glob("*.rq"))]


def saved_query(name: str) -> SavedQuery:
    """One saved query by name (with or without ``.rq``)."""
    path = QUERY_DIR / f"{name.removesuffix('.rq')}.rq"
    if not re.match(r"^[a-z0-9-]+(\.rq)?$", name) or not path.is_file():
        known = ", ".join(q.name for q in saved_queries())
        raise NotFoundError(f"no saved query '{name}' (known: {known})")
    return _read_saved(path)


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


def term_text(term) -> str:
    """A term for people: IRIs shortened with the project's prefixes, literals as their text.

    >>> from kg.vocab import ID
    >>> term_text(ID["blackrock"])
    'id:blackrock'
    """
    from rdflib import BNode, URIRef

    from kg.vocab import PREFIXES

    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        best = max(((p, str(ns)) for p, ns in PREFIXES.items() if text.startswith(str(ns))),
                   key=lambda pn: len(pn[1]), default=None)
        return f"{best[0]}:{text[len(best[1]):]}" if best else f"<{text}>"
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
    bindings = [{v: term_json(t) for v, t in zip(result.variables, row, strict=True)
                 if t is not None} for row in result.rows]
    return {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
