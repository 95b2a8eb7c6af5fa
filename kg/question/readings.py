"""Candidate readings of a question, generated from the graph around its linked entities and
ranked by how much of the question each explains (after QAnswer: link, generate, rank).

A reading is a small query graph: one or two anchors (linked entities), a path of steps from
each anchor to a focus, optionally a class the answers must belong to, and a shape (the list
itself, a count, a total, the largest, a yes/no). Every path that exists within two named hops
of an anchor is a candidate; steps through unnamed nodes (memberships, amounts, statements) are
part of one named hop. A reading explains a word of the question when the word is part of an
anchor's name, names a predicate of the path or the class of the answers in the lexicon, is a
question word the answers fit, names the shape, or matches a literal on the path (a title, a
unit, a year).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg.model import Citation
from kg.question.index import BASE, Index
from kg.question.linking import Link

MAX_NAMED = 2
MAX_RAW = 4
# predicates never walked: names, types and curators' notes are not relations people ask about
SKIP = frozenset(
    {"dateNote", "note", "basis", "usdRateSource", "usdRate", "description", "paragraphCount"}
)
STATEMENT_EXITS = frozenset({"speaker", "summary", "madeAt"})
DATE_TYPES = frozenset({"date", "gYear", "gYearMonth", "dateTime"})


@dataclass(frozen=True)
class Step:
    """One edge of a path: its predicate and whether it is followed subject -> object."""

    pred: str
    forward: bool

    def sparql(self, a: str, b: str) -> str:
        p = f"<{BASE}ontology#{self.pred}>" if ":" not in self.pred else f"<{self.pred}>"
        return f"{a} {p} {b} ." if self.forward else f"{b} {p} {a} ."


Pattern = tuple[Step, ...]
# an answer: a node id, or ("lit", value, datatype) for a literal, ("article", id) for a source
Key = str | tuple


@dataclass
class Reach:
    """Where a pattern leads from an anchor: end -> citations, the named nodes passed, the
    unnamed nodes passed, and the pattern cut into semantic steps (runs of edges whose inner
    nodes are unnamed)."""

    ends: dict[Key, set[Citation]] = field(default_factory=lambda: defaultdict(set))
    via: dict[Key, set[str]] = field(default_factory=lambda: defaultdict(set))
    unnamed: dict[Key, set[str]] = field(default_factory=lambda: defaultdict(set))
    groups: tuple[tuple[Step, ...], ...] = ()


def end_key(edge) -> Key:
    """The key of an edge's far end: a node id, or ("lit", value, datatype) for a literal."""
    return ("lit", edge.other, edge.datatype) if edge.literal else edge.other


def walk(index: Index, start: str) -> dict[Pattern, Reach]:
    """Every path pattern from ``start`` within MAX_NAMED named hops (MAX_RAW edges)."""
    out: dict[Pattern, Reach] = defaultdict(Reach)
    # (node, pattern, closed groups, open group, named hops, citations, named passed, unnamed)
    frontier: list[tuple] = [(start, (), (), (), 0, frozenset(), (), ())]
    for _ in range(MAX_RAW):
        nxt = []
        for node, pattern, groups, group, named, cites, via, hidden in frontier:
            here = index.nodes.get(node)
            value_node = here is not None and here.is_a("MonetaryAmount", "Quantity")
            # a statement reached from what it is about leads on to who said it, what was
            # said and where: two things it mentions are not thereby related to each other
            mention = (
                here is not None
                and here.is_a("Statement")
                and pattern
                and pattern[-1].pred == "about"
            )
            for edge in index.out.get(node, []) + index.inn.get(node, []):
                if edge.pred in SKIP or (edge.literal and (not edge.forward or value_node)):
                    continue
                if mention and edge.pred not in STATEMENT_EXITS:
                    continue
                if not edge.literal and edge.other in (start, *via, *hidden):
                    continue
                step = Step(edge.pred, edge.forward)
                path = pattern + (step,)
                key = end_key(edge)
                all_cites = cites | set(edge.sources)
                target = None if edge.literal else index.nodes.get(str(edge.other))
                open_group = group + (step,)
                closed = groups + (open_group,)
                reach = out[path]
                if not reach.groups:
                    reach.groups = closed
                reach.ends[key] |= all_cites
                reach.via[key].update(via)
                reach.unnamed[key].update(hidden)
                if target is None:
                    continue
                if target.named:
                    if named + 1 >= MAX_NAMED:
                        continue
                    nxt.append(
                        (
                            target.id,
                            path,
                            closed,
                            (),
                            named + 1,
                            frozenset(all_cites),
                            via + (target.id,),
                            hidden,
                        )
                    )
                else:
                    nxt.append(
                        (
                            target.id,
                            path,
                            groups,
                            open_group,
                            named,
                            frozenset(all_cites),
                            via,
                            hidden + (target.id,),
                        )
                    )
        frontier = nxt
        if not frontier:
            break
    return out


