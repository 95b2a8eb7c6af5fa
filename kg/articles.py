"""The article files the seeds cite: their paragraphs, numbered as the citations count them.

Paragraph N of an article is its Nth line that is not empty once stripped of whitespace
(``str.strip``, which also strips non-breaking spaces); a citation ``a002:19`` points at
paragraph 19 of the file of source ``a002``. Curators read the numbers with ``kg paragraphs
FILE``.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = path.write_text("Title\\n\\n\\u00a0\\n  First paragraph.  \\nSecond.\\n", encoding="utf-8")
>>> paragraphs(path)
['Title', 'First paragraph.', 'Second.']
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import InputError


def paragraphs(path: Path | str) -> list[str]:
    """The paragraphs of an article file, stripped, in order (paragraph N is item N - 1)."""
    from kg.limits import MAX_ARTICLE_FILE, read_text

    path = Path(path)
    text = read_text(path, MAX_ARTICLE_FILE, "article")
    return [line.strip() for line in text.splitlines() if line.strip()]


def paragraph(path: Path | str, number: int) -> str:
    """Paragraph ``number`` (counted from 1) of an article file."""
    found = paragraphs(path)
    if not 1 <= number <= len(found):
        raise InputError(f"{path} has no paragraph {number} (it has {len(found)})")
    return found[number - 1]
