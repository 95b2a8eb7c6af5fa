"""Question shapes the engine's ranking hooks in: the post a person holds at an organisation,
the class a count counts, the question word a longer phrase overrides, a currency word after a
figure, and how many steps a literal can explain (see docs/ask.md, "Question shapes").

Word knowledge stays in ontology/lexicon.ttl: the question words of each date property ("by
when", "until when"), the words of a count ("how many"), the currency words ("dollars", "won").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from kg.model import Citation
from kg.question.index import Index
from kg.question.linking import Link
from kg.question.readings import Candidate, Key, Step, node_iri
from kg.question.words import STOPWORDS, Token

# the evidence of a post: person <-member- membership -title-> title
POST = (Step("member", False), Step("title", True))


class _Hit(Protocol):
    @property
    def first(self) -> int: ...
    @property
    def last(self) -> int: ...
    @property
    def term(self) -> str: ...
    @property
    def kind(self) -> str: ...


def overridden(hit: _Hit, hits: Iterable[_Hit]) -> bool:
    """Whether a question-word hit lies inside a longer question-word phrase: "when" inside
    "by when" asks for what "by when" asks for (a target or end date), not a start date."""
    return any(
        h.kind == "qword"
        and h.first <= hit.first
        and hit.last <= h.last
        and h.last - h.first > hit.last - hit.first
        for h in hits
    )


def counted_class(toks: list[Token], hits: Iterable[_Hit], count_term: str) -> str | None:
    """The class a count operator ("how many", "number of") is followed by ("how many firms"
    -> Company), skipping function words; None when no class word follows."""
    hits = list(hits)
    for h in hits:
        if h.kind == "op" and h.term == count_term:
            nxt = h.last
            while nxt < len(toks) and toks[nxt].text in STOPWORDS:
                nxt += 1
            for g in hits:
                if g.kind == "class" and g.first <= nxt < g.last:
                    return g.term
    return None


def currency_after(link: Link, toks: list[Token], hits: Iterable[_Hit]) -> Link:
    """A figure's link widened over a currency word right after it ("9 billion dollar
    pledge"): the word belongs to the figure, not to the rest of the question. Currency words
    are the lexicon's forms of ``kg:currency``."""
    after = link.last
    if after < len(toks) and any(
        h.kind == "prop" and h.term == "currency" and h.first == after for h in hits
    ):
        return Link(link.node, link.first, after + 1, link.score, link.exact, link.name)
    return link


def posts(index: Index, person: Link, org: Link) -> Candidate | None:
    """The posts ``person`` holds at ``org``: the titles of the memberships joining them ("what
    role does Chey Tae-won hold at SK Group" -> Chairman), cited by each membership's claims.
    None when no membership joins them (absence is not an answer)."""
    answers: dict[Key, set[Citation]] = {}
    for e in index.inn.get(person.node, []):
        if e.pred != "member" or e.literal:
            continue
        membership = str(e.other)
        edges = index.out.get(membership, [])
        if not any(f.pred == "organization" and str(f.other) == org.node for f in edges):
            continue
        cites = {c for f in edges for c in f.sources}
        for f in edges:
            if f.pred == "title" and f.literal:
                answers.setdefault(("lit", f.other, f.datatype), set()).update(cites)
    if not answers:
        return None
    return Candidate((person, org), (POST,), answers, {}, shape="post")


def post_sparql(person: str, org: str) -> str:
    """The SPARQL query of a post reading: the titles of the memberships joining the two."""
    ends = (("member", "?a0"), ("organization", "?a1"), ("title", "?answer"))
    lines = "\n".join("  " + Step(pred, True).sparql("?m", end) for pred, end in ends)
    return (
        "SELECT DISTINCT ?answer WHERE {\n"
        f"  VALUES (?a0 ?a1) {{ ({node_iri(person)} {node_iri(org)}) }}\n{lines}\n}}"
    )
