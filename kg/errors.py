"""The one exception hierarchy of kg; only the CLI turns these into messages and exit codes.

Exit codes (documented in the README): 0 ok, 1 failure or non-conformant data, 2 usage or input
error, 3 not found or ambiguous.

>>> raise SeedError("seeds/x.yaml", 3, "unknown field 'labl'")
Traceback (most recent call last):
kg.errors.SeedError: seeds/x.yaml:3: unknown field 'labl'
"""

from __future__ import annotations

from dataclasses import dataclass


class KGError(Exception):
    """Base class of every error kg raises on purpose."""

    exit_code = 1


class InputError(KGError):
    """The input (a file, an option, a query) cannot be used as given."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the seeds, located at file:line and tied to an entity when known."""

    file: str
    line: int
    message: str
    entity: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        who = f" [{self.entity}]" if self.entity else ""
        return f"{where}:{who} {self.message}".replace(":  ", ": ")


class SeedError(InputError):
    """A seed file cannot be read: malformed YAML, a duplicate key, a field of the wrong shape."""

    def __init__(self, file: str, line: int, message: str, entity: str | None = None):
        self.problems = [Problem(file, line, message, entity)]
        super().__init__(str(self.problems[0]))


class ValidationError(KGError):
    """The seeds were read but break the ontology's rules (SHACL or referential checks)."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        head = f"{len(problems)} problem(s) in the seeds"
        super().__init__(head + "\n" + "\n".join(f"  {p}" for p in problems))


class QueryError(InputError):
    """A SPARQL query is malformed or refused by the safety rules."""


class NotFoundError(KGError):
    """A name or id resolves to nothing."""

    exit_code = 3


class AmbiguousError(KGError):
    """A name resolves to several entities; ``candidates`` lists them."""

    exit_code = 3

    def __init__(self, message: str, candidates: list[tuple[str, str]]):
        self.candidates = candidates
        super().__init__(message)


class UnansweredError(KGError):
    """A question matches none of the patterns `kg ask` knows."""

    exit_code = 3


class StoreError(KGError):
    """A store (oxigraph path, SPARQL endpoint) cannot be opened or answered badly."""
