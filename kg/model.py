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
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, is_dataclass


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


# ----------------------------------------------------------------------------- lookups
# What kg.lookup returns. Field names are the JSON keys and CSV columns (kg.model.to_data and
# kg.model.csv_rows make both from the fields; nothing else writes them).

Cites = tuple[Citation, ...]


def citations(codes) -> Cites:
    """``source:paragraph`` codes (a space-separated text or an iterable) as sorted Citations.

    >>> [str(c) for c in citations("a002:19 a000:9 :")]
    ['a000:9', 'a002:19']
    """
    text = codes if isinstance(codes, str) or codes is None else " ".join(map(str, codes))
    return tuple(Citation.parse(c) for c in cite_codes(text))


@dataclass(frozen=True)
class Value:
    """The object of a fact when it is not an entity: a literal, a status, an amount's text."""

    value: str | int | float | bool | None


@dataclass(frozen=True)
class Cited:
    """A citation with its article's title and publisher, and the paragraph quoted when the
    article files were given (``kg why --articles DIR``)."""

    source: str
    paragraph: int
    title: str | None
    publisher: str | None
    text: str | None = None


@dataclass(frozen=True)
class Ranked:
    """An entity ranked by a centrality measure (``kg central``): rank, who, class, score."""

    rank: int
    id: str
    label: str
    kind: str
    score: float


@dataclass(frozen=True)
class Community:
    """A group of entities more linked to each other than to the rest (``kg communities``),
    named after its best-connected member (``hub``); members best-connected first."""

    number: int
    size: int
    hub: EntityBrief
    members: tuple[EntityBrief, ...]


@dataclass(frozen=True)
class Listed:
    """An entity in a lookup's list, with the citations that put it there."""

    id: str
    label: str
    kind: str | None
    sources: Cites = ()


@dataclass(frozen=True)
class Member:
    """A member of an organisation: a person's post, a member organisation or a part."""

    id: str
    label: str
    kind: str | None
    relation: str
    title: str | None
    former: bool
    sources: Cites = ()


@dataclass(frozen=True)
class Role:
    """A position or membership: who, where, the title and whether it is a former one."""

    member: EntityBrief
    organization: EntityBrief
    title: str | None
    former: bool
    relation: str
    sources: Cites = ()


@dataclass(frozen=True)
class Signer:
    """A signatory, party or witness of an agreement."""

    id: str
    label: str
    kind: str | None
    role: str
    agreement: EntityBrief
    sources: Cites = ()


@dataclass(frozen=True)
class Related:
    """An entity linked by a named relation (an owner, a place, a project), and to what."""

    id: str
    label: str
    kind: str | None
    relation: str
    of: EntityBrief
    sources: Cites = ()


@dataclass(frozen=True)
class Dated:
    """A date of an entity: the date as written, what it dates, how it was read."""

    date: str
    relation: str
    note: str | None
    sources: Cites = ()


@dataclass(frozen=True)
class ArticleUse:
    """An article that supports facts about an entity, with the paragraphs."""

    id: str
    title: str
    publisher: str
    paragraphs: tuple[int, ...]


@dataclass(frozen=True)
class Article:
    """A source article: metadata, its file, how many paragraphs and claims cite it."""

    id: str
    title: str
    publisher: str
    author: str | None
    published: str | None
    not_before: str | None
    file: str
    paragraphs: int
    claims: int


@dataclass(frozen=True)
class Estimate:
    """Someone's estimate of an undisclosed amount."""

    amount: Amount
    scope: str | None
    by: EntityBrief | None
    sources: Cites = ()


@dataclass(frozen=True)
class Commitment:
    """An investment commitment: investors, amount, where the money goes, status and dates.

    ``part_of`` names the package a part belongs to: a package's amount already holds its
    parts, so a total adds only the commitments with no ``part_of`` (:func:`top_level`).
    """

    id: str
    label: str
    kind: str | None
    investors: tuple[EntityBrief, ...]
    targets: tuple[EntityBrief, ...]
    recipients: tuple[EntityBrief, ...]
    status: str | None
    amount: Amount | None
    undisclosed: bool
    horizon_years: int | None
    horizon_end: str | None
    announced: str | None
    part_of: EntityBrief | None
    sources: Cites = ()
    estimates: tuple[Estimate, ...] = ()

    @property
    def usd(self) -> float | None:
        """The USD value, or the lower bound of a range (what ``--min-usd`` compares)."""
        return self.amount.usd if self.amount is not None else None

    def amount_text(self) -> str:
        """The amount for people (``undisclosed`` or ``no amount given`` when there is none)."""
        if self.amount is None:
            return "undisclosed" if self.undisclosed else "no amount given"
        return self.amount.text()


