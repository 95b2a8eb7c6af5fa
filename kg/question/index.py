"""The question index: every fact of the graph with its sources, the names and classes of every
node, the lexicon and the articles, in one compact structure that ``kg ask`` reads without rdflib.

``kg build`` writes it as ``exports/kg-index.json`` (it ships with kg); for any other store it is
computed from the store by saved queries (:func:`from_store`).

>>> index = load()
>>> index.nodes["blackrock"].label
'BlackRock'
>>> sorted({e.pred for e in index.out["ny-meeting"]} & {"attendee", "location"})
['attendee', 'location']
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import StoreError
from kg.model import Citation, cite_codes
from kg.question.words import preload, stems_of, words_of

FORMAT = 2  # 2: with the stems of every word (``stems``)
FILE = "kg-index.json"
BASE = "https://w3id.org/korea-ai-kg/"
KG_NS = BASE + "ontology#"
ID_NS = BASE + "id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
# classes whose members are n-ary nodes: steps through them are one step of a reading
HIDDEN = frozenset({"Membership", "Statement", "MonetaryAmount", "Quantity"})


@dataclass(frozen=True)
class Node:
    """A node of the graph: id, English label, Korean label, aliases, asserted types, every
    class it belongs to, and whether people name it (entities) or not (memberships, amounts)."""

    id: str
    label: str
    types: tuple[str, ...]
    classes: frozenset[str]
    aliases: tuple[str, ...] = ()
    label_ko: str | None = None
    named: bool = True
    kind: str | None = None

    def is_a(self, *classes: str) -> bool:
        """Whether the node belongs to any of ``classes`` (superclasses count)."""
        return any(c in self.classes for c in classes)


@dataclass(frozen=True)
class Edge:
    """One fact seen from one end: predicate, the other end (a node id, or a literal value with
    its datatype), direction, and sources."""

    pred: str
    other: str | float | int | bool
    literal: bool
    datatype: str | None
    sources: tuple[Citation, ...]
    forward: bool = True


@dataclass
class Index:
    """Nodes, facts in both directions, class tree, lexicon and articles (see module doc)."""

    nodes: dict[str, Node]
    out: dict[str, list[Edge]]
    inn: dict[str, list[Edge]]
    parents: dict[str, tuple[str, ...]]
    lexicon: dict[str, dict[str, list[str]]]
    labels: dict[str, str]
    articles: dict[str, dict]
    degree: dict[str, int] = field(default_factory=dict)
    # the citations of the claims naming and typing each node (its labels, aliases, classes)
    naming: dict[str, frozenset[Citation]] = field(default_factory=dict)
    # the IDF of the curated texts' words (kg/question/retrieval.py)
    text_idf: dict = field(default_factory=dict)

    def value(self, node: str, pred: str):
        """The first literal value of ``pred`` on ``node`` (None when it has none)."""
        return next((e.other for e in self.out.get(node, ()) if e.pred == pred and e.literal), None)

    def supers(self, cls: str) -> set[str]:
        """Every class above ``cls`` (not ``cls`` itself)."""
        return _closure(cls, self.parents) - {cls}  # type: ignore[arg-type]

    @property
    def open_types(self) -> frozenset[str]:
        """The classes annotated kg:openType: a member typed by one of them only may be of
        a narrower class the articles do not state."""
        return frozenset(t for t, kinds in self.lexicon.items() if "open" in kinds)

    def values(self, node: str) -> dict:
        """Every literal of a node by predicate (the first of each)."""
        found: dict = {}
        for e in self.out.get(node, ()):
            if e.literal:
                found.setdefault(e.pred, e.other)
        return found


def _local(iri: str) -> str:
    if iri.startswith(KG_NS):
        return iri[len(KG_NS) :]
    if iri.startswith(ID_NS):
        return iri[len(ID_NS) :]
    return iri


def from_store(store) -> dict:
    """The index as plain JSON data, computed from ``store`` by saved queries."""
    from kg.question.retrieval import texts_of_facts

    facts = sorted(_facts(store), key=_fact_key)
    words = words_of(w for f in facts for w in (f[0], str(f[2][1])))
    return _data(store, facts, texts_of_facts(facts), words)


def render_from_store(store) -> str:
    """``render(from_store(store))``, with each fact held only as its line of text (at a
    million quads the facts as lists held about ten times their text)."""
    from kg.question.retrieval import texts_of_facts

    lines: list[str] = []
    free: list[str] = []
    words: set[str] = set()
    for fact in _facts(store):
        free += texts_of_facts([fact])
        words |= words_of((fact[0], str(fact[2][1])))
        lines.append(json.dumps(fact, ensure_ascii=False, sort_keys=True))
    lines.sort(key=_line_key)
    return _render(_data(store, [], free, words), lines)


def _fact_key(fact: list) -> str:
    """The order of the facts: their JSON text with non-ASCII characters escaped."""
    return json.dumps(fact, sort_keys=True)


def _line_key(line: str) -> str:
    """:func:`_fact_key` of the fact whose line (non-ASCII characters as they are) is
    ``line``: the line itself when it is ASCII."""
    return line if line.isascii() else _fact_key(json.loads(line))


def _rows(store, name: str) -> Iterator[dict]:
    """A saved query's rows one at a time (the facts are most of the graph)."""
    from kg.queries import saved_query

    return store.records(saved_query(name).text)


