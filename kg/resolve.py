"""Names to entities: exact labels and aliases first, then fuzzy matches (rapidfuzz).

A name matches exactly when it equals an entity's id, English or Korean label or an alias,
ignoring case, hyphens, dots, spacing, typographic quotes and Unicode normalisation
(``kg.names.name_key``); a leading "the" is ignored; a run of capitalised words may be written
as its initials ("U.N." for United Nations) when that fits one entity and hides no name. A name
wrapped in descriptors ("BlackRock CEO Larry Fink", "Korea's Ministry of Science and ICT")
resolves to the whole name inside it when every other word describes that entity
(:mod:`kg.descriptors`). Otherwise the closest names win, scored
on the name's words less common ones ("the", "of", "in" ...): when several entities are about
as close, the name is ambiguous and :class:`~kg.errors.AmbiguousError` lists them. A blank
name, or one of common words only, is an :class:`~kg.errors.InputError`.

>>> import kg
>>> index = kg.open().names
>>> index.resolve("larry  FINK").id
'larry-fink'
>>> index.resolve("Blackrok").id
'blackrock'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.errors import AmbiguousError, InputError, NotFoundError
from kg.model import EntityBrief
from kg.names import name_key

if TYPE_CHECKING:
    from kg.descriptors import Context
    from kg.stores.base import Store

CUTOFF = 80.0  # fuzzy score (0-100) a name needs to count as a match
MARGIN = 3.0  # candidates this close to the best one make a name ambiguous
SUGGEST = 45.0  # weaker matches are still offered as "did you mean"
TOKEN_CUTOFF = 75.0  # how alike two words must be to count as the same word
_ARTICLE = "the "
# words too common to identify anything: dropped before fuzzy scoring ("who attended in")
STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "into",
        "about",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "who",
        "what",
        "which",
        "where",
        "when",
        "how",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "as",
    }
)
# typographic quotes and their plain forms
_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "″": '"',
    }
)


def plain_quotes(text: str) -> str:
    """``text`` with typographic quotes (“ ” ‘ ’ « » ...) as plain ``"`` and ``'``.

    >>> print(plain_quotes("“BlackRock’s” CEO"))
    "BlackRock's" CEO
    """
    return text.translate(_QUOTES)


def _key(text: str) -> str:
    """The comparison key of a name (:func:`kg.names.name_key` of its plain-quoted form)."""
    return name_key(plain_quotes(text))


def known_class(name: str, known: Iterable[str]) -> str:
    """The class of ``known`` that ``name`` names, in any letter case; an InputError listing
    the known classes when there is none (the one check behind every ``--class`` option).

    >>> known_class("investor", ["Investor", "Person"])
    'Investor'
    """
    known = sorted(known)
    wanted = name.strip().casefold()
    for cls in known:
        if cls.casefold() == wanted:
            return cls
    raise InputError(f"unknown class '{name.strip()}' (known: {', '.join(known)})")


@dataclass(frozen=True)
class Entity:
    """A named entity: id, English label, asserted kg types and every class it belongs to."""

    id: str
    iri: str
    label: str
    types: tuple[str, ...]
    classes: frozenset[str]
    aliases: tuple[str, ...] = ()
    label_ko: str | None = None

    @property
    def kind(self) -> str:
        """The class shown for the entity (the most telling of its types)."""
        from kg.network import display_classes

        return next((c for c in display_classes() if c in self.types), self.types[0])

    @property
    def a_kind(self) -> str:
        """The kind with its indefinite article: ``an Investor``, ``a Person``."""
        return ("an " if self.kind[:1].lower() in "aeiou" else "a ") + self.kind

    def is_a(self, *classes: str) -> bool:
        """Whether the entity belongs to any of ``classes`` (superclasses count)."""
        return any(c in self.classes for c in classes)

    def brief(self) -> EntityBrief:
        """The entity as lists show it: id, label and kind."""
        return EntityBrief(self.id, self.label, self.kind)


@dataclass(frozen=True)
class Match:
    """A search hit: the entity, a score (100 for an exact name) and the name that matched."""

    entity: Entity
    score: float
    name: str


@dataclass
class NameIndex:
    """Every entity's names, for exact and fuzzy look-ups; build it with :func:`name_index`."""

    entities: dict[str, Entity]
    context: Context | None = None  # descriptors around names ("BlackRock CEO Larry Fink")
    _exact: dict[str, set[str]] = field(default_factory=dict)
    _names: list[tuple[str, str, str]] = field(default_factory=list)  # (key, name, entity id)

    def __post_init__(self):
        exact: dict[str, set[str]] = defaultdict(set)
        shorthand: dict[str, set[str]] = defaultdict(set)
        for entity in self.entities.values():
            names = [entity.label, *entity.aliases] + ([entity.label_ko] if entity.label_ko else [])
            for name in names:
                key = _key(name)
                exact[key].add(entity.id)
                self._names.append((key, name, entity.id))
                if not entity.is_a("Person"):
                    for short in initialisms(name):
                        shorthand[short].add(entity.id)
            exact[_key(entity.id)].add(entity.id)
        # a shorthand never hides a name, and one that fits several entities tells none
        for short, ids in shorthand.items():
            if short not in exact and len(ids) == 1:
                exact[short] = ids
        self._exact = dict(exact)

    def get(self, entity_id: str) -> Entity:
        """The entity with this id."""
        try:
            return self.entities[entity_id]
        except KeyError:
            raise NotFoundError(f"no entity with id '{entity_id}'") from None

    def is_spelled(self, name: str, entity_id: str) -> bool:
        """Whether every word of ``name`` is a word of one of the entity's own names (or its
        id) as typed: false when resolving it corrected a spelling ("Blakrock")."""
        words = {w for key, _, ident in self._names if ident == entity_id for w in key.split()}
        words |= set(_key(entity_id).split())
        return all(w in words for w in _key(name).split() if w not in STOPWORDS)

    def search(self, text: str, limit: int = 10, classes: Iterable[str] = ()) -> list[Match]:
        """Entities whose names match ``text`` at least a little (SUGGEST), best first: exact
        names, then fuzzy ones."""
        classes = tuple(classes)
        return [
            m
            for m in self._ranked(text)
            if m.score >= SUGGEST and (not classes or m.entity.is_a(*classes))
        ][:limit]

    def resolve(self, name: str, prefer: Iterable[str] = ()) -> Entity:
        """The one entity ``name`` means; raise NotFoundError or AmbiguousError.

        ``prefer`` names classes the caller expects (e.g. ``Event``): an exact name of such an
        entity wins, then any exact name, then close names among those classes, then any.
        """
        prefer = tuple(prefer)
        ranked = self._ranked(name)
        exact = [m for m in ranked if m.score == 100]
        for pool in ([m for m in exact if m.entity.is_a(*prefer)] if prefer else [], exact):
            if pool:
                return self._one(name, pool)
        if self.context is not None:
            key = _key(name)
            wrapped = self.context.resolve(
                (key.removeprefix(_ARTICLE) or key).split(), self._exact, self.entities
            )
            if wrapped is not None:
                return wrapped
        close = [m for m in ranked if m.score >= CUTOFF]
        preferred = [m for m in close if m.entity.is_a(*prefer)] if prefer else []
        if preferred or close:
            return self._one(name, preferred or close)
        hints = [m.entity for m in ranked if m.score >= SUGGEST][:3]
        hint = f"; did you mean {', '.join(repr(e.label) for e in hints)}?" if hints else ""
        raise NotFoundError(f"no entity named '{name.strip()}'{hint}")

    def _one(self, name: str, matches: list[Match]) -> Entity:
        """The best match, unless others are about as close; then the one whose class the
        name ends with ("the BlackRock MOU" is the MOU, not its signing ceremony)."""
        best = matches[0].score
        near = [m for m in matches if m.score >= best - MARGIN]
        if len(near) > 1:
            head = _key(name).rpartition(" ")[2]
            fitting = [m for m in near if head in {c.casefold() for c in m.entity.classes}]
            if len(fitting) == 1:
                near = fitting
        if len(near) == 1:
            return near[0].entity
        raise AmbiguousError(
            f"'{name.strip()}' could mean {len(near)} entities; say which",
            [(m.entity.id, f"{m.entity.label} [{m.entity.kind}]") for m in near[:10]],
        )

    def _ranked(self, text: str) -> list[Match]:
        """Every entity with a name scoring above zero against ``text``, best first; raise
        InputError when ``text`` is blank or has only common words and no exact match."""
        from rapidfuzz import fuzz

        from kg.limits import check_name

        full = _key(check_name(text))
        if not full:
            raise InputError("a name is needed, but the one given is blank")
        query = full.removeprefix(_ARTICLE) or full
        exact = self._exact.get(full, set()) | self._exact.get(query, set())
        words = " ".join(w for w in query.split() if w not in STOPWORDS)
        if not words and not exact:
            raise InputError(
                f"'{text.strip()}' names nothing: it has only common words "
                "(the, of, in ...); give a name"
            )
        best: dict[str, Match] = {}
        for key, name, ident in self._names:
            if ident in exact:
                score = 100.0
            elif words:
                score = _score(words, key, fuzz.ratio)
            else:  # common words only: nothing but exact names can match
                continue
            if score and (ident not in best or score > best[ident].score):
                best[ident] = Match(self.entities[ident], score, name)
        for ident in exact - best.keys():  # matched by id only
            best[ident] = Match(self.entities[ident], 100.0, ident)
        return sorted(best.values(), key=lambda m: (-m.score, len(m.entity.label), m.entity.id))


