"""Turn what the rules found into proposed seed records (typed, deterministic)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kg.articles import paragraphs
from kg.draft.extract import (
    Mention,
    Money,
    Name,
    find_dates,
    find_known,
    find_money,
    find_new,
    find_quantities,
    rules,
)
from kg.names import name_key
from kg.seeds import Seeds

ENTITY_KINDS = ("people", "organizations", "places")


@dataclass(frozen=True)
class Proposal:
    """One proposed record: its section, id, fields (seed YAML values), rule and confidence."""

    section: str
    id: str
    fields: dict
    rule: str
    confidence: float


@dataclass(frozen=True)
class Draft:
    """A drafted article: the source record, links to known ids, and proposed records."""

    source: dict
    known: dict[str, list[int]]
    proposals: list[Proposal] = field(default_factory=list)


def registry(seeds: Seeds) -> list[Name]:
    """Every name of every known entity (labels, Korean labels, aliases), titles kept apart."""
    out = []
    for rec in seeds.records.values():
        if rec.kind not in (*ENTITY_KINDS, "projects", "events", "agreements"):
            continue
        for fname in ("label", "label_ko", "aliases"):
            for v in rec.fields.get(fname, []):
                name = v.value["name"] if isinstance(v.value, dict) else v.value
                if isinstance(name, str):
                    out.append(Name(rec.id, rec.kind, name))
    return out


def slug(text: str) -> str:
    """A proposed id from a name: lower-case ASCII letters, digits and hyphens."""
    s = re.sub(r"[^a-z0-9]+", "-", name_key(text).encode("ascii", "ignore").decode()).strip("-")
    return s[:60] or "entity"


def _amount(m: Money, cite: str) -> dict:
    out: dict = {"currency": m.currency}
    for key, val in (("value", m.value), ("min", m.min), ("max", m.max)):
        if val is not None:
            out[key] = int(val) if float(val).is_integer() else val
    if m.per:
        out["per"] = m.per
    return out


def _horizon(text: str) -> dict:
    """'over the next five years' -> horizon_years; 'by 2031' -> horizon_end."""
    numbers = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
    out: dict = {}
    m = re.search(r"\b(?:over|within|in)\s+(?:the\s+)?(?:next\s+)?(\w+)\s+years\b", text, re.I)
    if m:
        n = numbers.get(m[1].casefold()) or (int(m[1]) if m[1].isdigit() else None)
        if n and 1 <= n <= 100:
            out["horizon_years"] = n
    m = re.search(r"\bby\s+((?:19|20)\d{2})\b", text)
    if m:
        out["horizon_end"] = m[1]
    return out


def _status(text: str) -> str | None:
    verbs = rules()["relation_verbs"]
    words = re.findall(r"[a-z]+", text.casefold())
    for w in words:
        st = verbs.get(w)
        if st in ("signed", "pledged", "announced", "planned"):
            return st
    return None


def draft(
    article: Path,
    seeds: Seeds,
    source_id: str,
    title: str | None = None,
    outlet: str | None = None,
    author: str | None = None,
    published: dt.date | None = None,
    last: int | None = None,
) -> Draft:
    """Draft an article: link known names, propose new entities, amounts, quantities, dates.

    ``last`` is the article's last paragraph (a reposting site's trailing material is left out).
    """
    paras = paragraphs(article)[:last]
    names = registry(seeds)
    source: dict = {"id": source_id, "file": article.name}
    if title:
        source["title"] = title
    else:
        source["title"] = f"Article {source_id}"
        source["title_supplied"] = True
    if outlet:
        source["outlet"] = outlet
    if author:
        source["author"] = author
    if published:
        source["published"] = published.isoformat()
    source["paragraphs"] = len(paras)
    known: dict[str, list[int]] = defaultdict(list)
    new: dict[str, tuple[Mention, list[int]]] = {}
    proposals: list[Proposal] = []
    links: list[_Link] = []
    taken = set(seeds.records) | set(seeds.sources)
    for n, text in enumerate(paras, 1):
        cite = f"{source_id}:{n}"
        kn = find_known(n, text, names)
        mentions = kn + find_new(n, text, kn, names)
        for m in mentions:
            if m.known:
                if n not in known[m.known]:
                    known[m.known].append(n)
                continue
            key = name_key(m.text)
            if key in new:
                if n not in new[key][1]:
                    new[key][1].append(n)
            else:
                new[key] = (m, [n])
        para_known = [m.known for m in kn if m.known]
        investors = sorted({i for i in para_known if "Investor" in seeds.records[i].types})
        for i, money in enumerate(find_money(n, text), 1):
            fields: dict = {"label": _money_label(money), "amount": _amount(money, cite)}
            if investors:
                fields["investors"] = investors
            fields.update(_horizon(text))
            fields["status"] = _status(text) or "reported"
            fields["cite"] = cite
            proposals.append(
                Proposal(
                    "commitments",
                    f"{source_id}-p{n}-amount-{i}",
                    fields,
                    money.rule,
                    money.confidence,
                )  # fmt: skip
            )
        for i, q in enumerate(find_quantities(n, text), 1):
            measure = {"kind": q.kind, "value": _int(q.value), "unit": q.unit}
            fields = {"label": f"{_int(q.value):,} {q.unit} ({source_id} paragraph {n})",
                      "measures": [measure], "cite": cite}  # fmt: skip
            proposals.append(
                Proposal("projects", f"{source_id}-p{n}-quantity-{i}", fields, q.rule, q.confidence)
            )
        for i, w in enumerate(find_dates(n, text, published), 1):
            fields = {"type": "Event", "label": f"Event dated {w.text} ({source_id} paragraph {n})",
                      "date": w.text, "cite": cite}  # fmt: skip
            where = sorted({m.known for m in kn if m.known and m.kind == "places"})
            if where:
                fields["place"] = where[0]
            attendees = sorted({m.known for m in kn if m.known and m.kind == "people"})
            if attendees:
                fields["attendees"] = attendees
            proposals.append(
                Proposal("events", f"{source_id}-p{n}-date-{i}", fields, w.rule, w.confidence)
            )
        links.extend(_relations(n, text, mentions))
    proposals = merge(proposals)
    ids: dict[str, str] = {}
    for key, (m, cites) in sorted(new.items()):
        rid = slug(m.text)
        while rid in taken:
            rid = f"{rid}-{source_id}"
        taken.add(rid)
        ids[key] = rid
        fields = {"label": m.text, "cite": [f"{source_id}:{c}" for c in cites]}
        if len(cites) == 1:
            fields["cite"] = fields["cite"][0]
        proposals.append(Proposal(m.kind, rid, fields, m.rule, m.confidence))
    posts = {
        (r.one("member"), r.one("organization"))
        for r in seeds.records.values()
        if r.kind == "memberships"
    }
    proposals.extend(_relation_records(links, ids, source_id, taken, posts))
    return Draft(source, dict(known), proposals)


@dataclass(frozen=True)
class _Link:
    """A relation found in a paragraph, between mentions (known ids or new names)."""

    kind: str  # membership | agreement
    para: int
    ends: dict
    rule: str
    confidence: float


def _ref(m: Mention) -> str:
    return m.known or "new:" + name_key(m.text)


def _relations(n: int, text: str, mentions: list[Mention]) -> list[_Link]:
    """Posts ("BlackRock CEO Larry Fink", "Larry Fink, chairman of BlackRock") and signed
    agreements (an agreement word and a signing verb in one paragraph)."""
    r = rules()
    people = [m for m in mentions if m.kind == "people"]
    orgs = [m for m in mentions if m.kind == "organizations"]
    titles = "|".join(re.escape(t) for t in sorted(r["titles"], key=len, reverse=True))
    out = []
    for p in people:
        for o in orgs:
            pn, on = re.escape(p.text), re.escape(o.text)
            for rule, pattern in (
                ("post-before-name", rf"{on}(?:['’]s)?\s+(?P<t>{titles})\s+{pn}"),
                (
                    "post-after-name",
                    rf"{pn},\s+(?:the\s+)?(?P<t>{titles})\s+(?:of|at)\s+(?:the\s+)?{on}",
                ),
            ):
                m = re.search(pattern, text, re.I)
                if m:
                    ends = {"member": _ref(p), "organization": _ref(o), "title": m["t"]}
                    out.append(_Link("membership", n, ends, rule, 0.7))
                    break
    low = text.casefold()
    kinds = r["agreement_words"]
    word = next(
        (w for w in sorted(kinds, key=len, reverse=True) if re.search(rf"\b{re.escape(w)}\b", low)),
        None,
    )
    signed = any(re.search(rf"\b{v}\b", low) for v in r["signing_verbs"])
    if word and signed and orgs:
        ends = {"type": kinds[word], "parties": sorted({_ref(o) for o in orgs}),
                "signatories": sorted({_ref(p) for p in people})}  # fmt: skip
        out.append(_Link("agreement", n, ends, "agreement-signed", 0.5))
    return out


def _relation_records(
    links: list[_Link], ids: dict, source_id: str, taken: set, posts: set
) -> list[Proposal]:
    """Memberships (one per member and organisation not yet recorded) and agreements."""

    def resolve(ref: str) -> str:
        return ids.get(ref[4:], ref) if ref.startswith("new:") else ref

    out = []
    seen: dict[tuple, Proposal] = {}
    for link in links:
        cite = f"{source_id}:{link.para}"
        if link.kind == "membership":
            member, org = resolve(link.ends["member"]), resolve(link.ends["organization"])
            key = (member, org)
            if key in seen or key in posts or member == org:
                continue
            rid = slug(f"{member} {org}")
            while rid in taken:
                rid = f"{rid}-{source_id}"
            taken.add(rid)
            fields = {
                "member": member,
                "organization": org,
                "title": link.ends["title"],
                "cite": cite,
            }
            seen[key] = Proposal("memberships", rid, fields, link.rule, link.confidence)
            out.append(seen[key])
        else:
            fields = {"type": link.ends["type"],
                      "label": f"{link.ends['type']} ({source_id} paragraph {link.para})",
                      "parties": [resolve(x) for x in link.ends["parties"]]}  # fmt: skip
            if link.ends["signatories"]:
                fields["signatories"] = [resolve(x) for x in link.ends["signatories"]]
            fields["cite"] = cite
            rid = f"{source_id}-p{link.para}-agreement"
            out.append(Proposal("agreements", rid, fields, link.rule, link.confidence))
    return out


def _same(p: Proposal) -> tuple:
    """What makes two amount, quantity or date proposals one fact stated twice."""
    f = p.fields
    return (p.section, repr(f.get("amount")), repr(f.get("measures")), f.get("date"))


def merge(proposals: list[Proposal]) -> list[Proposal]:
    """One proposal per repeated figure or date, citing every paragraph that states it.

    References (investors, attendees) are pooled; each value cites the paragraphs behind it.
    """
    groups: dict[tuple, list[Proposal]] = {}
    for p in proposals:
        groups.setdefault(_same(p), []).append(p)
    out = []
    for group in groups.values():
        first = group[0]
        if len(group) == 1:
            out.append(first)
            continue
        cites = [p.fields["cite"] for p in group]
        fields = dict(first.fields)
        for key in ("investors", "attendees"):
            pooled: dict[str, list[str]] = {}
            for p in group:
                for i in p.fields.get(key, []):
                    pooled.setdefault(i, []).append(p.fields["cite"])
            if pooled:
                fields[key] = [{"id": i, "cite": c} for i, c in sorted(pooled.items())]
            else:
                fields.pop(key, None)
        for key in ("amount", "measures", "date"):
            if key in fields:
                value = fields[key]
                if isinstance(value, dict):
                    fields[key] = {**value, "cite": cites}
                elif isinstance(value, list):
                    fields[key] = [{**m, "cite": cites} for m in value]
                else:
                    fields[key] = {"value": value, "cite": cites}
        for key in ("status", "horizon_years", "horizon_end", "place"):
            if key in fields:
                fields[key] = {
                    "value" if key != "place" else "id": fields[key],
                    "cite": first.fields["cite"],
                }
        fields["label"] = re.sub(
            r"\((?:\w+ )?paragraph \d+\)$", f"({first.fields['cite']} ...)", fields["label"]
        )
        fields["cite"] = cites
        best = max(p.confidence for p in group)
        out.append(
            Proposal(first.section, first.id, fields, first.rule, round(min(1.0, best + 0.05), 2))
        )
    return out


def _int(v: float):
    return int(v) if float(v).is_integer() else v


def _money_label(m: Money) -> str:
    def fmt(v: float) -> str:
        for word, size in (("trillion", 1e12), ("billion", 1e9), ("million", 1e6)):
            if v >= size:
                return f"{v / size:g} {word}"
        return f"{v:,.0f}"

    if m.value is not None:
        text = fmt(m.value)
    elif m.min is not None and m.max is not None:
        text = f"{fmt(m.min)} to {fmt(m.max)}"
    elif m.max is not None:
        text = f"up to {fmt(m.max)}"
    else:
        text = f"more than {fmt(m.min or 0)}"
    return f"{m.currency} {text}" + (f" per {m.per}" if m.per else "") + f" (paragraph {m.para})"
