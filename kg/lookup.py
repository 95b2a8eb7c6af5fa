"""Lookups over a session's graph: functions returning kg.model's frozen results, each fact
with its citations.

Every function runs a saved query (``kg/queries/*.rq``) with the entity as a binding; names are
resolved first by the session's name index (:mod:`kg.resolve`), so no user text ever reaches a
query. Functions take the :class:`~kg.session.Session` (its store, name index and vocabulary)
and an :class:`~kg.resolve.Entity` or a name. A lookup that needs an entity of some class
(the event of ``attendees``, the organisation of ``members``) takes the classes the record
schema allows in that place (:data:`kg.schema.KINDS`) and says so when the name is something
else (:func:`expect`).

>>> import kg
>>> g = kg.open()
>>> [a.label for a in attendees(g, "mou-signing").items]
['Bae Kyung-hoon', 'Larry Fink', 'Lee Jae Myung']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import NotFoundError
from kg.model import (
    Amount,
    Article,
    ArticleUse,
    Attribute,
    Cited,
    Commitment,
    Dated,
    EntityBrief,
    EntityCard,
    Estimate,
    Fact,
    Held,
    Listed,
    Listing,
    Member,
    Related,
    Relation,
    Role,
    Said,
    Signer,
    Value,
    citations,
)
from kg.money import quantity_text
from kg.resolve import Entity

if TYPE_CHECKING:
    from kg.session import Session
    from kg.stores.base import Store

# titles (words or phrases of a position's title) that make its holder a leader of the
# organisation; "co-chair" and "Science and ICT Minister" count
LEADER_TITLES = (
    "ceo",
    "chief",
    "chairman",
    "chairwoman",
    "chairperson",
    "chair",
    "president",
    "head",
    "leader",
    "director",
    "minister",
    "founder",
    "governor",
)
# a title asked for ("who is the chair of X") -> the titles that answer it
TITLES = {
    "ceo": ("ceo", "chief executive"),
    "chair": ("chair", "chairman", "chairwoman", "chairperson"),
    "president": ("president",),
    "minister": ("minister",),
    "secretary": ("secretary",),
    "director": ("director",),
    "founder": ("founder",),
    "governor": ("governor",),
    "prime minister": ("prime minister",),
}
# who leads a state: its head of state or of government, not every minister
HEAD_OF_STATE_TITLES = ("president", "prime minister")
LOCATION_PREDICATES = ("location", "basedIn", "locatedIn")
DATE_PREDICATES = ("startDate", "endDate", "announcedOn", "period", "horizonEnd")


def kg_term(name: str):
    """The IRI of a term of the kg ontology (``attendee`` -> ``kg:attendee``)."""
    from kg.vocab import KG

    return KG[name]


def run_saved(store: Store, query: str, /, **bindings) -> list[dict]:
    """Rows of a saved query as dicts of variable -> rdflib term; ``bindings`` are terms
    (``None`` leaves a variable unbound)."""
    from kg.queries import saved_query

    values = {k: v for k, v in bindings.items() if v is not None}
    return store.query(saved_query(query).text, values).records()


def allowed(kind: str, field: str | None = None) -> tuple[str, ...]:
    """The classes the record schema allows for a field of a record kind (``memberships``,
    ``organization`` -> ``("Organization",)``), or the kind's own class without a field.

    >>> allowed("events"), allowed("commitments", "investors")
    (('Event',), ('Investor',))
    """
    from kg.schema import KINDS

    base, specs = KINDS[kind]
    return specs[field].classes if field else (base,)


def expect(g: Session, ref: Entity | str, classes: tuple[str, ...], noun: str) -> Entity:
    """The entity ``ref`` names, which must belong to one of ``classes``: NotFoundError (exit
    3) saying what it is instead ("Larry Fink is a Person, not an organisation")."""
    ent = entity(g, ref, prefer=classes)
    if not ent.is_a(*classes):
        raise NotFoundError(f"{ent.label} is {ent.a_kind}, not {noun}")
    return ent


ORG = allowed("memberships", "organization")  # what has members and leaders


def entity(g: Session, ref: Entity | str, prefer: Iterable[str] = ()) -> Entity:
    """``ref`` itself when it is an Entity, else the entity its name resolves to."""
    return ref if isinstance(ref, Entity) else g.names.resolve(ref, prefer)


def iri_of(ent: Entity):
    """An entity's IRI as an rdflib term (for bindings)."""
    from rdflib import URIRef

    return URIRef(ent.iri)


