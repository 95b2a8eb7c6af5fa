"""A draft as seed YAML text (deterministic), and accepting a reviewed draft."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kg.draft.propose import Draft, Proposal
from kg.errors import InputError

SECTIONS = ("people", "organizations", "places", "events", "agreements", "memberships",
            "commitments", "projects")  # fmt: skip
_MARK = re.compile(r"^\s*draft: \{rule: [^\n]*\}\n", re.M)
_WORDS = ("yes", "no", "true", "false", "null", "on", "off", "y", "n", "~")
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .:_-]*$")


def _scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    text = str(v)
    plain = _PLAIN.match(text) and not re.match(r"^\d{4}(-\d\d){0,2}$", text)
    if plain and ": " not in text and text.casefold() not in _WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(v) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_flow(x) for x in v) + "]"
    if isinstance(v, str) and re.match(r"^\d{4}(-\d\d){0,2}$", v):
        return v
    return _scalar(v)


def _record(p: Proposal) -> list[str]:
    lines = [f"  - id: {p.id}"]
    for key, value in p.fields.items():
        lines.append(f"    {key}: {_flow(value)}")
    lines.append(f"    draft: {{rule: {p.rule}, confidence: {p.confidence}}}")
    return lines


def to_yaml(draft: Draft) -> str:
    """The draft seed file: a header, the source, known links as comments, proposed records."""
    out = [
        "# kg draft: proposed records for a curator to review. Nothing here is in the graph",
        "# until accepted (kg draft --accept FILE, or remove every 'draft' mark and rename the",
        "# file without .draft). Labels are names and figures; add notes in your own words.",
        "sources:",
        f"  - id: {draft.source['id']}",
    ]
    for key, value in draft.source.items():
        if key != "id":
            out.append(f"    {key}: {_flow(value)}")
    if draft.known:
        out.append("# known entities the article names (add these cites to their records):")
        for rid, paras in sorted(draft.known.items()):
            cites = ", ".join(f"{draft.source['id']}:{n}" for n in paras)
            out.append(f"#   {rid}: [{cites}]")
    for section in SECTIONS:
        records = [p for p in draft.proposals if p.section == section]
        if records:
            out.append(f"{section}:")
            for p in records:
                out.extend(_record(p))
    return "\n".join(out) + "\n"


def accepted_text(text: str) -> str:
    """A reviewed draft's text with every draft mark removed."""
    return _MARK.sub("", text)


def accepted_path(path: Path) -> Path:
    """Where an accepted draft goes: the same name without ``.draft``."""
    if not path.name.endswith(".draft.yaml"):
        raise InputError(f"{path}: a draft file's name ends in .draft.yaml")
    return path.with_name(path.name[: -len(".draft.yaml")] + ".yaml")
