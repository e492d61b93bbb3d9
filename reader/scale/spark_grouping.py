"""The grouping job's distributed part, as Spark RDDs, built from the very functions the
in-process engine (`reader.grouping.engine`) uses, so that it proposes and decides the same
pairs.

Reading: each partition of files is read, parsed and signed by `ingest_for_index`.
Grouping, given every article's signature and its place in file-name order:

1. frequent shingles: counted on the driver, on the sample the in-process engine uses
   (`engine.frequent_of`);
2. band keys and screen rows: `article_sketches` per partition (each row depends on its
   own article);
3. candidates: the keys exploded to (band, key) -> article entries, partitioned by bucket,
   each bucket giving its pairs by `candidates.bucket_pairs`' rule (every pair of a small
   bucket, each article with its next few in file order in a big one), those the screen
   drops left out (`candidates.CandidateScreen`, its rows broadcast: 192 bytes an
   article); articles under one title added (`same_title_groups`);
4. the exact check, on the executors, by `engine.decide_task`: every executor is sent all
   the signatures (a broadcast) up to BROADCAST_ARTICLES, else the articles are cut into
   blocks and the candidates between two blocks decided beside both, so that a signature
   is shipped once per pair of blocks, never once per candidate.

The driver then clusters the pairs found to be versions with `engine.group_entries`.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from reader.grouping.candidates import (
    ALL_PAIRS_BUCKET,
    BIG_BUCKET_NEIGHBOURS,
    KEYS_PER_ARTICLE,
    NUM_PERM,
    SKETCHED,
    CandidateScreen,
    article_sketches,
    chain_codes,
    pair_codes,
    pairs_of_codes,
    same_title_groups,
)
from reader.grouping.engine import SKETCH_CHUNK, Decided, Entry, MemorySignatures, decide_task
from reader.grouping.links import PairLink
from reader.grouping.signature import Signature
from reader.ingest.corpus import CorpusFile
from reader.ingest.workers import CHUNK_FILES
from reader.store.library import FileRead, SkippedRead, ingest_for_index

if TYPE_CHECKING:
    from pyspark import RDD, Broadcast
    from pyspark.sql import SparkSession

#: An article as the job sees it: its place in file-name order, its id, its signature.
Placed = tuple[int, int, Signature]


@dataclass(frozen=True, slots=True)
class DecidedPairs:
    """What the Spark job found: each article's band keys (rows in the order of the
    entries), the candidate pairs it checked, those that are versions (rows of id, id,
    score), and those that are linked (series cut to a spanning forest in each task, as
    the in-process engine does)."""

    keys: np.ndarray
    candidates: int
    versions: np.ndarray
    links: list[PairLink]


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


#: Up to this many articles, every executor is sent all signatures at once and decides
#: its share of the candidates where they are; past it, in blocks (`_checked_in_blocks`).
BROADCAST_ARTICLES = 100_000
#: Articles per block in the exact check (each task holds two blocks' signatures).
BLOCK_ARTICLES = 20_000


def decided_pairs(
    spark: SparkSession,
    entries: Sequence[Entry],
    signatures: dict[int, Signature],
    frequent: np.ndarray,
    threshold: float,
    *,
    broadcast_limit: int = BROADCAST_ARTICLES,
    blocks: int | None = None,
) -> DecidedPairs:
    """Band the articles (`entries`, in file-name order), find the candidate pairs and
    decide them, on Spark (past `broadcast_limit` articles, in `blocks` blocks; None: one
    per BLOCK_ARTICLES, and at least one per core)."""
    context = spark.sparkContext
    count = len(entries)
    slices = _partitions(spark, count, SKETCH_CHUNK)
    placed = [(place, entry.id, signatures[entry.id]) for place, entry in enumerate(entries)]
    shared = context.broadcast(frequent)
    keyed = (
        context.parallelize(placed, slices)
        .mapPartitions(functools.partial(_keyed_partition, frequent=shared))
        .persist()
    )
    try:
        keys = np.zeros((count, KEYS_PER_ARTICLE), dtype=np.uint64)
        screen_rows = np.zeros((count, len(SKETCHED) * NUM_PERM), dtype=np.uint8)
        for place, row, screen_row in keyed.collect():
            keys[place], screen_rows[place] = row, screen_row
        ids = np.asarray([entry.id for entry in entries], dtype=np.int64)
        screen = context.broadcast(CandidateScreen(ids, screen_rows))
        # a bucket's entries meet in one partition, where its pairs are made
        proposed = (
            keyed.mapPartitions(_band_entries)
            .partitionBy(slices)
            .mapPartitions(functools.partial(_bucket_pairs, ids=context.broadcast(ids)))
            .distinct(slices)
            .mapPartitions(functools.partial(_screened, screen=screen))
        )
        titles = chain_codes(same_title_groups((entry.id, entry.title) for entry in entries))
        titled = context.parallelize([tuple(pair) for pair in pairs_of_codes(titles).tolist()], 1)
        candidates = proposed.union(titled).distinct(slices).persist()
        found = candidates.count()
        if count <= broadcast_limit:
            versions, links = _checked_where_they_are(candidates, signatures, threshold)
        else:
            cut = blocks or _partitions(spark, count, BLOCK_ARTICLES)
            versions, links = _checked_in_blocks(
                candidates, context.parallelize(placed, slices), cut, threshold
            )
        candidates.unpersist()
    finally:
        keyed.unpersist()
        shared.destroy()
    return DecidedPairs(keys, found, versions, links)


def _keyed_partition(
    part: Iterable[Placed], frequent: Broadcast[np.ndarray]
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Each article's place, band keys and screen row."""
    items = list(part)
    if not items:
        return iter(())
    keys, screen = article_sketches([sig for _, _, sig in items], frequent.value)
    return ((place, keys[n], screen[n]) for n, (place, _, _) in enumerate(items))


