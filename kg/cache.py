"""A content-hash cache for ``kg build``: work on unchanged inputs is reused, never redone.

Entries are pickles named by the SHA-256 of everything that determines them (the input bytes, where
they are displayed from, the source of kg's own modules and the versions of the libraries that
shape the output), so a stale entry is never found, only missed. A cache folder holds only what kg
wrote there; an entry that cannot be read is treated as missing (and rewritten). The folder is
never part of the exports (``.kg-cache/`` by default, ignored by git).

>>> import tempfile
>>> cache = Cache(Path(tempfile.mkdtemp()))
>>> key = cache.key("demo", b"input")
>>> cache.get(key) is None
True
>>> cache.put(key, {"a": 1}); cache.get(key)
{'a': 1}
"""

from __future__ import annotations

import hashlib
import pickle
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.writer import write_file

DEFAULT_DIR = Path(".kg-cache")
_LIBRARIES = ("rdflib", "pyshacl", "ruamel.yaml", "currencyconverter", "networkx", "pyvis")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of kg's own source files and of the library versions its output depends on."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".rq", ".html", ".js", ".css", ".ttl") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} missing".encode())
    return digest.hexdigest()


class Cache:
    """Pickled entries in one folder, keyed by content hashes."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)

    def key(self, kind: str, *parts: bytes | str) -> str:
        """The key of an entry of ``kind`` made from ``parts`` (and kg's code version)."""
        digest = hashlib.sha256(f"{kind}\0{code_version()}".encode())
        for part in parts:
            data = part.encode() if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
        return f"{kind}-{digest.hexdigest()}"

    def get(self, key: str) -> Any:
        """The entry stored under ``key``, or None."""
        try:
            return pickle.loads((self.folder / f"{key}.pickle").read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` (atomically; a failure to write only loses the entry)."""
        try:
            write_file(self.folder / f"{key}.pickle", pickle.dumps(value, protocol=5))
        except (OSError, InputError):  # a cache that cannot be written is only slower
            return
