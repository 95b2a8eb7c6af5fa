"""The stores, one module each: :mod:`~kg.stores.memory` (embedded, in memory),
:mod:`~kg.stores.oxigraph` (on disk), :mod:`~kg.stores.remote` (a SPARQL endpoint) and
:mod:`~kg.stores.config` (which one a command opens). :mod:`kg.store` re-exports them."""
