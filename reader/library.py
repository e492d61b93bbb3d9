"""Keep a corpus's index up to date and build its stories from it.

On each start only new, changed and deleted files are read (by size and modification
time); stories are updated incrementally when few files changed (each new version is
matched against the stored sketches and joins a story by the rule batch grouping uses),
and regrouped in full when many did or the index is new.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from reader.article import Article, ParagraphKind
from reader.corpus import (
    Corpus,
    CorpusFile,
    ProgressCallback,
    SkippedFile,
    describe_os_error,
    natural_key,
    read_article,
)
from reader.decode import NotText
from reader.index import MEMORY, CorpusIndex, IndexUnavailable, default_index_path
from reader.pipeline import (
    CHUNK_FILES,
    PARALLEL_MIN_FILES,
    StoryCorpus,
    default_workers,
    discover,
    map_chunks,
    worker_pool,
)
from reader.stories import (
    DEFAULT_THRESHOLD,
    Signature,
    Story,
    band_keys,
    group,
    join_story,
    order_versions,
    signature,
    similarity,
    sketch_matrix,
    without_frequent_shingles,
)

#: More changed files than this share of the corpus: regroup everything.
REGROUP_SHARE = 0.2

#: What reading one file for the index gives: the article (without paragraphs), its
#: signature and its searchable text; or why it was skipped, with its size and mtime.
IndexedFile = tuple[Article, Signature, str, int] | tuple[SkippedFile, int, int]


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


def index_location(paths: Sequence[Path], index_file: Path | None, in_memory: bool) -> Path | None:
    """Where the index lives: `index_file`, memory, or the user's cache folder."""
    if in_memory:
        return None
    return index_file or default_index_path(paths)


def open_library(
    paths: Sequence[Path],
    *,
    index_file: Path | None = None,
    in_memory: bool = False,
    threshold: float = DEFAULT_THRESHOLD,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    follow: bool = False,
) -> tuple[StoryCorpus, RefreshReport, CorpusIndex]:
    """Open the corpus's index, bring it up to date, and return its stories.

    If the index cannot be written part way (a full disk, a folder made read-only), the
    work is done again in memory, with a notice.
    """
    location = index_location(paths, index_file, in_memory)
    index = CorpusIndex.open(location, owned=index_file is None)
    options = {
        "threshold": threshold,
        "workers": workers,
        "progress": progress,
        "cancel": cancel,
        "follow": follow,
    }
    try:
        library, report = refresh(index, paths, **options)
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
        library, report = refresh(index, paths, **options)
    report.notice = index.notice
    return library, report, index


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
    threshold: float = DEFAULT_THRESHOLD,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    follow: bool = False,
) -> tuple[StoryCorpus, RefreshReport]:
    """Read what changed since the last refresh, update the stories, and return them
    (`follow`: symbolic links met in folders are followed)."""
    with index.lock:
        return _refresh(index, paths, threshold, workers, progress, cancel, follow)


