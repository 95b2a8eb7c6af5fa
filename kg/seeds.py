"""Read the curated seed files (YAML) into records that remember their file and line.

The format is documented in ``seeds/README.md``. Reading checks the shape of every record (known
fields, required fields, dates, citations); :func:`check_references` then checks that every
reference resolves to an entity of an allowed class.

>>> from kg.paths import default_seeds
>>> seeds = load_seeds(default_seeds())
>>> seeds.records["blackrock"].label
'BlackRock'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import Problem, SeedError, ValidationError
from kg.names import name_key, nfc

if TYPE_CHECKING:
    from kg.cache import Cache

# ----------------------------------------------------------------------------- the format


from kg.schema import KINDS, STATUSES, Spec

SOURCE_FIELDS = {
    "id": Spec("id", required=True),
    "file": Spec("text", required=True),
    "title": Spec("text", required=True),
    "title_supplied": Spec("bool"),
    "outlet": Spec("text", required=True),  # may be {value, cite} or {value, cite: curator, note}
    "author": Spec("text"),
    "published": Spec("date"),
    "published_note": Spec("text"),
    "not_before": Spec("date"),
    "paragraphs": Spec("int", required=True),
    "note": Spec("text"),
}

CURATOR = "curator"  # cite value for knowledge that is not in the articles (needs a note)
MONEY_KEYS = {
    "currency",
    "value",
    "min",
    "max",
    "approx",
    "stated_usd",
    "scope",
    "by",
    "rate_date",
    "rate_note",
    "convention",
    "cite",
    "note",
}
MEASURE_KEYS = {"kind", "value", "unit", "by", "qualifier", "cite", "note"}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CITE = re.compile(r"^([A-Za-z0-9_-]+):(\d+)(?:-(\d+))?$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

# Input limits, checked before (and while) parsing so that no input makes kg slow or crash.
# They are stated in every message that refuses an input and in seeds/README.md.
MAX_FILE_BYTES = 256 * 1024  # one seed file (the curated files are under 25 KB)
MAX_FILES = 200  # seed files in a folder
MAX_LINE_CHARS = 4_000  # one line of a seed file
MAX_DEPTH = 24  # nesting of mappings and lists, block or flow
MAX_RECORDS = 2_000  # records in all files together (kg build --max-records raises it)
MAX_LIST = 200  # values of one field (aliases, attendees ...)
MAX_NAME_CHARS = 200  # a label, Korean label or alias
MAX_TEXT_CHARS = 2_000  # any other text
MAX_NUMBER_CHARS = 24  # the written form of one number
MAX_AMOUNT = 10**15  # a money value or measure (a quadrillion units)
MAX_HORIZON_YEARS = 100
NAME_FIELDS = ("label", "label_ko", "aliases")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_HANGUL = re.compile(
    r"^[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3\ua960-\ua97f\ud7b0-\ud7ff]+"
    r"(?:[ ·-][\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3\ua960-\ua97f\ud7b0-\ud7ff]+)*$"
)
_NUMBER = re.compile(r"^[-+]?(?:[0-9][0-9_,]*(?:\.[0-9_]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")

# ----------------------------------------------------------------------------- the records


@dataclass(frozen=True)
class Loc:
    """Where something was read: a seed file and a 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Cite:
    """A citation: a source id and a paragraph number in it."""

    source: str
    para: int
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Date:
    """A date with its precision: ``day``, ``month`` or ``year``.

    >>> Date.parse("2025-09").precision
    'month'
    """

    text: str
    precision: str

    @classmethod
    def parse(cls, text: str) -> Date:
        m = _DATE.match(text)
        if not m:
            raise ValueError(f"'{text[:40]}' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
        year, month, day = m.groups()
        if int(year) < 1:
            raise ValueError(f"'{text}' has no year 0")
        if day:
            dt.date(int(year), int(month), int(day))
            return cls(text, "day")
        if month:
            if not 1 <= int(month) <= 12:
                raise ValueError(f"'{text}' has no month {month}")
            return cls(text, "month")
        return cls(text, "year")

    def as_date(self) -> dt.date:
        """The first day the date can mean (for exchange rates)."""
        parts = [int(p) for p in self.text.split("-")] + [1, 1]
        return dt.date(*parts[:3])


@dataclass
class Value:
    """One value of a field: the value itself, its own citations (if any) and where it was read."""

    value: Any
    loc: Loc
    cites: list[Cite] | None = None
    note: str | None = None


@dataclass
class Record:
    """One curated record: an entity, event, commitment, membership, statement ..."""

    kind: str
    id: str
    types: list[str]
    loc: Loc
    cites: list[Cite]
    fields: dict[str, list[Value]] = field(default_factory=dict)

    @property
    def label(self) -> str | None:
        vals = self.fields.get("label")
        return vals[0].value if vals else None

    def one(self, name: str) -> Any:
        """The first value of a field, or None."""
        vals = self.fields.get(name)
        return vals[0].value if vals else None


@dataclass
class Source:
    """A source article: its metadata and how many of its paragraphs belong to it."""

    id: str
    loc: Loc
    fields: dict[str, Any]

    @property
    def paragraphs(self) -> int:
        return self.fields["paragraphs"]


@dataclass
class Seeds:
    """Everything read from a seeds folder."""

    sources: dict[str, Source] = field(default_factory=dict)
    records: dict[str, Record] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)

    def stable_loc(self, loc: Loc) -> str:
        """``seeds/<file>:<line>``: the same wherever the build runs from."""
        return f"{self.files.get(loc.file, loc.file)}:{loc.line}"


# ----------------------------------------------------------------------------- reading


def _yaml():
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False

    class _Constructor(RoundTripConstructor):
        """Keeps timestamps as text so that dates are checked (and located) by kg itself."""

    _Constructor.add_constructor(
        "tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str
    )
    yaml.Constructor = _Constructor
    return yaml


