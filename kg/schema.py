"""The record schema: one table of the seed format, field by field, from which the seeds loader
(:mod:`kg.seeds`), the builder's predicates and languages (:mod:`kg.build`) and the classes a
lookup expects (:func:`kg.lookup.allowed`) are all derived.

Each record kind (a section of a seed file) has a base class and its fields; each field has a
type, whether it repeats or is required, the classes a reference may point at, the predicate it
becomes (a kg term, or ``skos:prefLabel`` / ``skos:altLabel``; None for the fields the builder
handles itself: id, type, cite, note, conflicts_with, label_ko, former) and the language of its
text. Adding a field means adding it here and to ``ontology/shapes.ttl``.

>>> KINDS["events"][1]["attendees"].predicate, KINDS["memberships"][1]["title"].lang
('attendee', 'en')
>>> STATUS_TERMS["under-way"]
'UnderWay'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Spec:
    """How one field of a record is read: its type, whether it repeats, what it may refer to."""

    type: str  # text | ref | date | int | bool | status | money | measures | aliases | ko | year
    many: bool = False
    required: bool = False
    classes: tuple[str, ...] = ()
    predicate: str | None = None  # kg local name, or a prefixed skos name
    lang: str | None = None  # language tag of a text value


NAMED = {
    "id": Spec("id", required=True),
    "type": Spec("type", many=True),
    "label": Spec("text", required=True, predicate="skos:prefLabel", lang="en"),
    "label_ko": Spec("ko"),
    "aliases": Spec("aliases", many=True, predicate="skos:altLabel", lang="en"),
    "description": Spec("text", predicate="description", lang="en"),
    "cite": Spec("cite", required=True),
    "note": Spec("text"),
    "conflicts_with": Spec("ref", many=True),
}

AGENT = ("Agent",)
ORGS = ("Organization",)

KINDS: dict[str, tuple[str, dict[str, Spec]]] = {
    "people": (
        "Person",
        {
            **NAMED,
            "role": Spec("text", predicate="role", lang="en"),
            "spouse": Spec("ref", classes=("Person",), predicate="spouse"),
        },
    ),
    "organizations": (
        "Organization",
        {
            **NAMED,
            "owned_by": Spec("ref", many=True, classes=ORGS, predicate="ownedBy"),
            "part_of": Spec("ref", many=True, classes=ORGS, predicate="subOrganizationOf"),
            "based_in": Spec("ref", classes=("Place",), predicate="basedIn"),
            "status": Spec("status", predicate="status"),
        },
    ),
    "places": (
        "Place",
        {**NAMED, "located_in": Spec("ref", classes=("Place",), predicate="locatedIn")},
    ),
    "events": (
        "Event",
        {
            **NAMED,
            "date": Spec("date", predicate="startDate"),
            "end_date": Spec("date", predicate="endDate"),
            "date_note": Spec("text", predicate="dateNote", lang="en"),
            "place": Spec("ref", classes=("Place",), predicate="location"),
            "part_of": Spec("ref", classes=("Event",), predicate="subEventOf"),
            "attendees": Spec("ref", many=True, classes=AGENT, predicate="attendee"),
            "organizer": Spec("ref", many=True, classes=AGENT, predicate="organizer"),
            "chair": Spec("ref", classes=("Person",), predicate="chair"),
            "about": Spec("ref", many=True, predicate="about"),
            "status": Spec("status", predicate="status"),
        },
    ),
    "agreements": (
        "Agreement",
        {
            **NAMED,
            "date": Spec("date", predicate="startDate"),
            "date_note": Spec("text", predicate="dateNote", lang="en"),
            "signed_at": Spec("ref", classes=("Event",), predicate="signedAt"),
            "parties": Spec("ref", many=True, classes=ORGS, predicate="party"),
            "signatories": Spec("ref", many=True, classes=("Person",), predicate="signatory"),
            "witnesses": Spec("ref", many=True, classes=("Person",), predicate="witness"),
            "may_lead_to_joining": Spec(
                "ref", many=True, classes=ORGS, predicate="mayLeadToJoining"
            ),
            "status": Spec("status", predicate="status"),
        },
    ),
    "commitments": (
        "Commitment",
        {
            **NAMED,
            "investors": Spec("ref", many=True, classes=("Investor",), predicate="investor"),
            "target": Spec("ref", many=True, classes=("Project",), predicate="target"),
            "sectors": Spec("text", many=True, predicate="sector", lang="en"),
            "recipient": Spec(
                "ref", many=True, classes=("Place", "Organization"), predicate="recipient"
            ),
            "amount": Spec("money", predicate="amount"),
            "undisclosed": Spec("bool", predicate="undisclosed"),
            "estimates": Spec("money", many=True, predicate="estimate"),
            "horizon_years": Spec("int", predicate="horizonYears"),
            "horizon_end": Spec("year", predicate="horizonEnd"),
            "status": Spec("status", required=True, predicate="status"),
            "announced": Spec("date", predicate="announcedOn"),
            "date_note": Spec("text", predicate="dateNote", lang="en"),
            "announced_at": Spec("ref", classes=("Event",), predicate="announcedAt"),
            "announced_by": Spec("ref", many=True, classes=AGENT, predicate="announcedBy"),
            "agreement": Spec("ref", classes=("Agreement",), predicate="underAgreement"),
            "part_of": Spec("ref", classes=("Commitment",), predicate="partOf"),
        },
    ),
    "projects": (
        "Project",
        {
            **NAMED,
            "location": Spec("ref", many=True, classes=("Place",), predicate="location"),
            "partners": Spec("ref", many=True, classes=AGENT, predicate="partner"),
            "measures": Spec("measures", many=True, predicate="measure"),
            "status": Spec("status", predicate="status"),
        },
    ),
    "statistics": (
        "Statistic",
        {
            **NAMED,
            "measure": Spec("text", required=True, predicate="measureName", lang="en"),
            "subject": Spec("ref", classes=("Place", "Organization"), predicate="subject"),
            "value": Spec("money", required=True, predicate="amount"),
            "period": Spec("date", predicate="period"),
            "publisher": Spec("ref", classes=AGENT, predicate="publisher"),
            "report": Spec("text", predicate="report"),
            "status": Spec("status", predicate="status"),
        },
    ),
    "memberships": (
        "Membership",
        {
            "id": Spec("id", required=True),
            "member": Spec("ref", required=True, classes=AGENT, predicate="member"),
            "organization": Spec("ref", required=True, classes=ORGS, predicate="organization"),
            "title": Spec("text", predicate="title", lang="en"),
            "former": Spec("bool"),
            "period": Spec("date", predicate="period"),
            "cite": Spec("cite", required=True),
            "note": Spec("text"),
            "conflicts_with": Spec("ref", many=True),
        },
    ),
    "statements": (
        "Statement",
        {
            "id": Spec("id", required=True),
            "speaker": Spec("ref", required=True, classes=AGENT, predicate="speaker"),
            "summary": Spec("text", required=True, predicate="summary", lang="en"),
            "date": Spec("date", predicate="startDate"),
            "date_note": Spec("text", predicate="dateNote", lang="en"),
            "made_at": Spec("ref", classes=("Event",), predicate="madeAt"),
            "about": Spec("ref", many=True, predicate="about"),
            "cite": Spec("cite", required=True),
            "note": Spec("text"),
            "conflicts_with": Spec("ref", many=True),
        },
    ),
}


STATUSES = ("pledged", "signed", "announced", "reported", "planned", "proposed", "under-way")
# each status value -> the name of its kg:Status term (``under-way`` -> ``kg:UnderWay``)
STATUS_TERMS = {s: "".join(part.capitalize() for part in s.split("-")) for s in STATUSES}
