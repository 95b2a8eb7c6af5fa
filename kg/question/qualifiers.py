"""Qualifiers of a question: words that constrain the answers of any reading rather than name
what is asked.

- a **source**: a publisher or an author of the source articles together with a source word
  ("according to CoinCentral", "per the CoinCentral piece", "in Sarah Kim's report"): only
  answers cited by that source's articles are kept (none kept: the reading answers nothing);
- an **exclusion**: "besides X", "apart from X", "other than X", "X aside": X is taken out of
  the answers of a reading that gives X (a reading that does not give X leaves the words
  unexplained).

Word knowledge is lexicon data (ontology/lexicon.ttl): the word groups ``SourceWords`` and
``ExclusionWords``, and the forms of ``kg:NewsArticle`` ("article", "story", "piece").
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from kg.model import Citation
from kg.question.index import Index
from kg.question.linking import Link
from kg.question.readings import Candidate, Key
from kg.question.words import Token, find_phrases, phrase_stems, tokens

SOURCE_WORDS = "SourceWords"
EXCLUSION_WORDS = "ExclusionWords"
INCLUSION_WORDS = "InclusionWords"
NEGATION_WORDS = "NegationWords"
ARTICLE = "NewsArticle"
PUBLISHER = "NewsOrganization"
MENTION = "MentionOperator"
UNDISCLOSED = "undisclosed"  # the record that an amount was not given
AMOUNT = "amount"  # the property whose value it says was not given
JOINERS = frozenset({"and", "or", "nor", "the"})  # between the names of one exclusion


class _Hit(Protocol):
    @property
    def first(self) -> int: ...
    @property
    def last(self) -> int: ...
    @property
    def term(self) -> str: ...
    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class Source:
    """A source the question names: its label, the articles it stands for and its words."""

    label: str
    articles: frozenset[str]
    span: frozenset[int]

    def keep(self, answers: dict[Key, set[Citation]]) -> dict[Key, set[Citation]]:
        """The answers cited by the source, with only the source's citations."""
        out = {}
        for key, cites in answers.items():
            mine = {c for c in cites if c.source in self.articles}
            if mine:
                out[key] = mine
        return out


@dataclass(frozen=True)
class Exclusion:
    """Names set aside ("besides Korea") or kept in ("BlackRock included"): the nodes and
    every word of the phrase."""

    nodes: frozenset[str]
    span: frozenset[int]


@dataclass(frozen=True)
class Qualifiers:
    """The qualifiers found in one question."""

    source: Source | None = None
    exclusions: tuple[Exclusion, ...] = ()
    inclusions: tuple[Exclusion, ...] = ()  # names kept among the answers ("X included")
    # the whole names of authors in the question ("Sarah Kim"): no entity's name in them
    bylines: frozenset[int] = frozenset()

    @property
    def span(self) -> frozenset[int]:
        """The words of the source qualifier (no reading starts from them)."""
        return self.source.span if self.source else frozenset()


NONE = Qualifiers()