DRAFT_SUFFIX = ".draft.yaml"


def is_draft(path: Path) -> bool:
    """A draft seed file (``kg draft`` output): never read into the graph until accepted."""
    return path.name.endswith(DRAFT_SUFFIX)


def _load(text: str) -> Any:
    """The document, as ruamel's round-trip loader makes it (line of every key and item).

    libyaml (PyYAML's C parser) reads the events and ruamel's constructor builds the document
    from them, about five times faster than ruamel's own parser. Whatever ruamel must judge by
    itself (a parse error, anchors and aliases, explicit tags, several documents, tabs, line
    breaks that YAML 1.1 and 1.2 count differently) is read by ruamel alone, so every message
    and line
    stays ruamel's (tests/test_yaml_fast.py compares the two on every case).
    """
    node = _compose_fast(text)
    yaml = _yaml()
    if node is _SLOW:
        return yaml.load(text)
    return None if node is None else yaml.constructor.construct_document(node)


_SLOW = object()
# line breaks YAML 1.1 and 1.2 count differently, a BOM, tabs (libyaml allows more of them)
_RUAMEL_ONLY = ("\x85", "\u2028", "\u2029", "\ufeff", "\t")


def _compose_fast(text: str) -> Any:
    """ruamel nodes from libyaml's events; None for an empty stream; _SLOW when ruamel must
    read the text itself."""
    try:
        from yaml import CSafeLoader, YAMLError
        from yaml import events as ev
    except ImportError:
        return _SLOW
    if any(c in text for c in _RUAMEL_ONLY):
        return _SLOW
    from ruamel.yaml.error import StreamMark
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
    from ruamel.yaml.resolver import VersionedResolver

    resolve = VersionedResolver(version=(1, 2)).resolve

    def mark(m: Any) -> StreamMark:
        return StreamMark("<unicode string>", m.index, m.line, m.column)

    parser = CSafeLoader(text)
    root: Any = None
    stack: list[Any] = []  # open collections; a mapping's pending key rides along
    documents = 0
    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is ev.StreamEndEvent:
                break
            if kind is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return _SLOW
                continue
            if kind in (ev.StreamStartEvent, ev.DocumentEndEvent):
                continue
            if kind is ev.AliasEvent:
                return _SLOW
            if kind in (ev.SequenceEndEvent, ev.MappingEndEvent):
                stack.pop()[0].end_mark = mark(event.end_mark)
                continue
            if event.anchor is not None or event.tag is not None:
                return _SLOW
            node: Any
            if kind is ev.ScalarEvent:
                node = ScalarNode(
                    resolve(ScalarNode, event.value, event.implicit),
                    event.value,
                    mark(event.start_mark),
                    mark(event.end_mark),
                    style=event.style,
                )
            else:
                cls = SequenceNode if kind is ev.SequenceStartEvent else MappingNode
                node = cls(
                    resolve(cls, None, event.implicit),
                    [],
                    mark(event.start_mark),
                    None,
                    flow_style=event.flow_style,
                )
            if kind in (ev.SequenceStartEvent, ev.MappingStartEvent):
                _attach(stack, node, MappingNode)
                stack.append([node, None])
                if root is None:
                    root = node
                continue
            if not stack:
                root = node
            else:
                _attach(stack, node, MappingNode)
    except YAMLError:
        return _SLOW
    return root


def _attach(stack: list[Any], node: Any, mapping: Any) -> None:
    """Add ``node`` to the innermost open collection (as a key, or as the value of its key)."""
    if not stack:
        return
    top: list[Any] = stack[-1]
    collection: Any = top[0]
    if not isinstance(collection, mapping):
        collection.value.append(node)
    elif top[1] is None:
        top[1] = node
    else:
        collection.value.append((top[1], node))
        top[1] = None


def seed_files(folder: Path, drafts: bool = False) -> list[Path]:
    """The seed files of a folder: every ``*.yaml`` / ``*.yml`` below it, in a stable order.

    Draft files (``*.draft.yaml``) are left out unless ``drafts``. A ``*.yaml`` entry that is
    not a readable file (a dangling symbolic link, a folder) is an error, not silently skipped.
    """
    files = []
    for p in folder.rglob("*"):
        if p.suffix not in (".yaml", ".yml") or (is_draft(p) and not drafts):
            continue
        if p.is_symlink() and not p.exists():
            raise SeedError(
                _display(p), 1, "broken symbolic link: the file it points to is missing"
            )
        if p.is_file():
            files.append(p)
        elif not p.is_dir():
            raise SeedError(_display(p), 1, "not a regular file")
    if len(files) > MAX_FILES:
        raise SeedError(str(folder), 0, f"{len(files)} seed files; the limit is {MAX_FILES}")
    return sorted(files, key=lambda p: p.relative_to(folder).as_posix())


def prescan(text: str, display: str) -> None:
    """Refuse, before parsing, what would make the YAML parser slow or crash: over-long lines,
    nesting deeper than MAX_DEPTH (flow brackets, or block indentation and dashes) and numbers
    written with more than MAX_NUMBER_CHARS characters."""
    depth = 0
    quote = ""
    for n, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            raise SeedError(
                display, n, f"line of {len(line):,} characters; the limit is {MAX_LINE_CHARS:,}"
            )
        if not quote:
            stripped = line.lstrip(" ")
            column = len(line) - len(stripped)
            dashes = 0
            while stripped[:2] in ("- ", "? ") or stripped == "-":
                stripped = stripped[2:].lstrip(" ")
                dashes += 1
            column += dashes
            if column > 2 * MAX_DEPTH + 8 and (stripped or dashes) and stripped[:1] != "#":
                raise SeedError(
                    display,
                    n,
                    f"nested too deeply (indentation {column}); the limit is {MAX_DEPTH} levels",
                )
        prev = " "
        i = 0
        while i < len(line):
            c = line[i]
            if quote:
                if c == "\\" and quote == '"':
                    i += 2
                    continue
                if c == quote:
                    if quote == "'" and line[i + 1 : i + 2] == "'":
                        i += 2
                        continue
                    quote = ""
            elif c == "#" and prev in " \t":
                break
            elif c in "'\"" and prev in " \t:-[{,":
                quote = c
            elif c in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise SeedError(
                        display, n, f"brackets nested too deeply; the limit is {MAX_DEPTH} levels"
                    )
            elif c in "]}":
                depth = max(0, depth - 1)
            prev = c
            i += 1
        for token in re.findall(r"(?:(?<=[\s\[{,:])|^)[-+]?[0-9][0-9_.,eE+-]*", line):
            if len(token) > MAX_NUMBER_CHARS and not quote:
                raise SeedError(
                    display,
                    n,
                    f"number of {len(token):,} characters; the limit is "
                    f"{MAX_NUMBER_CHARS} (amounts up to {MAX_AMOUNT:.0e})",
                )