def brief(g: Session, iri) -> EntityBrief:
    """An entity IRI as a brief (its own id as the label when it is not named)."""
    from kg.vocab import local_id

    ident = local_id(iri)
    known = g.names.entities.get(ident)
    return known.brief() if known else EntityBrief(ident, ident, None)


def plain(term):
    """An rdflib literal as a JSON-ready Python value (numbers stay numbers, dates text)."""
    if term is None:
        return None
    value = term.toPython() if hasattr(term, "toPython") else term
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (bool, int, float)):
        return value
    return str(term)


def _text(term) -> str | None:
    return None if term is None else str(plain(term))


# ----------------------------------------------------------------------------- vocabulary


def vocabulary(store: Store) -> list[dict]:
    """The ontology's terms (the ``vocabulary`` saved query)."""
    return run_saved(store, "vocabulary")


def relation_labels(rows: list[dict]) -> dict[str, str]:
    """Each ontology term's local name mapped to its English label (``attendee`` -> ``attended
    by``), from the vocabulary's rows."""
    labels = {_local(r["term"]): str(r["label"]) for r in rows}
    labels.update({"skos:prefLabel": "named", "skos:altLabel": "also called"})
    return labels


def class_names(rows: list[dict]) -> list[str]:
    """The names of the ontology's classes (``Investor``, ``Person`` ...), sorted, from the
    vocabulary's rows."""
    from kg.vocab import kg_name

    return sorted(
        {str(kg_name(r["term"])) for r in rows if str(r["kind"]) == "class" and kg_name(r["term"])}
    )


def _local(iri) -> str:
    """A predicate's kg local name (``attendee``), else its prefixed form (``dcterms:title``)."""
    from kg.sparql import term_text
    from kg.vocab import kg_name

    return kg_name(iri) or term_text(iri)


def _label(g: Session, name: str) -> str:
    return g.relation_labels.get(name, name)


# ----------------------------------------------------------------------------- articles


def articles(store: Store) -> tuple[Article, ...]:
    """The source articles: id, title, publisher, author, date, file, paragraphs, claims."""
    return tuple(
        Article(
            id=str(r["article"]),
            title=str(r["title"]),
            publisher=str(r["publisher"]),
            author=_text(r.get("author")),
            published=_text(r.get("issued")),
            not_before=_text(r.get("notBefore")),
            file=str(r["file"]),
            paragraphs=plain(r["paragraphs"]),
            claims=plain(r["claims"]),
        )
        for r in run_saved(store, "articles")
    )


def cited(g: Session, codes: Iterable, folder: Path | None = None) -> tuple[Cited, ...]:
    """Citations with their article's title and publisher, sorted; with the folder of the
    article files, each with its paragraph quoted."""
    from kg.articles import paragraph

    by_id = {a.id: a for a in g.articles}
    out = []
    for c in citations(codes):
        article = by_id.get(c.source)
        text = None
        if folder is not None and article is not None:
            text = paragraph(Path(folder) / article.file, c.paragraph)
        out.append(
            Cited(
                c.source,
                c.paragraph,
                article.title if article else None,
                article.publisher if article else None,
                text,
            )
        )
    return tuple(out)


# ----------------------------------------------------------------------------- facts


def facts(store: Store, subject=None, predicate=None, object=None) -> list[dict]:  # noqa: A002
    """Facts matching the given terms (rdflib terms), each with its claim and citations."""
    return [
        {
            "subject": r["subject"],
            "predicate": r["predicate"],
            "object": r["object"],
            "claim": r["claim"],
            "sources": citations(r.get("sources") and str(r["sources"])),
        }
        for r in run_saved(store, "facts", subject=subject, predicate=predicate, object=object)
    ]


def _fact_view(g: Session, fact: dict) -> Fact:
    """A fact for output: the subject as a brief, the relation's label, and the object as a
    brief when it is an entity, else as a value (a literal, a status, an amount, a figure)."""
    from rdflib import Literal

    from kg.vocab import kg_name

    pred, obj = _local(fact["predicate"]), fact["object"]
    other: EntityBrief | Value
    if isinstance(obj, Literal):
        other = Value(plain(obj))
    elif kg_name(obj):
        other = Value(_label(g, _local(obj)))
    else:
        other = brief(g, obj)
        if other.kind is None:
            other = Value(value_text(g, obj))
    return Fact(brief(g, fact["subject"]), pred, _label(g, pred), other, fact["sources"])


