"""``kg ask``: English questions answered from the graph by the question engine, with sources.

The engine (:mod:`kg.question.engine`) links the names in a question, generates the readings
around them, ranks them by how much of the question each explains, and answers the best one or
refuses (:class:`~kg.errors.UnansweredError`, exit 3) with the best readings in words. This
module gives it the index of a store: the one that ships with kg for the default graph, else one
computed from the store.

>>> from kg.store import open_store
>>> answer = ask(open_store(), "Who signed the BlackRock MOU?")
>>> sorted(i.id for i in answer.items)
['bae-kyung-hoon', 'larry-fink']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.model import Answer
    from kg.question.engine import Engine


def ask(store, question: str, engine: Engine | None = None) -> Answer:
    """Answer ``question`` from ``store`` (or with ``engine``, made for that store); raise
    UnansweredError when no reading explains it well enough, InputError when it is too long."""
    from kg.limits import check_name

    check_name(question, "question")
    return (engine or engine_for(store)).ask(question)


def engine_for(store) -> Engine:
    """The question engine over ``store``: the index that ships with kg for the default graph,
    else one computed from the store."""
    from kg.question.engine import Engine
    from kg.question.index import from_store, load, parse
    from kg.store import MemoryStore

    if isinstance(store, MemoryStore) and store.is_shipped():
        return Engine(load())
    return Engine(parse(from_store(store)))
