"""Grow a synthetic AI-investment ecosystem, deterministically, for the benchmark.

One seeded ``random.Random`` draws investors, companies, officials, executives, projects,
commitments, events with attendees and the sources citing them, in "units" of one deal each, every
unit linked to earlier ones (co-investors, partners, attendees) so that paths run through the
whole graph. The same ecosystem is written twice:

- as a seeds folder (JSON lines are YAML 1.2, so ``kg build --seeds`` reads it as is), to measure
  ``kg build`` itself;
- as N-Triples: the facts with the predicates and IRIs ``kg build`` uses (its own field ->
  predicate table) plus one claim per record with its source, for raw loaders and queries.

Usage: ``python bench/generate.py --triples 10000 --out bench/data/10k``

>>> eco = generate(units=3)
>>> sorted(eco)[:3]
['commitments', 'events', 'memberships']
>>> generate(units=3) == eco
True
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

PARAGRAPHS = 40
UNITS_PER_SOURCE = 10
CITIES = 60
MINISTRIES = 20
FILE_BYTES = 200_000  # one seed file at most (kg refuses files over 256 KB)
FILE_RECORDS = 1_500  # records in one file at most (kg refuses a list of over 2,000)
TRIPLES_PER_UNIT = 83  # measured: fits --triples to a unit count within a few percent

Ecosystem = dict[str, list[dict]]


def generate(units: int, seed: int = 20250922) -> Ecosystem:
    """The ecosystem of ``units`` deals, as seed records by section (``sources`` included)."""
    rng = random.Random(seed)
    eco: Ecosystem = {
        k: []
        for k in (
            "sources",
            "places",
            "organizations",
            "people",
            "memberships",
            "projects",
            "commitments",
            "events",
        )
    }
    n_sources = max(1, -(-units // UNITS_PER_SOURCE))
    for s in range(n_sources):
        eco["sources"].append(
            {
                "id": f"s{s:05d}",
                "file": f"synthetic-{s:05d}.txt",
                "title": f"Synthetic report {s}",
                "outlet": f"Outlet {s % 7}",
                "published": f"{2020 + s % 6}-{1 + s % 12:02d}-{1 + s % 28:02d}",
                "paragraphs": PARAGRAPHS,
            }
        )

    def cite(unit: int) -> list[str]:
        # one paragraph per record: a record that cites several must cite each value (kg rule)
        source = min(unit // UNITS_PER_SOURCE, n_sources - 1)
        first = rng.randint(1, PARAGRAPHS - 1)
        return [f"s{source:05d}:{first}"]

    for c in range(CITIES):
        eco["places"].append(
            {
                "id": f"country-{c % 12:02d}",
                "type": "Country",
                "label": f"Country {c % 12:02d}",
                "cite": cite(0),
            }
            if c < 12
            else {
                "id": f"city-{c:03d}",
                "type": "City",
                "label": f"City {c:03d}",
                "located_in": f"country-{c % 12:02d}",
                "cite": cite(0),
            }
        )
    for m in range(MINISTRIES):
        eco["organizations"].append(
            {
                "id": f"ministry-{m:02d}",
                "type": "GovernmentOrganization",
                "label": f"Ministry {m:02d}",
                "cite": cite(0),
            }
        )
    for u in range(units):
        _unit(eco, rng, u, cite)
    return eco


def _earlier(rng: random.Random, u: int, prefix: str, k: int = 1) -> list[str]:
    """Ids of ``k`` distinct earlier units' records (this unit's if it is the first)."""
    picks = {rng.randrange(u) for _ in range(k)} if u else {0}
    return [f"{prefix}-{p:06d}" for p in sorted(picks)]


def _unit(eco: Ecosystem, rng: random.Random, u: int, cite) -> None:
    tag = f"{u:06d}"
    city = f"city-{rng.randrange(12, CITIES):03d}"
    eco["organizations"] += [
        {
            "id": f"investor-{tag}",
            "type": "Investor",
            "label": f"Investor {tag} Capital",
            "based_in": city,
            "cite": cite(u),
        },
        {
            "id": f"company-{tag}",
            "type": "Company",
            "label": f"Company {tag} Systems",
            "based_in": city,
            "cite": cite(u),
        },
    ]
    eco["people"] += [
        {"id": f"executive-{tag}", "label": f"Executive {tag}", "cite": cite(u)},
        {"id": f"founder-{tag}", "label": f"Founder {tag}", "cite": cite(u)},
        {"id": f"official-{tag}", "type": "Official", "label": f"Official {tag}", "cite": cite(u)},
    ]
    eco["memberships"] += [
        {
            "id": f"executive-{tag}-post",
            "member": f"executive-{tag}",
            "organization": f"investor-{tag}",
            "title": "CEO",
            "cite": cite(u),
        },
        {
            "id": f"founder-{tag}-post",
            "member": f"founder-{tag}",
            "organization": f"company-{tag}",
            "title": "founder",
            "cite": cite(u),
        },
        {
            "id": f"official-{tag}-post",
            "member": f"official-{tag}",
            "organization": f"ministry-{rng.randrange(MINISTRIES):02d}",
            "title": "minister",
            "cite": cite(u),
        },
    ]
    partners = sorted({f"company-{tag}", *_earlier(rng, u, "company")})
    eco["projects"].append(
        {
            "id": f"project-{tag}",
            "type": rng.choice(["DataCenterProject", "FacilityProject"]),
            "label": f"Project {tag}",
            "location": city,
            "partners": partners,
            "status": "planned",
            "cite": cite(u),
        }
    )
    year, month, day = 2020 + rng.randrange(6), 1 + rng.randrange(12), 1 + rng.randrange(28)
    date = f"{year}-{month:02d}-{day:02d}"
    attendees = sorted(
        {
            f"executive-{tag}",
            f"official-{tag}",
            *_earlier(rng, u, "executive", 2),
            *_earlier(rng, u, "founder", 2),
        }
    )
    eco["events"].append(
        {
            "id": f"event-{tag}",
            "type": rng.choice(["Meeting", "Ceremony"]),
            "label": f"Event {tag}",
            "date": date,
            "place": city,
            "attendees": attendees,
            "about": [f"project-{tag}"],
            "cite": cite(u),
        }
    )
    for k in range(1 + rng.randrange(2)):
        investors = sorted({f"investor-{tag}", *(_earlier(rng, u, "investor") if k else [])})
        eco["commitments"].append(
            {
                "id": f"commitment-{tag}-{k}",
                "label": f"Commitment {tag}-{k}",
                "investors": investors,
                "target": f"project-{tag}",
                "amount": {"currency": "USD", "value": rng.randrange(1, 500) * 10_000_000},
                "status": "pledged",
                "announced": date,
                "announced_at": f"event-{tag}",
                "cite": cite(u),
            }
        )


def units_for(triples: int) -> int:
    """The unit count that gives about ``triples`` N-Triples."""
    return max(1, round(triples / TRIPLES_PER_UNIT))


# ----------------------------------------------------------------------------- writers


def write_seeds(eco: Ecosystem, folder: Path) -> list[Path]:
    """Seed files per section (``section-NNN.yaml``, each under FILE_BYTES, the way a large
    curation is split into files within kg's size limit), each record a JSON flow mapping on
    its own line."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for section, records in eco.items():
        lines = [f"  - {json.dumps(record, ensure_ascii=False)}\n" for record in records]
        chunk: list[str] = []
        size = 0
        for line in [*lines, None]:
            if line is None or (
                chunk and (size + len(line.encode()) > FILE_BYTES or len(chunk) >= FILE_RECORDS)
            ):
                path = folder / f"{section}-{len(paths):03d}.yaml"
                path.write_text(f"{section}:\n" + "".join(chunk), encoding="utf-8")
                paths.append(path)
                chunk, size = [], 0
            if line is not None:
                chunk.append(line)
                size += len(line.encode())
    return paths


def ntriples(eco: Ecosystem) -> Iterator[str]:
    """The ecosystem's facts and claims as N-Triples lines, with kg's predicates and IRIs."""
    from kg.build import DATE_TYPES, PREDICATES, STATUS_TERMS
    from kg.schema import KINDS
    from kg.vocab import DCT, KG, PROV, claim_iri, entity_iri, source_iri

    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    xsd = "http://www.w3.org/2001/XMLSchema#"

    def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
        body = json.dumps(text, ensure_ascii=False)  # JSON string escapes are N-Triples escapes
        return body + (f"@{lang}" if lang else f"^^<{datatype}>" if datatype else "")

    for src in eco["sources"]:
        s = f"<{source_iri(src['id'])}>"
        yield f"{s} {rdf_type} <{KG.NewsArticle}> ."
        yield f"{s} <{DCT.title}> {lit(src['title'], 'en')} ."
        yield f"{s} <{DCT.publisher}> {lit(src['outlet'])} ."
        yield f"{s} <{DCT.issued}> {lit(src['published'], datatype=str(DATE_TYPES['day']))} ."
    for kind, records in eco.items():
        if kind == "sources":
            continue
        base, specs = KINDS[kind]
        preds = PREDICATES[kind]
        for rec in records:
            s = f"<{entity_iri(rec['id'])}>"
            claim = f"<{claim_iri(rec['id'])}>"
            yield f"{claim} {rdf_type} <{KG.Claim}> ."
            for source in sorted({c.split(":")[0] for c in rec["cite"]}):
                yield f"{claim} <{PROV.wasDerivedFrom}> <{source_iri(source)}> ."
            yield f"{s} {rdf_type} <{KG[rec.get('type', base)]}> ."
            for name, value in rec.items():
                if name in ("id", "type", "cite"):
                    continue
                pred = f"<{preds[name]}>"
                for v in value if isinstance(value, list) else [value]:
                    if name == "status":
                        yield f"{s} {pred} <{STATUS_TERMS[v]}> ."
                    elif name == "amount":
                        node = f"<{entity_iri(rec['id'])}/amount>"
                        yield f"{s} {pred} {node} ."
                        yield f"{node} {rdf_type} <{KG.MonetaryAmount}> ."
                        yield f"{node} <{KG.currency}> {lit(v['currency'])} ."
                        for p in (KG.value, KG.valueUsd):
                            yield f"{node} <{p}> {lit(str(v['value']), datatype=xsd + 'decimal')} ."
                    elif specs[name].type == "ref":
                        yield f"{s} {pred} <{entity_iri(v)}> ."
                    elif specs[name].type == "date":
                        yield f"{s} {pred} {lit(v, datatype=str(DATE_TYPES['day']))} ."
                    else:
                        yield f"{s} {pred} {lit(v, specs[name].lang)} ."


def write_ntriples(eco: Ecosystem, path: Path) -> int:
    """Write :func:`ntriples` to ``path``; return the number of triples."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for line in ntriples(eco):
            fh.write(line + "\n")
            count += 1
    return count


def write_all(triples: int, out: Path, seed: int = 20250922) -> dict:
    """Generate about ``triples`` triples into ``out/seeds/`` and ``out/triples.nt``."""
    eco = generate(units_for(triples), seed)
    write_seeds(eco, out / "seeds")
    count = write_ntriples(eco, out / "triples.nt")
    return {
        "units": units_for(triples),
        "triples": count,
        "records": sum(len(v) for k, v in eco.items() if k != "sources"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="about how many triples")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--seed", type=int, default=20250922)
    args = parser.parse_args()
    print(json.dumps(write_all(args.triples, args.out, args.seed)))


if __name__ == "__main__":
    main()
