"""Keep a corpus's index up to date and build its stories from it.

On each start only new, changed and deleted files are read (by size and modification
time); stories are updated incrementally when few files changed (each new version is
matched against the stored sketches and joins a story by the rule batch grouping uses),
and regrouped in full when many did or the index is new.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import json
import os
import sqlite3
import tempfile
import threading
import time
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TypeVar

import numpy as np

from reader.grouping.engine import EngineResult, group_entries
from reader.grouping.links import named_links
from reader.grouping.metadata import usable_story_key
from reader.grouping.stories import (
    DEFAULT_THRESHOLD,
    KnownStories,
    NewVersion,
    Story,
    StoryCorpus,
    StoryGrouper,
    StorySummary,
    order_versions,
    signature,
)
from reader.ingest.article import Article, ParagraphKind
from reader.ingest.containers import FieldMap, iter_file
from reader.ingest.corpus import (
    Corpus,
    CorpusFile,
    FolderListing,
    FoundFiles,
    ProgressCallback,
    SkippedFile,
    corpus_name,
    describe_os_error,
    file_digest,
    natural_key,
    read_ahead,
)
from reader.ingest.decode import NotText
from reader.ingest.memory import DEFAULT_MEMORY_MIB, memory_needed, workers_within
from reader.ingest.pickling import plain_pickling
from reader.ingest.workers import (
    CHUNK_FILES,
    PROGRESS_FILES,
    bounded_map,
    default_workers,
    discover,
    map_chunks,
    worker_pool_for,
)
from reader.store.bands import (
    IndexBands,
    add_band_keys,
    clear_bands,
    grouping_columns,
    has_bands,
    put_band,
    signature_source,
)
from reader.store.index import (
    MEMORY,
    REBUILD_STORY_INDEXES,
    ArticleRows,
    CorpusIndex,
    FileRows,
    IndexUnavailable,
    ListOrder,
    article_rows,
    default_index_path,
    from_db_text,
)
from reader.store.ordering import OrderedStory, ordered_clusters
from reader.store.signature_pack import (
    PackRecord,
    ScratchPack,
    pack_record,
    scratch_pack,
    signature_pack,
)
from reader.store.story_links import add_story_links, replace_story_links
from reader.store.story_list import StoredStories, stored_stories, story_list_of

#: More changed files than this share of the corpus: regroup everything.
REGROUP_SHARE = 0.2


#: A file to read: its location and the name to show for it.
FileToRead = tuple[str, str]


@plain_pickling
@dataclass(frozen=True, slots=True)
class FileRead:
    """What reading one file for the index gives: its rows as the index stores them (its
    articles and the records that failed), and its articles' signatures as a pack keeps
    them, in the same order."""

    rows: FileRows
    packed: list[PackRecord]


@plain_pickling
@dataclass(frozen=True, slots=True)
class SkippedRead:
    """A file that is not an article, why, and its size and modification time."""

    skipped: SkippedFile
    size: int
    mtime_ns: int


@dataclass(slots=True)
class RefreshReport:
    """What a refresh did."""

    indexed: int = 0
    unchanged: int = 0
    removed: int = 0
    #: Folders not listed again, their times unchanged (see `listing_is_current`).
    folders_reused: int = 0
    regrouped: bool = False
    #: Stories that existed before and gained a version in this refresh.
    updated_stories: set[str] = field(default_factory=set)
    seconds: float = 0.0
    notice: str | None = None
    cancelled: bool = False
    #: A full grouping's stories of several versions, each as its row ids in filing order
    #: and its summary, by story id: keeping the list after it need not load them again.
    ordered_stories: dict[str, tuple[list[int], StorySummary]] = field(
        default_factory=dict, repr=False
    )


class OpenedCorpus(NamedTuple):
    """A corpus brought up to date: its stories, what the refresh did, and its index."""

    library: StoryCorpus
    report: RefreshReport
    corpus_index: CorpusIndex


def index_location(paths: Sequence[Path], index_file: Path | None, in_memory: bool) -> Path | None:
    """Where the index lives: `index_file`, memory, or the user's cache folder."""
    if in_memory:
        return None
    return index_file or default_index_path(paths)


