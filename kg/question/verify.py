"""Yes/no questions as statements to verify (see docs/ask.md, "Yes/no questions").

A "yes" needs a reading that explains every content word of the statement: a word left over may
be exactly what is false ("was the MOU signed in Seoul" is not "yes" because a signing exists).
A "no" needs the graph to be able to say no:

- the value asked about is reached from the name by a chain of relations that each hold one value
  of each kind per subject (``kg:oneValue`` in ontology/lexicon.ttl: a project's location, an
  organisation's owner), or through a post of a title group with one holder's post per person
  (a chief executive), and the graph holds another value of the same kind; or
- the question states how many there are ("the seven firms") and the graph lists exactly that
  many of the class named after the count: the list is complete, and a name of that kind is
  either in it or not.

Otherwise the question is refused. Word knowledge is lexicon data: the ``kg:oneValue``
properties and title groups, the number words (``kg:numberValue``), the ``MembershipWords``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kg.question.index import Index
from kg.question.readings import Candidate, Key, Pattern, Reach
from kg.question.words import STOPWORDS, Token, numbers, phrase_stems, tokens

MEMBERSHIP = "MembershipWords"
# a post held by a person: person <-member- membership -organization-> organisation
POST = (("member", False), ("organization", True))


@dataclass(frozen=True)
class Verdict:
    """A yes/no verified from a complete list: the answer and the words that stated it."""

    boolean: bool
    tokens: frozenset[int]
    pred: str


def capped(score: float, unexplained: int, threshold: float) -> float:
    """A yes/no reading's score, kept under the threshold while any content word of the
    statement is left unexplained (names and texts it passes may agree, but do not verify)."""
    return min(score, threshold - 0.01) if unexplained else score


class Verifier:
    """What the lexicon says about single values and counts, and the checks that use it."""

    def __init__(self, index: Index, walk: Callable[[str], dict[Pattern, Reach]]):
        self.index = index
        self.walk = walk
        lex = index.lexicon
        self.one = frozenset(t for t, kinds in lex.items() if "one" in kinds)
        self.counts: dict[str, float] = {
            form: float(kinds["number"][0])
            for kinds in lex.values()
            if kinds.get("number")
            for form in kinds.get("word", ())
        }
        self.members = [phrase_stems(f) for f in lex.get(MEMBERSHIP, {}).get("word", ())]
        self.title_words = {
            t: [frozenset(w.text for w in tokens(f)) for f in kinds.get("title", ())]
            for t, kinds in lex.items()
            if "one" in kinds and "title" in kinds
        }

    def membership_words(self, toks: list[Token]) -> set[int]:
        """The tokens of the membership words ("among", "one of") in the question."""
        stems = [t.stem for t in toks]
        texts = [t.text for t in toks]
        out: set[int] = set()
        for form in self.members:
            n = len(form)
            for i in range(len(toks) - n + 1):
                if all(stems[i + j] == w or texts[i + j] == w for j, w in enumerate(form)):
                    out.update(range(i, i + n))
        return out

    def single_valued(self, c: Candidate, answers: dict[Key, object], hits: Iterable) -> bool:
        """Whether the reading reaches its values by relations with one value of each kind per
        subject: every step forward along a ``kg:oneValue`` property, or a person's post of a
        title group with one post per person that the question names ("the CEO of")."""
        if len(c.anchors) != 1 or len(c.patterns) != 1 or not c.patterns[0]:
            return False
        pattern = c.patterns[0]
        if all(s.forward and s.pred in self.one for s in pattern):
            return True
        if tuple((s.pred, s.forward) for s in pattern) != POST:
            return False
        groups = {h.term for h in hits if h.kind == "title" and h.term in self.title_words}
        reach = self.walk(c.anchors[0].node).get(pattern)
        if not groups or reach is None or not answers:
            return False
        for key in answers:
            titles = {
                frozenset(w.text for w in tokens(str(e.other)))
                for n in reach.unnamed.get(key, ())
                for e in self.index.out.get(n, [])
                if e.pred == "title" and e.literal
            }
            wanted = [w for g in groups for w in self.title_words[g]]
            if not any(w <= t for w in wanted for t in titles):
                return False
        return True

    def stated_count(self, toks: list[Token], hits: Iterable, answers: dict[Key, object]):
        """The count the question states before a class word ("the seven firms", "7
        investors") when the graph's answers are exactly that many of that class: the count's
        and the class word's tokens, and the class (None otherwise)."""
        written = [(n.first, n.last, n.value) for n in numbers(toks) if not n.year]
        written += [(t.i, t.i, self.counts[t.text]) for t in toks if t.text in self.counts]
        classes = [h for h in hits if h.kind == "class"]
        for first, last, value in written:
            k = last + 1
            while k < len(toks) and k - last <= 3 and toks[k].text not in STOPWORDS:
                cls = next((h for h in classes if h.first == k), None)
                if cls is not None:
                    keys = [a for a in answers if isinstance(a, str)]
                    if len(keys) == len(answers) == value and all(
                        a in self.index.nodes and cls.term in self.index.nodes[a].classes
                        for a in keys
                    ):
                        return set(range(first, last + 1)) | set(cls.span), cls.term
                    break
                k += 1
        return None

    def listed(self, p, c: Candidate, answers: dict[Key, object]) -> Verdict | None:
        """A yes/no over a list the question says is complete: whether the name asked about
        (a sure name of the question the reading does not start from, of the class counted) is
        in it."""
        if len(c.anchors) != 1 or len(c.patterns) != 1 or not c.patterns[0] or not answers:
            return None
        found = self.stated_count(p.toks, p.hits, answers)
        if found is None:
            return None
        told, cls = found
        for g in p.groups:
            link = g[0]
            if link.node == c.anchors[0].node or link.score < 0.9 or set(link.span) & told:
                continue
            node = self.index.nodes.get(link.node)
            if node is None or cls not in node.classes:
                continue
            used = told | set(link.span) | self.membership_words(p.toks)
            return Verdict(link.node in answers, frozenset(used), c.patterns[0][-1].pred)
        return None

    def part_of(self, toks: list[Token], first: int) -> tuple[float, set[int]]:
        """The part or multiple of a figure written before it ("half of the", "twice"): the
        factor and its tokens; (1.0, set()) when none is written."""
        k = first - 1
        while k >= 0 and first - k <= 3 and toks[k].text in STOPWORDS:
            k -= 1
        if k >= 0 and toks[k].text in self.counts and first - k > 1:
            return self.counts[toks[k].text], {k}
        return 1.0, set()