class Reader:
    """Finds qualifiers in questions; built once per index (the sources of its articles)."""

    def __init__(self, index: Index):
        self.index = index
        lex = index.lexicon
        self.source_words = {
            phrase_stems(f): [f] for f in lex.get(SOURCE_WORDS, {}).get("word", ())
        }
        self.exclusion_words = {
            phrase_stems(f): [f] for f in lex.get(EXCLUSION_WORDS, {}).get("word", ())
        }
        self.inclusion_words = {
            phrase_stems(f): [f] for f in lex.get(INCLUSION_WORDS, {}).get("word", ())
        }
        # the words that ask a question in the negative ("not", "undisclosed")
        self.negations = frozenset(lex.get(NEGATION_WORDS, {}).get("word", ()))
        # publisher node -> its articles; author's words -> their articles
        self.publishers: dict[str, set[str]] = {}
        self.authors: dict[tuple[str, ...], set[str]] = {}
        by_name: dict[str, set[str]] = {}
        for aid, meta in index.articles.items():
            by_name.setdefault(_key(meta.get("publisher", "")), set()).add(aid)
            if meta.get("author"):
                words = tuple(t.text for t in tokens(meta["author"]))
                self.authors.setdefault(words, set()).add(aid)
        # (month, day) -> (year, article) for every article with a day of publication
        self.days: dict[tuple[int, int], list[tuple[int, str]]] = {}
        for aid, meta in index.articles.items():
            day = str(meta.get("issued", ""))
            if len(day) == 10:
                key = (int(day[5:7]), int(day[8:10]))
                self.days.setdefault(key, []).append((int(day[:4]), aid))
        for node in index.nodes.values():
            if PUBLISHER not in node.classes:
                continue
            found = set().union(*(by_name.get(_key(n), set()) for n in (node.label, *node.aliases)))
            if found:
                self.publishers[node.id] = found

    def read(self, toks: list[Token], hits: Iterable[_Hit], groups: list[list[Link]]) -> Qualifiers:
        hits = list(hits)
        texts = [t.text for t in toks]
        bylines = {
            k
            for name in self.authors
            for i in range(len(toks) - len(name) + 1)
            if tuple(texts[i : i + len(name)]) == name
            for k in range(i, i + len(name))
        }
        return Qualifiers(
            self._source(toks, hits, groups),
            exclusions=self._exclusions(toks, groups, self.exclusion_words),
            inclusions=self._exclusions(toks, groups, self.inclusion_words),
            bylines=frozenset(bylines),
        )

    # ------------------------------------------------------------------ sources

    def _source(
        self, toks: list[Token], hits: list[_Hit], groups: list[list[Link]]
    ) -> Source | None:
        spans: list[tuple[int, int, str, frozenset[str]]] = []
        for g in groups:
            link = g[0]
            if link.node in self.publishers and link.score >= 0.8:
                label = self.index.nodes[link.node].label
                spans.append((link.first, link.last, label, frozenset(self.publishers[link.node])))
        texts = [t.text for t in toks]
        for name, written in self.authors.items():
            n = len(name)
            for i in range(len(toks) - n + 1):
                if tuple(texts[i : i + n]) == name:
                    label = self.index.articles[min(written)]["author"]
                    spans.append((i, i + n, label, frozenset(written)))
        spans += self._dated(toks)
        before = {last: first for first, last, _ in find_phrases(toks, self.source_words)}
        nouns = {h.first: h.last for h in hits if h.kind == "class" and h.term == ARTICLE}
        for first, last, label, cited in sorted(spans):
            words = set(range(first, last))
            start = first - 1 if first > 0 and texts[first - 1] == "the" else first
            if start in before:  # "according to CoinCentral", "per the CoinCentral piece"
                words |= set(range(before[start], start))
                words |= set(range(start, first))
            if last in nouns:  # "the CoinCentral story", "Sarah Kim's report"
                words |= set(range(start, nouns[last]))
            if len(words) > last - first:
                # what the source does to the facts asked about: "named in", "mentioned by"
                words |= {
                    k
                    for h in hits
                    if h.kind == "op" and h.term == MENTION
                    for k in range(h.first, h.last)
                }
                return Source(label, cited, frozenset(words))
        return None

    def _dated(self, toks: list[Token]) -> list[tuple[int, int, str, frozenset[str]]]:
        """Days of publication written in the question ("Sept 23", "23 September 2025"): a
        month (its English name or the first three letters or more of it) next to a day, and
        the year when one follows."""
        out = []
        for k, t in enumerate(toks):
            month = _month(t.text)
            if month is None:
                continue
            for d in (k - 1, k + 1):
                if not (0 <= d < len(toks) and toks[d].text.isdigit()):
                    continue
                first, last = min(k, d), max(k, d) + 1
                year = None
                if last < len(toks) and toks[last].text.isdigit() and len(toks[last].text) == 4:
                    year, last = int(toks[last].text), last + 1
                found = [
                    aid
                    for y, aid in self.days.get((month, int(toks[d].text)), [])
                    if year in (None, y)
                ]
                if found:
                    label = f"the article of {self.index.articles[found[0]]['issued']}"
                    out.append((first, last, label, frozenset(found)))
        return out

    # ------------------------------------------------------------------ exclusions

    def _exclusions(
        self, toks: list[Token], groups: list[list[Link]], phrases: dict
    ) -> tuple[Exclusion, ...]:
        """Each exclusion (or inclusion) phrase with the names right after it (joined by
        "and", commas, "the"), or, when none follows, the names right before it ("Kim aside",
        "BlackRock included")."""
        firsts = sorted((g[0] for g in groups), key=lambda link: link.first)
        out = []
        for first, last, _ in find_phrases(toks, phrases):
            after = _run(toks, firsts, last, 1)
            names = after or _run(toks, firsts, first - 1, -1)
            if not names:
                continue
            words = set(range(first, last))
            for link in names:
                words |= set(link.span)
            lo, hi = min(words), max(words)
            words |= {k for k in range(lo, hi + 1) if toks[k].text in JOINERS}
            out.append(Exclusion(frozenset(link.node for link in names), frozenset(words)))
        return tuple(out)