def open_corpus(
    paths: Sequence[Path],
    *,
    index_file: Path | None = None,
    in_memory: bool = False,
    threshold: float | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    follow: bool = False,
    field_map: FieldMap | None = None,
    stored: Callable[[StoryCorpus, CorpusIndex], object] | None = None,
) -> OpenedCorpus:
    """Open the corpus under `paths` (the built-in sample when empty): the one way files
    become stories, for the app, the command line, the tests and the benchmarks.

    Opens its index (`index_file`, the cache folder, or memory), reads what changed since
    the last time, updates the stories, and returns them. `threshold` None keeps the one
    the index was grouped with (the default for a new index). Calls `progress(done,
    total)` as files are read and stops early, keeping what it has, when `cancel` is set.
    Never raises for a single bad file: it is recorded in `Corpus.skipped` with the
    reason. `follow`: symbolic links met in folders are followed. An index whose content
    is damaged is rebuilt; one that cannot be written part way (a full disk, a folder made
    read-only) or is held by another process is left alone and the work done again in
    memory, with a notice. `field_map` (`--field body=story_text`) names the columns of
    CSV/JSONL dumps that are not named as usual; when it changes, every file is read again.
    `stored` is called first, before any file is looked at, with the stories as the index
    kept them (`stored_library`) and the index, when it has them: the app shows them while
    the files are checked.
    """
    location = index_location(paths, index_file, in_memory)
    kept: StoryCorpus | None = None

    def show_kept(index: CorpusIndex) -> None:
        nonlocal kept
        assert stored is not None
        kept = stored_library(index, paths)
        if kept is not None:
            stored(kept, index)
        index.check_pages()  # after: it reads every page of the index

    def refreshed(index: CorpusIndex) -> tuple[StoryCorpus, RefreshReport]:
        return refresh(
            index,
            paths,
            threshold=threshold,
            workers=workers,
            progress=progress,
            cancel=cancel,
            follow=follow,
            field_map=field_map,
            kept=kept if index.notice is None else None,
            listed=stored is not None,
        )

    before = show_kept if stored is not None else None
    (library, report), index = _with_index(location, index_file is None, refreshed, before)
    return OpenedCorpus(library, report, index)


@dataclass(frozen=True, slots=True)
class IndexSummary:
    """What an index holds, counted without loading it."""

    articles: int
    stories: int
    skipped: list[SkippedFile]


def index_corpus(
    paths: Sequence[Path],
    *,
    index_file: Path | None = None,
    threshold: float | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    follow: bool = False,
    field_map: FieldMap | None = None,
    memory_mib: int = DEFAULT_MEMORY_MIB,
) -> tuple[IndexSummary, RefreshReport, CorpusIndex]:
    """Bring the corpus's index up to date as `open_corpus` does, without listing its
    stories (the `index` command): memory stays within what reading and grouping need,
    whatever the size of the corpus."""
    location = index_location(paths, index_file, False)

    def updated(index: CorpusIndex) -> tuple[IndexSummary, RefreshReport]:
        with index.lock, index.pages_checked_meanwhile():
            grouper = StoryGrouper(grouping_threshold(index, threshold))
            corpus, _, report = _update_index(
                index,
                paths,
                grouper,
                workers,
                progress,
                cancel,
                follow,
                dict(field_map or {}),
                memory_mib,
                keep_read=False,
            )
            if (
                report.indexed
                or report.removed
                or report.regrouped
                or index.list_order() is None
                or not index.has_story_list()
            ):
                # so that the app, opened next, lists at once
                _keep_list_order(index, report.ordered_stories)
                report.ordered_stories = {}
            articles, stories = index.counts()
            return IndexSummary(articles, stories, corpus.skipped + index.skipped()), report

    (summary, report), index = _with_index(location, index_file is None, updated, check_pages=False)
    return summary, report, index


T = TypeVar("T")


def _with_index(
    location: Path | None,
    owned: bool,
    work: Callable[[CorpusIndex], tuple[T, RefreshReport]],
    before: Callable[[CorpusIndex], None] | None = None,
    *,
    check_pages: bool = True,
) -> tuple[tuple[T, RefreshReport], CorpusIndex]:
    """Open the index at `location` and run `work` on it: an index whose content is damaged
    is rebuilt; one that cannot be written part way (a full disk, a folder made read-only)
    or is held by another process is left alone and the work done again in memory, with a
    notice (in the report). `before` is run first, and checks the index's pages itself;
    `check_pages` False: `work` checks them (`CorpusIndex.pages_checked_meanwhile`)."""
    index = CorpusIndex.open(location, owned=owned, check_pages=before is None and check_pages)
    if before is not None:
        before(index)
    try:
        result, report = work(index)
    except (sqlite3.DatabaseError, *_DAMAGE) as error:
        if index.location == MEMORY:
            raise IndexUnavailable(str(error)) from error
        if is_damage(error):
            # Values, tables or pages that cannot be read back: start again from the files.
            index.rebuild(f"{type(error).__name__}: {error}")
        else:  # cannot write (a full disk, a read-only folder) or held by another process
            failed_at = index.location
            index.close()
            index = CorpusIndex.open(None)
            index.notice = f"the index could not be used at {failed_at} ({error}); using memory"
        result, report = work(index)
    report.notice = "; ".join(note for note in (index.notice, report.notice) if note) or None
    return (result, report), index


