"""Read a corpus and group it into stories, using every core for large corpora.

Reading, parsing and signing each file is independent of the others, so for a large
corpus it runs in worker processes, a chunk of files at a time, in file order (the
result does not depend on the number of workers). Small corpora are read in-process,
where starting workers would cost more than it saves.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from reader.article import Article
from reader.corpus import (
    Corpus,
    CorpusFile,
    ProgressCallback,
    SkippedFile,
    corpus_name,
    describe_os_error,
    discover_files,
    natural_key,
    read_article,
    sample_corpus_path,
)
from reader.decode import NotText
from reader.stories import DEFAULT_THRESHOLD, Signature, Story, group_stories, signature

#: Below this many files, everything runs in this process.
PARALLEL_MIN_FILES = 3000
#: Files handed to a worker at a time.
CHUNK_FILES = 500
#: Files read in-process between two progress reports.
PROGRESS_FILES = 64

T = TypeVar("T")


@dataclass(slots=True)
class StoryCorpus:
    """A corpus with its articles grouped into stories."""

    corpus: Corpus
    stories: list[Story] = field(default_factory=list)
    _story_by_article: dict[str, Story] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._story_by_article = {
            version.id: story for story in self.stories for version in story.versions
        }

    def article_by_id(self, article_id: str) -> Article | None:
        """The article with this id, if it is in the corpus."""
        story = self._story_by_article.get(article_id)
        if story is None:
            return None
        return next((version for version in story.versions if version.id == article_id), None)

    def story_of(self, article: Article) -> Story | None:
        """The story `article` is a version of."""
        return self._story_by_article.get(article.id)


def ingest(file: CorpusFile) -> tuple[Article, Signature] | SkippedFile:
    """Read, parse and sign one file, or say why it was skipped."""
    try:
        article = read_article(file)
    except NotText as error:
        return SkippedFile(file.path, file.name, str(error))
    except OSError as error:
        return SkippedFile(file.path, file.name, describe_os_error(error))
    return article, signature(article)


def _ingest_chunk(files: list[CorpusFile]) -> list[tuple[Article, Signature] | SkippedFile]:
    return [ingest(file) for file in files]


def _ingest_chunk_lean(files: list[CorpusFile]) -> list[tuple[Article, Signature] | SkippedFile]:
    """In a worker: articles go back without paragraphs (read again when opened), which
    halves what crosses between processes."""
    results = _ingest_chunk(files)
    return [r if isinstance(r, SkippedFile) else (r[0].without_body(), r[1]) for r in results]


def default_workers() -> int:
    """Worker processes for a large corpus: one per core."""
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


def prepare_worker_processes() -> None:
    """Start multiprocessing's resource tracker now, while sys.stderr is still the real one.

    The tracker is started on first use and is handed sys.stderr's descriptor; under a
    Textual app sys.stderr is replaced by an object without one, and starting worker
    processes then fails ("bad value(s) in fds_to_keep"). Call this before the app runs.
    """
    from multiprocessing import resource_tracker

    with contextlib.suppress(Exception):  # no tracker here: workers will say so when used
        resource_tracker.ensure_running()


class SignalsHeld:
    """Holds SIGTERM, SIGHUP and SIGINT while worker processes start.

    A worker process stopped half-way through starting (its parent gone, the pipe it reads
    its start-up data from closed) prints a traceback of its own on the shared stderr.
    The command line's signal handlers ask `hold` first: while workers start, a signal is
    kept and sent again once they have started, and it then stops them as usual.
    """

    def __init__(self) -> None:
        self.active = False
        self.pending: list[int] = []

    def hold(self, signum: int) -> bool:
        """Keep `signum` for later if workers are starting; False: act on it now."""
        if self.active:
            self.pending.append(signum)
        return self.active

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Signals arriving in the block are delivered at its end."""
        self.active = True
        try:
            yield
        finally:
            self.active = False
            pending, self.pending = self.pending, []
            for signum in dict.fromkeys(pending):
                os.kill(os.getpid(), signum)


#: The one SignalsHeld of this process.
STARTING_WORKERS = SignalsHeld()


