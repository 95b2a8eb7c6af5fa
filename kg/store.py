"""Stores behind one interface: SPARQL text plus bindings in, rdflib terms out.

Commands never care where the triples live:

- ``memory`` (the default): embedded, in memory, no server. It loads the graph that ships with kg
  (or ``memory:FILE``: a TriG, N-Quads or N-Triples file; or a seeds folder), answers SPARQL with
  pyoxigraph's in-memory engine and parses an rdflib Dataset only when a command needs every quad
  (networkx projections), so a lookup starts in milliseconds instead of parsing TriG with rdflib.
- ``oxigraph:PATH``: pyoxigraph on disk, written by ``kg build --store oxigraph:PATH`` and opened
  read-only by every later command without reloading.
- ``sparql:URL``: any SPARQL 1.1 endpoint (stdlib HTTP). The endpoint must answer with the union of
  its named graphs as the default graph, as the embedded stores do (Oxigraph:
  ``--union-default-graph``; Fuseki: ``tdb2:unionDefaultGraph true``).

The spec comes from the argument, else the ``KG_STORE`` environment variable, else ``store = ...``
in the config file (``$KG_CONFIG``, else ``./kg.toml``, else ``~/.config/kg/config.toml``), else
``memory``.

>>> from kg.vocab import ID
>>> store = open_store("memory")
>>> store.query("ASK { ?s a kg:Investor }").boolean
True
>>> row = store.query("SELECT ?l WHERE { ?e skos:prefLabel ?l FILTER(lang(?l) = 'en') }",
...                   {"e": ID["blackrock"]}).rows[0]
>>> str(row[0])
'BlackRock'
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.errors import InputError, QueryError, StoreError

STORE_ENV = "KG_STORE"
CONFIG_ENV = "KG_CONFIG"
CONFIG_FILES = ("kg.toml", "~/.config/kg/config.toml")
KINDS = ("memory", "memory:FILE", "oxigraph:PATH", "sparql:URL")

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDFLIB_DEFAULT_GRAPH = "urn:x-rdflib:default"


@dataclass
class Result:
    """A query result in rdflib terms: rows for SELECT, a boolean for ASK, a graph otherwise."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    graph: Any = None
    notes: list[str] = field(default_factory=list)  # e.g. "row cap 10000 reached"

    def records(self) -> list[dict]:
        """SELECT rows as dicts of variable -> term (unbound variables left out)."""
        return [
            {v: t for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]


class Store:
    """The interface: ``query`` (SPARQL + bindings) and ``dataset`` (every quad, for networkx).

    Queries see the union of all named graphs as their default graph; the project's prefixes
    (``kg:``, ``id:``, ``skos:`` ...) need no declaration. ``bindings`` (variable name -> rdflib
    term) join the query as a VALUES block at the head of its WHERE group, on every store alike
    (see :func:`with_values`). ``max_rows`` stops a SELECT (or a
    graph result) after that many rows and says so in ``Result.notes``.
    """

    name = "store"

    def query(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, *, max_rows: int | None = None
    ) -> Result:
        raise NotImplementedError

    def dataset(self):
        """Every quad as an rdflib ``Dataset(default_union=True)``."""
        raise NotImplementedError

    def graph_dumps(self) -> Iterable[tuple[str | None, bytes]]:
        """Each graph as (name, N-Triples); name None for the default graph (for ``kg push``)."""
        raise InputError(
            f"kg push copies a local store (memory or oxigraph), not a {self.name} store"
        )


# ----------------------------------------------------------------------------- spec resolution


def config_store_spec(cwd: Path | None = None) -> tuple[str, Path] | None:
    """The ``store`` set in a config file, and that file: ``$KG_CONFIG``, ``./kg.toml``, or
    ``~/.config/kg/config.toml``, the first that exists. A relative ``oxigraph:`` or ``memory:``
    path in the file is resolved against the file's folder.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "kg.toml").write_text('store = "oxigraph:kg-store"')
    >>> config_store_spec(folder)[0] == f"oxigraph:{folder.resolve() / 'kg-store'}"
    True
    """
    import tomllib

    explicit = os.environ.get(CONFIG_ENV)
    candidates = (
        [Path(explicit)]
        if explicit
        else [(cwd or Path.cwd()) / CONFIG_FILES[0], Path(CONFIG_FILES[1]).expanduser()]
    )
    for path in candidates:
        if not path.is_file():
            if explicit:
                raise InputError(f"{path}: config file named by {CONFIG_ENV} does not exist")
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: not a TOML config file ({exc})") from None
        spec = data.get("store")
        if spec is None:
            return None
        if not isinstance(spec, str):
            raise InputError(f"{path}: 'store' must be a string such as \"oxigraph:kg-store\"")
        kind, sep, arg = spec.partition(":")
        if sep and kind in ("memory", "oxigraph") and arg and not Path(arg).is_absolute():
            spec = f"{kind}:{(path.parent / arg).resolve()}"
        return spec, path
    return None


def resolve_spec(spec: str | None = None) -> str:
    """The store spec in force: the argument, ``$KG_STORE``, a config file, or ``memory``.

    >>> resolve_spec("oxigraph:/tmp/x")
    'oxigraph:/tmp/x'
    """
    if spec:
        return spec
    if os.environ.get(STORE_ENV):
        return os.environ[STORE_ENV]
    found = config_store_spec()
    return found[0] if found else "memory"


def open_store(spec: str | None = None, seeds: Path | str | None = None) -> Store:
    """Open a store from a spec (see the module docstring); ``None`` resolves it.

    With ``seeds`` the graph is built from that seeds folder into a memory store; that cannot be
    combined with an explicit non-memory spec.
    """
    if seeds is not None:
        if spec and not spec.startswith("memory"):
            raise InputError(
                f"--seeds builds an in-memory graph; it cannot be used with --store {spec}"
            )
        from kg.build import build_dataset

        return MemoryStore(build_dataset(seeds))
    spec = resolve_spec(spec)
    kind, sep, arg = spec.partition(":")
    if kind == "memory":
        return MemoryStore.from_file(arg or None)
    if kind == "oxigraph" and arg:
        return OxigraphStore(arg)
    if kind == "sparql" and arg:
        return SparqlStore(arg)
    raise InputError(f"unknown store '{spec}' (known: {', '.join(KINDS)})")


# ----------------------------------------------------------------------------- terms


def _term_converter():
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
                raise StoreError(f"unsupported RDF term in a result: {term!r}")
            cache[term] = out
        return out

    return convert


def _ox_term(term):
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


def _ox_quads(dataset) -> Iterable:
    import pyoxigraph as ox

    default = ox.DefaultGraph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graph = default if g is None or str(g) == RDFLIB_DEFAULT_GRAPH else _ox_term(g)
        yield ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), graph)