#: Errors reading back what the index stored (a malformed value) raise.
_DAMAGE = (ValueError, TypeError, KeyError, IndexError, AttributeError)
_DAMAGE_MESSAGES = ("no such table", "no such column", "malformed", "corrupt", "not a database")


def is_damage(error: BaseException) -> bool:
    """True when `error` means the index's content is damaged (to be rebuilt), rather than
    that it cannot be written now or another process holds it (to be left alone)."""
    if isinstance(error, _DAMAGE):
        return True
    message = str(error).lower()
    if "locked" in message or "busy" in message:
        return False
    if isinstance(error, sqlite3.OperationalError):
        return any(part in message for part in _DAMAGE_MESSAGES)
    return isinstance(error, sqlite3.DatabaseError)


def refresh(
    index: CorpusIndex,
    paths: Sequence[Path],
    *,
    threshold: float | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    follow: bool = False,
    field_map: FieldMap | None = None,
    kept: StoryCorpus | None = None,
    listed: bool = False,
) -> tuple[StoryCorpus, RefreshReport]:
    """Read what changed since the last refresh, update the stories, and return them
    (`threshold` None: the one the index was grouped with; `follow`: symbolic links met in
    folders are followed; `field_map`: columns of CSV/JSONL dumps). `kept`: the stories
    already built from this index (`stored_library`, or a refresh), given back as they are
    when nothing changed, rather than built again. `listed`: stories built again are given
    as the index now lists them (`StoredStories`, each story's versions loaded when asked
    for), not with every article held, as the app keeps them (an index in memory, whose
    reads wait for a refresh, gives them in memory)."""
    with index.lock:
        grouper = StoryGrouper(grouping_threshold(index, threshold))
        fields = dict(field_map or {})
        started = time.perf_counter()
        corpus, read, report = _update_index(
            index, paths, grouper, workers, progress, cancel, follow, fields
        )
        report.ordered_stories = {}  # the list is made below from the articles loaded
        unchanged = not (report.indexed or report.removed or report.regrouped)
        order = index.list_order() if unchanged else None
        if order is not None and kept is not None and kept.article_count == len(order.rowids):
            kept.corpus.skipped = _all_skipped(index, corpus)  # the stories are the index's
            _keep_story_list(index, kept)
            report.seconds = time.perf_counter() - started
            return kept, report
        with kept_for_long():
            library = None
            if order is not None:  # nothing changed: the list as kept, not sorted again
                library = _ordered_library(index, corpus, index.articles(), order)
                if library is not None:
                    _keep_story_list(index, library)
            if library is None:
                paths_made = {location: Path(location) for location, _ in read}
                library = _library(index, corpus, index.articles(paths_made))
            if listed and index.location != MEMORY and not isinstance(library, StoredStories):
                library = _as_listed(index, library)
        report.seconds = time.perf_counter() - started
        return library, report


def _as_listed(index: CorpusIndex, library: StoryCorpus) -> StoryCorpus:
    """`library`'s stories as the index lists them (kept with them), its articles let go."""
    order = index.list_order()
    if order is None:
        return library
    corpus = Corpus(library.corpus.name, skipped=library.corpus.skipped)
    listed = stored_stories(index, corpus, order, _story_notes(index))
    return listed if listed is not None else library


def grouping_threshold(index: CorpusIndex, threshold: float | None) -> float:
    """The threshold to group with: the one given, else the index's, else the default."""
    if threshold is not None:
        return threshold
    stored = index.get_meta("threshold")
    return float(stored) if stored is not None else DEFAULT_THRESHOLD