def read_bytes(path: Path, display: str) -> bytes:
    """A seed file's bytes, up to one past the size limit (SeedError when it cannot be read)."""
    try:
        with path.open("rb") as stream:
            return stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SeedError(display, 1, f"cannot read: {exc.strerror}") from None


def read_yaml(path: Path, display: str) -> Any:
    """Parse one YAML file, turning every parser complaint into a SeedError at file:line."""
    return parse_yaml(read_bytes(path, display), display)


def parse_yaml(data: bytes, display: str) -> Any:
    """Parse a seed file's bytes (see :func:`read_yaml`)."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if len(data) > MAX_FILE_BYTES:
        line = data[:MAX_FILE_BYTES].count(b"\n") + 1
        raise SeedError(
            display, line, f"the file passes the limit of {MAX_FILE_BYTES:,} bytes on this line"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SeedError(display, line, f"not UTF-8 text ({exc.reason})") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SeedError(display, line, "NUL character: not a text file")
    prescan(text, display)
    try:
        doc = _load(text)
    except MarkedYAMLError as exc:
        problem_line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        context_line = exc.context_mark.line + 1 if exc.context_mark else 0
        what = (exc.problem or exc.context or "malformed YAML").strip()
        line = problem_line or context_line
        if "duplicate key" in what:
            what = f"{what} (the mapping starts at line {context_line})"
        elif exc.context and context_line:
            # an unclosed bracket or quote is only noticed later; point at where it opened
            what = f"{exc.context.strip()} (line {context_line}): {what} (line {problem_line})"
            line = context_line if "<stream end>" in what else problem_line
        raise SeedError(display, line, f"malformed YAML: {_clean(what)}") from None
    except YAMLError as exc:
        raise SeedError(display, 1, f"malformed YAML: {_clean(str(exc))}") from None
    except RecursionError:
        raise SeedError(display, 1, f"nested too deeply; the limit is {MAX_DEPTH} levels") from None
    except (ValueError, OverflowError) as exc:
        raise SeedError(display, 1, f"malformed YAML: {_clean(str(exc))}") from None
    _check_tree(doc, display)
    return doc


def _clean(text: str) -> str:
    """Text safe to print on a terminal: control characters (ANSI escapes) shown escaped."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def _check_tree(doc: Any, display: str) -> None:
    """No anchors or aliases (a self-referencing or exponential alias), nesting within bounds."""
    from collections import deque

    stack = deque([(doc, 1, 1)])  # breadth first: the first anchor in the file is reported
    while stack:
        node, depth, parent_line = stack.popleft()
        line = _line(node, default=parent_line)
        anchor = getattr(getattr(node, "anchor", None), "value", None)
        if anchor is not None:
            raise SeedError(
                display,
                line,
                f"YAML anchor '&{_clean(str(anchor))}': anchors and aliases "
                "(&name, *name) are not allowed in seed files; write each value out",
            )
        if depth > MAX_DEPTH:
            raise SeedError(display, line, f"nested too deeply; the limit is {MAX_DEPTH} levels")
        if isinstance(node, dict):
            if len(node) > MAX_RECORDS:
                raise SeedError(display, line, f"{len(node):,} keys; the limit is {MAX_RECORDS:,}")
            for key, value in node.items():
                stack.append((key, depth + 1, line))
                stack.append((value, depth + 1, _line(node, key, line)))
        elif isinstance(node, list):
            if len(node) > MAX_RECORDS:
                raise SeedError(
                    display, line, f"list of {len(node):,} items; the limit is {MAX_RECORDS:,}"
                )
            for i, value in enumerate(node):
                stack.append((value, depth + 1, _line(node, i, line)))


