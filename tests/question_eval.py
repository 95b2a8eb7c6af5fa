"""Scores `kg ask` on question sets written by readers who never saw the engine.

Each case in tests/cases/questions/*.yaml holds a question, the kind of answer and the answer a
reader took from the articles (names as the articles spell them, amounts, dates, yes/no,
counts, or null for questions the articles do not answer). An outcome is "correct", "wrong"
(a confident answer that is not the expected one) or "refused" (kg ask declined).

    python tests/question_eval.py            # per-question outcomes and the totals
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from ruamel.yaml import YAML

from kg.errors import KGError
from kg.question.engine import Engine
from kg.question.words import tokens

CASES = Path(__file__).resolve().parent / "cases" / "questions"


def load_cases() -> list[dict]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        out += YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return out


def _ids(engine: Engine, names) -> list[set[str]]:
    """Each expected name as the set of ids it may mean (exact names first, else partial)."""
    out = []
    for name in names or []:
        if isinstance(name, str) and name.startswith("a0") and len(name) == 4:
            out.append({name})
            continue
        toks = tokens(str(name))
        links = engine.names.links(toks)
        whole = [lk for lk in links if lk.first == 0 and lk.last == len(toks)]
        best = max((lk.score for lk in whole), default=0)
        out.append({lk.node for lk in whole if lk.score >= best - 0.03} or {str(name)})
    return out


def outcome(engine: Engine, case: dict) -> tuple[str, str]:
    """("correct" | "wrong" | "refused", what came back)."""
    try:
        answer = engine.ask(case["q"])
    except KGError as exc:
        return ("correct" if case["kind"] == "unanswerable" else "refused"), str(exc)[:120]
    got = [i.id or i.label for i in answer.items]
    shown = f"{answer.reading} -> {[i.label for i in answer.items][:5]}"
    kind, expect = case["kind"], case.get("expect")
    if kind == "unanswerable":
        return "wrong", shown
    if kind == "yesno":
        ok = answer.boolean is not None and answer.boolean == (
            str(expect).lower() in ("yes", "true")
        )
        return ("correct" if ok else "wrong"), f"{answer.boolean} {shown}"
    if kind == "count":
        n = answer.count if answer.count is not None else None
        return ("correct" if n == int(expect) else "wrong"), f"count={n} {shown}"
    if kind == "amount":
        values = []
        for i in answer.items:
            if i.amount is not None:
                values += [
                    i.amount.value,
                    i.amount.low,
                    i.amount.high,
                    i.amount.value_usd,
                    i.amount.stated_usd,
                ]
        if answer.total is not None:
            values.append(answer.total.value)
        want = expect.get("value")
        if want is None:
            text = " ".join(i.label for i in answer.items).lower()
            ok = expect.get("currency", "") in text.upper() and bool(answer.items)
        else:
            ok = any(
                v is not None and abs(float(v) - float(want)) <= 1e-6 * abs(float(want))
                for v in values
            )
        return ("correct" if ok and len(answer.items) <= 3 else "wrong"), shown
    if kind == "date":
        ok = (
            any(str(i.label).startswith(str(expect)) for i in answer.items)
            and len(answer.items) <= 2
        )
        return ("correct" if ok else "wrong"), shown
    if kind == "quantity":
        want = float(expect["value"] if isinstance(expect, dict) else expect)
        ok = (
            any(
                isinstance(i.value, (int, float)) and abs(float(i.value) - want) < 1e-6 * want
                for i in answer.items
            )
            and len(answer.items) <= 3
        )
        return ("correct" if ok else "wrong"), shown
    wanted = _ids(engine, expect if isinstance(expect, list) else [expect])
    found = set(got)
    ok = all(w & found for w in wanted)
    if case.get("match") == "exact":
        ok = ok and len(found) == len(wanted)
    elif kind in ("single", "place"):
        ok = ok and len(found) <= max(3, len(wanted))
    return ("correct" if ok else "wrong"), shown


def evaluate(engine: Engine | None = None) -> tuple[Counter, list[tuple[dict, str, str]]]:
    engine = engine or Engine()
    rows = [(case, *outcome(engine, case)) for case in load_cases()]
    return Counter(r[1] for r in rows), rows


if __name__ == "__main__":
    totals, rows = evaluate()
    for case, result, shown in rows:
        if result != "correct" or "-v" in sys.argv:
            print(
                f"{result:8} {case['id']} [{case['kind']}] {case['q']}\n         expect "
                f"{case.get('expect')} | got {shown}"
            )
    n = sum(totals.values())
    print({k: f"{v} ({100 * v / n:.0f}%)" for k, v in totals.items()}, "of", n)
