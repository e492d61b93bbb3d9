"""From decided pairs to stories: the clustering rule, applied to one connected group of
articles at a time.

An article joins the story whose core (its longest version) it matches best, provided it
also matches most of the story's versions and none of them forbids it (`decide`: series,
digests, page kinds). Articles are taken most complete first. Then a repair: two stories
become one when an article of one qualifies for the other by the same rule and nothing
across them forbids it, so an update chain filed out of order is not split; but never
through an article that is a version of both only because it holds both (a page of
openings: what it holds of one story shares nothing with the other). Articles
sharing a usable story key (metadata) are one story whatever their words.

Only articles linked by a version pair, a title or a story key can end in one story, so
the corpus splits into connected groups that are clustered apart (in worker processes,
each loading only its own articles' signatures).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from reader.grouping.cleaning import PageKind
from reader.grouping.decide import Verdict, judge
from reader.grouping.metadata import CONFLICT_SIMILARITY
from reader.grouping.signature import Signature

#: Repair and joining check vetoes against this many versions of a story at most.
MAX_VETO_CHECKS = 60
#: Two articles sharing less text than this (the larger of Jaccard and containment) have
#: nothing in common: their stories are never merged.
NOTHING_SHARED = 0.05

#: A story's key: its number in batch grouping, its id when joining stored stories.
K = TypeVar("K", int, str)


class PairJudge:
    """Decisions on pairs of articles (by id), made once each, when first asked."""

    def __init__(self, threshold: float, signature_of: Callable[[int], Signature]) -> None:
        self.threshold = threshold
        self._signature_of = signature_of
        # by one int per pair (i << 32 | j, i < j): many pairs cost far less memory than
        # with tuple keys; only versions keep a score
        self._versions: dict[int, float] = {}
        self._vetoed: set[int] = set()
        #: pairs that are not versions, with the text they share
        self._apart: dict[int, float] = {}

    @staticmethod
    def _key(i: int, j: int) -> int:
        return (i << 32 | j) if i < j else (j << 32 | i)

    def judge(self, i: int, j: int) -> Verdict:
        """Decide the pair and remember what clustering needs of it."""
        verdict = judge(self._signature_of(i), self._signature_of(j), self.threshold)
        self.remember(i, j, verdict)
        return verdict

    def remember(self, i: int, j: int, decision: Verdict) -> None:
        """Keep what clustering needs of a decision made elsewhere."""
        key = self._key(i, j)
        if decision.same_story:
            # a version by a rule that does not weigh shared text (a live blog's
            # snapshots) counts as reaching the threshold
            self._versions[key] = max(decision.score, self.threshold)
        else:
            self._apart[key] = decision.score
        if decision.vetoed:
            self._vetoed.add(key)

    def known_version(self, i: int, j: int, score: float) -> None:
        """Record a pair decided elsewhere to be versions, with its score."""
        self._versions[self._key(i, j)] = max(score, self.threshold)

    def score(self, i: int, j: int) -> float:
        """The pair's score if they are versions of one story, else 0."""
        key = self._key(i, j)
        if key not in self._versions and key not in self._apart:
            self.judge(i, j)
        return self._versions.get(key, 0.0)

    def vetoed(self, i: int, j: int) -> bool:
        """Whether the pair must never share a story (series, digest, page kinds)."""
        key = self._key(i, j)
        if key in self._versions:
            return False
        if key not in self._apart:
            self.judge(i, j)
        return key in self._vetoed

    def qualifies(self, index: int, members: Sequence[int]) -> float:
        """How well `index` matches a story's core (its longest version), when it also
        matches most of its versions and none of them forbids it; 0 when it does not."""
        if not members:
            return 0.0
        core = max(members, key=lambda member: len(self._signature_of(member)))
        core_score = self.score(index, core)
        if core_score < self.threshold:
            return 0.0
        if any(self.vetoed(index, member) for member in members[:MAX_VETO_CHECKS]):
            return 0.0
        agreeing = sum(self.score(index, member) >= self.threshold for member in members)
        return core_score if 2 * agreeing > len(members) else 0.0

    def shares_nothing(self, i: int, j: int) -> bool:
        """Whether two stories share next to no text (`NOTHING_SHARED`); a live blog's
        snapshots may share no entries and still be one blog."""
        key = self._key(i, j)
        if key in self._versions or PageKind.LIVE_BLOG in (
            self._signature_of(i).kind,
            self._signature_of(j).kind,
        ):
            return False
        if key not in self._apart:
            self.judge(i, j)
        return self._apart[key] < NOTHING_SHARED

    def may_merge(self, first: Sequence[int], second: Sequence[int]) -> bool:
        """Whether two stories may become one: no pair across them is forbidden."""
        return not any(
            self.vetoed(i, j) for i in first[:MAX_VETO_CHECKS] for j in second[:MAX_VETO_CHECKS]
        )

    def holds_two_stories(self, bridge: int, story: Sequence[int], other: int) -> bool:
        """Whether `bridge` (a version of `story`) is also a version of `other` only because
        it holds both: some version of `story` it matches shares nothing with `other` (a
        page of openings is a version of each story it opens, which are not one story)."""
        return any(
            member != bridge
            and self.score(member, bridge) > 0
            and self.shares_nothing(member, other)
            for member in story[:MAX_VETO_CHECKS]
        )


