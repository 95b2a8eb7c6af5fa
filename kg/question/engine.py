"""The question engine: words -> links and lexicon hits -> candidate readings -> the best one.

>>> engine = Engine(load())
>>> answer = engine.ask("Who was in the room for the New York meeting?")
>>> "kim-jung-kwan" in [i.id for i in answer.items]
True
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

from kg.errors import AmbiguousError, InputError, KGError, UnansweredError
from kg.limits import MAX_NAME, MAX_QUESTION_WORDS
from kg.model import Amount, Answer, Citation, EntityBrief, Item, Source
from kg.money import quantity_text
from kg.question import measures, qualifiers, shapes, verify
from kg.question.composite import ClassWord, compounds, descriptions, generic, joined
from kg.question.evidence import Text, node_texts, stop_words, text_words, texts_near
from kg.question.index import Index, load
from kg.question.linking import Link, Names, choose, is_former
from kg.question.readings import (
    DATE_TYPES,
    STATEMENT_EXITS,
    Candidate,
    Key,
    Pattern,
    Reach,
    Step,
    sparql_for,
    walk,
)
from kg.question.retrieval import SYNONYM, Matcher
from kg.question.words import STOPWORDS, Token, find_phrases, numbers, phrase_stems, tokens

# a reading scoring below this is not answered and the best ones are offered instead; set where
# the reader-written questions (tests/cases/questions) gave few confident wrong answers
THRESHOLD = 1.0
# a name after an anchor scoring this much better is the head of the phrase, not a descriptor
HEAD_MARGIN = 0.1
NAMED = 0.8  # a name linked at least this well is one the question gives, not asks for
WEAK = 0.7  # a partial link below this describes nothing (a word shared with a long name)
AGREED = 0.01  # a name every answer meets but no step of the reading uses
# a country's name may stand for the government based in it, linked this much below the country
METONYM = 0.95
METONYM_PLACES = ("Country",)
METONYM_BODIES = ("GovernmentOrganization",)
# a class word at most this many words after "what" / "which" types the answers ("which seven
# global firms")
WH_CLASS_GAP = 3
SHORT = 4  # literals of at most this many words (titles, units, years) narrow answers
# a question opening with one of these asks yes or no
AUX = frozenset("is are was were did does do has have had can could will would should".split())
OPS = {
    "CountOperator": "count",
    "TotalOperator": "total",
    "LargestOperator": "largest",
    "SmallestOperator": "smallest",
    "CompareOperator": "compare",
    "DifferenceOperator": "difference",
    "ConnectionOperator": "connection",
    "MentionOperator": "mentions",
    "DescribeOperator": "describe",
    "ListOperator": "list",
}
QWORD_CLASS = {"who": ("Agent",), "where": ("Place",)}
# a text reading (kg/question/evidence.py) that explains every word scores 1 - TEXT_COST plus
# TEXT_MATCH a matched word (three at most): at the threshold with one word, and below a
# structured reading that explains the question (1 + 0.03 a relation asked for)
TEXT_COST = 0.01
TEXT_MATCH = 0.01
TEXT_STEP = 0.04  # a text of a named neighbour of the name, not of the name itself
# graded text retrieval (kg/question/retrieval.py): a text answers when it covers at least
# TEXT_COVER of the question's IDF-weighted words and beats the runner-up text by TEXT_MARGIN
# (a neighbour's text counts TEXT_STEP less; not asked of a text covering every word); each
# missing share of coverage costs TEXT_GAP (tuned on the reader set and two dev sets: docs/ask.md)
TEXT_COVER = 0.6
TEXT_MARGIN = 0.15
TEXT_GAP = 0.05
TEXT_REACHED = 0.5  # another name covers this much when its walk reaches the text's node
TEXT_BELOW = 0.25  # a text short of the cover or the margin drops this far below the threshold
# the word groups of the lexicon the engine reads
PASSIVE = "PassiveMarkers"
FILLER = "FillerWords"
PRECISION = "PrecisionWords"
AFFILIATION = "AffiliationWords"
# the values of a figure known only as a range or in words
VAGUE = ("minValue", "maxValue", "approximation")
JOINERS = "CompoundJoiners"
RELATIVES = "RelativeMarkers"
_CORRECTION = re.compile(r"matched '(.*)' to '(.*)'")  # a correction as Answer states it
# the evidence of who holds a post: person <-member- membership -title-> title
HOLDER = (Step("member", False), Step("title", True))
# the relations from a thing to the place or whole that holds it
CONTAINMENT = frozenset({"location", "locatedIn", "partOf", "basedIn"})
# the relations up from a thing to where it belongs ("Korea's minister", "a Korean ministry")
HOME = CONTAINMENT | {"subOrganizationOf"}
MAX_HOME = 64  # bounds the walk up


@dataclass(frozen=True)
class Hit:
    """A lexicon phrase found in the question: tokens, the term, and what kind of term."""

    first: int
    last: int
    term: str
    kind: str  # "prop" | "class" | "op" | "qword" | "title" | "filler"

    @property
    def span(self) -> range:
        return range(self.first, self.last)


@dataclass
class Parsed:
    """A question taken apart: its tokens, links (grouped by span), lexicon hits, numbers."""

    text: str
    toks: list[Token]
    groups: list[list[Link]]
    hits: list[Hit]
    qword: str | None
    yesno: bool
    content: set[int]
    quals: qualifiers.Qualifiers = qualifiers.NONE  # source and exclusions (qualifiers.py)


class Engine:
    """Answers questions over an :class:`~kg.question.index.Index` (see the module doc)."""

    def __init__(self, index: Index | None = None):
        self.index = index or load()
        self.names = Names(self.index)
        self.qualifiers = qualifiers.Reader(self.index)
        self.measures = measures.Measures(self.index)
        self._walks: dict[str, dict[Pattern, Reach]] = {}
        self.verify = verify.Verifier(self.index, self._walk)
        self._profiles: dict[str, set[str]] = {}
        self._homes: dict[str, set[str]] = {}
        self.open_types = self.index.open_types
        self.affiliation = frozenset(self.index.lexicon.get(AFFILIATION, {}).get("word", ()))
        self.precision = frozenset(self.index.lexicon.get(PRECISION, {}).get("word", ()))
        self._texts: dict[str, set[str]] = {}
        self._near: dict[tuple[str, int], set[str]] = {}
        self._depth = 0  # sub-questions being asked (a description's: one level)
        self.phrases: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
        self.known: set[str] = set(STOPWORDS)
        # title group -> the title words its forms ask for ("runs" -> CEO, chair, minister ...)
        self.title_words: dict[str, list[frozenset[str]]] = {
            term: [frozenset(t.text for t in tokens(w)) for w in kinds["title"]]
            for term, kinds in self.index.lexicon.items()
            if "title" in kinds
        }
        # property -> the stems of its active verbs ("owns" for ownedBy: "A owns B")
        self.active: dict[str, set[tuple[str, ...]]] = {
            term: {phrase_stems(f) for f in kinds["active"]}
            for term, kinds in self.index.lexicon.items()
            if "active" in kinds
        }
        # words of the word groups (ontology/lexicon.ttl): passive markers ("owned by") and
        # fillers a reading need not explain ("who else", "what kind of")
        self.passive = frozenset(self.index.lexicon.get(PASSIVE, {}).get("word", ()))
        self.text_stop = stop_words(self.index)
        self.matcher = Matcher.build(self.index.text_idf, self.index.lexicon)
        self._near_texts: dict[str, list[Text]] = {}
        for form in self.index.lexicon.get(FILLER, {}).get("word", ()):
            self.phrases[phrase_stems(form)].append(("filler", FILLER))
        for term, kinds in self.index.lexicon.items():
            for kind, forms in kinds.items():
                if kind in ("title", "word", SYNONYM, "one", "number", "open"):
                    continue
                for form in forms:
                    stems = phrase_stems(form)
                    if term in self.index.nodes:  # a descriptor of an entity ("Korean")
                        self.names.exact[" ".join(t.text for t in tokens(form))].add(term)
                        continue
                    what = "qword" if kind == "question" else self._term_kind(term)
                    if term in self.title_words:
                        what = "title"
                    self.phrases[stems].append((what, term))
                    self.known.update(stems)
                    self.known.update(t.text for t in tokens(form))
        # one-word class forms of kinds with several named members ("group", "company"): alone
        # they name a kind, not an entity ("the MOU", the graph's one MOU, still names it)
        members: dict[str, int] = defaultdict(int)
        for n in self.index.nodes.values():
            for cls in n.classes if n.named else ():
                members[cls] += 1
        self.class_words = frozenset(
            stems[0]
            for stems, terms in self.phrases.items()
            if len(stems) == 1
            and any(kind == "class" and members[term] > 1 for kind, term in terms)
        )

    @staticmethod
    def _term_kind(term: str) -> str:
        if term in OPS:
            return "op"
        return "class" if term[:1].isupper() else "prop"

    # ------------------------------------------------------------------ parsing

    def parse(self, question: str) -> Parsed:
        text = question.strip()
        if not text:
            raise UnansweredError("ask a question, for example: who attended the New York meeting?")
        if len(text) > MAX_NAME:
            raise InputError(f"a question is at most {MAX_NAME} characters (got {len(text)})")
        toks = tokens(text)
        if len(toks) > MAX_QUESTION_WORDS:
            raise InputError(f"a question is at most {MAX_QUESTION_WORDS} words (got {len(toks)})")
        if not toks:
            raise UnansweredError(f"'{text}' has no words to answer")
        hits = [Hit(i, j, term, kind) for i, j, (kind, term) in find_phrases(toks, self.phrases)]
        links = self.names.links(toks, frozenset(self.known)) + self._amount_links(toks, hits)
        links = self._composite(text, toks, hits, links)
        groups = [g + self._standing_for(g[0]) for g in choose(links)]
        # a source the question names constrains the answers: no reading starts from it, nor
        # from a part of an author's name ("Kim" in "Sarah Kim")
        quals = self.qualifiers.read(toks, hits, groups)
        groups = [g for g in groups if not (quals.span | quals.bylines).intersection(g[0].span)]
        hits = [h for h in hits if not quals.span.intersection(h.span)]  # its words ask nothing
        qwords = [h for h in hits if h.kind == "qword"]
        first = toks[0].text
        qword = None
        if qwords:
            best = min(qwords, key=lambda h: (h.first, -(h.last - h.first)))
            qword = " ".join(t.text for t in toks[best.first : best.last])
        elif any(t.text in ("what", "which") for t in toks):
            qword = "what"
        yesno = first in AUX and not (qwords and qwords[0].first <= 1)
        content = {t.i for t in toks if t.text not in STOPWORDS}
        return Parsed(text, toks, groups[:5], hits, qword, yesno, content, quals)

    def _entities(self, c: Candidate) -> set[str]:
        """What a reading's anchors name, a government taken for the country it stands for."""
        out = set()
        for link in c.anchors:
            node = self.index.nodes.get(link.node)
            places = [
                str(e.other)
                for e in self.index.out.get(link.node, [])
                if e.pred == "basedIn" and node is not None and node.is_a(*METONYM_BODIES)
            ]
            out.add(places[0] if len(places) == 1 else link.node)
        return out

    def _standing_for(self, link: Link) -> list[Link]:
        """A country's name standing for its government ("Korea and BlackRock signed the
        MOU"): the government organisations based in it, a little below the country itself."""
        node = self.index.nodes.get(link.node)
        if node is None or not node.is_a(*METONYM_PLACES):
            return []
        return [
            replace(link, node=str(e.other), score=link.score * METONYM, exact=False)
            for e in self.index.inn.get(link.node, [])
            if e.pred == "basedIn"
            and str(e.other) in self.index.nodes
            and self.index.nodes[str(e.other)].is_a(*METONYM_BODIES)
        ]

    def _composite(self, text: str, toks: list[Token], hits: list[Hit], links: list[Link]):
        """The links plus compounds of two names and descriptions in place of a name, less
        partial links made of class words alone (kg/question/composite.py)."""
        classes = [ClassWord(h.first, h.last, h.term) for h in hits if h.kind == "class"]
        links = generic(links, toks, self.class_words)
        group = self.index.lexicon.get
        joiners = frozenset(group(JOINERS, {}).get("word", ()))
        links = links + compounds(self.index, text, toks, links, classes, joiners, self._neighbours)
        if self._depth == 0:
            relatives = frozenset(group(RELATIVES, {}).get("word", ()))
            links = links + descriptions(toks, links, classes, relatives, AUX, self._described)
        return links

    def _described(
        self, question: str, cls: str
    ) -> tuple[str, float, tuple[tuple[str, str], ...]] | None:
        """The single named entity of class ``cls`` a description's sub-question answers
        confidently."""
        self._depth += 1
        try:
            found = self.ask(question)
        except KGError:
            return None
        finally:
            self._depth -= 1
        named = [
            i for i in found.items if i.id in self.index.nodes and self.index.nodes[i.id].named
        ]
        if len(named) != 1 or len(found.items) != 1 or found.boolean is not None:
            return None
        if not self.index.nodes[str(named[0].id)].is_a(cls):
            return None
        fixes = tuple(
            (m.group(1), m.group(2))
            for c in found.corrections
            if (m := _CORRECTION.fullmatch(c)) is not None
        )
        return str(named[0].id), found.score, fixes

    def _amount_links(self, toks: list[Token], hits: list[Hit]) -> list[Link]:
        """Figures in the question ("$5 billion", "10.1 trillion won") as links to the named
        nodes whose amount has that value, in any of its currencies (with the currency word
        after the figure)."""
        out = []
        for n in numbers(toks):
            if n.year:
                continue
            for node, amount in self._amount_owners:
                vals = self.index.values(amount)
                figures = [vals.get(k) for k in ("value", "valueUsd", "statedValueUsd", "minValue")]
                if any(
                    isinstance(f, (int, float)) and abs(f - n.value) <= 1e-6 * n.value
                    for f in figures
                ):
                    link = Link(node, n.first, n.last + 1, 0.9, False, "amount")
                    out.append(shapes.currency_after(link, toks, hits))
        return out

    @cached_property
    def _amount_owners(self) -> list[tuple[str, str]]:
        """(named node, its amount node) for every amount in the graph."""
        return [
            (s, str(e.other))
            for s, edges in self.index.out.items()
            for e in edges
            if e.pred == "amount"
            and not e.literal
            and s in self.index.nodes
            and self.index.nodes[s].named
        ]

    # ------------------------------------------------------------------ candidates

    def _walk(self, node: str) -> dict[Pattern, Reach]:
        found = self._walks.get(node)
        if found is None:
            found = self._walks[node] = walk(self.index, node)
        return found

    def candidates(self, p: Parsed) -> list[Candidate]:
        out: list[Candidate] = []
        groups = p.groups
        for g in groups:
            for link in g[:4]:
                for pattern, reach in self._walk(link.node).items():
                    out.append(
                        Candidate(
                            (link,),
                            (pattern,),
                            dict(reach.ends),
                            dict(reach.via),
                        )
                    )
                out.append(self._describe(link))
                out.append(self._mentions(link))
                if link.name in self.names.roles:
                    out.append(self._holder(link))
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                for la in groups[a][:3]:
                    for lb in groups[b][:3]:
                        if la.node != lb.node:
                            out.extend(self._pairs(la, lb))
                            for person, org in ((la, lb), (lb, la)):
                                post = shapes.posts(self.index, person, org)
                                if post is not None:
                                    out.append(post)
        out.extend(self._parallel(groups))
        firsts = [g[0] for g in groups]
        for a in range(len(firsts)):
            for b in range(a + 1, len(firsts)):
                if firsts[a].node != firsts[b].node:
                    out.append(self._connection(firsts[a], firsts[b]))
        for h in p.hits:
            if h.kind == "class" and not any(
                h.first in link.span for g in groups for link in g[:1]
            ):
                members: dict[Key, set[Citation]] = {
                    n.id: set()
                    for n in self.index.nodes.values()
                    if n.named and h.term in n.classes
                }
                if members:
                    out.append(Candidate((), (), members, {}, answer_class=h.term))
        out.extend(self._text_readings(p))
        return out

    # ------------------------------------------------------------------ text evidence

    def _text_readings(self, p: Parsed) -> list[Candidate]:
        """The best free-text value near each linked name, and among the members of each class
        the question names outside a name, as scored text readings (kg/question/evidence.py).
        Only for questions asking "what" (or no question word), not yes/no, a figure, nor
        "which ..." (that asks for an entity); "what <class>" takes texts of that class only."""
        if (
            p.yesno
            or p.qword not in (None, "what")
            or any(h.kind == "op" for h in p.hits)
            or any(t.text in ("which", "whose") for t in p.toks)
        ):
            return []
        out = []
        near = [{t.node for t in self._texts_near(g[0].node)} | {g[0].node} for g in p.groups]
        # a news outlet is named as a source ("according to CoinCentral"), not as a subject
        outlet = [self.index.nodes[g[0].node].is_a("NewsOrganization") for g in p.groups]
        for n, g in enumerate(p.groups):
            # the nodes another name of the question also reaches are no step away from it
            shared = set().union(
                *(near[m] for m in range(len(p.groups)) if m != n and not outlet[m])
            )
            # the other names: their words are covered by the texts of the nodes they reach
            others = [(p.groups[m][0], near[m]) for m in range(len(p.groups)) if m != n]
            for link in g[:2]:
                best = self._best_text(
                    p, (link,), self._texts_near(link.node), shared=shared, others=others
                )
                if best is not None:
                    out.append(best)
        in_names = {k for g in p.groups for link in g[:1] for k in link.span}
        for h in p.hits:
            if h.kind == "class" and not any(k in in_names for k in h.span):
                members = [
                    t
                    for n in self.index.nodes.values()
                    if n.named and h.term in n.classes
                    for t in node_texts(self.index, n.id)
                ]
                best = self._best_text(p, (), members, h)
                if best is not None:
                    out.append(best)
        return out

    def _texts_near(self, node: str) -> list[Text]:
        found = self._near_texts.get(node)
        if found is None:
            found = self._near_texts[node] = texts_near(self.index, node, self._walk(node))
        return found

    def _best_text(
        self,
        p: Parsed,
        anchors: tuple[Link, ...],
        texts: list[Text],
        via: Hit | None = None,
        shared: set[str] | frozenset[str] = frozenset(),
        others: Sequence[tuple[Link, set[str]]] = (),
    ) -> Candidate | None:
        """The text whose words hold most of the question's unexplained words, as a scored
        candidate; None when no text holds any. A text of another named node than the anchor
        costs a step, unless another name of the question reaches that node too. Another name
        of the question is covered by the texts of the nodes it reaches, and a news outlet
        named as the source ("according to CoinCentral") by the texts its articles cite."""
        told: set[int] = {k for link in anchors for k in link.span}
        # the anchor named again by its post ("BlackRock CEO Larry Fink")
        nodes = {link.node for link in anchors}
        told |= {k for g in p.groups for link in g[:1] if link.node in nodes for k in link.span}
        told |= {k for h in p.hits if h.kind == "filler" for k in h.span}
        told |= p.quals.span  # a source qualifier's words (qualifiers.py)
        if via is not None:
            told.update(via.span)
        asked = [
            t
            for t in p.toks
            if t.i in p.content
            and t.i not in told
            and t.text not in self.text_stop
            and t.stem not in self.text_stop
        ]
        if not asked:
            return None
        link_score = (
            sum(self._link_score(p, link) for link in anchors) / len(anchors) if anchors else 0.85
        )
        wh = {t.i for t in p.toks if t.text == "what"}
        typed = {
            h.term
            for h in p.hits
            if h.kind == "class" and any(0 < h.first - w <= WH_CLASS_GAP for w in wh)
        }
        named_words = {k for g in p.groups for k in g[0].span}
        wanted = {t.i for t in asked} - named_words
        ranked: list[tuple] = []
        for text in texts:
            words = text_words(text.text)
            node = self.index.nodes.get(text.node)
            if typed and (node is None or not typed & node.classes):
                continue
            lexical = {
                k
                for h in p.hits
                if (h.kind == "prop" and (h.term in text.path or h.term == text.pred))
                or (h.kind == "class" and node is not None and h.term in node.classes)
                for k in h.span
            }
            parts = dict.fromkeys(lexical, 1.0)
            for other, reach in others:
                if text.node == other.node:
                    named = 1.0
                elif text.node in reach:
                    named = TEXT_REACHED
                else:
                    continue
                for k in other.span:
                    parts[k] = max(parts.get(k, 0.0), named)
            cover, matched = self.matcher.coverage(asked, words, parts)
            if not matched:
                continue
            # a name the question gives that the text neither holds nor is reached from
            ignored = any(
                link.score >= 0.9
                and not any(k in matched or parts.get(k) for k in link.span)
                and not set(link.span) & told
                for link, _reach in others
            )
            # a text holding only the question's names tells nothing the names do not, unless
            # a lexicon word names its predicate or class ("what did X say about Y": a summary)
            # or the question asks for a thing of its node's class ("what ceremony ...")
            ignored = ignored or not (typed or lexical & wanted or matched - named_words)
            reached = sum(1 for _link, reach in others if text.node in reach)
            step = bool(
                anchors
                and node is not None
                and node.named
                and text.node not in {link.node for link in anchors}
                and text.node not in shared
            )
            fit = cover - TEXT_STEP * step
            own = text.node in {link.node for link in anchors}
            rank = (fit, not step, reached, own, len(matched), -len(words), text.node, text.pred)
            whole = {k for k, part in parts.items() if part >= 1.0}
            ranked.append((rank, text, matched, whole, cover, step, ignored))
        if not ranked:
            return None
        ranked.sort(key=lambda r: r[0], reverse=True)
        rank, text, matched, lexical, cover, step, ignored = ranked[0]
        margin = rank[0] - next((r[0][0] for r in ranked[1:] if r[1].text != text.text), 0.0)
        score = (
            1.0
            - TEXT_STEP * step
            - TEXT_COST
            + TEXT_MATCH * min(len(matched), 3)
            - TEXT_GAP * (1 - cover)
            - 0.4 * (1 - link_score)
        )
        # texts that cover every word are told apart as before: own text first, more words
        if ignored or cover < TEXT_COVER or (cover < 1.0 and margin < TEXT_MARGIN):
            score = min(score, THRESHOLD) - TEXT_BELOW
        key = ("text", text.text, text.pred, text.node)
        c = Candidate(
            anchors,
            ((Step(text.pred, True),),),
            {key: set(text.sources)},
            {},
            shape="text",
            answer_class=via.term if via is not None else None,
        )
        c.explained = told | matched | lexical
        c.score = score
        c.value = (cover, margin)
        return c

    def _parallel(self, groups: list[list[Link]]) -> list[Candidate]:
        """One pattern read from several names of one kind ("AWS plus SK", "the US, China and
        Korea"), when it gives each of them an amount or a figure: for totals, differences and
        which of them has more."""
        out: list[Candidate] = []
        firsts = [g[0] for g in groups]
        by_kind: dict[str | None, list[Link]] = defaultdict(list)
        for link in firsts:
            by_kind[self.index.nodes[link.node].kind].append(link)
        for links in by_kind.values():
            if len(links) < 2:
                continue
            walks = [self._walk(link.node) for link in links]
            for pattern in set(walks[0]).intersection(*walks[1:]):
                per: dict[str, list[Key]] = {
                    link.node: [k for k in w[pattern].ends if self._figures(k)]
                    for link, w in zip(links, walks, strict=True)
                }
                if not all(per.values()):
                    continue
                answers: dict[Key, set[Citation]] = defaultdict(set)
                for w in walks:
                    for k, cites in w[pattern].ends.items():
                        if self._figures(k):
                            answers[k] |= cites
                out.append(
                    Candidate(
                        tuple(links),
                        (pattern,) * len(links),
                        dict(answers),
                        {},
                        shape="parallel",
                        per_anchor=per,
                    )
                )
                # another name of the question narrows each side ("... into the Ulsan data
                # center, AWS or SK?"): keep what is one step from it
                for other in firsts:
                    if other in links:
                        continue
                    narrowed: dict[str, list[Key]] = {
                        n: [
                            k
                            for k in keys
                            if isinstance(k, str) and other.node in self._neighbours(k)
                        ]
                        for n, keys in per.items()
                    }
                    if all(narrowed.values()):
                        kept = {k for keys in narrowed.values() for k in keys}
                        out.append(
                            Candidate(
                                (*links, other),
                                (pattern,) * len(links),
                                {k: v for k, v in answers.items() if k in kept},
                                {},
                                shape="parallel",
                                per_anchor=narrowed,
                            )
                        )
        return out

    def _hops(self, node: str) -> list[tuple[str, tuple[Step, ...], frozenset[Citation], str]]:
        """The named nodes one semantic step from ``node``: (node, steps, citations, text)."""
        out = []
        for pattern, reach in self._walk(node).items():
            if len(reach.groups) != 1:
                continue
            for end, cites in reach.ends.items():
                target = self.index.nodes.get(end) if isinstance(end, str) else None
                if target is None or not target.named or end == node:
                    continue
                titles = sorted(
                    str(e.other)
                    for n in reach.unnamed.get(end, ())
                    for e in self.index.out.get(n, [])
                    if e.literal and e.pred == "title"
                )
                words = [self._arrow(step) for step in pattern]
                if titles and len(pattern) > 1:  # the post held in the membership passed
                    words.insert(1, f"[{', '.join(titles)}]")
                out.append((target.id, pattern, frozenset(cites), " ".join(words)))
        return out

    def _connection(self, la: Link, lb: Link, most: int = 6) -> Candidate:
        """How two named things are connected: the shortest chains of facts between them
        (at most four named steps), each chain one answer cited by all its facts."""
        start, goal = la.node, lb.node
        # (nodes, citations, text, hops through a statement: "X said something about Y")
        paths: list[tuple[tuple[str, ...], frozenset[Citation], str, int]] = [
            ((start,), frozenset(), "", 0)
        ]
        found: list[tuple[int, str, frozenset[Citation]]] = []
        seen = {start}
        for _ in range(4):
            nxt = []
            reached = set()
            for nodes, cites, text, said in paths:
                for end, pattern, more, words in self._hops(nodes[-1]):
                    if end in seen:
                        continue
                    label = self.index.nodes[end].label
                    weak = said + any(st.pred in STATEMENT_EXITS for st in pattern)
                    step = (nodes + (end,), cites | more, f"{text} {words} {label}", weak)
                    if end == goal:
                        found.append((weak, self.index.nodes[start].label + step[2], step[1]))
                    else:
                        nxt.append(step)
                        reached.add(end)
            if found or len(nxt) > 20000:
                break
            seen |= reached
            paths = nxt
        # chains through what someone said count only when there is no other
        fewest = min((weak for weak, _, _ in found), default=0)
        answers: dict[Key, set[Citation]] = {
            ("path", text): set(cites)
            for weak, text, cites in sorted(found)[:most]
            if weak == fewest
        }
        return Candidate((la, lb), (), answers, {}, shape="connection")

    def _describe(self, link: Link) -> Candidate:
        node = link.node
        cites = set()
        for e in self.index.out.get(node, []):
            if e.pred == "description":
                cites |= set(e.sources)
        return Candidate(
            (link,), ((Step("description", True),),), {node: cites}, {}, shape="describe"
        )

    def _holder(self, link: Link) -> Candidate:
        """The person a role names ("the Science and ICT Minister"), as the answer to "who
        is ..." and "who holds ...", cited by the memberships that give the title."""
        cites: set[Citation] = set()
        for e in self.index.inn.get(link.node, []):
            if e.pred == "member":
                cites |= {c for f in self.index.out.get(str(e.other), []) for c in f.sources}
        return Candidate((link,), (HOLDER,), {link.node: cites}, {}, shape="holder")

    def _mentions(self, link: Link) -> Candidate:
        by_article: dict[Key, set[Citation]] = defaultdict(set)
        for e in self.index.out.get(link.node, []) + self.index.inn.get(link.node, []):
            for c in e.sources:
                by_article[("article", c.source)].add(c)
        return Candidate(
            (link,), ((Step("citation", True),),), dict(by_article), {}, shape="mentions"
        )

    def _pairs(self, la: Link, lb: Link) -> list[Candidate]:
        wa, wb = self._walk(la.node), self._walk(lb.node)
        reach_b: dict[Key, list[Pattern]] = defaultdict(list)
        for pattern, reach in wb.items():
            for end in reach.ends:
                if not isinstance(end, tuple):
                    reach_b[end].append(pattern)
        out = []
        joins: dict[tuple[Pattern, Pattern], dict[Key, set[Citation]]] = defaultdict(dict)
        for pa, ra in wa.items():
            for end, cites in ra.ends.items():
                if end == lb.node:
                    out.append(Candidate((la, lb), (pa,), {end: set(cites)}, {}, shape="relation"))
                    continue
                if isinstance(end, tuple) or end == la.node:
                    continue
                node = self.index.nodes.get(end)
                # two names meet at a named node, or at a statement one of them made about the
                # other ("what did Garman say about Korea": the statements themselves)
                if node is None or not (node.named or node.is_a("Statement")):
                    continue
                for pb in reach_b.get(end, ()):
                    joins[(pa, pb)][end] = set(cites) | wb[pb].ends[end]
        for (pa, pb), answers in joins.items():
            via = {end: wa[pa].via.get(end, set()) | wb[pb].via.get(end, set()) for end in answers}
            out.append(Candidate((la, lb), (pa, pb), answers, via, shape="join"))
        return out

    # ------------------------------------------------------------------ scoring

    def score(self, p: Parsed, c: Candidate) -> Candidate:
        if c.shape == "text":  # scored where it was found (_best_text)
            return qualifiers.sourced_text(p.quals, c)
        explained: set[int] = set()
        anchor_spans = [link.span for link in c.anchors]
        for span in anchor_spans:
            explained.update(span)
        for h in p.hits:  # words that ask for nothing ("who else", "what kind of")
            if h.kind == "filler":
                explained.update(h.span)
        in_anchor = {k for span in anchor_spans for k in span}
        preds = {s.pred for pattern in c.patterns for s in pattern}
        answers = dict(c.answers)
        if p.quals.source is not None:  # "according to CoinCentral": what that source cites
            answers = p.quals.source.keep(answers)
            explained |= p.quals.span
        shape = c.shape
        # lexicon hits outside the anchors' names
        supported_preds: set[str] = set()
        ops = set()
        in_exact = {k for link in c.anchors if link.exact for k in link.span}
        for h in p.hits:
            if h.kind == "op" and not any(k in in_anchor for k in h.span):
                ops.add(OPS[h.term])
            if h.kind != "prop" or h.term not in preds or any(k in in_exact for k in h.span):
                continue
            if not self._voice_fits(p, c, h):
                continue
            # a word of a partly matched name may still tell the relation ("at the meeting")
            if not any(k in in_anchor for k in h.span):
                explained.update(h.span)
            # a phrase of function words only ("in", "with") is too common to tell which
            # relation the question means, unless it stands right before a name it relates
            # ("in New York", "at the ceremony")
            if any(k in p.content for k in h.span) or h.term in self._touching(p, c, h):
                supported_preds.add(h.term)
        # class words: filter the answers or describe a node on the path
        answer_class = c.answer_class
        for h in p.hits:
            if h.kind != "class" or any(k in in_anchor for k in h.span):
                continue
            fitting = {a: v for a, v in answers.items() if self._may_be(a, h.term)}
            if fitting:
                if len(fitting) < len(answers) and shape not in ("describe", "mentions"):
                    answers = fitting
                    answer_class = h.term
                explained.update(h.span)
            elif (
                any(self._is_a(link.node, h.term) for link in c.anchors)
                or any(self._is_a(v, h.term) for vs in c.via.values() for v in vs)
                or h.term == "NewsArticle"
                and shape == "mentions"
            ):
                explained.update(h.span)
        # a post named right after "which" describes the answer ("which Democratic Party
        # lawmaker attended ..."): its holder is the answer, when the reading reaches them
        wh = {t.i for t in p.toks if t.text in ("what", "which", "whose")}
        described: set[str] = set()
        in_post: set[int] = set()  # the words of those posts
        if shape in ("list", "join") and not p.yesno:
            for g in p.groups:
                link = g[0]
                if (
                    link not in c.anchors
                    and link.name in self.names.roles
                    and self._after_wh(p, wh, link, 3)
                    and link.node in answers
                ):
                    answers = {link.node: answers[link.node]}
                    explained.update(link.span)
                    in_post.update(link.span)
                    described.add(link.node)
        # "besides X", "X aside": X taken out of the answers, the words explained
        answers, excluding = qualifiers.excluded(
            p.quals, answers, [link.node for link in c.anchors], p.yesno
        )
        explained |= excluding
        # entities the question names are not its answers ("besides SK Group, which ...")
        # (a word that only partly matches a name, such as a class word, does not name it:
        # "what party is Cha Ji-ho in" asks for the party)
        named = {g[0].node for g in p.groups if g[0].exact or g[0].score >= NAMED} - described
        # "BlackRock included": a name kept among the answers
        kept_in, including = qualifiers.included(
            p.quals, answers, [link.node for link in c.anchors]
        )
        named -= kept_in
        explained |= including
        if shape not in ("describe", "relation", "holder") and not p.yesno:
            rest = {a: v for a, v in answers.items() if a not in named}
            if rest:
                answers = rest
        # a name right after "which" that the reading does not start from narrows its answers
        # to those tied to it by one fact or where they belong ("which Nvidia executive",
        # "which Korean firms"); when every answer is, it agrees with the reading
        agreed = 0
        if shape in ("list", "join") and not p.yesno:
            for g in p.groups:
                link = g[0]
                affiliated = self._affiliated(p, link)
                if (
                    link in c.anchors
                    or link.score < 0.9
                    or any(k in explained for k in link.span)
                    or not (self._after_wh(p, wh, link, 2) or affiliated)
                ):
                    continue
                # "who from BlackRock": those who belong to it, not all tied to it
                kept: dict[Key, set[Citation]] = {
                    a: v
                    for a, v in answers.items()
                    if isinstance(a, str)
                    and (
                        link.node in self._home(a)
                        or not affiliated
                        and link.node in self._neighbours(a)
                    )
                }
                if kept:
                    agreed += len(kept) == len(answers)
                    answers = kept
                    explained.update(link.span)
        # any other name tied to the answers or to the nodes the reading passes through: a
        # join of constraints (kg/question/composite.py); one that every answer meets agrees
        # with the reading without being a step of it, a little less than a step
        if shape in ("list", "join") and not p.yesno:
            answers, tied, met = joined(
                self.index, p.groups, c, answers, explained, self._neighbours
            )
            explained |= tied
            agreed += met
        # a class word right after "what" / "which" is the type of the answers
        typed = False
        for h in p.hits:
            if (
                h.kind == "class"
                and any(0 < h.first - w <= WH_CLASS_GAP for w in wh)
                and not any(k in in_post for k in h.span)
                and shape
                not in (
                    "describe",
                    "mentions",
                )
            ):
                fitting = {a: v for a, v in answers.items() if self._may_be(a, h.term)}
                if fitting:
                    answers, answer_class = fitting, h.term
                    explained.update(h.span)
                    # typed, unless it asks for others of the kind of a name it gives
                    typed = not any(self._is_a(link.node, h.term) for link in c.anchors)
                else:
                    explained.difference_update(h.span)
        # question word: the type of the answers
        type_fit = self._type_fit(p, answers, shape, {link.node for link in c.anchors})
        for h in p.hits:
            if h.kind == "qword" and type_fit > 0 and not any(k in in_anchor for k in h.span):
                explained.update(h.span)
                if h.term in preds and not shapes.overridden(h, p.hits):
                    supported_preds.add(h.term)
        # literal words on the path: titles, units, years, kinds
        answers, lit_explained = self._literal_filter(p, c, answers, explained)
        explained |= lit_explained
        # a measured value (a quantity, a statistic's amount) and the words naming it
        named_words = in_anchor | {k for g in p.groups if g[0].score >= 0.9 for k in g[0].span}
        measured = self.measures.read(
            p.toks,
            p.hits,
            p.content,
            answers,
            named_words,
            [link.node for link in c.anchors],
            [(g[0].node, g[0].span) for g in p.groups],
        )
        if measured is not None:
            answers = measured.answers
            explained |= measured.words
        # words describing an anchor (its titles, its organisations, its classes)
        explained |= self._descriptors(p, c, explained)
        # the shape asked for
        shape, boolean, op_tokens = self._shape(p, c, answers, ops, shape, bool(supported_preds))
        explained |= op_tokens
        # "was the amount disclosed": a commitment's record that it was not says no
        found = qualifiers.undisclosed(
            p.yesno,
            p.toks,
            p.hits,
            self._undisclosed(c),
            answers,
            in_anchor,
            self.qualifiers.negations,
        )
        if found is not None:
            (answers, told), shape, boolean = found, "yesno-undisclosed", False
            explained |= told
        if shape == "choice":  # the answer is one of the names compared
            type_fit = self._type_fit(p, {link.node: set() for link in c.anchors}, "list", set())
        groups = self._groups(c)
        if shape == "yesno-complete":  # the count stated asks for the list's relation
            supported_preds.add(c.patterns[0][-1].pred)
        # a step is asked for when a word names its relation, or when words of the question
        # match the literals it leads to (a title on a membership, the measure of a statistic)
        unasked = [n for n, g in enumerate(groups) if not any(s.pred in supported_preds for s in g)]
        excused = [
            n for n in unasked if lit_explained and (len(groups[n]) > 1 or n == len(groups) - 1)
        ]
        unsupported = len(unasked) - len(excused)
        if p.yesno:  # a statement to verify: a literal ("CEO") vouches for one step, not a chain
            unsupported += max(0, len(excused) - 1)
        if measured is not None and measured.vouches and len(c.anchors) == 1 and not p.yesno:
            unsupported = 0  # the measure ties the value to the name the reading starts from
        # a reading ending through a statement answers what the question asks of it: what was
        # said, where, by whom ("what did X say" is not "where did X say something")
        asked = {h.term for h in p.hits if h.kind in ("prop", "qword")} | supported_preds
        unsupported += sum(
            1
            for g in self._last_groups(c)
            if len(g) > 1
            and g[0].pred in ("speaker", "about")
            and not g[0].forward
            and g[-1].pred in STATEMENT_EXITS | {"about"}
            and g[-1].pred not in asked
        )
        content = p.content or set(range(len(p.toks)))
        # "exactly how much": a range or an approximation does not say
        if any(self._vague(a) for a in answers):
            precise = {t.i for t in p.toks if t.text in self.precision}
            explained -= precise
            content = content | precise
        # words found in the names and descriptions of the nodes the reading passes through
        # agree with it, though they name nothing it uses: half a word each
        context = self._context_words(c, answers)
        # ... unless it names a relation the reading does not use ("who chairs the firm that
        # ...": a step the reading lacks, whatever its texts say)
        relational = {k for h in p.hits if h.kind == "prop" for k in h.span} - {
            k for h in p.hits if h.kind == "prop" and h.term in preds for k in h.span
        }
        # nor a word naming a kind of thing or a post the answers are not ("who is Korea's
        # finance minister" answered with a company)
        relational |= {k for h in p.hits if h.kind in ("class", "title") for k in h.span}
        agreeing = {
            k
            for k in content - explained - relational
            if p.toks[k].stem in context or p.toks[k].text in context
        }
        unexplained = len(content - explained - agreeing)
        # a name in the question that the reading leaves aside costs more than a word
        ignored = sum(
            1 for g in p.groups if g[0].score >= 0.9 and not any(k in explained for k in g[0].span)
        )
        link_score = (
            sum(self._link_score(p, link) for link in c.anchors) / len(c.anchors)
            if c.anchors
            else 0.85
        )
        if typed and type_fit == 0 and p.qword == "what" and not content - explained:
            type_fit = 0.1  # "which <class>", every word explained, types answers as "who" does
        if measured is not None and measured.vouches and type_fit == 0 and p.qword == "what":
            type_fit = 0.1  # "what capacity ...": the measure named is the type of the answer
        if shape in ("yesno", "yesno-undisclosed", "yesno-not", "yesno-complete"):
            type_fit = 0.1  # a fact tying the two things named is what a yes/no question asks
        score = (
            1.0
            - 0.25 * unexplained
            - 0.05 * len(agreeing)
            - 0.22 * unsupported
            - 0.04 * max(0, len(groups) - 1)
            - 0.4 * (1 - link_score)
            - 0.2 * ignored
            - AGREED * agreed
            + type_fit
            + 0.03 * len(supported_preds)
        )
        if p.yesno:  # a statement to verify: a word left over may be exactly what is false
            score = verify.capped(score, unexplained, THRESHOLD)
        if p.qword == "where" and any(_colocated(pattern) for pattern in c.patterns):
            score -= 1  # what else is where the thing is does not say where it is
        if not answers or shape == "unasked":
            score -= 1
        elif (
            not p.yesno
            and shape not in ("describe", "relation", "holder")
            and set(answers) <= named
        ):
            score -= 0.3  # the question does not ask for what it names
        return replace(
            c,
            answers=answers,
            explained=explained,
            unsupported=unsupported,
            hops=len(groups),
            type_fit=type_fit,
            score=score,
            shape=shape,
            answer_class=answer_class,
            boolean=boolean,
        )

    def _affiliated(self, p: Parsed, link: Link) -> bool:
        """Whether a name follows "who" through an affiliation word ("who from BlackRock",
        "who at the ministry"; word group AffiliationWords)."""
        k = link.first - 1
        if k > 0 and p.toks[k].text == "the":
            k -= 1
        return k > 0 and p.toks[k].text in self.affiliation and p.toks[k - 1].text in _WHO

    @staticmethod
    def _after_wh(p: Parsed, wh: set[int], link: Link, most: int) -> bool:
        """Whether a name stands in the phrase a question word opens, at most ``most`` words
        after it with no verb between ("which Nvidia executive", not "what did Garman say")."""
        return any(
            0 < link.first - w <= most
            and not any(p.toks[k].text in AUX for k in range(w + 1, link.first))
            for w in wh
        )

    def _voice_fits(self, p: Parsed, c: Candidate, h: Hit) -> bool:
        """Whether the direction the reading takes a property in fits the verb's voice: a name
        right after an active verb is the property's subject ("who owns GIP": GIP owned by ?),
        a name after "<verb> by" its object ("what is owned by BlackRock")."""
        if h.term not in self.active:
            return True
        passive = h.last < len(p.toks) and p.toks[h.last].text in self.passive
        verb = tuple(t.stem for t in p.toks[h.first : h.last])
        if not passive and verb not in self.active[h.term]:
            return True
        after = h.last + 1 if passive else h.last
        if after < len(p.toks) and p.toks[after].text == "the":
            after += 1
        for link, pattern in zip(c.anchors, c.patterns, strict=False):
            if link.first == after and pattern and pattern[0].pred == h.term:
                return pattern[0].forward != passive
        return True

    def _touching(self, p: Parsed, c: Candidate, h: Hit) -> set[str]:
        """The predicates of the steps that touch the name right after a function word ("in
        Korea", "at the ceremony"): the word tells how the reading reaches that name."""
        out: set[str] = set()
        for link, pattern in zip(c.anchors, c.patterns, strict=False):
            if pattern and (
                h.last == link.first or (h.last + 1 == link.first and p.toks[h.last].text == "the")
            ):
                out.add(pattern[0].pred)
        if p.yesno:  # "is X in Busan": the name compared with the values the reading gives
            used = {link.node for link in c.anchors}
            for g in p.groups:
                other = g[0]
                if other.node not in used and (
                    h.last == other.first
                    or (h.last + 1 == other.first and p.toks[h.last].text == "the")
                ):
                    out.update(pattern[-1].pred for pattern in c.patterns if pattern)
        if h.last == len(p.toks) and p.qword and not p.yesno:
            # a preposition left at the end ("which province is Gyeongju in", "which party is
            # she a lawmaker for") tells the step that reaches what the question word asks for
            out.update(pattern[-1].pred for pattern in c.patterns if pattern)
        if c.shape == "relation" and len(c.anchors) == 2 and c.patterns and c.patterns[0]:
            target = c.anchors[1]
            if h.last == target.first or (
                h.last + 1 == target.first and p.toks[h.last].text == "the"
            ):
                out.add(c.patterns[0][-1].pred)
        return out

    def _link_score(self, p: Parsed, link: Link) -> float:
        """A partly matched name counts for more when the rest of its words are elsewhere in
        the question ("the New York meeting" for "Meeting of ... in New York")."""
        if link.exact:
            return link.score
        words = {t.text for t in p.toks} | {t.stem for t in p.toks}
        node = self.index.nodes[link.node]
        own = {t.text for name in (node.label, *node.aliases) for t in tokens(name)}
        # the name of another entity the question names, inside this one's ("Inauguration of
        # President Lee Jae Myung" for "when was Lee inaugurated"), is there as well
        for g in p.groups:
            other = g[0]
            if other.node != link.node and other.node in self.index.nodes:
                inner = self.index.nodes[other.node]
                for name in (inner.label, *inner.aliases):
                    inside = {t.text for t in tokens(name)} - STOPWORDS
                    if inside and inside <= own:
                        words |= inside | self._profile(other.node)
        best = 0.0
        for name in (node.label, *node.aliases):
            content = [t for t in tokens(name) if t.text not in STOPWORDS]
            if content:
                best = max(
                    best, sum(t.text in words or t.stem in words for t in content) / len(content)
                )
        return max(link.score, 0.55 + 0.45 * best)

    def _context_words(self, c: Candidate, answers: dict) -> set[str]:
        nodes = {link.node for link in c.anchors}
        for vs in c.via.values():
            nodes |= vs
        if len(answers) <= 5:
            nodes |= {a for a in answers if isinstance(a, str)}
        words: set[str] = set()
        for n in nodes:
            words |= self._text_words(n)
        return words - STOPWORDS

    def _text_words(self, node: str) -> set[str]:
        found = self._texts.get(node)
        if found is None:
            found = set()
            n = self.index.nodes.get(node)
            if n is not None:
                for name in (n.label, *n.aliases):
                    found |= _words(name)
            for e in self.index.out.get(node, []):
                if e.literal and e.pred in ("description", "title", "measureName", "summary"):
                    found |= _words(str(e.other))
            self._texts[node] = found
        return found

    def _groups(self, c: Candidate) -> list[tuple[Step, ...]]:
        if c.shape in ("describe", "mentions", "holder"):
            return []
        if c.shape == "parallel":
            reach = self._walk(c.anchors[0].node).get(c.patterns[0])
            return list(reach.groups) if reach else [c.patterns[0]]
        groups: list[tuple[Step, ...]] = []
        for link, pattern in zip(c.anchors, c.patterns, strict=False):
            reach = self._walk(link.node).get(pattern)
            groups.extend(reach.groups if reach else [pattern])
        return groups

    def _last_groups(self, c: Candidate) -> list[tuple[Step, ...]]:
        """The last semantic step of each anchor's path: the one that reaches the answers."""
        if c.shape in ("describe", "mentions", "holder", "parallel"):
            return []
        out = []
        for link, pattern in zip(c.anchors, c.patterns, strict=False):
            reach = self._walk(link.node).get(pattern)
            if reach is not None and reach.groups:
                out.append(reach.groups[-1])
        return out

    def _is_a(self, key: Key, cls: str) -> bool:
        if isinstance(key, tuple):
            return cls == "NewsArticle" and key[0] == "article"
        node = self.index.nodes.get(key)  # type: ignore[arg-type]
        return node is not None and cls in node.classes

    def _may_be(self, key: Key, cls: str) -> bool:
        """Whether an answer is of ``cls``, or is typed only by broader classes than ``cls``
        that are open (kg:openType in the lexicon): an organisation the articles do not call a
        company may be one ("which companies are in the partnership" keeps Microsoft)."""
        if self._is_a(key, cls):
            return True
        node = self.index.nodes.get(key) if isinstance(key, str) else None
        if node is None or not node.types:
            return False
        wider = self.index.supers(cls) & self.open_types
        return all(t in wider for t in node.types)

    def _type_fit(self, p: Parsed, answers: dict, shape: str, anchors: set[str]) -> float:
        q = p.qword
        if p.yesno or not answers:
            return 0.0
        keys = list(answers)
        if shape == "describe":
            return 0.02 if q in ("who", "what") else 0.0
        if shape == "mentions":
            return 0.0
        if q in ("who", "whom", "whose"):
            fit = sum(self._is_a(k, "Agent") for k in keys) / len(keys)
            return 0.1 if fit >= 0.5 else -0.4
        if q == "where":
            fit = sum(self._is_a(k, "Place") for k in keys) / len(keys)
            return 0.1 if fit >= 0.5 else -0.4
        if q and (
            q.startswith("when") or " year" in q or " date" in q or " day" in q or q == "by when"
        ):
            fit = sum(
                isinstance(k, tuple)
                and k[0] == "lit"
                and (k[2] in DATE_TYPES or (k[2] == "number" and 1900 <= float(k[1]) <= 2100))
                for k in keys
            )
            return 0.1 if fit >= 0.5 * len(keys) else -0.4
        if q in ("how much", "how big", "how large", "what amount"):
            fit = sum(self._priced(k, anchors) for k in keys) / len(keys)
            return 0.1 if fit >= 0.5 else -0.4
        if q in ("how many",):  # a count of a kind of thing, or a figure
            if self._counts_a_class(p):
                # as well as "who" fits people when every answer is of the class counted
                cls = shapes.counted_class(p.toks, p.hits, "CountOperator")
                return 0.1 if cls and all(self._may_be(k, cls) for k in keys) else 0.05
            fit = sum(self._is_quantity(k) or self._is_money(k) for k in keys) / len(keys)
            return 0.1 if fit >= 0.5 else -0.4
        if q in ("how long", "how many years"):
            fit = sum(isinstance(k, tuple) and k[0] == "lit" and k[2] == "number" for k in keys)
            fit /= len(keys)
            return 0.1 if fit else -0.3
        return 0.0

    def _priced(self, key: Key, anchors: set[str]) -> bool:
        """Whether an answer gives an amount: money, a quantity, or a commitment with an
        amount that is not shared with investors other than those asked about."""
        if self._is_quantity(key):
            return True
        if self._is_money(key):  # an amount: judge the commitment that holds it
            owners = [str(e.other) for e in self.index.inn.get(key, []) if e.pred == "amount"]  # type: ignore[arg-type]
            return not owners or any(self._priced(o, anchors) for o in owners)
        if not self._amount_of(key):
            return False
        investors = {str(e.other) for e in self.index.out.get(str(key), []) if e.pred == "investor"}
        return not (investors & anchors) or investors <= anchors

    def _is_money(self, key: Key) -> bool:
        return isinstance(key, str) and self.index.value(key, "currency") is not None

    def _is_quantity(self, key: Key) -> bool:
        return isinstance(key, str) and self.index.value(key, "unit") is not None

    def _literal_filter(self, p: Parsed, c: Candidate, answers: dict, explained: set[int]):
        """Words matching literals of the unnamed nodes on an answer's path, or of the answer
        itself (a title "CEO", a unit "GPUs", a year "2029"): they narrow the answers."""
        # words a lexicon entry explained still narrow ("how many GPUs": the measure in GPUs)
        in_anchor = {k for link in c.anchors for k in link.span}
        free = [p.toks[k] for k in sorted(p.content) if k not in in_anchor]
        if not free or not c.anchors:
            return answers, set()
        matched: set[int] = set()
        keep: dict = {}
        years = {n.first for n in numbers(p.toks) if n.year}
        # words naming a kind of position ("runs", "boss"): a title on the path holding one of
        # the group's title words
        titled = [(h, self.title_words[h.term]) for h in p.hits if h.kind == "title"]
        titled = [(h, w) for h, w in titled if not any(k in in_anchor for k in h.span)]
        past = any(t.text in self.names.former for t in p.toks)  # "former", "ex"
        for key, cites in answers.items():
            words = self._literal_words(c, key, past)
            hit = {t.i for t in free if t.stem in words or t.text in words}
            if titled and self._holds_post(c):
                for h, wanted in titled:
                    if any(w <= words for w in wanted):
                        hit.update(h.span)
            if hit:
                keep[key] = cites
                matched |= hit
        if matched and keep and (matched & years or len(keep) < len(answers)):
            answers = keep
        # what a statement on the path says ("who argued Korea should find its own specialty")
        # (the words of a name the question gives name it, they are not what was said)
        named = {k for g in p.groups if g[0].score >= 0.9 for k in g[0].span}
        rest = [t for t in free if t.i not in matched | explained | named]
        said = {key: self._said_words(c, key) for key in answers}
        counts = {key: {t.i for t in rest if t.stem in w or t.text in w} for key, w in said.items()}
        best = max((len(v) for v in counts.values()), default=0)
        if best >= 2:
            answers = {k: v for k, v in answers.items() if len(counts[k]) == best}
            matched |= set().union(*(counts[k] for k in answers))
        return answers, matched

    def _holds_post(self, c: Candidate) -> bool:
        """Whether the reading goes straight through a membership from a name to its answer
        (a post held in it, or the holder of a post in it): what a title word asks for."""
        for link, pattern in zip(c.anchors, c.patterns, strict=False):
            reach = self._walk(link.node).get(pattern)
            if (
                reach is not None
                and len(reach.groups) == 1
                and any(s.pred == "member" for s in pattern)
            ):
                return True
        return False

    def _said_words(self, c: Candidate, key: Key) -> set[str]:
        """The words of the statements (and other long texts) on an answer's path."""
        words: set[str] = set()
        for link, pattern in zip(c.anchors, c.patterns, strict=False):
            reach = self._walk(link.node).get(pattern)
            for n in reach.unnamed.get(key, ()) if reach is not None else ():
                for e in self.index.out.get(n, []):
                    if e.literal and len(str(e.other).split()) > SHORT:
                        words |= _words(str(e.other))
        return words - STOPWORDS

    def _literal_words(self, c: Candidate, key: Key, past: bool = False) -> set[str]:
        """The short literals of an answer and of the unnamed nodes on its path; a post held
        before (a membership whose status is former) only when the question says ``past``."""
        words: set[str] = set()
        nodes: list[str] = []
        anchors: set[Key] = {link.node for link in c.anchors}
        for link, pattern in zip(c.anchors, c.patterns, strict=False):
            reach = self._walk(link.node).get(pattern)
            if reach is not None:
                nodes.extend(reach.unnamed.get(key, ()))
        if isinstance(key, str):
            nodes.append(key)
        elif key[0] == "lit" and len(str(key[1]).split()) <= SHORT:  # type: ignore[index]
            words.update(_words(str(key[1])))  # type: ignore[index]
        for n in nodes:
            edges = self.index.out.get(n, [])
            if not past and any(is_former(self.index, e, self.names.former) for e in edges):
                continue
            # a post's title tells the post of a holder the reading starts or ends at, not
            # of one it passes ("Renault's CEO" is no company its path reaches through a CEO)
            members = {str(e.other) for e in edges if e.pred == "member"}
            for e in edges:
                if e.pred == "title" and members and not members & ({key} | anchors):
                    continue
                if e.literal and len(str(e.other).split()) <= SHORT:
                    words.update(_words(str(e.other)))
        return words

    def _descriptors(self, p: Parsed, c: Candidate, explained: set[int]) -> set[int]:
        """Words right before or after an anchor's name that describe it: its titles, the
        classes it belongs to, and entities it is directly tied to ("BlackRock CEO Larry Fink",
        "South Korean President Lee", "Rep. Cha Ji-ho", "Larry Fink, BlackRock's CEO")."""
        out: set[int] = set()
        linked = {k: link for g in p.groups for link in g[:1] for k in link.span}
        # a word naming a relation describes a name only as written ("BlackRock CEO"), not
        # by its stem ("does BlackRock manage" is not "BlackRock, the asset manager")
        relational = {k for h in p.hits if h.kind == "prop" for k in h.span}
        for link in c.anchors:
            profile = self._profile(link.node)
            near = self._neighbours(link.node, 2)
            for direction in (-1, 1):
                k = link.first - 1 if direction < 0 else link.last
                while 0 <= k < len(p.toks) and k not in explained:
                    t = p.toks[k]
                    other = linked.get(k)
                    if other is not None:
                        # a stronger name after a weaker one is the head of the phrase, not
                        # its descriptor ("South Korean President Lee Jae Myung" is Lee)
                        head = direction > 0 and other.score > link.score + HEAD_MARGIN
                        # the same entity named again by its post ("BlackRock CEO Larry Fink")
                        again = other.node == link.node and other.span != link.span
                        tied = other.node in near or other.node in self._home(link.node)
                        # a word or two that only partly match another name name nothing
                        weak = other.score < WEAK and not again
                        if weak or not again and (not tied or head):
                            break
                        out.update(other.span)
                        k = other.first if direction < 0 else other.last - 1
                    elif (
                        not (t.text == "the" and direction < 0)
                        and (t.stem not in profile or k in relational)
                        and t.text not in profile
                    ):
                        break
                    elif t.text != "the":
                        out.add(k)
                    k += direction
        return out - explained

    def _profile(self, node: str) -> set[str]:
        found = self._profiles.get(node)
        if found is None:
            words: set[str] = set()
            n = self.index.nodes.get(node)
            for e in self.index.inn.get(node, []):
                if e.pred == "member":
                    for f in self.index.out.get(str(e.other), []):
                        if f.literal:
                            words |= _words(str(f.other))
            if n is not None:
                for cls in n.classes:
                    for form in self.index.lexicon.get(cls, {}).get("form", []):
                        words |= _words(form)
            found = self._profiles[node] = words - STOPWORDS
        return found

    def _home(self, node: str) -> set[str]:
        """Where ``node`` belongs: the organisations it is a member of, what they are part of,
        and where those are based or located, transitively ("Korea's science minister" is
        Bae: minister at MSIT, part of the government, based in South Korea)."""
        found = self._homes.get(node)
        if found is None:
            found, todo = set(), [node]
            while todo and len(found) < MAX_HOME:
                at = todo.pop()
                ups = [str(e.other) for e in self.index.out.get(at, []) if e.pred in HOME]
                for e in self.index.inn.get(at, []):
                    if e.pred == "member":  # the organisation of a membership
                        ups += [
                            str(f.other)
                            for f in self.index.out.get(str(e.other), [])
                            if f.pred == "organization"
                        ]
                for up in ups:
                    if up not in found and up != node and up in self.index.nodes:
                        found.add(up)
                        todo.append(up)
            self._homes[node] = found
        return found

    def _neighbours(self, node: str, hops: int = 1) -> set[str]:
        """The named nodes at most ``hops`` semantic steps from ``node``."""
        out = self._near.get((node, hops))
        if out is None:
            out = self._near[(node, hops)] = {
                k
                for reach in self._walk(node).values()
                if len(reach.groups) <= hops
                for k in reach.ends
                if isinstance(k, str)
            }
        return out

    def _shape(
        self, p: Parsed, c: Candidate, answers: dict, ops: set[str], shape: str, supported: bool
    ):
        """The shape the question asks for, whether it was named, and the tokens naming it."""
        tokens_used: set[int] = set()

        def use(op: str) -> None:
            for h in p.hits:
                if h.kind == "op" and OPS[h.term] == op:
                    tokens_used.update(h.span)

        boolean = None
        if p.yesno and shape == "holder":  # "is Chey Tae-won chairman of SK Group?"
            post = c.anchors[0]
            people = [
                g[0]
                for g in p.groups
                if g[0].last <= post.first or g[0].first >= post.last
                if self._is_a(g[0].node, "Person")
            ]
            if people:
                tokens_used.update(people[0].span)
                return "yesno", people[0].node == post.node, tokens_used
        if p.yesno and shape in ("mentions", "describe", "holder"):
            return "unasked", None, tokens_used
        if shape == "holder":
            return shape, None, tokens_used
        if shape == "describe":
            outside = p.content - {k for link in c.anchors for k in link.span}
            if "describe" not in ops and outside:
                return "unasked", None, tokens_used
        if shape == "mentions":
            if "mentions" not in ops and not any(
                h.kind == "class" and h.term == "NewsArticle" for h in p.hits
            ):
                return "unasked", None, tokens_used
            if "mentions" in ops:
                use("mentions")
            if "count" in ops:
                use("count")
                return "count-mentions", None, tokens_used
            return shape, None, tokens_used
        if shape == "describe":
            if "describe" in ops:
                use("describe")
            return shape, None, tokens_used
        if shape == "parallel":
            return self._parallel_shape(p, c, ops, use, tokens_used)
        if p.yesno:
            if shape == "relation":  # "is X among ...": the fact found says X is
                return "yesno", True, tokens_used | self.verify.membership_words(p.toks)
            listed = self.verify.listed(p, c, answers)  # "is X one of the seven firms"
            if listed is not None:
                return "yesno-complete", listed.boolean, tokens_used | listed.tokens
            if shape == "connection":  # "are X and Y connected": a chain of facts says yes
                if "connection" not in ops:
                    return "unasked", None, tokens_used
                use("connection")
                return "yesno", True, tokens_used
            figures = [f for k in answers for f in self._figures(k)]
            nums = [n for n in numbers(p.toks) if not n.year]
            if nums and figures:  # "does BlackRock manage more than $10 trillion?"
                n = nums[0]
                use("compare")
                tokens_used.update(range(n.first, n.last + 1))
                # "half of the $9 billion": half the figure, compared with the parts, not the whole
                factor, told = self.verify.part_of(p.toks, n.first)
                tokens_used |= told
                value = n.value * factor
                if factor != 1.0:
                    figures = [f for f in figures if abs(f - n.value) > 1e-6 * n.value]
                words = {t.text for t in p.toks}
                if words & {"less", "fewer", "smaller", "below", "under", "lower"}:
                    verdict = any(f < value for f in figures)
                elif words & {"more", "over", "exceed", "exceeds", "least", "above", "greater"}:
                    verdict = any(f > value for f in figures)
                else:
                    verdict = any(abs(f - value) <= 0.01 * value for f in figures)
                return "yesno-compare", verdict, tokens_used
            # the graph gives the values of this relation (named by a word of the question), and
            # the one asked about is not among them although it is of the same kind: no
            other = (
                []
                if not supported or not self.verify.single_valued(c, answers, p.hits)
                else [
                    g[0]
                    for g in p.groups
                    if g[0].node not in {a.node for a in c.anchors} and g[0].score >= 0.9
                ]
            )
            for link in other:
                kinds = {self.index.nodes[link.node].kind}
                if link.node not in answers and any(
                    isinstance(a, str)
                    and a in self.index.nodes
                    and self.index.nodes[a].kind in kinds
                    for a in answers
                ):
                    tokens_used.update(link.span)
                    return "yesno-not", False, tokens_used
            return "yesno-" + shape, None, tokens_used
        if "list" in ops:
            use("list")
        if (
            "count" in ops
            and self._counts_a_class(p)
            and all(
                isinstance(k, str)
                and k in self.index.nodes
                and self.index.nodes[k].named
                or (isinstance(k, tuple) and k[0] == "article")
                for k in answers
            )
        ):
            use("count")
            return "count", None, tokens_used
        money = [k for k in answers if self._is_money(k) or self._amount_of(k)]
        if "total" in ops and money:
            use("total")
            return "total", None, tokens_used
        if "largest" in ops and money:
            use("largest")
            return "largest", None, tokens_used
        if "smallest" in ops and money:
            use("smallest")
            return "smallest", None, tokens_used
        if shape == "connection":
            if "connection" not in ops:
                return "unasked", None, tokens_used
            use("connection")
            return shape, None, tokens_used
        if shape == "relation":  # a fact between two names answers yes/no or "how connected"
            if "connection" not in ops:
                return "unasked", None, tokens_used
            use("connection")
        return shape, boolean, tokens_used

    def _usd(self, key: Key) -> float | None:
        """An answer's figure to compare: USD for money, the value for a quantity."""
        node = self._amount_of(key) or key
        if not isinstance(node, str):
            return None
        v = self.index.values(node)
        for k in ("valueUsd", "minValueUsd", "statedValueUsd") if "currency" in v else ("value",):
            if isinstance(v.get(k), (int, float)):
                return float(v[k])
        return None

    def _parallel_shape(self, p: Parsed, c: Candidate, ops: set[str], use, tokens_used: set[int]):
        """What a question asks of one reading read from several names: which has more, by how
        much, whether the first has more, or the total."""
        values = {}
        for node, keys in c.per_anchor.items():
            figures = [f for k in keys if (f := self._usd(k)) is not None]
            if not figures:
                return "unasked", None, tokens_used
            values[node] = max(figures)  # conflicting claims of one amount are not added
        words = {t.text for t in p.toks}
        less = bool(words & {"less", "fewer", "smaller", "lower", "smallest", "least"})
        order = list(c.per_anchor)
        if p.yesno and len(order) == 2 and ops & {"compare", "difference", "largest"}:
            use("compare")
            use("difference")
            a, b = values[order[0]], values[order[1]]
            return "yesno-parallel", (a < b) if less else (a > b), tokens_used
        if p.yesno:
            return "unasked", None, tokens_used
        if "difference" in ops and len(order) == 2 and p.qword in ("how much", "what amount"):
            use("difference")
            c.value = abs(values[order[0]] - values[order[1]])
            return "difference", None, tokens_used
        if ops & {"compare", "largest", "smallest", "difference"} and p.qword in (
            "who",
            "whom",
            "what",
        ):
            for op in ("compare", "largest", "smallest", "difference"):
                use(op)
            pick = (min if less or "smallest" in ops else max)(order, key=lambda n: values[n])
            c.value = pick
            return "choice", None, tokens_used
        if "total" in ops:
            use("total")
            return "total", None, tokens_used
        return "unasked", None, tokens_used

    def _figures(self, key: Key) -> list[float]:
        """The numbers an answer stands for: an amount in its currency and in USD, a
        quantity's value, a commitment's amount."""
        node = self._amount_of(key) or key
        if not isinstance(node, str):
            return []
        v = self.index.values(node)
        keys = ("value", "valueUsd", "minValue", "maxValue", "statedValueUsd")
        return [float(v[k]) for k in keys if isinstance(v.get(k), (int, float))]

    def _counts_a_class(self, p: Parsed) -> bool:
        """Whether "how many" / "number of" is followed by a kind of thing ("how many firms"),
        not by a unit or a thing the graph does not count ("how many chips")."""
        for h in p.hits:
            if h.kind == "op" and OPS[h.term] == "count":
                nxt = h.last
                while nxt < len(p.toks) and p.toks[nxt].text in STOPWORDS:
                    nxt += 1
                if any(g.kind == "class" and g.first <= nxt < g.last for g in p.hits):
                    return True
        return False

    def _undisclosed(self, c: Candidate) -> list[Key] | None:
        """The nodes a one-name reading ending at the record that no amount was given passes
        right before it, when every one of them has that record (None otherwise)."""
        if len(c.anchors) != 1 or len(c.patterns) != 1 or not c.patterns[0]:
            return None
        pattern = c.patterns[0]
        if pattern[-1].pred != qualifiers.UNDISCLOSED:
            return None
        anchor = c.anchors[0].node
        reach = self._walk(anchor).get(pattern[:-1]) if len(pattern) > 1 else None
        holders: list[Key] = list(reach.ends) if reach is not None else [anchor]
        if not all(isinstance(h, str) and self.index.value(h, "undisclosed") for h in holders):
            return None
        return holders

    def _vague(self, key: Key) -> bool:
        """Whether an answer is a figure known only as a range or in words."""
        node = self._amount_of(key) or key
        return isinstance(node, str) and any(k in self.index.values(node) for k in VAGUE)

    def _amount_of(self, key: Key) -> str | None:
        if not isinstance(key, str):
            return None
        for e in self.index.out.get(key, []):
            if e.pred == "amount" and not e.literal:
                return str(e.other)
        return None

    # ------------------------------------------------------------------ answering

    def ask(self, question: str) -> Answer:
        p = self.parse(question)
        if not p.groups and not any(h.kind == "class" for h in p.hits):
            raise UnansweredError(
                f"cannot answer '{p.text}': it names nothing the graph knows (no person, "
                "organisation, place, event, deal or kind of thing was recognised)"
            )
        scored = sorted(
            (self.score(p, c) for c in self.candidates(p)),
            key=lambda c: (-c.score, c.hops, _reading_key(c)),
        )
        scored = [
            c
            for c in scored
            if c.shape != "unasked"
            and ((c.answers and not c.shape.startswith("yesno")) or c.boolean is not None)
        ]
        if not scored or scored[0].score < THRESHOLD:
            self._refuse_ambiguous(p)
            offers = [self.reading_text(c) for c in _distinct(scored)[:3]]
            hint = ("; did you mean: " + " | ".join(offers)) if offers else ""
            raise UnansweredError(f"cannot answer '{p.text}' confidently{hint}")
        best = scored[0]
        near = [
            c
            for c in scored[1:6]
            if c.score >= best.score - 0.01
            and set(c.answers) != set(best.answers)  # two ways to the same answers agree
            and self._entities(c) != self._entities(best)
            and [(a.first, a.last) for a in c.anchors] == [(a.first, a.last) for a in best.anchors]
        ]
        if near:
            options = [best, *near]
            raise AmbiguousError(
                f"'{p.text}' could be read several ways; say which",
                [(c.anchors[0].node, f"{self.reading_text(c)}") for c in options if c.anchors],
            )
        return self.answer(p, best, [c for c in _distinct(scored)[1:4]])

    def _refuse_ambiguous(self, p: Parsed) -> None:
        """A question no reading answers, one of whose names fits several entities equally well
        ("Kim"): say which entities it could mean rather than that nothing fits."""
        for g in p.groups:
            tied = [link for link in g if link.score >= g[0].score - 0.01]
            nodes = sorted({link.node for link in tied})
            if len(nodes) > 1:
                said = " ".join(t.text for t in p.toks[g[0].first : g[0].last])
                raise AmbiguousError(
                    f"'{said}' in '{p.text}' could mean several entities; say which",
                    [(n, self.index.nodes[n].label) for n in nodes],
                )

    def _arrow(self, step: Step) -> str:
        """A step in words, pointing the way its relation points: ``—attended by→``."""
        label = self.index.labels.get(step.pred, step.pred)
        return f"—{label}→" if step.forward else f"←{label}—"

    def reading_text(self, c: Candidate) -> str:
        """A reading in words: ``Meeting of ... —attended by→ ?``."""
        if c.shape == "text":
            key = next(k for k in c.answers if isinstance(k, tuple))
            near = " and ".join(self.index.nodes[link.node].label for link in c.anchors)
            text = f"text: {self._text_owner(key)}"
            owner = self.index.nodes.get(key[3])
            anchors = {link.node for link in c.anchors}
            if near and owner is not None and owner.named and owner.id not in anchors:
                text += f", near {near}"
            if isinstance(c.value, tuple):
                text += " (coverage {:.2f}, margin {:.2f})".format(*c.value)
            return text
        if c.shape == "post":
            person, org = (self.index.nodes[link.node].label for link in c.anchors[:2])
            return f"post: the titles {person} holds at {org}"
        if c.patterns == (HOLDER,):
            holder = self.index.nodes[c.anchors[0].node].label
            text = f"who holds the post '{c.anchors[0].name}': {holder}"
            return text if c.shape == "holder" else f"{c.shape}: {text}"
        if c.shape == "connection" or (c.shape == "yesno" and not c.patterns):
            a, b = (self.index.nodes[link.node].label for link in c.anchors[:2])
            return f"how {a} is connected to {b} (the shortest chains of facts)"
        parts = []
        for link, pattern in zip(c.anchors, c.patterns, strict=False):
            words = [self.index.nodes[link.node].label, *map(self._arrow, pattern)]
            parts.append(" ".join(words) + " ?")
        text = " and ".join(parts) if parts else "everything"
        if c.answer_class:
            text += f" (a {self.index.labels.get(c.answer_class, c.answer_class)})"
        if c.shape not in ("list", "join", "relation"):
            text = f"{c.shape}: {text}"
        return text

    def _text_owner(self, key: tuple) -> str:
        """What a text answer is: ``summary of Fink's statement on ...``."""
        node = self.index.nodes.get(key[3])
        return f"{self.index.labels.get(key[2], key[2])} of {node.label if node else key[3]}"

    def answer(self, p: Parsed, c: Candidate, others: list[Candidate]) -> Answer:
        items = [self._item(k, v) for k, v in c.answers.items()]
        items.sort(key=lambda i: (i.label.casefold(), i.id or ""))
        total = None
        count = None
        boolean = c.boolean
        headline = self.reading_text(c)
        if p.quals.source is not None:
            headline += f" (cited by {p.quals.source.label})"
        shape = c.shape
        if shape in ("count", "count-mentions"):
            count = len(items)
            headline = f"{count}: {headline}"
        elif shape in ("total", "largest", "smallest"):
            items, total, boolean = self._money_shape(p, c, items, shape)
        elif shape == "difference" and isinstance(c.value, float):
            total = Amount(currency="USD", value=c.value, value_usd=c.value)
            headline = f"difference USD {c.value:,.0f}: {headline}"
        elif shape == "choice" and isinstance(c.value, str):
            node = self.index.nodes[c.value]
            picked = tuple(sorted({x for i in items for x in i.citations}))
            items = [Item(node.label, node.id, node.kind, detail="the larger", citations=picked)]
        elif shape == "describe":
            items = [self._describe_item(c.anchors[0].node, c.answers)]
        corrections = tuple(
            f"matched '{wrong}' to '{right}'"
            for link in c.anchors
            for wrong, right in link.corrections
        )
        cites = [x for i in items for x in i.citations]
        entities = tuple(
            EntityBrief(
                link.node, self.index.nodes[link.node].label, self.index.nodes[link.node].kind
            )
            for link in c.anchors
        )
        if shape == "text":  # the value read off the node it belongs to
            owner = str(next(iter(c.answers))[3])  # type: ignore[index]
            sparql: str | None = sparql_for(self.index, [owner], list(c.patterns), None)
        elif shape == "post":
            sparql = shapes.post_sparql(c.anchors[0].node, c.anchors[1].node)
        else:
            sparql = (
                sparql_for(
                    self.index, [a.node for a in c.anchors], list(c.patterns), c.answer_class
                )
                if c.anchors
                and c.patterns
                and shape not in ("describe", "mentions", "count-mentions", "holder")
                else None
            )
        return Answer(
            question=p.text,
            headline=headline,
            reading=self.reading_text(c),
            shape=shape,
            items=tuple(items),
            entities=entities,
            sources=self._sources(cites),
            confidence=max(0.0, min(1.0, c.score)),
            sparql=sparql,
            boolean=boolean,
            total=total,
            count=count,
            corrections=corrections,
            alternatives=tuple(self.reading_text(o) for o in others),
            score=c.score,
        )

    def _sources(self, cites) -> tuple[Source, ...]:
        by: dict[str, set[int]] = defaultdict(set)
        for c in cites:
            by[c.source].add(c.paragraph)
        out = []
        for sid in sorted(by):
            meta = self.index.articles.get(sid, {})
            out.append(
                Source(
                    sid, meta.get("title", sid), meta.get("publisher", ""), tuple(sorted(by[sid]))
                )
            )
        return tuple(out)

    def _item(self, key: Key, cites: set[Citation]) -> Item:
        idx = self.index
        cites_t = tuple(sorted(cites))
        if isinstance(key, tuple):
            if key[0] == "article":
                meta = idx.articles.get(key[1], {})
                return Item(
                    meta.get("title", key[1]),
                    key[1],
                    "NewsArticle",
                    meta.get("publisher"),
                    citations=cites_t,
                )
            if key[0] == "path":
                return Item(key[1], None, "Path", citations=cites_t)
            if key[0] == "text":
                return Item(key[1], key[3], "text", self._text_owner(key), citations=cites_t)
            value, datatype = key[1], key[2]
            label = str(value) if not isinstance(value, float) else f"{value:g}"
            return Item(label, None, datatype, value=value, citations=cites_t)
        node = idx.nodes.get(key)
        if node is None:  # an ontology term such as a status
            return Item(idx.labels.get(key, key), key, "Status", citations=cites_t)
        if self._is_money(key):
            amount = self.amount(key)
            return Item(amount.text(), key, "MonetaryAmount", amount=amount, citations=cites_t)
        if self._is_quantity(key):
            vals = idx.values(key)
            text = quantity_text(vals)
            return Item(text, key, "Quantity", value=vals.get("value"), citations=cites_t)
        if not node.named:
            summary = idx.value(key, "summary")
            return Item(str(summary or node.label), key, node.kind, citations=cites_t)
        amount_node = self._amount_of(key)
        held = self.amount(amount_node) if amount_node else None
        return Item(
            node.label,
            key,
            node.kind,
            detail=held.text() if held else self._estimates_text(key),
            amount=held,
            citations=cites_t,
        )

    def _estimates_text(self, node: str) -> str | None:
        """An undisclosed amount and the estimates given of it, by whom:
        ``amount undisclosed; estimated: several trillion won (KRW ...) by Cha Ji-ho; ...``."""
        idx = self.index
        if not idx.value(node, "undisclosed"):
            return None
        parts = []
        for e in sorted(idx.out.get(node, []), key=lambda e: str(e.other)):
            if e.pred != "estimate" or e.literal:
                continue
            est = str(e.other)
            who = next(
                (
                    idx.nodes[str(f.other)].label
                    for f in idx.out.get(est, [])
                    if f.pred == "estimatedBy" and not f.literal and str(f.other) in idx.nodes
                ),
                None,
            )
            parts.append(self.amount(est).text() + (f" by {who}" if who else ""))
        return "amount undisclosed" + ("; estimated: " + "; ".join(parts) if parts else "")

    def amount(self, node: str) -> Amount:
        """The amount an amount node holds."""
        return Amount.from_values(self.index.values(node))

    def _describe_item(self, node: str, answers: dict) -> Item:
        n = self.index.nodes[node]
        desc = self.index.value(node, "description")
        roles = []
        # every claim about it: its own facts, its names and its classes
        cites = set(answers.get(node, set())) | set(self.index.naming.get(node, ()))
        for e in self.index.out.get(node, []):
            cites |= set(e.sources)
        for e in self.index.inn.get(node, []):
            if e.pred == "member":
                m = str(e.other)
                title = self.index.value(m, "title")
                for f in self.index.out.get(m, []):
                    if f.pred == "organization" and not f.literal:
                        org = self.index.nodes.get(str(f.other))
                        if org is not None:
                            roles.append(f"{title or 'member'} of {org.label}")
                            cites |= set(f.sources)
        detail = " ".join(
            filter(
                None,
                [
                    str(desc) if desc else None,
                    ("Roles: " + "; ".join(sorted(roles)) + ".") if roles else None,
                ],
            )
        )
        return Item(n.label, n.id, n.kind, detail=detail or None, citations=tuple(sorted(cites)))

    def _money_shape(self, p: Parsed, c: Candidate, items: list[Item], shape: str):
        priced = [i for i in items if i.amount is not None and i.amount.usd is not None]
        if shape == "largest":
            return sorted(priced, key=lambda i: -(i.amount.usd or 0))[:1], None, None  # type: ignore[union-attr]
        if shape == "smallest":
            return sorted(priced, key=lambda i: i.amount.usd or 0)[:1], None, None  # type: ignore[union-attr]
        # total: each dollar once, parts inside a package they belong to are not added again
        # (an answer may be a commitment or its amount: both stand for the commitment); a
        # package shared with investors the question does not name is not theirs to add up
        # ("how much will Amazon invest": its own commitments, not the seven firms' package)
        named = {link.node for link in c.anchors}
        priced = [i for i in priced if not self._shared(self._owner(i.id), named)]
        ids = {self._owner(i.id) for i in priced}
        counted = [i for i in priced if not any(pkg in ids for pkg in self._packages(i.id))]
        usd = sum(i.amount.usd for i in counted)  # type: ignore[union-attr,misc]
        total = Amount(currency="USD", value=usd, value_usd=usd)
        return counted, total, None

    def _shared(self, node: str | None, named: set[str]) -> bool:
        """Whether a commitment names one of ``named`` among its investors, and others too."""
        investors = {
            str(e.other) for e in self.index.out.get(node or "", []) if e.pred == "investor"
        }
        return bool(investors & named) and not investors <= named

    def _owner(self, node: str | None) -> str | None:
        """The commitment (or statistic) whose amount ``node`` is, else ``node`` itself."""
        for e in self.index.inn.get(node, []) if node is not None else []:
            if e.pred == "amount":
                return str(e.other)
        return node

    def _packages(self, node: str | None) -> list[str]:
        if node is None:
            return []
        owner = self._owner(node) or node
        return [
            str(e.other)
            for e in self.index.out.get(owner, [])
            if e.pred == "partOf" and not e.literal
        ]


@lru_cache(maxsize=8192)
def _words(text: str) -> frozenset[str]:
    """The words and stems of a text (names, titles and statements repeat across readings)."""
    toks = tokens(text)
    return frozenset({t.stem for t in toks} | {t.text for t in toks})


_WHO = ("who", "whom")


def _colocated(pattern: Pattern) -> bool:
    """Whether a path goes up to a place and down again to another thing in it ("located in
    Korea", then what else is located in Korea)."""
    return any(
        a.forward and a.pred in CONTAINMENT and not b.forward and b.pred in CONTAINMENT
        for a, b in zip(pattern, pattern[1:], strict=False)
    )


def _reading_key(c: Candidate) -> str:
    return repr([[a.node for a in c.anchors], c.patterns, c.shape])


def _distinct(cands: list[Candidate]) -> list[Candidate]:
    seen = set()
    out = []
    for c in cands:
        key = (tuple(a.node for a in c.anchors), c.patterns, c.shape)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