def _refresh(
    index: CorpusIndex,
    paths: Sequence[Path],
    threshold: float,
    workers: int | None,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    follow: bool,
) -> tuple[StoryCorpus, RefreshReport]:
    started = time.perf_counter()
    report = RefreshReport()
    corpus, files = discover(paths, follow=follow)
    stored = index.stored_files()
    to_read: list[CorpusFile] = []
    for file in files:
        known = stored.get(file.location)
        try:
            stat = os.stat(file.location)
        except OSError:
            to_read.append(file)  # reading it will say why it cannot be read
            continue
        if known is not None and (known.size, known.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            report.unchanged += 1
        else:
            to_read.append(file)
    present = {file.location for file in files}
    removed = [known.rowid for path, known in stored.items() if path not in present]
    report.removed = len(removed)
    with index.transaction():
        index.remove(removed)
    fresh = _read_into(index, to_read, workers, progress, cancel, report)
    paths_made = {file.location: file.path for file in files}
    rows = _update_stories(index, fresh, threshold, workers, report, paths_made)
    library = _library(index, corpus, rows if rows is not None else index.articles(paths_made))
    report.seconds = time.perf_counter() - started
    return library, report


def _ingest_for_index(files: list[CorpusFile]) -> list[IndexedFile]:
    results: list[IndexedFile] = []
    for file in files:
        try:
            stat = os.stat(file.path)
            article = read_article(file)
        except NotText as error:
            size, mtime_ns = _stat_or_zero(file.path)
            results.append((SkippedFile(file.path, file.name, str(error)), size, mtime_ns))
            continue
        except OSError as error:
            size, mtime_ns = _stat_or_zero(file.path)
            reason = describe_os_error(error)
            results.append((SkippedFile(file.path, file.name, reason), size, mtime_ns))
            continue
        body = "\n".join(p.text for p in article.paragraphs if p.kind is not ParagraphKind.TRAILER)
        results.append((article.without_body(), signature(article), body, stat.st_mtime_ns))
    return results


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
) -> dict[int, Signature]:
    """Read `files` and store them, a chunk per transaction; returns new rows' signatures."""
    fresh: dict[int, Signature] = {}
    workers = workers or default_workers()
    done = 0

    def store(results: list[IndexedFile]) -> None:
        nonlocal done
        with index.transaction():
            for result in results:
                if isinstance(result[0], SkippedFile):
                    skip, size, mtime_ns = result  # type: ignore[misc]
                    index.put_skipped(skip, size, mtime_ns)
                else:
                    article, sig, body, mtime_ns = result  # type: ignore[misc]
                    fresh[index.put_article(article, sig, mtime_ns, body)] = sig
        done += len(results)
        report.indexed = done
        if progress is not None:
            progress(done, len(files))

    options = {"chunk": CHUNK_FILES, "cancel": cancel}
    if workers > 1 and len(files) >= PARALLEL_MIN_FILES:
        with worker_pool(workers) as pool:
            finished = map_chunks(_ingest_for_index, files, store, pool=pool, **options)
    else:
        finished = map_chunks(_ingest_for_index, files, store, **options)
    report.cancelled = not finished
    if progress is not None and not files:
        progress(0, 0)
    return fresh


def _update_stories(
    index: CorpusIndex,
    fresh: dict[int, Signature],
    threshold: float,
    workers: int | None,
    report: RefreshReport,
    paths: dict[str, Path],
) -> list[tuple[int, Article, str | None]] | None:
    """Bring the stories up to date; returns the rows with their stories if it loaded them."""
    missing_story = index.count_without_story() > 0
    same_threshold = index.get_meta("threshold") == repr(threshold)
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
        assigned = _extend_stories(index, rows, fresh, threshold, report)
    else:
        assigned = _regroup(index, rows, fresh, threshold, workers, report)
        report.regrouped = True
    return [(rowid, article, assigned.get(rowid, story)) for rowid, article, story in rows]


def _regroup(
    index: CorpusIndex,
    rows: list[tuple[int, Article, str | None]],
    fresh: dict[int, Signature],
    threshold: float,
    workers: int | None,
    report: RefreshReport,
) -> dict[int, str]:
    """Group every article afresh; returns each row's story."""
    rowids = [rowid for rowid, _, _ in rows]
    stored = index.signatures([rowid for rowid in rowids if rowid not in fresh])
    signatures = [fresh.get(rowid) or stored[rowid] for rowid in rowids]
    articles = [article for _, article, _ in rows]
    workers = workers or default_workers()
    if workers > 1 and len(rows) >= PARALLEL_MIN_FILES:
        with worker_pool(workers) as pool:
            grouping = group(
                articles, threshold=threshold, signatures=signatures, parallel_map=pool.map
            )
    else:
        grouping = group(articles, threshold=threshold, signatures=signatures)
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
    with index.transaction():
        index.put_grouping(story_ids, sketch_rows)
        index.set_meta("frequent", grouping.sketches.frequent.tobytes().hex())
        index.set_meta("threshold", repr(threshold))
    return story_ids


