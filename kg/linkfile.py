"""The projection's link list (:class:`kg.links.Links`) kept in a file beside an oxigraph store,
so that ``kg central`` reads a few megabytes instead of decoding every quad of the store.

:meth:`kg.stores.oxigraph.OxigraphStore.links` writes it into the store's folder as
``kg-links`` the first time it is needed (a load stays a bulk load). The file is ``kg-links 1``
(the format version) on one line, a JSON line (the store's fingerprint, counts, the distinct
class sets, the payload's part sizes and SHA-256), then the payload: node ids and IRIs as
UTF-8 lines, each node's class set and the links
as little-endian int32. :func:`read` refuses (:class:`Unusable`) a list that is missing, of
another version, damaged (hash, sizes, bounds) or written for another state of the store.

The fingerprint (:func:`fingerprint`) hashes the store's files: names, sizes, and their first and
last 64 KiB (all of the small ones: CURRENT, MANIFEST, OPTIONS, IDENTITY, the write-ahead logs).
RocksDB never rewrites a table file in place, and any write, or even a read-write open, changes
the manifest, so a changed store never matches; hashing every byte (86 MB at 1M triples, 0.25 s)
would cost more than half of the PageRank it serves.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path

from kg.errors import StoreError
from kg.links import Links

NAME = "kg-links"
VERSION = 1
SAMPLE = 64 * 1024  # bytes hashed from each end of a store file
MAX_FILES = 10_000  # a store folder holding more files is not fingerprinted
MAX_HEADER = 1 << 20
MAX_SIZE = 1 << 34


class Unusable(StoreError):
    """The link list cannot be used: missing, of another version, damaged or stale."""


def _ours(name: str) -> bool:
    """Files of the folder that are not the store's: ours, RocksDB's lock and info logs."""
    return name.startswith((NAME, f".{NAME}")) or name == "LOCK" or name.startswith("LOG")


def fingerprint(folder: Path | str) -> str:
    """A SHA-256 of the store files in ``folder`` (see the module docstring)."""
    digest = hashlib.sha256()
    try:
        with os.scandir(folder) as found:
            entries: list[os.DirEntry] = []
            for entry in found:
                if len(entries) >= MAX_FILES:
                    raise Unusable(f"{folder}: more than {MAX_FILES} files to fingerprint")
                if entry.is_file(follow_symlinks=False) and not _ours(entry.name):
                    entries.append(entry)
        for entry in sorted(entries, key=lambda e: e.name):
            with open(entry.path, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                digest.update(f"{entry.name}\0{size}\0".encode())
                if size <= 2 * SAMPLE:
                    digest.update(f.read(size))
                else:
                    digest.update(f.read(SAMPLE))
                    f.seek(size - SAMPLE)
                    digest.update(f.read(SAMPLE))
    except OSError as exc:
        raise Unusable(f"{folder}: cannot fingerprint the store: {exc.strerror or exc}") from None
    return digest.hexdigest()


def _parts(links: Links) -> list[bytes]:
    import numpy as np

    return [
        "\n".join(links.ids).encode("utf-8"),
        "\n".join(links.iris).encode("utf-8"),
        np.ascontiguousarray(links.kind, dtype="<i4").tobytes(),
        np.ascontiguousarray(links.links, dtype="<i4").tobytes(),
    ]


def save(folder: Path | str, links: Links, state: str, *, best_effort: bool = False) -> bool:
    """Write ``links`` as the list of the store in ``folder`` whose fingerprint was ``state``
    (taken before the links were read), atomically; return whether it was written. It is not
    when the store changed meanwhile, nor, with ``best_effort``, when the folder is not
    writable (the list is a speed-up: the store still answers without it)."""
    folder = Path(folder)
    parts = _parts(links)
    payload = b"".join(parts)
    header = {
        "store": state,
        "nodes": len(links.ids),
        "links": int(links.links.shape[0]),
        "kinds": [sorted(k) for k in links.kinds],
        "sizes": [len(p) for p in parts],
        "sha256": hashlib.sha256(payload).hexdigest(),
    }
    partial = folder / f".{NAME}.{os.getpid()}.partial"
    try:
        with open(partial, "wb") as f:
            f.write(f"{NAME} {VERSION}\n".encode())
            f.write(json.dumps(header, sort_keys=True).encode("utf-8") + b"\n")
            f.write(payload)
        if fingerprint(folder) != state:
            partial.unlink()
            return False
        os.replace(partial, folder / NAME)
    except (OSError, Unusable):
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        if best_effort:
            return False
        raise
    return True


def read(folder: Path | str, state: str) -> Links:
    """The link list of the store in ``folder`` whose fingerprint is ``state``; Unusable when
    missing, of another version, damaged or stale."""
    import numpy as np

    path = Path(folder) / NAME
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # never open a pipe or a device
            raise Unusable(f"{path}: not a regular file")
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_SIZE:
                raise Unusable(f"{path}: larger than {MAX_SIZE} bytes")
            if f.readline(64) != f"{NAME} {VERSION}\n".encode():
                raise Unusable(f"{path}: not a version {VERSION} link list")
            header = _header(path, f.readline(MAX_HEADER))
            if header["store"] != state:
                raise Unusable(f"{path}: written for another state of the store (stale)")
            if sum(header["sizes"]) != size - f.tell():
                raise Unusable(f"{path}: damaged (its size is not what its header says)")
            payload = f.read()
    except FileNotFoundError:
        raise Unusable(f"{path}: no link list") from None
    except OSError as exc:
        raise Unusable(f"{path}: cannot read it: {exc.strerror or exc}") from None
    if hashlib.sha256(payload).hexdigest() != header["sha256"]:
        raise Unusable(f"{path}: damaged (its SHA-256 is not what its header says)")
    n, m, kinds = header["nodes"], header["links"], header["kinds"]
    a, b, c, d = header["sizes"]
    if (c, d) != (4 * n, 8 * m):
        raise Unusable(f"{path}: damaged (part sizes do not fit {n} nodes and {m} links)")
    try:
        ids = tuple(payload[:a].decode("utf-8").split("\n")) if n else ()
        iris = tuple(payload[a : a + b].decode("utf-8").split("\n")) if n else ()
    except UnicodeDecodeError:
        raise Unusable(f"{path}: damaged (ids are not UTF-8)") from None
    kind = np.frombuffer(payload, dtype="<i4", count=n, offset=a + b)
    pairs = np.frombuffer(payload, dtype="<i4", count=2 * m, offset=a + b + c).reshape(m, 2)
    codes = pairs[:, 0].astype(np.int64) * max(n, 1) + pairs[:, 1]
    if (
        len(ids) != n
        or len(iris) != n
        or (n and (kind.min() < 0 or kind.max() >= len(kinds)))
        or (m and (pairs.min() < 0 or pairs.max() >= n))
        or bool((pairs[:, 0] >= pairs[:, 1]).any())
        or bool((codes[1:] <= codes[:-1]).any())
    ):
        raise Unusable(f"{path}: damaged (ids, classes or links out of bounds or order)")
    return Links(ids, iris, tuple(frozenset(k) for k in kinds), kind, pairs)


def _header(path: Path, line: bytes) -> dict:
    """The JSON header line, checked for the fields and types :func:`read` relies on."""
    try:
        header = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError):
        header = None
    ok = (
        isinstance(header, dict)
        and isinstance(header.get("store"), str)
        and isinstance(header.get("sha256"), str)
        and all(isinstance(header.get(k), int) and header[k] >= 0 for k in ("nodes", "links"))
        and isinstance(header.get("kinds"), list)
        and all(isinstance(k, list) and all(isinstance(x, str) for x in k) for k in header["kinds"])
        and isinstance(header.get("sizes"), list)
        and len(header["sizes"]) == 4
        and all(isinstance(s, int) and s >= 0 for s in header["sizes"])
    )
    if not ok:
        raise Unusable(f"{path}: damaged (its header is not a link list's)")
    return header
