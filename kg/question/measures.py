"""Measured attributes: a figure that measures a named thing (a statistic and its amount, a
project's quantity) and the question words that name it.

"How much in assets does BlackRock manage", "how many jobs will the plant create", "what
capacity by 2029": the words that say what is measured are literals of the value or of the
statistic holding it (``measureName``, ``quantityKind``, ``unit``, ``qualifier``), the year is
its ``period`` or ``targetYear``, and a lexicon word may name one of those properties ("goal"
for a qualifier, "next year" for a period). A reading whose answers are such values:

- explains those words and keeps the values matching most of them (a year given must match);
- when a word names the measure (not only a year or a qualifier), the measure ties the value to
  the name the reading starts from: no step on the way needs a word of its own;
- a relative year ("this year", "next year": the lexicon's word groups ``ThisYearWords``,
  ``NextYearWords``, ``LastYearWords``) is the year of the article citing the value, moved by
  the group's offset.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.model import Citation
from kg.question.index import Index
from kg.question.readings import Key
from kg.question.words import STOPWORDS, Token, find_phrases, numbers, phrase_stems, tokens

# literals that say what a value measures, and those that qualify it
MEASURE_PREDS = frozenset({"measureName", "quantityKind", "unit"})
QUALIFY_PREDS = frozenset({"qualifier", "period", "targetYear", "report", "scope"})
YEAR_PREDS = frozenset({"period", "targetYear"})
RELATIVE = {"LastYearWords": -1, "ThisYearWords": 0, "NextYearWords": 1}


@dataclass(frozen=True)
class Measured:
    """What the measure words did to a reading: the answers kept, the words they explain and
    whether a word named the measure (it vouches for the reading's steps)."""

    answers: dict[Key, set[Citation]]
    words: frozenset[int]
    vouches: bool


class Measures:
    """The measured values of an index and their words."""

    def __init__(self, index: Index):
        self.index = index
        self.relative = {
            phrase_stems(f): [offset]
            for group, offset in RELATIVE.items()
            for f in index.lexicon.get(group, {}).get("word", ())
        }
        self._words: dict[str, tuple[dict[str, set[str]], set[str]]] = {}
        # every word naming a measure of some value of the graph ("jobs", "gpus", "assets"),
        # but no word of a name ("ai", "investment") nor a unit's letters ("m2")
        self.vocabulary: set[str] = set()
        in_names: set[str] = set()
        for node in index.nodes.values():
            if node.named:
                in_names |= {w for t in tokens(node.label) for w in (t.text, t.stem)}
            if node.is_a("Quantity", "Statistic"):
                by_pred, _ = self.words(node.id)
                for pred in MEASURE_PREDS & set(by_pred):
                    self.vocabulary |= {w for w in by_pred[pred] if len(w) > 2 and w.isalpha()}
        self.vocabulary -= in_names

    def holder(self, key: Key) -> str | None:
        """The node whose literals describe a measured value: a quantity itself, the statistic
        holding an amount, a statistic; None for anything else."""
        if not isinstance(key, str) or key not in self.index.nodes:
            return None
        node = self.index.nodes[key]
        if node.is_a("Quantity", "Statistic"):
            return key
        if node.is_a("MonetaryAmount"):
            for e in self.index.inn.get(key, []):
                owner = self.index.nodes.get(str(e.other))
                if e.pred == "amount" and owner is not None and owner.is_a("Statistic"):
                    return owner.id
        return None

    def words(self, holder: str) -> tuple[dict[str, set[str]], set[str]]:
        """The words of each literal predicate of a holder, and its years."""
        found = self._words.get(holder)
        if found is None:
            by_pred: dict[str, set[str]] = {}
            years: set[str] = set()
            for e in self.index.out.get(holder, []):
                if e.literal and e.pred in MEASURE_PREDS | QUALIFY_PREDS:
                    toks = tokens(str(e.other))
                    by_pred.setdefault(e.pred, set()).update(
                        w for t in toks for w in (t.text, t.stem) if w not in STOPWORDS
                    )
                    if e.pred in YEAR_PREDS:
                        years.add(str(e.other)[:4])
            found = self._words[holder] = (by_pred, years)
        return found

    def ties(self, holder: str) -> set[str]:
        """The nodes a holder points to (a statistic's subject and publisher), and for a
        quantity those the thing it measures points to (a project's partners and site)."""
        owners = [holder] + [
            str(e.other) for e in self.index.inn.get(holder, []) if e.pred == "measure"
        ]
        return {str(e.other) for o in owners for e in self.index.out.get(o, []) if not e.literal}

    def article_year(self, cites: Iterable[Citation]) -> set[int]:
        """The years of publication of the articles citing a value (or the earliest possible)."""
        out = set()
        for c in cites:
            meta = self.index.articles.get(c.source, {})
            day = meta.get("issued") or meta.get("notBefore")
            if day:
                out.add(int(str(day)[:4]))
        return out

    def read(
        self,
        toks: list[Token],
        hits: Iterable,
        content: set[int],
        answers: dict[Key, set[Citation]],
        in_names: set[int],
        anchors: Iterable[str] = (),
        names: Iterable[tuple[str, range]] = (),
    ) -> Measured | None:
        """The measure words of a reading whose answers are all measured values; None when an
        answer is not one, or when no word of the question names anything of theirs. A word
        matching a value's literals counts before a lexicon word naming one of its properties
        ("ultimate capacity": the ultimate one, though "ultimate" is also a qualifier's word);
        a statistic the reading starts from is named by its own name ("the AI budget").
        ``in_names``: the words of the reading's anchors and of the names the question gives
        for sure, which name no measure. ``names``: the names of the question (node, words): a
        name the value's holder points to (the statistic's subject or publisher: "in the
        Stanford index") qualifies it as its literals do.
        """
        starts = set(anchors)
        others = [(node, span) for node, span in names if node not in starts]
        holders = {key: self.holder(key) for key in answers}
        if not answers or None in holders.values():
            return None
        free = [t for t in toks if t.i in content and t.i not in in_names]
        # the measures the question names: a value measuring none of them is not asked for
        asked = {t.i for t in free if t.text in self.vocabulary or t.stem in self.vocabulary}
        props = [h for h in hits if h.kind == "prop" and not any(k in in_names for k in h.span)]
        years = {
            (n.first, str(int(n.value)))
            for n in numbers(toks)
            if n.year and n.first not in in_names
        }
        relative = [
            (first, last, offset)
            for first, last, offset in find_phrases(toks, self.relative)
            if not any(k in in_names for k in range(first, last))
        ]
        scored: dict[Key, tuple[tuple[int, int], set[int], bool]] = {}
        for key, cites in answers.items():
            by_pred, have = self.words(holders[key])  # type: ignore[arg-type]
            named: set[int] = set()
            said: set[int] = set()
            for t in free:
                for pred, words in by_pred.items():
                    if t.text in words or t.stem in words:
                        (named if pred in MEASURE_PREDS else said).add(t.i)
            tied = self.ties(holders[key])  # type: ignore[arg-type]
            for node, span in others:
                if node in tied:
                    said.update(span)
            matched = len(named | said)
            for h in props:  # a word naming a qualifying property: "goal", "next year"
                if h.term in by_pred and h.term in QUALIFY_PREDS:
                    said.update(h.span)
            # a year given must be the value's; a relative one, counted from its article
            ok = True
            for first, year in years:
                if year in have:
                    said.add(first)
                else:
                    ok = False
            published = self.article_year(cites)
            for first, last, offset in relative:
                if any(str(y + offset) in have for y in published):
                    said.update(range(first, last))
                else:
                    ok = False
            # a word must name the measure (or the reading start from the statistic itself):
            # years, qualifiers and names alone do not tell which figure is asked for
            if asked - named:
                ok = False
            if ok and (named or holders[key] in starts):
                scored[key] = ((matched, len(named | said)), named | said, True)
        if not scored:  # every value measures another thing than the one asked for
            return Measured({}, frozenset(), False) if asked else None
        best = max(rank for rank, _, _ in scored.values())
        kept = {k: v for k, v in answers.items() if k in scored and scored[k][0] == best}
        told: set[int] = set()
        for k in kept:
            told |= scored[k][1]
        return Measured(kept, frozenset(told), all(scored[k][2] for k in kept))
