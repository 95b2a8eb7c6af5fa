"""The safety checks every user query passes, on every route (CLI, pictures, ``kg serve``):

1. :func:`prescan`, before any parser sees the text: its size and how deeply its brackets nest
   (counted outside strings, IRIs and comments) are bounded, so no query can exhaust a parser's
   recursion or its time;
2. :func:`check_query`: the text is parsed with rdflib's SPARQL parser (serialised behind one
   lock: pyparsing is not thread-safe), never run. Syntax errors carry their line and column;
   updates (INSERT, DELETE, LOAD, CLEAR ...), SERVICE (a request to another endpoint) and FROM /
   FROM NAMED (which would read a file or a URL into the dataset) are refused by walking the
   parsed algebra, and SERVICE once more by its keyword;
3. :func:`check_bindings`: bindings must name variables of the query.

>>> prescan("SELECT * WHERE { FILTER(" + "(" * 24 + "true" + ")" * 24 + ") }")
Traceback (most recent call last):
kg.errors.QueryError: the query nests brackets 26 deep; at most 20 levels are accepted
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from kg.errors import InputError, KGError, QueryError

MAX_QUERY_CHARS = 100_000  # characters of query text
MAX_DEPTH = 20  # nesting of ( { [ outside strings, IRIs and comments

_PARSE_LOCK = threading.RLock()  # rdflib's parser (pyparsing) is shared and not thread-safe
_SERVICE = re.compile(r"(?<![?$:\w.-])SERVICE(?![\w:.-])", re.IGNORECASE)


def prescan(text: str, max_chars: int = MAX_QUERY_CHARS, max_depth: int = MAX_DEPTH) -> None:
    """Refuse a query too long or too deeply nested for the parser, before any parse: a cheap
    linear scan, safe on any input."""
    from kg.sparql.prologue import significant

    if not isinstance(text, str):
        raise QueryError("the query must be text")
    if len(text) > max_chars:
        raise QueryError(
            f"the query is {len(text):,} characters long; at most {max_chars:,} are accepted"
        )
    if "\x00" in text:
        raise QueryError("the query contains a NUL character")
    depth = deepest = 0
    for _, c in significant(text):
        if c in "({[":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif c in ")}]" and depth > 0:
            depth -= 1
    if deepest > max_depth:
        raise QueryError(
            f"the query nests brackets {deepest} deep; at most {max_depth} levels are accepted"
        )


def refuse_service(text: str) -> None:
    """Refuse a text with the SERVICE keyword outside strings, IRIs and comments: the cheap
    guard every store runs before its engine sees any query, checked or not.

    >>> refuse_service("SELECT * { ?s kg:service ?o }")
    >>> refuse_service("SELECT * { service <http://x/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    kg.errors.QueryError: SERVICE is refused: queries may not call other SPARQL endpoints
    """
    if "service" in text.lower() and _SERVICE.search(_significant_text(text)):
        raise QueryError("SERVICE is refused: queries may not call other SPARQL endpoints")


def _significant_text(text: str) -> str:
    from kg.sparql.prologue import significant

    chars = [" "] * len(text)
    for i, c in significant(text):
        chars[i] = c
    return "".join(chars)


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
    """Prescan and parse ``text``, and refuse what a read-only, offline query layer must not
    run. Thread-safe; a text checked once is not parsed again.

    Raises :class:`QuerySyntaxError` (with line and column) or :class:`~kg.errors.QueryError`.

    >>> check_query("SELECT ?s WHERE { ?s a kg:Investor . ?s kg:member ?m }").variables
    ('s',)
    >>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    kg.errors.QueryError: SERVICE is refused: queries may not call other SPARQL endpoints
    """
    prescan(text)
    try:
        with _PARSE_LOCK:
            return _check(text)
    except RecursionError:
        raise QueryError("the query is nested too deeply for the parser; simplify it") from None


@lru_cache(maxsize=1024)
def _check(text: str) -> Checked:
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
    except RecursionError:
        raise
    except Exception as exc:  # rdflib raises plain Exceptions for unknown prefixes and the like
        message = str(exc)
        if message.startswith("Unknown namespace prefix"):
            prefix = message.rpartition(":")[2].strip()
            known = ", ".join(sorted(PREFIXES))
            message = f"unknown prefix '{prefix}:' (predeclared: {known})"
        raise QueryError(f"SPARQL error: {message}") from None
    found, mentioned = _contents(algebra)
    if "ServiceGraphPattern" in found or _SERVICE.search(_significant_text(text)):
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
    with _PARSE_LOCK:
        furthest[0] = 0
        try:
            grammar.parse_string(text, parse_all=True)
        except ParseBaseException as exc:
            return max(furthest[0], exc.loc)
        return furthest[0]


def check_bindings(checked: Checked, bindings: Mapping[str, Any]) -> None:
    """Refuse bindings that are not variable names or name no variable of the query.

    >>> check_bindings(check_query("ASK { ?s a kg:Investor }"), {"x": None})
    Traceback (most recent call last):
    kg.errors.InputError: cannot bind ?x: the query has no such variable (its variables: ?s)
    """
    from kg.sparql.prologue import VARIABLE

    for name in bindings:
        if not VARIABLE.match(str(name)):
            raise InputError(f"bad variable name '{name}' in the bindings")
        if name not in checked.mentioned:
            have = ", ".join(f"?{v}" for v in sorted(checked.mentioned)) or "none"
            raise InputError(
                f"cannot bind ?{name}: the query has no such variable (its variables: {have})"
            )