def top_level(items: Iterable[Commitment]) -> list[Commitment]:
    """The commitments that are part of no other: summing their USD counts each dollar once."""
    return [c for c in items if c.part_of is None]


@dataclass(frozen=True)
class Held:
    """The unnamed node a fact hangs from (an amount, an estimate): via what, its value."""

    predicate: str
    relation: str
    value: str


@dataclass(frozen=True)
class Fact:
    """A fact for people: subject, relation, object (an entity or a value) and its sources."""

    subject: EntityBrief
    predicate: str
    relation: str
    object: EntityBrief | Value
    sources: Cites = ()
    held: Held | None = None
    cited: tuple[Cited, ...] = ()


@dataclass(frozen=True)
class Relation:
    """A relation on an entity's card, pointing out of it or into it."""

    direction: str
    subject: EntityBrief
    predicate: str
    relation: str
    object: EntityBrief | Value
    sources: Cites = ()


@dataclass(frozen=True)
class Attribute:
    """A value of an entity (``founded``, ``figure`` ...) with its sources."""

    attribute: str
    value: str | int | float | bool | None
    sources: Cites = ()


@dataclass(frozen=True)
class Said:
    """What someone said, in the curator's words."""

    summary: str
    sources: Cites = ()


@dataclass(frozen=True)
class Listing:
    """A lookup's answer: the entity asked about and what it found (``kg attendees``,
    ``kg members`` ...); ``what`` names the items (``attendees``, ``members``)."""

    entity: EntityBrief
    what: str
    items: tuple = ()


@dataclass(frozen=True)
class EntityCard:
    """Everything about one entity, each fact with its sources, and the articles behind it."""

    id: str
    label: str
    kind: str | None
    iri: str
    types: tuple[str, ...]
    label_ko: str | None
    aliases: tuple[str, ...]
    description: str | None
    attributes: tuple[Attribute, ...]
    roles: tuple[Role, ...]
    members: tuple[Member, ...]
    relations: tuple[Relation, ...]
    commitments: tuple[Commitment, ...]
    events: tuple[Listed, ...]
    statements: tuple[Said, ...]
    sources: tuple[Cited, ...]


# ----------------------------------------------------------------------------- plain data


def to_data(value):
    """A result as JSON-ready data, made from its fields: a dataclass becomes an object (a
    Listing's items are keyed by its ``what``), tuples lists, citations their codes.

    >>> to_data(Listed("gip", "Global Infrastructure Partners", "Investor",
    ...                (Citation("a001", 5),)))["sources"]
    ['a001:5']
    """
    if isinstance(value, Listing):
        return {"entity": to_data(value.entity), value.what: to_data(value.items)}
    if isinstance(value, (Citation, Amount, EntityBrief, Answer)):
        return value.to_json()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {k: to_data(v) for k, v in value.items()}
    return value


def columns_of(kind) -> list[str]:
    """The CSV columns of a result class (or result): its fields, an ``amount`` spread over
    one column per field of :class:`Amount` (``amount_value_usd`` ...)."""
    out = []
    for f in fields(kind):
        if f.name == "amount":
            out += [f"amount_{a.name}" for a in fields(Amount)]
        elif f.name not in _NOT_IN_CSV:
            out.append(f.name)
    return out


_NOT_IN_CSV = {"estimates", "cited", "held"}  # nested lists: in JSON only


def csv_row(item) -> list:
    """A result's CSV cells in :func:`columns_of` order: an entity as its id, lists joined."""
    row: list = []
    for f in fields(item):
        value = getattr(item, f.name)
        if f.name == "amount":
            row += [getattr(value, a.name) if value else None for a in fields(Amount)]
        elif f.name not in _NOT_IN_CSV:
            row.append(_cell(value))
    return row


def _cell(value):
    if isinstance(value, EntityBrief):
        return value.id
    if isinstance(value, Value):
        return value.value
    if isinstance(value, tuple):
        return " ".join(str(_cell(v)) for v in value)
    return value
