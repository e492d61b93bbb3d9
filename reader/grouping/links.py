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
blocks the pairs were decided in (a pair dropped from one block's forest closes a cycle of
earlier pairs, so it would be dropped from the whole one too).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import numpy as np

from reader.grouping.decide import Decision, Relation

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

    def __init__(self) -> None:
        self.found: list[PairLink] = []
        self._rules: dict[str, str] = {}

    def add(self, i: int, j: int, decision: Decision) -> None:
        """Keep the pair if its decision links it."""
        if decision.relation in LINKED:
            rule = self._rules.setdefault(decision.rule, decision.rule)
            self.found.append(PairLink(min(i, j), max(i, j), decision.relation, rule))


class Joined:
    """Union-find over keys (ids, numbers or story ids): which are joined already."""

    def __init__(self) -> None:
        self._parent: dict[object, object] = {}

    def root(self, key: object) -> object:
        parent = self._parent.setdefault(key, key)
        while parent != key:
            grand = self._parent.setdefault(parent, parent)
            self._parent[key] = grand
            key, parent = parent, grand
        return key

    def join(self, one: object, other: object) -> bool:
        """Join the two; False when they were joined already."""
        first, second = self.root(one), self.root(other)
        if first == second:
            return False
        self._parent[second] = first
        return True


def series_forest(links: Iterable[PairLink]) -> list[PairLink]:
    """The links, with the series pairs cut to a spanning forest (see the module); sorted."""
    joined = Joined()
    return [
        link
        for link in sorted(set(links))
        if link.relation is not Relation.SERIES or joined.join(link.first, link.second)
    ]


def cluster_links(
    clusters: Sequence[Sequence[int]], links: Iterable[PairLink]
) -> list[ClusterLink]:
    """The links between clusters (lists of ids) that pairs of their articles give: one per
    two clusters and relation, from the pair with the smallest ids, none inside a cluster,
    series as a spanning forest; sorted. Clusters are looked up with arrays, not a map of
    every id."""
    pairs = sorted(set(links))
    if not pairs:
        return []
    sizes = np.fromiter((len(members) for members in clusters), dtype=np.int64)
    ids = np.fromiter((id_ for members in clusters for id_ in members), dtype=np.int64)
    numbers = np.repeat(np.arange(len(clusters), dtype=np.int64), sizes)
    order = np.argsort(ids, kind="stable")
    ids, numbers = ids[order], numbers[order]
    firsts = np.fromiter((pair.first for pair in pairs), dtype=np.int64, count=len(pairs))
    seconds = np.fromiter((pair.second for pair in pairs), dtype=np.int64, count=len(pairs))
    of_first = numbers[np.searchsorted(ids, firsts)].tolist()
    of_second = numbers[np.searchsorted(ids, seconds)].tolist()
    found: dict[tuple[int, int, Relation], ClusterLink] = {}
    series = Joined()
    for pair, one, other in zip(pairs, of_first, of_second, strict=True):
        if one == other or (pair.relation is Relation.SERIES and not series.join(one, other)):
            continue
        first, second = min(one, other), max(one, other)
        found.setdefault((first, second, pair.relation), ClusterLink(first, second, *pair[2:]))
    return sorted(found.values())


def story_links(story_of: Mapping[int, str], links: Iterable[PairLink]) -> list[StoryLink]:
    """The links between stories that linked pairs give (`story_of`: each article's story
    id): one per two stories and relation, from the pair with the smallest ids, none inside
    a story, series as a spanning forest of these pairs; sorted."""
    found: dict[tuple[str, str, Relation], StoryLink] = {}
    series = Joined()
    for pair in sorted(set(links)):
        one, other = story_of[pair.first], story_of[pair.second]
        if one != other and (pair.relation is not Relation.SERIES or series.join(one, other)):
            story, second = min(one, other), max(one, other)
            found.setdefault(
                (story, second, pair.relation), StoryLink(story, second, pair.relation, pair.rule)
            )
    return sorted(found.values())


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
