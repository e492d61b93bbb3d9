"""Messages the app's workers send back to the UI thread."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from reader.grouping.stories import StoryCorpus
from reader.present.story_rows import RowState, StoryRows
from reader.store.library import RefreshReport


@dataclass
class CorpusProgress(Message):
    """`done` of `total` files have been read."""

    done: int
    total: int


@dataclass
class CorpusLoaded(Message):
    """The corpus has been read (or its index refreshed) and grouped into stories."""

    library: StoryCorpus
    report: RefreshReport
    #: True when this replaces a library already shown (files changed on disk).
    live: bool = False
    #: True for the stories as the index kept them, shown while the files are checked.
    stale: bool = False
    #: The list's rows, built off the UI thread, and the expanded stories and base mark
    #: they were built with (used only if those are still the same).
    rows: StoryRows | None = None
    rows_state: RowState | None = None


@dataclass
class LoadFailed(Message):
    """The corpus or its index could not be opened at all."""

    reason: str


@dataclass
class RefreshFailed(Message):
    """Updating the index after a file change failed (watching goes on)."""

    reason: str
