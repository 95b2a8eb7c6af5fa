"""Lookups over any store: plain functions returning plain data, each fact with its sources.

Every function runs a saved query (``kg/queries/*.rq``) with the entity as a binding; names are
resolved first (:mod:`kg.resolve`), so no user text ever reaches a query. Functions take an
:class:`~kg.resolve.Entity` or a name; sources are ``article:paragraph`` strings such as
``a002:19``.

>>> from kg.store import open_store
>>> store = open_store()
>>> [a["label"] for a in attendees(store, "mou-signing")["attendees"]]
['Bae Kyung-hoon', 'Larry Fink', 'Lee Jae Myung']
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from decimal import Decimal

from kg.errors import NotFoundError
from kg.model import Amount, cite_codes
from kg.money import quantity_text
from kg.resolve import Entity, name_index

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


def run_saved(store, query: str, /, **bindings) -> list[dict]:
    """Rows of a saved query as dicts of variable -> rdflib term; ``bindings`` are terms
    (``None`` leaves a variable unbound)."""
    from kg.queries import saved_query

    values = {k: v for k, v in bindings.items() if v is not None}
    return store.query(saved_query(query).text, values).records()


def entity(store, ref: Entity | str, prefer: Iterable[str] = ()) -> Entity:
    """``ref`` itself when it is an Entity, else the entity its name resolves to."""
    return ref if isinstance(ref, Entity) else name_index(store).resolve(ref, prefer)


def iri_of(ent: Entity):
    """An entity's IRI as an rdflib term (for bindings)."""
    from rdflib import URIRef

    return URIRef(ent.iri)


def cites(text) -> list[str]:
    """``"a002:19 a000:9"`` as a sorted list (by article, then paragraph number)."""
    return cite_codes(text)


def brief(store, iri) -> dict:
    """An entity IRI as ``{"id", "label", "kind"}`` (its own IRI when it is not named)."""
    from kg.vocab import local_id

    ident = local_id(iri)
    known = name_index(store).entities.get(ident)
    return known.brief() if known else {"id": ident, "label": ident, "kind": None}


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


# ----------------------------------------------------------------------------- vocabulary


def _vocabulary(store) -> list[dict]:
    """The ontology's terms (the ``vocabulary`` saved query), read once per store."""
    cache = _cache(store)
    if "vocabulary" not in cache:
        cache["vocabulary"] = run_saved(store, "vocabulary")
    return cache["vocabulary"]


def relation_labels(store) -> dict[str, str]:
    """Each ontology term's local name mapped to its English label (``attendee`` -> ``attended
    by``)."""
    cache = _cache(store)
    if "labels" not in cache:
        cache["labels"] = {_local(r["term"]): str(r["label"]) for r in _vocabulary(store)}
        cache["labels"].update({"skos:prefLabel": "named", "skos:altLabel": "also called"})
    return cache["labels"]


def class_names(store) -> list[str]:
    """The names of the ontology's classes (``Investor``, ``Person`` ...), sorted."""
    from kg.vocab import kg_name

    return sorted(
        {
            str(kg_name(r["term"]))
            for r in _vocabulary(store)
            if str(r["kind"]) == "class" and kg_name(r["term"])
        }
    )


def _local(iri) -> str:
    """A predicate's kg local name (``attendee``), else its prefixed form (``dcterms:title``)."""
    from kg.sparql import term_text
    from kg.vocab import kg_name

    return kg_name(iri) or term_text(iri)


_CACHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _cache(store) -> dict:
    """Per-store memo of small tables (relation labels, articles)."""
    return _CACHES.setdefault(store, {})


# ----------------------------------------------------------------------------- articles


def articles(store) -> list[dict]:
    """The source articles: id, title, publisher, author, date, file, paragraphs, claims."""
    cache = _cache(store)
    if "articles" not in cache:
        cache["articles"] = [
            {
                "id": str(r["article"]),
                "title": str(r["title"]),
                "publisher": str(r["publisher"]),
                "author": plain(r.get("author")),
                "published": plain(r.get("issued")),
                "not_before": plain(r.get("notBefore")),
                "file": str(r["file"]),
                "paragraphs": plain(r["paragraphs"]),
                "claims": plain(r["claims"]),
            }
            for r in run_saved(store, "articles")
        ]
    return cache["articles"]