def node_iri(ident: str) -> str:
    """A node's IRI as SPARQL writes it: ``<https://w3id.org/korea-ai-kg/id/ident>``."""
    return f"<{BASE}id/{ident}>"


def sparql_for(
    index: Index, anchors: list[str], patterns: list[Pattern], answer_class: str | None
) -> str:
    """The SPARQL query of a reading: anchors bound by VALUES, each path a chain of triple
    patterns ending at ``?answer`` (one path from the first anchor to the second for a yes/no;
    one path from each of several anchors alike for a reading read from several names)."""
    iri = node_iri
    if len(patterns) > 1 and len(set(patterns)) == 1:  # the same reading from several names
        rows = " ".join(f"({iri(x)})" for x in anchors[: len(patterns)])
        anchors, patterns, values = anchors[:1], patterns[:1], f"{{ {rows} }}"
    else:
        values = "{ (" + " ".join(iri(x) for x in anchors) + ") }"
    end = "?answer" if len(patterns) == len(anchors) else "?a1"
    lines = []
    for a, pattern in enumerate(patterns):
        prev = f"?a{a}"
        for k, step in enumerate(pattern):
            nxt = end if k == len(pattern) - 1 else f"?v{a}_{k}"
            lines.append("  " + step.sparql(prev, nxt))
            prev = nxt
    if answer_class and index.supers(answer_class) & index.open_types:
        # or typed only by open classes above it (kg:openType): what may be of the class
        lines.append(
            f"  {{ ?answer a/rdfs:subClassOf* kg:{answer_class} }}\n  UNION\n"
            f"  {{ ?answer a ?open . ?open kg:openType true . kg:{answer_class} "
            "rdfs:subClassOf+ ?open .\n    FILTER NOT EXISTS { ?answer a ?other . "
            f"FILTER NOT EXISTS {{ ?other kg:openType true . kg:{answer_class} "
            "rdfs:subClassOf+ ?other } } }"
        )
    elif answer_class:
        lines.append(f"  ?answer a/rdfs:subClassOf* kg:{answer_class} .")
    names = " ".join(f"?a{a}" for a in range(len(anchors)))
    head = "SELECT DISTINCT ?answer" if end == "?answer" else "ASK"
    return f"{head} WHERE {{\n  VALUES ({names}) {values}\n" + "\n".join(lines) + "\n}"


@dataclass
class Candidate:
    """A reading with its answers and its score parts (see the module docstring)."""

    anchors: tuple[Link, ...]
    patterns: tuple[Pattern, ...]
    answers: dict[Key, set[Citation]]
    via: dict[Key, set[str]]
    shape: str = "list"
    answer_class: str | None = None
    explained: set[int] = field(default_factory=set)
    unsupported: int = 0
    hops: int = 0
    type_fit: float = 0.0
    score: float = 0.0
    boolean: bool | None = None
    # for one pattern read from several names alike ("AWS plus SK"): each name's answers
    per_anchor: dict[str, list[Key]] = field(default_factory=dict)
    value: object = None  # the figure a difference or a choice produced