def _update_index(
    index: CorpusIndex,
    paths: Sequence[Path],
    grouper: StoryGrouper,
    workers: int | None,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    follow: bool,
    field_map: dict[str, str],
    memory_mib: int = DEFAULT_MEMORY_MIB,
    *,
    keep_read: bool = True,
) -> tuple[Corpus, list[FileToRead], RefreshReport]:
    """Read what changed and update the stories in the index; returns the corpus found
    (its files skipped while listing), the files read (none unless `keep_read`: a million
    names held through grouping), and what was done. The listing is let go once compared
    with the index (a million names)."""
    started = time.perf_counter()
    report = RefreshReport()
    if index.get_meta("threshold") != repr(grouper.threshold):
        with index.transaction():  # regrouped with another threshold below
            index.forget_story_list()
    remembered = {} if follow else index.folder_listings()
    corpus, found = discover(paths, follow=follow, remembered=remembered)
    report.folders_reused = found.reused
    articles = max(len(found.files), index.rows_at_most())
    workers = workers_within(memory_mib, articles, workers or default_workers())
    report.notice = memory_needed(memory_mib, articles)
    fields = json.dumps(sorted(field_map.items()))
    if index.get_meta("field_map") not in (None, fields):
        # dumps are read by other columns now: read every file again
        index.remove(rowid for known in index.stored_files().values() for rowid in known.rowids)
    index.set_meta("field_map", fields)
    to_read = changed_files(index, found, remembered, report)
    del found, remembered
    with contextlib.ExitStack() as stack:
        pack = (
            stack.enter_context(scratch_pack(_scratch(index)))
            if _regroup_likely(index, len(to_read))
            else None
        )
        fresh = _read_into(index, to_read, workers, progress, cancel, report, field_map, pack)
        read = to_read if keep_read else []
        del to_read
        _update_stories(index, fresh, grouper, workers, report, pack)
    report.seconds = time.perf_counter() - started
    return corpus, read, report


def _regroup_likely(index: CorpusIndex, to_read: int) -> bool:
    """Whether reading this many files will likely end in grouping every article afresh
    (`_update_stories`), for which the signatures are packed as they are stored."""
    return (
        index.location != MEMORY
        and to_read > 0
        and _regroups(to_read, index.rows_at_most() + to_read)
    )


def _regroups(new: int, articles: int) -> bool:
    """Whether this many new articles among all are too many to join to the stored
    stories one by one: every article is grouped afresh."""
    return new > REGROUP_SHARE * max(articles, 1)


def _scratch(index: CorpusIndex) -> Path | None:
    """Where grouping keeps its scratch files (None: in memory, as the index is)."""
    return None if index.location == MEMORY else Path(tempfile.gettempdir())


def changed_files(
    index: CorpusIndex,
    found: FoundFiles,
    remembered: dict[str, FolderListing],
    report: RefreshReport,
) -> list[FileToRead]:
    """The files to read (in file-name order): new ones, and those whose size and
    modification time changed and whose content did too (a touched file is not read
    again); drops the files that went, and keeps the folders' listings for the next walk.

    Every file found is stat'ed, also in a folder that was not listed again: a file written
    in place does not change its folder's times (see `listing_is_current`), and a stat is
    cheap (100,000 of them take about a quarter of a second here).
    """
    stored = index.file_states()
    to_read: list[str] = []
    touched: list[tuple[int, int, int]] = []
    stat = os.stat
    for location in found.files:
        try:
            status = stat(location)
        except OSError:
            to_read.append(location)  # reading it will say why it cannot be read
            continue
        known = stored.get(location)
        if known is None:
            to_read.append(location)
        elif known != (status.st_size, status.st_mtime_ns):
            held = index.stored_file(location)
            if held is not None and held.digest and held.digest == _digest_or_none(location):
                touched.extend((rowid, status.st_size, status.st_mtime_ns) for rowid in held.rowids)
            else:
                to_read.append(location)
    report.unchanged = len(found.files) - len(to_read)
    removed = index.rowids_of(sorted(stored.keys() - found.files.keys()))
    report.removed = len(removed)
    with index.transaction():
        if removed or to_read:  # the stories will change: the list kept is not theirs
            index.forget_story_list()
        index.remove(removed)
        index.touch(touched)
        index.put_folder_listings(found.listings, remembered)
    # (location, name) pairs, not CorpusFile objects: a Path each for a million new files
    # took most of a gigabyte; they are made a chunk at a time as the chunks are read
    files = [(location, found.files[location]) for location in to_read]
    files.sort(key=lambda file: natural_key(file[1]))
    return files


def _digest_or_none(location: str) -> str | None:
    try:
        return file_digest(Path(location))
    except (OSError, NotText):
        return None


def ingest_located(
    files: list[FileToRead], field_map: FieldMap | None = None
) -> list[FileRead | SkippedRead]:
    """`ingest_for_index` of files given as (location, name) pairs."""
    return ingest_for_index(
        [CorpusFile(Path(location), name, location) for location, name in files], field_map
    )


