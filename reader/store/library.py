"""Keep a corpus's index up to date and build its stories from it.

On each start only new, changed and deleted files are read (by size and modification
time); stories are updated incrementally when few files changed (each new version is
matched against the stored sketches and joins a story by the rule batch grouping uses),
and regrouped in full when many did or the index is new.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np

from reader.grouping.metadata import usable_key
from reader.grouping.stories import (
    DEFAULT_THRESHOLD,
    KnownStories,
    NewVersion,
    Signature,
    Story,
    StoryCorpus,
    StoryGrouper,
    order_versions,
    signature,
)
from reader.ingest.article import Article, ParagraphKind
from reader.ingest.containers import FieldMap, iter_file
from reader.ingest.corpus import (
    Corpus,
    CorpusFile,
    ProgressCallback,
    SkippedFile,
    describe_os_error,
    file_digest,
    natural_key,
)
from reader.ingest.decode import NotText
from reader.ingest.workers import (
    CHUNK_FILES,
    PROGRESS_FILES,
    discover,
    map_chunks,
    worker_pool_for,
)
from reader.store.index import MEMORY, CorpusIndex, IndexUnavailable, default_index_path

#: More changed files than this share of the corpus: regroup everything.
REGROUP_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class ReadArticle:
    """What reading one file for the index gives: the article (without paragraphs), its
    signature, its searchable text and its modification time."""

    article: Article
    signature: Signature
    body: str
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class FileRead:
    """What reading one file for the index gives: its articles and the records that failed."""

    path: Path
    articles: list[ReadArticle]
    problems: list[SkippedFile]
    size: int
    mtime_ns: int


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
    regrouped: bool = False
    #: Stories that existed before and gained a version in this refresh.
    updated_stories: set[str] = field(default_factory=set)
    seconds: float = 0.0
    notice: str | None = None
    cancelled: bool = False


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
    """
    location = index_location(paths, index_file, in_memory)
    index = CorpusIndex.open(location, owned=index_file is None)

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
        )

    try:
        library, report = refreshed(index)
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
        library, report = refreshed(index)
    report.notice = index.notice
    return OpenedCorpus(library, report, index)


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
) -> tuple[StoryCorpus, RefreshReport]:
    """Read what changed since the last refresh, update the stories, and return them
    (`threshold` None: the one the index was grouped with; `follow`: symbolic links met in
    folders are followed; `field_map`: columns of CSV/JSONL dumps)."""
    with index.lock:
        stored = index.get_meta("threshold")
        if threshold is None:
            threshold = float(stored) if stored is not None else DEFAULT_THRESHOLD
        grouper = StoryGrouper(threshold)
        fields = dict(field_map or {})
        return _refresh(index, paths, grouper, workers, progress, cancel, follow, fields)


def _refresh(
    index: CorpusIndex,
    paths: Sequence[Path],
    grouper: StoryGrouper,
    workers: int | None,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    follow: bool,
    field_map: dict[str, str],
) -> tuple[StoryCorpus, RefreshReport]:
    started = time.perf_counter()
    report = RefreshReport()
    corpus, files = discover(paths, follow=follow)
    fields = json.dumps(sorted(field_map.items()))
    if index.get_meta("field_map") not in (None, fields):
        # dumps are read by other columns now: read every file again
        index.remove(rowid for known in index.stored_files().values() for rowid in known.rowids)
    index.set_meta("field_map", fields)
    to_read = changed_files(index, files, report)
    fresh = _read_into(index, to_read, workers, progress, cancel, report, field_map)
    paths_made = {file.location: file.path for file in files}
    rows = _update_stories(index, fresh, grouper, workers, report, paths_made)
    library = _library(index, corpus, rows if rows is not None else index.articles(paths_made))
    report.seconds = time.perf_counter() - started
    return library, report


