"""What grouping keeps in the index so a corpus of any size is grouped in bounded memory:
the LSH band keys of every article, searched in place, and the signatures, read by worker
processes themselves.

Band keys: one row per band holding the keys of every article sorted and their row ids
beside them, written once per full grouping. Keys are folded to 32 bits for storage (4 + 4
bytes per article and band): two buckets that fold alike only add a candidate, which is
decided exactly like any other.
An article's candidates are found by a binary search in each band's blob, read in place
(`blobopen`), so no process loads them all; articles joined since go to `lsh_added`.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from reader.grouping.block import BlockSignatures, LoadedBlock
from reader.grouping.candidates import KEYS_PER_ARTICLE
from reader.grouping.engine import Entry, EntryColumns, MemorySignatures, SignatureSource
from reader.grouping.metadata import usable_story_key
from reader.grouping.stories import Signature
from reader.ingest.corpus import natural_key
from reader.ingest.workers import PARALLEL_MIN_FILES, worker_pool
from reader.store.index import (
    MEMORY,
    CorpusIndex,
    from_db_text,
    reading_connection,
    stored_signatures,
)

_KEY_BYTES = 4
_HALF = np.uint64(32)


def clear_bands(index: CorpusIndex) -> None:
    """Forget every band key (before a full grouping writes them again)."""
    index.connection.execute("DELETE FROM lsh_bands")
    index.connection.execute("DELETE FROM lsh_added")


def put_band(index: CorpusIndex, band: int, rowids: np.ndarray, keys: np.ndarray) -> None:
    """Store one band's keys of every article (0: the article has none)."""
    present = keys != 0
    # each key in the high half, its row id in the low: sorted at once (an order of the
    # keys, then both put in it, took six times as long)
    both = np.sort(
        (_folded(keys[present]).astype(np.uint64) << _HALF) | rowids[present].astype(np.uint64)
    )
    index.connection.execute(
        "INSERT OR REPLACE INTO lsh_bands (band, keys, rowids) VALUES (?, ?, ?)",
        (band, (both >> _HALF).astype(np.uint32).tobytes(), both.astype(np.uint32).tobytes()),
    )