def value_text(g: Session, node) -> str:
    """An amount or a figure (the unnamed nodes of commitments, statistics and projects) as
    text: ``USD 4 billion``, ``103 MW (capacity, target, by 2029)``."""
    from kg.sparql import term_text

    props = {_local(f["predicate"]): plain(f["object"]) for f in facts(g.store, subject=node)}
    if "currency" in props:
        return Amount.from_values(props).text()
    if "unit" in props:
        return quantity_text(props)
    return term_text(node)


def why(
    g: Session,
    ref: Entity | str,
    other: Entity | str | None = None,
    articles: Path | None = None,
) -> tuple[Fact, ...]:
    """Where the facts about an entity come from, or those linking it to ``other``: each fact
    with its citations (title and publisher; the paragraph quoted from the article files in
    the folder ``articles``, when given).

    Positions (memberships) count as facts linking a member and an organisation, and the facts
    of an amount, estimate or figure (who gave an estimate) count as facts of the entity
    holding it.
    """
    from rdflib import RDF

    from kg.vocab import SKOS

    ent = entity(g, ref)
    two = entity(g, other) if other is not None else None
    store = g.store
    views = [
        _fact_view(g, f)
        for f in facts(store, subject=iri_of(ent)) + facts(store, object=iri_of(ent))
        if f["predicate"] not in (RDF.type, SKOS.prefLabel)
    ]
    views = [v for v in views if v.subject.kind is not None]  # held ones come next
    views += [
        _held_view(g, r)
        for r in run_saved(store, "held", owner=iri_of(ent))
        + run_saved(store, "held", object=iri_of(ent))
    ]
    views += [
        Fact(r.member, "member", r.relation, r.organization, r.sources)
        for r in roles(g, member=ent) + roles(g, organization=ent)
    ]
    if two is not None:
        views = [
            v for v in views if {v.subject.id, getattr(v.object, "id", None)} == {ent.id, two.id}
        ]
    if not views:
        what = f"linking {ent.label} and {two.label}" if two else f"about {ent.label}"
        raise NotFoundError(f"the graph records no fact {what}")
    return tuple(
        Fact(
            v.subject,
            v.predicate,
            v.relation,
            v.object,
            v.sources,
            v.held,
            cited(g, v.sources, articles),
        )
        for v in views
    )


def _held_view(g: Session, r: dict) -> Fact:
    """A fact of an unnamed node, as a fact of the entity holding it: "BlackRock-Korea ...
    —estimated amount KRW 2 trillion to 10 trillion, estimated by→ Cha Ji-ho"."""
    via, pred = _local(r["via"]), _local(r["predicate"])
    value = value_text(g, r["node"])
    return Fact(
        brief(g, r["owner"]),
        pred,
        f"{_label(g, via)} {value}, {_label(g, pred)}",
        brief(g, r["object"]),
        citations(r.get("sources") and str(r["sources"])),
        Held(via, _label(g, via), value),
    )


def _listed(g: Session, iri, r: dict) -> Listed:
    b = brief(g, iri)
    return Listed(b.id, b.label, b.kind, citations(r.get("sources") and str(r["sources"])))


# ----------------------------------------------------------------------------- events


def attendees(g: Session, event: Entity | str) -> Listing:
    """Who attended an event, by name, each with the citations that say so."""
    ev = expect(g, event, allowed("events"), "an event")
    rows = run_saved(g.store, "attendees", event=iri_of(ev))
    people = sorted((_listed(g, r["attendee"], r) for r in rows), key=lambda p: p.label)
    return Listing(ev.brief(), "attendees", tuple(people))


def events_attended(g: Session, agent: Entity | str) -> tuple[Listed, ...]:
    """The events an agent attended, with citations."""
    ent = entity(g, agent)
    rows = run_saved(g.store, "attendees", attendee=iri_of(ent))
    return tuple(_listed(g, r["event"], r) for r in rows)


