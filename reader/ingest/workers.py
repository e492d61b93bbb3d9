"""The work shared by reading and grouping: finding the files, and running chunks of work
in worker processes when the corpus is large.

Reading, parsing and signing each file is independent of the others, so for a large
corpus it runs in worker processes, a chunk of files at a time, in file order (the
result does not depend on the number of workers). Small corpora are read in-process,
where starting workers would cost more than it saves.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from reader.ingest.corpus import (
    Corpus,
    FolderListing,
    FoundFiles,
    corpus_name,
    find_files,
    sample_corpus_path,
)

#: Below this many files, everything runs in this process.
PARALLEL_MIN_FILES = 3000
#: Files handed to a worker at a time.
CHUNK_FILES = 500
#: Files read in-process between two progress reports.
PROGRESS_FILES = 64

T = TypeVar("T")
#: What `map_chunks` hands out a chunk at a time (files, or their locations and names).
Item = TypeVar("Item")


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


@contextlib.contextmanager
def worker_pool_for(items: int, workers: int | None = None) -> Iterator[ProcessPoolExecutor | None]:
    """The one rule for when work runs in worker processes: a pool when there are enough
    `items` to repay starting them and more than one worker (`workers` None: one per
    core), else None (run in this process)."""
    count = workers or default_workers()
    if count > 1 and items >= PARALLEL_MIN_FILES:
        with worker_pool(count) as pool:
            yield pool
    else:
        yield None


def discover(
    paths: Sequence[Path],
    *,
    follow: bool = False,
    remembered: Mapping[str, FolderListing] | None = None,
) -> tuple[Corpus, FoundFiles]:
    """An empty corpus for `paths` (the sample when none) and the files to read into it
    (`follow`: through symbolic links met in folders too; `remembered`: the folders'
    listings of the last walk, reused for folders that did not change)."""
    roots = list(paths) or [sample_corpus_path()]
    corpus = Corpus(name=corpus_name(paths))
    return corpus, find_files(roots, corpus.skipped, follow=follow, remembered=remembered)


#: Tasks handed to the workers ahead of the one whose results are awaited, per worker.
TASKS_AHEAD_PER_WORKER = 2


def bounded_map(
    pool: ProcessPoolExecutor, workers: int | None = None
) -> Callable[..., Iterator[Any]]:
    """`map` over the pool that keeps only a few tasks ahead of the one whose results are
    handed back (results in order). The pool's own `map` submits every task at once, so
    when the caller is slower than the workers (storing what they read), finished results
    pile up in memory: at a million files that alone passed the memory budget."""
    ahead = TASKS_AHEAD_PER_WORKER * (workers or default_workers())

    def mapped(function: Callable[[Any], T], items: Iterable[Any]) -> Iterator[T]:
        pending: collections.deque[concurrent.futures.Future[T]] = collections.deque()
        try:
            for item in items:
                pending.append(pool.submit(function, item))
                if len(pending) > ahead:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

    return mapped


def map_chunks(
    work: Callable[[list[Item]], list[T]],
    files: list[Item],
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
    # On cancel or a signal the pool is shut down once, waiting for the chunks already
    # running (the pool's `with` waits for them anyway): a shutdown that does not wait,
    # followed by the one on leaving the `with`, raced the pool's own thread, which then
    # wrote to a closed pipe and printed a traceback as the command ended.
    try:
        for results in bounded_map(pool)(work, chunks):
            handle(results)
            if cancel is not None and cancel.is_set():
                pool.shutdown(wait=True, cancel_futures=True)
                return False
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    return True