def source_details(store, codes: Iterable[str]) -> list[dict]:
    """``a002:19`` codes as ``{"source", "paragraph", "title", "publisher"}``, sorted."""
    by_id = {a["id"]: a for a in articles(store)}
    out = []
    for code in cites(" ".join(codes)):
        source, para = code.split(":")
        article = by_id.get(source, {})
        out.append(
            {
                "source": source,
                "paragraph": int(para),
                "title": article.get("title"),
                "publisher": article.get("publisher"),
            }
        )
    return out


# ----------------------------------------------------------------------------- facts


def facts(store, subject=None, predicate=None, object=None) -> list[dict]:  # noqa: A002
    """Facts matching the given terms, each with its claim and sources."""
    return [
        {
            "subject": r["subject"],
            "predicate": r["predicate"],
            "object": r["object"],
            "claim": r["claim"],
            "sources": cites(r.get("sources")),
        }
        for r in run_saved(store, "facts", subject=subject, predicate=predicate, object=object)
    ]


def _fact_view(store, fact: dict) -> dict:
    """A fact for output: the subject as a brief, the relation's label, and the object as a
    brief when it is an entity, else as a value (a literal, a status, an amount, a figure)."""
    from rdflib import Literal

    from kg.vocab import kg_name

    pred, obj = _local(fact["predicate"]), fact["object"]
    if isinstance(obj, Literal):
        other = {"value": plain(obj)}
    elif kg_name(obj):
        other = {"value": relation_labels(store).get(_local(obj), _local(obj))}
    else:
        other = brief(store, obj)
        if other["kind"] is None:
            other = {"value": value_text(store, obj)}
    return {
        "subject": brief(store, fact["subject"]),
        "predicate": pred,
        "relation": relation_labels(store).get(pred, pred),
        "object": other,
        "sources": fact["sources"],
    }


def value_text(store, node) -> str:
    """An amount or a figure (the unnamed nodes of commitments, statistics and projects) as
    text: ``USD 4 billion``, ``103 MW (capacity, target, by 2029)``."""
    from kg.sparql import term_text

    props = {_local(f["predicate"]): plain(f["object"]) for f in facts(store, subject=node)}
    if "currency" in props:
        return Amount.from_values(props).text()
    if "unit" in props:
        return quantity_text(props)
    return term_text(node)


def why(store, ref: Entity | str, other: Entity | str | None = None) -> list[dict]:
    """Where the facts about an entity come from, or those linking it to ``other``.

    Each fact: subject, relation, object (an entity or a value) and its sources. Positions
    (memberships) count as facts linking a member and an organisation, and the facts of an
    amount, estimate or figure (who gave an estimate) count as facts of the entity holding it.
    """
    from rdflib import RDF

    from kg.vocab import SKOS

    ent = entity(store, ref)
    two = entity(store, other) if other is not None else None
    views = [
        _fact_view(store, f)
        for f in facts(store, subject=iri_of(ent)) + facts(store, object=iri_of(ent))
        if f["predicate"] not in (RDF.type, SKOS.prefLabel)
    ]
    views = [v for v in views if v["subject"]["kind"] is not None]  # held ones come next
    views += [
        _held_view(store, r)
        for r in run_saved(store, "held", owner=iri_of(ent))
        + run_saved(store, "held", object=iri_of(ent))
    ]
    views += [
        {
            "subject": r["member"],
            "predicate": "member",
            "relation": r["relation"],
            "object": r["organization"],
            "sources": r["sources"],
        }
        for r in roles(store, member=ent) + roles(store, organization=ent)
    ]
    if two is not None:
        views = [
            v for v in views if {v["subject"]["id"], v["object"].get("id")} == {ent.id, two.id}
        ]
    if not views:
        what = f"linking {ent.label} and {two.label}" if two else f"about {ent.label}"
        raise NotFoundError(f"the graph records no fact {what}")
    return views


