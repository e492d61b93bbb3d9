"""Signatures of the articles being grouped, copied once into a scratch folder in a form that
is quick to read back at random.

Grouping a million articles reads each signature about ten times, in no useful order (a
candidate pair joins two articles anywhere in the corpus). Read from the index, a signature
cost a worker about 25 µs: a B-tree lookup, then its facts parsed from JSON into sets; that
was more than half of deciding the candidates. The pack holds the same signatures as raw
arrays and their facts in `marshal` form, one record each, found by row id in a table of
offsets and read with one `pread`: a few µs. Worker processes write it, a range of row ids
each, and read it themselves; it lives in a private temporary folder (ours: `marshal` is
only ever given bytes we wrote) that is removed when grouping ends. The index stays the
only lasting copy.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import struct
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from reader.grouping.cleaning import PageKind
from reader.grouping.engine import ParallelMap, SignatureSource
from reader.grouping.signature import Signature
from reader.store.index import reading_connection, stored_signatures

#: Row ids written per task, and read from the index at a time.
ROWS_PER_SEGMENT = 50_000
_ROWS_AT_A_TIME = 2000
#: A record's header: counts of shingles, lead shingles and top shingles, and the facts'
#: length (16 bytes, so the arrays after it stay 8-byte aligned).
_HEADER = struct.Struct("<IIII")
#: The table of records: for each row id (from the first), its segment, offset and length
#: (length 0: no signature for that row).
_TABLE_DTYPE = np.dtype([("segment", "<u4"), ("length", "<u4"), ("offset", "<i8")])
_TABLE = "table.npy"


def _record(signature: Signature) -> bytes:
    facts = marshal.dumps(
        (
            signature.figures,
            signature.lead_figures,
            signature.dates,
            signature.kind.value,
            signature.title,
            signature.lead_names,
            signature.correction,
        )
    )
    return b"".join(
        (
            _HEADER.pack(
                len(signature.shingles), len(signature.lede), len(signature.top), len(facts)
            ),
            signature.shingles.astype(np.uint64, copy=False).tobytes(),
            signature.lede.astype(np.uint64, copy=False).tobytes(),
            signature.top.astype(np.uint64, copy=False).tobytes(),
            facts,
        )
    )


def _from_record(record: bytes) -> Signature:
    shingles, lede, top, _ = _HEADER.unpack_from(record)
    arrays = np.frombuffer(record, dtype=np.uint64, count=shingles + lede + top, offset=16)
    figures, lead_figures, dates, kind, title, lead_names, correction = marshal.loads(
        memoryview(record)[16 + 8 * (shingles + lede + top) :]
    )
    return Signature(
        arrays[:shingles],
        arrays[shingles : shingles + lede],
        figures,
        lead_figures,
        dates,
        PageKind(kind),
        title,
        lead_names,
        correction,
        arrays[shingles + lede :],
    )


@dataclass(frozen=True, slots=True)
class _SegmentTask:
    index_location: str
    folder: str
    segment: int
    rowids: Sequence[int]


def write_segment(task: _SegmentTask) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """Copy the signatures of some rows from the index into one segment file of the pack
    (run in a worker): the segment's number, and the row ids, offsets and lengths written."""
    rowids: list[int] = []
    offsets: list[int] = []
    lengths: list[int] = []
    offset = 0
    with (
        reading_connection(task.index_location) as connection,
        open(Path(task.folder) / f"segment-{task.segment}", "wb") as out,
    ):
        # a few thousand signatures held at a time: the worker goes on to decide pairs,
        # and Python keeps the memory it took at its largest
        for start in range(0, len(task.rowids), _ROWS_AT_A_TIME):
            signatures = stored_signatures(connection, task.rowids[start : start + _ROWS_AT_A_TIME])
            for rowid in sorted(signatures):
                record = _record(signatures[rowid])
                out.write(record)
                rowids.append(rowid)
                offsets.append(offset)
                lengths.append(len(record))
                offset += len(record)
    return (
        task.segment,
        np.asarray(rowids, dtype=np.int64),
        np.asarray(offsets, dtype=np.int64),
        np.asarray(lengths, dtype=np.uint32),
    )


@dataclass(frozen=True, slots=True)
class PackedSignatures:
    """Signatures read from a pack by row id: what a worker process is sent (the folder),
    and reads itself."""

    folder: str

    def load(self, ids: Sequence[int]) -> dict[int, Signature]:
        table, first = _opened_table(self.folder)
        wanted = np.asarray(ids, dtype=np.int64)
        places = wanted - first
        inside = (places >= 0) & (places < len(table))
        rows = table[places[inside]]
        if not inside.all() or (rows["length"] == 0).any():
            missing = int((~inside).sum() + (rows["length"] == 0).sum())
            raise KeyError(f"{missing} articles are no longer in the index")
        found: dict[int, Signature] = {}
        files: dict[int, int] = {}
        try:
            for id_, segment, offset, length in zip(
                wanted.tolist(),
                rows["segment"].tolist(),
                rows["offset"].tolist(),
                rows["length"].tolist(),
                strict=True,
            ):
                descriptor = files.get(segment)
                if descriptor is None:
                    descriptor = files[segment] = os.open(
                        Path(self.folder) / f"segment-{segment}", os.O_RDONLY
                    )
                found[id_] = _from_record(os.pread(descriptor, length, offset))
        finally:
            for descriptor in files.values():
                os.close(descriptor)
        return found

    def for_worker(self, ids: Sequence[int]) -> SignatureSource | None:
        return self


#: The table of the pack last read in this process, by folder.
_OPENED: dict[str, tuple[np.ndarray, int]] = {}


def _opened_table(folder: str) -> tuple[np.ndarray, int]:
    opened = _OPENED.get(folder)
    if opened is None:
        _OPENED.clear()  # one pack at a time
        with open(Path(folder) / _TABLE, "rb") as table_file:
            first = int(np.load(table_file))
            table = np.load(table_file)
        opened = _OPENED[folder] = (table, first)
    return opened


@contextlib.contextmanager
def signature_pack(
    index_location: str,
    rowids: Sequence[int],
    parallel_map: ParallelMap,
    scratch: Path | None,
) -> Iterator[PackedSignatures]:
    """A pack of these rows' signatures, written by `parallel_map`'s workers, removed when
    the block ends."""
    with tempfile.TemporaryDirectory(prefix="newsreader-signatures-", dir=scratch) as folder:
        ordered = sorted(rowids)
        tasks = [
            _SegmentTask(index_location, folder, number, ordered[start : start + ROWS_PER_SEGMENT])
            for number, start in enumerate(range(0, len(ordered), ROWS_PER_SEGMENT))
        ]
        first = ordered[0] if ordered else 0
        size = ordered[-1] - first + 1 if ordered else 0
        table = np.zeros(size, dtype=_TABLE_DTYPE)
        written: Any
        for written in parallel_map(write_segment, tasks):
            segment, ids, offsets, lengths = written
            places = ids - first
            table["segment"][places] = segment
            table["offset"][places] = offsets
            table["length"][places] = lengths
        with open(Path(folder) / _TABLE, "wb") as table_file:
            np.save(table_file, np.int64(first))
            np.save(table_file, table)
        del table
        try:
            yield PackedSignatures(folder)
        finally:
            _OPENED.pop(folder, None)
