"""One session over one graph: the store, its question engine, its name index, its vocabulary,
its articles and its networkx projection, each made on first use and kept by the session (kg
keeps no module-level caches). Every method returns kg's own frozen results (:mod:`kg.model`);
``to_frame`` turns a list of them into a pandas DataFrame (``pip install 'kg[pandas]'``).

>>> import kg
>>> g = kg.open()
>>> g.ask("Who signed the BlackRock MOU?").items[0].label
'Bae Kyung-hoon'
>>> g.entity("BlackRock").label
'BlackRock'
>>> [a.label for a in g.attendees("mou-signing").items]
['Bae Kyung-hoon', 'Larry Fink', 'Lee Jae Myung']
>>> [str(row[0]) for row in g.sparql("SELECT ?n WHERE { id:gip skos:prefLabel ?n }").rows]
['Global Infrastructure Partners']
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import lookup

if TYPE_CHECKING:
    from kg.model import (
        Answer,
        Article,
        Commitment,
        Community,
        EntityCard,
        Fact,
        Listing,
        Ranked,
    )
    from kg.resolve import Match, NameIndex
    from kg.stores.base import Store


class Session:
    """The graph in ``store`` (a store spec such as ``oxigraph:PATH``, a store object, or None
    for the configured one) or built from a ``seeds`` folder; methods return kg's own results."""

    def __init__(self, store: str | Store | None = None, seeds: Path | str | None = None):
        self.spec = store if store is None or isinstance(store, str) else None
        self.seeds = seeds
        if not (store is None or isinstance(store, str)):
            self.__dict__["store"] = store  # an open store: the cached property's value

    @cached_property
    def store(self) -> Store:
        """The store (see :func:`kg.store.open_store`)."""
        from kg.store import open_store

        return open_store(self.spec, self.seeds)

    @cached_property
    def engine(self):
        """The question engine over this graph."""
        from kg.ask import engine_for

        return engine_for(self.store)

    @cached_property
    def names(self) -> NameIndex:
        """The name index (labels, aliases, Korean labels) of this graph."""
        from kg.resolve import name_index

        return name_index(self.store)

    @cached_property
    def graph(self):
        """The networkx projection (entities as nodes, facts as edges)."""
        from kg.network import to_networkx

        return to_networkx(self.store.dataset())

    @cached_property
    def vocabulary(self) -> list[dict]:
        """The ontology's terms (classes and properties with their labels)."""
        return lookup.vocabulary(self.store)

    @cached_property
    def relation_labels(self) -> dict[str, str]:
        """Each ontology term's local name -> its English label (``attendee`` -> ``attended
        by``)."""
        return lookup.relation_labels(self.vocabulary)

    @cached_property
    def class_names(self) -> list[str]:
        """The ontology's class names, sorted."""
        return lookup.class_names(self.vocabulary)

    @cached_property
    def articles(self) -> tuple[Article, ...]:
        """The source articles.

        >>> [a.id for a in open().articles]
        ['a000', 'a001', 'a002', 'a003', 'a004']
        """
        return lookup.articles(self.store)

    def ask(self, question: str) -> Answer:
        """An answer to an English question, with sources (:func:`kg.ask.ask`)."""
        from kg.ask import ask

        return ask(self.store, question, engine=self.engine)

    def entity(self, name: str) -> EntityCard:
        """Everything about one entity, with sources (:func:`kg.lookup.entity_card`).

        >>> [r.organization.label for r in open().entity("Larry Fink").roles][:1]
        ['BlackRock']
        """
        return lookup.entity_card(self, name)

    def search(self, text: str, limit: int = 10, classes: tuple[str, ...] = ()) -> list[Match]:
        """Entities whose names match ``text``, best first (``classes``: only these).

        >>> open().search("blakrock")[0].entity.id
        'blackrock'
        """
        return self.names.search(text, limit, classes)

    def attendees(self, event: str) -> Listing:
        """Who attended an event (NotFoundError when ``event`` is not one)."""
        return lookup.attendees(self, event)

    def members(self, org: str) -> Listing:
        """Who belongs to an organisation (NotFoundError when ``org`` is not one).

        >>> open().members("Larry Fink")
        Traceback (most recent call last):
        kg.errors.NotFoundError: Larry Fink is a Person, not an organisation
        """
        return lookup.members(self, org)

    def commitments(
        self, investor: str | None = None, project: str | None = None, min_usd: float | None = None
    ) -> tuple[Commitment, ...]:
        """Investment commitments, largest first (:func:`kg.lookup.commitments`). A package
        holds its parts (``part_of``): add up :func:`kg.model.top_level` ones only.

        >>> from kg.model import top_level
        >>> total = sum(c.usd or 0 for c in top_level(open().commitments()))
        >>> f"{total / 1e9:.1f}"
        '16.2'
        """
        return lookup.commitments(self, investor, project, min_usd)

    def why(
        self, name: str, other: str | None = None, articles: Path | str | None = None
    ) -> tuple[Fact, ...]:
        """The facts about an entity (or linking it to ``other``), each with the articles and
        paragraphs that state them; ``articles``, a folder of the article files, quotes each
        paragraph.

        >>> fact = open().why("GIP", "BlackRock")[0]
        >>> fact.relation, [str(c) for c in fact.sources]
        ('owned by', ['a001:5'])
        """
        return lookup.why(self, name, other, Path(articles) if articles is not None else None)

    def sources(
        self, name: str | None = None, other: str | None = None, articles: Path | str | None = None
    ) -> tuple[Article, ...] | tuple[Fact, ...]:
        """The source articles; with a name, the facts about it and their sources (as
        :meth:`why`)."""
        return self.articles if name is None else self.why(name, other, articles)

    def sparql(self, query: str, bindings: dict | None = None, **limits):
        """A read-only SPARQL query with the safety checks, timeout and row cap of
        :func:`kg.sparql.run_query`."""
        from kg.sparql import run_query

        return run_query(self.store, query, bindings or {}, **limits)

    def path(self, a: str, b: str):
        """The shortest paths between two entities in the networkx projection."""
        from kg.analysis import shortest_paths

        return shortest_paths(self.graph, self.names.resolve(a).id, self.names.resolve(b).id)

    def central(
        self, measure: str = "degree", cls: str | None = None, top: int = 10
    ) -> list[Ranked]:
        """The most central entities of the projection, of class ``cls`` (any letter case)
        when given (:func:`kg.analysis.centrality`).

        >>> open().central("pagerank", "investor", top=1)[0].label
        'Government of South Korea'
        """
        from kg import links
        from kg.analysis import centrality
        from kg.resolve import known_class

        cls = known_class(cls, self.class_names) if cls is not None else None
        if "graph" not in self.__dict__ and links.supports(self.store):
            ranked = links.store_centrality(self.store, measure, cls, top)
            if ranked is not None:
                return ranked
        return centrality(self.graph, measure, cls, top)

    def communities(self) -> list[Community]:
        """Groups of entities more linked to each other than to the rest, largest first
        (:func:`kg.analysis.communities`)."""
        from kg.analysis import communities

        return communities(self.graph)


def to_frame(results: Any):
    """Results (a list of kg.model dataclasses, or a Listing's items) as a pandas DataFrame,
    one row a result and one column a field, as ``kg ... --format csv`` writes them (an amount
    spread over ``amount_*`` columns, entities as ids). Needs pandas (``kg[pandas]``): with
    it, ``frame[frame.part_of.isna()].amount_value_usd.sum()`` adds each dollar once.
    """
    from kg.errors import InputError
    from kg.model import Listing, columns_of, csv_row

    try:
        import pandas as pd
    except ImportError:
        raise InputError("to_frame needs pandas: pip install 'kg[pandas]'") from None
    items = list(results.items if isinstance(results, Listing) else results)
    columns = columns_of(items[0]) if items else []
    return pd.DataFrame([csv_row(i) for i in items], columns=columns)


def open(store: str | Store | None = None, seeds: Path | str | None = None) -> Session:  # noqa: A001
    """A :class:`Session` over the configured graph, a store spec or object, or a seeds folder."""
    return Session(store, seeds)
