"""The values kg returns: frozen dataclasses with one way to print each and one way to JSON.

>>> c = Citation("a002", 19)
>>> str(c), c.to_json()
('a002:19', 'a002:19')
>>> Amount(currency="USD", value=4e9, value_usd=4e9).text()
'USD 4 billion'
>>> EntityBrief("blackrock", "BlackRock", "Investor").to_json()
{'id': 'blackrock', 'label': 'BlackRock', 'kind': 'Investor'}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields


@dataclass(frozen=True, order=True)
class Citation:
    """An article and a paragraph of it (paragraph N = the Nth non-blank line of the file)."""

    source: str
    paragraph: int

    def __str__(self) -> str:
        return f"{self.source}:{self.paragraph}"

    def to_json(self) -> str:
        return str(self)

    @classmethod
    def parse(cls, code: str) -> Citation:
        """``"a002:19"`` as a Citation."""
        source, _, para = code.partition(":")
        return cls(source, int(para))


def cite_codes(text: str | None) -> list[str]:
    """The well-formed ``source:paragraph`` codes of a space-separated text, sorted by article
    and paragraph; anything else is left out (an engine may concatenate the unbound values of an
    unmatched OPTIONAL to a bare ":").

    >>> cite_codes("a002:19 a000:9 : a002:3")
    ['a000:9', 'a002:3', 'a002:19']
    """
    found = {c for c in str(text or "").split() if _CODE.fullmatch(c)}
    return sorted(found, key=lambda c: (c.split(":")[0], int(c.split(":")[1])))


_CODE = re.compile(r"[^:\s]+:\d+")


def cite_list(cites) -> list[str]:
    """Citations as sorted, distinct ``source:paragraph`` strings."""
    return [str(c) for c in sorted(set(cites))]


@dataclass(frozen=True)
class Amount:
    """Money: a value or bounds in its own currency, the USD value with the rate and its day,
    the article's own USD figure and its wording of an imprecise figure."""

    currency: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    value_usd: float | None = None
    low_usd: float | None = None
    high_usd: float | None = None
    usd_rate: float | None = None
    usd_rate_date: str | None = None
    stated_usd: float | None = None
    approximation: str | None = None

    @classmethod
    def from_values(cls, v: dict) -> Amount:
        """The amount held by a monetary-amount node, from its literals by kg predicate name
        (``value``, ``minValue``, ``valueUsd``, ``usdRateDate`` ...)."""
        return cls(
            currency=str(v.get("currency")),
            value=v.get("value"),
            low=v.get("minValue"),
            high=v.get("maxValue"),
            value_usd=v.get("valueUsd"),
            low_usd=v.get("minValueUsd"),
            high_usd=v.get("maxValueUsd"),
            usd_rate=v.get("usdRate"),
            usd_rate_date=str(v["usdRateDate"]) if v.get("usdRateDate") else None,
            stated_usd=v.get("statedValueUsd"),
            approximation=v.get("approximation"),
        )

    @property
    def usd(self) -> float | None:
        """The USD value, or the lower bound of a range (what a comparison can rely on)."""
        return self.value_usd if self.value_usd is not None else self.low_usd

    def text(self) -> str:
        """The amount for people: ``USD 4 billion``, ``KRW 2 trillion to 10 trillion ...``."""
        from kg.money import money_text

        return money_text(
            {
                "currency": self.currency,
                "amount": self.value,
                "min": self.low,
                "max": self.high,
                "approximation": self.approximation,
                "stated_usd": self.stated_usd,
                "amount_usd": self.value_usd,
                "min_usd": self.low_usd,
                "max_usd": self.high_usd,
                "usd_rate_date": self.usd_rate_date,
            }
        )

    def __str__(self) -> str:
        return self.text()

    def to_json(self) -> dict:
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }


@dataclass(frozen=True)
class EntityBrief:
    """An entity as lists show it: id, label and the class shown for it."""

    id: str
    label: str
    kind: str | None

    def __str__(self) -> str:
        return self.label

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "kind": self.kind}


@dataclass(frozen=True)
class Item:
    """One answer: an entity or a value, what it is, a detail line, and its citations."""

    label: str
    id: str | None = None
    kind: str | None = None
    detail: str | None = None
    amount: Amount | None = None
    value: str | float | int | bool | None = None
    citations: tuple[Citation, ...] = ()

    def to_json(self) -> dict:
        out: dict = {"label": self.label, "id": self.id, "kind": self.kind}
        if self.detail:
            out["detail"] = self.detail
        if self.amount is not None:
            out["amount"] = self.amount.value if self.amount.value is not None else self.amount.low
            out["currency"] = self.amount.currency
            out["amount_usd"] = self.amount.usd
            out["money"] = self.amount.to_json()
        if self.value is not None:
            out["value"] = self.value
        out["sources"] = cite_list(self.citations)
        return out


@dataclass(frozen=True)
class Source:
    """An article behind an answer, with the paragraphs used."""

    id: str
    title: str
    publisher: str
    paragraphs: tuple[int, ...]

    def to_json(self) -> dict:
        return {
            "source": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "paragraphs": list(self.paragraphs),
        }


def sources_of(details) -> tuple[Source, ...]:
    """Per-paragraph details (``{"source", "paragraph", "title", "publisher"}``) as one Source
    per article, in order of first appearance."""
    by_id: dict[str, tuple[dict, list[int]]] = {}
    for d in details:
        by_id.setdefault(d["source"], (d, []))[1].append(d["paragraph"])
    return tuple(
        Source(sid, d["title"], d["publisher"], tuple(paras)) for sid, (d, paras) in by_id.items()
    )


@dataclass(frozen=True)
class Answer:
    """An answered question: the reading chosen (in words and SPARQL), the answers with their
    citations, a yes/no or a total where the question asked for one, and the runners-up."""

    question: str
    headline: str
    reading: str
    shape: str
    items: tuple[Item, ...]
    entities: tuple[EntityBrief, ...]
    sources: tuple[Source, ...]
    confidence: float
    sparql: str | None = None
    boolean: bool | None = None
    total: Amount | None = None
    count: int | None = None
    corrections: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = field(default=())
    score: float = 0.0

    def to_json(self) -> dict:
        out: dict = {
            "question": self.question,
            "headline": self.headline,
            "reading": self.reading,
            "shape": self.shape,
            "confidence": round(self.confidence, 3),
            "entities": [e.to_json() for e in self.entities],
            "answers": [i.to_json() for i in self.items],
            "sources": [s.to_json() for s in self.sources],
            "sparql": self.sparql,
        }
        if self.boolean is not None:
            out["boolean"] = self.boolean
        if self.total is not None:
            out["total_usd"] = self.total.value_usd
            out["total"] = self.total.to_json()
        if self.count is not None:
            out["count"] = self.count
        if self.corrections:
            out["corrections"] = list(self.corrections)
        if self.alternatives:
            out["alternatives"] = list(self.alternatives)
        return out