def load_seeds(
    folder: Path | str,
    drafts: bool = False,
    extra: Iterable[Path] = (),
    cache: Cache | None = None,
    max_records: int = MAX_RECORDS,
) -> Seeds:
    """Read every seed file in ``folder``; raise SeedError (unreadable) or ValidationError.

    References are checked too (:func:`check_references`), so a returned Seeds is complete.
    With ``drafts`` the folder's ``*.draft.yaml`` files (and the ``extra`` files) are read as
    well, their ``draft`` marks allowed; a draft mark anywhere else is an error. With a
    ``cache``, a file whose bytes were read before is not parsed again (the result is the same
    as without it). ``max_records`` bounds the records of all files together.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SeedError(str(folder), 0, "seeds folder not found")
    files = seed_files(folder, drafts) + [Path(p) for p in extra]
    if not files:
        raise SeedError(str(folder), 0, "no seed files (*.yaml) in the folder")
    seeds = Seeds()
    problems: list[Problem] = []
    plain = [f for f in files if not is_draft(f) and f.is_relative_to(folder)]
    parts = _cached_parts(plain, cache, max_records) if cache is not None else None
    for path in files:
        display = _display(path)
        rel = path.relative_to(folder).as_posix() if path.is_relative_to(folder) else path.name
        seeds.files[display] = f"{folder.name}/{rel}"
        if parts is not None and display in parts:
            part = parts[display]
            seeds.sources.update(part.sources)
            seeds.records.update(part.records)
            problems.extend(part.problems)
        else:
            doc = read_yaml(path, display)
            _read_document(doc, display, seeds, problems, is_draft(path))
        _check_count(len(seeds.records) + len(seeds.sources), display, max_records)
    if not seeds.records and not seeds.sources and not problems:
        raise SeedError(
            _display(files[0]), 1, "no records: every seed file is empty (nothing to build)"
        )
    problems.extend(check_references(seeds))
    problems.extend(check_rules(seeds))
    if problems:
        raise ValidationError(_dedupe(problems))
    return seeds


@dataclass
class _Part:
    """What one seed file holds, read on its own."""

    sources: dict[str, Source]
    records: dict[str, Record]
    problems: list[Problem]


def _read_part(path: Path, display: str, cache: Cache) -> _Part:
    data = read_bytes(path, display)
    key = cache.key("seedfile", display, data) if len(data) <= MAX_FILE_BYTES else None
    found = cache.get(key) if key else None
    if isinstance(found, _Part):
        return found
    part, problems = Seeds(), list[Problem]()
    _read_document(parse_yaml(data, display), display, part, problems)
    result = _Part(part.sources, part.records, problems)
    if key:
        cache.put(key, result)
    return result


def _cached_parts(files: list[Path], cache: Cache, max_records: int) -> dict[str, _Part] | None:
    """Every file read on its own (from the cache where its bytes are known), or None when a
    duplicate id makes the files depend on each other (then they are read in order, uncached)."""
    parts: dict[str, _Part] = {}
    sources: set[str] = set()
    records: set[str] = set()
    for path in files:
        display = _display(path)
        part = parts[display] = _read_part(path, display, cache)
        if any(p.message.startswith("duplicate id") for p in part.problems):
            return None
        if sources & part.sources.keys() or (sources | records) & part.records.keys():
            return None
        sources.update(part.sources)
        records.update(part.records)
        _check_count(len(sources) + len(records), display, max_records)
    return parts


def _check_count(count: int, display: str, limit: int) -> None:
    if count > limit:
        raise SeedError(
            display, 1, f"more than {limit:,} records in the seeds; the limit is {limit:,}"
        )


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set = set()
    out = []
    for p in problems:
        p = Problem(p.file, p.line, _clean(p.message), p.entity and _clean(p.entity))
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _line(node: Any, key: Any = None, default: int = 0) -> int:
    lc = getattr(node, "lc", None)
    if lc is None:
        return default
    try:
        if key is None:
            line = lc.line
        elif isinstance(key, int):
            line = lc.item(key)[0]
        else:
            line = lc.key(key)[0]
    except (KeyError, IndexError, TypeError, AttributeError):
        line = getattr(lc, "line", None)
    return line + 1 if isinstance(line, int) else default


def _read_document(
    doc: Any, file: str, seeds: Seeds, problems: list[Problem], draft: bool = False
) -> None:
    if doc is None:
        return
    if not isinstance(doc, dict):
        raise SeedError(file, _line(doc, default=1), "a seed file must be a mapping of sections")
    for section, items in doc.items():
        line = _line(doc, section)
        section = nfc(str(section))
        if section != "sources" and section not in KINDS:
            known = ", ".join(["sources", *KINDS])
            problems.append(Problem(file, line, f"unknown section '{section}' (known: {known})"))
            continue
        if not isinstance(items, list):
            problems.append(Problem(file, line, f"section '{section}' must be a list of records"))
            continue
        for i, item in enumerate(items):
            item_line = _line(items, i, line)
            if not isinstance(item, dict):
                problems.append(Problem(file, item_line, f"a {section} entry must be a mapping"))
                continue
            if section == "sources":
                _read_source(item, Loc(file, item_line), seeds, problems)
            else:
                if "draft" in item:
                    _draft_mark(item, Loc(file, _line(item, "draft", item_line)), draft, problems)
                _read_record(section, item, Loc(file, item_line), seeds, problems)


def _draft_mark(item: dict, loc: Loc, draft: bool, problems: list[Problem]) -> None:
    """A ``draft: {rule, confidence}`` mark: allowed in a draft file, an error anywhere else."""
    mark, who = item["draft"], str(item.get("id", "")) or None
    if not draft:
        message = (
            "draft-marked record: review it, then remove the 'draft' mark (or kg draft --accept)"
        )
        problems.append(Problem(loc.file, loc.line, message, who))
        return
    ok = (
        isinstance(mark, dict)
        and set(mark) == {"rule", "confidence"}
        and isinstance(mark["rule"], str)
        and isinstance(mark["confidence"], (int, float))
        and not isinstance(mark["confidence"], bool)
        and 0 <= mark["confidence"] <= 1
    )
    if not ok:
        message = "draft: expected {rule: NAME, confidence: 0..1}"
        problems.append(Problem(loc.file, loc.line, message, who))


def _check_fields(
    item: dict,
    specs: dict[str, Spec],
    loc: Loc,
    problems: list[Problem],
    who: str | None,
    ignore: tuple[str, ...] = (),
) -> None:
    for key in item:
        if str(key) not in specs and str(key) not in ignore:
            import difflib

            near = difflib.get_close_matches(str(key), list(specs), n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            line = _line(item, key, loc.line)
            problems.append(Problem(loc.file, line, f"unknown field '{key}'{hint}", who))
    for name, spec in specs.items():
        if spec.required and item.get(name) in (None, "", []):
            problems.append(Problem(loc.file, loc.line, f"missing required field '{name}'", who))


def _read_id(item: dict, loc: Loc, problems: list[Problem]) -> str | None:
    raw = item.get("id")
    if raw is None:
        return None
    rid = nfc(str(raw))
    if not _ID.match(rid):
        problems.append(
            Problem(
                loc.file,
                _line(item, "id", loc.line),
                f"id '{rid}' must be lower-case letters, digits and hyphens",
            )
        )
    return rid


def _duplicate(rid: str, loc: Loc, first: Loc, problems: list[Problem]) -> None:
    message = f"duplicate id '{rid}' (first defined at {first})"
    problems.append(Problem(loc.file, loc.line, message, rid))


def _read_source(item: dict, loc: Loc, seeds: Seeds, problems: list[Problem]) -> None:
    rid = _read_id(item, loc, problems)
    _check_fields(item, SOURCE_FIELDS, loc, problems, rid)
    if rid is None:
        return
    if rid in seeds.sources:
        _duplicate(rid, loc, seeds.sources[rid].loc, problems)
        return
    values: dict[str, Any] = {}
    for name, spec in SOURCE_FIELDS.items():
        if name in item and item[name] is not None:
            line = _line(item, name, loc.line)
            raw = item[name]
            try:
                if name == "outlet" and isinstance(raw, dict):
                    value = _read_value(spec, raw, Loc(loc.file, line), problems, rid, 200)
                    values[name] = value.value
                    values["outlet_cites"] = value.cites
                    values["outlet_note"] = value.note
                    if value.cites is None:
                        problems.append(
                            Problem(loc.file, line, "outlet: a mapping here needs a cite", rid)
                        )
                else:
                    values[name] = _scalar(spec.type, raw)
            except ValueError as exc:
                problems.append(Problem(loc.file, line, f"{name}: {exc}", rid))
    if "paragraphs" in values and values["paragraphs"] < 1:
        problems.append(Problem(loc.file, loc.line, "paragraphs must be at least 1", rid))
    seeds.sources[rid] = Source(rid, loc, values)


def _scalar(kind: str, raw: Any, limit: int = MAX_TEXT_CHARS) -> Any:
    """Convert one scalar of a given field type, raising ValueError with a readable reason."""
    if kind in ("text", "ko", "id"):
        if isinstance(raw, (dict, list)):
            raise ValueError("expected text")
        if isinstance(raw, bool) or raw is None or not isinstance(raw, str):
            raise ValueError(f"expected text, got the {_kind_of(raw)} {_show(raw)} (quote it)")
        text = nfc(str(raw)).strip()
        if not text:
            raise ValueError("must not be empty")
        bad = _CONTROL.search(text)
        if bad:
            shown = repr(bad.group())[1:-1]
            raise ValueError(
                f"contains the control character {shown} (escape sequences are refused)"
            )
        if len(text) > limit:
            raise ValueError(f"text of {len(text):,} characters; the limit is {limit:,}")
        if kind == "ko" and not _HANGUL.match(text):
            raise ValueError(f"'{text}' is not Hangul (a Korean label is written in Hangul only)")
        return text
    if kind == "int":
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError(f"expected a whole number, got '{_show(raw)}'")
        return int(raw)
    if kind == "bool":
        if not isinstance(raw, bool):
            raise ValueError(f"expected true or false, got '{_show(raw)}'")
        return raw
    if kind == "date":
        return Date.parse(_date_text(raw))
    if kind == "year":
        date = Date.parse(_date_text(raw))
        if date.precision != "year":
            raise ValueError(f"expected a year (YYYY), got '{_show(raw)}'")
        return date
    if kind == "status":
        text = str(raw) if isinstance(raw, str) else ""
        if text not in STATUSES:
            raise ValueError(f"unknown status '{_show(raw)}' (known: {', '.join(STATUSES)})")
        return text
    if kind == "ref":
        if isinstance(raw, (dict, list)):
            raise ValueError("expected an id")
        if isinstance(raw, bool) or raw is None:
            raise ValueError(f"expected an id, got '{_show(raw)}'")
        text = nfc(str(raw)).strip()
        if not _ID.match(text):
            raise ValueError(f"'{_show(text)}' is not an id (lower-case letters, digits, hyphens)")
        return text
    raise ValueError(f"cannot read a {kind} here")


def _kind_of(raw: Any) -> str:
    if isinstance(raw, bool):
        return "boolean"
    if isinstance(raw, (int, float)):
        return "number"
    return "null value" if raw is None else type(raw).__name__


def _show(raw: Any, limit: int = 60) -> str:
    """A value as it may be quoted in a message: short, control characters escaped."""
    text = _clean(str(raw))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _date_text(raw: Any) -> str:
    if isinstance(raw, (dict, list, bool)) or raw is None:
        raise ValueError(f"'{_show(raw)}' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    text = str(raw)
    if len(text) > 10:
        raise ValueError(f"'{_show(raw)}' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    return text


def _parse_cites(raw: Any, file: str, line: int, problems: list[Problem], who: str | None):
    items = raw if isinstance(raw, list) else [raw]
    cites: list[Cite] = []
    for item in items:
        m = _CITE.match(str(item).strip()) if isinstance(item, str) else None
        if not m:
            message = f"citation '{_show(item)}' must look like a002:19"
            problems.append(Problem(file, line, message, who))
            continue
        source, start, end = m.group(1), int(m.group(2)), m.group(3)
        stop = int(end) if end else start
        if stop < start:
            problems.append(Problem(file, line, f"citation '{item}' runs backwards", who))
            continue
        if stop - start >= MAX_LIST or stop > 10**6:
            message = f"citation '{item}' spans too many paragraphs (the limit is {MAX_LIST})"
            problems.append(Problem(file, line, message, who))
            continue
        cites.extend(Cite(source, p, line) for p in range(start, stop + 1))
    if not cites:
        problems.append(Problem(file, line, "cite must name at least one source:paragraph", who))
    return cites


def _read_record(kind: str, item: dict, loc: Loc, seeds: Seeds, problems: list[Problem]) -> None:
    base, specs = KINDS[kind]
    rid = _read_id(item, loc, problems)
    _check_fields(item, specs, loc, problems, rid, ignore=("draft",))
    if rid is None:
        return
    if rid in seeds.records:
        _duplicate(rid, loc, seeds.records[rid].loc, problems)
        return
    if rid in seeds.sources:
        _duplicate(rid, loc, seeds.sources[rid].loc, problems)
        return
    cite_line = _line(item, "cite", loc.line)
    cites = _parse_cites(item.get("cite", []), loc.file, cite_line, problems, rid)
    raw_types = item.get("type", base)
    types = [nfc(str(t)) for t in (raw_types if isinstance(raw_types, list) else [raw_types])]
    record = Record(kind, rid, types, loc, cites)
    for name, spec in specs.items():
        if name in ("id", "cite", "type") or item.get(name) is None:
            continue
        raw = item[name]
        line = _line(item, name, loc.line)
        entries = raw if spec.many and isinstance(raw, list) else [raw]
        if spec.many and not isinstance(raw, list) and spec.type in ("aliases", "measures"):
            problems.append(Problem(loc.file, line, f"{name}: expected a list", rid))
            continue
        if not spec.many and isinstance(raw, list):
            problems.append(Problem(loc.file, line, f"{name}: takes one value, not a list", rid))
            continue
        if len(entries) > MAX_LIST:
            message = f"{name}: {len(entries):,} values; the limit is {MAX_LIST} per field"
            problems.append(Problem(loc.file, line, message, rid))
            continue
        limit = MAX_NAME_CHARS if name in NAME_FIELDS else MAX_TEXT_CHARS
        values: list[Value] = []
        for i, entry in enumerate(entries):
            entry_line = _line(raw, i, line) if isinstance(raw, list) else line
            try:
                where = Loc(loc.file, entry_line)
                values.append(_read_value(spec, entry, where, problems, rid, limit))
            except ValueError as exc:
                problems.append(Problem(loc.file, entry_line, f"{name}: {exc}", rid))
        record.fields[name] = values
    seeds.records[rid] = record


def _read_value(
    spec: Spec, entry: Any, loc: Loc, problems: list[Problem], who: str, limit: int
) -> Value:
    """One field value; a mapping may carry its own ``cite`` and ``note``."""
    if spec.type in ("money", "measures"):
        if not isinstance(entry, dict):
            raise ValueError("expected a mapping")
        allowed = MONEY_KEYS if spec.type == "money" else MEASURE_KEYS
        for key in entry:
            if key not in allowed:
                line = _line(entry, key, loc.line)
                message = f"unknown key '{_show(key)}' in a {spec.type}"
                problems.append(Problem(loc.file, line, message, who))
        data = {str(k): v for k, v in entry.items() if k not in ("cite", "note")}
        value = _money(data, loc, problems, who) if spec.type == "money" else _measure(data)
        return Value(value, loc, _own_cites(entry, loc, problems, who), _note(entry))
    if isinstance(entry, dict):
        key = "name" if spec.type == "aliases" else ("id" if spec.type == "ref" else "value")
        extra = set(entry) - {key, "cite", "note"}
        if extra or key not in entry:
            raise ValueError(f"a mapping here takes '{key}', 'cite' and 'note'")
        kind = "text" if spec.type == "aliases" else spec.type
        return Value(
            _scalar(kind, entry[key], limit),
            loc,
            _own_cites(entry, loc, problems, who),
            _note(entry),
        )
    kind = "text" if spec.type == "aliases" else spec.type
    return Value(_scalar(kind, entry, limit), loc)


def _own_cites(entry: dict, loc: Loc, problems: list[Problem], who: str) -> list[Cite] | None:
    """A value's own citations; ``cite: curator`` marks curator knowledge (an empty list)."""
    if "cite" not in entry:
        return None
    if entry["cite"] == CURATOR:
        if not entry.get("note"):
            line = _line(entry, "cite", loc.line)
            problems.append(Problem(loc.file, line, "cite: curator needs a note saying why", who))
        return []
    return _parse_cites(entry["cite"], loc.file, _line(entry, "cite", loc.line), problems, who)


