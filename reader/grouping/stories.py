"""Group articles into stories: the versions of one wire story, in the order they were filed.

Two files are versions of one story when they share word sequences, not just names and
topic: each article is reduced to the set of its word 3-shingles (words folded for house
style, so `defence` and `defense` match); MinHash + LSH (datasketch) proposes candidate
pairs without comparing every pair; each candidate is verified on the exact shingle sets
by Jaccard similarity and by containment (a short first take is contained in the
write-through). Recurring template stories (weekly statistics) share most wording but
not their figures, so versions must also agree on the numbers they both mention.
Clustering is greedy from the most complete article down, and an article joins a story
only if it matches the story's core (its longest version) and most of its versions, so
a page holding the openings of many stories cannot chain them together.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from reader.grouping.decide import DEFAULT_THRESHOLD as DEFAULT_THRESHOLD
from reader.grouping.decide import Decision, decide
from reader.grouping.metadata import (
    CONFLICT_SIMILARITY,
    conflict_note,
    conflict_notes,
    metadata_clusters,
    metadata_order,
    same_story_key,
    usable_key,
)
from reader.grouping.signature import LEDE_WORDS as LEDE_WORDS
from reader.grouping.signature import Signature as Signature
from reader.grouping.signature import body_text as body_text
from reader.grouping.signature import shared_count as shared_count
from reader.grouping.signature import signature as signature
from reader.grouping.signature import signature_of_text as signature_of_text
from reader.ingest.article import Article
from reader.ingest.corpus import Corpus, natural_key

if TYPE_CHECKING:  # imported when sketching: datasketch brings in scipy, a second to start
    from datasketch import MinHash

#: MinHash permutations: more is more accurate and slower.
NUM_PERM = 64
#: LSH bands and rows per band: pairs above about 0.5 Jaccard are proposed almost surely,
#: unrelated pairs (0.02) about once in 6,000; short versions are found by their ledes.
LSH_BANDS = (21, 3)
#: Multi-probe by re-banding: the same sketch values are banded again in other column
#: orders, so a pair has more bands to agree in. Two arrangements of 21 bands of 3 rows
#: propose a pair at 0.4 Jaccard with 0.94 probability (0.75 with one) and an unrelated
#: pair (0.02) about once in 3,000; 2-row bands would propose that one once in 80.
LSH_ARRANGEMENTS = 2
_COLUMN_ORDERS = [
    np.arange(NUM_PERM),
    *(np.random.default_rng(seed).permutation(NUM_PERM) for seed in range(1, LSH_ARRANGEMENTS)),
]
#: Bands in all arrangements.
BAND_COUNT = LSH_BANDS[0] * LSH_ARRANGEMENTS
#: Candidates whose estimated Jaccard is below both floors (body, lede) are dropped.
BODY_ESTIMATE_FLOOR = 0.1
LEDE_ESTIMATE_FLOOR = 0.25
#: A bucket holding more articles than this proposes a chain through them, not every pair.
MAX_BUCKET = 1000
#: A shingle found in more articles than max(count, articles // divisor) is frequent.
MIN_FREQUENT_SHINGLE_COUNT = 100
FREQUENT_SHINGLE_DIVISOR = 200

_PERMUTATION_SEED = 1
#: Shingle sets sketched per task when the work is spread over processes.
SKETCH_CHUNK = 5000

#: A story's key: its number in batch grouping, its id when joining stored stories.
K = TypeVar("K", int, str)

#: `map`, or a process pool's `map`: how independent chunks of work are run.
ParallelMap = Callable[..., Iterable[Any]]


@dataclass(slots=True)
class Story:
    """Versions of one wire story, in filing order."""

    id: str
    versions: list[Article] = field(default_factory=list)
    #: What a reader should know about how it was grouped (versions sharing a story id
    #: whose texts are unrelated).
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The latest version's headline."""
        return self.versions[-1].headline if self.versions else ""

    @property
    def latest(self) -> Article:
        return self.versions[-1]

    def predecessor(self, article: Article) -> Article | None:
        """The version filed before `article`, if any."""
        index = self.index_of(article)
        return self.versions[index - 1] if index > 0 else None

    def contains(self, article: Article) -> bool:
        """Whether `article` is a version of this story."""
        return any(version.id == article.id for version in self.versions)

    def index_of(self, article: Article) -> int:
        for index, version in enumerate(self.versions):
            if version.id == article.id:
                return index
        raise ValueError(f"{article.name} is not a version of this story")

    def __len__(self) -> int:
        return len(self.versions)


