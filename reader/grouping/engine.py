"""The grouping engine: from articles' signatures to clusters of versions, in bounded memory.

Steps, each one chunk or one band at a time:
1. frequent shingles, counted on a sample of the articles (`candidates.in_sample`);
2. band keys of each article's body and lede sketches, a chunk of articles per task
   (worker processes), written band by band to a scratch folder when one is given;
3. candidate pairs, one band at a time, less those whose sketches agree too little
   (`candidates.CandidateScreen`: in a large corpus most pairs the bands propose are
   unrelated articles, more of them than articles), plus articles under one title;
4. each candidate decided exactly (`decide`), a block of pairs per task: after a cheap
   screen, as most candidates in a large corpus are issues of one series;
5. the articles linked by a version pair or a shared story key (metadata) fall into
   connected components, each clustered apart (`clustering.cluster`), several per task.
Signatures are fetched through a `SignatureSource`: the articles in memory, or the index,
which worker processes read themselves, so no process holds every signature.
"""

from __future__ import annotations

import contextlib
import gc
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import numpy as np

from reader.grouping.block import KIND_CODES, BlockSignatures, LoadedBlock
from reader.grouping.candidates import (
    KEYS_PER_ARTICLE,
    NUM_PERM,
    SKETCHED,
    CandidateScreen,
    article_sketches,
    bucket_pairs,
    chain_codes,
    frequent_shingles,
    in_sample,
    pair_codes,
    pairs_of_codes,
    same_title_groups,
)
from reader.grouping.cleaning import PageKind
from reader.grouping.clustering import Clustered, Component, cluster_all
from reader.grouping.decide import (
    DATES_RULE,
    RELATED_FLOOR,
    Relation,
    dates_apart,
    judge,
    version_floor,
)
from reader.grouping.links import (
    ClusterLink,
    Joined,
    PairLink,
    PairLinkArrays,
    PairLinks,
    cluster_links,
)
from reader.grouping.signature import (
    MIN_SHINGLES_FOR_CONTAINMENT,
    Signature,
    distinct,
    shared_counts,
)

#: `map`, or a process pool's `map`: how independent chunks of work are run.
ParallelMap = Callable[..., Iterable[Any]]

#: Articles sketched per task.
SKETCH_CHUNK = 2000
#: Candidate pairs decided per task. Larger blocks load fewer signatures a pair at 100,000
#: articles (0.63 a pair in blocks of 20,000, 0.46 in blocks of 60,000), but blocks of
#: 50,000 did not make a million articles any faster (922 s against 921 s cold) and took
#: each worker from 155 to 285 MiB.
DECIDE_CHUNK = 20_000
#: Articles clustered per task (whole components; a bigger one is a task of its own).
CLUSTER_CHUNK = 4000


class SignatureSource(Protocol):
    """Where the engine fetches articles' signatures from, by id."""

    def load(self, ids: Sequence[int]) -> dict[int, Signature]:
        """The signatures of these articles."""
        ...

    def block(self, ids: Sequence[int]) -> BlockSignatures:
        """The signatures of these articles, as deciding a block of pairs reads them."""
        ...

    def for_worker(self, ids: Sequence[int]) -> SignatureSource | None:
        """What a worker process needs to load these ids itself (small to send), or None
        when the source cannot be shared (work on it stays in this process)."""
        ...


@dataclass(frozen=True, slots=True)
class MemorySignatures:
    """Signatures held in memory (a corpus grouped without an index file)."""

    by_id: Mapping[int, Signature]

    def load(self, ids: Sequence[int]) -> dict[int, Signature]:
        return {id_: self.by_id[id_] for id_ in ids}

    def block(self, ids: Sequence[int]) -> BlockSignatures:
        return LoadedBlock(self.load(ids))

    def for_worker(self, ids: Sequence[int]) -> SignatureSource | None:
        return None  # sending every signature to a worker costs more than deciding here


@dataclass(frozen=True, slots=True)
class Entry:
    """What the engine needs of an article besides its signature."""

    id: int
    article_id: str
    #: Its signature's shingle count (the most complete articles are clustered first).
    size: int
    #: Its folded title (`Signature.title`).
    title: str
    #: Its usable story key (metadata), if any.
    story_key: str | None


