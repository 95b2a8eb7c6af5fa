"""Which store a command reads: the spec from the argument, else the ``KG_STORE`` environment
variable, else ``store = ...`` in the config file (``$KG_CONFIG``, else ``./kg.toml``, else
``~/.config/kg/config.toml``), else ``memory``. An empty ``KG_STORE`` is an error, not memory.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.errors import InputError
from kg.sparql.terms import printable
from kg.stores.base import Store
from kg.stores.memory import MemoryStore
from kg.stores.oxigraph import OxigraphStore, write_oxigraph
from kg.stores.remote import SparqlStore

STORE_ENV = "KG_STORE"
USER_ENV = "KG_USER"  # the user of a sparql: store (else the URL's user part, else ~/.netrc)
CONFIG_ENV = "KG_CONFIG"
CONFIG_FILES = ("kg.toml", "~/.config/kg/config.toml")
KINDS = ("memory", "memory:FILE", "oxigraph:PATH", "sparql:URL")


def config_store_spec(cwd: Path | None = None) -> tuple[str, Path] | None:
    """The ``store`` set in a config file, and that file: ``$KG_CONFIG``, ``./kg.toml``, or
    ``~/.config/kg/config.toml``, the first that exists. A relative ``oxigraph:`` or ``memory:``
    path in the file is resolved against the file's folder.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "kg.toml").write_text('store = "oxigraph:kg-store"')
    >>> config_store_spec(folder)[0] == f"oxigraph:{folder.resolve() / 'kg-store'}"
    True
    """
    import tomllib

    explicit = os.environ.get(CONFIG_ENV)
    candidates = (
        [Path(explicit)]
        if explicit
        else [(cwd or Path.cwd()) / CONFIG_FILES[0], Path(CONFIG_FILES[1]).expanduser()]
    )
    for path in candidates:
        if not path.is_file():
            if explicit:
                raise InputError(f"{path}: config file named by {CONFIG_ENV} does not exist")
            continue
        from kg.limits import MAX_CONFIG_FILE, read_text

        text = read_text(path, MAX_CONFIG_FILE, "config")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{path}: not a TOML config file ({exc})") from None
        spec = data.get("store")
        if spec is None:
            return None
        if not isinstance(spec, str):
            raise InputError(f"{path}: 'store' must be a string such as \"oxigraph:kg-store\"")
        kind, sep, arg = spec.partition(":")
        if sep and kind in ("memory", "oxigraph") and arg and not Path(arg).is_absolute():
            spec = f"{kind}:{(path.parent / arg).resolve()}"
        return spec, path
    return None


def resolve_spec(spec: str | None = None) -> str:
    """The store spec in force: the argument, ``$KG_STORE``, a config file, or ``memory``.

    >>> resolve_spec("oxigraph:/tmp/x")
    'oxigraph:/tmp/x'
    """
    if spec is not None:
        if not spec.strip():
            raise InputError(
                "--store is empty: give memory, memory:FILE, oxigraph:PATH or sparql:URL"
            )
        return spec
    env = os.environ.get(STORE_ENV)
    if env is not None:
        if not env.strip():
            raise InputError(
                f"${STORE_ENV} is set but empty: unset it, or give memory, memory:FILE, "
                "oxigraph:PATH or sparql:URL"
            )
        return env
    found = config_store_spec()
    return found[0] if found else "memory"


def open_store(spec: str | None = None, seeds: Path | str | None = None) -> Store:
    """Open a store from a spec (see the module docstring); ``None`` resolves it.

    With ``seeds`` the graph is built from that seeds folder into a memory store; that cannot be
    combined with an explicit non-memory spec.
    """
    if seeds is not None:
        if spec and not spec.startswith("memory"):
            raise InputError(
                f"--seeds builds an in-memory graph; it cannot be used with --store {spec}"
            )
        from kg.build import build_dataset

        return MemoryStore(build_dataset(seeds))
    spec = resolve_spec(spec)
    if len(spec) > 4096:
        raise InputError("the store spec is longer than 4096 characters")
    kind, sep, arg = spec.partition(":")
    if kind == "memory":
        return MemoryStore.from_file(arg or None)
    if kind == "oxigraph" and arg:
        return OxigraphStore(arg)
    if kind == "sparql" and arg:
        return SparqlStore(arg, user=os.environ.get(USER_ENV) or None)
    raise InputError(f"unknown store '{printable(spec, 200)}' (known: {', '.join(KINDS)})")


def refresh_store(spec: str | None, nquads: str | bytes | Path) -> str | None:
    """After ``kg build``: load the new graph into the store later commands read, if it is an
    oxigraph store (given, or set by ``$KG_STORE`` / the config file). Returns its spec, or None
    when there is nothing to refresh (``memory`` reads the exports themselves).

    An explicit ``sparql:URL`` is refused: a remote store is loaded with ``kg push``.
    """
    resolved = resolve_spec(spec)
    kind, _, arg = resolved.partition(":")
    if kind == "oxigraph" and arg:
        write_oxigraph(arg, nquads.encode("utf-8") if isinstance(nquads, str) else nquads)
        return resolved
    if spec and kind == "sparql":
        raise InputError(f"kg build does not write to {spec}; load it with `kg push URL`")
    if spec and kind not in ("memory", "sparql"):
        raise InputError(f"unknown store '{printable(spec, 200)}' (known: {', '.join(KINDS)})")
    return None
