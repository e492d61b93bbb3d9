"""Links between stories that are never merged: issues of one series, related stories (a
follow-up, or background reused under a new lead), and a digest holding a story's opening.

Deciding candidate pairs (`decide`) names what two articles are to each other; the pairs
that are not versions but are linked are kept as `PairLink`s, and once the articles are
in stories they become links between stories: one per two stories and relation (the rule
of the first pair by id), none inside a story.

Issues of a recurring report are linked to each other pairwise (a weekly table over two
years: thousands of issues, millions of pairs), so a series is kept as a spanning forest
of its links: of the series pairs taken in order of their ids, those that join two
stories not yet joined (Kruskal's rule). Every link kept is a pair that was decided, the
issues of a series are all reached from any of them, and the forest is the same whatever
blocks the pairs were decided in: a pair left out of one block's forest closes a cycle of
earlier pairs, so it would be left out of the whole one too. That is also why grouping
need not decide a pair that cannot be versions (`cannot_be_versions`) once its articles
are joined by earlier series pairs: it could only add a series link left out, or a
related link between issues of one series, which is not kept either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, TypeVar

import numpy as np

from reader.grouping.cleaning import PageKind
from reader.grouping.decide import Relation, Verdict, version_floor

#: The relations kept as links between stories (never versions of one story).
LINKED = frozenset({Relation.SERIES, Relation.RELATED, Relation.DIGEST_ITEM})


class PairLink(NamedTuple):
    """Two articles (by id, `first` < `second`) that are linked but not versions."""

    first: int
    second: int
    relation: Relation
    rule: str


class ClusterLink(NamedTuple):
    """Two clusters of one grouping (by number, `first` < `second`) linked by a pair of
    their articles, with the relation and the rule that decided it."""

    first: int
    second: int
    relation: Relation
    rule: str


class StoryLink(NamedTuple):
    """Two stories (by id, `story` < `other`) linked by a pair of their versions, with the
    relation and the rule that decided it."""

    story: str
    other: str
    relation: Relation
    rule: str


class PairLinks:
    """Collects the linked pairs among decisions; each rule's text is kept once (links
    repeat a few rules many times)."""

    def __init__(self, threshold: float) -> None:
        self.found: list[PairLink] = []
        self._rules: dict[str, str] = {}
        self._floor = version_floor(threshold)

    def add(self, i: int, j: int, decision: Verdict) -> None:
        """Keep the pair if its decision links it: two stories only when they share as
        much text as the least any rule of versions accepts (`version_floor`; below it,
        grouping does not decide them)."""
        if decision.relation in LINKED and (
            decision.kinds != (PageKind.STORY, PageKind.STORY) or decision.score >= self._floor
        ):
            self.add_link(i, j, decision.relation, decision.rule)

    def add_link(self, i: int, j: int, relation: Relation, rule: str) -> None:
        """Keep a link decided without a `Verdict` (see `engine._decided_among`)."""
        rule = self._rules.setdefault(rule, rule)
        self.found.append(PairLink(min(i, j), max(i, j), relation, rule))


class PairLinkArrays:
    """Linked pairs held as arrays (19 bytes a pair, where a `PairLink` object took over a
    hundred: a million articles link millions of pairs), each rule's text kept once.

    Pairs given `in_order` (in order of their ids, across every call: as grouping decides
    its candidates) are kept as a series forest as they come: a series pair whose articles
    earlier series pairs joined already is dropped, as `_between` would drop it (it closes a
    cycle of pairs with smaller ids, so it closes one between their stories too). Most linked
    pairs are such pairs (issues of a long series pair with each other), and so most of them
    are never held."""

    def __init__(self) -> None:
        self._parts: list[np.ndarray] = []
        self._rules: list[str] = []
        self._rule_number: dict[str, int] = {}
        self._series = Joined()

    def extend(self, links: Iterable[PairLink], *, in_order: bool = False) -> None:
        rows = [
            (link.first, link.second, _CODES[link.relation], self._number_of(link.rule))
            for link in links
            if not in_order
            or link.relation is not Relation.SERIES
            or self._series.join(link.first, link.second)
        ]
        if rows:
            self._parts.append(np.asarray(rows, dtype=_ROW))

    def _number_of(self, rule: str) -> int:
        number = self._rule_number.get(rule)
        if number is None:
            number = self._rule_number[rule] = len(self._rules)
            self._rules.append(rule)
        return number

    def rows(self) -> np.ndarray:
        """Every pair, as records (first, second, relation code, rule number)."""
        if len(self._parts) != 1:
            self._parts = [np.concatenate(self._parts) if self._parts else np.empty(0, _ROW)]
        return self._parts[0]

    def rule(self, number: int) -> str:
        """The rule numbered `number` in the rows."""
        return self._rules[number]

    def __len__(self) -> int:
        return len(self.rows())


#: The records of `PairLinkArrays` (ids are SQLite row ids).
_ROW = np.dtype([("first", "<i8"), ("second", "<i8"), ("code", "u1"), ("rule", "<u2")])


class Joined:
    """Union-find over keys (ids, numbers or story ids): which are joined already."""

    def __init__(self) -> None:
        self._parent: dict[object, object] = {}

    def root(self, key: object) -> object:
        """The key standing for all those joined to `key`."""
        parent = self._parent.setdefault(key, key)
        while parent != key:
            grand = self._parent.setdefault(parent, parent)
            self._parent[key] = grand
            key, parent = parent, grand
        return key

    def same(self, one: object, other: object) -> bool:
        """Whether the two are joined."""
        return self.root(one) == self.root(other)

    def join(self, one: object, other: object) -> bool:
        """Join the two; False when they were joined already."""
        first, second = self.root(one), self.root(other)
        if first == second:
            return False
        self._parent[second] = first
        return True


K = TypeVar("K", int, str)


def _between(found: Iterable[tuple[K, K, PairLink]]) -> list[tuple[K, K, Relation, str]]:
    """Links between the groups (clusters, stories) of linked pairs, given in order of the
    pairs: one per two groups and relation (the first pair's rule), none inside a group,
    series as a spanning forest, and no related link between issues of one series or
    between a digest and a story it holds (they are listed as such)."""
    kept: dict[tuple[K, K, Relation], tuple[K, K, Relation, str]] = {}
    series = Joined()
    later: list[tuple[K, K, PairLink]] = []
    for one, other, pair in found:
        if one == other:
            continue
        if pair.relation is not Relation.SERIES:
            later.append((one, other, pair))
        elif series.join(one, other):
            first, second = min(one, other), max(one, other)
            kept[first, second, pair.relation] = (first, second, pair.relation, pair.rule)
    for one, other, pair in later:
        if pair.relation is Relation.RELATED and series.same(one, other):
            continue
        first, second = min(one, other), max(one, other)
        kept.setdefault((first, second, pair.relation), (first, second, pair.relation, pair.rule))
    return sorted(
        link
        for link in kept.values()
        if link[2] is not Relation.RELATED
        or (link[0], link[1], Relation.DIGEST_ITEM) not in kept  # listed as its digest
    )


def cluster_links(
    clusters: Sequence[Sequence[int]], links: PairLinkArrays | Iterable[PairLink]
) -> list[ClusterLink]:
    """The links between clusters (lists of ids) that pairs of their articles give, by the
    rule of `_between`; sorted. A million articles link millions of pairs, so it is worked
    out with arrays: clusters looked up by sorting, not with a map of every id; the pairs
    inside a cluster or repeating an earlier pair's two clusters and relation dropped; the
    series forest made over the clusters' numbers; and Python objects made only of the
    links kept (a few per cent of the pairs)."""
    if not isinstance(links, PairLinkArrays):
        held = PairLinkArrays()
        held.extend(links)
        links = held
    rows = links.rows()
    if not len(rows):
        return []
    sizes = np.fromiter((len(members) for members in clusters), dtype=np.int64)
    ids = np.fromiter((id_ for members in clusters for id_ in members), dtype=np.int64)
    numbers = np.repeat(np.arange(len(clusters), dtype=np.int64), sizes)
    order = np.argsort(ids, kind="stable")
    ids, numbers = ids[order], numbers[order]
    del order, sizes
    firsts, seconds = rows["first"], rows["second"]
    one = numbers[np.searchsorted(ids, firsts)]
    other = numbers[np.searchsorted(ids, seconds)]
    del ids, numbers
    # the pairs between two clusters, in order of the pairs' ids (as `_between` takes
    # them); the first pair of each two clusters and relation
    crossing = np.flatnonzero(one != other)
    ranked = crossing[np.lexsort((rows["code"][crossing], seconds[crossing], firsts[crossing]))]
    del crossing
    low, high = np.minimum(one[ranked], other[ranked]), np.maximum(one[ranked], other[ranked])
    del one, other
    codes = rows["code"][ranked].astype(np.int64)
    _, first_of_each = np.unique(low << 33 | high << 2 | codes, return_index=True)
    first_of_each.sort()
    low, high, codes = low[first_of_each], high[first_of_each], codes[first_of_each]
    rules = rows["rule"][ranked[first_of_each]]
    del ranked, first_of_each
    kept = _kept_between(len(clusters), low, high, codes)
    return sorted(
        ClusterLink(first, second, _RELATIONS[code], links.rule(rule))
        for first, second, code, rule in zip(
            low[kept].tolist(),
            high[kept].tolist(),
            codes[kept].tolist(),
            rules[kept].tolist(),
            strict=True,
        )
    )


def _kept_between(count: int, low: np.ndarray, high: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Which of these links between clusters (`count` of them), one per two clusters and
    relation and in order of their pairs, `_between` keeps: the series links that join
    clusters not yet joined (a spanning forest), the other links, less a related link
    between issues of one series or beside a digest link of the same two."""
    parent = list(range(count))

    def root(number: int) -> int:
        while parent[number] != number:
            parent[number] = parent[parent[number]]
            number = parent[number]
        return number

    kept = np.zeros(len(codes), dtype=bool)
    series = np.flatnonzero(codes == _CODES[Relation.SERIES])
    for place, one, other in zip(
        series.tolist(), low[series].tolist(), high[series].tolist(), strict=True
    ):
        first, second = root(one), root(other)
        if first != second:
            parent[second] = first
            kept[place] = True
    others = np.flatnonzero(codes != _CODES[Relation.SERIES])
    kept[others] = True
    related = np.flatnonzero(codes == _CODES[Relation.RELATED])
    in_series = [
        root(one) == root(other)
        for one, other in zip(low[related].tolist(), high[related].tolist(), strict=True)
    ]
    kept[related[np.asarray(in_series, dtype=bool)]] = False
    digests = codes == _CODES[Relation.DIGEST_ITEM]
    if digests.any():
        digest_pairs = np.unique(low[digests] << 32 | high[digests])
        beside = np.isin(low[related] << 32 | high[related], digest_pairs)
        kept[related[beside]] = False
    return kept


#: A number for each relation linked (for the arrays of `cluster_links`).
_CODES = {relation: code for code, relation in enumerate(sorted(LINKED))}
_RELATIONS = {code: relation for relation, code in _CODES.items()}


def story_links(story_of: Mapping[int, str], links: Iterable[PairLink]) -> list[StoryLink]:
    """The links between stories that linked pairs give (`story_of`: each article's story
    id; see `_between`); sorted."""
    pairs = sorted(set(links))
    return [
        StoryLink(*link)
        for link in _between((story_of[pair.first], story_of[pair.second], pair) for pair in pairs)
    ]


def named_links(links: Iterable[ClusterLink], story_ids: Mapping[int, str]) -> list[StoryLink]:
    """Links between clusters as links between the stories they became (`story_ids`: each
    cluster's story id), one per two stories and relation, sorted."""
    found: dict[tuple[str, str, Relation], StoryLink] = {}
    for link in links:
        one, other = story_ids[link.first], story_ids[link.second]
        if one != other:
            story, second = min(one, other), max(one, other)
            found.setdefault(
                (story, second, link.relation), StoryLink(story, second, link.relation, link.rule)
            )
    return sorted(found.values())