def _held_view(store, r: dict) -> dict:
    """A fact of an unnamed node, as a fact of the entity holding it: "BlackRock-Korea ...
    —estimated amount KRW 2 trillion to 10 trillion, estimated by→ Cha Ji-ho"."""
    labels = relation_labels(store)
    via, pred = _local(r["via"]), _local(r["predicate"])
    value = value_text(store, r["node"])
    return {
        "subject": brief(store, r["owner"]),
        "predicate": pred,
        "relation": f"{labels.get(via, via)} {value}, {labels.get(pred, pred)}",
        "object": brief(store, r["object"]),
        "held": {"predicate": via, "relation": labels.get(via, via), "value": value},
        "sources": cites(r.get("sources")),
    }


# ----------------------------------------------------------------------------- events


def attendees(store, event: Entity | str) -> dict:
    """Who attended an event: ``{"event": brief, "attendees": [brief + sources]}``."""
    ev = entity(store, event, prefer=("Event",))
    if not ev.is_a("Event"):
        raise NotFoundError(f"{ev.label} is {ev.a_kind}, not an event")
    rows = run_saved(store, "attendees", event=iri_of(ev))
    people = [{**brief(store, r["attendee"]), "sources": cites(r.get("sources"))} for r in rows]
    return {"event": ev.brief(), "attendees": sorted(people, key=lambda p: p["label"])}


def events_attended(store, agent: Entity | str) -> list[dict]:
    """The events an agent attended, with sources."""
    ent = entity(store, agent)
    rows = run_saved(store, "attendees", attendee=iri_of(ent))
    return [{**brief(store, r["event"]), "sources": cites(r.get("sources"))} for r in rows]


def signatories(store, agreement: Entity | str) -> dict:
    """Who signed an agreement, and the parties and witnesses: ``{"agreement", "signers"}``.

    An event (a signing ceremony) stands for the agreements signed at it.
    """
    ag = entity(store, agreement, prefer=("Agreement",))
    agreements = [ag]
    if ag.is_a("Event"):
        agreements = [
            name_index(store).get(brief(store, f["subject"])["id"])
            for f in facts(store, predicate=kg_term("signedAt"), object=iri_of(ag))
        ]
    if not agreements or not all(a.is_a("Agreement") for a in agreements):
        raise NotFoundError(f"{ag.label} is {ag.a_kind}, not an agreement")
    signers = []
    for a in agreements:
        for r in run_saved(store, "signatories", agreement=iri_of(a)):
            signers.append(
                {
                    **brief(store, r["agent"]),
                    "role": str(r["role"]),
                    "agreement": a.brief(),
                    "sources": cites(r.get("sources")),
                }
            )
    return {"agreement": agreements[0].brief(), "signers": signers}


# ----------------------------------------------------------------------------- organisations


def roles(
    store, member: Entity | str | None = None, organization: Entity | str | None = None
) -> list[dict]:
    """Positions and memberships: member, organisation, title, former, relation, sources."""
    m = entity(store, member) if member is not None else None
    o = entity(store, organization, prefer=("Organization",)) if organization is not None else None
    out = []
    for r in run_saved(store, "roles", member=m and iri_of(m), organization=o and iri_of(o)):
        title = plain(r.get("title"))
        former = bool(plain(r.get("former")))
        relation = ("former " if former else "") + f"{title or 'member'} of"
        out.append(
            {
                "member": brief(store, r["member"]),
                "organization": brief(store, r["organization"]),
                "title": title,
                "former": former,
                "relation": relation,
                "sources": cites(r.get("sources")),
            }
        )
    return out


