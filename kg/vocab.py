"""Namespaces and the IRIs kg mints.

>>> entity_iri("blackrock")
rdflib.term.URIRef('https://w3id.org/korea-ai-kg/id/blackrock')
"""

from __future__ import annotations

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/korea-ai-kg/"
KG = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
ONTOLOGY_GRAPH = URIRef(BASE + "ontology")
PROVENANCE_GRAPH = URIRef(BASE + "graph/provenance")

SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCT = Namespace("http://purl.org/dc/terms/")
FIBO_AGR = Namespace("https://spec.edmcouncil.org/fibo/ontology/FND/Agreements/Agreements/")

PREFIXES = {
    "kg": KG,
    "id": ID,
    "schema": SCHEMA,
    "prov": PROV,
    "org": ORG,
    "skos": SKOS,
    "dcterms": DCT,
    "fibo-agr": FIBO_AGR,
    "rdf": Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    "rdfs": Namespace("http://www.w3.org/2000/01/rdf-schema#"),
    "owl": Namespace("http://www.w3.org/2002/07/owl#"),
    "xsd": Namespace("http://www.w3.org/2001/XMLSchema#"),
    "sh": Namespace("http://www.w3.org/ns/shacl#"),
}


def local_id(iri) -> str:
    """The id part of an entity IRI (``id:blackrock`` -> ``blackrock``); other IRIs unchanged."""
    text = str(iri)
    return text[len(str(ID)) :] if text.startswith(str(ID)) else text


def kg_name(iri) -> str | None:
    """The local name of a kg: ontology term (``kg:attendee`` -> ``attendee``), else None.

    >>> kg_name(KG.attendee), kg_name(ID["x"])
    ('attendee', None)
    """
    text = str(iri)
    return text[len(str(KG)) :] if text.startswith(str(KG)) else None


def entity_iri(entity_id: str) -> URIRef:
    """The IRI of a curated entity or record."""
    return ID[entity_id]


def source_iri(source_id: str) -> URIRef:
    """The IRI of a source article."""
    return ID["source/" + source_id]


def claim_iri(claim_id: str) -> URIRef:
    """The IRI of a claim, which is also the name of the graph holding its triples."""
    return ID["claim/" + claim_id]


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib Graph or Dataset (replacing rdflib's defaults)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
