"""The grouping job's distributed part, as Spark RDDs, built from the very functions the
in-process engine uses, so that it proposes and decides the same pairs.

Reading: each partition of files is read, parsed and signed by `ingest_for_index`.
Grouping, given every article's signature by position:

1. frequent shingles: a count of the articles holding each shingle, over the whole
   corpus, with `frequent_shingles`' limit;
2. sketches: `without_frequent_shingles` then `sketch_matrix`, per partition (each row
   depends on its own article only);
3. candidates: each sketch's `band_keys` exploded to (band and key) -> position entries,
   partitioned by bucket, each bucket giving every pair of its members, or a chain
   through them past MAX_BUCKET members (as `_band_pairs` does); `same_title_pairs` added;
4. the exact check, on the executors: pairs whose MinHash estimates are below both floors
   dropped (as `candidate_pairs` does), then `decide`; every executor is sent all the
   signatures (a broadcast) up to BROADCAST_ARTICLES, else the articles are cut into
   blocks and the candidates between two blocks decided beside both, so that a signature
   is shipped once per pair of blocks, never once per candidate.

The driver then clusters the pairs found to be versions with `StoryGrouper.group`.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from reader.grouping.decide import decide
from reader.grouping.stories import (
    BAND_COUNT,
    BODY_ESTIMATE_FLOOR,
    FREQUENT_SHINGLE_DIVISOR,
    LEDE_ESTIMATE_FLOOR,
    MAX_BUCKET,
    MIN_FREQUENT_SHINGLE_COUNT,
    NUM_PERM,
    SKETCH_CHUNK,
    Signature,
    band_keys,
    same_title_pairs,
    sketch_matrix,
    without_frequent_shingles,
)
from reader.ingest.corpus import CorpusFile
from reader.ingest.workers import CHUNK_FILES
from reader.store.library import FileRead, SkippedRead, ingest_for_index

if TYPE_CHECKING:
    from pyspark import RDD, Broadcast
    from pyspark.sql import SparkSession

#: A sketch row pair: body and lede MinHash values (zeros where nothing was left).
SketchRows = tuple[np.ndarray, np.ndarray]
#: What the exact check needs of one article: its signature and sketches.
Side = tuple[Signature, SketchRows]
#: Which sketches a band key comes from.
BODY, LEDE = 0, 1


@dataclass(frozen=True, slots=True)
class DecidedPairs:
    """What the Spark job found: the frequent shingles, each article's sketches (rows by
    position), the candidate pairs it checked and those that are versions of one story."""

    frequent: np.ndarray
    body: np.ndarray
    lede: np.ndarray
    candidates: int
    versions: list[tuple[int, int]]


#: Fewer items than this per core are not worth splitting between the cores.
MIN_ITEMS_PER_CORE = 1000


def _partitions(spark: SparkSession, items: int, per_partition: int) -> int:
    """A partition per `per_partition` items, and at least one per core when there are
    enough items to keep them busy (each task costs Spark time of its own)."""
    cores = min(spark.sparkContext.defaultParallelism, items // MIN_ITEMS_PER_CORE)
    return max(1, cores, math.ceil(items / per_partition))


# --- reading -------------------------------------------------------------------------


def read_files(
    spark: SparkSession, files: list[CorpusFile], field_map: dict[str, str]
) -> Iterator[FileRead | SkippedRead]:
    """Read, parse and sign `files` on the executors, all partitions at once (kept there,
    spilling to disk); the results then come back to the driver in file order, a
    partition at a time (never the whole corpus at once)."""
    if not files:
        return
    from pyspark import StorageLevel

    slices = _partitions(spark, len(files), CHUNK_FILES)
    read = functools.partial(_read_partition, field_map=field_map)
    rdd = spark.sparkContext.parallelize(files, slices).mapPartitions(read)
    rdd.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        rdd.count()  # every executor reads its share now, in parallel
        yield from rdd.toLocalIterator(prefetchPartitions=True)
    finally:
        rdd.unpersist()


def _read_partition(
    files: Iterable[CorpusFile], field_map: dict[str, str]
) -> list[FileRead | SkippedRead]:
    return ingest_for_index(list(files), field_map)


# --- grouping ------------------------------------------------------------------------


#: Up to this many articles, every executor is sent all signatures and sketches at once
#: (about 3.6 KB an article) and decides its share of the candidates where they are;
#: past it, the candidates are decided in blocks (`_checked_in_blocks`).
BROADCAST_ARTICLES = 100_000


def decided_pairs(
    spark: SparkSession,
    signatures: Sequence[Signature],
    threshold: float,
    *,
    broadcast_limit: int = BROADCAST_ARTICLES,
    blocks: int | None = None,
) -> DecidedPairs:
    """Sketch the articles, find the candidate pairs and decide them, on Spark (past
    `broadcast_limit` articles, in `blocks` blocks; None: one per BLOCK_ARTICLES, and at
    least one per core)."""
    context = spark.sparkContext
    count = len(signatures)
    slices = _partitions(spark, count, SKETCH_CHUNK)
    signed = context.parallelize(list(enumerate(signatures)), slices)
    frequent = frequent_shingles_counted(signed, count)
    shared = context.broadcast(frequent)
    # each article's signature beside its sketches: what either end of a pair needs
    sides = signed.mapPartitions(functools.partial(_sketch_partition, frequent=shared)).persist()
    try:
        # a bucket's entries meet in one partition, where its pairs are made
        proposed = sides.mapPartitions(_band_entries).partitionBy(slices).mapPartitions(_lsh_pairs)
        titled = context.parallelize([(pair, True) for pair in same_title_pairs(signatures)], 1)
        candidates = proposed.union(titled).reduceByKey(operator.or_, slices).persist()
        rows = dict(sides.map(_sketch_rows).collect())
        if count <= broadcast_limit:
            versions = _checked_where_they_are(candidates, signatures, rows, threshold)
        else:
            cut = blocks or _partitions(spark, count, BLOCK_ARTICLES)
            versions = _checked_in_blocks(candidates, sides, cut, threshold)
        found = candidates.count()
        candidates.unpersist()
    finally:
        sides.unpersist()
        shared.destroy()
    body = np.zeros((count, NUM_PERM), dtype=np.uint64)
    lede = np.zeros((count, NUM_PERM), dtype=np.uint64)
    for position, (body_row, lede_row) in rows.items():
        body[position], lede[position] = body_row, lede_row
    return DecidedPairs(frequent, body, lede, found, versions)


def frequent_shingles_counted(signed: RDD[tuple[int, Signature]], count: int) -> np.ndarray:
    """The shingles more articles hold than `frequent_shingles`' limit (sorted)."""
    limit = max(MIN_FREQUENT_SHINGLE_COUNT, count // FREQUENT_SHINGLE_DIVISOR)
    if count <= limit:
        return np.empty(0, dtype=np.uint64)
    counted = signed.mapPartitions(_shingle_counts).reduceByKey(operator.add)
    found = counted.filter(lambda item: item[1] > limit).keys().collect()
    return np.array(sorted(found), dtype=np.uint64)


def _shingle_counts(part: Iterable[tuple[int, Signature]]) -> Iterator[tuple[int, int]]:
    shingle_sets = [sig.shingles for _, sig in part]
    if not shingle_sets:
        return iter(())
    values, counts = np.unique(np.concatenate(shingle_sets), return_counts=True)
    return zip(values.tolist(), counts.tolist(), strict=True)


def _sketch_partition(
    part: Iterable[tuple[int, Signature]], frequent: Broadcast[np.ndarray]
) -> Iterator[tuple[int, Side]]:
    items = list(part)
    if not items:
        return iter(())
    bodies, ledes = without_frequent_shingles([sig for _, sig in items], frequent.value)
    body, lede = sketch_matrix(bodies), sketch_matrix(ledes)
    return ((position, (sig, (body[n], lede[n]))) for n, (position, sig) in enumerate(items))


def _sketch_rows(side: tuple[int, Side]) -> tuple[int, SketchRows]:
    position, (_, rows) = side
    return position, rows


def _band_entries(part: Iterable[tuple[int, Side]]) -> Iterator[tuple[int, int]]:
    """(bucket, position) for each band of each sketch not all zeros; the bucket is the
    band's `band_keys` value, with the band's number (BODY's bands, then LEDE's) above
    its 64 bits."""
    items = [(position, rows) for position, (_, rows) in part]
    for which in (BODY, LEDE):
        present = [(position, rows[which]) for position, rows in items if rows[which].any()]
        if not present:
            continue
        keys = band_keys(np.vstack([row for _, row in present]))
        for (position, _), row_keys in zip(present, keys.tolist(), strict=True):
            for band, key in enumerate(row_keys):
                yield (which * BAND_COUNT + band) << 64 | key, position


def _lsh_pairs(entries: Iterable[tuple[int, int]]) -> Iterator[tuple[tuple[int, int], bool]]:
    """The pairs of the buckets whose entries are in this partition (one of each; a pair
    is met in many bands), marked as found by LSH."""
    buckets: dict[int, list[int]] = defaultdict(list)
    for bucket, position in entries:
        buckets[bucket].append(position)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) > 1:
            pairs.update(bucket_pairs((None, members)))
    return ((pair, False) for pair in pairs)


