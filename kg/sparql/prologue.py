"""Query text as every store runs it: the project's prefixes, bindings as a VALUES block, and
terms written in SPARQL syntax (escaped, never pasted).

The embedded engine takes the prefixes as a parameter (so the positions of its syntax errors are
those of the user's text); a remote endpoint gets them as a PREFIX prologue.

>>> full_query("ASK { ?s a kg:Investor }").count("PREFIX")
13
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from kg.errors import InputError, QueryError

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"^[A-Za-z]+(-[A-Za-z0-9]+)*$")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)
VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@lru_cache(maxsize=1)
def prefixes() -> dict[str, str]:
    """The project's prefixes (``kg:``, ``id:``, ``skos:`` ...) as prefix -> namespace IRI."""
    from kg.vocab import PREFIXES

    return {p: str(ns) for p, ns in PREFIXES.items()}


def sparql_term(term) -> str:
    """An rdflib term (or a plain Python value, taken as a literal) in SPARQL / N-Triples syntax.

    Used to send bindings as a VALUES block: every character that could end the term is
    escaped, and IRIs or language tags that cannot be written are refused.

    >>> from rdflib import Literal
    >>> sparql_term(Literal('say "hi"\\n', lang="en"))
    '"say \\\\"hi\\\\"\\\\n"@en'
    """
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise InputError(f"cannot send the IRI <{term}> to a SPARQL endpoint")
        return f"<{term}>"
    if isinstance(term, BNode):
        raise InputError("blank nodes cannot be bound in a query to a SPARQL endpoint")
    if not isinstance(term, Literal):
        term = Literal(term)
    text = (
        str(term)
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )
    if term.language:
        if not _LANG.match(term.language):
            raise InputError(f"bad language tag '{term.language}'")
        return f'"{text}"@{term.language}'
    if term.datatype is not None:
        return f'"{text}"^^{sparql_term(URIRef(term.datatype))}'
    return f'"{text}"'


def significant(query: str) -> Iterable[tuple[int, str]]:
    """Positions and characters of ``query`` outside strings, IRIs and comments."""
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            j = query.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in "\"'":
            quote = query[i : i + 3] if query[i : i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and not query.startswith(quote, j):
                j += 2 if query[j] == "\\" else 1
            i = j + len(quote)
            continue
        if c == "<":
            j = i + 1
            while j < n and query[j] not in '<>"{}|^`\\ \t\r\n':
                j += 1
            if j < n and query[j] == ">":  # an IRI; otherwise the "less than" operator
                i = j + 1
                continue
        yield i, c
        i += 1


def with_values(query: str, bindings: Mapping[str, Any]) -> str:
    """``query`` with ``bindings`` as a VALUES block opening its outermost WHERE group.

    Every store binds this way, so bindings mean the same on all of them (pyoxigraph's own
    substitutions only accept projected variables, and an endpoint only takes query text).
    Every value is written by :func:`sparql_term`, which escapes it; user text is never pasted.

    >>> from rdflib import URIRef
    >>> with_values("SELECT ?l WHERE { ?e ?p ?l }", {"e": URIRef("http://x/a")})
    'SELECT ?l WHERE { VALUES (?e) { (<http://x/a>) }  ?e ?p ?l }'
    """
    if not bindings:
        return query
    for name in bindings:
        if not VARIABLE.match(str(name)):
            raise InputError(f"bad variable name '{name}'")
    names = " ".join(f"?{k}" for k in bindings)
    values = " ".join(sparql_term(v) for v in bindings.values())
    at = _where_brace(query) + 1
    return f"{query[:at]} VALUES ({names}) {{ ({values}) }} {query[at:]}"


@lru_cache(maxsize=512)
def _where_brace(query: str) -> int:
    """The position of the ``{`` opening the outermost WHERE group of ``query``."""
    template = bool(re.match(r"\s*CONSTRUCT\s*\{", _strip_prologue(query), re.IGNORECASE))
    parens = braces = 0
    for i, c in significant(query):
        if c in "()":
            parens += 1 if c == "(" else -1
        elif c == "{" and parens == 0:
            if braces == 0 and not template:
                return i
            braces += 1
        elif c == "}" and parens == 0:
            braces -= 1
            if braces == 0:
                template = False  # the CONSTRUCT template is closed: the WHERE group is next
    raise QueryError("cannot find the WHERE group of the query to bind variables in")


@lru_cache(maxsize=512)
def prologue(query: str) -> str:
    """PREFIX declarations for the project prefixes that ``query`` does not declare itself."""
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(query)}
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes().items() if p not in declared)


def full_query(sparql: str, bindings: Mapping[str, Any] | None = None) -> str:
    """``sparql`` as a remote endpoint runs it: the project's prefixes declared, ``bindings``
    added."""
    return prologue(sparql) + with_values(sparql, bindings or {})


def _strip_prologue(query: str) -> str:
    """The query without its BASE / PREFIX declarations and comments."""
    text = re.sub(r"#[^\n]*", "", query)
    return re.sub(
        r"^\s*((BASE\s*<[^>]*>|PREFIX\s+[\w.-]*:\s*<[^>]*>)\s*)*", "", text, flags=re.IGNORECASE
    )
