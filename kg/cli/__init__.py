"""The ``kg`` command line: thin commands over the library, split into sub-modules.

Exit codes: 0 ok, 1 failure or non-conformant data, 2 usage or input error, 3 not found or
ambiguous. Data goes to stdout, messages to stderr.
"""

from __future__ import annotations

import sys
from typing import Annotated

import click
import typer
from typer.core import TyperGroup

from kg.errors import AmbiguousError, KGError


def error(message: str) -> None:
    """Print a message to stderr (never stdout, which carries data)."""
    typer.echo(message, err=True)


class _Group(TyperGroup):
    """Turns kg's own errors into a message on stderr and the documented exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as exc:
            error(f"kg: {exc}")
            if isinstance(exc, AmbiguousError) and exc.candidates:
                for ident, label in exc.candidates:
                    error(f"  {label}  ({ident})")
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug, never a traceback: say what broke, exit 1
            error(f"kg: internal error ({type(exc).__name__}: {exc}); please report it")
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Group,
    name="kg",
    help="Korea AI investment knowledge graph: build, validate, ask, query, analyse, draw.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    suggest_commands=False,  # click already says "Did you mean ...?" once
)


def _show_version(value: bool) -> None:
    if value:
        from kg import __version__

        typer.echo(f"kg {__version__}")
        raise typer.Exit(0)


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print kg's version and exit."
        ),
    ] = False,
) -> None:
    """Korea AI investment knowledge graph: build, validate, ask, query, analyse, draw."""


def _register() -> None:
    """Every command group, named here (a missing module is an error, never skipped)."""
    from kg.cli import (
        analysis_cmd,
        build_cmd,
        draft_cmd,
        export_cmd,
        query_cmd,
        serve_cmd,
        sparql_cmd,
        viz_cmd,
    )

    for group in (
        build_cmd,
        query_cmd,
        sparql_cmd,
        analysis_cmd,
        viz_cmd,
        serve_cmd,
        draft_cmd,
        export_cmd,
    ):
        group.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app()
