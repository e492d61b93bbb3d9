"""Signatures of the articles being grouped, copied once into a scratch folder in a form that
is quick to read back at random.

Grouping a million articles reads each signature about ten times, in no useful order (a
candidate pair joins two articles anywhere in the corpus). Read from the index, a signature
cost a worker about 25 µs: a B-tree lookup, then its facts parsed from JSON into sets; that
was more than half of deciding the candidates. The pack holds the same signatures as raw
arrays and their facts in `marshal` form, one record each, found by row id in a table of
offsets. A block of candidate pairs reads its thousands of records into one array, with
a `preadv` each (`_read_records`). Worker processes write the pack, a range of row ids
each, and read it themselves; it lives in a private temporary folder (ours: `marshal` is
only ever given bytes we wrote) that is removed when grouping ends. The index stays the
only lasting copy.
"""

from __future__ import annotations

import contextlib
import itertools
import marshal
import os
import struct
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from reader.grouping.block import KIND_CODES, BlockSignatures
from reader.grouping.cleaning import PageKind
from reader.grouping.engine import ParallelMap, SignatureSource
from reader.grouping.signature import Signature
from reader.store.index import reading_connection, stored_signatures

#: Row ids written per task, and read from the index at a time.
ROWS_PER_SEGMENT = 50_000
_ROWS_AT_A_TIME = 2000
#: A record's header: counts of shingles, lead shingles and top shingles, and the length
#: of its dates (16 bytes, so the arrays after it stay 8-byte aligned). Then the three
#: arrays, the dates and the other facts, `marshal`'d apart (a block reads an article's
#: dates for many more pairs than it reads the rest), and zero bytes to the next multiple
#: of 8 (`marshal.loads` ignores bytes after the value): records are read as 64-bit words.
_HEADER = struct.Struct("<IIII")
_WORD = np.dtype("<u8")
_HEADER_WORDS = _HEADER.size // _WORD.itemsize
_LOW_HALF = np.uint64(0xFFFFFFFF)
_HALF = np.uint64(32)
#: The table of records: for each row id (from the first), its segment, offset and length
#: (length 0: no signature for that row), its page kind (`KIND_CODES`) and whether its
#: lead names dates.
_TABLE_DTYPE = np.dtype(
    [("segment", "<u4"), ("length", "<u4"), ("offset", "<i8"), ("kind", "u1"), ("dated", "u1")]
)
_TABLE = "table.npy"


class PackRecord(NamedTuple):
    """A signature as the pack keeps it (`pack_record`): its record, its page kind's code
    and whether its lead names dates."""

    record: bytes
    kind: int
    dated: bool


def pack_record(signature: Signature) -> PackRecord:
    """A signature packed (in the worker that read it, so that the process storing a cold
    read only appends bytes)."""
    return PackRecord(_record(signature), KIND_CODES[signature.kind], bool(signature.dates))


def _record(signature: Signature) -> bytes:
    dates = marshal.dumps(signature.dates)
    facts = marshal.dumps(
        (
            signature.figures,
            signature.lead_figures,
            signature.kind.value,
            signature.title,
            signature.lead_names,
            signature.correction,
        )
    )
    return b"".join(
        (
            _HEADER.pack(
                len(signature.shingles), len(signature.lede), len(signature.top), len(dates)
            ),
            signature.shingles.astype(_WORD, copy=False).tobytes(),
            signature.lede.astype(_WORD, copy=False).tobytes(),
            signature.top.astype(_WORD, copy=False).tobytes(),
            dates,
            facts,
            bytes(-(len(dates) + len(facts)) % _WORD.itemsize),
        )
    )


