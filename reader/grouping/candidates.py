"""Candidate pairs: which articles might be versions of one story, found without comparing
every pair.

Each article's shingles, less the frequent ones, are sketched by MinHash (in bulk); the
sketch is cut into bands and two articles whose sketches agree in a whole band
are a candidate pair (LSH). Two sketches per article: its whole body, and its lead (a short
first take shares little of a long write-through as a whole, but its lead nearly all).
Everything here works one chunk of articles or one band at a time, so a corpus of any size
is handled in bounded memory: a band is 8 bytes per article.
"""

from __future__ import annotations

import itertools
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from reader.grouping.signature import Signature, distinct

#: MinHash permutations: more is more accurate and slower.
NUM_PERM = 64
#: LSH bands and rows per band: pairs above about 0.5 Jaccard are proposed almost surely,
#: unrelated pairs (0.02) about once in 6,000; short versions are found by their ledes.
LSH_BANDS = (21, 3)
#: Multi-probe by re-banding: the same sketch values are banded again in other column
#: orders, so a pair has more bands to agree in. Two arrangements of 21 bands of 3 rows
#: propose a pair at 0.4 Jaccard with 0.94 probability (0.75 with one) and an unrelated
#: pair (0.02) about once in 3,000; 2-row bands would propose that one once in 80.
LSH_ARRANGEMENTS = 3
_COLUMN_ORDERS = [
    np.arange(NUM_PERM),
    *(np.random.default_rng(seed).permutation(NUM_PERM) for seed in range(1, LSH_ARRANGEMENTS)),
]
#: Bands in all arrangements, of one sketch.
BAND_COUNT = LSH_BANDS[0] * LSH_ARRANGEMENTS
#: What is sketched of each article: its body, its lead, and its top (the first third: a
#: short first take is contained in the top of the write-through that follows, which its
#: body as a whole resembles too little to be proposed).
SKETCHED = ("body", "lede", "top")
#: Band keys of one article, of every sketch.
KEYS_PER_ARTICLE = BAND_COUNT * len(SKETCHED)
#: A bucket holding more articles than this (the shared wording of a long-running series,
#: boilerplate not quite frequent) proposes each article with its next few in file order,
#: not every pair: every pair of a bucket of 1,000 is half a million candidates.
ALL_PAIRS_BUCKET = 12
BIG_BUCKET_NEIGHBOURS = 4
#: A shingle found in more articles than max(count, articles // divisor) is frequent.
MIN_FREQUENT_SHINGLE_COUNT = 100
FREQUENT_SHINGLE_DIVISOR = 200
#: Frequent shingles are counted on a sample of about this many articles (all of a smaller
#: corpus): a shingle in one article of 200 is in about 100 of 20,000, so the sample finds
#: the frequent ones without holding every article's shingles at once.
FREQUENT_SAMPLE = 20_000

_PERMUTATION_SEED = 1
#: A pair of ids as one integer: the smaller id in the high 32 bits.
_PAIR_SHIFT = np.int64(32)


# --- frequent shingles -------------------------------------------------------------------