@dataclass(slots=True)
class StoryCorpus:
    """A corpus with its articles grouped into stories."""

    corpus: Corpus
    stories: list[Story] = field(default_factory=list)
    _story_by_article: dict[str, Story] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._story_by_article = {
            version.id: story for story in self.stories for version in story.versions
        }

    def article_by_id(self, article_id: str) -> Article | None:
        """The article with this id, if it is in the corpus."""
        story = self._story_by_article.get(article_id)
        if story is None:
            return None
        return next((version for version in story.versions if version.id == article_id), None)

    def story_of(self, article: Article) -> Story | None:
        """The story `article` is a version of."""
        return self._story_by_article.get(article.id)


# --- similarity --------------------------------------------------------------------------


def similarity(a: Signature, b: Signature) -> float:
    """The larger of Jaccard and containment of the shingle sets; 0 when a rule of
    `decide` (page kinds, series, a new lead over background) says they are not versions."""
    decision = decide(a, b, threshold=0.0)
    return decision.score if decision.same_story else 0.0


# --- candidates --------------------------------------------------------------------------


def _identity(value: int) -> int:
    return value


def minhashes(shingle_sets: Sequence[np.ndarray]) -> list[MinHash]:
    """MinHash sketches of shingle sets, computed in bulk with shared permutations."""
    from datasketch import MinHash

    batches = (shingles & np.uint64(0xFFFFFFFF) for shingles in shingle_sets)
    return list(
        MinHash.generator(batches, num_perm=NUM_PERM, seed=_PERMUTATION_SEED, hashfunc=_identity)
    )


