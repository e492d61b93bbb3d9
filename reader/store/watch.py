"""Notice when files in the corpus change: watch with watchfiles, or poll where it fails."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from reader.ingest.corpus import sample_corpus_path

#: Seconds between scans when watching is unavailable.
POLL_SECONDS = 10.0
#: Seconds between looks for a corpus folder that was deleted, to see it re-created.
ROOT_POLL_SECONDS = 1.0
#: Changes arriving within this many milliseconds are handled together.
DEBOUNCE_MS = 800


class WatchUnavailable(Exception):
    """The file system cannot be watched here (no inotify, a limit reached): poll."""


def _relevant(path: str) -> bool:
    # Any file may hold articles (its content, not its name, tells); hidden ones are not read.
    return not Path(path).name.startswith(".")


def watch_corpus(paths: Sequence[Path], stop: threading.Event, changed: Callable[[], None]) -> None:
    """Call `changed()` after article files under `paths` are added, edited or removed,
    until `stop` is set. Blocks: run it in a worker thread.

    A corpus folder that is deleted is waited for: when it is created again, the corpus
    is refreshed and watched again.
    """
    roots = [str(path) for path in (paths or [sample_corpus_path()])]
    while not stop.is_set():
        if not all(os.path.exists(root) for root in roots):
            if stop.wait(ROOT_POLL_SECONDS):
                return
            if all(os.path.exists(root) for root in roots):
                changed()  # it is back, with whatever it now holds
            continue
        try:
            _watch_while_roots_exist(roots, stop, changed)
        except WatchUnavailable:  # no inotify (or a limit reached): fall back to polling
            while not stop.wait(POLL_SECONDS):
                changed()
            return


def _watch_while_roots_exist(
    roots: list[str], stop: threading.Event, changed: Callable[[], None]
) -> None:
    """Watch until `stop` is set or a root disappears (its watch would see nothing more)."""
    try:
        from watchfiles import watch

        batches = watch(
            *roots,
            stop_event=stop,
            debounce=DEBOUNCE_MS,
            recursive=True,
            rust_timeout=500,
            yield_on_timeout=True,  # an empty batch now and then: time to check the roots
        )
    except Exception as error:
        raise WatchUnavailable(str(error)) from error
    while True:
        try:  # only the watching itself may fail over to polling, never `changed()`
            changes = next(batches)
        except StopIteration:
            return
        except Exception as error:
            raise WatchUnavailable(str(error)) from error
        gone = not all(os.path.exists(root) for root in roots)
        touched = {path for _, path in changes}
        if any(_relevant(path) for path in touched) or touched & set(roots) or (gone and touched):
            changed()
        if gone:
            return