def ingest_for_index(
    files: list[CorpusFile], field_map: FieldMap | None = None
) -> list[FileRead | SkippedRead]:
    """Read, parse and sign files, each into its articles (in a worker process for a large
    corpus). A file whose format it sniffs as plain text is one article; a container many."""
    results: list[FileRead | SkippedRead] = []
    if len(files) > 1:
        read_ahead(file.path for file in files)
    for file in files:
        articles: list[ArticleRows] = []
        packed: list[PackRecord] = []
        problems: list[SkippedFile] = []
        try:
            stat = os.stat(file.path)
            # one record at a time: only what the index keeps is held, not every text
            for found in iter_file(file, field_map):
                if isinstance(found, Article):
                    stored, record = _for_index(found, stat.st_mtime_ns)
                    articles.append(stored)
                    packed.append(record)
                else:
                    problems.append(found)
        except (NotText, OSError) as error:
            reason = str(error) if isinstance(error, NotText) else describe_os_error(error)
            size, mtime_ns = _stat_or_zero(file.path)
            results.append(SkippedRead(SkippedFile(file.path, file.name, reason), size, mtime_ns))
            continue
        rows = FileRows(str(file.path), articles, problems, stat.st_size, stat.st_mtime_ns)
        results.append(FileRead(rows, packed))
    return results


def _for_index(article: Article, mtime_ns: int) -> tuple[ArticleRows, PackRecord]:
    body = "\n".join(p.text for p in article.paragraphs if p.kind is not ParagraphKind.TRAILER)
    signed = signature(article)
    return article_rows(article, signed, mtime_ns, body), pack_record(signed)


def _stat_or_zero(path: Path) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return 0, 0  # unreadable or gone: it will be tried again next time
    return stat.st_size, stat.st_mtime_ns


def store_read(index: CorpusIndex, results: Iterable[FileRead | SkippedRead]) -> list[int]:
    """Store what reading files gave (in the caller's transaction); returns the new rows'
    ids, in the order of the results' articles."""
    read: list[FileRows] = []
    for result in results:
        if isinstance(result, SkippedRead):
            index.put_skipped(result.skipped, result.size, result.mtime_ns)
        else:
            read.append(result.rows)
    return index.put_files(read)


def _read_into(
    index: CorpusIndex,
    files: list[FileToRead],
    workers: int | None,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    report: RefreshReport,
    field_map: dict[str, str],
    pack: ScratchPack | None = None,
) -> set[int]:
    """Read `files` and store them, a chunk per transaction; returns the new rows' ids
    (their signatures are in the index, not held: a corpus may be any size), and puts
    their signatures in `pack` too."""
    fresh: set[int] = set()
    done = 0
    if len(files) >= REBUILD_STORY_INDEXES and 2 * len(files) >= index.article_count():
        with index.transaction():
            index.drop_story_indexes()

    def store(results: list[FileRead | SkippedRead]) -> None:
        nonlocal done
        with index.transaction():
            stored = store_read(index, results)
        fresh.update(stored)
        if pack is not None:
            pack.add(
                stored,
                [
                    record
                    for result in results
                    if isinstance(result, FileRead)
                    for record in result.packed
                ],
            )
        done += len(results)
        report.indexed = done
        if progress is not None:
            progress(done, len(files))

    with worker_pool_for(len(files), workers) as pool:
        chunk = CHUNK_FILES if pool is not None else PROGRESS_FILES
        work = functools.partial(ingest_located, field_map=field_map)
        finished = map_chunks(work, files, store, chunk=chunk, pool=pool, cancel=cancel)
    report.cancelled = not finished
    if progress is not None and not files:
        progress(0, 0)
    return fresh


def _update_stories(
    index: CorpusIndex,
    fresh: set[int],
    grouper: StoryGrouper,
    workers: int | None,
    report: RefreshReport,
    pack: ScratchPack | None = None,
) -> None:
    """Bring the stories stored in the index up to date, without loading every article
    (a corpus may be any size): a full grouping, or new files joined to stored stories.
    `pack`: signatures packed as they were stored, for a full grouping."""
    missing_story = index.count_without_story() > 0
    same_threshold = index.get_meta("threshold") == repr(grouper.threshold)
    if not fresh and not missing_story and same_threshold:
        return
    # the stories of every row are loaded only to join a few new files to them
    incremental = (
        same_threshold
        and has_bands(index)
        and index.get_meta("frequent") is not None
        and not _regroups(len(fresh), index.article_count())
        and set(index.rows_without_story()) <= fresh
    )
    if incremental:
        _extend_stories(index, index.stories_of_rows(), fresh, grouper, report)
    else:
        _regroup(index, fresh, grouper, workers, report, pack)
        report.regrouped = True


