"""Bounded input: every file kg reads on a user's say-so is read through :func:`read_text`,
which stops at a size cap instead of reading ``/dev/zero`` for ever.

>>> read_text("/dev/zero", 1024, "query")
Traceback (most recent call last):
kg.errors.InputError: /dev/zero: cannot read the query: the file is larger than 1 KB
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import InputError

MAX_QUERY_FILE = 1 << 20  # bytes
MAX_CONFIG_FILE = 1 << 20
MAX_ARTICLE_FILE = 16 << 20
MAX_NAME = 1000  # characters of a name, a question or a search text
MAX_QUESTION_WORDS = 60


def _size(limit: int) -> str:
    return f"{limit >> 20} MB" if limit >= 1 << 20 else f"{limit >> 10} KB"


def read_text(path: Path | str, limit: int, what: str) -> str:
    """The UTF-8 text (a BOM dropped) of at most ``limit`` bytes at ``path``; InputError when it
    is larger, a folder, unreadable or not UTF-8."""
    from kg.sparql.terms import printable

    shown = printable(str(path), 200)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except IsADirectoryError:
        raise InputError(f"{shown}: cannot read the {what}: it is a folder") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot read the {what} ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise InputError(f"{shown}: cannot read the {what}: the file is larger than {_size(limit)}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{shown}: cannot read the {what}: not UTF-8 text") from None


def check_name(text: str, what: str = "name", limit: int = MAX_NAME) -> str:
    """``text`` when it is at most ``limit`` characters, else InputError at once."""
    if len(text) > limit:
        raise InputError(
            f"the {what} is {len(text):,} characters long; at most {limit} are accepted"
        )
    return text