def bucket_pairs(bucket: tuple[object, Iterable[int]]) -> Iterator[tuple[int, int]]:
    """Every pair of a bucket's members, or a chain through them past MAX_BUCKET."""
    members = sorted(bucket[1])
    if len(members) > MAX_BUCKET:
        return itertools.pairwise(members)
    return itertools.combinations(members, 2)


def _checked_where_they_are(
    candidates: RDD[tuple[tuple[int, int], bool]],
    signatures: Sequence[Signature],
    rows: dict[int, SketchRows],
    threshold: float,
) -> list[tuple[int, int]]:
    """The candidates that are versions of one story (sorted), decided in the partitions
    they are in, beside every article's signature and sketches (sent to each executor
    once, as a broadcast)."""
    everything = candidates.context.broadcast(
        {position: (signature, rows[position]) for position, signature in enumerate(signatures)}
    )
    try:
        decide_here = functools.partial(_versions_among, sides=everything, threshold=threshold)
        return sorted(candidates.mapPartitions(decide_here).collect())
    finally:
        everything.destroy()


def _versions_among(
    part: Iterable[tuple[tuple[int, int], bool]], sides: Broadcast[Block], threshold: float
) -> Iterator[tuple[int, int]]:
    known = sides.value
    for (first, second), by_title in part:
        if _are_versions(known[first], known[second], by_title, threshold):
            yield first, second