@dataclass(frozen=True, slots=True)
class EntryColumns:
    """What the engine keeps of the entries once it starts, as arrays: a million `Entry`
    objects take about 400 MB, these about 20."""

    #: Ids, in file-name order, and each article's shingle count.
    ids: np.ndarray
    sizes: np.ndarray
    #: Ids of the articles that count toward frequent shingles (`candidates.in_sample`).
    sample: list[int]
    #: Pairs (as `pair_codes`) chaining the articles under one title, in file order.
    title_chains: np.ndarray
    #: Ids sharing a usable story key (metadata), groups of two or more, in file order.
    metadata_groups: list[list[int]]

    @classmethod
    def of(cls, entries: Sequence[Entry]) -> EntryColumns:
        count = len(entries)
        keys: dict[str, list[int]] = {}
        for entry in entries:
            if entry.story_key is not None:
                keys.setdefault(entry.story_key, []).append(entry.id)
        return cls(
            np.fromiter((entry.id for entry in entries), dtype=np.int64, count=count),
            np.fromiter((entry.size for entry in entries), dtype=np.int64, count=count),
            [entry.id for entry in entries if in_sample(entry.article_id, count)],
            chain_codes(same_title_groups((entry.id, entry.title) for entry in entries)),
            [members for members in keys.values() if len(members) > 1],
        )

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(slots=True)
class EngineResult:
    """The clusters of ids (every article in one), for each cluster with a metadata
    conflict the ids whose text matches none of the others', and the links between
    clusters (series, related stories, digests holding an opening)."""

    clusters: list[list[int]]
    conflicts: dict[int, list[int]] = field(default_factory=dict)
    frequent: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint64))
    links: list[ClusterLink] = field(default_factory=list)


#: Called with each band (of `KEYS_PER_ARTICLE`): its number, the articles' ids and their
#: keys in that band (0: no key).
BandSink = Callable[[int, np.ndarray, np.ndarray], None]


def group_entries(
    entries: Sequence[Entry] | EntryColumns,
    source: SignatureSource,
    threshold: float,
    *,
    parallel_map: ParallelMap = map,
    pairs: np.ndarray | None = None,
    links: Sequence[PairLink] = (),
    scratch: Path | None = None,
    band_sink: BandSink | None = None,
) -> EngineResult:
    """Cluster the articles (`entries`, in file-name order; a large corpus's as
    `EntryColumns`) into stories, and link the stories that pairs of their articles link.

    Candidate pairs come from LSH unless given as a (k, 2) array of ids (the benchmark's
    all-pairs baseline gives every pair; Spark gives the versions it found, and with
    them the `links` it found). `scratch`: a folder where band keys are kept while
    candidates are found (else memory). `band_sink` receives every band's keys.
    """
    columns = entries if isinstance(entries, EntryColumns) else EntryColumns.of(entries)
    del entries
    frequent = np.empty(0, dtype=np.uint64)
    candidates = _PairSpill(scratch, columns.ids)
    try:
        candidates.add_sure(columns.title_chains)
        if pairs is None:
            frequent = frequent_of(columns, source)
            _lsh_candidates(
                columns.ids, source, frequent, parallel_map, scratch, band_sink, candidates
            )
        else:
            candidates.add(pair_codes(pairs[:, 0], pairs[:, 1]))
        versions, linked = _decide_all(candidates, source, threshold, parallel_map)
    finally:
        candidates.close()
    components = _components(columns, versions, columns.metadata_groups)
    del versions  # each component holds its own
    clustered = _cluster_components(components, source, threshold, parallel_map)
    result = EngineResult([], {}, frequent)
    in_component = np.zeros(len(columns), dtype=bool)
    order = np.argsort(columns.ids, kind="stable")
    for component, found in zip(components, clustered, strict=True):
        places = order[np.searchsorted(columns.ids, component.ids, sorter=order)]
        in_component[places] = True
        story_of_id = {
            member: number for number, members in enumerate(found.stories) for member in members
        }
        start = len(result.clusters)
        result.clusters.extend(found.stories)
        for unrelated in found.conflicts:
            result.conflicts.setdefault(start + story_of_id[unrelated[0]], []).extend(unrelated)
    del components, clustered
    result.clusters.extend([id_] for id_ in columns.ids[~in_component].tolist())
    linked.extend(links)
    result.links = cluster_links(result.clusters, linked)
    return result