def frequent_shingles(signatures: Sequence[Signature]) -> np.ndarray:
    """Shingles found in more articles than the limit (sorted)."""
    limit = max(MIN_FREQUENT_SHINGLE_COUNT, len(signatures) // FREQUENT_SHINGLE_DIVISOR)
    if len(signatures) <= limit:
        return np.empty(0, dtype=np.uint64)
    values, counts = np.unique(
        np.concatenate([sig.shingles for sig in signatures]), return_counts=True
    )
    return values[counts > limit]


def without_frequent_shingles(
    signatures: Sequence[Signature], frequent: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Each signature's body and lede shingles, less those found in many articles.

    Phrases every story uses ("said on Thursday"), site boilerplate and the fixed wording
    of long-running template stories are frequent; left in, they make every pair of
    articles look a little alike and swamp LSH with candidates. A story's own phrases
    occur only in its versions, far fewer than the limit.
    """
    bodies = [sig.shingles for sig in signatures]
    ledes = [sig.lede for sig in signatures]
    if not len(frequent) or not signatures:
        return bodies, ledes
    every_body, every_lede = np.concatenate(bodies), np.concatenate(ledes)
    return (
        _split_kept(every_body, ~_members(every_body, frequent), bodies),
        _split_kept(every_lede, ~_members(every_lede, frequent), ledes),
    )


def _members(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Which of `values` are in `sorted_set` (a sorted array), as a boolean mask."""
    positions = np.searchsorted(sorted_set, values)
    positions[positions == len(sorted_set)] = 0
    return np.asarray(sorted_set[positions] == values)


def _split_kept(every: np.ndarray, keep: np.ndarray, parts: list[np.ndarray]) -> list[np.ndarray]:
    offsets = np.cumsum([len(part) for part in parts])[:-1]
    kept = zip(np.split(every, offsets), np.split(keep, offsets), strict=True)
    return [part[mask] for part, mask in kept]


def _sketch_rows(shingle_sets: Sequence[np.ndarray]) -> np.ndarray:
    rows = np.zeros((len(shingle_sets), NUM_PERM), dtype=np.uint64)
    present = [index for index, shingles in enumerate(shingle_sets) if len(shingles)]
    if present:
        sketches = minhashes([shingle_sets[index] for index in present])
        rows[present] = np.vstack([sketch.hashvalues for sketch in sketches])
    return rows


def sketch_matrix(
    shingle_sets: Sequence[np.ndarray], parallel_map: ParallelMap = map
) -> np.ndarray:
    """One row of MinHash values per set (datasketch, in bulk); an empty set's row is zeros.

    `parallel_map` (a process pool's `map`) spreads the work over chunks.
    """
    chunks = [
        shingle_sets[start : start + SKETCH_CHUNK]
        for start in range(0, len(shingle_sets), SKETCH_CHUNK)
    ]
    parts = list(parallel_map(_sketch_rows, chunks))
    return np.vstack(parts) if parts else np.zeros((0, NUM_PERM), dtype=np.uint64)


def band_keys(matrix: np.ndarray) -> np.ndarray:
    """One 64-bit key per band of each sketch row, in every arrangement of the columns
    (collisions: negligible)."""
    bands, rows = LSH_BANDS
    keys = np.empty((len(matrix), BAND_COUNT), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for arrangement, order in enumerate(_COLUMN_ORDERS):
            for band in range(bands):
                columns = matrix[:, order[band * rows : (band + 1) * rows]]
                key = columns[:, 0] + np.uint64(arrangement)
                for column in range(1, rows):
                    key = key * np.uint64(0x9E3779B97F4A7C15) + columns[:, column]
                keys[:, arrangement * bands + band] = key
    return keys


def _band_pairs(matrix: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Pairs (as keys i * n + j, i < j) of rows equal in a whole band, for some band.

    The banding is done with numpy over all sketches at once (one sort per band); at
    100,000 articles that takes seconds where inserting into and querying datasketch's
    MinHashLSH one sketch at a time takes minutes.
    """
    count = len(matrix)
    ids = np.flatnonzero(present)
    bands = BAND_COUNT
    found: list[np.ndarray] = []
    all_keys = band_keys(matrix[ids])
    for band in range(bands):
        _, buckets, sizes = np.unique(all_keys[:, band], return_inverse=True, return_counts=True)
        shared = np.flatnonzero(sizes[buckets] > 1)
        if not len(shared):
            continue
        order = shared[np.argsort(buckets[shared], kind="stable")]
        bucket_of = buckets[order]
        starts = np.flatnonzero(np.r_[True, bucket_of[1:] != bucket_of[:-1]])
        ends = np.r_[starts[1:], len(order)]
        sizes_of = ends - starts
        end_of = np.repeat(ends, sizes_of)
        # a huge bucket (identical boilerplate) proposes a chain, not every pair
        chained = np.repeat(sizes_of > MAX_BUCKET, sizes_of)
        position = np.arange(len(order))
        step = 1
        while len(position):
            position = position[position + step < end_of[position]]
            if step > 1:
                position = position[~chained[position]]
            first, second = ids[order[position]], ids[order[position + step]]
            found.append(np.minimum(first, second) * count + np.maximum(first, second))
            step += 1
    return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)


def _estimated_jaccard(matrix: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    estimates = np.empty(len(first))
    for start in range(0, len(first), 200_000):  # in chunks, to bound memory
        part = slice(start, start + 200_000)
        estimates[part] = (matrix[first[part]] == matrix[second[part]]).mean(axis=1)
    return estimates


@dataclass(slots=True)
class Sketches:
    """What LSH works on: shingles left after removing the frequent ones, sketched."""

    frequent: np.ndarray
    body: np.ndarray  # one MinHash row per article; zeros where nothing is left
    lede: np.ndarray

    @classmethod
    def of(cls, signatures: Sequence[Signature], parallel_map: ParallelMap = map) -> Sketches:
        frequent = frequent_shingles(signatures)
        bodies, ledes = without_frequent_shingles(signatures, frequent)
        return cls(
            frequent, sketch_matrix(bodies, parallel_map), sketch_matrix(ledes, parallel_map)
        )


def candidate_pairs(sketches: Sketches) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, that LSH proposes as possibly versions of one story.

    Two indexes: whole bodies, and ledes (a short first take shares little of a long
    write-through as a whole, but its lede nearly all), both without frequent shingles.
    Pairs whose MinHash estimates are low on both are dropped before exact checking.
    """
    body_matrix, lede_matrix = sketches.body, sketches.lede
    count = len(body_matrix)
    keys = np.union1d(
        _band_pairs(body_matrix, np.asarray(body_matrix.any(axis=1))),
        _band_pairs(lede_matrix, np.asarray(lede_matrix.any(axis=1))),
    )
    first, second = keys // max(count, 1), keys % max(count, 1)
    body_estimate = _estimated_jaccard(body_matrix, first, second)
    lede_estimate = _estimated_jaccard(lede_matrix, first, second)
    keep = (body_estimate >= BODY_ESTIMATE_FLOOR) | (lede_estimate >= LEDE_ESTIMATE_FLOOR)
    return list(zip(first[keep].tolist(), second[keep].tolist(), strict=True))


def same_title_pairs(signatures: Sequence[Signature]) -> list[tuple[int, int]]:
    """Pairs linking articles under one title, as a chain (a live blog's snapshots may
    share no entries, and re-titled refiles are found by LSH anyway)."""
    by_title: dict[str, list[int]] = defaultdict(list)
    for index, sig in enumerate(signatures):
        if sig.title:
            by_title[sig.title].append(index)
    return [pair for members in by_title.values() for pair in itertools.pairwise(members)]


# --- clustering --------------------------------------------------------------------------


@dataclass(slots=True)
class Grouping:
    """Stories, which story each article went to (by position), and the sketches used."""

    stories: list[Story]
    story_of: list[int]
    sketches: Sketches | None


@dataclass(slots=True)
class KnownStories:
    """What incremental grouping needs of the articles already grouped (from the index)."""

    #: Row ids of the sketched articles, in the order of the sketch matrices' rows.
    rowids: list[int]
    body: np.ndarray
    lede: np.ndarray
    #: The frequent shingles removed before sketching when the stories were last built.
    frequent: np.ndarray
    #: Each known article's story.
    story_of: dict[int, str]
    #: The story of each usable story key (metadata) among the known articles.
    story_keys: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NewVersion:
    """An article read since the stories were built, to be joined to one."""

    rowid: int
    article: Article
    signature: Signature


@dataclass(slots=True)
class Extension:
    """What joining new articles to known stories decided."""

    story_of: dict[int, str]
    sketches: dict[int, tuple[np.ndarray, np.ndarray]]
    #: Known stories that gained a version.
    updated: set[str]
    #: Notes on stories (metadata conflicts) found while joining.
    notes: dict[str, list[str]] = field(default_factory=dict)


class BandIndex:
    """LSH band keys of many sketches: query a sketch's candidates, add sketches one by one.

    The keys known when it is built are sorted once per band (a binary search finds a
    bucket); sketches added later go to a small hash table per band, so adding costs
    nothing in proportion to the size of the corpus.
    """

    def __init__(self, matrix: np.ndarray, ids: Sequence[int]) -> None:
        keys = band_keys(matrix)
        self._ids = np.asarray(ids, dtype=np.int64)
        self._order = np.argsort(keys, axis=0, kind="stable")
        self._sorted = np.take_along_axis(keys, self._order, axis=0)
        self._added: list[dict[int, list[int]]] = [{} for _ in range(BAND_COUNT)]

    def candidates(self, row: np.ndarray) -> set[int]:
        """Ids of the sketches equal to `row` in at least one whole band."""
        if not row.any():
            return set()
        found: set[int] = set()
        for band, key in enumerate(band_keys(row[None])[0].tolist()):
            column = self._sorted[:, band]
            low = int(np.searchsorted(column, np.uint64(key), side="left"))
            high = int(np.searchsorted(column, np.uint64(key), side="right"))
            if high > low:
                found.update(self._ids[self._order[low:high, band]].tolist())
            found.update(self._added[band].get(key, ()))
        return found

    def add(self, row: np.ndarray, id_: int) -> None:
        """Make `row` findable under `id_`."""
        if not row.any():
            return
        for band, key in enumerate(band_keys(row[None])[0].tolist()):
            self._added[band].setdefault(key, []).append(id_)


class PairJudge:
    """Decisions on pairs of articles (by position or row id), made once each.

    Candidate pairs are decided up front; a pair clustering needs later (an article
    against a story's core) is decided when first asked.
    """

    def __init__(self, threshold: float, signature_of: Callable[[int], Signature]) -> None:
        self.threshold = threshold
        self._signature_of = signature_of
        # by one int per pair (i << 32 | j, i < j): hundreds of thousands of candidates
        # at 100,000 articles cost far less memory than with tuple keys; only versions
        # keep a score
        self._versions: dict[int, float] = {}
        self._vetoed: set[int] = set()
        self._apart: set[int] = set()

    @staticmethod
    def _key(i: int, j: int) -> int:
        return (i << 32 | j) if i < j else (j << 32 | i)

    def judge(self, i: int, j: int) -> Decision:
        """Decide the pair and remember what clustering needs of it."""
        decision = decide(self._signature_of(i), self._signature_of(j), self.threshold, full=False)
        key = self._key(i, j)
        if decision.same_story:
            # a version by a rule that does not weigh shared text (a live blog's
            # snapshots) counts as reaching the threshold
            self._versions[key] = max(decision.score, self.threshold)
        else:
            self._apart.add(key)
        if decision.vetoed:
            self._vetoed.add(key)
        return decision

    def score(self, i: int, j: int) -> float:
        """The pair's score if they are versions of one story, else 0."""
        key = self._key(i, j)
        if key not in self._versions and key not in self._apart:
            self.judge(i, j)
        return self._versions.get(key, 0.0)

    def vetoed(self, i: int, j: int) -> bool:
        """Whether the pair must never share a story (series, digest, page kinds)."""
        key = self._key(i, j)
        if key not in self._versions and key not in self._apart:
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
        return core_score if 2 * agreeing >= len(members) else 0.0

    def may_merge(self, first: Sequence[int], second: Sequence[int]) -> bool:
        """Whether two stories may become one: no pair across them is forbidden."""
        return not any(
            self.vetoed(i, j) for i in first[:MAX_VETO_CHECKS] for j in second[:MAX_VETO_CHECKS]
        )


#: Repair and joining check vetoes against this many versions of a story at most.
MAX_VETO_CHECKS = 60


class StoryGrouper:
    """The one grouping engine: batch grouping of a corpus, and joining new articles to
    stories already built, by the same rule.

    The rule: an article joins the story whose core (its longest version) it matches best,
    provided it also matches most of the story's versions and none of them forbids it
    (`decide`: series, digests, page kinds); candidates come from LSH over body and lede
    sketches and are decided exactly. Then a repair: two stories become one when an
    article of one qualifies for the other by the same rule and nothing across them
    forbids it, so an update chain filed out of order is not split.
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold

    def group(
        self,
        articles: Sequence[Article],
        *,
        signatures: Sequence[Signature] | None = None,
        pairs: Iterable[tuple[int, int]] | None = None,
        parallel_map: ParallelMap = map,
    ) -> Grouping:
        """Group the articles into stories, each with its versions in filing order.

        The same articles in any order give the same stories. Candidate pairs come from
        LSH unless given (the benchmark's all-pairs baseline gives every pair).
        """
        sigs = list(signatures) if signatures is not None else [signature(a) for a in articles]
        sketches: Sketches | None = None
        if pairs is None:
            sketches = Sketches.of(sigs, parallel_map)
            pairs = [*candidate_pairs(sketches), *same_title_pairs(sigs)]
        judge = PairJudge(self.threshold, sigs.__getitem__)
        neighbours: dict[int, dict[int, float]] = {index: {} for index in range(len(articles))}
        for i, j in pairs:
            if judge.judge(i, j).same_story:
                neighbours[i][j] = neighbours[j][i] = judge.score(i, j)
        order = sorted(
            range(len(articles)),
            key=lambda i: (-len(sigs[i]), natural_key(articles[i].name), articles[i].id),
        )
        cluster_of: dict[int, int] = {}
        clusters: list[list[int]] = []
        for index in order:
            candidates = {cluster_of[n] for n in neighbours[index] if n in cluster_of}
            best = self._best_story(
                {number: judge.qualifies(index, clusters[number]) for number in candidates}
            )
            if best is None:
                cluster_of[index] = len(clusters)
                clusters.append([index])
            else:
                cluster_of[index] = best
                clusters[best].append(index)
        rank = {index: position for position, index in enumerate(order)}
        clusters = self._repair(clusters, cluster_of, neighbours, judge, rank)
        metadata_groups, notes = self._join_by_metadata(articles, sigs)
        clusters = self._unite(clusters, cluster_of, metadata_groups)
        stories = [_story(articles, members) for members in clusters]
        number_of = {index: n for n, members in enumerate(clusters) for index in members}
        for group, group_notes in notes.items():
            stories[number_of[metadata_groups[group][0]]].notes.extend(group_notes)
        by_name = sorted(
            range(len(stories)), key=lambda n: natural_key(stories[n].versions[0].name)
        )
        position = {old: new for new, old in enumerate(by_name)}
        story_of = [position[number_of[index]] for index in range(len(articles))]
        return Grouping([stories[n] for n in by_name], story_of, sketches)

    @staticmethod
    def _join_by_metadata(
        articles: Sequence[Article], sigs: Sequence[Signature]
    ) -> tuple[list[list[int]], dict[int, list[str]]]:
        """Metadata decides where it can: articles sharing a usable story key (provider and
        story id) are versions of one story, whatever their words (content places every
        other article, and two ids of one story meet by their words). Returns the groups,
        and notes on groups whose versions share a key but not their text (a conflict,
        shown, not hidden)."""
        groups: list[list[int]] = []
        notes: dict[int, list[str]] = {}
        for members in metadata_clusters(articles):
            found = conflict_notes(articles, members, lambda i, j: similarity(sigs[i], sigs[j]))
            if found:
                notes[len(groups)] = found
            groups.append(list(members))
        return groups, notes

    @staticmethod
    def _unite(
        clusters: list[list[int]], cluster_of: dict[int, int], groups: list[list[int]]
    ) -> list[list[int]]:
        """The clusters, with those holding versions of one metadata group made one."""
        for members in groups:
            numbers = sorted({cluster_of[member] for member in members})
            keep = numbers[0]
            for gone in numbers[1:]:
                for member in clusters[gone]:
                    cluster_of[member] = keep
                clusters[keep] = clusters[keep] + clusters[gone]
                clusters[gone] = []
        return [members for members in clusters if members]

    @staticmethod
    def _repair(
        clusters: list[list[int]],
        cluster_of: dict[int, int],
        neighbours: Mapping[int, Mapping[int, float]],
        judge: PairJudge,
        rank: Mapping[int, int],
    ) -> list[list[int]]:
        """Merge stories an article of one qualifies for (single linkage, same guards)."""
        edges = sorted(
            (
                (score, i, j)
                for i, found in neighbours.items()
                for j, score in found.items()
                if i < j
            ),
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
                a, b = clusters[first], clusters[second]
                if not judge.may_merge(a, b):
                    continue
                keep, gone = min(first, second), max(first, second)
                for member in clusters[gone]:
                    cluster_of[member] = keep
                clusters[keep] = clusters[keep] + clusters[gone]
                clusters[gone] = []
                merged = True
        return clusters

    def extend(
        self,
        known: KnownStories,
        new_versions: Sequence[NewVersion],
        load_signatures: Callable[[list[int]], dict[int, Signature]],
    ) -> Extension:
        """Join articles read since the stories were built to them (or start new stories),
        one by one, most complete first, by the rule `group` uses; an article that
        qualifies for several stories joins them into one, as `group`'s repair does.

        `load_signatures` fetches the signatures of known articles (from the index) as the
        candidates need them; the known sketches are banded once, not once per article.
        """
        result = Extension({}, {}, set())
        body_index = BandIndex(known.body, known.rowids)
        lede_index = BandIndex(known.lede, known.rowids)
        story_of = dict(known.story_of)
        members_of: dict[str, list[int]] = defaultdict(list)
        for member, story in story_of.items():
            members_of[story].append(member)
        existing = set(members_of)
        signatures = {version.rowid: version.signature for version in new_versions}

        def signature_of(rowid: int) -> Signature:
            self._load_missing(signatures, [rowid], load_signatures)
            return signatures[rowid]

        judge = PairJudge(self.threshold, signature_of)
        story_keys = dict(known.story_keys)
        order = sorted(new_versions, key=lambda v: (-len(v.signature), natural_key(v.article.name)))
        for version in order:
            sig = version.signature
            bodies, ledes = without_frequent_shingles([sig], known.frequent)
            body_row, lede_row = sketch_matrix(bodies)[0], sketch_matrix(ledes)[0]
            key = usable_key(version.article)
            by_metadata = story_keys.get(key) if key is not None else None
            if by_metadata is not None:
                self._load_missing(signatures, members_of[by_metadata], load_signatures)
                best = max(similarity(sig, signatures[m]) for m in members_of[by_metadata])
                if best < CONFLICT_SIMILARITY:
                    result.notes.setdefault(by_metadata, []).append(
                        conflict_note([version.article])
                    )
            candidates = body_index.candidates(body_row) | lede_index.candidates(lede_row)
            candidates &= story_of.keys()
            self._load_missing(signatures, candidates, load_signatures)
            stories = {story_of[c] for c in candidates if judge.judge(version.rowid, c).same_story}
            members = {story: members_of[story] for story in stories}
            for member_list in members.values():
                self._load_missing(signatures, member_list, load_signatures)
            qualifying = {
                story: judge.qualifies(version.rowid, member_list)
                for story, member_list in members.items()
            }
            joined = by_metadata or self._best_story(qualifying)
            story = joined or version.article.id
            for other in sorted(s for s, value in qualifying.items() if value and s != story):
                if judge.may_merge(members_of[story], members_of[other]):
                    for member in members_of.pop(other):
                        story_of[member] = result.story_of[member] = story
                        members_of[story].append(member)
                    joined = story
            if joined in existing:
                result.updated.add(joined)
            story_of[version.rowid] = result.story_of[version.rowid] = story
            members_of[story].append(version.rowid)
            if key is not None:
                story_keys[key] = story
            result.sketches[version.rowid] = (body_row, lede_row)
            body_index.add(body_row, version.rowid)
            lede_index.add(lede_row, version.rowid)
        return result

    @staticmethod
    def _load_missing(
        signatures: dict[int, Signature],
        rowids: Iterable[int],
        load: Callable[[list[int]], dict[int, Signature]],
    ) -> None:
        missing = [rowid for rowid in rowids if rowid not in signatures]
        if missing:
            signatures.update(load(missing))

    @staticmethod
    def _best_story(qualifying: Mapping[K, float]) -> K | None:
        """The story an article joins: of those it qualifies for (`PairJudge.qualifies`:
        it matches the core and most versions, and none forbids it), the one whose core
        it matches best (the first by key of equals, so order does not matter)."""
        best: K | None = None
        best_score = 0.0
        for story in sorted(qualifying):
            if qualifying[story] > best_score:
                best, best_score = story, qualifying[story]
        return best


def order_versions(versions: Iterable[Article]) -> list[Article]:
    """Versions in filing order: by version number then version time when they all share
    one story id (metadata), else by a date in the file, then by natural file name."""
    versions = list(versions)
    if same_story_key(versions):
        return metadata_order(versions)
    return sorted(
        versions,
        key=lambda a: (a.filed is None, a.filed or datetime.min, natural_key(a.name)),
    )


def _story(articles: Sequence[Article], members: list[int]) -> Story:
    versions = order_versions(articles[index] for index in members)
    return Story(id=versions[0].id, versions=versions)