def members(store, org: Entity | str) -> dict:
    """Who belongs to an organisation: positions and memberships, then its parts.

    ``{"organization": brief, "members": [brief + relation, title, former, sources]}``.
    """
    o = entity(store, org, prefer=("Organization",))
    rows = [
        {
            **r["member"],
            "relation": r["relation"],
            "title": r["title"],
            "former": r["former"],
            "sources": r["sources"],
        }
        for r in roles(store, organization=o)
    ]
    for f in facts(store, predicate=kg_term("subOrganizationOf"), object=iri_of(o)):
        rows.append(
            {
                **brief(store, f["subject"]),
                "relation": "part of",
                "title": None,
                "former": False,
                "sources": f["sources"],
            }
        )
    return {"organization": o.brief(), "members": rows}


def leaders(store, org: Entity | str, title: str | None = None) -> dict:
    """Who leads an organisation (CEO, chair, president, minister ...), current ones first.

    ``title`` narrows it to a key of :data:`TITLES` (``"ceo"``, ``"chair"``, ``"minister"``
    ...). Without one, a state (a country, or a government that is part of nothing) is led by
    its president or prime minister, not by every minister.
    """
    o = entity(store, org, prefer=("Organization",))
    if title:
        wanted = TITLES[title]
    else:
        wanted = HEAD_OF_STATE_TITLES if is_state(store, o) else LEADER_TITLES
    rows = [r for r in roles(store, organization=o) if has_title(r["title"], wanted)]
    rows.sort(key=lambda r: r["former"])
    return {"organization": o.brief(), "leaders": rows}


def has_title(title: str | None, wanted: Iterable[str]) -> bool:
    """Whether a position's title holds one of the ``wanted`` words or phrases.

    >>> has_title("interim co-chair", ["chair"]), has_title("senior presidential secretary",
    ...                                                     ["president"])
    (True, False)
    """
    text = (title or "").lower()
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text) for w in wanted)


def is_state(store, ent: Entity) -> bool:
    """Whether ``ent`` is a state: a country, or a government based in one and part of
    nothing larger (the Government of South Korea, not its ministries)."""
    if ent.is_a("Country"):
        return True
    if not ent.is_a("GovernmentOrganization") or facts(
        store, subject=iri_of(ent), predicate=kg_term("subOrganizationOf")
    ):
        return False
    places = [
        name_index(store).entities.get(brief(store, f["object"])["id"])
        for f in facts(store, subject=iri_of(ent), predicate=kg_term("basedIn"))
    ]
    return any(place is not None and place.is_a("Country") for place in places)


def owners(store, ref: Entity | str) -> dict:
    """Who owns an organisation, and what it is part of: ``{"entity", "owners"}``."""
    ent = entity(store, ref, prefer=("Organization",))
    out = []
    for pred in ("ownedBy", "subOrganizationOf"):
        for f in facts(store, subject=iri_of(ent), predicate=kg_term(pred)):
            out.append(
                {
                    **brief(store, f["object"]),
                    "relation": relation_labels(store).get(pred, pred),
                    "sources": f["sources"],
                }
            )
    return {"entity": ent.brief(), "owners": out}


# ----------------------------------------------------------------------------- money


def commitments(
    store,
    investor: Entity | str | None = None,
    project: Entity | str | None = None,
    min_usd: float | None = None,
) -> list[dict]:
    """Investment commitments, largest first, optionally narrowed.

    ``investor``: only its commitments. ``project``: only those going to this project, place or
    organisation (or to something inside that place). ``min_usd``: only stated amounts of at
    least this many US dollars (the value, or the lower bound of a range; estimates of
    undisclosed amounts do not count).
    """
    inv = entity(store, investor, prefer=("Investor",)) if investor is not None else None
    dest = entity(store, project, prefer=("Project", "Place")) if project is not None else None
    if inv is None and dest is None:
        wanted = None
    elif dest is None:
        wanted = {
            str(f["subject"])
            for f in facts(store, predicate=kg_term("investor"), object=iri_of(inv))  # type: ignore[arg-type]
        }
    else:
        wanted = {
            str(r["commitment"])
            for r in run_saved(
                store, "investments", investor=inv and iri_of(inv), destination=iri_of(dest)
            )
        }
    rows = run_saved(store, "commitments")
    out = [_commitment(store, r) for r in rows if wanted is None or str(r["commitment"]) in wanted]
    if min_usd is not None:
        out = [
            c
            for c in out
            if (c["amount_usd"] if c["amount_usd"] is not None else c["min_usd"] or 0) >= min_usd
        ]
    return out