def initialisms(name: str) -> list[str]:
    """The keys of ``name`` with a run of capitalised words written as their initials, run
    together or spelled out with dots ("United Nations General Assembly": "un general
    assembly", "u n general assembly", "unga" ...).

    >>> initialisms("80th session of the United Nations General Assembly")[:2]
    ['80th session of the un general assembly', '80th session of the u n general assembly']
    """
    words = _key(name).split()
    caps = [w[:1].isupper() for w in plain_quotes(name).replace("-", " ").split()]
    if len(caps) != len(words):
        return []
    out = []
    for a in range(len(words)):
        for b in range(a + 2, len(words) + 1):
            if not all(caps[a:b]):
                break
            letters = [w[0] for w in words[a:b]]
            for short in ("".join(letters), " ".join(letters)):
                out.append(" ".join([*words[:a], short, *words[b:]]))
    return out


def _score(query: str, name: str, ratio) -> float:
    """How well a name key matches a query key, 0-99 (100 is kept for exact names).

    ``query`` holds no common words (:data:`STOPWORDS`), and the name's are left out too.
    Words match when they are alike (``ratio`` >= TOKEN_CUTOFF, which forgives a typo). The
    score is mostly the share of the query's words found in the name, plus some for the share
    of the name's words that were asked for: every query whose words are all in a name passes
    CUTOFF, and "Ministry of Science" fits the ministry (93) better than the MOU that names it
    (85) or "Science Minister Bae" (87). Names written with or without spaces ("Black Rock")
    are compared whole as well.
    """
    words = query.split()
    parts = [p for p in name.split() if p not in STOPWORDS] or name.split()
    similar = [[ratio(q, n) for n in parts] for q in words]
    found = sum(max(row) for row in similar if max(row) >= TOKEN_CUTOFF) / (100 * len(words))
    covered = sum(any(row[j] >= TOKEN_CUTOFF for row in similar) for j in range(len(parts))) / len(
        parts
    )
    whole = ratio(query.replace(" ", ""), name.replace(" ", "")) * 0.95
    return max(100 * found * (0.8 + 0.19 * covered), whole)


