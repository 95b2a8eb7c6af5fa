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

from kg.errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_files(folder: Path, files: dict[str, str | bytes]) -> list[Path]:
    """Write ``{relative name: text or bytes}`` under ``folder``, all or nothing; UTF-8 text.

    A target that cannot be written (a directory in the way, no permission, a full disk) raises
    InputError naming it; nothing is replaced then.
    """
    try:
        return _write_files(folder, files)
    except OSError as exc:
        where = exc.filename or folder
        raise InputError(f"{where}: cannot write ({exc.strerror or exc})") from None


def _write_files(folder: Path, files: dict[str, str | bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    targets = {name: folder / name for name in files}
    for target in targets.values():
        if target.is_dir():
            raise IsADirectoryError(21, "a directory is in the way", str(target))
    staged: list[tuple[Path, Path]] = []
    try:
        for name, content in sorted(files.items()):
            target = targets[name]
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((Path(tmp), target))
            data = content.encode("utf-8") if isinstance(content, str) else content
            os.fchmod(fd, 0o666 & ~_umask())
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        _replace_all(staged)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    return [target for _, target in staged]


def _replace_all(staged: list[tuple[Path, Path]]) -> None:
    """Move every staged file into place; if one move fails, put the old files back."""
    backups: list[tuple[Path, Path | None]] = []
    try:
        for tmp, target in staged:
            backup = None
            if target.exists():
                backup = target.with_name(f"{tmp.name}.old")
                os.link(target, backup)
            backups.append((target, backup))
            os.replace(tmp, target)
    except BaseException:
        for target, backup in reversed(backups):
            if backup is not None:
                os.replace(backup, target)
            else:
                target.unlink(missing_ok=True)
        raise
    finally:
        for _, backup in backups:
            if backup is not None:
                backup.unlink(missing_ok=True)


def write_file(path: Path, content: str | bytes) -> Path:
    """Write one file atomically."""
    return write_files(path.parent, {path.name: content})[0]
