"""The plain text a picture shows: node labels, tooltips, amounts and citations.

Everything returned here is plain text (newlines, no markup); the page puts it into the DOM as
text, never as HTML.

>>> amount_text({"amount_currency": "GBP", "amount_value": 5e8, "amount_valueUsd": 6.7e8})
'GBP 500 million (USD 670 million)'
"""

from __future__ import annotations

import textwrap
from collections import defaultdict

from kg.money import format_amount
from kg.money import number_text as number_text  # re-exported: amounts read the same everywhere

# in-edge predicates that give the node at the arrow head a role, and how the role reads
ROLE_PHRASES = {
    "attendee": "attended",
    "signatory": "signed",
    "witness": "witnessed",
    "organizer": "organised",
    "chair": "chaired",
    "investor": "investor in",
    "partner": "partner in",
    "party": "party to",
}
DATES = (("announcedOn", "announced"), ("period", "period"), ("horizonEnd", "by"))
MAX_ROLES = 12
NO_AMOUNT = "no amount given"
LABEL_WIDTH = 24
TOOLTIP_WIDTH = 64


def amount_text(attrs: dict) -> str:
    """An amount from ``amount_*`` attributes: original currency, then US dollars, then words."""
    currency = attrs.get("amount_currency", "")
    value = attrs.get("amount_value")
    text = format_amount(value, currency) or format_amount(
        attrs.get("amount_minValue"), currency, attrs.get("amount_maxValue")
    )
    usd_text = format_amount(attrs.get("amount_valueUsd"), "USD") or format_amount(
        attrs.get("amount_minValueUsd"), "USD", attrs.get("amount_maxValueUsd")
    )
    if usd_text and currency != "USD":
        text = f"{text} ({usd_text})" if text else usd_text
    if attrs.get("amount_approximation"):
        text = f'{text} "{attrs["amount_approximation"]}"'.strip()
    return text


def sources_text(sources: str) -> str:
    """Citations ``a002:19 a000:18 a002:4`` grouped by article: ``a000 ¶18; a002 ¶4, ¶19``."""
    paras: dict[str, list[int]] = defaultdict(list)
    for cite in sources.split():
        article, _, para = cite.partition(":")
        paras[article].append(int(para) if para.isdigit() else 0)
    return "; ".join(
        f"{a} " + ", ".join(f"¶{p}" for p in sorted(set(ps))) for a, ps in sorted(paras.items())
    )


def label_of(graph, node) -> str:
    """A node's name: its ``label`` attribute, else its id."""
    return str(graph.nodes[node].get("label", node))


def node_label(graph, node) -> str:
    """What is written under a node: its name wrapped, its Korean name, a commitment's amount."""
    data = graph.nodes[node]
    lines = textwrap.wrap(label_of(graph, node), LABEL_WIDTH) or [""]
    if data.get("label_ko"):
        lines.append(data["label_ko"])
    if data.get("group") == "Commitment":
        lines.append(amount_text(data) or NO_AMOUNT)
    return "\n".join(lines)


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, TOOLTIP_WIDTH) or [""]


def node_tooltip(graph, node: str) -> str:
    """A node's tooltip: names, class, roles, amounts, dates, status, description, sources."""
    data = graph.nodes[node]
    lines = [label_of(graph, node)]
    if data.get("label_ko"):
        lines.append(data["label_ko"])
    if data.get("class"):
        other_types = sorted(set(data.get("types", "").split()) - {data["class"]})
        lines.append(data["class"] + (f" (also {', '.join(other_types)})" if other_types else ""))
    if data.get("aliases"):
        lines += _wrap("Also called: " + data["aliases"])
    roles = node_roles(graph, node)
    if roles:
        lines.append("Roles:")
        for role in roles[:MAX_ROLES]:
            lines += _wrap("• " + role)
        if len(roles) > MAX_ROLES:
            lines.append(f"• and {len(roles) - MAX_ROLES} more")
    if any(key.startswith("amount_") for key in data):
        lines.append("Amount: " + amount_text(data))
    elif data.get("group") == "Commitment":
        lines.append("Amount: " + NO_AMOUNT)
    for estimate in filter(None, data.get("estimates", "").split("\n")):
        lines += _wrap("Estimate: " + estimate)
    dates = [" to ".join(data[k] for k in ("startDate", "endDate") if data.get(k))]
    dates += [f"{word} {data[key]}" for key, word in DATES if data.get(key)]
    dates = [d for d in dates if d]
    if dates:
        lines.append("Dates: " + "; ".join(dates))
    if data.get("horizonYears"):
        lines.append(f"Horizon: {data['horizonYears']} years")
    if data.get("status"):
        lines.append("Status: " + data["status"])
    for key in ("description", "summary"):
        if data.get(key):
            lines += _wrap(data[key])
    lines += data.get("facts", "").split("\n") if data.get("facts") else []
    if data.get("sources"):
        lines += _wrap("Sources: " + sources_text(data["sources"]))
    lines.append(f"Id: {node}")
    return "\n".join(lines)


def node_roles(graph, node: str) -> list[str]:
    """Roles of a node: posts it holds (``CEO of BlackRock``) and parts it plays in events,
    agreements and commitments (``attended New York meeting``)."""
    roles = []
    for _, target, edge in graph.out_edges(node, data=True):
        if edge.get("predicate") == "member":
            roles.append(f"{edge['label']} {label_of(graph, target)}")
    for source, _, edge in graph.in_edges(node, data=True):
        phrase = ROLE_PHRASES.get(edge.get("predicate"))
        if phrase:
            roles.append(f"{phrase} {label_of(graph, source)}")
    return sorted(set(roles))


def edge_tooltip(graph, u: str, v: str, data: dict) -> str:
    """An edge's tooltip: ``subject — label → object``, the amount it carries, its sources."""
    lines = _wrap(f"{label_of(graph, u)} — {data.get('label', '')} → {label_of(graph, v)}")
    if data.get("usd") is not None:
        lines.append(
            "Commitment: " + amount_text({"amount_currency": "USD", "amount_value": data["usd"]})
        )
    if data.get("sources"):
        lines += _wrap("Sources: " + sources_text(data["sources"]))
    return "\n".join(lines)
