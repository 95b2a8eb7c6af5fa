"""Term conversion, defined once: pyoxigraph <-> rdflib, SPARQL JSON results, N-Triples, and
the text people read.

>>> from rdflib import Literal
>>> nt_term(Literal("a\\tb", lang="en"))
'"a\\\\tb"@en'
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from kg.errors import InputError, StoreError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str | bytes, limit: int = 300) -> str:
    """Text from outside (a server's bytes, a file name) made safe for a terminal: decoded,
    control characters replaced by ``?``, cut at ``limit`` characters.

    >>> printable(b"bad\\x1b[31m json\\n")
    'bad?[31m json'
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = _CONTROL.sub("?", text.strip()).replace("\n", " ").replace("\t", " ")
    return text if len(text) <= limit else text[:limit] + "…"


def ox_to_rdflib():
    """A function turning pyoxigraph terms into rdflib terms, memoised (IRIs repeat a lot)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal
    cache: dict = {}

    def convert(term):
        if term is None:
            return None
        out = cache.get(term)
        if out is None:
            kind = type(term)
            if kind is named:
                out = URIRef(term.value)
            elif kind is literal:
                datatype = term.datatype.value
                if term.language:
                    out = Literal(term.value, lang=term.language)
                elif datatype == XSD_STRING:
                    out = Literal(term.value)
                else:
                    out = Literal(term.value, datatype=URIRef(datatype))
            elif kind is blank:
                out = BNode(term.value)
            else:
                raise StoreError(f"unsupported RDF term in a result: {type(term).__name__}")
            cache[term] = out
        return out

    return convert


def rdflib_to_ox(term):
    """An rdflib term as a pyoxigraph term."""
    import pyoxigraph as ox
    from rdflib import BNode, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )


def nt_term(term) -> str:
    """An rdflib term in N-Triples syntax (tabs escaped too, so it fits a TSV cell)."""
    from rdflib import BNode, URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    text = f'"{_escape(str(term))}"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and str(term.datatype) != XSD_STRING:
        return f"{text}^^<{term.datatype}>"
    return text


def json_term(value):
    """A term of SPARQL JSON results as an rdflib term; StoreError when it is malformed."""
    if value is None:
        return None
    from rdflib import BNode, Literal, URIRef

    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise StoreError("the endpoint answered a malformed SPARQL JSON term")
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind not in ("literal", "typed-literal"):
        raise StoreError("the endpoint answered a SPARQL JSON term of an unknown type")
    if isinstance(value.get("xml:lang"), str):
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if isinstance(datatype, str) and datatype and datatype != XSD_STRING:
        return Literal(value["value"], datatype=URIRef(datatype))
    return Literal(value["value"])


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


def parse_binding(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` from the command line as a variable name and an rdflib term.

    VALUE is an IRI in ``<...>``, a prefixed name with one of the project's prefixes, a number,
    ``true`` / ``false``, or else a string (``"..."`` quotes are optional; ``@lang`` may follow).
    An empty VALUE is refused (write ``""`` for the empty string).

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
        raise InputError(f"--bind takes NAME=VALUE, got '{printable(text, 80)}'")
    if not value:
        raise InputError(f"--bind {name}= has no value (write {name}='\"\"' for an empty string)")
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
    if re.match(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$", value):
        try:
            return name, Literal(Decimal(value), datatype=XSD.decimal)
        except InvalidOperation:
            pass
    return name, Literal(value)
