"""``kg draft``: propose cited seed records from an article; check and accept reviewed drafts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer


def _seeds_dir(seeds: Path | None) -> Path:
    from kg.paths import default_seeds

    if seeds is not None:
        return seeds
    local = Path("seeds")
    return local if local.is_dir() else default_seeds()


def draft(
    article: Annotated[
        Path | None, typer.Argument(help="The article's text file (paragraph = non-blank line).")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="The new source id (e.g. a005).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The headline.")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="The outlet.")] = None,
    author: Annotated[str | None, typer.Option("--author", help="The byline.")] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help="Publication date YYYY-MM-DD (relative dates need it)."),
    ] = None,
    last: Annotated[
        int | None,
        typer.Option(
            "--paragraphs", min=1, help="How many paragraphs belong to the article (default: all)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write (default: SEEDS/ID.draft.yaml; - for stdout)."),
    ] = None,
    accept: Annotated[
        Path | None,
        typer.Option("--accept", help="Accept a reviewed draft: check it, drop its marks."),
    ] = None,
    check: Annotated[
        Path | None, typer.Option("--check", help="Check a draft file against the seeds.")
    ] = None,
    seeds: Annotated[
        Path | None, typer.Option("--seeds", metavar="DIR", help="The seeds folder.")
    ] = None,
) -> None:
    """Draft seed records for an article (rules, offline), or --check / --accept a draft.

    Every proposed record carries ``draft: {rule, confidence}``; drafts (``*.draft.yaml``)
    never enter the graph until accepted.
    """
    from kg.errors import InputError

    folder = _seeds_dir(seeds)
    if sum(x is not None for x in (article, accept, check)) != 1:
        raise InputError("give one of: ARTICLE (with --source), --check FILE, --accept FILE")
    if check is not None or accept is not None:
        _review(folder, check, accept)
        return
    assert article is not None
    if not source:
        raise InputError("--source ID is needed to draft an article")
    from kg.seeds import load_seeds

    published = None
    if date:
        try:
            published = dt.date.fromisoformat(date)
        except ValueError:
            raise InputError(f"--date '{date}': expected YYYY-MM-DD") from None
    from kg.draft.propose import draft as make_draft
    from kg.draft.write import to_yaml

    known = load_seeds(folder)
    if source in known.sources or source in known.records:
        raise InputError(f"--source '{source}' is already an id in {folder}")
    result = make_draft(article, known, source, title, outlet, author, published, last)
    text = to_yaml(result)
    if out is not None and str(out) == "-":
        typer.echo(text, nl=False)
        return
    from kg.writer import write_files

    target = out or folder / f"{source}.draft.yaml"
    if not target.name.endswith(".draft.yaml"):
        raise InputError(f"{target}: a draft file's name ends in .draft.yaml")
    write_files(target.parent, {target.name: text})
    counts: dict[str, int] = {}
    for p in result.proposals:
        counts[p.section] = counts.get(p.section, 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    typer.echo(f"wrote {target}: {len(result.known)} known, {summary or 'no proposals'}", err=True)


def _review(folder: Path, check: Path | None, accept: Path | None) -> None:
    from kg.draft.write import accepted_path, accepted_text
    from kg.errors import InputError, ValidationError
    from kg.limits import read_text
    from kg.validate import draft_problems
    from kg.writer import write_files

    path = check or accept
    assert path is not None
    accepted_path(path)  # the name must be a draft's
    if not path.is_file():
        raise InputError(f"{path}: no such draft file")
    inside = path.resolve().parent == folder.resolve() or folder.resolve() in path.resolve().parents
    problems = draft_problems(folder, () if inside else (path,))
    problems = [p for p in problems if Path(p.file).resolve() == path.resolve()]
    if problems:
        raise ValidationError(problems)
    if check is not None:
        typer.echo(f"{path}: the draft reads cleanly with {folder}", err=True)
        return
    target = accepted_path(path)
    if target.exists():
        raise InputError(f"{target} exists; not replaced")
    text = accepted_text(read_text(path, 262_144, "draft"))
    write_files(target.parent, {target.name: text})
    path.unlink()
    typer.echo(f"accepted {path} -> {target}; run kg validate and kg build", err=True)


def register(app: typer.Typer) -> None:
    app.command("draft")(draft)