def _prefixes() -> dict[str, str]:
    from kg.vocab import PREFIXES

    return {p: str(ns) for p, ns in PREFIXES.items()}


def _rdf_format(path: Path):
    import pyoxigraph as ox

    fmt = {
        ".trig": ox.RdfFormat.TRIG,
        ".nq": ox.RdfFormat.N_QUADS,
        ".nt": ox.RdfFormat.N_TRIPLES,
    }.get(path.suffix)
    if fmt is None:
        raise InputError(f"{path}: expected a .trig, .nq or .nt file")
    if not path.is_file():
        raise InputError(f"{path}: no such file (run `kg build` first)")
    return fmt


def new_dataset():
    """An empty rdflib ``Dataset(default_union=True)`` with the project's prefixes bound."""
    from rdflib import Dataset

    from kg.vocab import bind_prefixes

    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    return ds


# ----------------------------------------------------------------------------- embedded stores


class _PyoxigraphStore(Store):
    """Shared by the memory and on-disk stores: SPARQL evaluated by a ``pyoxigraph.Store``."""

    def _ox(self):
        raise NotImplementedError

    def query(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, *, max_rows: int | None = None
    ) -> Result:
        try:
            res = self._ox().query(full_query(sparql, bindings), use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except OSError as exc:
            raise StoreError(f"{self.name} store: {exc}") from None
        return _result(res, max_rows)

    def dataset(self):
        """The quads as oxigraph holds them (literals in canonical form, e.g. decimal ``1``
        for ``1.0``), so that every store hands the same Dataset to networkx."""
        import pyoxigraph as ox

        ds = new_dataset()
        convert = _term_converter()
        graphs: dict = {}

        def graph(name):
            found = graphs.get(name)
            if found is None:
                found = graphs[name] = (
                    ds.default_graph
                    if isinstance(name, ox.DefaultGraph)
                    else ds.graph(convert(name))
                )
            return found

        ds.addN(
            (convert(q.subject), convert(q.predicate), convert(q.object), graph(q.graph_name))
            for q in self._ox().quads_for_pattern(None, None, None)
        )
        return ds

    def graph_dumps(self) -> Iterable[tuple[str | None, bytes]]:
        import pyoxigraph as ox

        store = self._ox()
        graphs = sorted(store.named_graphs(), key=lambda g: g.value)
        default = ox.DefaultGraph()
        if next(iter(store.quads_for_pattern(None, None, None, default)), None) is not None:
            yield None, store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=default)
        for graph in graphs:
            yield graph.value, store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)