def _folded(keys: np.ndarray) -> np.ndarray:
    """64-bit band keys folded to 32 bits (as stored)."""
    return np.asarray((keys ^ (keys >> np.uint64(32))) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def _folded_key(key: int) -> int:
    return (key ^ (key >> 32)) & 0xFFFFFFFF


def add_band_keys(connection: sqlite3.Connection, keys: dict[int, np.ndarray]) -> None:
    """Store the band keys of articles joined to stories one by one."""
    rows = [
        (band, _folded_key(key), rowid)
        for rowid, row in keys.items()
        for band, key in enumerate(row.tolist())
        if key
    ]
    connection.executemany("INSERT INTO lsh_added (band, key, rowid) VALUES (?, ?, ?)", rows)


def has_bands(index: CorpusIndex) -> bool:
    """Whether a full grouping stored every band."""
    count = index.connection.execute("SELECT count(*) FROM lsh_bands").fetchone()[0]
    return int(count) == KEYS_PER_ARTICLE


class IndexBands:
    """The band keys stored in the index, queried without loading them (`BandLookup`)."""

    def __init__(self, index: CorpusIndex) -> None:
        self._connection = index.connection
        self._sizes: dict[int, int] = {}
        for band, size, id_size in self._connection.execute(
            "SELECT band, length(keys), length(rowids) FROM lsh_bands"
        ):
            if size != id_size or size % _KEY_BYTES:
                raise ValueError(f"band {band} of the index is damaged")
            self._sizes[band] = size // _KEY_BYTES
        #: Articles added while joining (stored by the caller with `add_band_keys`).
        self._added: dict[tuple[int, int], list[int]] = {}

    def candidates(self, keys: np.ndarray) -> set[int]:
        found: set[int] = set()
        for band, key in enumerate(keys.tolist()):
            if key:
                folded = _folded_key(key)
                found.update(self._stored(band, folded))
                found.update(
                    rowid
                    for (rowid,) in self._connection.execute(
                        "SELECT rowid FROM lsh_added WHERE band = ? AND key = ?", (band, folded)
                    )
                )
                found.update(self._added.get((band, folded), ()))
        return found

    def add(self, keys: np.ndarray, id_: int) -> None:
        for band, key in enumerate(keys.tolist()):
            if key:
                self._added.setdefault((band, _folded_key(key)), []).append(id_)

    def _stored(self, band: int, key: int) -> list[int]:
        """Row ids with `key` (folded) in `band`: a binary search in the sorted blob."""
        size = self._sizes.get(band, 0)
        if not size:
            return []
        with self._connection.blobopen("lsh_bands", "keys", band, readonly=True) as blob:

            def at(position: int) -> int:
                blob.seek(position * _KEY_BYTES)
                return int.from_bytes(blob.read(_KEY_BYTES), "little")

            low, high = 0, size
            while low < high:  # first position whose key is >= key
                middle = (low + high) // 2
                if at(middle) < key:
                    low = middle + 1
                else:
                    high = middle
            end = low
            while end < size and at(end) == key:
                end += 1
        if end == low:
            return []
        with self._connection.blobopen("lsh_bands", "rowids", band, readonly=True) as blob:
            blob.seek(low * _KEY_BYTES)
            found: list[int] = np.frombuffer(
                blob.read((end - low) * _KEY_BYTES), dtype=np.uint32
            ).tolist()
            return found


@dataclass(frozen=True, slots=True)
class IndexSignatures:
    """Signatures read from an index file by row id: what a worker process is sent (the
    path), and opens itself, read-only."""

    location: str

    def load(self, ids: Sequence[int]) -> dict[int, Signature]:
        # a connection per task, closed after: one left open would keep the index from
        # being checkpointed when the app closes it
        with reading_connection(self.location) as connection:
            return stored_signatures(connection, ids)

    def block(self, ids: Sequence[int]) -> BlockSignatures:
        return LoadedBlock(self.load(ids))

    def for_worker(self, ids: Sequence[int]) -> SignatureSource | None:
        return self


def signature_source(index: CorpusIndex, rowids: Sequence[int]) -> SignatureSource:
    """Where grouping reads signatures: the index file itself, or (an index in memory)
    the signatures loaded here."""
    if index.location == MEMORY:
        return MemorySignatures(index.signatures(rowids))
    return IndexSignatures(index.location)


@contextlib.contextmanager
def grouping_columns(index: CorpusIndex) -> Iterator[Callable[[], EntryColumns]]:
    """`grouping_entries` as the engine keeps them (`EntryColumns`), got by calling what the
    block is given. For a large index they are made in a child process while the block goes
    on: a million entries made as objects took the grouping process to over 400 MB that
    Python did not give back once they were let go, and making them takes a few seconds."""
    if index.location == MEMORY or index.rows_at_most() < PARALLEL_MIN_FILES:
        columns = EntryColumns.of(grouping_entries(index))
        yield lambda: columns
        return
    with worker_pool(1) as pool:
        future = pool.submit(_columns_in_file, str(index.location))

        def collected() -> EntryColumns:
            columns = future.result()
            pool.shutdown()  # the child's memory is not held through grouping
            return columns

        yield collected


def _columns_in_file(location: str) -> EntryColumns:
    with reading_connection(location) as connection:
        return EntryColumns.of(_entries_of(connection))


def grouping_entries(index: CorpusIndex) -> list[Entry]:
    """What the engine needs of every article, in file-name order, without loading the
    articles: row id, article id, shingle count, folded title and usable story key."""
    return _entries_of(index.connection)


def _entries_of(connection: sqlite3.Connection) -> list[Entry]:
    rows = connection.execute(
        "SELECT files.rowid, name, article_id, length(shingles) / 8,"
        " json_extract(facts, '$.title'), json_extract(meta, '$.story_key')"
        " FROM files JOIN signatures ON signatures.rowid = files.rowid"
        " WHERE skipped IS NULL ORDER BY files.rowid"
    )
    # made a row at a time, sorted after: the rows of a million articles held all at once,
    # with their sort keys, took the grouping process to twice the size it needed
    entries: list[Entry] = []
    names: list[str] = []
    for rowid, name, article_id, size, title, key in rows:
        entries.append(
            Entry(rowid, article_id, int(size or 0), str(title or ""), usable_story_key(key))
        )
        names.append(natural_key(from_db_text(name)))
    order = sorted(range(len(entries)), key=names.__getitem__)  # stable: ties by row id
    return [entries[place] for place in order]
