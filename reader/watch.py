"""Notice when files in the corpus change: watch with watchfiles, or poll where it fails."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from reader.corpus import ARTICLE_SUFFIXES, sample_corpus_path

#: Seconds between scans when watching is unavailable.
POLL_SECONDS = 10.0
#: Changes arriving within this many milliseconds are handled together.
DEBOUNCE_MS = 800


def _relevant(path: str) -> bool:
    return Path(path).suffix.lower() in ARTICLE_SUFFIXES


def watch_corpus(paths: Sequence[Path], stop: threading.Event, changed: Callable[[], None]) -> None:
    """Call `changed()` after article files under `paths` are added, edited or removed,
    until `stop` is set. Blocks: run it in a worker thread."""
    roots = [str(path) for path in (paths or [sample_corpus_path()])]
    try:
        from watchfiles import watch

        for changes in watch(
            *roots, stop_event=stop, debounce=DEBOUNCE_MS, recursive=True, rust_timeout=500
        ):
            if any(_relevant(path) for _, path in changes) or any(
                path in roots for _, path in changes
            ):
                changed()
        return
    except Exception:
        pass
    while not stop.wait(POLL_SECONDS):
        changed()