def _commitment(store, r: dict) -> dict:
    def briefs(text) -> list[dict]:  # GROUP_CONCAT's order differs between stores: sort
        return [brief(store, iri) for iri in sorted(str(text or "").split())]

    c = {
        **brief(store, r["commitment"]),
        "investors": briefs(r.get("investors")),
        "targets": briefs(r.get("targets")),
        "recipients": briefs(r.get("recipients")),
        "status": plain(r.get("status")),
        "currency": plain(r.get("currency")),
        "amount": plain(r.get("value")),
        "min": plain(r.get("minValue")),
        "max": plain(r.get("maxValue")),
        "approximation": plain(r.get("approximation")),
        "stated_usd": plain(r.get("statedValueUsd")),
        "amount_usd": plain(r.get("valueUsd")),
        "min_usd": plain(r.get("minValueUsd")),
        "max_usd": plain(r.get("maxValueUsd")),
        "usd_rate": plain(r.get("usdRate")),
        "usd_rate_date": plain(r.get("usdRateDate")),
        "undisclosed": bool(plain(r.get("undisclosed"))),
        "horizon_years": plain(r.get("horizonYears")),
        "horizon_end": plain(r.get("horizonEnd")),
        "announced": plain(r.get("announcedOn")),
        "part_of": brief(store, r["partOf"]) if r.get("partOf") else None,
        "sources": cites(r.get("sources")),
    }
    c["estimates"] = (
        [
            {
                "currency": plain(e["currency"]),
                "amount": plain(e.get("value")),
                "min": plain(e.get("minValue")),
                "max": plain(e.get("maxValue")),
                "approximation": plain(e.get("approximation")),
                "scope": plain(e.get("scope")),
                "by": brief(store, e["estimatedBy"]) if e.get("estimatedBy") else None,
                "amount_usd": plain(e.get("valueUsd")),
                "min_usd": plain(e.get("minValueUsd")),
                "max_usd": plain(e.get("maxValueUsd")),
                "usd_rate_date": plain(e.get("usdRateDate")),
                "sources": cites(e.get("sources")),
            }
            for e in run_saved(store, "estimates", commitment=r["commitment"])
        ]
        if c["undisclosed"]
        else []
    )
    return c


# ----------------------------------------------------------------------------- places, dates


def locations(store, ref: Entity | str) -> dict:
    """Where something is: events and projects (located at), organisations (based in), places
    (located in); an agreement is where it was signed. ``{"entity", "places"}``."""
    ent = entity(store, ref)
    subjects = [ent]
    if ent.is_a("Agreement"):
        subjects += [
            name_index(store).get(brief(store, f["object"])["id"])
            for f in facts(store, subject=iri_of(ent), predicate=kg_term("signedAt"))
        ]
    out = []
    for subject in subjects:
        for pred in LOCATION_PREDICATES:
            for f in facts(store, subject=iri_of(subject), predicate=kg_term(pred)):
                out.append(
                    {
                        **brief(store, f["object"]),
                        "relation": relation_labels(store).get(pred, pred),
                        "of": subject.brief(),
                        "sources": f["sources"],
                    }
                )
    return {"entity": ent.brief(), "places": out}


def dates(store, ref: Entity | str) -> dict:
    """When something happened: start, end, announcement or period, with how it was read.
    ``{"entity", "dates": [{"date", "relation", "note", "sources"}]}``."""
    ent = entity(store, ref)
    notes = [
        str(f["object"]) for f in facts(store, subject=iri_of(ent), predicate=kg_term("dateNote"))
    ]
    out = []
    for pred in DATE_PREDICATES:
        for f in facts(store, subject=iri_of(ent), predicate=kg_term(pred)):
            out.append(
                {
                    "date": str(f["object"]),
                    "relation": relation_labels(store).get(pred, pred),
                    "note": notes[0] if notes else None,
                    "sources": f["sources"],
                }
            )
    return {"entity": ent.brief(), "dates": out}


