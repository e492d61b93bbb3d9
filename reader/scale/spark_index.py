"""Build or refresh a corpus's index with the grouping job on Spark: the same index the app
reads, so `newsreader --index FILE PATHS` afterwards opens it without regrouping.

The driver finds the files and keeps the index (SQLite, written only here, through the
store's own functions); the executors read, parse and sign the new and changed files and
do the grouping job's heavy part (sketches, LSH candidates, the exact check of each
candidate, `reader.scale.spark_grouping`); the driver clusters the pairs found to be
versions with `engine.group_entries` and stores the stories, band keys and settings as the
in-process engine stores them. Whenever anything changed, every story is regrouped (the
in-process engine joins a few new files to the stored stories instead).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from reader.grouping.engine import frequent_of, group_entries
from reader.ingest.corpus import CorpusFile
from reader.ingest.workers import CHUNK_FILES, discover
from reader.scale.spark_grouping import decided_pairs, read_files
from reader.scale.spark_session import spark_errors, spark_session
from reader.store.bands import clear_bands, grouping_entries, put_band, signature_source
from reader.store.index import MEMORY, CorpusIndex, IndexUnavailable
from reader.store.library import (
    FileRead,
    RefreshReport,
    SkippedRead,
    changed_files,
    grouping_threshold,
    index_location,
    store_grouping,
    store_read,
)

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@dataclass(slots=True)
class SparkIndexReport:
    """What a Spark run did: the refresh's counts, the candidate pairs it checked and
    those that are versions, and seconds per stage."""

    index: str
    refresh: RefreshReport
    articles: int = 0
    candidates: int = 0
    version_pairs: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def index_with_spark(
    paths: Sequence[Path],
    *,
    index_file: Path | None = None,
    master: str | None = None,
    threshold: float | None = None,
    follow: bool = False,
    field_map: dict[str, str] | None = None,
    stage: Callable[[str], None] | None = None,
) -> SparkIndexReport:
    """Bring the index of the corpus under `paths` (the built-in sample when empty) up to
    date with the grouping job on Spark (`master` None: local mode, or spark-submit's).

    `index_file` None: the index the app uses for these paths (in the cache folder).
    `threshold` None keeps the index's own; `stage(text)` is told of each stage as it
    starts. Raises SparkUnavailable when Spark cannot run here, SparkJobFailed when a job
    fails, IndexRefused / IndexUnavailable when the index cannot be kept (what was stored
    before a failure is kept, as after an interruption).
    """
    started = time.perf_counter()
    location = index_location(paths, index_file, False)
    said = stage or _quiet
    said("starting Spark")
    with spark_session(master) as spark:  # first: no index is made where Spark cannot run
        index = CorpusIndex.open(location, owned=index_file is None)
        try:
            if index.location == MEMORY:
                raise IndexUnavailable(index.notice or "the index can only be kept in memory")
            with spark_errors(), index.lock:
                fields = dict(field_map or {})
                report = _refresh_with(spark, index, paths, threshold, follow, fields, said)
        except sqlite3.DatabaseError as error:  # damaged, a full disk, held by another process
            raise IndexUnavailable(f"{index.location}: {error}") from None
        finally:
            index.close()
    report.refresh.notice = index.notice
    report.refresh.seconds = time.perf_counter() - started
    return report


def _refresh_with(
    spark: SparkSession,
    index: CorpusIndex,
    paths: Sequence[Path],
    threshold: float | None,
    follow: bool,
    field_map: dict[str, str],
    said: Callable[[str], None],
) -> SparkIndexReport:
    """What `reader.store.library.index_corpus` does, with the reading and grouping on
    Spark."""
    stored_threshold = index.get_meta("threshold")
    threshold = grouping_threshold(index, threshold)
    report = SparkIndexReport(index.location, RefreshReport())
    clock = time.perf_counter()
    remembered = {} if follow else index.folder_listings()
    _, found = discover(paths, follow=follow, remembered=remembered)
    fields = json.dumps(sorted(field_map.items()))
    if index.get_meta("field_map") not in (None, fields):
        # dumps are read by other columns now: read every file again
        index.remove(rowid for known in index.stored_files().values() for rowid in known.rowids)
    index.set_meta("field_map", fields)
    to_read = changed_files(index, found, remembered, report.refresh)
    said(f"reading {len(to_read):,} new or changed files of {len(found.files):,}")
    files = [CorpusFile(Path(location), name, location) for location, name in to_read]
    fresh = _store(index, read_files(spark, files, field_map), report.refresh)
    report.seconds["read"] = time.perf_counter() - clock
    missing_story = index.count_without_story() > 0
    if not fresh and not missing_story and stored_threshold == repr(threshold):
        return report
    _regroup(spark, index, fresh, threshold, report, said)
    report.refresh.regrouped = True
    return report


def _quiet(_: str) -> None:
    """Told nothing."""


def _store(
    index: CorpusIndex, results: Iterable[FileRead | SkippedRead], report: RefreshReport
) -> set[int]:
    """Store what the executors read, CHUNK_FILES files a transaction (as the in-process
    engine does); returns the new rows' ids."""
    fresh: set[int] = set()
    results = iter(results)
    while chunk := [result for _, result in zip(range(CHUNK_FILES), results, strict=False)]:
        with index.transaction():
            fresh.update(store_read(index, chunk))
        report.indexed += len(chunk)
    return fresh


def _regroup(
    spark: SparkSession,
    index: CorpusIndex,
    fresh: set[int],
    threshold: float,
    report: SparkIndexReport,
    said: Callable[[str], None],
) -> None:
    """Group every article afresh (pairs on Spark, clustering here) and store the result
    as `reader.store.library` stores a full grouping."""
    clock = time.perf_counter()
    entries = grouping_entries(index)
    said(f"grouping {len(entries):,} articles")
    ids = [entry.id for entry in entries]
    source = signature_source(index, ids)
    frequent = frequent_of(entries, source)
    found = decided_pairs(spark, entries, source.load(ids), frequent, threshold)
    report.seconds["pairs"] = time.perf_counter() - clock
    clock = time.perf_counter()
    result = group_entries(
        entries,
        source,
        threshold,
        pairs=found.versions[:, :2].astype(np.int64),
        links=found.links,
    )
    result.frequent = frequent
    report.seconds["cluster"] = time.perf_counter() - clock
    clock = time.perf_counter()
    rowids = np.asarray(ids, dtype=np.int64)
    with index.transaction():
        clear_bands(index)
        for band in range(found.keys.shape[1]):
            put_band(index, band, rowids, found.keys[:, band])
    store_grouping(index, result, threshold, fresh, report.refresh)
    report.seconds["write"] = time.perf_counter() - clock
    report.articles = len(entries)
    report.candidates = found.candidates
    report.version_pairs = len(found.versions)
