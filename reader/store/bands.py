"""What grouping keeps in the index so a corpus of any size is grouped in bounded memory:
the LSH band keys of every article, searched in place, and the signatures, read by worker
processes themselves.

Band keys: one row per band holding the keys of every article sorted (uint64) and their
row ids beside them, written once per full grouping (8 + 8 bytes per article and band).
An article's candidates are found by a binary search in each band's blob, read in place
(`blobopen`), so no process loads them all; articles joined since go to `lsh_added`.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reader.grouping.candidates import BAND_COUNT
from reader.grouping.engine import Entry, MemorySignatures, SignatureSource
from reader.grouping.metadata import usable_story_key
from reader.grouping.stories import Signature
from reader.ingest.corpus import natural_key
from reader.store.index import MEMORY, CorpusIndex, from_db_text

_KEY_BYTES = 8
#: Rows fetched per query when reading signatures.
_QUERY_ROWS = 900


def clear_bands(index: CorpusIndex) -> None:
    """Forget every band key (before a full grouping writes them again)."""
    index.connection.execute("DELETE FROM lsh_bands")
    index.connection.execute("DELETE FROM lsh_added")


def put_band(index: CorpusIndex, band: int, rowids: np.ndarray, keys: np.ndarray) -> None:
    """Store one band's keys of every article (0: the article has none)."""
    present = keys != 0
    order = np.argsort(keys[present], kind="stable")
    index.connection.execute(
        "INSERT OR REPLACE INTO lsh_bands (band, keys, rowids) VALUES (?, ?, ?)",
        (
            band,
            keys[present][order].astype(np.uint64).tobytes(),
            rowids[present][order].astype(np.int64).tobytes(),
        ),
    )


def add_band_keys(
    connection: sqlite3.Connection, keys: dict[int, tuple[np.ndarray, np.ndarray]]
) -> None:
    """Store the band keys of articles joined to stories one by one."""
    rows = [
        (band, _signed(key), rowid)
        for rowid, (body, lede) in keys.items()
        for band, key in enumerate([*body.tolist(), *lede.tolist()])
        if key
    ]
    connection.executemany("INSERT INTO lsh_added (band, key, rowid) VALUES (?, ?, ?)", rows)


def has_bands(index: CorpusIndex) -> bool:
    """Whether a full grouping stored every band."""
    count = index.connection.execute("SELECT count(*) FROM lsh_bands").fetchone()[0]
    return int(count) == 2 * BAND_COUNT


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

    def candidates(self, body_keys: np.ndarray, lede_keys: np.ndarray) -> set[int]:
        found: set[int] = set()
        for band, key in enumerate([*body_keys.tolist(), *lede_keys.tolist()]):
            if key:
                found.update(self._stored(band, key))
                found.update(
                    rowid
                    for (rowid,) in self._connection.execute(
                        "SELECT rowid FROM lsh_added WHERE band = ? AND key = ?",
                        (band, _signed(key)),
                    )
                )
                found.update(self._added.get((band, key), ()))
        return found

    def add(self, body_keys: np.ndarray, lede_keys: np.ndarray, id_: int) -> None:
        for band, key in enumerate([*body_keys.tolist(), *lede_keys.tolist()]):
            if key:
                self._added.setdefault((band, key), []).append(id_)

    def _stored(self, band: int, key: int) -> list[int]:
        """Row ids with `key` in `band`: a binary search in the sorted blob."""
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
                blob.read((end - low) * _KEY_BYTES), dtype=np.int64
            ).tolist()
            return found


def _signed(key: int) -> int:
    """A uint64 key as SQLite's signed 64-bit integer."""
    return key - 2**64 if key >= 2**63 else key


@dataclass(frozen=True, slots=True)
class IndexSignatures:
    """Signatures read from an index file by row id: what a worker process is sent (the
    path), and opens itself, read-only."""

    location: str

    def load(self, ids: Sequence[int]) -> dict[int, Signature]:
        # a connection per task, closed after: one left open would keep the index from
        # being checkpointed when the app closes it
        uri = Path(self.location).absolute().as_uri() + "?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
            return self._load(connection, ids)

    @staticmethod
    def _load(connection: sqlite3.Connection, ids: Sequence[int]) -> dict[int, Signature]:
        found: dict[int, Signature] = {}
        for start in range(0, len(ids), _QUERY_ROWS):
            part = list(ids[start : start + _QUERY_ROWS])
            marks = ",".join("?" * len(part))
            rows = connection.execute(
                f"SELECT rowid, shingles, lede, figures FROM files WHERE rowid IN ({marks})", part
            )
            for rowid, shingles, lede, figures in rows:
                found[rowid] = Signature.stored(shingles, lede, figures)
        missing = set(ids) - found.keys()
        if missing:
            raise KeyError(f"{len(missing)} articles are no longer in the index")
        return found

    def for_worker(self, ids: Sequence[int]) -> SignatureSource | None:
        return self


def signature_source(index: CorpusIndex, rowids: Sequence[int]) -> SignatureSource:
    """Where grouping reads signatures: the index file itself, or (an index in memory)
    the signatures loaded here."""
    if index.location == MEMORY:
        return MemorySignatures(index.signatures(rowids))
    return IndexSignatures(index.location)


def grouping_entries(index: CorpusIndex) -> list[Entry]:
    """What the engine needs of every article, in file-name order, without loading the
    articles: row id, article id, shingle count, folded title and usable story key."""
    rows = index.connection.execute(
        "SELECT rowid, name, article_id, length(shingles) / 8,"
        " json_extract(figures, '$.title'), json_extract(meta, '$.story_key')"
        " FROM files WHERE skipped IS NULL"
    ).fetchall()
    rows.sort(key=lambda row: (natural_key(from_db_text(row[1])), row[0]))
    return [
        Entry(rowid, article_id, int(size or 0), str(title or ""), usable_story_key(key))
        for rowid, _, article_id, size, title, key in rows
    ]