# ----------------------------------------------------------------------------- projects


def projects(store, ref: Entity | str) -> dict:
    """The projects involving an organisation or place (partner, investor, location), or a
    project's own partners, investors and site. ``{"entity", "projects"}``."""
    ent = entity(store, ref)
    if ent.is_a("Project"):
        rows = run_saved(store, "projects", project=iri_of(ent))
        items = [
            {
                **brief(store, r["entity"]),
                "role": str(r["role"]),
                "project": ent.brief(),
                "sources": cites(r.get("sources")),
            }
            for r in rows
        ]
    else:
        rows = run_saved(store, "projects", entity=iri_of(ent))
        items = [
            {
                **brief(store, r["project"]),
                "role": str(r["role"]),
                "project": brief(store, r["project"]),
                "sources": cites(r.get("sources")),
            }
            for r in rows
        ]
    return {"entity": ent.brief(), "projects": items}


# ----------------------------------------------------------------------------- articles


def mentions(store, ref: Entity | str) -> dict:
    """The articles that support a fact about an entity, with the paragraph numbers."""
    ent = entity(store, ref)
    rows = run_saved(store, "mentions", entity=iri_of(ent))
    found = [
        {
            "id": str(r["article"]),
            "title": str(r["title"]),
            "publisher": str(r["publisher"]),
            "paragraphs": sorted(int(p) for p in str(r["paragraphs"]).split()),
        }
        for r in rows
    ]
    return {"entity": ent.brief(), "articles": found}


# ----------------------------------------------------------------------------- the card


def statements(store, speaker: Entity | str) -> list[dict]:
    """What a person or organisation said (the curator's summaries), with sources."""
    ent = entity(store, speaker)
    out = []
    for f in facts(store, predicate=kg_term("speaker"), object=iri_of(ent)):
        summary = facts(store, subject=f["subject"], predicate=kg_term("summary"))
        out.append(
            {"summary": str(summary[0]["object"]) if summary else "", "sources": f["sources"]}
        )
    return out


def entity_card(store, ref: Entity | str) -> dict:
    """Everything about one entity: names, types, description, attributes, roles and titles,
    relations in both directions, commitments, events attended and statements, each with its
    sources, and the articles behind every claim about it (its type and names included)."""
    from rdflib import RDF

    from kg.vocab import SKOS

    ent = entity(store, ref)
    card = {
        **ent.brief(),
        "iri": ent.iri,
        "types": list(ent.types),
        "label_ko": ent.label_ko,
        "aliases": list(ent.aliases),
    }
    every = facts(store, subject=iri_of(ent))  # its type and names are claims with sources too
    own = [f for f in every if f["predicate"] not in (RDF.type, SKOS.prefLabel, SKOS.altLabel)]
    attributes, relations = [], []
    for view in map(lambda f: _fact_view(store, f), own):
        if "value" in view["object"]:
            attributes.append(
                {
                    "attribute": view["relation"],
                    "value": view["object"]["value"],
                    "sources": view["sources"],
                }
            )
        else:
            relations.append({"direction": "out", **view})
    for f in facts(store, object=iri_of(ent)):
        view = _fact_view(store, f)
        if view["subject"]["kind"] is not None:
            relations.append({"direction": "in", **view})
    card["description"] = next(
        (a["value"] for a in attributes if a["attribute"] == "description"), None
    )
    card["attributes"] = [a for a in attributes if a["attribute"] != "description"]
    card["roles"] = roles(store, member=ent)
    card["members"] = members(store, ent)["members"] if ent.is_a("Organization") else []
    card["relations"] = relations
    agent = ent.is_a("Agent")
    card["commitments"] = commitments(store, investor=ent) if agent else []
    card["events"] = events_attended(store, ent) if agent else []
    card["statements"] = statements(store, ent) if agent else []
    card["sources"] = source_details(store, [s for f in every for s in f["sources"]])
    return card