def _facts(store) -> Iterator[list]:
    """Each fact as the index holds it: subject, predicate, object, sources (those of the
    facts query, facts.rq). A fact's sources are its claim's: the claims' sources and the
    claims' triples are read apart, and neither answer is grouped per fact (a group per fact
    held about 600 MiB in pyoxigraph at a million quads)."""
    from rdflib import Literal, URIRef

    sources = {str(r["claim"]): cite_codes(r.get("sources")) for r in _rows(store, "claim-sources")}
    for r in _rows(store, "claim-triples"):
        s, p, o = r["subject"], r["predicate"], r["object"]
        if not isinstance(s, URIRef):
            continue
        if isinstance(o, Literal):
            value = o.toPython()
            kind = str(o.datatype).rsplit("#", 1)[-1] if o.datatype is not None else "string"
            if isinstance(value, bool):
                obj: list = ["b", value]
            elif isinstance(value, (int, float)) or kind in ("decimal", "double", "integer"):
                number = float(o)
                obj = ["n", int(number) if number.is_integer() else number]
            else:
                obj = ["l", str(o), kind, o.language or ""]
        else:
            obj = ["e", _local(str(o))]
        yield [_local(str(s)), _local(str(p)), obj, list(sources.get(str(r["claim"]), ()))]


def _data(store, facts: list, free: list[str], words: set[str]) -> dict:
    """The index around ``facts`` (sorted), whose free texts are ``free`` and whose subjects'
    and objects' words are ``words``."""
    lexicon: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in _rows(store, "lexicon"):
        lexicon[_local(str(r["term"]))][str(r["kind"])].append(str(r["form"]))
    parents: dict[str, list[str]] = defaultdict(list)
    for r in _rows(store, "classes"):
        parents[_local(str(r["class"]))].append(_local(str(r["super"])))
    labels = {_local(str(r["term"])): str(r["label"]) for r in _rows(store, "vocabulary")}
    articles = {
        str(r["article"]): {
            "title": str(r["title"]),
            "publisher": str(r["publisher"]),
            # the byline and the day of publication, when the article gives them (source
            # qualifiers: "in Sarah Kim's report", kg/question/qualifiers.py)
            **({"author": str(r["author"])} if r.get("author") else {}),
            **({"issued": str(r["issued"])} if r.get("issued") else {}),
            **({"notBefore": str(r["notBefore"])} if r.get("notBefore") else {}),
        }
        for r in _rows(store, "articles")
    }
    from kg.question.retrieval import IDF_KEY, idf_table
    from kg.resolve import name_index

    kinds = {ident: e.kind for ident, e in sorted(name_index(store).entities.items())}
    data = {
        IDF_KEY: idf_table(free),
        "kinds": kinds,
        "format": FORMAT,
        "facts": facts,
        "lexicon": {
            t: {k: sorted(set(v)) for k, v in sorted(d.items())} for t, d in sorted(lexicon.items())
        },
        "parents": {c: sorted(set(p)) for c, p in sorted(parents.items())},
        "labels": dict(sorted(labels.items())),
        "articles": dict(sorted(articles.items())),
    }
    data["stems"] = stems_of(words | words_of(texts({**data, "facts": []})))
    return data


def texts(data: dict) -> list[str]:
    """Every text of an index the engine takes into words: ids, literals, lexicon forms,
    vocabulary labels and article titles."""
    out = list(data["kinds"])
    for s, _, obj, _ in data["facts"]:
        out += [s, str(obj[1])]
    out += [f for kinds in data["lexicon"].values() for forms in kinds.values() for f in forms]
    out += list(data["labels"].values())
    out += [a[k] for a in data["articles"].values() for k in ("title", "author") if k in a]
    return out


