"""``kg build`` and ``kg validate``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

SeedsOpt = Annotated[
    Path | None,
    typer.Option("--seeds", help="Seed folder to read (default: ./seeds, else the shipped seeds)."),
]


def _seeds_dir(seeds: Path | None) -> Path:
    from kg.paths import default_seeds

    if seeds is not None:
        return seeds
    local = Path("seeds")
    return local if local.is_dir() else default_seeds()


def build(
    seeds: SeedsOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the exports.")] = Path("exports"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="Also load the graph into oxigraph:PATH (default: the store set by "
            "KG_STORE or kg.toml, when it is an oxigraph store).",
        ),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option(
            "--cache",
            help="Folder of the build cache: unchanged seed files are not read again "
            "(default: .kg-cache beside --out).",
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Build from scratch, without the cache.")
    ] = False,
    max_records: Annotated[
        int | None,
        typer.Option(
            "--max-records", min=1, help="Limit on the records of all seed files (default 2,000)."
        ),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Print each step on stderr as it starts (default: when stderr is a terminal).",
        ),
    ] = None,
) -> None:
    """Build the graph from the seeds, validate it, and write every export to --out.

    Exports are written all-or-nothing: on any error the previous exports stay as they were.
    The output is the same with or without the cache.
    """
    from kg.cache import DEFAULT_DIR
    from kg.pipeline import build_exports

    folder = None if no_cache else (cache or out.parent / DEFAULT_DIR)
    summary = build_exports(
        _seeds_dir(seeds),
        out,
        store,
        folder,
        max_records,
        progress=_steps(sys.stderr.isatty() if progress is None else progress),
    )
    if as_json:
        typer.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    typer.echo(
        f"built {summary['quads']} quads in {summary['graphs']} graphs (what kg push sends and "
        f"COUNT(*) counts): {summary['triples']} of facts and provenance in "
        f"{summary['claims']} claims, {summary['quads'] - summary['triples']} of ontology "
        f"-> {summary['out']} ({len(summary['files'])} files)"
    )
    if summary["store"]:
        typer.echo(f"loaded into {summary['store']}")
    typer.echo(
        "entities per class: " + ", ".join(f"{k} {v}" for k, v in summary["classes"].items())
    )
    typer.echo(
        "citations per source: " + ", ".join(f"{k} {v}" for k, v in summary["sources"].items())
    )
    typer.echo(f"warnings: {len(summary['warnings'])}")
    for warning in summary["warnings"]:
        typer.echo(f"warning: {warning}", err=True)


def validate(
    seeds: SeedsOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print problems as JSON.")] = False,
) -> None:
    """Check the seeds against the SHACL shapes and referential rules.

    Exit 0 when valid, 1 on violations (each named by file:line and entity), 2 when a seed file
    cannot be read.
    """
    from kg.validate import validate as run

    report = run(_seeds_dir(seeds))
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "conforms": report.conforms,
                    "problems": [p.__dict__ for p in report.problems],
                    "warnings": report.warnings,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for problem in report.problems:
            typer.echo(str(problem), err=True)
        for warning in report.warnings:
            typer.echo(f"warning: {warning}", err=True)
        verdict = "valid" if report.conforms else f"{len(report.problems)} problem(s)"
        typer.echo(f"kg validate: {verdict}", err=True)
    if not report.conforms:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("build")(build)
    app.command("validate")(validate)


def _steps(shown: bool):
    """How build steps are told: a line each on stderr, or not at all."""
    if shown:
        return lambda step: typer.echo(f"kg build: {step}", err=True)
    return lambda step: None
