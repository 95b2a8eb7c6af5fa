"""``kg ask``: English questions of documented patterns, answered from the graph with sources.

A question is matched against the patterns of :data:`INTENTS` (several phrasings each); the
names in it are resolved through labels and aliases (:mod:`kg.resolve`), and the answer comes
from the lookups (:mod:`kg.lookup`) or, for "how is X connected to Y", from a shortest path in
the networkx projection. A question that fits no pattern raises
:class:`~kg.errors.UnansweredError`, whose message lists what can be asked.

>>> from kg.store import open_store
>>> answer = ask(open_store(), "Who signed the BlackRock MOU?")
>>> answer.intent, [a["id"] for a in answer.answers]
('signatories', ['bae-kyung-hoon', 'larry-fink'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from kg.errors import AmbiguousError, NotFoundError, UnansweredError


@dataclass(frozen=True)
class Intent:
    """A kind of question: its name, the pattern people read, an example, and its regexes."""

    name: str
    pattern: str
    example: str
    regexes: tuple[str, ...]


_NAMEY = r"(?P<x>.+?)"
_VERB_INVEST = (
    r"(?:invest|investing|invested|commit|committing|committed|pledge|pledging|"
    r"pledged|promise|promised|put|putting|spend|spending|spent)"
)
_IN = r"(?:\s+(?:in|into|to|towards|on|for)\s+(?P<y>.+))?"
_TITLES = (
    r"(?P<title>ceo|chief executive(?: officer)?|chair|chairman|chairwoman|chairperson|"
    r"co-chair|president|prime minister|minister|secretary|director|founder|governor|"
    r"head|leader|boss)"
)
# a title in a question -> the title lookup.leaders narrows to ("head", "boss": any leader)
_TITLE_ASKED = {
    "chief executive": "ceo",
    "chief executive officer": "ceo",
    "chairman": "chair",
    "chairwoman": "chair",
    "chairperson": "chair",
    "co-chair": "chair",
}
# verbs that ask about the past: former holders of a post answer them as well as current ones
_PAST = {
    "led",
    "headed",
    "ran",
    "chaired",
    "directed",
    "managed",
    "was",
    "were",
    "was in charge of",
}

# checked in this order: the first intent with a matching regex wins
INTENTS: tuple[Intent, ...] = (
    Intent(
        "connection",
        "how is X connected to Y",
        "How is Larry Fink connected to Nvidia?",
        (
            r"how (?:is|are|was|were) (?P<x>.+?) (?:connected|linked|related|tied) "
            r"(?:to|with) (?P<y>.+)",
            r"how (?:are|were) (?P<pair>.+) (?:connected|linked|related)",
            r"what (?:links|connects|ties) (?P<x>.+?) (?:to|with) (?P<y>.+)",
            r"what (?:links|connects|ties) (?P<pair>.+)",
            r"(?:what is |what's )?the (?:connection|link|relationship|relation|path) "
            r"between (?P<pair>.+)",
            r"(?:is|are) (?P<x>.+?) (?:connected|linked|related) to (?P<y>.+)",
        ),
    ),
    Intent(
        "mentions",
        "which articles mention X",
        "Which articles mention Nvidia?",
        (
            r"(?:which|what) (?:articles?|sources?|news|stories|reports) (?:mention|mentions|"
            r"mentioned|cover|covers|covered|talk about|talks about|discuss|discusses|"
            r"report on|reports on|name|names|cite|cites|refer to|refers to) (?P<x>.+)",
            r"where is (?P<x>.+?) mentioned",
            r"(?:in )?(?:which|what) (?:articles?|sources?) (?:is|are|was|were) (?P<x>.+?) "
            r"(?:mentioned|named|cited|discussed)",
            r"(?:the )?(?:sources|articles) (?:for|about|on|mentioning) (?P<x>.+)",
        ),
    ),
    Intent(
        "commitments",
        "what did X commit / how much did X invest (in Y)",
        "How much did Amazon invest in Ulsan?",
        (
            r"how much (?:money )?(?:did|does|has|have|will|is|are|was|were) "
            + _NAMEY
            + r" "
            + _VERB_INVEST
            + _IN,
            r"what (?:did|does|has|have|will) " + _NAMEY + r" "
            r"(?:commit|committed|pledge|pledged|promise|promised|invest|invested)" + _IN,
            r"(?:what|which) (?:commitments|investments|pledges) (?:did|has|have|does|will) "
            + _NAMEY
            + r" (?:make|made|announce|announced|have)"
            + _IN,
            r"how much (?:money )?(?:is|was|will be|has been) (?:being )?"
            r"(?:invested|committed|pledged) by " + _NAMEY + _IN,
            r"(?:what are |list )?" + _NAMEY + r"'s (?:commitments|investments|pledges)" + _IN,
        ),
    ),
    Intent(
        "leaders",
        "who leads, heads or is the CEO of X",
        "Who is the CEO of BlackRock?",
        (
            r"who (?P<verb>leads|led|heads|headed|runs|ran|chairs|chaired|directs|directed|"
            r"manages|managed|is in charge of|was in charge of) (?P<x>.+)",
            r"who (?P<verb>is|was|are|were) (?:the )?" + _TITLES + r" (?:of|at|for) (?P<x>.+)",
            r"who (?P<verb>is|was) " + _NAMEY + r"'s " + _TITLES,
            r"(?:the )?" + _TITLES + r" of (?P<x>.+)",
        ),
    ),
    Intent(
        "signatories",
        "who signed X",
        "Who signed the BlackRock MOU?",
        (
            r"who (?:signed|has signed|have signed|co-signed|put (?:their|his|her) "
            r"(?:names?|signatures?) (?:to|on)) (?P<x>.+)",
            r"who (?:was|were|are|is) (?:the )?(?:signatories|signatory|signers|signer) "
            r"(?:to|of|on) (?P<x>.+)",
            r"(?:the )?(?:signatories|signers) (?:to|of|on) (?P<x>.+)",
            r"who (?:was|were|is) (?P<x>.+?) signed by",
        ),
    ),
    Intent(
        "attendees",
        "who attended X",
        "Who attended the New York meeting?",
        (
            r"who (?:attended|attends|went to|was at|were at|was present at|were present at|"
            r"took part in|takes part in|participated in|joined|was in attendance at|"
            r"were in attendance at|came to|was there at|were there at) (?P<x>.+)",
            r"(?:who (?:were|are) )?(?:the )?(?:attendees|participants) (?:of|at|in) "
            r"(?P<x>.+)",
            r"(?:list|show) (?:the )?(?:attendees|participants) (?:of|at) (?P<x>.+)",
        ),
    ),
    Intent(
        "owners",
        "who owns X",
        "Who owns Global Infrastructure Partners?",
        (
            r"who (?:owns|owned|controls|controlled) (?P<x>.+)",
            r"who (?:is|was|are|were) (?:the )?(?:owner|owners|parent|parent company) of "
            r"(?P<x>.+)",
            r"(?:what|which) (?:company|firm|organi[sz]ation|group) (?:owns|owned) (?P<x>.+)",
            r"(?:who|what) (?:is|was) (?P<x>.+?) owned by",
            r"(?:what|which \w+) is (?P<x>.+?) (?:a )?(?:part|subsidiary|unit) of",
        ),
    ),
    Intent(
        "members",
        "who is part of / which companies are members of X",
        "Which companies are members of the AI Infrastructure Partnership?",
        (
            r"who (?:is|are|was|were) (?:a )?(?:part|parts|members?) of (?P<x>.+)",
            r"(?:which|what) (?:companies|firms|organi[sz]ations|members|countries|entities|"
            r"groups|bodies|investors|people) (?:are|were|is) (?:members? of|part of|in) "
            r"(?P<x>.+)",
            r"(?:which|what) (?:companies|firms|organi[sz]ations|entities|groups|bodies|"
            r"investors|people) (?:belong to|make up|form) (?P<x>.+)",
            r"who (?:belongs|belonged|belong) to (?P<x>.+)",
            r"who makes up (?P<x>.+)",
            r"(?:list |show )?(?:the )?members of (?P<x>.+)",
            r"who (?:is|are) in (?P<x>.+)",
        ),
    ),
    Intent(
        "projects",
        "which projects involve X",
        "Which projects involve Amazon Web Services?",
        (
            r"(?:which|what) projects? (?:involves?|includes?|concerns?|features?|has|have) "
            r"(?P<x>.+)",
            r"(?:which|what) projects? (?:is|are|was|were|does|did) (?P<x>.+?) (?:involved in|"
            r"part of|a partner in|partners in|investing in|invested in|working on|behind|"
            r"taking part in|take part in|in)",
            r"(?:which|what) projects? (?:is|are|was|were) (?:in|at|located in|sited in|based "
            r"in) (?P<x>.+)",
            r"(?:the )?projects (?:of|with|involving|by|in) (?P<x>.+)",
            r"who (?:is|was|are|were) (?:involved|taking part) in (?P<x>.+)",
        ),
    ),
    Intent(
        "location",
        "where is X / where was X held",
        "Where was the Global Corporate Investment Partnership ceremony held?",
        (
            r"where (?:is|was|are|were|will) (?P<x>.+?) (?:be )?(?P<verb>held|located|based|"
            r"signed|sited|built|headquartered|taking place|situated)",
            r"where (?:did|does|do|will) (?P<x>.+?) (?P<verb>take place|happen|occur|meet|"
            r"get signed)",
            r"where (?:is|was|are|were) (?P<x>.+)",
            r"(?:what is |what was )?the (?:location|venue|place|site|seat) of (?P<x>.+)",
            r"in (?:which|what) (?:city|country|place|town|region) (?:is|was|are|were|did) "
            r"(?P<x>.+?)(?: (?:held|located|based|signed|take place|happen|sited))?",
        ),
    ),
    Intent(
        "date",
        "when was X",
        "When was the BlackRock MOU signed?",
        (
            r"when (?:was|is|were|are|did|does|will) (?P<x>.+?)(?: (?:be )?(?P<verb>held|"
            r"signed|announced|take place|took place|happen|happened|start|started|begin|"
            r"began|end|ended|made|launched|inaugurated|formali[sz]ed|agreed|take office|"
            r"took office))?",
            r"(?:on )?(?:what|which) (?:date|day|year|month) (?:was|is|did|were) (?P<x>.+?)"
            r"(?: (?P<verb>held|signed|announced|take place|happen|launched))?",
            r"(?:what is |what was )?the date of (?P<x>.+)",
        ),
    ),
    Intent(
        "identity",
        "who is X / what is X",
        "Who is Adebayo Ogunlesi?",
        (
            r"(?:who|what) (?:is|are|was|were) (?P<x>.+)",
            r"(?:who|what)'s (?P<x>.+)",
            r"(?:tell me about|describe|what do you know about) (?P<x>.+)",
        ),
    ),
)

_COMPILED = [(intent, [re.compile(r, re.IGNORECASE) for r in intent.regexes]) for intent in INTENTS]


@dataclass
class Answer:
    """An answered question: the intent, a one-line headline, the answers and their sources;
    for the question engine also its reading in words, the SPARQL, a confidence, the yes/no,
    count or total asked for, fuzzy corrections and the runner-up readings."""

    question: str
    intent: str
    headline: str
    answers: list[dict]
    entities: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    reading: str | None = None
    confidence: float = 1.0
    sparql: str | None = None
    boolean: bool | None = None
    total_usd: float | None = None
    count: int | None = None
    corrections: list[str] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The JSON form: question, intent, headline, reading, confidence, sparql, entities,
        answers, sources, and boolean / count / total_usd / corrections when they apply."""
        out = {
            "question": self.question,
            "intent": self.intent,
            "headline": self.headline,
            "reading": self.reading or self.headline.rstrip(":"),
            "confidence": self.confidence,
            "sparql": self.sparql,
            "entities": self.entities,
            "answers": self.answers,
            "sources": self.sources,
        }
        for key in ("boolean", "count", "total_usd"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.corrections:
            out["corrections"] = self.corrections
        if self.alternatives:
            out["alternatives"] = self.alternatives
        return out


class Reply(NamedTuple):
    """What a handler found; ``intent`` is the one answered ("who joined the AIP" asks for
    attendees and is answered with members)."""

    intent: str
    headline: str
    answers: list[dict]
    entities: list[dict]


def capabilities() -> str:
    """What ``kg ask`` can answer, one pattern and example per line."""
    return "\n".join(f"  {i.pattern:52} e.g. {i.example}" for i in INTENTS)


def parse(question: str) -> tuple[Intent, dict[str, str]]:
    """The intent of a question and the names it mentions (``x``, ``y`` or ``pair``).

    Typographic quotes count as plain ones, and a name in quotes is taken without them.

    >>> intent, names = parse("Who took part in “the New York meeting”?")
    >>> intent.name, names
    ('attendees', {'x': 'the New York meeting'})
    """
    from kg.resolve import plain_quotes

    text = re.sub(r"\s+", " ", plain_quotes(question)).strip().rstrip("?.! ").strip()
    for intent, regexes in _COMPILED:
        for regex in regexes:
            m = regex.fullmatch(text)
            if m:
                return intent, {k: _unquoted(v.strip()) for k, v in m.groupdict().items() if v}
    raise UnansweredError(
        f"cannot answer '{question.strip()}': it fits none of the question "
        f"patterns. Questions kg ask can answer:\n{capabilities()}"
    )


def _unquoted(name: str) -> str:
    """A name without the quotes around it (``"New York meeting"``), unless they are part of
    it: the same quote inside (``'''triple'''``) keeps them."""
    if len(name) > 2 and name[0] == name[-1] and name[0] in "\"'" and name[0] not in name[1:-1]:
        return name[1:-1].strip()
    return name


def ask(store, question: str, engine=None) -> Answer:
    """Answer ``question`` from ``store``; raise UnansweredError, NotFoundError or
    AmbiguousError (several entities fit a name).

    A question of one of the patterns of :data:`INTENTS` is answered by its template; any other
    by the question engine (:mod:`kg.question.engine`: linked names, candidate readings around
    them, ranked), given as ``engine`` or made for ``store``.
    """
    from kg.limits import check_name
    from kg.lookup import source_details

    check_name(question, "question")
    try:
        intent, names = parse(question)
    except UnansweredError:
        return _engine_answer(store, question, engine)
    try:
        reply = _HANDLERS[intent.name](store, names)
    except NotFoundError:
        if intent.name != "identity":
            raise
        return _engine_answer(store, question, engine)  # "what is X" where X is no name
    codes = [c for a in reply.answers for c in a.get("sources", [])]
    return Answer(
        question.strip(),
        reply.intent,
        reply.headline,
        reply.answers,
        reply.entities,
        source_details(store, codes),
        reading=f"{intent.pattern} (template): {reply.headline.rstrip(':')}",
        corrections=_corrections(store, names, reply.entities),
    )


def _corrections(store, names: dict[str, str], entities: list[dict]) -> list[str]:
    """ "matched 'Blakrock' to 'BlackRock'" for each name whose spelling was corrected to resolve
    it (people who publish must see every correction)."""
    from kg.resolve import name_index

    index = name_index(store)
    out = []
    for name, ent in zip([names[k] for k in ("x", "y") if k in names], entities, strict=False):
        if not index.is_spelled(name, ent["id"]):
            out.append(f"matched '{name}' to '{ent['label']}'")
    return out


def engine_for(store):
    """The question engine over ``store``: the index that ships with kg for the default graph,
    else one computed from the store."""
    from kg.question.engine import Engine
    from kg.question.index import from_store, load, parse
    from kg.store import MemoryStore

    if isinstance(store, MemoryStore) and store.is_shipped():
        return Engine(load())
    return Engine(parse(from_store(store)))


def _engine_answer(store, question: str, engine=None) -> Answer:
    engine = engine or engine_for(store)
    found = engine.ask(question)
    answers = [_engine_item(i) for i in found.items]
    return Answer(
        question=found.question,
        intent=found.shape,
        headline=found.headline + ":",
        answers=answers,
        entities=[e.to_json() for e in found.entities],
        sources=[
            {"source": s.id, "paragraph": n, "title": s.title, "publisher": s.publisher}
            for s in found.sources
            for n in s.paragraphs
        ],
        reading=found.reading,
        confidence=round(found.confidence, 3),
        sparql=found.sparql,
        boolean=found.boolean,
        total_usd=found.total.value_usd if found.total is not None else None,
        count=found.count,
        corrections=list(found.corrections),
        alternatives=list(found.alternatives),
    )


def _engine_item(item) -> dict:
    out = item.to_json()
    out["detail"] = item.detail
    return out


# ----------------------------------------------------------------------------- handlers


def _resolve(store, name: str, prefer: tuple[str, ...] = ()):
    from kg.resolve import name_index

    return name_index(store).resolve(name, prefer)


def _pair(store, names: dict) -> tuple:
    """The two entities of a connection question; "X and Y" is split where both resolve."""
    if "pair" not in names:
        return _resolve(store, names["x"]), _resolve(store, names["y"])
    text = names["pair"]
    splits = [m.start() for m in re.finditer(r" and ", text, re.IGNORECASE)]
    if not splits:
        raise UnansweredError(f"name two things to connect, as in 'X and Y' (got '{text}')")
    problems = []
    for at in splits:
        try:
            return _resolve(store, text[:at]), _resolve(store, text[at + 5 :])
        except (NotFoundError, AmbiguousError) as exc:
            problems.append(exc)
    raise problems[0]


def _attendees(store, names: dict):
    from kg import lookup

    ent = _resolve(store, names["x"], ("Event",))
    events = [ent] if ent.is_a("Event") else _linked_events(store, ent)
    if not events and ent.is_a("Organization"):
        return _members(store, names)
    if not events:
        raise NotFoundError(f"{ent.label} is {ent.a_kind}, not an event")
    if len(events) > 1:
        raise AmbiguousError(
            f"{ent.label} is linked to several events; say which",
            [(e.id, f"{e.label} [{e.kind}]") for e in events],
        )
    event = events[0]
    found = lookup.attendees(store, event)["attendees"]
    answers = [{**a, "detail": None} for a in found]
    note = ""
    if not found:  # nobody recorded at the event itself: those at its parts
        for f in lookup.facts(
            store, predicate=lookup.kg_term("subEventOf"), object=lookup.iri_of(event)
        ):
            part = lookup.brief(store, f["subject"])
            for a in lookup.attendees(store, part["id"])["attendees"]:
                answers.append({**a, "detail": f"at {part['label']}"})
        note = " (at events that were part of it)" if answers else ""
    return Reply("attendees", f"Attended {event.label}{note}:", answers, [ent.brief()])


def _linked_events(store, ent) -> list:
    """Events organised by or about ``ent`` (for "who attended APEC")."""
    from kg import lookup
    from kg.resolve import name_index

    index = name_index(store)
    events = []
    for pred in ("organizer", "about"):
        for f in lookup.facts(store, predicate=lookup.kg_term(pred), object=lookup.iri_of(ent)):
            other = index.entities.get(lookup.brief(store, f["subject"])["id"])
            if other is not None and other.is_a("Event") and other not in events:
                events.append(other)
    return events


def _signatories(store, names: dict):
    from kg import lookup

    ent = _resolve(store, names["x"], ("Agreement",))
    found = lookup.signatories(store, ent)
    signers = [s for s in found["signers"] if s["role"] == "signatory"] or [
        s for s in found["signers"] if s["role"] == "party"
    ]
    answers = [{**s, "detail": s["role"]} for s in signers]
    return Reply("signatories", f"Signed {found['agreement']['label']}:", answers, [ent.brief()])


def _leaders(store, names: dict):
    """Current holders of a leading post; with none recorded, the former ones, said so; a
    question in the past tense ("who led X") gets both."""
    from kg import lookup

    post = names.get("title")  # as asked: "CEO", "chairman", "head"
    title = _TITLE_ASKED.get((post or "").lower(), (post or "").lower())
    ent = _resolve(store, names["x"], ("Organization",))
    orgs = [ent]
    if ent.is_a("Place"):  # the president of Korea: the leaders of its state
        orgs = [o for o in _based_in(store, ent) if lookup.is_state(store, o)] or orgs
    answers = [
        {
            **r["member"],
            "detail": r["relation"] + " " + r["organization"]["label"],
            "title": r["title"],
            "former": r["former"],
            "sources": r["sources"],
        }
        for org in orgs
        for r in lookup.leaders(store, org, title if title in lookup.TITLES else None)["leaders"]
    ]
    headline = f"The {post} of {ent.label}:" if post else f"Who leads {ent.label}:"
    if (names.get("verb") or "").lower() in _PAST:
        headline = (
            f"The {post} of {ent.label}, current and former:"
            if post
            else f"Who led {ent.label}, current and former:"
        )
    elif any(not a["former"] for a in answers):
        answers = [a for a in answers if not a["former"]]
    elif answers:
        headline = f"No current {post or 'leader'} of {ent.label} is recorded; former:"
    return Reply("leaders", headline, answers, [ent.brief()])


def _based_in(store, place) -> list:
    from kg import lookup
    from kg.resolve import name_index

    index = name_index(store)
    return [
        index.entities[lookup.brief(store, f["subject"])["id"]]
        for f in lookup.facts(
            store, predicate=lookup.kg_term("basedIn"), object=lookup.iri_of(place)
        )
    ]


def _related(intent: str, key: str, headline: str):
    """A handler listing an organisation's owners or members, each with its relation."""

    def handler(store, names: dict) -> Reply:
        from kg import lookup

        ent = _resolve(store, names["x"], ("Organization",))
        found = getattr(lookup, intent)(store, ent)[key]
        answers = [{**item, "detail": item["relation"]} for item in found]
        return Reply(intent, headline.format(ent.label), answers, [ent.brief()])

    return handler


_owners = _related("owners", "owners", "Owners of {}:")
_members = _related("members", "members", "Members of {}:")


def _commitments(store, names: dict):
    from kg import lookup
    from kg.money import money_text

    inv = _resolve(store, names["x"], ("Investor",))
    dest = _resolve(store, names["y"], ("Project", "Place")) if names.get("y") else None
    found = lookup.commitments(store, investor=inv, project=dest)
    answers = []
    for c in found:
        others = [i["label"] for i in c["investors"] if i["id"] != inv.id]
        detail = money_text(c) + (f", jointly with {', '.join(others)}" if others else "")
        estimates = [
            money_text(e) + (f" by {e['by']['label']}" if e["by"] else "") for e in c["estimates"]
        ]
        if estimates:
            detail += f"; estimated at {'; '.join(estimates)}"
        if c.get("part_of"):
            detail += f"; part of {c['part_of']['label']}"
        answers.append({**c, "detail": detail})
    where = f" in {dest.label}" if dest else ""
    entities = [inv.brief()] + ([dest.brief()] if dest else [])
    return Reply("commitments", f"Commitments by {inv.label}{where}:", answers, entities)


def _projects(store, names: dict):
    from kg import lookup

    ent = _resolve(store, names["x"])
    found = lookup.projects(store, ent)["projects"]
    merged: dict[str, dict] = {}
    for p in found:  # one answer per entity, with every role it plays
        item = merged.setdefault(p["id"], {**p, "roles": []})
        item["roles"] = sorted({*item["roles"], p["role"]})
        item["sources"] = lookup.cites(" ".join(item["sources"] + p["sources"]))
    answers = [
        {**{k: v for k, v in p.items() if k != "role"}, "detail": ", ".join(p["roles"])}
        for p in merged.values()
    ]
    if ent.is_a("Project"):
        return Reply("projects", f"Involved in {ent.label}:", answers, [ent.brief()])
    return Reply("projects", f"Projects involving {ent.label}:", answers, [ent.brief()])


def _verb_prefers(names: dict) -> tuple[str, ...]:
    """The classes a question's verb points to: signed -> an agreement, held -> an event."""
    verb = (names.get("verb") or "").split(" ")[-1]
    if verb.startswith("sign"):
        return ("Agreement",)
    if verb in ("announced", "made"):
        return ("Commitment", "Statistic")
    if verb in ("held", "place", "happen", "happened", "occur", "meet"):
        return ("Event",)
    return ()


def _location(store, names: dict):
    from kg import lookup

    ent = _resolve(store, names["x"], _verb_prefers(names))
    found = lookup.locations(store, ent)["places"]
    answers = [
        {
            **p,
            "detail": p["relation"]
            + ("" if p["of"]["id"] == ent.id else f" (where {p['of']['label']} was)"),
        }
        for p in found
    ]
    return Reply("location", f"Location of {ent.label}:", answers, [ent.brief()])


def _date(store, names: dict):
    from kg import lookup

    ent = _resolve(store, names["x"], _verb_prefers(names))
    found = lookup.dates(store, ent)["dates"]
    answers = [
        {
            "label": d["date"],
            "id": ent.id,
            "date": d["date"],
            "detail": d["relation"],
            "note": d["note"],
            "sources": d["sources"],
        }
        for d in found
    ]
    return Reply("date", f"Dates of {ent.label}:", answers, [ent.brief()])


def _mentions(store, names: dict):
    from kg import lookup

    ent = _resolve(store, names["x"])
    found = lookup.mentions(store, ent)["articles"]
    answers = [
        {
            "label": a["title"],
            "id": a["id"],
            "publisher": a["publisher"],
            "paragraphs": a["paragraphs"],
            "detail": f"{a['publisher']}, paragraph(s) {', '.join(map(str, a['paragraphs']))}",
            "sources": [f"{a['id']}:{p}" for p in a["paragraphs"]],
        }
        for a in found
    ]
    return Reply("mentions", f"Articles that mention {ent.label}:", answers, [ent.brief()])


def _connection(store, names: dict):
    from kg import lookup
    from kg.analysis import shortest_paths, store_graph

    a, b = _pair(store, names)
    paths = shortest_paths(store_graph(store), a.id, b.id)
    answers = [
        {
            "label": p.text(),
            "id": f"path-{n}",
            **p.to_dict(),
            "detail": f"{len(p.steps)} hop(s)",
            "sources": lookup.cites(" ".join(s for step in p.steps for s in step.sources)),
        }
        for n, p in enumerate(paths, 1)
    ]
    return Reply(
        "connection", f"How {a.label} is connected to {b.label}:", answers, [a.brief(), b.brief()]
    )


def _identity(store, names: dict):
    from kg import lookup

    ent = _resolve(store, names["x"])
    card = lookup.entity_card(store, ent)
    roles = [f"{r['relation']} {r['organization']['label']}" for r in card["roles"]]
    role_text = f"Roles: {'; '.join(roles)}." if roles else None
    detail = " ".join(filter(None, [card["description"], role_text]))
    sources = sorted(
        {s for r in card["roles"] for s in r["sources"]}
        | {f"{s['source']}:{s['paragraph']}" for s in card["sources"]}
    )
    answer = {
        **ent.brief(),
        "types": card["types"],
        "description": card["description"],
        "roles": roles,
        "detail": detail,
        "sources": lookup.cites(" ".join(sources)),
    }
    return Reply("identity", f"{ent.label} ({ent.kind}):", [answer], [ent.brief()])


_HANDLERS = {
    "connection": _connection,
    "mentions": _mentions,
    "commitments": _commitments,
    "leaders": _leaders,
    "signatories": _signatories,
    "attendees": _attendees,
    "owners": _owners,
    "members": _members,
    "projects": _projects,
    "location": _location,
    "date": _date,
    "identity": _identity,
}