def name_index(store: Store) -> NameIndex:
    """The names of every entity in ``store``, read by the entities query (a
    :class:`~kg.session.Session` keeps the one it reads)."""
    from kg.queries import saved_query
    from kg.vocab import kg_name, local_id

    rows = store.records(saved_query("entities").text)  # one at a time
    data: dict[str, dict] = defaultdict(
        lambda: {"types": set(), "classes": set(), "aliases": set(), "label": None, "ko": None}
    )
    for row in rows:
        d = data[str(row["entity"])]
        d["types"].add(kg_name(row["type"]))
        d["classes"].add(kg_name(row["class"]))
        name, lang = row["name"], getattr(row["name"], "language", None)
        if str(row["kind"]) == "alias":
            d["aliases"].add(str(name))
        elif lang == "ko":
            d["ko"] = str(name)
        elif d["label"] is None or lang == "en":
            d["label"] = str(name)
    entities = {}
    for iri, d in data.items():
        ident = local_id(iri)
        entities[ident] = Entity(
            ident,
            iri,
            d["label"] or ident,
            tuple(sorted(d["types"])),
            frozenset(d["classes"]),
            tuple(sorted(d["aliases"])),
            d["ko"],
        )
    from kg.descriptors import Context

    return NameIndex(entities, Context(store))


def resolve(store: Store, name: str, prefer: Iterable[str] = ()) -> Entity:
    """The entity ``name`` means in ``store`` (see :meth:`NameIndex.resolve`)."""
    return name_index(store).resolve(name, prefer)


def search(store: Store, text: str, limit: int = 10, classes: Iterable[str] = ()) -> list[Match]:
    """Ranked matches for ``text`` in ``store`` (see :meth:`NameIndex.search`)."""
    return name_index(store).search(text, limit, classes)
