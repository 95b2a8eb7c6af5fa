"""Names wrapped in descriptors: "BlackRock CEO Larry Fink", "Korea's Ministry of Science and ICT".

People write a name with words around it that describe the entity: a title it holds ("CEO",
"Rep."), a role ("first lady"), its kind ("the Asia-Pacific region"), or the name of something
it is tied to, as written or as an adjective made from it ("BlackRock", "Korea's", "South
Korean"). A name with no exact match resolves to the entity of the longest whole name inside
it when every other word is such a descriptor of that entity; otherwise it is left to fuzzy
matching. What describes an entity comes from the graph (saved query ``descriptors``); the
word knowledge (title groups and their forms, the endings that make an adjective of a place
name) from the lexicon (ontology/lexicon.ttl).

>>> d = Descriptors(frozenset({"ceo"}), frozenset({"person"}), frozenset({"blackrock"}))
>>> covers(["blackrock", "ceo"], d, Lexicon(frozenset(), {}, frozenset()))
True
>>> covers(["meeting"], d, Lexicon(frozenset(), {}, frozenset({"meeting"})))
False
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from kg.names import name_key

if TYPE_CHECKING:
    from kg.stores.base import Store

DERIVATIONS = "NameDerivations"  # the word group of adjective endings ("Korea" -> "Korean")
# possessive remnants and words that describe nothing ("the", "of"): a name key splits
# "Korea's" into "korea s"
GLUE = frozenset({"s", "the", "a", "an", "of", "and", "for", "at", "in"})


@dataclass(frozen=True)
class Descriptors:
    """What may stand around an entity's name: title words, class words, near names (keys)."""

    titles: frozenset[str]
    classes: frozenset[str]
    near: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    """The lexicon's word knowledge for descriptors: adjective endings, the forms of each title
    group keyed by the title words it stands for, and every class word (to tell a descriptor
    from a word naming another kind of thing: "the Larry Fink meeting" is a meeting)."""

    endings: frozenset[str]
    title_forms: dict[str, frozenset[str]]  # title word -> forms of the groups holding it
    class_words: frozenset[str]


def words(text: str) -> list[str]:
    return name_key(text).split()


def describe(rows: list[tuple[str, str]], lexicon: Lexicon) -> Descriptors:
    """The descriptors of one entity from the ``descriptors`` query's (kind, text) rows: title
    words widened by the forms of their title groups ("lawmaker" -> "rep", "representative")."""
    by_kind: dict[str, set[str]] = defaultdict(set)
    for kind, text in rows:
        if kind == "near":
            key = name_key(text)
            by_kind["near"].add(key)
            for ending in lexicon.endings:  # "south korea" -> "south korean"
                by_kind["near"].add(key + ending)
        else:
            by_kind[kind].update(words(text))
    titles = set(by_kind["title"])
    for w in list(titles):
        titles |= lexicon.title_forms.get(w, frozenset())
    return Descriptors(frozenset(titles), frozenset(by_kind["class"]), frozenset(by_kind["near"]))


def covers(rest: list[str], d: Descriptors, lexicon: Lexicon) -> bool:
    """Whether every word of ``rest`` (the words around a name) describes the entity: a whole
    near name (longest first), a title or class word, or glue. A word naming a class the
    entity is not of is never a descriptor."""
    i = 0
    while i < len(rest):
        for j in range(len(rest), i, -1):
            if " ".join(rest[i:j]) in d.near or " ".join(rest[i:j]) in d.titles:
                i = j
                break
        else:
            w = rest[i]
            if w in lexicon.class_words and w not in d.classes:
                return False
            if w not in GLUE and w not in d.titles and w not in d.classes:
                return False
            i += 1
    return True


def spans(key_words: list[str], exact: dict[str, set[str]]) -> list[tuple[int, int, set[str]]]:
    """The runs of words that are a whole name (start, end, entity ids), longest first, then
    rightmost: the head of a noun phrase comes last ("BlackRock CEO Larry Fink"). A name
    followed by a possessive is the possessor, not the head ("Larry Fink's BlackRock")."""
    n = len(key_words)
    out = []
    for i in range(n):
        for j in range(i + 1, n + 1):
            if (i, j) == (0, n) or key_words[i] in GLUE:
                continue
            ids = exact.get(" ".join(key_words[i:j]))
            if ids and not (j < n and key_words[j] == "s"):
                out.append((i, j, ids))
    return sorted(out, key=lambda s: (s[0] - s[1], -s[1]))


@dataclass
class Context:
    """Descriptors read from a store when a name needs them: the lexicon once, each entity's
    descriptors once (saved queries ``lexicon``, ``classes`` and ``descriptors``)."""

    store: Store
    _seen: dict[str, Descriptors] = field(default_factory=dict)

    @cached_property
    def lexicon(self) -> Lexicon:
        from kg.queries import saved_query
        from kg.vocab import kg_name

        classes = {
            kg_name(r[k]) or ""
            for r in self.store.query(saved_query("classes").text).records()
            for k in ("class", "super")
        }
        kinds: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for r in self.store.query(saved_query("lexicon").text).records():
            kinds[kg_name(r["term"]) or ""][str(r["kind"])].add(name_key(str(r["form"])))
        # a title word stands for the forms of the narrowest group holding it ("chair": the
        # chair group's, not every leadership word's)
        title_forms: dict[str, set[str]] = {}
        groups = sorted((len(f["title"]), t) for t, f in kinds.items() if f.get("title"))
        for _, term in groups:
            forms = kinds[term]
            for title in forms["title"]:
                for w in title.split():
                    title_forms.setdefault(w, forms["title"] | forms.get("form", set()))
        return Lexicon(
            frozenset(kinds.get(DERIVATIONS, {}).get("word", ())),
            {w: frozenset(f) for w, f in title_forms.items()},
            frozenset(form for term in classes for form in kinds.get(term, {}).get("form", ())),
        )

    def of(self, ident: str, iri) -> Descriptors:
        """The descriptors of the entity ``ident`` (IRI ``iri``)."""
        found = self._seen.get(ident)
        if found is None:
            from rdflib import URIRef

            from kg.queries import saved_query

            query = saved_query("descriptors").text
            rows = self.store.query(query, {"entity": URIRef(iri)}).records()
            found = describe([(str(r["kind"]), str(r["text"])) for r in rows], self.lexicon)
            self._seen[ident] = found
        return found

    def resolve(self, key_words: list[str], exact: dict[str, set[str]], entities: dict):
        """The one entity whose whole name is the head of ``key_words`` and whose descriptors
        are all the other words; None when there is none or more than one."""
        for first, last, ids in spans(key_words, exact):
            rest = key_words[:first] + key_words[last:]
            fits = [
                i for i in sorted(ids) if covers(rest, self.of(i, entities[i].iri), self.lexicon)
            ]
            if len(fits) == 1:
                return entities[fits[0]]
            if fits:
                return None
        return None