def _run(toks: list[Token], links: Sequence[Link], k: int, step: int) -> list[Link]:
    """The names in a row from token ``k`` on, in direction ``step``, joined by "and", "or",
    "the" (commas are no tokens)."""
    found = []
    while 0 <= k < len(toks):
        link = next((x for x in links if (x.first if step > 0 else x.last - 1) == k), None)
        if link is not None:
            found.append(link)
            k = link.last if step > 0 else link.first - 1
        elif toks[k].text in JOINERS:
            k += step
        else:
            break
    return found


def excluded(
    quals: Qualifiers, answers: dict[Key, set[Citation]], anchors: Iterable[str], yesno: bool
) -> tuple[dict[Key, set[Citation]], set[int]]:
    """The answers without the names an exclusion sets aside, and the exclusion's words, for
    each exclusion whose names are all among the answers of a reading that does not start from
    them (otherwise the words stay unexplained)."""
    if yesno:
        return answers, set()
    used = set(anchors)
    words: set[int] = set()
    for ex in quals.exclusions:
        if ex.nodes & used or not ex.nodes <= set(answers):
            continue
        rest = {k: v for k, v in answers.items() if k not in ex.nodes}
        if rest:
            answers = rest
            words |= ex.span
    return answers, words


def included(
    quals: Qualifiers, answers: dict[Key, set[Citation]], anchors: Iterable[str]
) -> tuple[set[str], set[int]]:
    """The names an inclusion keeps among the answers ("how many members, BlackRock
    included"), and its words, for each inclusion whose names are all among answers that
    hold others too, of a reading that does not start from them."""
    nodes: set[str] = set()
    words: set[int] = set()
    used = set(anchors)
    for inc in quals.inclusions:
        if inc.nodes <= set(answers) and len(answers) > len(inc.nodes) and not inc.nodes & used:
            nodes |= inc.nodes
            words |= inc.span
    return nodes, words


def _month(word: str) -> int | None:
    """The month a word names: its English name, or three letters or more of it ("sept")."""
    if len(word) < 3 or not word.isalpha():
        return None
    for m in range(1, 13):
        if calendar.month_name[m].lower().startswith(word):
            return m
    return None


def _key(name: str) -> str:
    return " ".join(t.text for t in tokens(name))


def sourced_text(quals: Qualifiers, c: Candidate) -> Candidate:
    """A text reading under a source qualifier: answered only when that source cites the text
    (the engine counts the qualifier's words as told); a text it does not cite answers
    nothing."""
    if quals.source is None or quals.source.keep(c.answers):
        return c
    return replace(c, score=c.score - 1)


def undisclosed(
    yesno: bool,
    toks: list[Token],
    hits: Iterable[_Hit],
    holders: Iterable[Key] | None,
    answers: dict[Key, set[Citation]],
    in_anchor: set[int],
    negations: frozenset[str],
) -> tuple[dict[Key, set[Citation]], set[int]] | None:
    """A yes/no question whether an amount was disclosed ("was the amount of X disclosed",
    "did they state how much"), read to the record that no amount was given (``holders``: the
    commitments the reading reaches before that record, None for another reading): "no" when
    every one of them has the record. The answers become those commitments, and the words of
    the amount and of its disclosure are explained. None for any other reading, and for a
    question asked in the negative ("was it undisclosed", "not given": the lexicon's
    ``NegationWords``), which the reading leaves as it is."""
    if not yesno or holders is None or not answers:
        return None
    if any(k != ("lit", True, "boolean") for k in answers):
        return None
    hits = [h for h in hits if not any(k in in_anchor for k in range(h.first, h.last))]
    if not any(h.kind == "prop" and h.term == UNDISCLOSED for h in hits):
        return None
    if any(t.text in negations for t in toks):
        return None
    cites = set().union(*answers.values())
    told = {
        k
        for h in hits
        if h.term in (UNDISCLOSED, AMOUNT) and h.kind in ("prop", "qword")
        for k in range(h.first, h.last)
    }
    return {h: cites for h in holders}, told