def _capped(items: Iterable, max_rows: int | None, notes: list[str]) -> Iterable:
    for n, item in enumerate(items):
        if max_rows is not None and n >= max_rows:
            notes.append(f"row cap {max_rows} reached")
            return
        yield item


def _result(res, max_rows: int | None) -> Result:
    import pyoxigraph as ox

    if isinstance(res, ox.QueryBoolean):
        return Result("ask", boolean=bool(res))
    convert = _term_converter()
    notes: list[str] = []
    try:
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            rows = [tuple(map(convert, sol)) for sol in _capped(res, max_rows, notes)]
            return Result("select", variables, rows, notes=notes)
        return Result("graph", graph=_graph(res, max_rows, notes), notes=notes)
    except OSError as exc:  # raised lazily, while iterating (e.g. a failed evaluation)
        raise StoreError(f"query failed: {exc}") from None


def _graph(triples, max_rows: int | None, notes: list[str]):
    """An rdflib Graph (project prefixes bound) of pyoxigraph triples, capped at ``max_rows``."""
    from rdflib import Graph

    from kg.vocab import bind_prefixes

    convert = _term_converter()
    graph = Graph()
    bind_prefixes(graph)
    graph.addN(
        (convert(t.subject), convert(t.predicate), convert(t.object), graph)
        for t in _capped(triples, max_rows, notes)
    )
    return graph


class MemoryStore(_PyoxigraphStore):
    """Embedded, in memory, no server: built from an rdflib Dataset or loaded from a file.

    SPARQL runs on pyoxigraph's in-memory engine (filled on the first query); ``dataset()`` is
    the rdflib Dataset given, or, for a file, the engine's quads parsed on first use.
    """

    name = "memory"

    def __init__(self, dataset=None, *, path: Path | str | None = None):
        if (dataset is None) == (path is None):
            raise TypeError("MemoryStore takes a dataset or a path")
        self._dataset = dataset
        self._path = Path(path) if path is not None else None
        self._store = None

    @classmethod
    def from_file(cls, path: Path | str | None = None) -> MemoryStore:
        """A memory store over a TriG or N-Quads file (default: the graph that ships with kg)."""
        from kg.paths import shipped_graph

        path = Path(path) if path else shipped_graph()
        _rdf_format(path)
        return cls(path=path)

    def _ox(self):
        if self._store is None:
            import pyoxigraph as ox

            store = ox.Store()
            if self._path is not None:
                try:
                    store.load(path=str(self._path), format=_rdf_format(self._path))
                except SyntaxError as exc:
                    raise InputError(f"{self._path}: {exc}") from None
            else:
                store.extend(_ox_quads(self._dataset))
            self._store = store
        return self._store

    def dataset(self):
        if self._dataset is None:
            self._dataset = super().dataset()
        return self._dataset

    def is_shipped(self) -> bool:
        """Whether this store holds the graph that ships with kg (its question index ships too)."""
        from kg.paths import shipped_graph

        return self._path is not None and self._path.resolve() == shipped_graph().resolve()

    def save_oxigraph(self, path: Path | str) -> int:
        """Write this graph as an oxigraph store at ``path`` (see :func:`write_oxigraph`)."""
        return write_oxigraph(path, self._path if self._dataset is None else self._dataset)


