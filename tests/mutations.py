"""A seeded generator of broken seed folders: mutations of tests/cases/base (for
tests/test_mutations.py). Deterministic: the same seed gives the same cases."""

from __future__ import annotations

import random

NASTY = [
    "1e400",
    ".inf",
    "-.inf",
    ".nan",
    "9" * 40,
    "-5",
    "0",
    "0x1F",
    "~",
    "null",
    "[]",
    "{}",
    '""',
    "''",
    "true",
    "12345",
    "3.5",
    "2025-13-45",
    "2025-02-30",
    "0000",
    '"0000"',
    '"0000-01"',
    '"\\e[31mred\\e[0m"',
    '"\\x07bell"',
    '"\\u202eevil"',
    '"tab\\there"',
    "&a [*a]",
    "*nope",
    "&x value",
    "!!binary AAAA",
    "!!python/object:os.system",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "[t001:1, t001:99]",
    "t001:0",
    "t001:1-100000000",
    "t999:1",
    "{id: blackrock}",
    "{id: blackrock, cite: curator}",
    "{value: x, cite: curator, note: why}",
    "[blackrock, blackrock]",
    "[lee-jae-myung]",
    "msit",
    "blackrock",
    "lee-jae-myung",
    "이재명",
    "Lee",
    "x" * 300,
    "- a",
    "? a",
    "| block",
    "> folded",
    "'unterminated",
    '"unterminated',
    "[unclosed",
    "{unclosed",
    "a: b: c",
    "%TAG ! x",
    "@reserved",
    "`reserved",
    "# only a comment",
    "ÿ",
    "\u00a0",
    "Ω≈ç√",
    "{currency: USD, value: 1e400}",
    "{currency: usd, value: 1}",
    "{currency: XXX, value: 1}",
    "{currency: USD, min: 5, max: 1}",
    "{currency: USD, value: 1, min: 1}",
    "{currency: [USD], value: 1}",
    "{currency: USD, value: 1, rate_date: 2025-09}",
    "{currency: USD, value: 1, by: nobody}",
    "{kind: GPUs, value: .nan, unit: GPUs}",
]
FIELDS = [
    "id",
    "type",
    "label",
    "label_ko",
    "aliases",
    "description",
    "cite",
    "note",
    "conflicts_with",
    "owned_by",
    "part_of",
    "based_in",
    "located_in",
    "date",
    "end_date",
    "attendees",
    "status",
    "investors",
    "amount",
    "undisclosed",
    "horizon_years",
    "member",
    "organization",
    "file",
    "paragraphs",
    "published",
    "outlet",
    "measures",
    "estimates",
    "spouse",
    "sectors",
]
SECTIONS = [
    "people",
    "organizations",
    "places",
    "events",
    "agreements",
    "commitments",
    "projects",
    "statistics",
    "memberships",
    "statements",
    "sources",
    "nonsense",
]
CHARS = "[]{}:-&*!|>'\"#%@`,?\t\x1b\x00 \n\u00e9"


def _replace_value(rng: random.Random, lines: list[str]) -> list[str]:
    candidates = [i for i, line in enumerate(lines) if ": " in line] or [0]
    i = rng.choice(candidates)
    if ": " not in lines[i]:
        return [*lines, f"people: {rng.choice(NASTY)}"]
    head = lines[i].split(": ", 1)[0]
    return [*lines[:i], f"{head}: {rng.choice(NASTY)}", *lines[i + 1 :]]


def _add_field(rng: random.Random, lines: list[str]) -> list[str]:
    starts = [i for i, line in enumerate(lines) if line.lstrip().startswith("- id:")]
    if not starts:
        return _add_record(rng, lines)
    i = rng.choice(starts)
    indent = " " * (len(lines[i]) - len(lines[i].lstrip()) + 2)
    return [*lines[: i + 1], f"{indent}{rng.choice(FIELDS)}: {rng.choice(NASTY)}", *lines[i + 1 :]]


def _add_record(rng: random.Random, lines: list[str]) -> list[str]:
    section = rng.choice(SECTIONS)
    record = [f"{section}:", f"  - id: {rng.choice(['x1', 'blackrock', 'X Y', 't001', 'msit'])}"]
    for _ in range(rng.randint(0, 6)):
        record.append(f"    {rng.choice(FIELDS)}: {rng.choice(NASTY)}")
    if rng.random() < 0.7:
        record.append("    cite: t001:1")
    return [*lines, *record]


def _self_reference(rng: random.Random, lines: list[str]) -> list[str]:
    kind, field = rng.choice(
        [
            ("organizations", "owned_by"),
            ("organizations", "part_of"),
            ("places", "located_in"),
            ("events", "part_of"),
            ("commitments", "part_of"),
            ("memberships", "member"),
        ]
    )
    a, b = rng.choice([("z1", "z1"), ("z1", "z2")])
    out = [*lines, f"{kind}:"]
    for me, other in ((a, b), (b, a)) if a != b else ((a, b),):
        out += [f"  - id: {me}", f"    label: Z {me}", f"    {field}: {other}", "    cite: t001:1"]
    return out


def _delete_line(rng: random.Random, lines: list[str]) -> list[str]:
    i = rng.randrange(len(lines))
    return lines[:i] + lines[i + 1 :]


def _duplicate_line(rng: random.Random, lines: list[str]) -> list[str]:
    i = rng.randrange(len(lines))
    return lines[: i + 1] + lines[i:]


def _swap_lines(rng: random.Random, lines: list[str]) -> list[str]:
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    out = list(lines)
    out[i], out[j] = out[j], out[i]
    return out


def _indent(rng: random.Random, lines: list[str]) -> list[str]:
    i = rng.randrange(len(lines))
    shift = rng.choice([-3, -2, -1, 1, 2, 3, 7])
    line = lines[i]
    line = " " * shift + line if shift > 0 else line[min(-shift, len(line) - len(line.lstrip())) :]
    return [*lines[:i], line, *lines[i + 1 :]]


def _char(rng: random.Random, lines: list[str]) -> list[str]:
    text = "\n".join(lines)
    i = rng.randrange(max(1, len(text)))
    return (text[:i] + rng.choice(CHARS) + text[i + 1 :]).split("\n")


def _truncate(rng: random.Random, lines: list[str]) -> list[str]:
    text = "\n".join(lines)
    return text[: rng.randrange(max(1, len(text)))].split("\n")


MUTATIONS = [
    _replace_value,
    _replace_value,
    _add_field,
    _add_field,
    _add_record,
    _add_record,
    _self_reference,
    _delete_line,
    _duplicate_line,
    _swap_lines,
    _indent,
    _char,
    _truncate,
]


def mutations(base: str, count: int, seed: int = 20250922) -> list[tuple[str, str]]:
    """``count`` (name, text) mutants of ``base``, one to three mutations each."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        lines = base.rstrip("\n").split("\n")
        names = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            op = rng.choice(MUTATIONS)
            lines = op(rng, lines) or ["# empty"]
            names.append(op.__name__.strip("_"))
        out.append((f"{n:03d}-{'+'.join(names)}", "\n".join(lines) + "\n"))
    return out
