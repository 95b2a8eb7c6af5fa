"""The one writer that puts generated files on disk: temp file, fsync, then rename.

Every file is first written next to its target; only when all of them were written are they moved
into place, so a failure part-way leaves every previous file exactly as it was.

- A target that exists must be a regular file: a device (``/dev/full``), a FIFO, a socket, a
  folder or a symbolic link is refused (InputError, exit 2) and never replaced.
- Temporary files are named ``.NAME.kgPID-RANDOM.tmp``; those a killed run left behind (their
  process is gone) are removed by the next write into the same folder.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in write_files(out, {"a.txt": "한국\\n"})]
['a.txt']
>>> (out / "a.txt").read_text(encoding="utf-8")
'한국\\n'
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from kg.errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_files(folder: Path, files: Mapping[str, str | bytes]) -> list[Path]:
    """Write ``{relative name: text or bytes}`` under ``folder``, all or nothing; UTF-8 text.

    A target that cannot be written (a directory in the way, no permission, a full disk) raises
    InputError naming it; nothing is replaced then.
    """
    with _as_input_error(folder):
        return _write_files(folder, files)


@contextmanager
def _as_input_error(folder: Path) -> Iterator[None]:
    """An OSError inside becomes an InputError naming the file (or ``folder``)."""
    try:
        yield
    except OSError as exc:
        where = exc.filename or folder
        raise InputError(f"{where}: cannot write ({exc.strerror or exc})") from None


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symbolic link"),
)
_OURS = re.compile(r"^\..+\.kg(\d+)-[A-Za-z0-9_]+\.tmp(\.old)?$")


def check_target(path: Path) -> None:
    """Refuse ``path`` unless it is missing or a regular file (InputError naming what it is).

    >>> check_target(Path("/dev/null"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.InputError: /dev/null: cannot write: it is a character device, not a regular ...
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    if stat.S_ISREG(mode):
        return
    what = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise InputError(
        f"{path}: cannot write: it is {what}, not a regular file (nothing was replaced)"
    )


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def remove_stale(folder: Path, started: float | None = None) -> list[Path]:
    """Remove the temporary files of kg's own naming in ``folder`` whose writer is gone (and
    that are older than ``started``); return them."""
    started = time.time() if started is None else started
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _OURS.match(entry.name)
        if not match or _alive(int(match.group(1))):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime <= started:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _write_files(folder: Path, files: Mapping[str, str | bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    with Staging(folder, files) as staging:
        for name, content in sorted(files.items()):
            staging.add(name, content)
        return staging.commit()


_SLICE = 1 << 20  # characters of a text encoded and written at once


class Staging:
    """Files staged one by one (each written to its temporary file at once, so its text can
    be dropped) and moved into place together by :meth:`commit`; leaving the ``with`` block
    without a commit removes them and replaces nothing.

    ``names``: the files that will be staged, checked before anything is written (more may
    be added; each is checked when added).
    """

    def __init__(self, folder: Path, names: Iterable[str] = ()):
        self.folder = folder  # made when the first file is added
        self._started = time.time()
        self._staged: list[tuple[Path, Path]] = []
        self._parents: set[Path] = set()
        for name in names:
            check_target(folder / name)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc) -> None:
        for tmp, _ in self._staged:
            tmp.unlink(missing_ok=True)

    def add(self, name: str, content: str | bytes | Iterable[str]) -> None:
        """Write ``content`` (UTF-8 text, bytes, or text chunks written as they come) to the
        temporary file of ``name``."""
        with _as_input_error(self.folder):
            self._add(name, content)

    def _add(self, name: str, content: str | bytes | Iterable[str]) -> None:
        target = self.folder / name
        check_target(target)
        if target.parent not in self._parents:
            self._parents.add(target.parent)
            remove_stale(target.parent, self._started)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.kg{os.getpid()}-", suffix=".tmp", dir=target.parent
        )
        self._staged.append((Path(tmp_name), target))
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            if isinstance(content, str):  # a slice at a time: no second copy of a large text
                for start in range(0, len(content), _SLICE):
                    fh.write(content[start : start + _SLICE].encode("utf-8"))
            elif isinstance(content, bytes):
                fh.write(content)
            else:
                for chunk in content:
                    fh.write(chunk.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())

    def commit(self) -> list[Path]:
        """Move every staged file into place (all or nothing); return the targets."""
        with _as_input_error(self.folder):
            _replace_all(self._staged)
        return [target for _, target in self._staged]


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
