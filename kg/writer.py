"""The one writer that puts generated files on disk: temp file, fsync, then rename.

Every file is first written next to its target; only when all of them were written are they moved
into place, so a failure part-way leaves every previous file exactly as it was.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in write_files(out, {"a.txt": "한국\\n"})]
['a.txt']
>>> (out / "a.txt").read_text(encoding="utf-8")
'한국\\n'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_files(folder: Path, files: dict[str, str | bytes]) -> list[Path]:
    """Write ``{relative name: text or bytes}`` under ``folder``, all or nothing; UTF-8 text."""
    folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, content in sorted(files.items()):
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((Path(tmp), target))
            data = content.encode("utf-8") if isinstance(content, str) else content
            os.fchmod(fd, 0o666 & ~_umask())
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, target in staged:
            os.replace(tmp, target)
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    return [target for _, target in staged]


def write_file(path: Path, content: str | bytes) -> Path:
    """Write one file atomically."""
    return write_files(path.parent, {path.name: content})[0]