def _regroup(
    index: CorpusIndex,
    fresh: set[int],
    grouper: StoryGrouper,
    workers: int | None,
    report: RefreshReport,
    pack: ScratchPack | None = None,
) -> None:
    """Group every article afresh: the engine reads the signatures from a scratch copy of
    the index's (`signature_pack`: those of `pack`, stored just now, and the others copied
    by worker processes), the band keys go to the index, and only the articles of stories
    of several versions are loaded, a chunk at a time, to order them."""
    scratch = _scratch(index)
    with contextlib.ExitStack() as stack:
        stack.enter_context(index.transaction())
        # the entries are made in a child process while the workers copy the signatures
        made_entries = stack.enter_context(grouping_columns(index))
        pool = stack.enter_context(worker_pool_for(index.rows_at_most(), workers))
        run = bounded_map(pool) if pool is not None else map
        rowids = index.signature_rows()
        source = (
            signature_source(index, rowids)
            if index.location == MEMORY
            else stack.enter_context(
                signature_pack(str(index.location), rowids, run, scratch, started=pack)
            )
        )
        del rowids
        entries = made_entries()
        clear_bands(index)
        result = group_entries(
            entries,
            source,
            grouper.threshold,
            parallel_map=run,
            scratch=scratch,
            band_sink=lambda band, rowids, keys: put_band(index, band, rowids, keys),
        )
        ordered = ordered_clusters(index, result, run)
    del entries
    store_grouping(index, result, grouper.threshold, fresh, report, ordered)


def store_grouping(
    index: CorpusIndex,
    result: EngineResult,
    threshold: float,
    fresh: set[int],
    report: RefreshReport,
    ordered: Mapping[int, OrderedStory] | None = None,
) -> None:
    """Store a full grouping's stories (each named after its first version; a story of one
    after its article), the links between them, its notes and settings; records in
    `report` the stories known before that gained a version. `ordered`: the stories of
    several versions in filing order (`ordering.ordered_clusters`), when already worked
    out."""
    if ordered is None:
        ordered = ordered_clusters(index, result)
    story_ids: dict[int, str] = {}  # the rows of stories of several versions
    notes: dict[str, list[str]] = {}
    for found in ordered.values():
        story_ids.update((rowid, found.id) for rowid in found.rowids)
        report.ordered_stories[found.id] = (found.rowids, found.summary)
        if found.note is not None:
            notes[found.id] = [found.note]
    # a story of one gains nothing: only stories of several can hold a new version
    gained = {story_ids[rowid] for rowid in fresh if rowid in story_ids}
    report.updated_stories = {
        story
        for rowid in index.rows_with_story()
        if rowid not in fresh and (story := story_ids.get(rowid)) in gained
    }
    links = named_links(result.links, _cluster_names(index, result, story_ids))
    with index.transaction():
        index.put_grouping(story_ids, others_alone=True)
        replace_story_links(index, links)
        index.set_meta("frequent", result.frequent.tobytes().hex())
        index.set_meta("threshold", repr(threshold))
        index.set_meta(STORY_NOTES, json.dumps(notes))


def _cluster_names(
    index: CorpusIndex, result: EngineResult, story_ids: dict[int, str]
) -> dict[int, str]:
    """The story id of each linked cluster: its id as stored, or (a story of one) its
    article's id."""
    linked = {number for link in result.links for number in (link.first, link.second)}
    alone = sorted(
        result.clusters[number][0] for number in linked if len(result.clusters[number]) == 1
    )
    article_of = index.article_ids(alone)
    return {
        number: story_ids.get(first) or article_of[first]
        for number in linked
        for first in [result.clusters[number][0]]
    }


#: Articles loaded per query when ordering the versions of stories.
ARTICLES_PER_QUERY = 5000


def _extend_stories(
    index: CorpusIndex,
    known: dict[int, tuple[str | None, str | None]],
    fresh: set[int],
    grouper: StoryGrouper,
    report: RefreshReport,
) -> None:
    """Join new and changed files to the stored stories."""
    frequent = np.frombuffer(bytes.fromhex(index.get_meta("frequent") or ""), dtype=np.uint64)
    stories = KnownStories(
        bands=IndexBands(index),
        frequent=frequent,
        story_of={
            rowid: story for rowid, (story, _) in known.items() if rowid not in fresh and story
        },
        story_keys={
            key: story
            for rowid, (story, story_key) in known.items()
            if rowid not in fresh and story and (key := usable_story_key(story_key)) is not None
        },
    )
    articles = index.articles_of(sorted(fresh))
    signatures = index.signatures(sorted(fresh))
    new_versions = [NewVersion(rowid, articles[rowid], sig) for rowid, sig in signatures.items()]
    extension = grouper.extend(stories, new_versions, index.signatures)
    report.updated_stories |= extension.updated
    notes = _story_notes(index)
    for story, found in extension.notes.items():
        notes.setdefault(story, []).extend(found)
    # stories merged into others by the new files: their links follow them
    renamed = {
        old: story
        for rowid, story in extension.story_of.items()
        if rowid not in fresh and (old := known[rowid][0]) is not None and old != story
    }
    with index.transaction():
        index.put_grouping(extension.story_of)
        add_band_keys(index.connection, extension.band_keys)
        add_story_links(index, extension.links, renamed)
        index.set_meta(STORY_NOTES, json.dumps(notes))


