"""Stores behind one interface: SPARQL text plus bindings in, rdflib terms out (each store is
its own module in :mod:`kg.stores`; this module re-exports them).

Commands never care where the triples live:

- ``memory`` (the default): embedded, in memory, no server. It loads the graph that ships with kg
  (or ``memory:FILE``: a TriG, N-Quads or N-Triples file; or a seeds folder), answers SPARQL with
  pyoxigraph's in-memory engine and parses an rdflib Dataset only when a command needs every quad
  (networkx projections), so a lookup starts in milliseconds instead of parsing TriG with rdflib.
- ``oxigraph:PATH``: pyoxigraph on disk, written by ``kg build --store oxigraph:PATH`` and opened
  read-only by every later command without reloading.
- ``sparql:URL``: any SPARQL 1.1 endpoint (stdlib HTTP). The endpoint must answer with the union of
  its named graphs as the default graph, as the embedded stores do (Oxigraph:
  ``--union-default-graph``; Fuseki: ``tdb2:unionDefaultGraph true``).

The spec comes from the argument, else the ``KG_STORE`` environment variable, else ``store = ...``
in the config file (``$KG_CONFIG``, else ``./kg.toml``, else ``~/.config/kg/config.toml``), else
``memory``.

>>> from kg.vocab import ID
>>> store = open_store("memory")
>>> store.query("ASK { ?s a kg:Investor }").boolean
True
>>> row = store.query("SELECT ?l WHERE { ?e skos:prefLabel ?l FILTER(lang(?l) = 'en') }",
...                   {"e": ID["blackrock"]}).rows[0]
>>> str(row[0])
'BlackRock'
"""

from __future__ import annotations

from kg.sparql.prologue import full_query, sparql_term, with_values
from kg.sparql.results import Result
from kg.sparql.terms import XSD_STRING
from kg.stores.base import RDFLIB_DEFAULT_GRAPH, Store, new_dataset
from kg.stores.config import (
    CONFIG_ENV,
    CONFIG_FILES,
    KINDS,
    STORE_ENV,
    config_store_spec,
    open_store,
    refresh_store,
    resolve_spec,
)
from kg.stores.memory import MemoryStore
from kg.stores.oxigraph import OxigraphStore, PyoxigraphStore, write_oxigraph
from kg.stores.remote import SparqlStore

__all__ = [
    "CONFIG_ENV",
    "CONFIG_FILES",
    "KINDS",
    "RDFLIB_DEFAULT_GRAPH",
    "STORE_ENV",
    "XSD_STRING",
    "MemoryStore",
    "OxigraphStore",
    "PyoxigraphStore",
    "Result",
    "SparqlStore",
    "Store",
    "config_store_spec",
    "full_query",
    "new_dataset",
    "open_store",
    "refresh_store",
    "resolve_spec",
    "sparql_term",
    "with_values",
    "write_oxigraph",
]