def _note(entry: dict) -> str | None:
    return _scalar("text", entry["note"]) if entry.get("note") else None


def _number(raw: Any, what: str) -> int | float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ValueError(f"{what} must be a number, got '{_show(raw)}'")
    if raw != raw or raw in (float("inf"), float("-inf")):
        raise ValueError(f"{what} must be a finite number, got {raw}")
    if raw < 0:
        raise ValueError(f"{what} must not be negative")
    if raw > MAX_AMOUNT:
        raise ValueError(f"{what} {raw:.3g} is too large; the limit is {MAX_AMOUNT:.0e}")
    return raw


def _money(data: dict, loc: Loc, problems: list[Problem], who: str) -> dict:
    money: dict[str, Any] = {}
    if "currency" not in data:
        raise ValueError("a money value needs a currency (ISO 4217, e.g. USD, KRW)")
    currency = data["currency"]
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency.strip()):
        raise ValueError(f"currency '{_show(currency)}' is not an ISO 4217 code (three capitals)")
    money["currency"] = currency.strip()
    if "value" in data:
        money["value"] = _number(data["value"], "value")
    for bound in ("min", "max"):
        if bound in data:
            money[bound] = _number(data[bound], bound)
    if "value" not in money and not ("min" in money or "max" in money):
        raise ValueError("a money value needs value, or min and/or max")
    if "value" in money and ("min" in money or "max" in money):
        raise ValueError("give either value or min/max, not both")
    if "min" in money and "max" in money and money["min"] > money["max"]:
        raise ValueError("min is larger than max")
    if "stated_usd" in data:
        money["stated_usd"] = _number(data["stated_usd"], "stated_usd")
    for key in ("approx", "scope", "by", "convention", "rate_note"):
        if key in data:
            money[key] = _scalar("text", data[key])
    if "rate_date" in data:
        money["rate_date"] = Date.parse(_date_text(data["rate_date"]))
        if money["rate_date"].precision != "day":
            raise ValueError("rate_date must be a day (YYYY-MM-DD)")
    return money


