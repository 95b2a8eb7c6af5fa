"""Entity linking: every span of a question's words against every name of every entity.

A span links exactly when its words are a whole name (label, Korean label, alias or id), and
partly when they are words of a name that few entities share ("Fink", "Ulsan data center");
words with a typo count through rapidfuzz, and every such correction is reported. Titles and
descriptors around a name ("President", "BlackRock CEO", "Korean") never block it: they are
words outside the span, explained by the lexicon or by other links.

>>> from kg.question.index import load
>>> names = Names(load())
>>> sorted({l.node for l in names.links(tokens("BlackRock CEO Larry Fink")) if l.exact})
['blackrock', 'larry-fink']
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from kg.descriptors import DERIVATIONS
from kg.question.index import Index
from kg.question.words import STOPWORDS, Token, tokens

MAX_SPAN = 10
PARTIAL_MAX_SHARED = 8  # a word shared by more entities than this identifies none of them
TYPO_CUTOFF = 80.0  # rapidfuzz ratio for a word to count as a misspelling of a known word
TYPO_MIN_LEN = 4
SQUASHED_MIN_LEN = 6  # shorter names run together ("un", "sk") are other words as often
TITLE_PREPOSITIONS = "TitlePrepositions"  # a word group of the lexicon
FORMER = "FormerWords"  # a word group of the lexicon


def former_words(index: Index) -> frozenset[str]:
    """The words that make a post one held before (word group FormerWords: "former", "ex")."""
    return frozenset(index.lexicon.get(FORMER, {}).get("word", ()))


def is_former(index: Index, edge, former: frozenset[str]) -> bool:
    """Whether a membership's status edge says the post was held before (a literal, or a
    status whose name holds one of the ``former`` words: "Former")."""
    if edge.pred != "status":
        return False
    if edge.literal:
        return True
    node = index.nodes.get(str(edge.other))
    names = [str(edge.other)] + ([node.label] if node is not None else [])
    return any(former & {t.text for t in tokens(n)} for n in names)


@dataclass(frozen=True)
class Link:
    """A span of the question (tokens ``first``..``last - 1``) that names ``node``."""

    node: str
    first: int
    last: int
    score: float
    exact: bool
    name: str
    corrections: tuple[tuple[str, str], ...] = ()

    @property
    def span(self) -> range:
        return range(self.first, self.last)


class Names:
    """The name tables of an index: exact keys, and word postings for partial matches."""

    def __init__(self, index: Index):
        self.index = index
        self.exact: dict[str, set[str]] = defaultdict(set)
        self.squashed: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.names: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        postings: dict[str, set[str]] = defaultdict(set)
        for node in index.nodes.values():
            if not node.named:
                continue
            for name in (node.label, *node.aliases, node.label_ko, node.id):
                if not name:
                    continue
                words = tuple(t.text for t in tokens(name))
                if not words:
                    continue
                self.exact[" ".join(words)].add(node.id)
                # written with or without its hyphens and spaces ("Jung-woo", "Jungwoo",
                # "Gyeong-ju"): the same name
                self.squashed["".join(words)].add((node.id, name))
                content = tuple(w for w in words if w not in STOPWORDS)
                if content:
                    self.exact[" ".join(content)].add(node.id)
                self.names[node.id].append((words, name))
                for w in words:
                    if w not in STOPWORDS:
                        postings[w].add(node.id)
        self.former = former_words(index)
        self._derived(index)
        self.postings = dict(postings)
        self.longest = max((len(k.split()) for k in self.exact), default=0)
        self.vocabulary = sorted(self.postings)
        self.by_initial: dict[str, list[str]] = defaultdict(list)
        for word in self.vocabulary:
            self.by_initial[word[0]].append(word)
        self.roles = self._roles(index)

    def _derived(self, index: Index) -> None:
        """A place's name made an adjective by the lexicon's endings (word group
        NameDerivations: "Japan" -> "Japanese", "Korea" -> "Korean") names the place, unless
        that word is already a name of its own."""
        endings = index.lexicon.get(DERIVATIONS, {}).get("word", ())
        taken = set(self.exact)
        for node in index.nodes.values():
            if not node.named or not node.is_a("Place"):
                continue
            for name in (node.label, *node.aliases):
                words = [t.text for t in tokens(name)]
                if not words:
                    continue
                for ending in endings:
                    key = " ".join([*words[:-1], words[-1] + ending])
                    if key not in taken:
                        self.exact[key].add(node.id)

    @staticmethod
    def _roles(index: Index) -> dict[str, set[str]]:
        """Names a person goes by through a membership's title: the title with the
        organisation ("BlackRock CEO", "CEO of BlackRock", "SK Group chairman"), and the title
        alone when it is distinctive ("Science and ICT Minister")."""
        roles: dict[str, set[str]] = defaultdict(set)
        holders: dict[str, set[str]] = defaultdict(set)
        # the words joining a title to what it is of (the lexicon's title prepositions)
        prepositions = set(index.lexicon.get(TITLE_PREPOSITIONS, {}).get("word", ()))
        former = former_words(index)
        for node in index.nodes.values():
            if "Membership" not in node.classes:
                continue
            edges = index.out.get(node.id, [])
            member = next((str(e.other) for e in edges if e.pred == "member"), None)
            org = next((str(e.other) for e in edges if e.pred == "organization"), None)
            titles = [str(e.other) for e in edges if e.pred == "title" and e.literal]
            if member is None or org is None or org not in index.nodes:
                continue
            if any(is_former(index, e, former) for e in edges):
                continue  # a former post is not what the name means now
            o = index.nodes[org]
            names = [o.label, *o.aliases, *Names._state_names(index, org)]
            keys = {" ".join(w.text for w in tokens(name)) for name in names} - {""}
            for title in titles:
                words = [w.text for w in tokens(title)]
                if not words:
                    continue
                # "Science and ICT Minister" is also "Minister of Science and ICT"
                forms = {" ".join(words)}
                if len(words) > 1 and not set(words) & prepositions:
                    forms |= {f"{words[-1]} {w} {' '.join(words[:-1])}" for w in prepositions}
                for t in forms:
                    holders[t].add(member)
                # with the organisation, the title's head word alone says it too ("the
                # minister of the Ministry of Science and ICT"): its last word, or the word
                # before its first preposition ("secretary" in "secretary for AI policy")
                cut = next((k for k, w in enumerate(words) if w in prepositions), len(words))
                head = words[max(0, cut - 1)]
                for t in forms | {words[-1], head}:
                    for n in keys:
                        roles[f"{n} {t}"].add(member)
                        for w in prepositions:
                            roles[f"{t} {w} {n}"].add(member)
                            roles[f"{t} {w} the {n}"].add(member)
        for t, people in holders.items():
            content = [w for w in t.split() if w not in STOPWORDS]
            if len(people) == 1 and len(content) >= 2:
                roles[t] |= people
        return dict(roles)

    @staticmethod
    def _state_names(index: Index, org: str) -> list[str]:
        """The names of the country a government stands for (the Government of South Korea is
        "Korea" in "President of Korea"): a government organisation based in a country and
        part of nothing larger."""
        node = index.nodes[org]
        edges = index.out.get(org, [])
        if "GovernmentOrganization" not in node.classes or any(
            e.pred == "subOrganizationOf" for e in edges
        ):
            return []
        out: list[str] = []
        for e in edges:
            place = index.nodes.get(str(e.other)) if e.pred == "basedIn" else None
            if place is not None and "Country" in place.classes:
                out += [place.label, *place.aliases]
        return out

    def links(self, toks: list[Token], known_words: frozenset[str] = frozenset()) -> list[Link]:
        """Every exact and partial link of spans of ``toks``, best first.

        ``known_words`` are words of the question's language (the lexicon's): they are never
        taken for misspelt names.
        """
        fixed = self._corrections(toks, known_words)
        words = [fixed.get(t.i, t.text) for t in toks]
        found: dict[tuple[str, int, int], Link] = {}

        def add(link: Link) -> None:
            key = (link.node, link.first, link.last)
            if key not in found or found[key].score < link.score:
                found[key] = link

        for i in range(len(toks)):
            # a whole name may be longer than a partial match may span ("Meeting of Lee Jae
            # Myung and Larry Fink in New York")
            for j in range(i + 1, min(len(toks), i + max(MAX_SPAN, self.longest)) + 1):
                span = words[i:j]
                if j - i > MAX_SPAN and " ".join(span) not in self.exact:
                    continue
                if span[0] in STOPWORDS or span[-1] in STOPWORDS:
                    continue
                fixes = tuple((toks[k].text, words[k]) for k in range(i, j) if k in fixed)
                penalty = 0.04 * len(fixes)
                key = " ".join(span)
                for node in self.exact.get(key, ()):
                    add(Link(node, i, j, 1.0 - penalty, not fixes, key, fixes))
                joined = "".join(t.text for t in toks[i:j])
                if len(joined) >= SQUASHED_MIN_LEN:
                    # sorted: which of a node's names is kept must not follow set order
                    for node, name in sorted(self.squashed.get(joined, ())):
                        add(Link(node, i, j, 0.97, True, name))
                for node in self.roles.get(key, ()):
                    add(Link(node, i, j, 0.95 - penalty, not fixes, key, fixes))
                for node, score, name in self._partial(span):
                    add(Link(node, i, j, score - penalty, False, name, fixes))
        return sorted(
            found.values(), key=lambda link: (-link.score, -(link.last - link.first), link.node)
        )

    def _partial(self, span: list[str]) -> list[tuple[str, float, str]]:
        """Entities having every content word of ``span`` in one of their names, when one of
        those words is shared by few entities."""
        content = [w for w in span if w not in STOPWORDS]
        if not content:
            return []
        rare = [w for w in content if len(self.postings.get(w, ())) <= PARTIAL_MAX_SHARED]
        if not rare:
            return []
        candidates = set.intersection(*(self.postings.get(w, set()) for w in content))
        out = []
        for node in candidates:
            best = 0.0
            best_name = ""
            for words, name in self.names[node]:
                name_content = [w for w in words if w not in STOPWORDS]
                if not set(content) <= set(words) or not name_content:
                    continue
                # "former president of the World Bank" is no "president of the World Bank"
                if self.former & set(name_content) and not self.former & set(content):
                    continue
                share = len(set(content) & set(name_content)) / len(name_content)
                if share > best:
                    best, best_name = share, name
            if best:
                # among entities sharing a word ("Lee"), the one the graph says most about is
                # the likelier meaning
                salience = min(0.05, 0.01 * math.log2(1 + self.index.degree.get(node, 0)))
                shared = min(len(self.postings.get(w, ())) for w in rare)
                out.append((node, 0.55 + 0.35 * best + salience - 0.02 * (shared - 1), best_name))
        return out

    def _corrections(self, toks: list[Token], known_words: frozenset[str]) -> dict[int, str]:
        """Words that are no known word but close to a word of a name: token index -> word."""
        from rapidfuzz import fuzz, process

        out = {}
        for t in toks:
            w = t.text
            if (
                len(w) < TYPO_MIN_LEN
                or w in self.postings
                or w in STOPWORDS
                or w in known_words
                or t.stem in known_words
                or w[0].isdigit()
            ):
                continue
            # a misspelling keeps its first letter ("Blakrock", "Seimens"): "founder" is not
            # "under"
            hit = process.extractOne(
                w, self.by_initial.get(w[0], ()), scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF
            )
            if hit is not None:
                out[t.i] = hit[0]
        return out


def choose(links: list[Link], margin: float = 0.03) -> list[list[Link]]:
    """Non-overlapping spans, best first: for each chosen span, every entity that fits it about
    as well as the best one (several when the name is ambiguous)."""
    taken: set[int] = set()
    groups: list[list[Link]] = []
    ordered = sorted(
        links, key=lambda lk: (-(lk.score * (1 + 0.1 * (lk.last - lk.first))), lk.first)
    )
    for link in ordered:
        if any(k in taken for k in link.span):
            continue
        same = [
            other
            for other in links
            if other.first == link.first
            and other.last == link.last
            and other.score >= link.score - margin
        ]
        groups.append(same)
        taken.update(link.span)
    return groups