def frequent_of(entries: Sequence[Entry] | EntryColumns, source: SignatureSource) -> np.ndarray:
    """Frequent shingles of the articles, counted on the sample (`candidates.in_sample`)."""
    if isinstance(entries, EntryColumns):
        sample = entries.sample
    else:
        sample = [entry.id for entry in entries if in_sample(entry.article_id, len(entries))]
    signatures: list[Signature] = []
    for chunk in _chunks(sample, SKETCH_CHUNK):
        signatures.extend(source.load(chunk).values())
    return frequent_shingles(signatures, len(entries))


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a task loads thousands of signatures (which
    hold no cycles): otherwise it walks them again and again as they are made, which took
    half the time of loading them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def band_keys_task(
    work: tuple[SignatureSource, Sequence[int], np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """Band keys and screen rows of a chunk of articles (run in a worker)."""
    source, ids, frequent = work
    with _without_cycle_collection():
        found = source.load(ids)
        return article_sketches([found[id_] for id_ in ids], frequent)


class _BandColumns:
    """Band keys of every article, kept band by band: in memory, or in one file per band
    in a scratch folder (8 bytes per article each), so the whole matrix is never held."""

    def __init__(self, scratch: Path | None) -> None:
        self._folder = (
            tempfile.TemporaryDirectory(prefix="newsreader-bands-", dir=scratch)
            if scratch is not None
            else None
        )
        self._parts: list[list[np.ndarray]] = [[] for _ in range(KEYS_PER_ARTICLE)]

    def add(self, keys: np.ndarray) -> None:
        for band in range(KEYS_PER_ARTICLE):
            column = keys[:, band]
            if self._folder is None:
                self._parts[band].append(np.ascontiguousarray(column))
            else:
                with open(self.path(band), "ab") as out:
                    out.write(column.tobytes())

    @property
    def folder(self) -> Path | None:
        """The scratch folder the bands are kept in (None: in memory)."""
        return None if self._folder is None else Path(self._folder.name)

    def column(self, band: int) -> np.ndarray:
        if self._folder is None:
            parts = self._parts[band]
            self._parts[band] = []
            return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)
        path = self.path(band)
        return np.fromfile(path, dtype=np.uint64) if path.exists() else np.empty(0, np.uint64)

    def path(self, band: int) -> Path:
        """The file of one band's keys (bands kept in a scratch folder)."""
        assert self._folder is not None
        return Path(self._folder.name) / f"band-{band}"

    def close(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()


class _PairSpill:
    """Candidate pairs, kept in parts by the smaller id of each pair (in memory, or one file
    per part in a scratch folder): a pair is proposed by many bands, and a million
    articles propose more than a billion bytes of pairs before the repeats are dropped, so
    each part is made distinct, screened (`screen`) and decided in turn. Pairs added as
    `sure` (articles under one title) are never screened."""

    def __init__(self, scratch: Path | None, ids: np.ndarray) -> None:
        self.parts = max(1, len(ids) // ARTICLES_PER_PAIR_PART) if scratch is not None else 1
        self._bounds = _part_bounds(ids, self.parts)
        self._folder = (
            tempfile.TemporaryDirectory(prefix="newsreader-pairs-", dir=scratch)
            if self.parts > 1
            else None
        )
        self._held: list[np.ndarray] = []
        self._sure = np.empty(0, dtype=np.int64)
        #: Keeps the pairs worth deciding of a part's distinct pairs (None: all).
        self.screen: Callable[[np.ndarray], np.ndarray] | None = None
        #: Distinct candidates (screened), counted as the parts are read.
        self.count = 0

    def add_sure(self, codes: np.ndarray) -> None:
        self._sure = distinct(np.concatenate([self._sure, codes]))

    def add(self, codes: np.ndarray) -> None:
        if self._folder is None:
            self._held.append(codes)
            if len(self._held) >= 8:  # merge as it goes: repeats across bands are many
                self._held = [distinct(np.concatenate(self._held))]
            return
        part_of = self._part_of(codes)
        for part in range(self.parts):
            with open(Path(self._folder.name) / f"pairs-{part}", "ab") as out:
                out.write(codes[part_of == part].tobytes())

    def _part_of(self, codes: np.ndarray) -> np.ndarray:
        return np.asarray(np.searchsorted(self._bounds, codes >> np.int64(32), side="right"))

    def distinct_parts(self) -> Iterator[np.ndarray]:
        """Each part's distinct pairs (as `pair_codes`), screened, one part at a time."""
        sure_part = self._part_of(self._sure)
        for part in range(self.parts):
            codes = self._distinct_part(part)
            if self.screen is not None:
                codes = self.screen(codes)
            codes = distinct(np.concatenate([codes, self._sure[sure_part == part]]))
            self.count += len(codes)
            if len(codes):
                yield codes

    def _distinct_part(self, part: int) -> np.ndarray:
        if self._folder is None:
            held, self._held = self._held, []
            return distinct(np.concatenate(held)) if held else np.empty(0, dtype=np.int64)
        path = Path(self._folder.name) / f"pairs-{part}"
        if not path.exists():
            return np.empty(0, dtype=np.int64)
        codes = distinct(np.fromfile(path, dtype=np.int64))
        path.unlink()
        return codes

    def close(self) -> None:
        self.screen = None  # its rows (192 bytes an article) are not needed past deciding
        self._held, self._sure = [], self._sure[:0]
        if self._folder is not None:
            self._folder.cleanup()


#: Articles per part of the candidate pairs (a million articles: 20 parts).
ARTICLES_PER_PAIR_PART = 50_000


def _part_bounds(ids: np.ndarray, parts: int) -> np.ndarray:
    """The smallest id of each part but the first: parts are ranges of a pair's smaller
    id, so that the parts, each in order, give the pairs in order of their ids (links are
    kept as a series forest as they come, `PairLinkArrays`). The smaller id of a chance pair
    is more often a low one (its share falls off linearly with the rank), so the ranges
    widen with it, for parts of about one size."""
    if parts <= 1 or not len(ids):
        return np.empty(0, dtype=np.int64)
    ordered = np.sort(ids)
    shares = 1 - np.sqrt(1 - np.arange(1, parts) / parts)
    return np.asarray(ordered[(shares * len(ordered)).astype(np.int64)])


def _lsh_candidates(
    ids: np.ndarray,
    source: SignatureSource,
    frequent: np.ndarray,
    parallel_map: ParallelMap,
    scratch: Path | None,
    band_sink: BandSink | None,
    candidates: _PairSpill,
) -> None:
    columns = _BandColumns(scratch)
    try:
        chunks = [ids[start : start + SKETCH_CHUNK] for start in range(0, len(ids), SKETCH_CHUNK)]
        # sketching is worth sending signatures to workers for, if they cannot load them
        work = [
            (_portable(source, chunk.tolist(), parallel_map), chunk.tolist(), frequent)
            for chunk in chunks
        ]
        # the screen rows of every article (192 bytes each) stay in memory until the
        # candidates are decided: most pairs the bands propose are dropped by them
        rows = np.zeros((len(ids), len(SKETCHED) * NUM_PERM), dtype=np.uint8)
        done = 0
        for keys, screen in parallel_map(band_keys_task, work):
            columns.add(keys)
            rows[done : done + len(screen)] = screen
            done += len(screen)
        candidates.screen = CandidateScreen(ids, rows).kept
        for band, (column, codes) in enumerate(_band_pairs(columns, ids, parallel_map)):
            if band_sink is not None:
                band_sink(band, ids, columns.column(band) if column is None else column)
            candidates.add(codes)
    finally:
        columns.close()


def _band_pairs(
    columns: _BandColumns, ids: np.ndarray, parallel_map: ParallelMap
) -> Iterator[tuple[np.ndarray | None, np.ndarray]]:
    """Each band's keys (None: left in their file) and candidate pairs (`bucket_pairs`), in
    band order: the pairs found by the workers when the bands are kept in files they can
    read (a sort of every article's keys per band: a minute of one process at a million
    articles), else here."""
    folder = columns.folder
    if folder is None or parallel_map is map:
        for band in range(KEYS_PER_ARTICLE):
            column = columns.column(band)
            yield column, bucket_pairs(column, ids)
        return
    ids_file = folder / "ids.npy"
    np.save(ids_file, ids)
    work = [(str(columns.path(band)), str(ids_file)) for band in range(KEYS_PER_ARTICLE)]
    for codes in parallel_map(band_pairs_task, work):
        yield None, codes


def band_pairs_task(work: tuple[str, str]) -> np.ndarray:
    """The candidate pairs of one band, its keys read from a file (run in a worker)."""
    column_file, ids_file = work
    column = np.fromfile(column_file, dtype=np.uint64) if Path(column_file).exists() else None
    ids = np.load(ids_file)
    if column is None:
        return np.empty(0, dtype=np.int64)
    return bucket_pairs(column, ids)


def _portable(
    source: SignatureSource, ids: Sequence[int], parallel_map: ParallelMap
) -> SignatureSource:
    """What to send with a task on these ids."""
    if parallel_map is map:
        return source
    shared = source.for_worker(ids)
    return shared if shared is not None else MemorySignatures(source.load(ids))


def _runner(source: SignatureSource, parallel_map: ParallelMap) -> ParallelMap:
    """Workers for a step that reads signatures, when they can load them themselves."""
    return parallel_map if source.for_worker([]) is not None else map


class Decided(NamedTuple):
    """What deciding a block of candidate pairs gives: the versions, as rows (i, j, score),
    and the pairs linked but never versions (issues of one series, related stories, a
    digest holding a story's opening)."""

    versions: np.ndarray
    links: list[PairLink]


def decide_task(
    work: tuple[SignatureSource, np.ndarray, float],
) -> Decided:
    """Of a block of candidate pairs, those that are versions and those that are linked.

    Most pairs are settled by arrays before any rule is weighed (`_PairMeasures`): two
    stories sharing less text than any rule of versions accepts (`version_floor`), or any
    two pages sharing too little to be related (`RELATED_FLOOR`; live blogs aside, whose
    snapshots under one title are versions whatever they share), are neither versions nor
    worth a link (decide may call some of them related; `newsreader why` says so). So are
    pairs that cannot be versions (`cannot_be_versions`: issues of one series) once
    earlier series pairs joined their articles. The rest are judged, their articles'
    whole signatures made only then (`BlockSignatures`); of the series pairs, those that
    join articles not yet joined are kept (a spanning forest, see `links`).
    """
    source, pairs, threshold = work
    with _without_cycle_collection():
        return _decided_among(source.block(distinct(pairs.ravel()).tolist()), pairs, threshold)


def _decided_among(block: BlockSignatures, pairs: np.ndarray, threshold: float) -> Decided:
    found: list[tuple[int, int, float]] = []
    links = PairLinks(threshold)
    # in order of the pairs, so the series pairs kept are a forest whatever the blocks
    # (`links`); pairs that cannot be versions are not decided once their articles are
    # joined in a series
    series = Joined()
    floor = version_floor(threshold)
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    measured = _PairMeasures(block, pairs)
    # apart pairs sharing less than the floor are never versions, and too little shared to
    # be worth a link
    kept = np.flatnonzero(
        np.where(measured.apart, measured.scores >= floor, ~measured.settled(floor))
    )
    for i, j, first, second, shared, score, apart in zip(
        pairs[kept, 0].tolist(),
        pairs[kept, 1].tolist(),
        measured.first[kept].tolist(),
        measured.second[kept].tolist(),
        measured.shared[kept].tolist(),
        measured.scores[kept].tolist(),
        measured.apart[kept].tolist(),
        strict=True,
    ):
        if apart:  # two stories: issues of one series, or unrelated
            if series.same(i, j):
                continue
            if score >= threshold:  # what decide's rules say, without their measures
                series.join(i, j)
                links.add_link(i, j, Relation.SERIES, DATES_RULE)
                continue
        verdict = judge(block.signature(first), block.signature(second), threshold, shared)
        if verdict.same_story:
            found.append((i, j, max(verdict.score, threshold)))
        elif verdict.relation is not Relation.SERIES or series.join(i, j):
            links.add(i, j, verdict)
    return Decided(np.asarray(found, dtype=np.float64).reshape(-1, 3), links.found)


class _PairMeasures:
    """What arrays tell of a block of pairs (sorted by their first id) before any rule is
    weighed: where the two articles are in the block, which pairs cannot be versions
    (`cannot_be_versions`: issues of one series, or unrelated), and of every pair the
    shingles the two share (counted for all of an article's partners at once: counted a
    pair at a time, the pairs that cannot be versions took a tenth of deciding) and their
    score (the larger of Jaccard and containment, as `decide.overlap_of_counts` gives
    them)."""

    def __init__(self, block: BlockSignatures, pairs: np.ndarray) -> None:
        self.first = block.positions(pairs[:, 0])
        self.second = block.positions(pairs[:, 1])
        first, second = self.first, self.second
        kinds_a, kinds_b = block.kinds[first], block.kinds[second]
        self.both_stories = (kinds_a == _STORY) & (kinds_b == _STORY)
        self.both_live = (kinds_a == _LIVE_BLOG) & (kinds_b == _LIVE_BLOG)
        self.apart = np.zeros(len(pairs), dtype=bool)
        maybe = np.flatnonzero(self.both_stories & block.dated[first] & block.dated[second])
        self.apart[maybe] = [
            dates_apart(block.dates(one), block.dates(other))
            for one, other in zip(first[maybe].tolist(), second[maybe].tolist(), strict=True)
        ]
        self.shared = np.zeros(len(pairs), dtype=np.int64)
        bounds = (np.flatnonzero(np.diff(first)) + 1).tolist()
        partners = second.tolist()
        for start, stop in zip([0, *bounds], [*bounds, len(pairs)], strict=True):
            if stop > start:
                self.shared[start:stop] = shared_counts(
                    block.shingles[int(first[start])],
                    [block.shingles[other] for other in partners[start:stop]],
                    block.sizes[second[start:stop]],
                )
        size_a, size_b = block.sizes[first], block.sizes[second]
        union = size_a + size_b - self.shared
        jaccard = np.divide(
            self.shared, union, out=np.zeros(len(pairs)), where=union > 0, dtype=np.float64
        )
        smaller = np.minimum(size_a, size_b)
        containment = np.divide(
            self.shared,
            smaller,
            out=np.zeros(len(pairs)),
            where=smaller >= MIN_SHINGLES_FOR_CONTAINMENT,
            dtype=np.float64,
        )
        self.scores = np.maximum(jaccard, containment)

    def settled(self, floor: float) -> np.ndarray:
        """The pairs (not apart) that are neither versions nor linked, whatever their leads:
        stories sharing less than `floor`, and pages of other kinds sharing too little to
        be related (but two live blogs: snapshots under one title are versions)."""
        settled: np.ndarray = (self.both_stories & (self.scores < floor)) | (
            ~self.both_live & (self.scores < RELATED_FLOOR)
        )
        return settled


_STORY = KIND_CODES[PageKind.STORY]
_LIVE_BLOG = KIND_CODES[PageKind.LIVE_BLOG]


def _decide_all(
    candidates: _PairSpill, source: SignatureSource, threshold: float, parallel_map: ParallelMap
) -> tuple[np.ndarray, PairLinkArrays]:
    """The candidates that are versions, as rows (i, j, score), and those that are linked,
    a part at a time."""
    run = _runner(source, parallel_map)

    def blocks() -> Iterator[np.ndarray]:
        for codes in candidates.distinct_parts():
            pairs = pairs_of_codes(codes)
            for start in range(0, len(pairs), DECIDE_CHUNK):
                yield pairs[start : start + DECIDE_CHUNK]

    work = ((_portable(source, distinct(b.ravel()).tolist(), run), b, threshold) for b in blocks())
    versions: list[np.ndarray] = []
    links = PairLinkArrays()  # millions of pairs at a million articles: held as arrays
    for decided in run(decide_task, work):  # in order of the pairs' ids
        versions.append(decided.versions)
        links.extend(decided.links, in_order=True)
    return (np.concatenate(versions) if versions else np.empty((0, 3))), links


def _components(
    columns: EntryColumns, versions: np.ndarray, metadata_groups: list[list[int]]
) -> list[Component]:
    """Components of two or more articles, each with its ids in clustering order (most
    complete first, then file-name order), in the order of their first ids; worked out
    with arrays, as a million articles made a million tuples to sort."""
    # imported here: scipy takes most of a second to load, which opening the app
    # (that never groups a corpus in full when its index is up to date) should not pay
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    count = len(columns)
    ids, sizes = columns.ids, columns.sizes
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]

    def positions(values: np.ndarray) -> np.ndarray:
        return np.asarray(order[np.searchsorted(sorted_ids, values)])

    pairs = np.concatenate(
        [versions[:, :2].astype(np.int64), pairs_of_codes(chain_codes(metadata_groups))]
    )
    first, second = positions(pairs[:, 0]), positions(pairs[:, 1])
    graph = coo_matrix((np.ones(len(first), dtype=np.int8), (first, second)), shape=(count, count))
    _, label = connected_components(graph, directed=False)
    ranked = np.lexsort((np.arange(count), -sizes))  # most complete first, then file order
    ranked = ranked[np.bincount(label, minlength=1)[label[ranked]] > 1]
    grouped = ranked[np.argsort(label[ranked], kind="stable")]  # by component, rank kept
    if not len(grouped):
        return []
    starts = np.flatnonzero(np.r_[True, label[grouped][1:] != label[grouped][:-1]])
    members = np.split(ids[grouped], starts[1:])
    # components in the order of their first ids; each component's number by its label
    shown = sorted(range(len(members)), key=lambda number: int(members[number][0]))
    number_of_label = np.full(int(label.max()) + 1, -1, dtype=np.int64)
    number_of_label[label[grouped[starts]]] = np.argsort(shown)
    components = [Component(members[number].tolist(), []) for number in shown]
    if len(versions):
        owner = number_of_label[label[positions(versions[:, 0].astype(np.int64))]]
        for number, i, j, score in zip(
            owner.tolist(),
            versions[:, 0].astype(np.int64).tolist(),
            versions[:, 1].astype(np.int64).tolist(),
            versions[:, 2].tolist(),
            strict=True,
        ):
            components[number].versions.append((i, j, score))
    for group in metadata_groups:
        owner_of_group = number_of_label[label[positions(np.asarray(group[:1], np.int64))]]
        components[int(owner_of_group[0])].metadata_groups.append(group)
    return components


def cluster_task(
    work: tuple[SignatureSource, list[Component], float],
) -> list[Clustered]:
    """Cluster a few components, loading their signatures (run in a worker)."""
    source, components, threshold = work
    with _without_cycle_collection():
        signatures = source.load([id_ for component in components for id_ in component.ids])
        return cluster_all([(component, signatures) for component in components], threshold)


def _cluster_components(
    components: list[Component],
    source: SignatureSource,
    threshold: float,
    parallel_map: ParallelMap,
) -> list[Clustered]:
    run = _runner(source, parallel_map)
    tasks: list[list[Component]] = [[]]
    size = 0
    for component in components:
        if size + len(component.ids) > CLUSTER_CHUNK and tasks[-1]:
            tasks.append([])
            size = 0
        tasks[-1].append(component)
        size += len(component.ids)
    work = (
        (_portable(source, [id_ for c in task for id_ in c.ids], run), task, threshold)
        for task in tasks
        if task
    )
    return [found for part in run(cluster_task, work) for found in part]