def frequent_limit(articles: int) -> int:
    """A shingle in more of `articles` than this is frequent."""
    return max(MIN_FREQUENT_SHINGLE_COUNT, articles // FREQUENT_SHINGLE_DIVISOR)


def sample_step(articles: int) -> int:
    """One article in this many is in the sample frequent shingles are counted on."""
    return max(1, -(-articles // FREQUENT_SAMPLE))


def in_sample(article_id: str, articles: int) -> bool:
    """Whether the article counts toward frequent shingles (by its id, so the sample does
    not depend on the order articles come in)."""
    step = sample_step(articles)
    return step == 1 or zlib.crc32(article_id.encode("utf-8", "surrogateescape")) % step == 0


def frequent_shingles(sample: Sequence[Signature], articles: int | None = None) -> np.ndarray:
    """Shingles found in more articles than the limit (sorted), counted on `sample` of a
    corpus of `articles` (all of it when None)."""
    total = len(sample) if articles is None else articles
    limit = frequent_limit(total) * len(sample) / max(total, 1)
    if len(sample) <= limit or not sample:
        return np.empty(0, dtype=np.uint64)
    values, counts = np.unique(np.concatenate([sig.shingles for sig in sample]), return_counts=True)
    return values[counts > limit]


def _members(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Which of `values` are in `sorted_set` (a sorted array), as a boolean mask."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    positions = np.searchsorted(sorted_set, values)
    positions[positions == len(sorted_set)] = 0
    return np.asarray(sorted_set[positions] == values)


def without_frequent(shingles: np.ndarray, frequent: np.ndarray) -> np.ndarray:
    """The shingles less the frequent ones.

    Phrases every story uses ("said on Thursday"), site boilerplate and the fixed wording
    of long-running template stories are frequent; left in, they make every pair of
    articles look a little alike and swamp LSH with candidates. A story's own phrases
    occur only in its versions, far fewer than the limit.
    """
    return shingles[~_members(shingles, frequent)] if len(frequent) else shingles


# --- sketches and bands ------------------------------------------------------------------


#: MinHash by multiply-add-shift hashing of 32-bit keys (see `_sketch_batch`):
#: the high 32 bits of (a * key + b) mod 2**64, one a and one b per permutation, fixed by
#: the seed so sketches agree across runs (no division: several times faster than hashing
#: modulo a prime, and as good for MinHash).
_PERMUTATIONS = np.random.RandomState(_PERMUTATION_SEED)
_A = _PERMUTATIONS.randint(0, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _PERMUTATIONS.randint(0, 2**63, size=NUM_PERM, dtype=np.uint64)
_SHIFT = np.uint64(32)
_LOW_BITS = np.uint64(0xFFFFFFFF)
#: Shingles hashed at once (a block of 64 hashes each: 4 MiB, kept in cache).
_BLOCK_VALUES = 8192


def sketch_rows(shingle_sets: Sequence[np.ndarray]) -> np.ndarray:
    """One row of MinHash values per set; an empty set's row is zeros.

    Computed in bulk: the shingles of many sets are hashed by every permutation at once
    and each set's minimum taken with one `reduceat`, where a sketch object per set (as
    datasketch makes) costs more in calls than in arithmetic.
    """
    rows = np.zeros((len(shingle_sets), NUM_PERM), dtype=np.uint64)
    batch: list[int] = []
    values = 0
    for index, shingles in enumerate(shingle_sets):
        if not len(shingles):
            continue
        if batch and values + len(shingles) > _BLOCK_VALUES:
            _sketch_batch(shingle_sets, batch, rows)
            batch, values = [], 0
        batch.append(index)
        values += len(shingles)
    if batch:
        _sketch_batch(shingle_sets, batch, rows)
    return rows


def _sketch_batch(shingle_sets: Sequence[np.ndarray], batch: list[int], rows: np.ndarray) -> None:
    parts = [shingle_sets[index] for index in batch]
    every = np.concatenate(parts)
    # the low 32 bits of a shingle hold its last word and part of the one before
    # (`signature._shingles`): sketches compare word pairs, a looser likeness than the
    # three-word shingles pairs are decided on, so a rewritten version is still proposed
    # (keeping all the bits lowers recall on rewrites by a tenth, measured)
    keys = every & _LOW_BITS
    hashed = _A[:, None] * keys  # wraps modulo 2**64
    hashed += _B[:, None]
    hashed >>= _SHIFT
    starts = np.cumsum([0, *(len(part) for part in parts[:-1])])
    rows[batch] = np.minimum.reduceat(hashed, starts, axis=1).T


def lsh_sketches(signatures: Sequence[Signature], frequent: np.ndarray) -> list[np.ndarray]:
    """Sketch rows of some articles, one matrix per `SKETCHED`, frequent shingles left out."""
    return [
        sketch_rows([without_frequent(sig.shingles, frequent) for sig in signatures]),
        sketch_rows([without_frequent(sig.lede, frequent) for sig in signatures]),
        sketch_rows([without_frequent(sig.top, frequent) for sig in signatures]),
    ]


def band_keys(matrix: np.ndarray) -> np.ndarray:
    """One 64-bit key per band of each sketch row, in every arrangement of the columns
    (collisions: negligible); 0 for an empty sketch (all zeros), which is in no bucket."""
    bands, rows = LSH_BANDS
    keys = np.empty((len(matrix), BAND_COUNT), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for arrangement, order in enumerate(_COLUMN_ORDERS):
            for band in range(bands):
                columns = matrix[:, order[band * rows : (band + 1) * rows]]
                key = columns[:, 0] + np.uint64(arrangement + 1)
                for column in range(1, rows):
                    key = key * np.uint64(0x9E3779B97F4A7C15) + columns[:, column]
                keys[:, arrangement * bands + band] = key
    keys[~matrix.any(axis=1)] = 0
    return keys


def article_band_keys(signatures: Sequence[Signature], frequent: np.ndarray) -> np.ndarray:
    """Band keys of some articles (a chunk, in a worker): one row of `KEYS_PER_ARTICLE`
    each, the bands of every sketch side by side."""
    return article_sketches(signatures, frequent)[0]


def article_sketches(
    signatures: Sequence[Signature], frequent: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Band keys (as `article_band_keys`) and screen rows (`screen_rows`) of some articles."""
    sketches = lsh_sketches(signatures, frequent)
    return np.hstack([band_keys(matrix) for matrix in sketches]), screen_rows(sketches)


# --- the screen of candidate pairs -------------------------------------------------------

#: A candidate pair from LSH goes on to be decided only when, in one of its sketches (body,
#: lead, top), this many of the NUM_PERM values agree. The band that proposed the pair
#: agrees in 3; two unrelated articles (0.02 alike) in about 4 in all, while versions agree
#: in 10 or more (measured on the hard generator: 2 version pairs of 7,467 agree in fewer
#: than 8, and in a corpus of a million articles unrelated pairs are most candidates,
#: their number growing as the square of the corpus).
SCREEN_AGREEMENT = 8
#: Pairs screened at once (each holds two rows of 192 bytes while screened).
_SCREEN_BLOCK = 100_000


def screen_rows(sketches: Sequence[np.ndarray]) -> np.ndarray:
    """The low 8 bits of every value of each article's sketches, side by side (one row of
    `len(SKETCHED) * NUM_PERM` bytes an article): enough to count the values two sketches
    agree in (b-bit MinHash: unequal values agree by chance once in 256), at an eighth of
    the size. An empty sketch is a row of zeros."""
    return np.hstack([(matrix & np.uint64(0xFF)).astype(np.uint8) for matrix in sketches])


def screen_agreement(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """For each pair of screen rows, the most values agreeing in one sketch that both have
    (an empty sketch, all zeros, agrees with nothing)."""
    words = NUM_PERM // 8  # a sketch's bytes, read eight at a time
    shape = (len(first), len(SKETCHED), words)
    a = np.ascontiguousarray(first).view(np.uint64).reshape(shape)
    b = np.ascontiguousarray(second).view(np.uint64).reshape(shape)
    agreeing = _zero_bytes(a ^ b).sum(axis=2, dtype=np.int16)
    agreeing *= a.any(axis=2) & b.any(axis=2)
    return np.asarray(agreeing.max(axis=1))


_LOW_SEVEN = np.uint64(0x7F7F7F7F7F7F7F7F)


def _zero_bytes(words: np.ndarray) -> np.ndarray:
    """How many of the eight bytes of each 64-bit word are zero (no carry crosses a byte:
    each byte's high bit is set when its low seven bits are not all zero, or itself is
    set; a byte with neither is zero)."""
    nonzero = ((words & _LOW_SEVEN) + _LOW_SEVEN) | words | _LOW_SEVEN
    return np.asarray(np.bitwise_count(~nonzero), dtype=np.int16)


class CandidateScreen:
    """Screen rows of articles, by id: drops candidate pairs whose sketches agree too
    little for them to be versions, before their signatures are ever loaded."""

    def __init__(self, ids: np.ndarray, rows: np.ndarray) -> None:
        # row ids are small and dense: a table from id to row is faster than a search
        self._row_of = np.zeros(int(ids.max()) + 1 if len(ids) else 1, dtype=np.int64)
        self._row_of[ids] = np.arange(len(ids))
        self._rows = rows

    def kept(self, codes: np.ndarray) -> np.ndarray:
        """The pairs (as `pair_codes`) whose sketches agree in SCREEN_AGREEMENT values."""
        if not len(codes):
            return codes
        found: list[np.ndarray] = []
        for start in range(0, len(codes), _SCREEN_BLOCK):
            part = codes[start : start + _SCREEN_BLOCK]
            first = self._rows[self._position(part >> _PAIR_SHIFT)]
            second = self._rows[self._position(part & np.int64(0xFFFFFFFF))]
            found.append(part[screen_agreement(first, second) >= SCREEN_AGREEMENT])
        return np.concatenate(found)

    def _position(self, ids: np.ndarray) -> np.ndarray:
        return np.asarray(self._row_of[ids])


def pair_codes(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Pairs of ids as one int64 each (order within a pair does not matter)."""
    low, high = np.minimum(first, second), np.maximum(first, second)
    return np.asarray((low.astype(np.int64) << _PAIR_SHIFT) | high.astype(np.int64))


def pairs_of_codes(codes: np.ndarray) -> np.ndarray:
    """The (k, 2) array of id pairs `pair_codes` made."""
    return np.stack([codes >> _PAIR_SHIFT, codes & np.int64(0xFFFFFFFF)], axis=1)


def bucket_pairs(keys: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Pairs (as `pair_codes`) of articles whose keys in one band are equal.

    `ids` are the articles' ids in the order the file names sort (a big bucket pairs each
    article with the next few in that order). The banding is done with numpy over all
    articles at once (one sort per band).
    """
    present = keys != 0
    keys, ids = keys[present], ids[present]
    order = np.argsort(keys)
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    ends = np.r_[starts[1:], len(order)]
    sizes = ends - starts
    _in_given_order(order, sizes)
    # for each sorted position: the end of its bucket, and whether the bucket is big
    end_of = np.repeat(ends, sizes)
    big = np.repeat(sizes > ALL_PAIRS_BUCKET, sizes)
    position = np.flatnonzero(np.repeat(sizes > 1, sizes))
    if not len(position):
        return np.empty(0, dtype=np.int64)
    found: list[np.ndarray] = []
    step = 1
    while len(position):
        position = position[position + step < end_of[position]]
        if step > BIG_BUCKET_NEIGHBOURS:
            position = position[~big[position]]
        found.append(pair_codes(ids[order[position]], ids[order[position + step]]))
        step += 1
    return distinct(np.concatenate(found))


def _in_given_order(order: np.ndarray, sizes: np.ndarray) -> None:
    """Put the positions of each bucket of several articles (`sizes`: the buckets' sizes,
    in `order`) back in the order given, as a stable sort would leave them: a stable sort of
    every key took four times as long as a quick one and this, and most buckets hold one
    article."""
    shared = np.repeat(sizes > 1, sizes)
    bucket = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)[shared]
    # a bucket's number in the high bits, a position in the low 32 (positions < 2**32)
    order[shared] = np.sort((bucket << _PAIR_SHIFT) | order[shared]) & np.int64(0xFFFFFFFF)


def candidate_codes(keys: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Candidate pairs (as `pair_codes`) of articles with these band keys, one band at a
    time (in memory: for a corpus held in memory)."""
    found = [bucket_pairs(keys[:, band], ids) for band in range(keys.shape[1])]
    return distinct(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)


def chain_codes(groups: Iterable[Sequence[int]]) -> np.ndarray:
    """Pairs linking each group's members as a chain (as `pair_codes`)."""
    pairs = [pair for members in groups for pair in itertools.pairwise(members)]
    if not pairs:
        return np.empty(0, dtype=np.int64)
    both = np.asarray(pairs, dtype=np.int64)
    return distinct(pair_codes(both[:, 0], both[:, 1]))


def same_title_groups(titles: Iterable[tuple[int, str]]) -> list[list[int]]:
    """Ids of articles under one title (a live blog's snapshots may share no entries, and
    re-titled refiles are found by LSH anyway)."""
    by_title: dict[str, list[int]] = defaultdict(list)
    for id_, title in titles:
        if title:
            by_title[title].append(id_)
    return [members for members in by_title.values() if len(members) > 1]


class BandIndex:
    """LSH band keys of many articles in memory: query an article's candidates, add
    articles one by one (the sorted keys are built once; added ones go to a hash table)."""

    def __init__(self, keys: np.ndarray, ids: Sequence[int]) -> None:
        self._ids = np.asarray(ids, dtype=np.int64)
        self._order = np.argsort(keys, axis=0, kind="stable")
        self._sorted = np.take_along_axis(keys, self._order, axis=0)
        self._added: list[dict[int, list[int]]] = [{} for _ in range(keys.shape[1])]

    def candidates(self, row_keys: np.ndarray) -> set[int]:
        """Ids of the articles sharing one of these band keys (one per band)."""
        found: set[int] = set()
        for band, key in enumerate(row_keys.tolist()):
            if not key:
                continue
            column = self._sorted[:, band]
            low = int(np.searchsorted(column, np.uint64(key), side="left"))
            high = int(np.searchsorted(column, np.uint64(key), side="right"))
            if high > low:
                found.update(self._ids[self._order[low:high, band]].tolist())
            found.update(self._added[band].get(key, ()))
        return found

    def add(self, row_keys: np.ndarray, id_: int) -> None:
        """Make an article with these band keys findable under `id_`."""
        for band, key in enumerate(row_keys.tolist()):
            if key:
                self._added[band].setdefault(key, []).append(id_)