def best_story(qualifying: Mapping[K, float]) -> K | None:
    """The story an article joins: of those it qualifies for (`PairJudge.qualifies`: it
    matches the core and most versions, and none forbids it), the one whose core it
    matches best (the first by key of equals, so order does not matter)."""
    best: K | None = None
    best_score = 0.0
    for story in sorted(qualifying):
        if qualifying[story] > best_score:
            best, best_score = story, qualifying[story]
    return best


@dataclass(slots=True)
class Component:
    """Articles linked by version pairs, titles or story keys: clustered together."""

    #: The articles' ids, most complete first (the order clustering takes them in).
    ids: list[int]
    #: Pairs decided to be versions, with their scores.
    versions: list[tuple[int, int, float]]
    #: Groups of ids sharing a usable story key.
    metadata_groups: list[list[int]] = field(default_factory=list)


@dataclass(slots=True)
class Clustered:
    """A component's stories (lists of ids), and the ids in each metadata group whose
    text matches none of the others (a conflict the story must show)."""

    stories: list[list[int]]
    conflicts: list[list[int]]


def cluster(
    component: Component, signatures: Mapping[int, Signature], threshold: float
) -> Clustered:
    """Cluster one component into stories (see the module's rule)."""
    judge = PairJudge(threshold, signatures.__getitem__)
    neighbours: dict[int, dict[int, float]] = {id_: {} for id_ in component.ids}
    for i, j, score in component.versions:
        judge.known_version(i, j, score)
        neighbours[i][j] = neighbours[j][i] = max(score, threshold)
    cluster_of: dict[int, int] = {}
    clusters: list[list[int]] = []
    for id_ in component.ids:
        candidates = {cluster_of[n] for n in neighbours[id_] if n in cluster_of}
        best = best_story({number: judge.qualifies(id_, clusters[number]) for number in candidates})
        if best is None:
            cluster_of[id_] = len(clusters)
            clusters.append([id_])
        else:
            cluster_of[id_] = best
            clusters[best].append(id_)
    rank = {id_: position for position, id_ in enumerate(component.ids)}
    _repair(clusters, cluster_of, neighbours, judge, rank)
    for members in component.metadata_groups:
        _unite(clusters, cluster_of, members)
    conflicts = [
        found
        for members in component.metadata_groups
        if (found := _unrelated(members, signatures, threshold))
    ]
    return Clustered([members for members in clusters if members], conflicts)


def cluster_all(
    work: Sequence[tuple[Component, Mapping[int, Signature]]], threshold: float
) -> list[Clustered]:
    """Cluster several components (one task of a worker)."""
    return [cluster(component, signatures, threshold) for component, signatures in work]


def _unrelated(
    members: Sequence[int], signatures: Mapping[int, Signature], threshold: float
) -> list[int]:
    """Members of a metadata group whose text matches none of the others'."""
    if len(members) < 2:
        return []

    def similarity(i: int, j: int) -> float:
        verdict = judge(signatures[i], signatures[j], threshold=0.0)
        return verdict.score if verdict.same_story else 0.0

    return [
        member
        for member in members
        if max(similarity(member, other) for other in members if other != member)
        < CONFLICT_SIMILARITY
    ]


def _unite(clusters: list[list[int]], cluster_of: dict[int, int], members: Sequence[int]) -> None:
    """Make the clusters holding `members` one."""
    numbers = sorted({cluster_of[member] for member in members})
    keep = numbers[0]
    for gone in numbers[1:]:
        for member in clusters[gone]:
            cluster_of[member] = keep
        clusters[keep] = clusters[keep] + clusters[gone]
        clusters[gone] = []


def _repair(
    clusters: list[list[int]],
    cluster_of: dict[int, int],
    neighbours: Mapping[int, Mapping[int, float]],
    judge: PairJudge,
    rank: Mapping[int, int],
) -> None:
    """Merge stories an article of one qualifies for (single linkage, same guards)."""
    edges = sorted(
        ((score, i, j) for i, found in neighbours.items() for j, score in found.items() if i < j),
        key=lambda edge: (
            -edge[0],
            min(rank[edge[1]], rank[edge[2]]),
            max(rank[edge[1]], rank[edge[2]]),
        ),
    )
    merged = True
    while merged:
        merged = False
        for _, i, j in edges:
            first, second = cluster_of[i], cluster_of[j]
            if first == second:
                continue
            if not judge.may_merge(clusters[first], clusters[second]):
                continue
            if judge.holds_two_stories(i, clusters[first], j) or judge.holds_two_stories(
                j, clusters[second], i
            ):
                continue
            keep, gone = min(first, second), max(first, second)
            for member in clusters[gone]:
                cluster_of[member] = keep
            clusters[keep] = clusters[keep] + clusters[gone]
            clusters[gone] = []
            merged = True
