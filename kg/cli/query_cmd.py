"""Lookups and questions: ``kg entity``, ``search``, ``attendees``, ``commitments``, ``members``,
``why``, ``sources``, ``ask`` and ``paragraphs``; :func:`register` also adds ``kg sparql`` and
the graph analysis commands (``path``, ``central``, ``communities``).

Every command but ``paragraphs`` takes ``--format table|json|csv`` (``--json``), ``--store`` and
``--seeds``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import (
    Format,
    FormatOpt,
    JsonOpt,
    SeedsOpt,
    StoreOpt,
    chosen,
    open_from,
    open_session,
)
from kg.errors import InputError

ArticlesOpt = Annotated[
    Path | None,
    typer.Option(
        "--articles",
        metavar="DIR",
        envvar="KG_ARTICLES",
        help="Folder of the article files: quote each cited paragraph ($KG_ARTICLES).",
    ),
]


def entity(
    name: Annotated[str, typer.Argument(help="A name, alias or id.")],
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
    fmt: FormatOpt = Format.table,
    as_json: JsonOpt = False,
) -> None:
    """An entity's card: types, names, roles and titles, relations both ways, commitments,
    events attended, statements, and the sources of each."""
    from kg.cli import output as out
    from kg.model import cite_list, sources_of

    card = open_session(store, seeds).entity(name)
    form = chosen(fmt, as_json)
    if form == "json":
        out.print_json(card)
        return
    rows = _card_rows(card)
    if form == "csv":
        out.print_csv(["section", "relation", "value", "id", "sources"], rows)
        return
    out.heading(f"{card.label}  [{card.kind}]  id:{card.id}")
    if card.description:
        out.echo(f"  {card.description}")
    for label, value in (
        ("types", ", ".join(card.types)),
        ("Korean", card.label_ko),
        ("aliases", "; ".join(card.aliases)),
    ):
        if value:
            out.echo(f"  {label}: {value}")
    section = None
    for sec, relation, value, _ident, sources in rows:
        if sec != section:
            section = sec
            out.echo()
            out.heading(sec)
        if sec == "Members":  # the member comes first: "Larry Fink — CEO of"
            text = f"{value} — {relation}"
        else:
            text = " ".join(str(part) for part in (relation, value) if part)
        out.echo(f"  {text}" + (f"   [{' '.join(cite_list(sources))}]" if sources else ""))
    if card.sources:
        out.echo()
        out.heading("Sources")
        out.print_sources(sources_of(vars(c) for c in card.sources))


def _card_rows(card) -> list[list]:
    """The card's facts as (section, relation, value, id, sources) rows."""
    rows = [["Attributes", a.attribute + ":", a.value, None, a.sources] for a in card.attributes]
    rows += [
        ["Roles and titles", r.relation, r.organization.label, r.organization.id, r.sources]
        for r in card.roles
    ]
    rows += [["Members", m.relation, m.label, m.id, m.sources] for m in card.members]
    for r in card.relations:
        out = r.direction == "out"
        other = r.object if out else r.subject
        arrow = f"—{r.relation}→" if out else f"←{r.relation}—"
        rows.append(["Relations", arrow, other.label, other.id, r.sources])
    rows += [
        ["Commitments", c.label + ":", c.amount_text(), c.id, c.sources] for c in card.commitments
    ]
    rows += [["Events attended", "", e.label, e.id, e.sources] for e in card.events]
    rows += [["Statements", "", s.summary, None, s.sources] for s in card.statements]
    return rows


