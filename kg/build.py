"""Turn seed records into an RDF dataset: one named graph per claim, provenance in PROV-O.

Each record's own triples (type, label, and every value that shares the record's citations) form
the claim graph ``id:claim/<record>``; a value with citations of its own gets a graph of its own
(``id:claim/<record>/<field>[/<n>]``). The graph ``id:graph/provenance`` describes every claim:
the articles and paragraphs it derives from, the seed file and line it was curated at, and the
claims it conflicts with. The ontology rides along as the graph ``<.../ontology>``.

>>> built = build()                     # the curated seeds that ship with kg
>>> built.stats["claims"] > 100
True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, XSD, Dataset, Graph, Literal, URIRef

from kg.money import rate_source, to_usd, usd_rate
from kg.paths import default_seeds, ontology_files
from kg.quadset import QuadSet
from kg.schema import KINDS
from kg.schema import STATUS_TERMS as SCHEMA_STATUS_TERMS
from kg.seeds import Cite, Date, Loc, Record, Seeds, Value, load_seeds
from kg.vocab import (
    DCT,
    KG,
    ONTOLOGY_GRAPH,
    PROV,
    PROVENANCE_GRAPH,
    SKOS,
    bind_prefixes,
    claim_iri,
    entity_iri,
    source_iri,
)


def _term(name: str) -> URIRef:
    """A predicate named in the record schema (``attendee``, ``skos:prefLabel``) as an IRI."""
    prefix, _, local = name.rpartition(":")
    return SKOS[local] if prefix == "skos" else KG[local]


# field name -> predicate, per record kind, from the record schema (kg.schema); fields without
# one are handled specially
PREDICATES: dict[str, dict[str, URIRef]] = {
    kind: {name: _term(spec.predicate) for name, spec in specs.items() if spec.predicate}
    for kind, (_base, specs) in KINDS.items()
}
STATUS_TERMS = {value: KG[term] for value, term in SCHEMA_STATUS_TERMS.items()}
DATE_TYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}
CURATOR_BASIS = "curator knowledge, not stated in the articles"


@dataclass
class Built:
    """The dataset and what a report about it needs."""

    dataset: Dataset | QuadSet
    seeds: Seeds
    locations: dict[URIRef, Loc] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    stats: Counter = field(default_factory=Counter)


def decimal_literal(value) -> Literal:
    """An xsd:decimal in canonical lexical form (``9000000000.0``), so every format round-trips.

    >>> str(decimal_literal(9_000_000_000)), str(decimal_literal("0.00071800"))
    ('9000000000.0', '0.000718')
    """
    text = format(Decimal(str(value)), "f")
    if "." in text:
        text = text.rstrip("0")
    text = text + "0" if text.endswith(".") else text if "." in text else text + ".0"
    return Literal(text, datatype=XSD.decimal)


def date_literal(date: Date) -> Literal:
    """A date typed by its precision: xsd:date, xsd:gYearMonth or xsd:gYear."""
    return Literal(date.text, datatype=DATE_TYPES[date.precision])


def build(seeds_dir: Path | str | None = None) -> Built:
    """Read, check and convert a seeds folder (default: the curated seeds) into a dataset."""
    seeds = load_seeds(seeds_dir or default_seeds())
    return build_from_seeds(seeds)


def build_dataset(seeds_dir: Path | str | None = None) -> Dataset:
    """Only the dataset of :func:`build`."""
    dataset = build(seeds_dir).dataset
    assert isinstance(dataset, Dataset)  # build() makes an rdflib Dataset
    return dataset


def build_from_seeds(seeds: Seeds, compact: bool = False) -> Built:
    """Convert already-read seeds into a dataset: an rdflib Dataset, or with ``compact`` the
    :class:`kg.quadset.QuadSet` ``kg build`` uses (the same quads in a fraction of the memory)."""
    ds: Dataset | QuadSet
    if compact:
        ds = QuadSet()
    else:
        ds = Dataset(default_union=True)
        bind_prefixes(ds)
    built = Built(ds, seeds)
    onto = ds.graph(ONTOLOGY_GRAPH)
    for path in ontology_files():
        onto += Graph().parse(path, format="turtle")
    prov = ds.graph(PROVENANCE_GRAPH)
    for source in seeds.sources.values():
        _add_source(prov, source.id, source.fields)
        built.locations[source_iri(source.id)] = source.loc
    for record in seeds.records.values():
        _Converter(built, record).run()
    # quads in every graph (what kg push sends and SELECT (COUNT(*) ...) counts over the union),
    # and the part of them that is facts and provenance (all but the ontology's)
    built.stats["quads"] = sum(len(g) for g in ds.graphs())
    built.stats["triples"] = built.stats["quads"] - len(onto)
    built.stats["graphs"] = sum(1 for g in ds.graphs() if len(g))
    built.stats["claims"] = len(set(prov.subjects(RDF.type, KG.Claim)))
    if isinstance(ds, QuadSet):
        ds.done()
    return built


def _add_source(prov: Graph, sid: str, f: dict) -> None:
    s = source_iri(sid)
    prov.add((s, RDF.type, KG.NewsArticle))
    prov.add((s, DCT.identifier, Literal(sid)))
    prov.add((s, DCT.title, Literal(f["title"], lang="en")))
    prov.add((s, DCT.publisher, Literal(f["outlet"])))
    if f.get("outlet_cites") == []:
        prov.add((s, KG.outletBasis, Literal(CURATOR_BASIS, lang="en")))
    for cite in f.get("outlet_cites") or ():
        prov.add((s, KG.outletParagraph, Literal(cite.para)))
    if f.get("outlet_note"):
        prov.add((s, KG.outletNote, Literal(f["outlet_note"], lang="en")))
    prov.add((s, KG.file, Literal(f["file"])))
    prov.add((s, KG.paragraphCount, Literal(f["paragraphs"])))
    if f.get("title_supplied"):
        prov.add((s, KG.titleSupplied, Literal(True)))
    if f.get("author"):
        prov.add((s, DCT.creator, Literal(f["author"])))
    if f.get("published"):
        prov.add((s, DCT.issued, date_literal(f["published"])))
    if f.get("not_before"):
        prov.add((s, KG.notBefore, date_literal(f["not_before"])))
    if f.get("published_note"):
        prov.add((s, KG.dateNote, Literal(f["published_note"], lang="en")))
    if f.get("note"):
        prov.add((s, KG.note, Literal(f["note"], lang="en")))


class _Converter:
    """Writes one record's claims into the dataset."""

    def __init__(self, built: Built, record: Record):
        self.built = built
        self.record = record
        self.subject = entity_iri(record.id)
        self.predicates = PREDICATES[record.kind]
        self.specs = KINDS[record.kind][1]

    def run(self) -> None:
        r = self.record
        main = self._claim(r.id, r.cites, r.loc, r.fields.get("note"))
        self.built.locations[self.subject] = r.loc
        for t in r.types:
            main.add((self.subject, RDF.type, KG[t]))
        self.built.stats[f"kind:{r.kind}"] += 1
        if r.kind == "memberships":
            main.add((self.subject, SKOS.prefLabel, Literal(self._membership_label(), lang="en")))
            if r.one("former"):
                main.add((self.subject, KG.status, KG.Former))
        elif r.kind == "statements":
            label = f"statement by {self._label_of(r.one('speaker'))}"
            main.add((self.subject, SKOS.prefLabel, Literal(label, lang="en")))
        for other in r.fields.get("conflicts_with", []):
            prov = self.built.dataset.graph(PROVENANCE_GRAPH)
            prov.add((claim_iri(r.id), KG.conflictsWith, claim_iri(other.value)))
            prov.add((claim_iri(other.value), KG.conflictsWith, claim_iri(r.id)))
        for name, values in r.fields.items():
            if name in ("note", "conflicts_with", "former"):
                continue
            if name == "label_ko":
                ko = self._claim(f"{r.id}/label_ko", [], values[0].loc, None)
                ko.add((self.subject, SKOS.prefLabel, Literal(values[0].value, lang="ko")))
                continue
            many = len(values) > 1
            for n, value in enumerate(values, 1):
                graph = main
                if value.cites is not None:
                    cid = f"{r.id}/{name}/{n}" if many else f"{r.id}/{name}"
                    notes = [value] if value.note else None
                    graph = self._claim(cid, value.cites, value.loc, notes)
                self._add_value(graph, name, n, value)

    def _label_of(self, rid: str) -> str:
        other = self.built.seeds.records.get(rid)
        return (other.label if other else None) or rid

    def _membership_label(self) -> str:
        r = self.record
        member, org = self._label_of(r.one("member")), self._label_of(r.one("organization"))
        title = r.one("title")
        former = "former " if r.one("former") else ""
        return f"{member}: {former}{title} of {org}" if title else f"{member}: member of {org}"

    def _claim(self, cid: str, cites: list[Cite], loc: Loc, notes: list[Value] | None) -> Graph:
        ds = self.built.dataset
        iri = claim_iri(cid)
        prov = ds.graph(PROVENANCE_GRAPH)
        prov.add((iri, RDF.type, KG.Claim))
        prov.add((iri, KG.seedFile, Literal(self.built.seeds.stable_loc(loc))))
        self.built.locations[iri] = loc
        if not cites:
            prov.add((iri, KG.basis, Literal(CURATOR_BASIS, lang="en")))
        for cite in cites:
            src = source_iri(cite.source)
            node = URIRef(f"{iri}/cite/{cite.source}-{cite.para}")
            prov.add((iri, PROV.wasDerivedFrom, src))
            prov.add((iri, KG.citation, node))
            prov.add((node, RDF.type, KG.Citation))
            prov.add((node, PROV.entity, src))
            prov.add((node, KG.paragraph, Literal(cite.para)))
            self.built.stats[f"source:{cite.source}"] += 1
        for note in notes or []:
            prov.add((iri, KG.note, Literal(note.note if note.note else note.value, lang="en")))
        return ds.graph(iri)

    def _add_value(self, graph: Graph, name: str, n: int, value: Value) -> None:
        r, pred = self.record, self.predicates.get(name)
        v = value.value
        if pred is None:
            raise AssertionError(f"no predicate for {r.kind}.{name}")
        if name == "status":
            graph.add((self.subject, pred, STATUS_TERMS[v]))
        elif isinstance(v, Date):
            graph.add((self.subject, pred, date_literal(v)))
        elif name in ("amount", "estimates", "value"):
            node = URIRef(f"{self.subject}/{name}" + (f"/{n}" if name == "estimates" else ""))
            graph.add((self.subject, pred, node))
            self._money(graph, node, v, value.loc)
        elif name == "measures":
            node = URIRef(f"{self.subject}/measure/{n}")
            graph.add((self.subject, pred, node))
            self._measure(graph, node, v, value.loc)
        elif isinstance(v, (bool, int)):
            graph.add((self.subject, pred, Literal(v)))
        elif self._is_ref(name):
            graph.add((self.subject, pred, entity_iri(v)))
        else:
            graph.add((self.subject, pred, Literal(v, lang=self.specs[name].lang)))

    def _is_ref(self, name: str) -> bool:
        return self.specs[name].type == "ref"

    def _rate_day(self, money: dict):
        if "rate_date" in money:
            return money["rate_date"].as_date()
        for name in ("announced", "date", "period"):
            d = self.record.one(name)
            if d is not None and d.precision == "day":
                return d.as_date()
        for cite in self.record.cites:
            src = self.built.seeds.sources.get(cite.source)
            day = src and (src.fields.get("published") or src.fields.get("not_before"))
            if day:
                return day.as_date()
        return None

    def _money(self, graph: Graph, node: URIRef, money: dict, loc: Loc) -> None:
        self.built.locations[node] = loc
        graph.add((node, RDF.type, KG.MonetaryAmount))
        currency = money["currency"]
        graph.add((node, KG.currency, Literal(currency)))
        for key, pred in (
            ("value", KG.value),
            ("min", KG.minValue),
            ("max", KG.maxValue),
            ("stated_usd", KG.statedValueUsd),
        ):
            if key in money:
                graph.add((node, pred, decimal_literal(money[key])))
        if "approx" in money:
            graph.add((node, KG.approximation, Literal(money["approx"], lang="en")))
        if "convention" in money:
            graph.add((node, KG.rangeConvention, Literal(money["convention"], lang="en")))
        if "scope" in money:
            graph.add((node, KG.scope, Literal(money["scope"], lang="en")))
        if "by" in money:
            graph.add((node, KG.estimatedBy, entity_iri(money["by"])))
        day = self._rate_day(money)
        if day is None:
            self.built.warnings.append(f"{loc}: [{self.record.id}] no date for a USD rate")
            return
        try:
            rate, used = usd_rate(currency, day)
        except ValueError as exc:
            self.built.warnings.append(f"{loc}: [{self.record.id}] {exc}; no USD value")
            return
        graph.add((node, KG.usdRate, decimal_literal(rate)))
        graph.add((node, KG.usdRateDate, Literal(used.isoformat(), datatype=XSD.date)))
        graph.add((node, KG.usdRateSource, Literal(rate_source())))
        if "rate_note" in money:
            graph.add((node, KG.usdRateNote, Literal(money["rate_note"], lang="en")))
        for key, pred in (("value", KG.valueUsd), ("min", KG.minValueUsd), ("max", KG.maxValueUsd)):
            if key in money:
                graph.add((node, pred, decimal_literal(to_usd(money[key], rate))))

    def _measure(self, graph: Graph, node: URIRef, m: dict, loc: Loc) -> None:
        self.built.locations[node] = loc
        graph.add((node, RDF.type, KG.Quantity))
        graph.add((node, KG.quantityKind, Literal(m["kind"], lang="en")))
        graph.add((node, KG.value, decimal_literal(m["value"])))
        graph.add((node, KG.unit, Literal(m["unit"])))
        if "by" in m:
            graph.add((node, KG.targetYear, date_literal(m["by"])))
        if "qualifier" in m:
            graph.add((node, KG.qualifier, Literal(m["qualifier"], lang="en")))