def signatories(g: Session, agreement: Entity | str) -> Listing:
    """Who signed an agreement, and the parties and witnesses.

    An event (a signing ceremony) stands for the agreements signed at it.
    """
    kinds = allowed("agreements")
    ag = entity(g, agreement, prefer=kinds)
    agreements = [ag]
    if ag.is_a(*allowed("agreements", "signed_at")):
        agreements = [
            g.names.get(brief(g, f["subject"]).id)
            for f in facts(g.store, predicate=kg_term("signedAt"), object=iri_of(ag))
        ]
    if not agreements or not all(a.is_a(*kinds) for a in agreements):
        raise NotFoundError(f"{ag.label} is {ag.a_kind}, not an agreement")
    signers = []
    for a in agreements:
        for r in run_saved(g.store, "signatories", agreement=iri_of(a)):
            b = brief(g, r["agent"])
            signers.append(Signer(b.id, b.label, b.kind, str(r["role"]), a.brief(), _cites(r)))
    return Listing(agreements[0].brief(), "signers", tuple(signers))


def _cites(r: dict):
    return citations(r.get("sources") and str(r["sources"]))


# ----------------------------------------------------------------------------- organisations


def roles(
    g: Session, member: Entity | str | None = None, organization: Entity | str | None = None
) -> list[Role]:
    """Positions and memberships: member, organisation, title, former, relation, citations."""
    m = entity(g, member) if member is not None else None
    o = entity(g, organization, prefer=ORG) if organization is not None else None
    out = []
    for r in run_saved(g.store, "roles", member=m and iri_of(m), organization=o and iri_of(o)):
        title = _text(r.get("title"))
        former = bool(plain(r.get("former")))
        relation = ("former " if former else "") + f"{title or 'member'} of"
        out.append(
            Role(
                brief(g, r["member"]),
                brief(g, r["organization"]),
                title,
                former,
                relation,
                _cites(r),
            )
        )
    return out


def members(g: Session, org: Entity | str) -> Listing:
    """Who belongs to an organisation: positions and memberships, then its parts."""
    o = expect(g, org, ORG, "an organisation")
    rows = [
        Member(r.member.id, r.member.label, r.member.kind, r.relation, r.title, r.former, r.sources)
        for r in roles(g, organization=o)
    ]
    for f in facts(g.store, predicate=kg_term("subOrganizationOf"), object=iri_of(o)):
        b = brief(g, f["subject"])
        rows.append(Member(b.id, b.label, b.kind, "part of", None, False, f["sources"]))
    return Listing(o.brief(), "members", tuple(rows))


def leaders(g: Session, org: Entity | str, title: str | None = None) -> Listing:
    """Who leads an organisation (CEO, chair, president, minister ...), current ones first.

    ``title`` narrows it to a key of :data:`TITLES` (``"ceo"``, ``"chair"``, ``"minister"``
    ...). Without one, a state (a country, or a government that is part of nothing) is led by
    its president or prime minister, not by every minister.
    """
    o = expect(g, org, ORG, "an organisation")
    state = HEAD_OF_STATE_TITLES if is_state(g, o) else LEADER_TITLES
    wanted = TITLES[title] if title else state
    rows = [r for r in roles(g, organization=o) if has_title(r.title, wanted)]
    rows.sort(key=lambda r: r.former)
    return Listing(o.brief(), "leaders", tuple(rows))


def has_title(title: str | None, wanted: Iterable[str]) -> bool:
    """Whether a position's title holds one of the ``wanted`` words or phrases.

    >>> has_title("interim co-chair", ["chair"]), has_title("senior presidential secretary",
    ...                                                     ["president"])
    (True, False)
    """
    text = (title or "").lower()
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text) for w in wanted)


def is_state(g: Session, ent: Entity) -> bool:
    """Whether ``ent`` is a state: a country, or a government based in one and part of
    nothing larger (the Government of South Korea, not its ministries)."""
    if ent.is_a("Country"):
        return True
    if not ent.is_a("GovernmentOrganization") or facts(
        g.store, subject=iri_of(ent), predicate=kg_term("subOrganizationOf")
    ):
        return False
    places = [
        g.names.entities.get(brief(g, f["object"]).id)
        for f in facts(g.store, subject=iri_of(ent), predicate=kg_term("basedIn"))
    ]
    return any(place is not None and place.is_a("Country") for place in places)


def _related(g: Session, f: dict, pred: str, of: Entity) -> Related:
    b = brief(g, f["object"])
    return Related(b.id, b.label, b.kind, _label(g, pred), of.brief(), f["sources"])


