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


def _new_app() -> typer.Typer:
    return typer.Typer(
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


def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print kg's version and exit."
        ),
    ] = False,
) -> None:
    """Korea AI investment knowledge graph: build, validate, ask, query, analyse, draw."""


# the command modules (kg.cli.NAME) and the commands each registers: a start-up imports and
# builds only the module and command it runs (typer reads every registered command's
# signature on each start); tests/test_cli_manners.py checks the table against the modules
COMMANDS = {
    "build_cmd": ("build", "validate"),
    "query_cmd": (
        "entity",
        "search",
        "attendees",
        "commitments",
        "members",
        "why",
        "sources",
        "ask",
        "paragraphs",
    ),
    "sparql_cmd": ("sparql",),
    "analysis_cmd": ("path", "central", "communities"),
    "viz_cmd": ("viz",),
    "serve_cmd": ("serve", "push"),
    "draft_cmd": ("draft",),
    "export_cmd": ("export",),
}


def build_app(command: str | None = None) -> typer.Typer:
    """The CLI with every command group, or with ``command`` alone when it is one of
    :data:`COMMANDS` (a missing module is an error, never skipped)."""
    from importlib import import_module

    new = _new_app()
    new.callback()(_options)
    modules = [m for m, names in COMMANDS.items() if command in names] or list(COMMANDS)
    for name in modules:
        import_module(f"kg.cli.{name}").register(new)
    if command is not None and len(modules) == 1:
        new.registered_commands = [c for c in new.registered_commands if c.name == command]
    return new


def __getattr__(name: str):
    if name == "app":  # the whole CLI, built when first asked for (tests, CliRunner)
        globals()["app"] = built = build_app()
        return built
    raise AttributeError(name)


def main() -> None:
    """Console-script entry point."""
    build_app(sys.argv[1] if len(sys.argv) > 1 else None)()
