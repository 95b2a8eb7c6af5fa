"""Find names, amounts, quantities and dates in an article's paragraphs (rules, no model)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.names import name_key

_RULES = Path(__file__).with_name("rules.yaml")
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD = r"[A-Z][\w&'’.-]*"


@cache
def rules() -> dict:
    """The rule knowledge (currencies, scales, month names, titles ...) from rules.yaml."""
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(_RULES.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Name:
    """A known entity's id, class kind and one of its names."""

    id: str
    kind: str
    name: str


@dataclass(frozen=True)
class Mention:
    """A name found in a paragraph: a known id, or None for a new name."""

    para: int
    text: str
    known: str | None
    kind: str
    rule: str
    confidence: float
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Money:
    para: int
    currency: str
    value: float | None
    min: float | None
    max: float | None
    per: str | None
    rule: str
    confidence: float


@dataclass(frozen=True)
class Quantity:
    para: int
    kind: str
    unit: str
    value: float
    rule: str
    confidence: float


@dataclass(frozen=True)
class When:
    para: int
    text: str
    precision: str
    rule: str
    confidence: float


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def find_known(para: int, text: str, names: list[Name]) -> list[Mention]:
    """Known names in a paragraph, longest first, each span used once."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    low = text.casefold()
    for n in sorted(names, key=lambda n: len(n.name), reverse=True):
        if len(n.name) < 2:
            continue
        pattern = (
            r"(?<!\w)"
            + re.escape(n.name.casefold()).replace(r"\-", r"[\s-]?").replace(r"\ ", r"[\s-]+")
            + r"(?!\w)"
        )
        for m in re.finditer(pattern, low):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            # a short all-lower name (an acronym typed in lower case) must match the case
            if n.name.isupper() and text[m.start() : m.end()] != n.name:
                continue
            taken.append((m.start(), m.end()))
            found.append(
                Mention(para, n.name, n.id, n.kind, "known-name", 0.95, (m.start(), m.end()))
            )
    return found


_ABBREV = re.compile(r"^(?:[A-Z]\.)+$|^[A-Z][a-z]{0,2}\.$")


def _runs(text: str) -> list[tuple[int, str]]:
    """Capitalised word runs ("Gyeongju Arts Center", "Ministry of Trade, Industry and
    Resources"), cut at sentence ends and possessives, with offsets."""
    part = rf"{_WORD}(?:\s+{_WORD})*"
    pattern = re.compile(
        rf"(?<![\w$£€])(?<!\d\.){part}(?:\s+(?:of|for|de)\s+{part}"
        rf"(?:(?:,\s+{part})*,?\s+and\s+{part})?)?"
    )
    out = []
    for m in pattern.finditer(text):
        pos, words = m.start(), []
        for tok in re.finditer(r"\S+", m.group(0)):
            word = tok.group(0)
            words.append(word)
            cut = re.search(r"['’]s?$", word) or (
                word.endswith((".", ";", ":")) and not _ABBREV.match(word)
            )
            if cut:
                out.append((pos, " ".join(words)))
                words, pos = [], m.start() + tok.end() + 1
        if words:
            out.append((pos, " ".join(words)))
    return out


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in '.!?:;"“(•–-|'


def find_new(para: int, text: str, known: list[Mention], names: list[Name]) -> list[Mention]:
    """Capitalised names outside the known names' spans: proposed new entities."""

    r = rules()
    stop = {w.casefold() for w in r["stopwords"]}
    titles = sorted((t.casefold() for t in r["titles"]), key=len, reverse=True)
    if _heading(text):
        return []
    masked = list(text)
    for m in known:
        a, b = m.span
        if m.kind == "places" and re.match(r" [A-Z]", text[b : b + 2]):
            continue  # "Korea JoongAng Daily": a place word opening a longer name
        masked[a:b] = "|" * (b - a)
    choices = {name_key(n.name): n for n in names if len(n.name) > 3}
    out: list[Mention] = []
    for start, run in _runs("".join(masked)):
        words = [w.strip(".,;:") for w in run.split()]
        words = [re.sub(r"['’]s?$", "", w) for w in words]
        possessive = bool(re.search(r"['’]s?$", run))
        for i, (piece, titled, employer) in enumerate(_pieces(words, titles, stop)):
            mention = _classify(para, piece, titled, employer, choices, r)
            if mention is None:
                continue
            if len(piece) == 1 and i == 0 and _sentence_start(text, start) and not titled:
                follows = text[start + len(run) :].split()[:1]
                said = follows and follows[0].casefold() in r["speech_verbs"]
                if not (possessive or said or piece[0].isupper()):
                    continue
            out.append(mention)
    return out


def _heading(text: str) -> bool:
    """A section heading or headline: no closing punctuation and mostly capitalised words."""
    words = [w for w in text.split() if len(w) > 3]
    if not words or text.rstrip()[-1:] in '.!?"”’':
        return False
    return sum(w[0].isupper() for w in words) / len(words) >= 0.6


def _pieces(words: list[str], titles: list[str], stop: set[str]):
    """A run cut at title words ("Chamber of Commerce Chairman Chey Tae-won" is two names);
    a piece after a title is marked titled. Leading and trailing common words dropped."""
    pieces: list[tuple[list[str], bool, bool]] = []
    current: list[str] = []
    titled = False
    i = 0
    while i <= len(words):
        t = None
        if i < len(words):
            for title in titles:
                n = len(title.split())
                if " ".join(words[i : i + n]).casefold() == title:
                    t = n
                    break
        if i == len(words) or t:
            pieces.append((current, titled, bool(t)))
            current, titled = [], bool(t)
            i += t or 1
            continue
        current.append(words[i])
        i += 1
    out = []
    for piece, was_titled, employer in pieces:
        while piece and (piece[0].casefold() in stop or piece[0] in ("of", "and", "for")):
            piece = piece[1:]
        while piece and (piece[-1].casefold() in stop or piece[-1] in ("of", "and", "for")):
            piece = piece[:-1]
        if piece:
            out.append((piece, was_titled, employer))
    return out


def _classify(
    para: int, words: list[str], titled: bool, employer: bool, choices: dict, r: dict
) -> Mention | None:
    """A piece of a run as a known entity (fuzzy), a proposed new one, or None (not a name).

    ``titled``: a title precedes it (a person); ``employer``: a title follows it ("Hanbit
    Robotics Chairman ...": an organisation)."""
    from rapidfuzz import fuzz, process

    for w in words:
        if re.search(r"\d", w):
            return None
        head, _, tail = w.partition("-")
        if tail and (head.isupper() or tail.casefold() in r["hyphen_suffixes"]):
            return None

    def adjective(w: str) -> bool:
        return any(w.casefold().endswith(x) for x in r["adjective_suffixes"])

    while words and (
        adjective(words[0])
        or (words[0].casefold() in r["directions"] and len(words) > 1 and adjective(words[1]))
    ):
        words = words[1:]
    if not words or (len(words) == 1 and len(words[0]) < 3):
        return None
    name = " ".join(words)
    key = name_key(name)
    hit = process.extractOne(key, list(choices), scorer=fuzz.ratio, score_cutoff=90)
    if hit:
        n = choices[hit[0]]
        return Mention(para, name, n.id, n.kind, "fuzzy-name", round(hit[1] / 100, 2))
    low_words = {w.casefold() for w in words}
    if low_words & set(r["org_words"]) or name.isupper() or employer:
        kind, conf = "organizations", 0.6
    elif low_words & set(r["place_words"]):
        kind, conf = "places", 0.5
    elif titled or re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+-[a-z]+", name):
        kind, conf = "people", 0.7
    elif 2 <= len(words) <= 3:
        kind, conf = "people", 0.4
    else:
        kind, conf = "organizations", 0.3
    return Mention(para, name, None, kind, "capitalised-run", conf)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def find_money(para: int, text: str) -> list[Money]:
    """Amounts: "$9 billion", "10.1 trillion won", "GBP 500 million", ranges, per month."""
    r = rules()
    cur = _alternation(r["currencies"])
    scale = _alternation(r["scales"])
    qual = _alternation(r["qualifiers"])
    per = _alternation(r["per_period"])
    pattern = re.compile(
        rf"(?:(?P<q>{qual})\s+)?(?P<c1>{cur})?\s?(?P<n1>{_NUM})\s*(?P<s1>{scale})?"
        rf"(?:\s*(?:-|–|to|and)\s*(?P<c3>{cur})?\s?(?P<n2>{_NUM})\s*(?P<s2>{scale})?)?"
        rf"(?:\s+(?P<c2>{cur}))?(?:\s+(?P<per>{per}))?(?!\w)",
        re.IGNORECASE,
    )
    out = []
    vague = re.compile(
        rf"\b(?P<v>{_alternation(r['vague_amounts'])})\s+(?P<s>{scale})s?\s+(?:of\s+)?(?P<c>{cur})(?!\w)",
        re.IGNORECASE,
    )
    for m in vague.finditer(text):
        low, high = r["vague_amounts"][m["v"].casefold()]
        size = r["scales"][m["s"].casefold()]
        code = r["currencies"][m["c"].casefold()]
        out.append(
            Money(para, code, None, low * size, round(high * size), None, "money-vague", 0.5)
        )
    for m in pattern.finditer(text):
        s1 = (m["s1"] or m["s2"] or "").casefold()
        c = (m["c1"] or m["c3"] or m["c2"] or "").casefold()
        if c and c not in r["currencies"]:
            c = ""
        if not c:
            if s1 in r["bare_scale_currency"]:
                c = r["bare_scale_currency"][s1]
                rule, conf = "money-bare-scale", 0.5
            else:
                continue
        else:
            rule, conf = "money", 0.8
        if s1 and len(s1) == 1 and not m["c1"]:
            continue
        mult = r["scales"].get(s1, 1.0)
        low = _number(m["n1"]) * (r["scales"].get((m["s1"] or "").casefold(), mult))
        high = _number(m["n2"]) * mult if m["n2"] else None
        q = r["qualifiers"].get((m["q"] or "").casefold())
        value = mn = mx = None
        if high is not None:
            mn, mx = low, high
        elif q == "max":
            mx = low
        elif q == "min":
            mn = low
        else:
            value = low
        code = r["currencies"].get(c, c)
        p = r["per_period"].get((m["per"] or "").casefold())
        out.append(Money(para, code, value, mn, mx, p, rule, conf))
    return out


def find_quantities(para: int, text: str) -> list[Quantity]:
    """Counts with units: GPUs, megawatts, wafers, jobs."""
    r = rules()
    units = _alternation(r["quantity_units"])
    scale = _alternation(["thousand", "million", "billion"])
    pattern = re.compile(
        rf"(?<![\w$£€])(?P<n>{_NUM})\s*(?P<s>{scale})?[\s-]*(?:\w+\s+)?(?P<u>{units})(?!\w)",
        re.IGNORECASE,
    )
    out = []
    for m in pattern.finditer(text):
        kind, unit = r["quantity_units"][m["u"].casefold()]
        value = _number(m["n"]) * r["scales"].get((m["s"] or "").casefold(), 1.0)
        out.append(Quantity(para, kind, unit, value, "quantity", 0.7))
    return out


def _future(text: str, pos: int) -> bool:
    """Whether the sentence up to ``pos`` speaks of what is to come ("will", "is set to")."""
    sentence = re.split(r"[.!?]\s", text[:pos])[-1].casefold()
    return any(re.search(rf"\b{re.escape(w)}\b", sentence) for w in rules()["future_markers"])


def find_dates(para: int, text: str, published: dt.date | None) -> list[When]:
    """Dates, absolute ("Sept. 22, 2025", "October 2025") and relative to the article's date."""
    r = rules()
    months = _alternation(r["months"])
    out: list[When] = []
    spans: list[tuple[int, int]] = []

    def add(m, txt, prec, rule, conf):
        if any(a < m.end() and m.start() < b for a, b in spans):
            return
        spans.append((m.start(), m.end()))
        out.append(When(para, txt, prec, rule, conf))

    year0 = published.year if published else None
    for m in re.finditer(
        rf"\b(?P<m>{months})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?\b"
        rf"|\b(?P<d2>\d{{1,2}})\s+(?P<m2>{months})\.?(?:,?\s+(?P<y2>\d{{4}}))?\b",
        text,
        re.IGNORECASE,
    ):
        month = r["months"][(m["m"] or m["m2"]).casefold()]
        day = int(m["d"] or m["d2"])
        year = int(m["y"] or m["y2"] or 0) or year0
        if year and 1 <= day <= 31:
            try:
                d = dt.date(year, month, day)
            except ValueError:
                continue
            add(m, d.isoformat(), "day", "date-absolute", 0.9 if (m["y"] or m["y2"]) else 0.7)
    for m in re.finditer(rf"\b(?P<m>{months})\.?\s+(?:of\s+)?(?P<y>\d{{4}})\b", text, re.I):
        add(m, f"{m['y']}-{r['months'][m['m'].casefold()]:02d}", "month", "date-month", 0.8)
    if published:
        for m in re.finditer(
            rf"\b(?:on|last|this|next)?\s*(?P<w>{_alternation(r['weekdays'])})\b", text, re.I
        ):
            if not m.group(0)[:1].isspace() and m["w"][0].islower():
                continue
            wd = [w.casefold() for w in r["weekdays"]].index(m["w"].casefold())
            back = (published.weekday() - wd) % 7
            if m.group(0).casefold().startswith("next"):
                d = published + dt.timedelta(days=(wd - published.weekday()) % 7 or 7)
            elif _future(text, m.start()):
                d = published + dt.timedelta(days=(wd - published.weekday()) % 7)
            else:
                d = published - dt.timedelta(days=back)
            add(m, d.isoformat(), "day", "date-weekday", 0.7)
        for phrase, (unit, off) in r["relative_dates"].items():
            for m in re.finditer(rf"\b{re.escape(phrase)}\b", text, re.I):
                if unit == "year":
                    txt, prec = str(published.year + off), "year"
                elif unit == "month":
                    y, mo = divmod(published.month - 1 + off, 12)
                    txt, prec = f"{published.year + y}-{mo + 1:02d}", "month"
                else:
                    txt, prec = (published + dt.timedelta(days=off)).isoformat(), "day"
                add(m, txt, prec, "date-relative", 0.6)
        for m in re.finditer(
            rf"\b(?:in|since|until|from|this|last|next)\s+(?P<m>{months})\b", text, re.I
        ):
            month = r["months"][m["m"].casefold()]
            word = m.group(0).split()[0].casefold()
            year = published.year
            if word == "next":
                year += month <= published.month
            elif word == "last":
                year -= month >= published.month
            elif _future(text, m.start()):
                year += month < published.month
            else:
                year -= month > published.month
            add(m, f"{year}-{month:02d}", "month", "date-month-relative", 0.6)
    for m in re.finditer(r"\b(?:in|since|until|from)\s+(?P<y>(?:19|20)\d{2})\b", text):
        add(m, m["y"], "year", "date-year", 0.6)
    return out