def owners(g: Session, ref: Entity | str) -> Listing:
    """Who owns an organisation, and what it is part of."""
    ent = expect(g, ref, allowed("organizations"), "an organisation")
    out = [
        _related(g, f, pred, ent)
        for pred in ("ownedBy", "subOrganizationOf")
        for f in facts(g.store, subject=iri_of(ent), predicate=kg_term(pred))
    ]
    return Listing(ent.brief(), "owners", tuple(out))


# ----------------------------------------------------------------------------- money


def commitments(
    g: Session,
    investor: Entity | str | None = None,
    project: Entity | str | None = None,
    min_usd: float | None = None,
) -> tuple[Commitment, ...]:
    """Investment commitments, largest first, optionally narrowed.

    ``investor``: only its commitments (an Investor). ``project``: only those going to this
    project, place or organisation (or to something inside that place). ``min_usd``: only
    stated amounts of at least this many US dollars (the value, or the lower bound of a range;
    estimates of undisclosed amounts do not count).
    """
    inv = (
        expect(g, investor, allowed("commitments", "investors"), "an investor")
        if investor is not None
        else None
    )
    dest = (
        expect(
            g,
            project,
            allowed("commitments", "target") + allowed("commitments", "recipient"),
            "a project, place or organisation",
        )
        if project is not None
        else None
    )
    if inv is None and dest is None:
        wanted = None
    elif dest is None:
        wanted = {
            str(f["subject"])
            for f in facts(g.store, predicate=kg_term("investor"), object=iri_of(inv))  # type: ignore[arg-type]
        }
    else:
        wanted = {
            str(r["commitment"])
            for r in run_saved(
                g.store, "investments", investor=inv and iri_of(inv), destination=iri_of(dest)
            )
        }
    rows = run_saved(g.store, "commitments")
    out = [_commitment(g, r) for r in rows if wanted is None or str(r["commitment"]) in wanted]
    if min_usd is not None:
        out = [c for c in out if (c.usd or 0) >= min_usd]
    return tuple(out)


def _amount(r: dict) -> Amount | None:
    """The amount of a commitments or estimates row (None when it states none)."""
    if r.get("currency") is None:
        return None
    return Amount.from_values({k: plain(v) for k, v in r.items() if v is not None})


def _commitment(g: Session, r: dict) -> Commitment:
    def briefs(text) -> tuple[EntityBrief, ...]:  # GROUP_CONCAT's order differs: sort
        return tuple(brief(g, iri) for iri in sorted(str(text or "").split()))

    b = brief(g, r["commitment"])
    undisclosed = bool(plain(r.get("undisclosed")))
    estimates = (
        tuple(
            Estimate(
                _amount(e),  # type: ignore[arg-type]
                _text(e.get("scope")),
                brief(g, e["estimatedBy"]) if e.get("estimatedBy") else None,
                _cites(e),
            )
            for e in run_saved(g.store, "estimates", commitment=r["commitment"])
        )
        if undisclosed
        else ()
    )
    return Commitment(
        id=b.id,
        label=b.label,
        kind=b.kind,
        investors=briefs(r.get("investors")),
        targets=briefs(r.get("targets")),
        recipients=briefs(r.get("recipients")),
        status=_text(r.get("status")),
        amount=_amount(r),
        undisclosed=undisclosed,
        horizon_years=plain(r.get("horizonYears")),
        horizon_end=_text(r.get("horizonEnd")),
        announced=_text(r.get("announcedOn")),
        part_of=brief(g, r["partOf"]) if r.get("partOf") else None,
        sources=_cites(r),
        estimates=estimates,
    )


# ----------------------------------------------------------------------------- places, dates


def locations(g: Session, ref: Entity | str) -> Listing:
    """Where something is: events and projects (located at), organisations (based in), places
    (located in); an agreement is where it was signed."""
    ent = entity(g, ref)
    subjects = [ent]
    if ent.is_a(*allowed("agreements")):
        subjects += [
            g.names.get(brief(g, f["object"]).id)
            for f in facts(g.store, subject=iri_of(ent), predicate=kg_term("signedAt"))
        ]
    out = [
        _related(g, f, pred, subject)
        for subject in subjects
        for pred in LOCATION_PREDICATES
        for f in facts(g.store, subject=iri_of(subject), predicate=kg_term(pred))
    ]
    return Listing(ent.brief(), "places", tuple(out))


