"""Words of a question: tokens with positions, stems, numbers, and lexicon phrases found in them.

>>> [t.text for t in tokens("Who met BlackRock's CEO at the U.N.?")]
['who', 'met', 'blackrock', 'ceo', 'at', 'the', 'un']
>>> stem("attended"), stem("inaugurated") == stem("inauguration"), stem("meeting")
('attend', True, 'meet')
>>> stem("decarbonisation") == stem("decarbonization"), stem("centre") == stem("center")
(True, True)
>>> [(n.value, n.year) for n in numbers(tokens("$9 billion by 2031"))]
[(9000000000.0, False), (2031.0, True)]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_ACRONYM = re.compile(r"\b(?:[A-Za-z]\.){2,}")
_POSSESSIVE = re.compile(r"(?<=\w)['’‘]s\b", re.IGNORECASE)
_WORD = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+")
# words that carry no meaning of their own in a question (articles, pronouns, auxiliaries)
STOPWORDS = frozenset(
    "a an the of in on at to for from by with into about and or is are was were be been "
    "being it its this that these those who whom whose what which where when how do does did "
    "has have had as s please me us you i my we our they them their his her he she him can "
    "could would will shall should may might must there here any some also just exactly "
    "actually really currently now then than so such one ones much many very tell know give".split()
)
MULTIPLIERS = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "b": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "t": 1e12,
}


@dataclass(frozen=True)
class Token:
    """A word of the question: lower-cased text, stem, and its place (index, character span)."""

    text: str
    stem: str
    i: int
    start: int
    end: int


def normalise(text: str) -> str:
    """NFC, typographic quotes plain, dotted acronyms closed up ("U.N." -> "UN"), no "'s"."""
    from kg.resolve import plain_quotes

    text = plain_quotes(unicodedata.normalize("NFC", text))
    text = _ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)
    return _POSSESSIVE.sub("", text)


def tokens(text: str) -> list[Token]:
    """The words of ``text`` (see :func:`normalise`), with stems and positions."""
    return list(_tokens(text))


@lru_cache(maxsize=16384)
def _tokens(text: str) -> tuple[Token, ...]:
    # the index's names and texts are taken into words again and again: once is enough
    text = normalise(text)
    return tuple(
        Token(m.group(0).casefold(), stem(m.group(0).casefold()), i, m.start(), m.end())
        for i, m in enumerate(_WORD.finditer(text))
    )


# British spellings made American before stemming ("decarbonisation", "centre")
_SPELLING = (
    (re.compile(r"(?<=[a-z]{3})isation(s?)$"), r"ization\1"),
    (re.compile(r"(?<=[a-z]{3})tre(s?)$"), r"ter\1"),
)


# stems computed at build time for every word of the index (see :func:`stem_table`)
_KNOWN: dict[str, str] = {}


def preload(table: Mapping[str, str]) -> None:
    """Take the stems of ``table`` (word -> stem, from :func:`stem_table`) as known, so that
    only a question's own new words go through the stemmer."""
    _KNOWN.update(table)


def stem_table(texts: Iterable[str]) -> dict[str, str]:
    """Every word of ``texts`` in Latin letters (others are their own stems) with its stem
    from the stemmer, sorted."""
    return stems_of(words_of(texts))


def words_of(texts: Iterable[str]) -> set[str]:
    """The words of ``texts`` as :func:`stem_table` takes them (gathered a part at a time,
    their union gives the same table)."""
    return {t.text for text in texts for t in tokens(text)}


def stems_of(found: Iterable[str]) -> dict[str, str]:
    """:func:`stem_table` of the texts whose words are ``found``."""
    return {w: derive_stem(w) for w in sorted(found) if w.isascii() and w.isalpha()}


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """The Snowball (Porter 2) English stem of a word, British and American spellings alike
    ("centre" as "center"); other scripts and numbers unchanged."""
    w = word.casefold()
    known = _KNOWN.get(w)
    return known if known is not None else derive_stem(w)


def derive_stem(w: str) -> str:
    """The stem of a lower-case word computed by the stemmer (what :func:`stem` is when the
    word is not known)."""
    if not w.isascii() or not w.isalpha():
        return w
    for pattern, american in _SPELLING:
        w = pattern.sub(american, w)
    return _stemmer().stemWord(w)


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def phrase_stems(phrase: str) -> tuple[str, ...]:
    """The stems of a lexicon phrase, as matched against a question."""
    return tuple(t.stem for t in tokens(phrase))


@dataclass(frozen=True)
class Number:
    """A number in the question: its value (multipliers applied), the tokens it spans, and
    whether it reads as a year."""

    value: float
    first: int
    last: int
    year: bool


def numbers(toks: list[Token]) -> list[Number]:
    """Numbers written in ``toks``: "9 billion", "$9B" (as "9", "b"), "60,000", "2029"."""
    out = []
    for k, t in enumerate(toks):
        if not ("0" <= t.text[0] <= "9"):
            continue
        try:
            value = float(t.text.replace(",", ""))
        except ValueError:  # "1.2.3"
            continue
        last = k
        if k + 1 < len(toks) and toks[k + 1].text in MULTIPLIERS:
            value *= MULTIPLIERS[toks[k + 1].text]
            last = k + 1
        year = last == k and len(t.text) == 4 and 1900 <= value <= 2100
        out.append(Number(value, k, last, year))
    return out


def find_phrases(
    toks: list[Token], phrases: dict[tuple[str, ...], list]
) -> list[tuple[int, int, Any]]:
    """Every occurrence of a phrase of ``phrases`` (stems -> payloads) in ``toks``, as
    (first token, last token + 1, payload)."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for key in phrases:
        if key:
            by_first.setdefault(key[0], []).append(key)
    stems = [t.stem for t in toks]
    texts = [t.text for t in toks]
    found = []
    for i in range(len(toks)):
        for key in {*by_first.get(stems[i], []), *by_first.get(texts[i], [])}:
            n = len(key)
            window = stems[i : i + n]
            if len(window) == n and all(
                a == b or texts[i + j] == b
                for j, (a, b) in enumerate(zip(window, key, strict=True))
            ):
                for payload in phrases[key]:
                    found.append((i, i + n, payload))
    return sorted(set(found), key=lambda f: (f[0], f[1], str(f[2])))