def _measure(data: dict) -> dict:
    for key in ("kind", "value", "unit"):
        if key not in data:
            raise ValueError(f"a measure needs '{key}'")
    out = {
        "kind": _scalar("text", data["kind"]),
        "value": _number(data["value"], "value"),
        "unit": _scalar("text", data["unit"]),
    }
    if "by" in data:
        out["by"] = Date.parse(_date_text(data["by"]))
    if "qualifier" in data:
        out["qualifier"] = _scalar("text", data["qualifier"])
    return out


# ----------------------------------------------------------------------------- references


def class_closure() -> dict[str, set[str]]:
    """Each kg class name mapped to itself and all its kg superclasses, read from the ontology."""
    from rdflib import RDFS, Graph

    from kg.paths import ontology_file
    from kg.vocab import KG

    graph = Graph().parse(ontology_file(), format="turtle")
    parents: dict[str, set[str]] = {}
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if str(sub).startswith(str(KG)):
            name = str(sub)[len(str(KG)) :]
            parents.setdefault(name, set())
            if str(sup).startswith(str(KG)):
                parents[name].add(str(sup)[len(str(KG)) :])

    def up(name: str) -> set[str]:
        out = {name}
        for parent in parents.get(name, ()):
            out |= up(parent)
        return out

    return {name: up(name) for name in parents}