def search(
    text: Annotated[str, typer.Argument(help="Words to look for in names.")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many matches.")] = 10,
    cls: Annotated[
        str | None,
        typer.Option(
            "--class", help="Only entities of this class (subclasses count), e.g. Person."
        ),
    ] = None,
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
    fmt: FormatOpt = Format.table,
    as_json: JsonOpt = False,
) -> None:
    """Entities whose names match TEXT, best first (100 = an exact name or alias)."""
    from kg.cli import output as out
    from kg.errors import NotFoundError
    from kg.resolve import known_class

    g = open_session(store, seeds)
    classes = (known_class(cls, g.class_names),) if cls is not None else ()
    matches = g.search(text, limit, classes)
    if not matches:
        raise NotFoundError(f"nothing matches '{text}'")
    rows = [
        [round(m.score, 1), m.entity.id, m.entity.label, ", ".join(m.entity.types), m.name]
        for m in matches
    ]
    data = [
        {
            **m.entity.brief().to_json(),
            "types": list(m.entity.types),
            "score": round(m.score, 1),
            "matched": m.name,
        }
        for m in matches
    ]
    out.emit(chosen(fmt, as_json), ["score", "id", "label", "types", "matched name"], rows, data)


def attendees(
    event: Annotated[str, typer.Argument(help="An event: name, alias or id.")],
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
    fmt: FormatOpt = Format.table,
    as_json: JsonOpt = False,
) -> None:
    """Who attended an event, with the article paragraphs that say so."""
    _listing(chosen(fmt, as_json), open_session(store, seeds).attendees(event), [])


def _listing(fmt: str, found, hide: list[str]) -> None:
    """A lookup's Listing: its items under a heading (table, less the columns ``hide``), as
    CSV, or as JSON."""
    from kg.cli import output as out
    from kg.model import columns_of, csv_row

    if fmt == "json":
        out.print_json(found)
        return
    kind = type(found.items[0]) if found.items else None
    if fmt == "csv":
        out.print_records(kind, found.items) if kind else out.print_csv(["id"], [])
        return
    out.heading(found.entity.label)
    columns = columns_of(kind) if kind else ["id"]
    keep = [i for i, c in enumerate(columns) if c not in hide]
    out.print_table(
        [columns[i] for i in keep], [[csv_row(it)[i] for i in keep] for it in found.items]
    )


def commitments(
    investor: Annotated[
        str | None, typer.Option("--investor", help="Only this investor's.")
    ] = None,
    project: Annotated[
        str | None,
        typer.Option("--project", help="Only those going to this project, place or organisation."),
    ] = None,
    min_usd: Annotated[
        float | None,
        typer.Option("--min-usd", help="Only stated amounts of at least this many US dollars."),
    ] = None,
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
    fmt: FormatOpt = Format.table,
    as_json: JsonOpt = False,
) -> None:
    """Investment commitments, largest first: investors, amount (original currency and USD),
    where the money goes, status and sources. A package holds its parts: the part_of column
    names the package, so add up the rows with an empty part_of to count each dollar once."""
    from kg.cli import output as out
    from kg.model import Commitment, cite_list

    if min_usd is not None and not math.isfinite(min_usd):
        raise InputError(f"--min-usd must be a finite number of US dollars (got {min_usd})")
    found = open_session(store, seeds).commitments(investor, project, min_usd)
    out.print_results(
        chosen(fmt, as_json),
        Commitment,
        found,
        ["commitment", "investors", "amount", "status", "goes to", "sources"],
        (
            [
                c.label,
                ", ".join(i.label for i in c.investors),
                c.amount_text(),
                c.status,
                ", ".join(t.label for t in c.targets + c.recipients),
                cite_list(c.sources),
            ]
            for c in found
        ),
    )


def members(
    org: Annotated[str, typer.Argument(help="An organisation: name, alias or id.")],
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
    fmt: FormatOpt = Format.table,
    as_json: JsonOpt = False,
) -> None:
    """Who belongs to an organisation: people's posts and titles, member organisations, and
    its parts (ministries of a government ...)."""
    found = open_session(store, seeds).members(org)
    _listing(chosen(fmt, as_json), found, ["kind", "title", "former"])


def why(
    name: Annotated[str, typer.Argument(help="An entity: name, alias or id.")],
    other: Annotated[
        str | None, typer.Argument(help="A second entity: only the facts linking the two.")
    ] = None,
    articles: ArticlesOpt = None,
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
    fmt: FormatOpt = Format.table,
    as_json: JsonOpt = False,
) -> None:
    """Where the facts about an entity (or linking two) come from: article and paragraph;
    with --articles DIR (the article files), each paragraph is quoted.

    Facts of an amount, an estimate or a figure are told as facts of what holds it ("the plan's
    estimated amount ..., estimated by Cha Ji-ho").
    """
    _facts(open_session(store, seeds).why(name, other, articles), chosen(fmt, as_json))


def _facts(facts, form: str) -> None:
    """Facts with their citations, as ``kg why`` prints them."""
    from kg.cli import output as out

    if form == "json":
        out.print_json(facts)
        return
    if form == "csv":
        out.print_csv(
            ["subject", "relation", "object", "source", "paragraph", "title"],
            [
                [f.subject.id, f.relation, _object_text(f.object), c.source, c.paragraph, c.title]
                for f in facts
                for c in f.cited
            ],
        )
        return
    for fact in facts:
        out.echo(
            out.bold(
                f"{fact.subject.label} —{fact.relation}→ {_object_text(fact.object, label=True)}"
            )
        )
        if not fact.cited:
            out.echo("  (curator's knowledge, no article)")
        for c in fact.cited:
            out.echo(f"  {c.source}:{c.paragraph}  {c.title} ({c.publisher})")
            if c.text is not None:
                out.echo(f"      “{c.text}”")


def _object_text(obj, label: bool = False) -> str:
    from kg.model import Value

    if isinstance(obj, Value):
        return str(obj.value)
    return obj.label if label else obj.id


def sources(
    name: Annotated[
        str | None,
        typer.Argument(
            help="An entity: the sources of its facts (as kg why). Omit to list the articles."
        ),
    ] = None,
    other: Annotated[
        str | None, typer.Argument(help="A second entity: only the facts linking the two.")
    ] = None,
    articles: ArticlesOpt = None,
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
    fmt: FormatOpt = Format.table,
    as_json: JsonOpt = False,
) -> None:
    """The source articles; with a name, where its facts come from (same as kg why)."""
    from kg.cli import output as out
    from kg.model import Article

    g = open_session(store, seeds)
    form = chosen(fmt, as_json)
    if name is not None:
        _facts(g.why(name, other, articles), form)
        return
    out.print_results(
        form,
        Article,
        g.articles,
        ["id", "title", "publisher", "author", "published", "paragraphs", "claims"],
        (
            [
                a.id,
                a.title,
                a.publisher,
                a.author,
                a.published or (a.not_before and f"not before {a.not_before}"),
                a.paragraphs,
                a.claims,
            ]
            for a in g.articles
        ),
    )


def ask(
    question: Annotated[str, typer.Argument(help="A question in English, quoted.")],
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
    fmt: FormatOpt = Format.table,
    as_json: JsonOpt = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Also show the SPARQL, the score and the runners-up.")
    ] = False,
) -> None:
    """Answer a question in English, with the sources of each answer.

    Names resolve through labels, aliases and Korean labels (titles, possessives and typos
    allowed; a corrected name is reported). The question is answered by the reading, generated
    around the names it mentions, that explains most of it. Yes/no, counts, totals, largest /
    smallest and how two things are connected work.
    A question no reading explains well enough is refused (exit 3) with the best readings.
    """
    from kg.ask import ask as answer_question
    from kg.cli import output as out
    from kg.model import cite_list

    answer = answer_question(open_from(store, seeds), question)
    for note in answer.corrections:
        out.note(f"kg: {note}")
    form = chosen(fmt, as_json)
    if form == "json":
        out.print_json(answer.to_json())
        return
    if form == "csv":
        out.print_csv(
            ["label", "id", "detail", "sources"],
            [[i.label, i.id, i.detail, " ".join(cite_list(i.citations))] for i in answer.items],
        )
        return
    if answer.boolean is not None:
        out.heading(f"{'Yes' if answer.boolean else 'No'} ({answer.reading})")
    elif answer.count is not None:
        out.heading(f"{answer.count} ({answer.reading})")
    elif answer.total is not None:
        out.heading(f"In total {answer.total.text()} ({answer.reading}), counting:")
    else:
        out.heading(answer.headline + ":")
    for i in answer.items:
        detail = f" — {i.detail}" if i.detail else ""
        cites = f"  [{' '.join(cite_list(i.citations))}]" if i.citations else ""
        out.echo(f"  • {i.label}{detail}{cites}")
    out.echo()
    out.heading("Sources")
    out.print_sources(answer.sources)
    if explain:
        out.echo()
        out.heading(f"Reading: {answer.reading} (confidence {answer.confidence:.2f})")
        if answer.sparql:
            out.echo(answer.sparql)
        for alt in answer.alternatives:
            out.echo(f"  runner-up: {alt}")


def paragraphs(file: Annotated[Path, typer.Argument(help="An article file (UTF-8 text).")]) -> None:
    """Number an article's paragraphs as citations count them ("N: text"): paragraph N is
    the Nth line that is not blank. Curators cite with these numbers (a002:19)."""
    from kg.articles import paragraphs as read
    from kg.cli import output as out

    for number, text in enumerate(read(file), 1):
        out.echo(f"{number}: {text}")


def register(app: typer.Typer) -> None:
    """Add the lookup and question commands to ``app``."""
    for command in (entity, search, attendees, commitments, members, why, sources, ask, paragraphs):
        app.command(command.__name__)(command)