def _band_entries(
    part: Iterable[tuple[int, np.ndarray, np.ndarray]],
) -> Iterator[tuple[int, int]]:
    """(bucket, place) for each band key an article has (0: none); the bucket is the key
    with the band's number above its 64 bits."""
    for place, row, _ in part:
        for band, key in enumerate(row.tolist()):
            if key:
                yield band << 64 | key, place


def _bucket_pairs(
    entries: Iterable[tuple[int, int]], ids: Broadcast[np.ndarray]
) -> Iterator[tuple[int, int]]:
    """The pairs of the buckets whose entries are in this partition, by the rule of
    `candidates.bucket_pairs`: members in file-name order, every pair of a bucket of up to
    ALL_PAIRS_BUCKET, else each member with its next BIG_BUCKET_NEIGHBOURS."""
    by_id = ids.value
    buckets: dict[int, list[int]] = defaultdict(list)
    for bucket, place in entries:
        buckets[bucket].append(place)
    for members in buckets.values():
        if len(members) < 2:
            continue
        members.sort()
        reach = len(members) if len(members) <= ALL_PAIRS_BUCKET else BIG_BUCKET_NEIGHBOURS
        for position, place in enumerate(members):
            for other in members[position + 1 : position + 1 + reach]:
                first, second = int(by_id[place]), int(by_id[other])
                yield min(first, second), max(first, second)


def _screened(
    pairs: Iterable[tuple[int, int]], screen: Broadcast[CandidateScreen]
) -> Iterator[tuple[int, int]]:
    """The pairs the in-process engine's screen keeps (`candidates.CandidateScreen`)."""
    both = np.asarray(list(pairs), dtype=np.int64).reshape(-1, 2)
    if not len(both):
        return iter(())
    kept = pairs_of_codes(screen.value.kept(pair_codes(both[:, 0], both[:, 1])))
    return ((int(first), int(second)) for first, second in kept.tolist())


def _decided(
    pairs: list[tuple[int, int]], known: dict[int, Signature], threshold: float
) -> Decided:
    if not pairs:
        return Decided(np.empty((0, 3)), [])
    return decide_task((MemorySignatures(known), np.asarray(pairs, dtype=np.int64), threshold))


def _checked_where_they_are(
    candidates: RDD[tuple[int, int]], signatures: dict[int, Signature], threshold: float
) -> Decided:
    """The candidates that are versions of one story and those linked, decided in the
    partitions they are in, beside every article's signature (sent to each executor once,
    as a broadcast)."""
    everything = candidates.context.broadcast(signatures)
    try:
        decide_here = functools.partial(_versions_among, known=everything, threshold=threshold)
        return _rows(candidates.mapPartitions(decide_here).collect())
    finally:
        everything.destroy()


def _versions_among(
    part: Iterable[tuple[int, int]], known: Broadcast[dict[int, Signature]], threshold: float
) -> Iterator[Decided]:
    return iter([_decided(list(part), known.value, threshold)])


def _rows(found: list[Decided]) -> Decided:
    """The versions of every task (sorted rows) and their links."""
    rows = sorted(tuple(row) for decided in found for row in decided.versions.tolist())
    links = [link for decided in found for link in decided.links]
    return Decided(np.asarray(rows, dtype=np.float64).reshape(-1, 3), links)


#: A block of articles: each one's signature, by id.
Block = dict[int, Signature]


def _checked_in_blocks(
    candidates: RDD[tuple[int, int]], placed: RDD[Placed], blocks: int, threshold: float
) -> Decided:
    """The candidates that are versions of one story, and those linked. The articles are
    cut into blocks, and the candidates between two blocks are decided together beside
    both blocks, so an article's signature travels once per block pair rather than once
    per candidate."""
    tasks = blocks * (blocks + 1) // 2
    by_block = placed.map(functools.partial(_into_block, blocks=blocks)).groupByKey(blocks)
    members = by_block.mapValues(dict).persist()
    grouped = candidates.map(functools.partial(_into_block_pair, blocks=blocks)).groupByKey(tasks)
    try:
        return _rows(
            grouped.map(_keyed_by_first_block)
            .join(members, tasks)
            .map(_keyed_by_second_block)
            .join(members, tasks)
            .map(functools.partial(_versions_in, threshold=threshold))
            .collect()
        )
    finally:
        members.unpersist()


def _into_block(item: Placed, blocks: int) -> tuple[int, tuple[int, Signature]]:
    _, id_, signature = item
    return id_ % blocks, (id_, signature)


def _into_block_pair(pair: tuple[int, int], blocks: int) -> tuple[tuple[int, int], tuple[int, int]]:
    one, other = pair[0] % blocks, pair[1] % blocks
    return (min(one, other), max(one, other)), pair


def _keyed_by_first_block(
    group: tuple[tuple[int, int], Iterable[tuple[int, int]]],
) -> tuple[int, tuple[int, list[tuple[int, int]]]]:
    (first, second), found = group
    return first, (second, list(found))


def _keyed_by_second_block(
    joined: tuple[int, tuple[tuple[int, list[tuple[int, int]]], Block]],
) -> tuple[int, tuple[list[tuple[int, int]], Block]]:
    _, ((second, found), first_block) = joined
    return second, (found, first_block)


def _versions_in(
    joined: tuple[int, tuple[tuple[list[tuple[int, int]], Block], Block]], threshold: float
) -> Decided:
    _, ((found, first_block), second_block) = joined
    return _decided(found, {**first_block, **second_block}, threshold)
