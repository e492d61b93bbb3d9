"""The signature pack: a scratch copy of the index's signatures that grouping reads back at
random; it gives the signatures the index holds, the same stories, and leaves nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from make_corpus import generate  # noqa: E402

from reader.grouping.block import LoadedBlock  # noqa: E402
from reader.grouping.engine import Entry, group_entries  # noqa: E402
from reader.ingest.workers import bounded_map, worker_pool  # noqa: E402
from reader.store.bands import IndexSignatures, grouping_entries  # noqa: E402
from reader.store.index import CorpusIndex  # noqa: E402
from reader.store.library import open_corpus  # noqa: E402
from reader.store.signature_pack import (  # noqa: E402
    PackedSignatures,
    pack_record,
    scratch_pack,
    signature_pack,
)


def _indexed(tmp_path: Path, files: int) -> Path:
    folder = tmp_path / "wire"
    folder.mkdir()
    for number, item in enumerate(generate(files, 5, "hard")):
        (folder / f"{number:04d}.txt").write_text(item.text, encoding="utf-8")
    index_file = tmp_path / "index.sqlite3"
    open_corpus([folder], index_file=index_file).corpus_index.close()
    return index_file


def _fields(signature: object) -> list[object]:
    values = []
    for name in type(signature).__slots__:  # type: ignore[attr-defined]
        value = getattr(signature, name)
        values.append(value.tolist() if isinstance(value, np.ndarray) else value)
    return values


def test_the_pack_gives_back_every_signature_the_index_holds(tmp_path: Path) -> None:
    index_file = _indexed(tmp_path, 90)
    from_index = IndexSignatures(str(index_file))
    rowids = [entry.id for entry in grouping_entries_of(index_file)]
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with signature_pack(str(index_file), rowids, map, scratch) as pack:
        stored = from_index.load(rowids)
        packed = pack.load(list(reversed(rowids)))
        assert sorted(packed) == sorted(stored)
        for rowid in rowids:
            assert _fields(packed[rowid]) == _fields(stored[rowid])
        assert any(packed[rowid].dates for rowid in rowids), "facts are carried, not left empty"
        with pytest.raises(KeyError):
            pack.load([max(rowids) + 1])
        assert pack.for_worker(rowids[:3]) is pack
    assert list(scratch.iterdir()) == [], "the pack is removed once grouping ends"


def grouping_entries_of(index_file: Path) -> list[Entry]:
    index = CorpusIndex.open(index_file)
    try:
        return grouping_entries(index)
    finally:
        index.close()


def test_grouping_from_a_pack_written_and_read_by_workers_gives_the_same_stories(
    tmp_path: Path,
) -> None:
    index_file = _indexed(tmp_path, 140)
    entries = grouping_entries_of(index_file)
    rowids = [entry.id for entry in entries]
    from_index = group_entries(entries, IndexSignatures(str(index_file)), 0.45)
    with (
        worker_pool(2) as pool,
        signature_pack(str(index_file), rowids, bounded_map(pool), tmp_path) as pack,
    ):
        assert isinstance(pack, PackedSignatures)
        from_pack = group_entries(entries, pack, 0.45, parallel_map=bounded_map(pool))
    assert sorted(map(sorted, from_pack.clusters)) == sorted(map(sorted, from_index.clusters))
    assert any(len(cluster) > 1 for cluster in from_pack.clusters)
    assert [(link.first, link.second, link.relation) for link in from_pack.links] == [
        (link.first, link.second, link.relation) for link in from_index.links
    ]


def test_stories_ordered_by_workers_reading_the_index_are_those_ordered_here(
    tmp_path: Path,
) -> None:
    """After a full grouping the versions of each story are put in filing order by workers
    that read the articles themselves (`ordering.ordered_clusters`): the same order, ids,
    summaries and notes as ordering them in this process."""
    from reader.store.ordering import ordered_clusters

    index_file = _indexed(tmp_path, 140)
    entries = grouping_entries_of(index_file)
    result = group_entries(entries, IndexSignatures(str(index_file)), 0.45)
    index = CorpusIndex.open(index_file)
    try:
        here = ordered_clusters(index, result)
        with worker_pool(2) as pool:
            there = ordered_clusters(index, result, bounded_map(pool))
    finally:
        index.close()
    assert there == here
    assert len(here) == sum(len(cluster) > 1 for cluster in result.clusters) > 0
    assert all(len(story.rowids) == story.summary.count > 1 for story in here.values())


def test_signatures_packed_as_they_were_stored_and_the_rest_copied_read_back_alike(
    tmp_path: Path,
) -> None:
    """Half the rows packed as if stored just now (`ScratchPack.add`), the others copied
    from the index: every signature reads back whole, and a block of them gives the kinds,
    dates and sizes of the signatures themselves."""
    index_file = _indexed(tmp_path, 90)
    rowids = [entry.id for entry in grouping_entries_of(index_file)]
    stored = IndexSignatures(str(index_file)).load(rowids)
    added = rowids[::2]
    with scratch_pack(tmp_path) as started:
        started.add(added, [pack_record(stored[rowid]) for rowid in added])
        with signature_pack(str(index_file), rowids, map, tmp_path, started=started) as pack:
            packed = pack.load(rowids)
            assert {rowid: _fields(packed[rowid]) for rowid in rowids} == {
                rowid: _fields(stored[rowid]) for rowid in rowids
            }
            block = pack.block(list(reversed(rowids)))
            loaded = LoadedBlock(stored)
            assert block.ids.tolist() == loaded.ids.tolist() == sorted(rowids)
            assert block.kinds.tolist() == loaded.kinds.tolist()
            assert block.dated.tolist() == loaded.dated.tolist()
            assert block.sizes.tolist() == loaded.sizes.tolist()
            assert [block.dates(place) for place in range(len(rowids))] == [
                loaded.dates(place) for place in range(len(rowids))
            ]
        assert started.folder.exists(), "a pack started by its caller is the caller's to remove"
    assert not started.folder.exists()


def test_a_corpus_indexed_cold_is_grouped_from_the_signatures_packed_as_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Indexing a corpus cold copies no signature back out of the index to group it, and
    gives the stories of a grouping that copied them all."""
    from reader.store import library
    from reader.store import signature_pack as pack_module

    copied: list[int] = []
    copy = pack_module.write_segment

    def counted_copy(task: object) -> np.ndarray:
        copied.extend(task.rowids)  # type: ignore[attr-defined]
        return copy(task)  # type: ignore[arg-type]

    monkeypatch.setattr(pack_module, "write_segment", counted_copy)
    folder = tmp_path / "wire"
    folder.mkdir()
    for number, item in enumerate(generate(120, 9, "hard")):
        (folder / f"{number:04d}.txt").write_text(item.text, encoding="utf-8")

    def stories(index_file: Path) -> list[list[str]]:
        opened = open_corpus([folder], index_file=index_file)
        try:
            return sorted(
                sorted(v.name for v in story.versions) for story in opened.library.stories
            )
        finally:
            opened.corpus_index.close()

    packed_as_stored = stories(tmp_path / "one.sqlite3")
    assert copied == []
    monkeypatch.setattr(library, "_regroup_likely", lambda index, to_read: False)
    all_copied = stories(tmp_path / "two.sqlite3")
    assert len(copied) == 120
    assert packed_as_stored == all_copied
    assert any(len(story) > 1 for story in all_copied)
