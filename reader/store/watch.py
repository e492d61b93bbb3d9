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
    roots = [os.path.abspath(path) for path in (paths or [sample_corpus_path()])]
    went_away = False
    while not stop.is_set():
        if not all(os.path.exists(root) for root in roots):
            went_away = True
            if stop.wait(ROOT_POLL_SECONDS):
                return
            continue
        if went_away:  # it is back, with whatever it now holds (even if it came back at once)
            went_away = False
            changed()
        try:
            went_away = _watch_while_roots_exist(roots, stop, changed)
        except WatchUnavailable:  # no inotify (or a limit reached): fall back to polling
            while not stop.wait(POLL_SECONDS):
                changed()
            return


def _watch_while_roots_exist(
    roots: list[str], stop: threading.Event, changed: Callable[[], None]
) -> bool:
    """Watch until `stop` is set or a root disappears (its watch would see nothing more).
    True when a root disappeared: it may be back before anyone looks again."""
    watched = _identities(roots)
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
            return False
        except Exception as error:
            raise WatchUnavailable(str(error)) from error
        touched = {path for _, path in changes}
        # A root deleted and made again at once is a new folder this watch does not see,
        # even when it gets the old inode number back: an event on a root starts a new watch.
        gone = bool(touched & set(roots)) or _identities(roots) != watched
        if any(_relevant(path) for path in touched) or (gone and touched):
            changed()
        if gone:
            return True


def _identities(roots: list[str]) -> list[tuple[int, int]] | None:
    """Which folders the roots are (device and inode), or None if one is missing."""
    try:
        return [(found.st_dev, found.st_ino) for found in map(os.stat, roots)]
    except OSError:
        return None
