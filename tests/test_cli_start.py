"""A command's start-up builds only that command: the table of command modules is complete and
the one-command CLI answers like the whole one."""

from __future__ import annotations

from importlib import import_module

import typer
from typer.testing import CliRunner

from kg import cli


def test_the_command_table_names_what_each_module_registers():
    for module, names in cli.COMMANDS.items():
        scratch = typer.Typer()
        import_module(f"kg.cli.{module}").register(scratch)
        assert tuple(c.name for c in scratch.registered_commands) == names, module
    assert sorted(c.name for c in cli.app.registered_commands) == sorted(
        n for names in cli.COMMANDS.values() for n in names
    )


def test_a_known_command_builds_alone_and_answers_as_in_the_whole_cli():
    alone = cli.build_app("ask")
    assert [c.name for c in alone.registered_commands] == ["ask"]
    question = ["ask", "who attended the New York meeting", "--json"]
    one, whole = CliRunner().invoke(alone, question), CliRunner().invoke(cli.app, question)
    assert one.exit_code == whole.exit_code == 0
    assert one.stdout == whole.stdout and "kim-jung-kwan" in one.stdout


def test_anything_else_gets_every_command():
    for first in (None, "--version", "--help", "asq"):
        assert len(cli.build_app(first).registered_commands) == len(cli.app.registered_commands)