def check_references(seeds: Seeds) -> list[Problem]:
    """Types exist and fit the section; references resolve to allowed classes; names are unique."""
    closure = class_closure()
    problems: list[Problem] = []
    for record in seeds.records.values():
        base = KINDS[record.kind][0]
        for t in record.types:
            if t not in closure:
                problems.append(
                    Problem(record.loc.file, record.loc.line, f"unknown type '{t}'", record.id)
                )
            elif base not in closure[t]:
                message = f"type '{t}' does not belong in '{record.kind}'"
                problems.append(Problem(record.loc.file, record.loc.line, message, record.id))
        for cite in _all_cites(record):
            _check_cite(cite, record, seeds, problems)
        specs = KINDS[record.kind][1]
        for name, values in record.fields.items():
            spec = specs[name]
            if spec.type == "money":
                for v in values:
                    if "by" in v.value:
                        _check_ref(
                            v.value["by"],
                            ("Agent",),
                            "estimate by",
                            v.loc,
                            record,
                            seeds,
                            closure,
                            problems,
                        )
            if spec.type != "ref":
                continue
            for v in values:
                _check_ref(v.value, spec.classes, name, v.loc, record, seeds, closure, problems)
    problems.extend(_name_collisions(seeds))
    return problems


def _all_cites(record: Record) -> Iterable[Cite]:
    yield from record.cites
    for values in record.fields.values():
        for v in values:
            yield from v.cites or ()


def _check_cite(cite: Cite, record: Record, seeds: Seeds, problems: list[Problem]) -> None:
    source = seeds.sources.get(cite.source)
    if source is None:
        problems.append(
            Problem(
                record.loc.file,
                cite.line or record.loc.line,
                f"cites unknown source '{cite.source}'",
                record.id,
            )
        )
    elif "paragraphs" in source.fields and not 1 <= cite.para <= source.paragraphs:
        problems.append(
            Problem(
                record.loc.file,
                cite.line or record.loc.line,
                f"cites {cite.source}:{cite.para}, but {cite.source} has paragraphs 1-"
                f"{source.paragraphs} (later lines of the file are not part of the article)",
                record.id,
            )
        )


def _check_ref(target, classes, name, loc, record, seeds, closure, problems) -> None:
    other = seeds.records.get(target)
    if other is None:
        import difflib

        near = difflib.get_close_matches(target, list(seeds.records), n=1)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        problems.append(
            Problem(loc.file, loc.line, f"{name}: unknown entity '{target}'{hint}", record.id)
        )
        return
    if not classes:
        return
    have = set().union(*(closure.get(t, {t}) for t in other.types))
    if not have & set(classes):
        problems.append(
            Problem(
                loc.file,
                loc.line,
                f"{name}: '{target}' has type {'/'.join(other.types)}, "
                f"expected {' or '.join(classes)}",
                record.id,
            )
        )


def _name_collisions(seeds: Seeds) -> list[Problem]:
    seen: dict[str, tuple[str, Loc]] = {}
    problems: list[Problem] = []
    for record in seeds.records.values():
        names = [
            (v.value, v.loc)
            for f in ("label", "label_ko", "aliases")
            for v in record.fields.get(f, [])
        ]
        for name, loc in names:
            key = name_key(name)
            if key in seen and seen[key][0] != record.id:
                other, where = seen[key]
                problems.append(
                    Problem(
                        loc.file,
                        loc.line,
                        f"name '{name}' is also a name of '{other}' ({where}): one name must mean "
                        "one entity (spelling variants and NFC/NFD forms count as the same name)",
                        record.id,
                    )
                )
            else:
                seen.setdefault(key, (record.id, loc))
    return problems


# ----------------------------------------------------------------------------- curation rules

# fields whose references must not lead back to the record itself, directly or through others
ACYCLIC = {
    ("organizations", "owned_by"): "is owned by",
    ("organizations", "part_of"): "is part of",
    ("places", "located_in"): "is located in",
    ("events", "part_of"): "is part of",
    ("commitments", "part_of"): "is part of",
}
# fields that identify a record or explain it; every other value is a fact that needs support
NOT_FACTS = {"label", "description", "note", "date_note", "label_ko", "conflicts_with"}
# records that are one claim as a whole: their citation backs all of their fields together
WHOLE_CLAIMS = {"memberships", "statements"}