class PackedBlock(BlockSignatures):
    """A block of signatures read from the pack as records (64-bit words, one array for the
    block), each parsed only as far as it is asked: its shingles at once (views of the
    array), its dates or whole signature when wanted."""

    def __init__(self, ids: np.ndarray, rows: np.ndarray, words: np.ndarray) -> None:
        self._words = words
        starts = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(rows["length"] // _WORD.itemsize, out=starts[1:])
        counts, facts = words[starts[:-1]], words[starts[:-1] + 1]
        shingles = starts[:-1] + _HEADER_WORDS
        ledes = shingles + (counts & _LOW_HALF).astype(np.int64)
        tops = ledes + (counts >> _HALF).astype(np.int64)
        tails = tops + (facts & _LOW_HALF).astype(np.int64)
        # where each record's parts start in `words` (and the next record), as Python
        # numbers: a block reads them for thousands of pairs
        self._ledes: list[int] = ledes.tolist()
        self._tops: list[int] = tops.tolist()
        self._tails: list[int] = tails.tolist()
        self._ends: list[int] = starts[1:].tolist()
        self._date_lengths: list[int] = (facts >> _HALF).tolist()
        self._made: dict[int, Signature] = {}
        self._dates: dict[int, frozenset[str]] = {}
        super().__init__(
            ids,
            [words[start:end] for start, end in zip(shingles.tolist(), self._ledes, strict=True)],
            rows["kind"].copy(),
            rows["dated"].astype(bool),
        )

    def _tail(self, position: int) -> bytes:
        """The record's bytes after its arrays: its dates, then its other facts."""
        return self._words[self._tails[position] : self._ends[position]].tobytes()

    def dates(self, position: int) -> frozenset[str]:
        found = self._dates.get(position)
        if found is None:
            found = self._dates[position] = marshal.loads(self._tail(position))
        return found

    def signature(self, position: int) -> Signature:
        made = self._made.get(position)
        if made is None:
            made = self._made[position] = self._parsed(position)
        return made

    def _parsed(self, position: int) -> Signature:
        tail = self._tail(position)
        dates = self._dates.get(position)
        if dates is None:
            dates = self._dates[position] = marshal.loads(tail)
        figures, lead_figures, kind, title, lead_names, correction = marshal.loads(
            memoryview(tail)[self._date_lengths[position] :]
        )
        top = self._tops[position]
        return Signature(
            self.shingles[position],
            self._words[self._ledes[position] : top],
            figures,
            lead_figures,
            dates,
            PageKind(kind),
            title,
            lead_names,
            correction,
            self._words[top : self._tails[position]],
        )


class _SegmentWriter:
    """Records appended to one segment file, and the table rows that find them."""

    def __init__(self, path: Path, segment: int) -> None:
        self._out = open(path, "wb")  # noqa: SIM115 - closed by `rows`
        self._segment = segment
        self._offset = 0
        self._rowids = array("q")
        self._offsets = array("q")
        self._lengths = array("I")
        self._kinds = array("B")
        self._dated = array("B")

    def add(self, rowid: int, packed: PackRecord) -> None:
        self._out.write(packed.record)
        self._rowids.append(rowid)
        self._offsets.append(self._offset)
        self._lengths.append(len(packed.record))
        self._kinds.append(packed.kind)
        self._dated.append(packed.dated)
        self._offset += len(packed.record)

    def rows(self) -> np.ndarray:
        """Close the file; the table rows written, with their row ids."""
        self._out.close()
        rows = np.zeros(len(self._rowids), dtype=_WRITTEN_DTYPE)
        rows["rowid"] = self._rowids
        rows["segment"] = self._segment
        rows["offset"] = self._offsets
        rows["length"] = self._lengths
        rows["kind"] = self._kinds
        rows["dated"] = self._dated
        return rows


#: What a segment's writer gives back: its table rows, with their row ids.
_WRITTEN_DTYPE = np.dtype([("rowid", "<i8"), *_TABLE_DTYPE.descr])
#: The segment a pack's signatures are written to as they are stored (`ScratchPack.add`).
_STORED_SEGMENT = 0


@dataclass(frozen=True, slots=True)
class _SegmentTask:
    index_location: str
    folder: str
    segment: int
    rowids: Sequence[int]


def write_segment(task: _SegmentTask) -> np.ndarray:
    """Copy the signatures of some rows from the index into one segment file of the pack
    (run in a worker): the table rows written, with their row ids."""
    writer = _SegmentWriter(Path(task.folder) / f"segment-{task.segment}", task.segment)
    with reading_connection(task.index_location) as connection:
        # a few thousand signatures held at a time: the worker goes on to decide pairs,
        # and Python keeps the memory it took at its largest
        for start in range(0, len(task.rowids), _ROWS_AT_A_TIME):
            signatures = stored_signatures(connection, task.rowids[start : start + _ROWS_AT_A_TIME])
            for rowid in sorted(signatures):
                writer.add(rowid, pack_record(signatures[rowid]))
    return writer.rows()


class ScratchPack:
    """The folder of a pack, into which signatures can be written as they are stored
    (`add`: a corpus read cold is grouped next, and copying a million signatures back out
    of the index took half a minute); `signature_pack` copies the rest."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._stored = _SegmentWriter(folder / f"segment-{_STORED_SEGMENT}", _STORED_SEGMENT)
        self._rows: np.ndarray | None = None

    def add(self, rowids: Sequence[int], packed: Sequence[PackRecord]) -> None:
        """Keep the signatures (`pack_record`) of rows just stored (committed: a row id
        rolled back may be given again)."""
        for rowid, record in zip(rowids, packed, strict=True):
            self._stored.add(rowid, record)

    def stored_rows(self) -> np.ndarray:
        """The table rows of the signatures added (no more can be)."""
        if self._rows is None:
            self._rows = self._stored.rows()
        return self._rows


@contextlib.contextmanager
def scratch_pack(scratch: Path | None) -> Iterator[ScratchPack]:
    """A pack's folder, removed when the block ends."""
    with tempfile.TemporaryDirectory(prefix="newsreader-signatures-", dir=scratch) as folder:
        pack = ScratchPack(Path(folder))
        try:
            yield pack
        finally:
            pack.stored_rows()  # closes its file
            _OPENED.pop(folder, None)


@dataclass(frozen=True, slots=True)
class PackedSignatures:
    """Signatures read from a pack by row id: what a worker process is sent (the folder),
    and reads itself."""

    folder: str

    def load(self, ids: Sequence[int]) -> dict[int, Signature]:
        block = self.block(ids)
        return {id_: block.signature(place) for place, id_ in enumerate(block.ids.tolist())}

    def block(self, ids: Sequence[int]) -> PackedBlock:
        table, first = _opened_table(self.folder)
        wanted = np.unique(np.asarray(ids, dtype=np.int64))
        places = wanted - first
        inside = (places >= 0) & (places < len(table))
        rows = table[places[inside]]
        if not inside.all() or (rows["length"] == 0).any():
            missing = int((~inside).sum() + (rows["length"] == 0).sum())
            raise KeyError(f"{missing} articles are no longer in the index")
        return PackedBlock(wanted, rows, _read_records(Path(self.folder), rows))

    def for_worker(self, ids: Sequence[int]) -> SignatureSource | None:
        return self


def _read_records(folder: Path, rows: np.ndarray) -> np.ndarray:
    """The records of these table rows, one after another, as 64-bit words, each read
    straight into place (no bytes object or array made per record: they were a fifth of
    deciding a million articles' pairs). Reading records that follow one another in a file
    in one call would save a tenth of the calls, measured: not worth the code."""
    lengths = rows["length"].astype(np.int64)
    starts = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    words = np.empty(int(starts[-1]) // _WORD.itemsize, dtype=_WORD)
    into = words.data.cast("B")
    files: dict[int, int] = {}
    try:
        for segment, offset, start, end in zip(
            rows["segment"].tolist(),
            rows["offset"].tolist(),
            starts[:-1].tolist(),
            starts[1:].tolist(),
            strict=True,
        ):
            descriptor = files.get(segment)
            if descriptor is None:
                descriptor = files[segment] = os.open(folder / f"segment-{segment}", os.O_RDONLY)
            if os.preadv(descriptor, [into[start:end]], offset) != end - start:
                raise KeyError(f"the signatures' scratch file segment-{segment} is cut short")
    finally:
        for descriptor in files.values():
            os.close(descriptor)
    return words


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
    started: ScratchPack | None = None,
) -> Iterator[PackedSignatures]:
    """A pack of these rows' signatures: those `started` holds already, the others copied
    from the index by `parallel_map`'s workers. Removed when the block ends, unless it is
    `started` (its own block removes it)."""
    with contextlib.ExitStack() as stack:
        pack = started if started is not None else stack.enter_context(scratch_pack(scratch))
        folder = str(pack.folder)
        ordered = np.unique(np.asarray(rowids, dtype=np.int64))
        stored = pack.stored_rows()
        stored = stored[np.isin(stored["rowid"], ordered)]
        missing = np.setdiff1d(ordered, stored["rowid"], assume_unique=True).tolist()
        tasks = [
            _SegmentTask(index_location, folder, number, missing[start : start + ROWS_PER_SEGMENT])
            for number, start in enumerate(
                range(0, len(missing), ROWS_PER_SEGMENT), start=_STORED_SEGMENT + 1
            )
        ]
        first = int(ordered[0]) if len(ordered) else 0
        size = int(ordered[-1]) - first + 1 if len(ordered) else 0
        table = np.zeros(size, dtype=_TABLE_DTYPE)
        written: Any
        for written in itertools.chain([stored], parallel_map(write_segment, tasks)):
            places = written["rowid"] - first
            for column in _TABLE_DTYPE.names or ():
                table[column][places] = written[column]
        with open(Path(folder) / _TABLE, "wb") as table_file:
            np.save(table_file, np.int64(first))
            np.save(table_file, table)
        del table
        try:
            yield PackedSignatures(folder)
        finally:
            _OPENED.pop(folder, None)
