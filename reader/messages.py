"""Messages the app's workers send back to the UI thread."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from reader.pipeline import StoryCorpus


@dataclass
class CorpusProgress(Message):
    """`done` of `total` files have been read."""

    done: int
    total: int


@dataclass
class CorpusLoaded(Message):
    """The corpus has been read and grouped into stories."""

    library: StoryCorpus
