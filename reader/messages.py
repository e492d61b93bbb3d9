"""Messages the app's workers send back to the UI thread."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from reader.corpus import Corpus


@dataclass
class CorpusProgress(Message):
    """`done` of `total` files have been read."""

    done: int
    total: int


@dataclass
class CorpusLoaded(Message):
    """The corpus has been read."""

    corpus: Corpus