def changed_files(
    index: CorpusIndex, files: list[CorpusFile], report: RefreshReport
) -> list[CorpusFile]:
    """The files to read: new ones, and those whose size and modification time changed and
    whose content did too (a touched file is not read again); drops the files that went."""
    stored = index.stored_files()
    to_read: list[CorpusFile] = []
    touched: list[tuple[int, int, int]] = []
    for file in files:
        known = stored.get(file.location)
        try:
            stat = os.stat(file.location)
        except OSError:
            to_read.append(file)  # reading it will say why it cannot be read
            continue
        if known is not None and (known.size, known.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            report.unchanged += 1
        elif known is not None and known.digest and known.digest == _digest_or_none(file):
            touched.extend((rowid, stat.st_size, stat.st_mtime_ns) for rowid in known.rowids)
            report.unchanged += 1
        else:
            to_read.append(file)
    present = {file.location for file in files}
    removed = [
        rowid for path, known in stored.items() if path not in present for rowid in known.rowids
    ]
    report.removed = len(removed)
    with index.transaction():
        index.remove(removed)
        index.touch(touched)
    return to_read


def _digest_or_none(file: CorpusFile) -> str | None:
    try:
        return file_digest(file.path)
    except (OSError, NotText):
        return None


def ingest_for_index(
    files: list[CorpusFile], field_map: FieldMap | None = None
) -> list[FileRead | SkippedRead]:
    """Read, parse and sign files, each into its articles (in a worker process for a large
    corpus). A file whose format it sniffs as plain text is one article; a container many."""
    results: list[FileRead | SkippedRead] = []
    for file in files:
        articles: list[ReadArticle] = []
        problems: list[SkippedFile] = []
        try:
            stat = os.stat(file.path)
            # one record at a time: only what the index keeps is held, not every text
            for found in iter_file(file, field_map):
                if isinstance(found, Article):
                    articles.append(_for_index(found, stat.st_mtime_ns))
                else:
                    problems.append(found)
        except (NotText, OSError) as error:
            reason = str(error) if isinstance(error, NotText) else describe_os_error(error)
            size, mtime_ns = _stat_or_zero(file.path)
            results.append(SkippedRead(SkippedFile(file.path, file.name, reason), size, mtime_ns))
            continue
        results.append(FileRead(file.path, articles, problems, stat.st_size, stat.st_mtime_ns))
    return results


def _for_index(article: Article, mtime_ns: int) -> ReadArticle:
    body = "\n".join(p.text for p in article.paragraphs if p.kind is not ParagraphKind.TRAILER)
    return ReadArticle(article.without_body(), signature(article), body, mtime_ns)


def _stat_or_zero(path: Path) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return 0, 0  # unreadable or gone: it will be tried again next time
    return stat.st_size, stat.st_mtime_ns


def _read_into(
    index: CorpusIndex,
    files: list[CorpusFile],
    workers: int | None,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    report: RefreshReport,
    field_map: dict[str, str],
) -> dict[int, Signature]:
    """Read `files` and store them, a chunk per transaction; returns new rows' signatures."""
    fresh: dict[int, Signature] = {}
    done = 0

    def store(results: list[FileRead | SkippedRead]) -> None:
        nonlocal done
        with index.transaction():
            for result in results:
                if isinstance(result, SkippedRead):
                    index.put_skipped(result.skipped, result.size, result.mtime_ns)
                    continue
                stored = [(read.article, read.signature, read.body) for read in result.articles]
                rowids = index.put_file(
                    result.path, stored, result.problems, result.size, result.mtime_ns
                )
                for rowid, read in zip(rowids, result.articles, strict=True):
                    fresh[rowid] = read.signature
        done += len(results)
        report.indexed = done
        if progress is not None:
            progress(done, len(files))

    with worker_pool_for(len(files), workers) as pool:
        chunk = CHUNK_FILES if pool is not None else PROGRESS_FILES
        work = functools.partial(ingest_for_index, field_map=field_map)
        finished = map_chunks(work, files, store, chunk=chunk, pool=pool, cancel=cancel)
    report.cancelled = not finished
    if progress is not None and not files:
        progress(0, 0)
    return fresh


def _update_stories(
    index: CorpusIndex,
    fresh: dict[int, Signature],
    grouper: StoryGrouper,
    workers: int | None,
    report: RefreshReport,
    paths: dict[str, Path],
) -> list[tuple[int, Article, str | None]] | None:
    """Bring the stories up to date; returns the rows with their stories if it loaded them."""
    missing_story = index.count_without_story() > 0
    same_threshold = index.get_meta("threshold") == repr(grouper.threshold)
    if not fresh and not missing_story and same_threshold:
        return None
    rows = index.articles(paths)
    sketched = set(index.sketches()[0])
    incremental = (
        same_threshold
        and all(rowid in sketched for rowid, _, _ in rows if rowid not in fresh)
        and index.get_meta("frequent") is not None
        and len(fresh) <= REGROUP_SHARE * max(len(rows), 1)
        and all(story is not None for rowid, _, story in rows if rowid not in fresh)
    )
    if incremental:
        assigned = _extend_stories(index, rows, fresh, grouper, report)
    else:
        assigned = _regroup(index, rows, fresh, grouper, workers, report)
        report.regrouped = True
    return [(rowid, article, assigned.get(rowid, story)) for rowid, article, story in rows]


def _regroup(
    index: CorpusIndex,
    rows: list[tuple[int, Article, str | None]],
    fresh: dict[int, Signature],
    grouper: StoryGrouper,
    workers: int | None,
    report: RefreshReport,
) -> dict[int, str]:
    """Group every article afresh; returns each row's story."""
    rowids = [rowid for rowid, _, _ in rows]
    stored = index.signatures([rowid for rowid in rowids if rowid not in fresh])
    signatures = [fresh.get(rowid) or stored[rowid] for rowid in rowids]
    articles = [article for _, article, _ in rows]
    with worker_pool_for(len(rows), workers) as pool:
        parallel_map = pool.map if pool is not None else map
        grouping = grouper.group(articles, signatures=signatures, parallel_map=parallel_map)
    assert grouping.sketches is not None
    story_ids = {rowid: grouping.stories[grouping.story_of[n]].id for n, rowid in enumerate(rowids)}
    sketch_rows = {
        rowid: (grouping.sketches.body[n], grouping.sketches.lede[n])
        for n, rowid in enumerate(rowids)
    }
    had_story = {rowid for rowid, _, story in rows if story is not None and rowid not in fresh}
    if had_story:  # a story that gained a version: a fresh file beside one known before
        gained = {story_ids[rowid] for rowid in fresh}
        report.updated_stories = gained & {story_ids[rowid] for rowid in had_story}
    notes = {story.id: story.notes for story in grouping.stories if story.notes}
    with index.transaction():
        index.put_grouping(story_ids, sketch_rows)
        index.set_meta("frequent", grouping.sketches.frequent.tobytes().hex())
        index.set_meta("threshold", repr(grouper.threshold))
        index.set_meta(STORY_NOTES, json.dumps(notes))
    return story_ids


def _extend_stories(
    index: CorpusIndex,
    rows: list[tuple[int, Article, str | None]],
    fresh: dict[int, Signature],
    grouper: StoryGrouper,
    report: RefreshReport,
) -> dict[int, str]:
    """Join new and changed files to the stored stories; returns their stories."""
    frequent = np.frombuffer(bytes.fromhex(index.get_meta("frequent") or ""), dtype=np.uint64)
    all_rowids, body_matrix, lede_matrix = index.sketches()
    keep = [n for n, rowid in enumerate(all_rowids) if rowid not in fresh]
    known = KnownStories(
        rowids=[all_rowids[n] for n in keep],
        body=body_matrix[keep],
        lede=lede_matrix[keep],
        frequent=frequent,
        story_of={rowid: story for rowid, _, story in rows if rowid not in fresh and story},
        story_keys={
            key: story
            for rowid, article, story in rows
            if rowid not in fresh and story and (key := usable_key(article)) is not None
        },
    )
    articles = {rowid: article for rowid, article, _ in rows}
    new_versions = [NewVersion(rowid, articles[rowid], sig) for rowid, sig in fresh.items()]
    extension = grouper.extend(known, new_versions, index.signatures)
    report.updated_stories |= extension.updated
    notes = _story_notes(index)
    for story, found in extension.notes.items():
        notes.setdefault(story, []).extend(found)
    with index.transaction():
        index.put_grouping(extension.story_of, extension.sketches)
        index.set_meta(STORY_NOTES, json.dumps(notes))
    return extension.story_of


#: The index's meta key holding notes on stories (metadata conflicts), as JSON.
STORY_NOTES = "story_notes"


def _story_notes(index: CorpusIndex) -> dict[str, list[str]]:
    stored = index.get_meta(STORY_NOTES)
    notes: dict[str, list[str]] = json.loads(stored) if stored else {}
    return notes


def _library(
    index: CorpusIndex, corpus: Corpus, rows: list[tuple[int, Article, str | None]]
) -> StoryCorpus:
    members: dict[str, list[Article]] = defaultdict(list)
    for _, article, story in rows:
        members[story or article.id].append(article)
    notes = _story_notes(index)
    stories = [
        Story(id=story_id, versions=order_versions(versions), notes=list(notes.get(story_id, ())))
        for story_id, versions in members.items()
    ]
    stories.sort(key=lambda story: natural_key(story.versions[0].name))
    corpus.articles = sorted((article for _, article, _ in rows), key=lambda a: natural_key(a.name))
    corpus.skipped = sorted(
        corpus.skipped + index.skipped(), key=lambda skip: natural_key(skip.name)
    )
    return StoryCorpus(corpus, stories)