class OxigraphStore(_PyoxigraphStore):
    """pyoxigraph on disk, opened read-only: many commands (and servers) can read it at once.

    Write one with :func:`write_oxigraph` (``kg build --store oxigraph:PATH``).
    """

    name = "oxigraph"

    def __init__(self, path: Path | str):
        import pyoxigraph as ox

        self.path = Path(path)
        if not (self.path / "CURRENT").is_file():
            raise StoreError(
                f"no oxigraph store at {self.path} "
                f"(create it with `kg build --store oxigraph:{self.path}`)"
            )
        try:
            self._store = ox.Store.read_only(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the oxigraph store at {self.path}: {exc}") from None

    def _ox(self):
        return self._store

    def __len__(self) -> int:
        return len(self._store)


def write_oxigraph(path: Path | str, source: Path | str | bytes | Any) -> int:
    """Replace the oxigraph store at ``path`` with a dataset; return how many quads it holds.

    ``source`` is an rdflib Dataset, N-Quads bytes, or a .trig / .nq / .nt file. The store is
    bulk-loaded into a fresh folder next to ``path`` and swapped in by renames, so readers never
    see a half loaded store and a failure leaves the previous one in place.

    >>> import tempfile
    >>> from kg.paths import shipped_graph
    >>> folder = Path(tempfile.mkdtemp()) / "store"
    >>> write_oxigraph(folder, shipped_graph()) == len(OxigraphStore(folder))
    True
    """
    import pyoxigraph as ox

    path = Path(path)
    if path.exists() and not (path / "CURRENT").is_file():
        raise StoreError(f"{path} exists and is not an oxigraph store; refusing to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        store = ox.Store(str(staging))
        if isinstance(source, bytes):
            store.bulk_load(source, ox.RdfFormat.N_QUADS)
        elif isinstance(source, (str, Path)):
            store.bulk_load(path=str(source), format=_rdf_format(Path(source)))
        else:
            store.bulk_load(
                b"".join(str(q).encode("utf-8") + b" .\n" for q in _ox_quads(source)),
                ox.RdfFormat.N_QUADS,
            )
        store.flush()
        count = len(store)
        del store  # releases the database lock before the folder moves
        old = path.with_name(f".{path.name}.old") if path.exists() else None
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
            path.rename(old)
        staging.rename(path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except SyntaxError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(f"cannot load {source}: {exc}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


# ----------------------------------------------------------------------------- remote endpoint

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"^[A-Za-z]+(-[A-Za-z0-9]+)*$")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)


def sparql_term(term) -> str:
    """An rdflib term (or a plain Python value, taken as a literal) in SPARQL / N-Triples syntax.

    Used to send bindings to a remote endpoint as a VALUES block: every character that could end
    the term is escaped, and IRIs or language tags that cannot be written are refused.

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


def _significant(query: str) -> Iterable[tuple[int, str]]:
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
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(name)):
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
    for i, c in _significant(query):
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
def _prologue(query: str) -> str:
    """PREFIX declarations for the project prefixes that ``query`` does not declare itself."""
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(query)}
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in _prefixes().items() if p not in declared)


def full_query(sparql: str, bindings: Mapping[str, Any] | None = None) -> str:
    """``sparql`` as every store runs it: the project's prefixes declared, ``bindings`` added.

    >>> full_query("ASK { ?s a kg:Investor }").count("PREFIX")
    13
    """
    return _prologue(sparql) + with_values(sparql, bindings or {})


def _strip_prologue(query: str) -> str:
    """The query without its BASE / PREFIX declarations and comments."""
    text = re.sub(r"#[^\n]*", "", query)
    return re.sub(
        r"^\s*((BASE\s*<[^>]*>|PREFIX\s+[\w.-]*:\s*<[^>]*>)\s*)*", "", text, flags=re.IGNORECASE
    )


class SparqlStore(Store):
    """A SPARQL 1.1 Protocol endpoint over HTTP (stdlib only); read-only from kg's side."""

    name = "sparql"

    def __init__(self, url: str, timeout: float = 60.0):
        if not re.match(r"^https?://", url):
            raise InputError(f"sparql:{url}: expected an http:// or https:// URL")
        self.url = url
        self.timeout = timeout

    def _post(self, query: str, accept: str) -> tuple[str, bytes]:
        import urllib.error
        import urllib.request

        request = urllib.request.Request(
            self.url,
            data=query.encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:500]
            if exc.code == 400:
                raise QueryError(f"the endpoint refused the query: {detail}") from None
            raise StoreError(f"{self.url} answered HTTP {exc.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"cannot reach the SPARQL endpoint {self.url}: {reason}") from None

    def query(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, *, max_rows: int | None = None
    ) -> Result:
        import json

        kind, body = self._post(
            full_query(sparql, bindings),
            "application/sparql-results+json, application/n-triples;q=0.9",
        )
        if kind == "application/n-triples":
            import pyoxigraph as ox

            notes: list[str] = []
            graph = _graph(ox.parse(body, ox.RdfFormat.N_TRIPLES), max_rows, notes)
            return Result("graph", graph=graph, notes=notes)
        if kind not in ("application/sparql-results+json", "application/json"):
            raise StoreError(f"{self.url} answered with unexpected content type {kind}")
        data = json.loads(body)
        if "boolean" in data:
            return Result("ask", boolean=bool(data["boolean"]))
        variables = data["head"]["vars"]
        notes = []
        rows = [
            tuple(_json_term(b.get(v)) for v in variables)
            for b in _capped(data["results"]["bindings"], max_rows, notes)
        ]
        return Result("select", variables, rows, notes=notes)

    def dataset(self):
        """Every quad of the endpoint's named graphs (kg keeps all its triples in named graphs)."""
        res = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        ds = new_dataset()
        ds.addN((s, p, o, ds.graph(g)) for s, p, o, g in res.rows)
        return ds


def _json_term(value: dict | None):
    """A term of SPARQL JSON results as an rdflib term."""
    if value is None:
        return None
    from rdflib import BNode, Literal, URIRef

    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype and datatype != XSD_STRING:
        return Literal(value["value"], datatype=URIRef(datatype))
    return Literal(value["value"])


def refresh_store(spec: str | None, nquads: str | bytes) -> str | None:
    """After ``kg build``: load the new graph into the store later commands read, if it is an
    oxigraph store (given, or set by ``$KG_STORE`` / the config file). Returns its spec, or None
    when there is nothing to refresh (``memory`` reads the exports themselves).

    An explicit ``sparql:URL`` is refused: a remote store is loaded with ``kg push``.
    """
    resolved = resolve_spec(spec)
    kind, _, arg = resolved.partition(":")
    if kind == "oxigraph" and arg:
        write_oxigraph(arg, nquads.encode("utf-8") if isinstance(nquads, str) else nquads)
        return resolved
    if spec and kind == "sparql":
        raise InputError(f"kg build does not write to {spec}; load it with `kg push URL`")
    if spec and kind not in ("memory", "sparql"):
        raise InputError(f"unknown store '{spec}' (known: {', '.join(KINDS)})")
    return None