def render(data: dict) -> str:
    """The JSON text of an index, deterministic (one fact per line, so diffs stay readable)."""
    lines = (json.dumps(f, ensure_ascii=False, sort_keys=True) for f in data["facts"])
    return _render(data, lines)


def _render(data: dict, lines: Iterable[str]) -> str:
    """:func:`render` of ``data`` with its facts given as their lines."""
    head = {k: v for k, v in data.items() if k != "facts"}
    body = json.dumps(head, ensure_ascii=False, sort_keys=True, indent=0)
    return body[:-1].rstrip() + ',\n"facts": [\n' + ",\n".join(lines) + "\n]}\n"


def shipped_index_text() -> str:
    """The text of the question index that ships with kg."""
    from kg.paths import shipped_index

    return shipped_index().read_text(encoding="utf-8")


def load(path: Path | str | None = None) -> Index:
    """The index in ``path`` (default: the one that ships with kg)."""
    from kg.paths import shipped_index

    path = Path(path) if path else shipped_index()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"cannot read the question index {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoreError(f"{path}: question index of another format; run `kg build`")
    stems = data.get("stems")
    if not isinstance(stems, dict) or not all(
        isinstance(w, str) and isinstance(s, str) and s for w, s in stems.items()
    ):
        raise StoreError(f"{path}: the question index's stems are damaged; run `kg build`")
    return parse(data)


def _closure(cls: str, parents: dict[str, list[str]], seen: set[str] | None = None) -> set[str]:
    seen = seen if seen is not None else set()
    if cls in seen:
        return seen
    seen.add(cls)
    for p in parents.get(cls, ()):
        _closure(p, parents, seen)
    return seen


def parse(data: dict) -> Index:
    """An :class:`Index` from its JSON data (its stems become the known ones)."""
    preload(data["stems"])
    parents = data["parents"]
    types: dict[str, set[str]] = defaultdict(set)
    pref: dict[str, dict[str, str]] = defaultdict(dict)
    alias: dict[str, set[str]] = defaultdict(set)
    out: dict[str, list[Edge]] = defaultdict(list)
    inn: dict[str, list[Edge]] = defaultdict(list)
    cite_cache: dict[str, Citation] = {}

    def cite(code: str) -> Citation:
        found = cite_cache.get(code)
        if found is None:
            found = cite_cache[code] = Citation.parse(code)
        return found

    naming: dict[str, set[Citation]] = defaultdict(set)
    for s, p, obj, sources in data["facts"]:
        cites = tuple(cite(c) for c in sources)
        tag = obj[0]
        if p == RDF_TYPE and tag == "e":
            types[s].add(obj[1])
            naming[s].update(cites)
            continue
        if p in (PREF, ALT) and tag == "l":
            naming[s].update(cites)
            if p == ALT:
                alias[s].add(obj[1])
            else:
                pref[s][obj[3] or "en"] = obj[1]
            continue
        if tag == "e":
            out[s].append(Edge(p, obj[1], False, None, cites))
            inn[obj[1]].append(Edge(p, s, False, None, cites, forward=False))
        else:
            datatype = obj[2] if tag == "l" else ("boolean" if tag == "b" else "number")
            out[s].append(Edge(p, obj[1], True, datatype, cites))
    nodes = {}
    for ident, kinds in types.items():
        classes: set[str] = set()
        for k in kinds:
            _closure(k, parents, classes)
        names = pref.get(ident, {})
        named = "en" in names and not (classes & HIDDEN)
        nodes[ident] = Node(
            ident,
            names.get("en") or ident,
            tuple(sorted(kinds)),
            frozenset(classes),
            tuple(sorted(alias.get(ident, ()))),
            names.get("ko"),
            named,
            data["kinds"].get(ident) or (sorted(kinds)[0] if kinds else None),
        )
    degree = {n: len(out.get(n, ())) + len(inn.get(n, ())) for n in nodes}
    return Index(
        nodes,
        dict(out),
        dict(inn),
        {c: tuple(p) for c, p in parents.items()},
        data["lexicon"],
        data["labels"],
        data["articles"],
        degree,
        {n: frozenset(c) for n, c in naming.items()},
        data.get("text_idf", {}),
    )
