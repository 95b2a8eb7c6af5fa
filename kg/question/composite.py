"""Names made of other words: a compound of two names, and a description in place of a name.

- A compound ("the Lee-Fink meeting", "the Korea-BlackRock MoU", "Korea BlackRock deal") is two
  linked names joined by a hyphen, a dash, a slash, a space or a joining word of the lexicon,
  followed by a class word or written with a hyphen or dash: it names the node both take part
  in (the agreement, event or project they share), of that class. Two words that are together
  (part of) one entity's name are that name, not a compound ("Siemens Healthineers plant"). A
  space-joined compound takes the nodes one step from both; a written or "and" compound also two
  steps out, when exactly one node fits there. An exact link of the same span outranks it.
- A description ("the firm run by Jensen Huang", "the minister who signed the MOU") is a class
  word after "the", a relative or participial phrase and a name: it is asked as a sub-question
  ("which firm run by Jensen Huang") whose single confident answer is the entity it names.
  One level only: the sub-question's own descriptions are not read.
- A join: a name the reading does not start from constrains its answers to those reached through
  a named node tied to it (the meeting held in New York, the project SK is a partner of): "who
  travelled with President Lee in New York". Met by some answers, its words are explained; met by
  none, the name stays unexplained and costs the reading its score. (A name tied to the answers
  themselves narrows them only right after "which": the engine's own narrowing.)

Compounds and descriptions give :class:`~kg.question.linking.Link` objects that compete with the
plain links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kg.question.index import Index
from kg.question.linking import Link
from kg.question.readings import STATEMENT_EXITS, Candidate, Key
from kg.question.words import STOPWORDS, Token, normalise

JOINERS = "CompoundJoiners"  # a word group of the lexicon ("and")
RELATIVES = "RelativeMarkers"  # a word group of the lexicon ("who", "that", "which")
WRITTEN = frozenset("-–—‐‑/&+")  # the marks that write two names as one ("Lee-Fink")
COMPOUND_SCORE = 0.95
COMPOUND_MAX = 3  # more shared nodes than this and the compound names none of them
EXACT_MARGIN = 0.05  # a compound scores this much below an exact link of its span
MIN_PART = 0.6  # a part scoring below this is no name of the compound
MODIFIERS = 2  # words allowed between a compound and its class word
DESCRIPTION_GAP = 5  # at most this many words between the class word and the name
MAX_DESCRIPTIONS = 2  # sub-questions asked for one question
NAME_MIN = 0.75  # the name a description ends with links at least this well
JOIN_MIN = 0.9  # a name constrains the answers when it links at least this well
SHARED_KINDS = ("Event", "Agreement", "Project", "Commitment", "Partnership", "Initiative")


@dataclass(frozen=True)
class ClassWord:
    """A class word of the question: its tokens and the class it names."""

    first: int
    last: int
    term: str


def compounds(
    index: Index,
    text: str,
    toks: list[Token],
    links: list[Link],
    classes: list[ClassWord],
    joiners: frozenset[str],
    neighbours: Callable[[str, int], set[str]],
) -> list[Link]:
    """Links of compounds of two names to the nodes both take part in (see the module doc):
    the nodes one semantic step from both, or two steps when a class word says which."""
    in_class = {k for c in classes for k in range(c.first, c.last)}
    plain = normalise(text)  # the text the tokens' positions are in (no "'s", NFC)
    parts = [
        lk
        for lk in links
        if lk.score >= MIN_PART and lk.name != "amount" and not set(lk.span) & in_class
    ]
    found: dict[tuple[str, int, int], Link] = {}
    for a in parts:
        for b in parts:
            if a.node == b.node or b.first < a.last:
                continue
            gap = b.first - a.last
            if gap > 1 or (gap == 1 and toks[a.last].text not in joiners):
                continue
            between = plain[toks[a.last - 1].end : toks[b.first].start]
            written = gap == 0 and bool(set(between.strip()) & WRITTEN)
            if gap == 0 and between.strip() and not written:
                continue  # a comma or another mark: two names, not one
            # the class word may follow a modifier or two ("the SK-AWS AI data centre")
            # that is no name of its own; the longest class word first
            words = sorted(
                (
                    c
                    for c in classes
                    if b.last <= c.first <= b.last + MODIFIERS
                    and not any(
                        b.last <= lk.first and lk.last <= c.first and lk.exact for lk in links
                    )
                ),
                key=lambda c: (c.first, c.first - c.last),
            )
            options: list[ClassWord | None] = [*words, None] if written else [*words]
            reach = (1, 2) if written or gap == 1 else (1,)
            fits: list[str] = []
            cls: ClassWord | None = None
            hops = 1
            for cls, hops in ((o, h) for o in options for h in reach):
                fits = _shared(index, a.node, b.node, cls, hops, neighbours)
                if fits:
                    break
            if not fits or len(fits) > (COMPOUND_MAX if hops == 1 else 1):
                continue
            # the two words together are (part of) the name of something else, exactly or as
            # well as either names its own
            if any(
                lk.first <= a.first
                and lk.last >= b.last
                and lk.node not in fits
                and (lk.exact or lk.score >= max(a.score, b.score))
                for lk in links
            ):
                continue
            last = cls.last if cls is not None else b.last
            # the second name with the class word is the name of something else ("Korea's
            # Science and ICT Minister" is the minister, not what Korea and the ministry share)
            if any(
                lk.first <= b.first
                and lk.last >= last > b.last
                and lk.node not in fits
                and lk.score >= max(b.score, COMPOUND_SCORE)
                for lk in links
            ):
                continue
            fixes = a.corrections + b.corrections
            said = " ".join(t.text for t in toks[a.first : last])
            # below any exact link of the same span, by more than choose's margin
            ceiling = min(
                (
                    lk.score - EXACT_MARGIN
                    for lk in links
                    if lk.exact and lk.span == range(a.first, last)
                ),
                default=COMPOUND_SCORE,
            )
            for node in fits:
                score = COMPOUND_SCORE - 0.04 * len(fixes) - 0.02 * (len(fits) - 1)
                score = min(score, ceiling)
                link = Link(node, a.first, last, score, not fixes, said, fixes)
                key = (node, a.first, last)
                if key not in found or found[key].score < score:
                    found[key] = link
    return list(found.values())


def _shared(
    index: Index,
    a: str,
    b: str,
    cls: ClassWord | None,
    hops: int,
    neighbours: Callable[[str, int], set[str]],
) -> list[str]:
    """The named nodes at most ``hops`` steps from both ``a`` and ``b``, of the class word's
    class (of a kind two names share, without one)."""
    shared = (neighbours(a, hops) & neighbours(b, hops)) - {a, b}
    return [
        n
        for n in sorted(shared)
        if n in index.nodes
        and index.nodes[n].named
        and (
            cls.term in index.nodes[n].classes
            if cls is not None
            else index.nodes[n].is_a(*SHARED_KINDS)
        )
    ]


def descriptions(
    toks: list[Token],
    links: list[Link],
    classes: list[ClassWord],
    relatives: frozenset[str],
    aux: frozenset[str],
    answer: Callable[[str, str], tuple[str, float, tuple[tuple[str, str], ...]] | None],
) -> list[Link]:
    """Links of descriptions to the single entity of the class word's class their
    sub-question answers."""
    out: list[Link] = []
    asked = 0
    # a figure links the commitment itself, whose facts (its investor, its horizon) readings
    # use directly: it ends no description
    names = sorted(
        (lk for lk in links if lk.score >= NAME_MIN and lk.name != "amount"),
        key=lambda lk: (lk.first, -lk.last),
    )
    for cls in classes:
        # "the <class>", at most one word between ("the Korean firm run by ...")
        start = next(
            (k for k in (cls.first - 1, cls.first - 2) if k >= 0 and toks[k].text == "the"), None
        )
        if start is None or any(
            lk.first <= cls.first < lk.last for lk in links if lk.exact and lk.score >= 0.9
        ):
            continue
        after = [lk for lk in names if cls.last < lk.first <= cls.last + DESCRIPTION_GAP]
        if not after:
            continue
        name = after[0]
        middle = toks[cls.last : name.first]
        # a verb of the question's own ("the firm is run by") ends the phrase: not a description
        if not middle or any(t.text in aux for t in middle):
            continue
        if any(lk.first < name.first and lk.last > cls.last for lk in names if lk is not name):
            continue
        words = [t.text for t in toks[start + 1 : name.last] if t.text not in relatives]
        if len([w for w in words if w not in STOPWORDS]) < 2:
            continue
        if asked >= MAX_DESCRIPTIONS:
            break
        asked += 1
        found = answer("which " + " ".join(words), cls.term)
        if found is None:
            continue
        node, score, fixes = found
        said = " ".join(t.text for t in toks[start : name.last])
        out.append(Link(node, start, name.last, min(score, 1.0) * 0.95, not fixes, said, fixes))
    return out


def generic(links: list[Link], toks: list[Token], class_words: frozenset[str]) -> list[Link]:
    """The links without partial matches made of one class word alone that several entities fit:
    "group" in "the group chaired by Chey Tae-won" names a kind of thing, not one of the groups
    the graph knows ("the MOU", when the graph knows one, still names it)."""
    fits: dict[tuple[int, int], set[str]] = {}
    for lk in links:
        fits.setdefault((lk.first, lk.last), set()).add(lk.node)
    out = []
    for lk in links:
        content = [t for t in toks[lk.first : lk.last] if t.text not in STOPWORDS]
        if (
            not lk.exact
            and lk.name != "amount"
            and len(content) == 1
            and len(fits[(lk.first, lk.last)]) > 1
            and all(t.stem in class_words or t.text in class_words for t in content)
        ):
            continue
        out.append(lk)
    return out


def joined(
    index: Index,
    groups: list[list[Link]],
    c: Candidate,
    answers: dict[Key, set],
    explained: set[int],
    neighbours: Callable[[str, int], set[str]],
) -> tuple[dict[Key, set], set[int], int]:
    """The answers of a reading from names that meet each further name of the question some
    but not all of them are tied to (see the module doc), the words of the names met, and how
    many names every answer met (they agree with the reading but do not narrow it). A figure
    of a node the name shares with others in its role ("the seven firms' package") is not the
    name's own figure: no join there."""
    tied: set[int] = set()
    agreed = 0
    # what a statement mentions is not thereby tied to who made it, nor where
    said = any(s.pred in STATEMENT_EXITS | {"about"} for pattern in c.patterns for s in pattern)
    # an anchor that is not an agent (an event, a project, a deal) is passed by every answer
    passed = {
        link.node
        for link in c.anchors
        if link.node in index.nodes and not index.nodes[link.node].is_a("Agent")
    }
    for link in (lk for g in groups for lk in g[:2]) if c.anchors and not said else ():
        if (
            link in c.anchors
            or link.score < JOIN_MIN
            or any(k in explained or k in tied for k in link.span)
        ):
            continue
        kept: dict[Key, set] = {
            a: v
            for a, v in answers.items()
            if isinstance(a, str)
            and a != link.node
            and any(
                x == link.node
                or link.node in neighbours(x, 1)
                and not (_is_value(index, a) and _one_of_several(index, x, link.node))
                for x in c.via.get(a, set()) | passed
            )
        }
        # a name every answer meets agrees with the reading ("visiting Korea during APEC"),
        # one only some meet narrows it
        if kept and (len(kept) < len(answers) or len(c.anchors) == 1):
            agreed += len(kept) == len(answers)
            answers = kept
            tied.update(link.span)
    return answers, tied, agreed


def _is_value(index: Index, key: str) -> bool:
    node = index.nodes.get(key)
    return node is not None and node.is_a("MonetaryAmount", "Quantity")


def _one_of_several(index: Index, node: str, other: str) -> bool:
    """Whether ``other`` is tied to ``node`` by a relation that ties it to others as well (one
    of the investors of a package)."""
    edges = index.out.get(node, []) + index.inn.get(node, [])
    preds = {e.pred for e in edges if e.other == other}
    return any(sum(1 for e in edges if e.pred == p) > 1 for p in preds)
