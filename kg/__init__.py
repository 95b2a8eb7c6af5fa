"""kg — the Korea AI investment knowledge graph.

Curated, sourced facts (``seeds/``) become an RDF dataset with one named graph per claim,
validated by SHACL, projected into networkx and drawn as offline HTML.

>>> import kg.build
>>> ds = kg.build.build_dataset()          # the curated graph that ships with kg
>>> len(ds) > 1000
True
"""

__version__ = "0.1.0"


def open(store=None, seeds=None):  # noqa: A001
    """A session over the graph (see :mod:`kg.session`): ``kg.open().ask("...")``."""
    from kg.session import open as open_session

    return open_session(store, seeds)
