"""Graded text retrieval: how much of a question a curator's free text covers.

Each content word the question asks about weighs its inverse document frequency over all
curated texts (BM25's IDF, computed at build time and kept in the question index), so a rare
word ("decarbonisation") counts more than a common one ("korea"). A text covers a word when
one of its words is the same word or stem, a derivation of it (one stem begins the other and
adds at most :data:`DERIVED_EXTRA` letters: "korea"/"korean"), or in one synonym group of the
lexicon with it (``kg:synonymForm`` in ``ontology/lexicon.ttl``: "power"/"run"/"fuel").

>>> from kg.question.words import tokens
>>> m = Matcher.build({"texts": 2, "idf": {"korea": 0.2, "decarbon": 1.3}}, {})
>>> m.covers(tokens("korea")[0], text_words("Korean firms"))
0.9
>>> round(m.coverage(tokens("korea decarbonisation"), text_words("Korea's plan"), {})[0], 3)
0.133
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from kg.question.evidence import TEXT_PREDS, text_words
from kg.question.words import Token, phrase_stems

IDF_KEY = "text_idf"  # the key of the IDF table in the question index's JSON
SYNONYM = "synonym"  # the lexicon kind of kg:synonymForm (kg/queries/lexicon.rq)
DERIVED_EXTRA = 3  # at most this many letters added by a derivation ("korea" -> "korean")
DERIVED_MIN = 5  # stems shorter than this derive nothing ("plan" is no stem of "plant")
DERIVED = 0.9  # a derivation or a synonym covers a word at this fraction of its weight
SYNONYMOUS = 0.9


def idf_table(texts: Iterable[str]) -> dict:
    """The IDF of every stem of ``texts`` (rounded, so the index is byte-for-byte stable)."""
    docs = [frozenset(w for w in text_words(t)) for t in texts]
    df: Counter[str] = Counter(w for d in docs for w in d)
    n = len(docs)
    return {
        "texts": n,
        "idf": {w: _idf(n, k) for w, k in sorted(df.items())},
    }


def texts_of_facts(facts: list) -> list[str]:
    """The curated free texts among the index's JSON facts."""
    return [o[1] for _s, p, o, _c in facts if p in TEXT_PREDS and o[0] == "l"]


def _idf(n: int, df: int) -> float:
    return round(math.log(1 + (n - df + 0.5) / (df + 0.5)), 4)


@dataclass(frozen=True)
class Matcher:
    """Word weights and the ways a text's words cover a question's word (see module doc)."""

    idf: dict[str, float]
    unseen: float  # the weight of a word no text holds
    synonyms: dict[str, frozenset[str]]

    @classmethod
    def build(cls, table: dict, lexicon: dict[str, dict[str, list[str]]]) -> Matcher:
        """A matcher from the index's IDF table and the lexicon's synonym groups."""
        synonyms: dict[str, set[str]] = {}
        for kinds in lexicon.values():
            group = {s for form in kinds.get(SYNONYM, ()) for s in phrase_stems(form)}
            for s in group:
                synonyms.setdefault(s, set()).update(group - {s})
        n = int(table.get("texts", 0))
        return cls(
            dict(table.get("idf", {})),
            _idf(n, 0) if n else 1.0,
            {s: frozenset(g) for s, g in synonyms.items()},
        )

    def weight(self, tok: Token) -> float:
        """A question word's weight: the IDF of its stem (or of the word)."""
        return self.idf.get(tok.stem) or self.idf.get(tok.text) or self.unseen

    def covers(self, tok: Token, words: frozenset[str]) -> float:
        """How fully a text's words cover one question word: 1, 0.9 (derived, synonym) or 0."""
        if tok.stem in words or tok.text in words:
            return 1.0
        if self.synonyms.get(tok.stem, frozenset()) & words:
            return SYNONYMOUS
        if len(tok.stem) >= DERIVED_MIN and any(_derived(tok.stem, w) for w in words):
            return DERIVED
        return 0.0

    def coverage(
        self, asked: list[Token], words: frozenset[str], lexical: dict[int, float]
    ) -> tuple[float, set[int]]:
        """The IDF-weighted share of ``asked`` a text covers (a word in ``lexical`` counts as
        covered at its fraction there: a lexicon word naming the text's predicate or class, a
        name reaching the text's node), and the words the text itself holds (a lexicon word it
        also holds among them: "firm" in "equity firm")."""
        total = covered = 0.0
        matched: set[int] = set()
        for t in asked:
            w = self.weight(t)
            total += w
            part = self.covers(t, words)
            if part:
                matched.add(t.i)
            covered += w * max(part, lexical.get(t.i, 0.0))
        return (covered / total if total else 0.0), matched


def _derived(a: str, b: str) -> bool:
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return (
        len(short) >= DERIVED_MIN
        and long.startswith(short)
        and 0 < len(long) - len(short) <= DERIVED_EXTRA
    )