def _extend_stories(
    index: CorpusIndex,
    rows: list[tuple[int, Article, str | None]],
    fresh: dict[int, Signature],
    threshold: float,
    report: RefreshReport,
) -> dict[int, str]:
    """Add new and changed files to the stored stories one by one; returns their stories."""
    frequent = np.frombuffer(bytes.fromhex(index.get_meta("frequent") or ""), dtype=np.uint64)
    all_rowids, body_matrix, lede_matrix = index.sketches()
    keep = [n for n, rowid in enumerate(all_rowids) if rowid not in fresh]
    known_rowids = [all_rowids[n] for n in keep]
    body_keys, lede_keys = band_keys(body_matrix[keep]), band_keys(lede_matrix[keep])
    story_of = {rowid: story for rowid, _, story in rows if rowid not in fresh and story}
    members_of: dict[str, list[int]] = defaultdict(list)
    for member, story in story_of.items():
        members_of[story].append(member)
    existing_stories = set(members_of)
    articles = {rowid: article for rowid, article, _ in rows}
    signatures: dict[int, Signature] = dict(fresh)
    new_stories: dict[int, str] = {}
    new_sketches: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    order = sorted(fresh, key=lambda r: (-len(fresh[r]), natural_key(articles[r].name)))
    for rowid in order:
        sig = fresh[rowid]
        bodies, ledes = without_frequent_shingles([sig], frequent)
        body_row, lede_row = sketch_matrix(bodies)[0], sketch_matrix(ledes)[0]
        candidates = set()
        if body_row.any():
            candidates |= _sharing_a_band(band_keys(body_row[None])[0], body_keys, known_rowids)
        if lede_row.any():
            candidates |= _sharing_a_band(band_keys(lede_row[None])[0], lede_keys, known_rowids)
        missing = [c for c in candidates if c not in signatures]
        signatures.update(index.signatures(missing))
        neighbours = {
            c: s for c in candidates if (s := similarity(sig, signatures[c])) >= threshold
        }
        members = {story: members_of[story] for story in {story_of[c] for c in neighbours}}
        for member_list in members.values():
            missing = [m for m in member_list if m not in signatures]
            signatures.update(index.signatures(missing))
        joined = join_story(sig, neighbours, members, signatures, threshold)
        if joined in existing_stories:
            report.updated_stories.add(joined)
        story = joined or articles[rowid].id
        story_of[rowid] = new_stories[rowid] = story
        members_of[story].append(rowid)
        new_sketches[rowid] = (body_row, lede_row)
        known_rowids.append(rowid)
        body_keys = np.vstack([body_keys, band_keys(body_row[None])])
        lede_keys = np.vstack([lede_keys, band_keys(lede_row[None])])
    with index.transaction():
        index.put_grouping(new_stories, new_sketches)
    return new_stories


def _sharing_a_band(keys: np.ndarray, all_keys: np.ndarray, rowids: list[int]) -> set[int]:
    if not len(all_keys):
        return set()
    hits = np.flatnonzero((all_keys == keys).any(axis=1))
    return {rowids[n] for n in hits.tolist()}


def _library(
    index: CorpusIndex, corpus: Corpus, rows: list[tuple[int, Article, str | None]]
) -> StoryCorpus:
    members: dict[str, list[Article]] = defaultdict(list)
    for _, article, story in rows:
        members[story or article.id].append(article)
    stories = [
        Story(id=story_id, versions=order_versions(versions))
        for story_id, versions in members.items()
    ]
    stories.sort(key=lambda story: natural_key(story.versions[0].name))
    corpus.articles = sorted((article for _, article, _ in rows), key=lambda a: natural_key(a.name))
    corpus.skipped = sorted(
        corpus.skipped + index.skipped(), key=lambda skip: natural_key(skip.name)
    )
    return StoryCorpus(corpus, stories)
