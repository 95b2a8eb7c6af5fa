"""How well `kg draft` drafts an article it has not seen: each curated article held out in turn.

For each source: the records citing only that source are removed (they are what a curator would
have to add: "new"), the article is drafted against what is left, and the draft is compared
with the curated records citing the source:

- known: entities (people, organisations, places) cited by the source that stay in the seeds
  (they cite other sources too) and that the draft links to their ids;
- new: held-out entities for which the draft proposes a record with one of their names
  (name keys equal, or rapidfuzz ratio >= 85);
- values: curated amounts (commitment amounts and estimates, statistic values, project measures)
  cited at the source that the draft proposes (same currency, any of value/min/max within 1%;
  measures by value);
- dates: curated dates (events, agreements, commitments' announced and horizon_end, statistic
  periods) cited at the source that the draft proposes;
- precision: the share of the draft's proposals (links, new entities, amounts, quantities,
  dates) that match a curated record or value of the source.

Usage: python bench/draft_eval.py [--articles DIR] [--json] [--write-docs]
The article files are not in the repository: --articles or $KG_ARTICLES (default ../shared/seeds).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from rapidfuzz import fuzz

from kg.draft.propose import Draft, draft
from kg.names import name_key
from kg.paths import default_seeds
from kg.seeds import Record, Seeds, load_seeds

ENTITIES = ("people", "organizations", "places")
DOCS = Path(__file__).resolve().parent.parent / "docs" / "draft.md"
MARK = "<!-- draft-eval -->"
TARGETS = {"known": 0.90, "new": 0.80, "values": 0.80, "dates": 0.90, "precision": 0.70}


@dataclass(frozen=True)
class Score:
    """Hits and totals of one article (or all of them)."""

    source: str
    known: tuple[int, int]
    new: tuple[int, int]
    values: tuple[int, int]
    dates: tuple[int, int]
    precision: tuple[int, int]

    def ratio(self, name: str) -> float:
        hit, total = getattr(self, name)
        return hit / total if total else 1.0


def _cites(record: Record) -> set[str]:
    out = {c.source for c in record.cites}
    for values in record.fields.values():
        for v in values:
            out |= {c.source for c in v.cites or []}
            if isinstance(v.value, dict):
                for c in v.value.get("cite", []) or []:
                    out.add(getattr(c, "source", str(c).split(":")[0]))
    return out


def _value_sources(record: Record, value) -> set[str]:
    return {c.source for c in (value.cites or record.cites)}


def _names(record: Record) -> list[str]:
    out = []
    for field in ("label", "aliases"):
        for v in record.fields.get(field, []):
            out.append(v.value["name"] if isinstance(v.value, dict) else v.value)
    return [n for n in out if isinstance(n, str)]


def _same_name(a: str, b: str) -> bool:
    ka, kb = name_key(a), name_key(b)
    return ka == kb or fuzz.ratio(ka, kb) >= 85


def held_out(seeds: Seeds, source: str) -> Seeds:
    """The seeds without the records that cite only ``source``."""
    kept = {rid: r for rid, r in seeds.records.items() if _cites(r) != {source}}
    sources = {sid: s for sid, s in seeds.sources.items() if sid != source}
    return Seeds(sources=sources, records=kept, files=seeds.files)


def curated_values(seeds: Seeds, source: str) -> list[tuple]:
    """(currency or unit, numbers) of every amount and measure the source states."""
    out = []
    for r in seeds.records.values():
        for field in ("amount", "estimates", "value"):
            for v in r.fields.get(field, []):
                if isinstance(v.value, dict) and source in _value_sources(r, v):
                    keys = ("value", "min", "max", "stated_usd")
                    nums = [v.value[k] for k in keys if k in v.value]
                    out.append((v.value.get("currency"), tuple(nums)))
        for v in r.fields.get("measures", []):
            if source in _value_sources(r, v):
                out.append((None, (v.value["value"],)))
    return out


def curated_dates(seeds: Seeds, source: str) -> set[str]:
    out = set()
    for r in seeds.records.values():
        for field in ("date", "end_date", "announced", "horizon_end", "period"):
            for v in r.fields.get(field, []):
                if source in _value_sources(r, v):
                    out.add(getattr(v.value, "text", str(v.value)))
    return out


def _proposed_numbers(d: Draft) -> list[tuple]:
    out = []
    for p in d.proposals:
        if "amount" in p.fields:
            a = p.fields["amount"]
            out.append((a["currency"], tuple(a[k] for k in ("value", "min", "max") if k in a)))
        for m in p.fields.get("measures", []):
            out.append((None, (m["value"],)))
    return out


def _value_match(a: tuple, b: tuple) -> bool:
    if a[0] is not None and b[0] is not None and a[0] != b[0]:
        return False
    return any(abs(x - y) <= 0.01 * max(abs(x), 1) for x in a[1] for y in b[1])


def _date_text(v) -> str:
    return str(v["value"]) if isinstance(v, dict) else str(v)


def score(seeds: Seeds, source: str, articles: Path) -> Score:
    """Draft ``source`` against the seeds without it and compare with the curated records."""
    info = seeds.sources[source].fields
    published = info.get("published") or info.get("not_before")
    rest = held_out(seeds, source)
    d = draft(
        articles / info["file"], rest, source, info.get("title"), info.get("outlet"),
        info.get("author"), published.as_date() if published else None, info["paragraphs"],
    )  # fmt: skip
    cited = {rid: r for rid, r in seeds.records.items() if source in _cites(r)}
    entities = {rid: r for rid, r in cited.items() if r.kind in ENTITIES}
    known = {rid for rid in entities if rid in rest.records}
    new = {rid: r for rid, r in entities.items() if rid not in rest.records}
    new_all = {rid: r for rid, r in cited.items() if rid not in rest.records}
    proposed_new = [p for p in d.proposals if p.section in ENTITIES]

    def proposes(r: Record) -> bool:
        return any(_same_name(p.fields["label"], n) for p in proposed_new for n in _names(r))

    values = curated_values(seeds, source)
    numbers = _proposed_numbers(d)
    dates = curated_dates(seeds, source)
    drafted_dates = {_date_text(p.fields["date"]) for p in d.proposals if "date" in p.fields}
    drafted_dates |= {
        _date_text(p.fields["horizon_end"]) for p in d.proposals if "horizon_end" in p.fields
    }
    good = sum(1 for rid in d.known if rid in cited)
    good += sum(
        1
        for p in proposed_new
        if any(_same_name(p.fields["label"], n) for r in new_all.values() for n in _names(r))
    )
    good += sum(1 for n in numbers if any(_value_match(n, v) for v in values))
    good += sum(1 for t in drafted_dates if t in dates)
    total = len(d.known) + len(proposed_new) + len(numbers) + len(drafted_dates)
    return Score(
        source,
        (len(known & set(d.known)), len(known)),
        (sum(1 for r in new.values() if proposes(r)), len(new)),
        (sum(1 for v in values if any(_value_match(n, v) for n in numbers)), len(values)),
        (len(dates & drafted_dates), len(dates)),
        (good, total),
    )


def overall(scores: list[Score]) -> Score:
    def add(name):
        return (sum(getattr(s, name)[0] for s in scores), sum(getattr(s, name)[1] for s in scores))

    return Score("all", *(add(n) for n in TARGETS))


def table(scores: list[Score]) -> str:
    rows = ["| article | " + " | ".join(TARGETS) + " |", "|---" * (len(TARGETS) + 1) + "|"]
    for s in [*scores, overall(scores)]:
        cells = [f"{s.ratio(n):.0%} ({getattr(s, n)[0]}/{getattr(s, n)[1]})" for n in TARGETS]
        rows.append(f"| {s.source} | " + " | ".join(cells) + " |")
    rows.append("| target | " + " | ".join(f"≥{t:.0%}" for t in TARGETS.values()) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("KG_ARTICLES") or str(
        Path(__file__).resolve().parents[2] / "shared" / "seeds"
    )
    ap.add_argument("--articles", type=Path, default=Path(default))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--write-docs", action="store_true", help=f"replace the table in {DOCS.name}")
    args = ap.parse_args(argv)
    seeds = load_seeds(default_seeds())
    scores = [score(seeds, sid, args.articles) for sid in sorted(seeds.sources)]
    if args.json:
        print(json.dumps([asdict(s) for s in [*scores, overall(scores)]], indent=2))
    else:
        print(table(scores))
    if args.write_docs:
        text = DOCS.read_text(encoding="utf-8")
        head, _, rest = text.partition(MARK)
        _, _, tail = rest.partition(MARK)
        DOCS.write_text(f"{head}{MARK}\n{table(scores)}\n{MARK}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