def _started() -> None:
    """A task that does nothing: run once per worker, it shows the worker has started."""


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes, started fresh (no fork under the app's threads), every one of them
    running before this returns, with signals held while they start."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        with STARTING_WORKERS.held():
            for future in [pool.submit(_started) for _ in range(workers)]:
                future.result()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    return pool


def read_and_sign(
    paths: Sequence[Path],
    *,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> tuple[Corpus, list[Signature]]:
    """The corpus under `paths` (the sample when empty) and each article's signature."""
    corpus, files = discover(paths)
    workers = workers or default_workers()
    if workers > 1 and len(files) >= PARALLEL_MIN_FILES:
        with worker_pool(workers) as pool:
            signatures = _read(corpus, files, progress, cancel, pool)
    else:
        signatures = _read(corpus, files, progress, cancel, None)
    return corpus, signatures


def load_corpus(
    paths: Sequence[Path],
    *,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> Corpus:
    """Read every article under `paths` (the built-in sample when empty), in-process.

    Calls `progress(done, total)` as files are read, and stops early, returning what it
    has, when `cancel` is set. Never raises for a single bad file: it is recorded in
    `Corpus.skipped` with the reason.
    """
    return read_and_sign(paths, workers=1, progress=progress, cancel=cancel)[0]


def load_stories(
    paths: Sequence[Path],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> StoryCorpus:
    """Read the corpus under `paths` and group it into stories (in worker processes when
    it is large, for both reading and sketching)."""
    corpus, files = discover(paths)
    workers = workers or default_workers()
    if workers > 1 and len(files) >= PARALLEL_MIN_FILES:
        with worker_pool(workers) as pool:
            signatures = _read(corpus, files, progress, cancel, pool)
            stories = group_stories(
                corpus.articles, threshold=threshold, signatures=signatures, parallel_map=pool.map
            )
    else:
        signatures = _read(corpus, files, progress, cancel, None)
        stories = group_stories(corpus.articles, threshold=threshold, signatures=signatures)
    return StoryCorpus(corpus, stories)


def discover(paths: Sequence[Path], *, follow: bool = False) -> tuple[Corpus, list[CorpusFile]]:
    """An empty corpus for `paths` (the sample when none) and the files to read into it
    (`follow`: through symbolic links met in folders too)."""
    roots = list(paths) or [sample_corpus_path()]
    corpus = Corpus(name=corpus_name(paths))
    return corpus, discover_files(roots, corpus.skipped, follow=follow)


def map_chunks(
    work: Callable[[list[CorpusFile]], list[T]],
    files: list[CorpusFile],
    handle: Callable[[list[T]], None],
    *,
    chunk: int,
    pool: ProcessPoolExecutor | None = None,
    cancel: threading.Event | None = None,
) -> bool:
    """Run `work` over `files` a chunk at a time (in `pool` when given) and hand each
    chunk's results to `handle`, in file order. Returns False when `cancel` stopped it; on
    cancel or Ctrl-C the chunks not yet started are dropped."""
    chunks = [files[start : start + chunk] for start in range(0, len(files), chunk)]
    if pool is None:
        for part in chunks:
            if cancel is not None and cancel.is_set():
                return False
            handle(work(part))
        return True
    try:
        for results in pool.map(work, chunks):
            handle(results)
            if cancel is not None and cancel.is_set():
                pool.shutdown(wait=False, cancel_futures=True)
                return False
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    return True


def _read(
    corpus: Corpus,
    files: list[CorpusFile],
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    pool: ProcessPoolExecutor | None,
) -> list[Signature]:
    """Read `files` into `corpus` (in file order), returning their signatures."""
    signatures: list[Signature] = []
    done = 0

    def collect(results: list[tuple[Article, Signature] | SkippedFile]) -> None:
        nonlocal done
        for result in results:
            if isinstance(result, SkippedFile):
                corpus.skipped.append(result)
            else:
                corpus.articles.append(result[0])
                signatures.append(result[1])
        done += len(results)
        if progress is not None:
            progress(done, len(files))

    if pool is not None:
        map_chunks(_ingest_chunk_lean, files, collect, chunk=CHUNK_FILES, pool=pool, cancel=cancel)
    else:
        map_chunks(_ingest_chunk, files, collect, chunk=PROGRESS_FILES, cancel=cancel)
    if progress is not None and not files:
        progress(0, 0)
    corpus.skipped.sort(key=lambda skip: natural_key(skip.name))
    return signatures