#: The index's meta key holding notes on stories (metadata conflicts), as JSON.
STORY_NOTES = "story_notes"


def _story_notes(index: CorpusIndex) -> dict[str, list[str]]:
    stored = index.get_meta(STORY_NOTES)
    notes: dict[str, list[str]] = json.loads(stored) if stored else {}
    return notes


@contextlib.contextmanager
def kept_for_long() -> Iterator[None]:
    """Build what will be kept for long (a corpus's articles and stories, the list's rows)
    out of the way of Python's cycle collector.

    It runs every 700 allocations and walks what was made since, and now and then everything:
    building 100,000 articles took twice as long, and a pass over them held every thread
    (the app's UI too) for a good part of a second. So what else the process holds is
    collected first (cheap: what was built before is frozen), the collector is paused while
    building, and what was built is frozen after (`gc.freeze`). Articles and stories hold
    no cycles: reference counting frees them when they are dropped.
    """
    enabled = gc.isenabled()
    if enabled:
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def stored_library(index: CorpusIndex, paths: Sequence[Path]) -> StoryCorpus | None:
    """The stories as the index last kept them, from the index alone (no file is listed or
    stat'ed): what the last session showed, to show at once while `refresh` looks for
    changes (files gone meanwhile say so when opened). None when the index has no list to
    show: a new one, or one whose list order was not kept (`refresh` keeps it)."""
    with index.lock, kept_for_long():
        try:
            order = index.list_order()
            if order is None or index.get_meta("threshold") is None:
                return None
            corpus = Corpus(name=corpus_name(paths))
            listed = stored_stories(index, corpus, order, _story_notes(index))
            if listed is not None:  # the kept list: no article is made until asked for
                listed.corpus.skipped = _all_skipped(index, corpus)
                return listed
            return _ordered_library(index, corpus, index.articles(), order)
        except (sqlite3.DatabaseError, *_DAMAGE):
            return None  # what cannot be read back is for the re-scan to rebuild


def _keep_story_list(index: CorpusIndex, library: StoryCorpus) -> None:
    """Keep what the list shows of each story beside the list order when the index lacks
    it (made before the story list was kept): the next re-open lists without loading."""
    if index.has_story_list():
        return
    with index.transaction():
        index.put_story_list(story_list_of(library.stories))


def _ordered_library(
    index: CorpusIndex,
    corpus: Corpus,
    rows: list[tuple[int, Article, str | None]],
    order: ListOrder,
) -> StoryCorpus | None:
    """The stories of `rows` in the kept `order`, or None when the order does not fit them
    (the articles or their stories are not those it was made for)."""
    found = {rowid: (article, story) for rowid, article, story in rows}
    count = len(found)
    if len(order.rowids) != count or set(order.rowids) != found.keys():
        return None
    if len(order.by_name) != count or set(order.by_name) != set(range(count)):
        return None
    listed = [found[rowid] for rowid in order.rowids]
    articles = [article for article, _ in listed]
    # each story's versions are together in the order, and nowhere else
    keys = [story or article.id for article, story in listed]
    starts = order.story_starts.tolist()
    changes = [place for place in range(1, count) if keys[place] != keys[place - 1]]
    if starts != ([0, *changes] if count else []) or len(set(keys)) != len(starts):
        return None
    notes = _story_notes(index)
    stories = [
        Story(keys[start], articles[start:end], list(notes.get(keys[start], ())))
        for start, end in zip(starts, [*starts[1:], count], strict=True)
    ]
    corpus.articles = [articles[place] for place in order.by_name]
    corpus.skipped = _all_skipped(index, corpus)
    return StoryCorpus(corpus, stories)