#: Articles per block in the exact check (each task holds two blocks' signatures).
BLOCK_ARTICLES = 20_000

#: A block of articles: each one's signature and sketches, by position.
Block = dict[int, Side]
#: Candidates (first, second, found by title) whose ends lie in two given blocks.
Candidates = list[tuple[int, int, bool]]


def _checked_in_blocks(
    candidates: RDD[tuple[tuple[int, int], bool]],
    sides: RDD[tuple[int, Side]],
    blocks: int,
    threshold: float,
) -> list[tuple[int, int]]:
    """The candidates that are versions of one story (sorted). The articles are cut into blocks,
    and the candidates between two blocks are decided together beside both blocks, so an
    article's signature travels once per block pair rather than once per candidate."""
    tasks = blocks * (blocks + 1) // 2
    by_block = sides.map(functools.partial(_into_block, blocks=blocks)).groupByKey(blocks)
    members = by_block.mapValues(dict).persist()
    grouped = candidates.map(functools.partial(_into_block_pair, blocks=blocks)).groupByKey(tasks)
    try:
        return sorted(
            grouped.map(_keyed_by_first_block)
            .join(members, tasks)
            .map(_keyed_by_second_block)
            .join(members, tasks)
            .flatMap(functools.partial(_versions_in, threshold=threshold))
            .collect()
        )
    finally:
        members.unpersist()


def _into_block(side: tuple[int, Side], blocks: int) -> tuple[int, tuple[int, Side]]:
    return side[0] % blocks, side


def _into_block_pair(
    candidate: tuple[tuple[int, int], bool], blocks: int
) -> tuple[tuple[int, int], tuple[int, int, bool]]:
    (first, second), by_title = candidate
    one, other = first % blocks, second % blocks
    return (min(one, other), max(one, other)), (first, second, by_title)


def _keyed_by_first_block(
    group: tuple[tuple[int, int], Iterable[tuple[int, int, bool]]],
) -> tuple[int, tuple[int, Candidates]]:
    (first, second), found = group
    return first, (second, list(found))


def _keyed_by_second_block(
    joined: tuple[int, tuple[tuple[int, Candidates], Block]],
) -> tuple[int, tuple[Candidates, Block]]:
    _, ((second, found), first_block) = joined
    return second, (found, first_block)


def _versions_in(
    joined: tuple[int, tuple[tuple[Candidates, Block], Block]], threshold: float
) -> Iterator[tuple[int, int]]:
    _, ((found, first_block), second_block) = joined
    sides = {**first_block, **second_block}
    for first, second, by_title in found:
        if _are_versions(sides[first], sides[second], by_title, threshold):
            yield first, second


def _are_versions(first: Side, second: Side, by_title: bool, threshold: float) -> bool:
    """Whether a candidate is kept (a same-title pair, or MinHash estimates above a
    floor, as `candidate_pairs` keeps them) and decided to be two versions of a story
    (as `PairJudge.judge` decides it)."""
    (first_signature, first_rows), (second_signature, second_rows) = first, second
    if not by_title:
        body_estimate = float((first_rows[0] == second_rows[0]).mean())
        lede_estimate = float((first_rows[1] == second_rows[1]).mean())
        if body_estimate < BODY_ESTIMATE_FLOOR and lede_estimate < LEDE_ESTIMATE_FLOOR:
            return False
    return decide(first_signature, second_signature, threshold, full=False).same_story
