"""Text evidence: the free-text values curators wrote (descriptions, statement summaries,
titles, notes) as answers to questions whose words no relation explains.

A text reading starts from a linked name (or the members of a class the question names), takes
every node within one semantic step of it that has such a value, and scores each value by how
many of the question's otherwise unexplained content words it holds (stems compared). Words of
the lexicon's ``TextStopWords`` group are too general to count as evidence; a lexicon word is
explained when it names the value's predicate or a relation on the way to it ("what did Fink
say": the summary of a statement Fink made).
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.model import Citation
from kg.question.index import Index
from kg.question.readings import Pattern, Reach
from kg.question.words import STOPWORDS, phrase_stems, tokens

# the literal predicates that hold curators' free text
TEXT_PREDS = ("description", "summary", "title", "note")
STOP_GROUP = "TextStopWords"
SOURCE_GROUP = "SourceWords"  # words marking a name as the source ("according to", "per")


@dataclass(frozen=True)
class Text:
    """One free-text value: the node it belongs to, its predicate, the text, its citations and
    the predicates of the shortest path from the anchor to the node."""

    node: str
    pred: str
    text: str
    sources: tuple[Citation, ...]
    path: frozenset[str]


def texts_near(index: Index, start: str, walked: dict[Pattern, Reach]) -> list[Text]:
    """The free-text values of ``start`` and of every node one semantic step from it."""
    paths: dict[str, frozenset[str]] = {start: frozenset()}
    for pattern, reach in sorted(walked.items(), key=lambda pr: len(pr[0])):
        if len(reach.groups) > 1:
            continue
        preds = frozenset(s.pred for s in pattern)
        for key in reach.ends:
            if isinstance(key, str):
                paths.setdefault(key, preds)
        for nodes in reach.unnamed.values():
            for n in nodes:
                paths.setdefault(n, preds)
    return [t for n, preds in paths.items() for t in node_texts(index, n, preds)]


def node_texts(index: Index, node: str, path: frozenset[str] = frozenset()) -> list[Text]:
    """The free-text values a node holds itself."""
    return [
        Text(node, e.pred, str(e.other), e.sources, path)
        for e in index.out.get(node, ())
        if e.literal and e.pred in TEXT_PREDS and isinstance(e.other, str)
    ]


def stop_words(index: Index) -> frozenset[str]:
    """The lexicon's words too general to be evidence, as texts and stems."""
    out: set[str] = set()
    for form in index.lexicon.get(STOP_GROUP, {}).get("word", ()):
        for t in tokens(form):
            out |= {t.text, t.stem}
    return frozenset(out)


def source_words(index: Index) -> tuple[tuple[str, ...], ...]:
    """The lexicon's phrases marking a source, as stems, longest first."""
    forms = {phrase_stems(f) for f in index.lexicon.get(SOURCE_GROUP, {}).get("word", ())}
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


def sourced(index: Index, text: Text, node: str) -> bool:
    """Whether ``node`` is the outlet that published an article the text cites."""
    named = index.nodes.get(node)
    if named is None or not named.is_a("NewsOrganization"):
        return False
    names = {named.label, *named.aliases}
    return any(index.articles.get(c.source, {}).get("publisher") in names for c in text.sources)


def text_words(text: str) -> frozenset[str]:
    """The content words of a text, as texts and stems."""
    return frozenset(w for t in tokens(text) for w in (t.text, t.stem) if t.text not in STOPWORDS)