def dates(g: Session, ref: Entity | str) -> Listing:
    """When something happened: start, end, announcement or period, with how it was read."""
    ent = entity(g, ref)
    notes = [
        str(f["object"]) for f in facts(g.store, subject=iri_of(ent), predicate=kg_term("dateNote"))
    ]
    out = [
        Dated(str(f["object"]), _label(g, pred), notes[0] if notes else None, f["sources"])
        for pred in DATE_PREDICATES
        for f in facts(g.store, subject=iri_of(ent), predicate=kg_term(pred))
    ]
    return Listing(ent.brief(), "dates", tuple(out))


# ----------------------------------------------------------------------------- projects


def projects(g: Session, ref: Entity | str) -> Listing:
    """The projects involving an organisation or place (partner, investor, location), or a
    project's own partners, investors and site."""
    ent = entity(g, ref)
    if ent.is_a(*allowed("projects")):
        rows = run_saved(g.store, "projects", project=iri_of(ent))
        pairs = [(brief(g, r["entity"]), ent.brief(), r) for r in rows]
    else:
        rows = run_saved(g.store, "projects", entity=iri_of(ent))
        pairs = [(brief(g, r["project"]), brief(g, r["project"]), r) for r in rows]
    items = tuple(
        Related(b.id, b.label, b.kind, str(r["role"]), project, _cites(r))
        for b, project, r in pairs
    )
    return Listing(ent.brief(), "projects", items)


# ----------------------------------------------------------------------------- articles


def mentions(g: Session, ref: Entity | str) -> Listing:
    """The articles that support a fact about an entity, with the paragraph numbers."""
    ent = entity(g, ref)
    rows = run_saved(g.store, "mentions", entity=iri_of(ent))
    found = tuple(
        ArticleUse(
            str(r["article"]),
            str(r["title"]),
            str(r["publisher"]),
            tuple(sorted(int(p) for p in str(r["paragraphs"]).split())),
        )
        for r in rows
    )
    return Listing(ent.brief(), "articles", found)


# ----------------------------------------------------------------------------- the card


def statements(g: Session, speaker: Entity | str) -> tuple[Said, ...]:
    """What a person or organisation said (the curator's summaries), with citations."""
    ent = entity(g, speaker)
    out = []
    for f in facts(g.store, predicate=kg_term("speaker"), object=iri_of(ent)):
        summary = facts(g.store, subject=f["subject"], predicate=kg_term("summary"))
        out.append(Said(str(summary[0]["object"]) if summary else "", f["sources"]))
    return tuple(out)


def entity_card(g: Session, ref: Entity | str) -> EntityCard:
    """Everything about one entity: names, types, description, attributes, roles and titles,
    relations in both directions, commitments, events attended and statements, each with its
    citations, and the articles behind every claim about it (its type and names included)."""
    from rdflib import RDF

    from kg.vocab import SKOS

    ent = entity(g, ref)
    every = facts(g.store, subject=iri_of(ent))  # its type and names are claims too
    own = [f for f in every if f["predicate"] not in (RDF.type, SKOS.prefLabel, SKOS.altLabel)]
    attributes: list[Attribute] = []
    relations: list[Relation] = []
    for view in (_fact_view(g, f) for f in own):
        if isinstance(view.object, Value):
            attributes.append(Attribute(view.relation, view.object.value, view.sources))
        else:
            relations.append(Relation("out", *_fields(view)))
    for f in facts(g.store, object=iri_of(ent)):
        view = _fact_view(g, f)
        if view.subject.kind is not None:
            relations.append(Relation("in", *_fields(view)))
    agent = ent.is_a("Agent")
    is_org = ent.is_a(*ORG)
    investor = ent.is_a(*allowed("commitments", "investors"))
    b = ent.brief()
    return EntityCard(
        id=b.id,
        label=b.label,
        kind=b.kind,
        iri=ent.iri,
        types=ent.types,
        label_ko=ent.label_ko,
        aliases=ent.aliases,
        description=next((str(a.value) for a in attributes if a.attribute == "description"), None),
        attributes=tuple(a for a in attributes if a.attribute != "description"),
        roles=tuple(roles(g, member=ent)),
        members=members(g, ent).items if is_org else (),
        relations=tuple(relations),
        commitments=commitments(g, investor=ent) if investor else (),
        events=events_attended(g, ent) if agent else (),
        statements=statements(g, ent) if agent else (),
        sources=cited(g, [c for f in every for c in f["sources"]]),
    )


def _fields(view: Fact) -> tuple:
    return view.subject, view.predicate, view.relation, view.object, view.sources