def check_rules(seeds: Seeds) -> list[Problem]:
    """What a curator can get wrong beyond the format: circular ownership, location or
    part-of chains, self-membership and self-conflict, dates out of order, an amount marked
    undisclosed, horizons out of range, two sources for one file, source files outside the
    article folder, and values whose support is not their own citation."""
    problems: list[Problem] = []
    files: dict[str, Source] = {}
    for source in seeds.sources.values():
        file = source.fields.get("file")
        if isinstance(file, str):
            if "/" in file or "\\" in file or file.startswith(".") or ":" in file:
                problems.append(
                    Problem(
                        source.loc.file,
                        source.loc.line,
                        f"file '{file}' must be a plain file name in the article folder "
                        "(no folders, no '..')",
                        source.id,
                    )
                )
            key = nfc(file).casefold()
            if key in files:
                other = files[key]
                for one, two in ((source, other), (other, source)):
                    message = f"file '{file}' is also the file of source '{two.id}' ({two.loc})"
                    problems.append(Problem(one.loc.file, one.loc.line, message, one.id))
            else:
                files[key] = source
        for cite in source.fields.get("outlet_cites") or ():
            if cite.source != source.id:
                message = f"outlet: cites {cite.source}, but an outlet is read off its own article"
                problems.append(Problem(source.loc.file, cite.line, message, source.id))
            elif "paragraphs" in source.fields and not 1 <= cite.para <= source.paragraphs:
                message = f"outlet: cites {cite.source}:{cite.para}, past the article's end"
                problems.append(Problem(source.loc.file, cite.line, message, source.id))
    for record in seeds.records.values():
        _record_rules(record, problems)
    for (kind, name), verb in ACYCLIC.items():
        problems.extend(_cycles(seeds, kind, name, verb))
    return problems


def _record_rules(record: Record, problems: list[Problem]) -> None:
    f = record.fields
    for v in f.get("conflicts_with", []):
        if v.value == record.id:
            problems.append(
                Problem(
                    v.loc.file,
                    v.loc.line,
                    "conflicts_with: a claim cannot conflict with itself",
                    record.id,
                )
            )
    if record.kind == "memberships":
        member, org = record.one("member"), record.one("organization")
        if member is not None and member == org:
            loc = f["organization"][0].loc
            problems.append(
                Problem(loc.file, loc.line, f"'{member}' cannot be a member of itself", record.id)
            )
    start = record.one("date") or record.one("announced")
    end = record.one("end_date")
    if isinstance(start, Date) and isinstance(end, Date) and _before(end, start):
        loc = f["end_date"][0].loc
        problems.append(
            Problem(
                loc.file,
                loc.line,
                f"end_date {end.text} is before the start date {start.text}",
                record.id,
            )
        )
    if record.kind == "commitments":
        undisclosed = record.one("undisclosed")
        if undisclosed is True and "amount" in f:
            loc = f["undisclosed"][0].loc
            problems.append(
                Problem(
                    loc.file,
                    loc.line,
                    "undisclosed: true, but the record gives an amount (remove one of them)",
                    record.id,
                )
            )
        years = record.one("horizon_years")
        if isinstance(years, int) and not 1 <= years <= MAX_HORIZON_YEARS:
            loc = f["horizon_years"][0].loc
            problems.append(
                Problem(
                    loc.file,
                    loc.line,
                    f"horizon_years {_show(years)} is out of range (1-{MAX_HORIZON_YEARS})",
                    record.id,
                )
            )
        if not f.get("investors") and not f.get("part_of"):
            problems.append(
                Problem(
                    record.loc.file,
                    record.loc.line,
                    "a commitment needs investors, or part_of a commitment that names them",
                    record.id,
                )
            )
    # provenance per value: the record's cite backs a value only when it is a single paragraph
    if record.kind in WHOLE_CLAIMS or len({(c.source, c.para) for c in record.cites}) <= 1:
        return
    for name, values in f.items():
        if name in NOT_FACTS:
            continue
        for v in values:
            if v.cites is None:
                problems.append(
                    Problem(
                        v.loc.file,
                        v.loc.line,
                        f"{name}: give this value its "
                        "own cite (the record cites several paragraphs; say "
                        "which of them states it)",
                        record.id,
                    )
                )


def _before(end: Date, start: Date) -> bool:
    """True when ``end`` is certainly earlier than ``start`` at their common precision."""
    n = min(len(end.text), len(start.text))
    return end.text[:n] < start.text[:n]


def _cycles(seeds: Seeds, kind: str, name: str, verb: str) -> list[Problem]:
    edges: dict[str, list[Value]] = {}
    for record in seeds.records.values():
        if record.kind == kind and name in record.fields:
            edges[record.id] = record.fields[name]
    problems: list[Problem] = []
    reported: set[frozenset] = set()
    for rid, values in edges.items():
        for v in values:
            path = _path_back(v.value, rid, edges, kind, seeds)
            if path is None:
                continue
            cycle = [rid, *path]
            key = frozenset(cycle)
            if key in reported:
                continue
            reported.add(key)
            if len(cycle) == 2:
                message = f"{name}: '{rid}' {verb} itself"
            else:
                message = f"{name}: a cycle, " + f" {verb} ".join(f"'{c}'" for c in cycle)
            problems.append(Problem(v.loc.file, v.loc.line, message, rid))
    return problems


def _path_back(start: str, goal: str, edges, kind, seeds) -> list[str] | None:
    """The chain of references from ``start`` back to ``goal`` (inclusive), or None."""
    stack = [(start, [start])]
    seen = set()
    while stack:
        node, path = stack.pop()
        if node == goal:
            return path
        if node in seen:
            continue
        seen.add(node)
        for v in edges.get(node, ()):
            stack.append((v.value, [*path, v.value]))
    return None
