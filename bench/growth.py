"""How ``kg build`` grows: stage by stage from 10k to 1M triples, against pyoxigraph alone, and
how much of a clean build an incremental one (``--cache``) takes.

    python bench/growth.py                  # 10k and 100k triples
    python bench/growth.py --sizes 10k,100k,1M

For each size: CPU seconds of every stage in one process (``tasks.py build-stages``), the whole
``kg build`` command (wall, peak memory), the reference pipeline (pyoxigraph parses the built
N-Quads and serializes TriG, JSON-LD and Turtle), and rebuilds through the cache after touching
one seed file (same bytes, new mtime) and after adding one article's file, the latter compared
byte for byte with a clean build of the same folder. Figures go to ``bench/data/growth.json``
and a Markdown table to stdout.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
from pathlib import Path

import generate
from run import TASK_ENV, measure, task

BENCH = Path(__file__).resolve().parent
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
MAX_RECORDS = 200_000
ARTICLE = """sources:
  - {"id": "zz-new", "file": "zz-new.txt", "title": "One more article", "outlet": "Outlet",
     "published": "2025-10-30", "paragraphs": 5}
organizations:
  - {"id": "zz-new-fund", "type": ["Company", "Investor"], "label": "Newly Reported Fund",
     "cite": ["zz-new:1"]}
commitments:
  - {"id": "zz-new-commitment", "label": "Newly Reported Fund commitment",
     "investors": ["zz-new-fund"], "amount": {"currency": "USD", "value": 1000000},
     "status": "announced", "cite": ["zz-new:2"]}
"""


def kg_build(seeds: Path, out: Path, *flags: str, limit: float) -> dict:
    cmd = [sys.executable, "-m", "kg", "build", "--seeds", str(seeds), "--out", str(out), *flags]
    cmd += ["--max-records", str(MAX_RECORDS)]
    run = measure(cmd, limit, env=TASK_ENV)
    if run.returncode and not run.timed_out:
        raise RuntimeError(f"kg build failed:\n{run.stderr}")
    return {"wall": run.wall, "rss_mb": run.rss_mb, "timed_out": run.timed_out}


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def one_size(label: str, triples: int, data: Path, limit: float) -> dict:
    folder = data / f"growth-{label}"
    if not (folder / "info.json").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        made = generate.write_all(triples, folder)
        (folder / "info.json").write_text(json.dumps(made))
    seeds, cache = folder / "seeds", folder / "cache"
    for name in ("out-clean", "out-touch", "out-added", "out-added-clean", "cache"):
        shutil.rmtree(folder / name, ignore_errors=True)
    (seeds / "zz-new.yaml").unlink(missing_ok=True)
    row: dict = {"info": json.loads((folder / "info.json").read_text())}
    row["stages"] = task("build-stages", seeds, timeout=limit).lines[-1]
    row["clean"] = kg_build(seeds, folder / "out-clean", "--cache", str(cache), limit=limit)
    row["reference"] = task("reference-pipeline", folder / "out-clean" / "kg.nq").lines[-1]
    touched = sorted(seeds.glob("*.yaml"))[0]
    os.utime(touched)
    row["touch"] = kg_build(seeds, folder / "out-touch", "--cache", str(cache), limit=limit)
    (seeds / "zz-new.yaml").write_text(ARTICLE, encoding="utf-8")
    row["added"] = kg_build(seeds, folder / "out-added", "--cache", str(cache), limit=limit)
    row["added_clean"] = kg_build(seeds, folder / "out-added-clean", "--no-cache", limit=limit)
    row["added_identical"] = files_of(folder / "out-added") == files_of(folder / "out-added-clean")
    row["touch_identical"] = files_of(folder / "out-touch") == files_of(folder / "out-clean")
    (seeds / "zz-new.yaml").unlink()
    return row


def exponent(a: float, b: float, qa: int, qb: int) -> float:
    return math.log(b / a) / math.log(qb / qa) if a > 0 and b > 0 else float("nan")


def table(rows: dict) -> str:
    labels = list(rows)
    stages = list(rows[labels[0]]["stages"]["stages"])
    head = "| stage (CPU s) | " + " | ".join(labels) + " | exponent |"
    lines = [head, "|---" * (len(labels) + 2) + "|"]
    quads = [rows[x]["stages"]["quads"] for x in labels]
    for name in [*stages, "total"]:
        vals = [
            rows[x]["stages"]["seconds"] if name == "total" else rows[x]["stages"]["stages"][name]
            for x in labels
        ]
        exp = exponent(vals[0], vals[-1], quads[0], quads[-1]) if len(vals) > 1 else float("nan")
        lines.append(f"| {name} | " + " | ".join(f"{v:.2f}" for v in vals) + f" | {exp:.2f} |")
    lines += [
        "",
        "| graph | quads | kg build (wall) | peak MiB | reference (CPU) | kg / ref |"
        " touch one file | added article (cache) | same bytes as clean |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for x in labels:
        r = rows[x]
        clean, ref = r["clean"]["wall"], r["reference"]["seconds"]
        lines.append(
            f"| {x} | {r['stages']['quads']:,} | {clean:.1f} s | {r['clean']['rss_mb']:.0f} | "
            f"{ref:.2f} s | {clean / ref:.1f}x | {r['touch']['wall']:.1f} s "
            f"({r['touch']['wall'] / clean:.0%}) | {r['added']['wall']:.1f} s "
            f"({r['added']['wall'] / r['added_clean']['wall']:.0%} of "
            f"{r['added_clean']['wall']:.1f} s) | "
            f"{r['touch_identical'] and r['added_identical']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k")
    parser.add_argument("--data", type=Path, default=BENCH / "data")
    parser.add_argument("--limit", type=float, default=3600.0, help="seconds per kg build")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    out = args.data / "growth.json"
    rows = json.loads(out.read_text()) if out.is_file() else {}
    for label in args.sizes.split(","):
        print(f"measuring {label}", file=sys.stderr, flush=True)
        rows[label] = one_size(label, SIZES[label], args.data, args.limit)
        out.write_text(json.dumps(rows, indent=1))
    ordered = {k: rows[k] for k in SIZES if k in rows}
    print(table(ordered))


if __name__ == "__main__":
    main()
