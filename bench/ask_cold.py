"""``kg ask`` cold start against a bare interpreter, taking turns in one run (issue 9, "Speed").

    python bench/ask_cold.py              # 15 rounds; writes its section of RESULTS.md
    python bench/ask_cold.py --runs 3 --report /tmp/ask.md
    python bench/ask_cold.py --before /tmp/kg-old   # also another checkout of kg, in turn

Each round starts ``python -c pass`` and ``kg ask "who attended the New York meeting"`` (the
graph that ships with kg) as new processes, one after the other, so load from elsewhere on the
machine weighs on both alike; the figures are the medians. Bytecode is written and used as an
installed package does (a sandbox's ``PYTHONDONTWRITEBYTECODE`` is dropped), after one warm-up
round.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
START, END = "<!-- askcold:start -->", "<!-- askcold:end -->"
QUESTION = "who attended the New York meeting"
TARGET = 0.250


def wall(cmd: list[str], env: dict, cwd: Path) -> float:
    """Wall seconds of ``cmd`` as a new process; it must succeed."""
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, check=True, capture_output=True, timeout=60)
    return time.perf_counter() - start


def measure(runs: int, before: Path | None = None) -> dict[str, list[float]]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    here = BENCH.parent
    kg = [sys.executable, "-m", "kg", "ask", QUESTION]
    commands = {
        "python -c pass": ([sys.executable, "-c", "pass"], env, here),
        "kg ask": (kg, env, here),
    }
    if before is not None:  # that checkout first on the path, run from its own folder
        commands["kg ask (before)"] = (kg, {**env, "PYTHONPATH": str(before)}, before)
    for cmd, e, cwd in commands.values():  # warm-up: bytecode written, files in the page cache
        wall(cmd, e, cwd)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (cmd, e, cwd) in commands.items():
            times[name].append(wall(cmd, e, cwd))
    return times


def section(times: dict[str, list[float]]) -> str:
    base = statistics.median(times["python -c pass"])
    ask = statistics.median(times["kg ask"])
    verdict = "met" if ask <= TARGET else f"**missed** by {ask / TARGET - 1:.0%}"
    runs = len(times["kg ask"])
    rows = [
        f"| `{name}` | {statistics.median(t) * 1000:.0f} ms | {min(t) * 1000:.0f} ms | "
        f"{statistics.median(t) / base:.2f}x |"
        for name, t in times.items()
    ]
    return "\n".join(
        [
            START,
            "## `kg ask` cold start, taking turns with a bare interpreter",
            "",
            f"`python bench/ask_cold.py`: {runs} rounds, each a new `python -c pass` and a new "
            f'`python -m kg ask "{QUESTION}"` (shipped graph), bytecode compiled; medians.',
            "",
            "| command | median | min | vs `python -c pass` |",
            "|---|---|---|---|",
            *rows,
            "",
            f"Target: median at most {TARGET * 1000:.0f} ms: {verdict}.",
            END,
        ]
    )


def put_section(path: Path, text: str) -> None:
    """Replace this benchmark's section of ``path`` (or append it)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in old and END in old:
        head, _, rest = old.partition(START)
        _, _, tail = rest.partition(END)
        new = head + text + tail
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--report", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--before", type=Path, help="another checkout of kg to measure in turn")
    args = parser.parse_args()
    text = section(measure(max(1, args.runs), args.before))
    put_section(args.report, text)
    print(text)


if __name__ == "__main__":
    main()