def _library(
    index: CorpusIndex, corpus: Corpus, rows: list[tuple[int, Article, str | None]]
) -> StoryCorpus:
    """The stories of `rows`, put in order (and the order kept for the next re-open)."""
    members: dict[str, list[Article]] = defaultdict(list)
    rowid_of: dict[int, int] = {}  # id(article) -> its row
    for rowid, article, story in rows:
        members[story or article.id].append(article)
        rowid_of[id(article)] = rowid
    notes = _story_notes(index)
    stories = [
        Story(id=story_id, versions=order_versions(versions), notes=list(notes.get(story_id, ())))
        for story_id, versions in members.items()
    ]
    stories.sort(key=lambda story: natural_key(story.versions[0].name))
    corpus.articles = sorted((article for _, article, _ in rows), key=lambda a: natural_key(a.name))
    corpus.skipped = _all_skipped(index, corpus)
    listed = [version for story in stories for version in story.versions]
    place_of = {id(article): place for place, article in enumerate(listed)}
    starts = list(itertools.accumulate((len(story) for story in stories[:-1]), initial=0))
    order = ListOrder(
        array("q", [rowid_of[id(article)] for article in listed]),
        array("q", starts if stories else []),
        array("q", [place_of[id(article)] for article in corpus.articles]),
    )
    with index.transaction():
        index.put_list_order(order, story_list_of(stories))
    return StoryCorpus(corpus, stories)


def _keep_list_order(
    index: CorpusIndex, ordered_stories: dict[str, tuple[list[int], StorySummary]]
) -> None:
    """Keep the story list's order (as `_library` makes it) without loading every article:
    names for the stories of one version, and the articles of stories of several versions
    a chunk at a time, to order them (those of `ordered_stories`, ordered by the grouping
    just stored, are not loaded again)."""
    rows = index.connection.execute(
        "SELECT rowid, story, article_id, name, headline, words FROM files WHERE skipped IS NULL"
    ).fetchall()
    members: dict[str, list[int]] = defaultdict(list)
    name_of: dict[int, str] = {}
    single: dict[int, tuple[str, str, int]] = {}  # rowid -> article id, headline, words
    for rowid, story, article_id, name, headline, words in rows:
        members[story or article_id].append(rowid)
        name_of[rowid] = from_db_text(name)
        single[rowid] = (article_id, headline or "", words or 0)
    del rows
    several = [(story, rowids) for story, rowids in members.items() if len(rowids) > 1]
    ordered: list[list[int]] = [rowids for rowids in members.values() if len(rowids) == 1]
    summary_of = {
        rowids[0]: (story, StorySummary(1, title, name, name, article_id, words))
        for story, rowids in members.items()
        if len(rowids) == 1
        for article_id, title, words in [single[rowids[0]]]
        for name in [name_of[rowids[0]]]
    }
    del single

    def known(story: str, rowids: list[int]) -> tuple[list[int], StorySummary] | None:
        found = ordered_stories.get(story)
        return found if found is not None and sorted(found[0]) == sorted(rowids) else None

    for start in range(0, len(several), ARTICLES_PER_QUERY):
        chunk = several[start : start + ARTICLES_PER_QUERY]
        wanted = [rowid for story, rowids in chunk if not known(story, rowids) for rowid in rowids]
        articles = index.articles_with_story(wanted) if wanted else {}
        rowid_of = {id(article): rowid for rowid, (article, _) in articles.items()}
        for story, rowids in chunk:
            found = known(story, rowids)
            if found is not None:
                ordered.append(found[0])
                summary_of[found[0][0]] = (story, found[1])
                continue
            versions = order_versions(articles[rowid][0] for rowid in rowids)
            ordered.append([rowid_of[id(article)] for article in versions])
            summary_of[ordered[-1][0]] = (story, StorySummary.of(versions))
    ordered.sort(key=lambda rowids: natural_key(name_of[rowids[0]]))
    listed = [rowid for rowids in ordered for rowid in rowids]
    place_of = {rowid: place for place, rowid in enumerate(listed)}
    by_name = sorted(listed, key=lambda rowid: natural_key(name_of[rowid]))
    order = ListOrder(
        array("q", listed),
        array("q", itertools.accumulate((len(rowids) for rowids in ordered[:-1]), initial=0)),
        array("q", [place_of[rowid] for rowid in by_name]),
    )
    with index.transaction():
        index.put_list_order(
            order if listed else None, [summary_of[rowids[0]] for rowids in ordered]
        )


def _all_skipped(index: CorpusIndex, corpus: Corpus) -> list[SkippedFile]:
    """What walking the folders skipped (links) and what reading did (the index's), in
    natural order."""
    return sorted(corpus.skipped + index.skipped(), key=lambda skip: natural_key(skip.name))
