"""Which changes of a word diff are substantive, and "what's new" in reading priority.

The differ (`reader.diff.word_diff`) flags each edit that a fact-checker looks at first
(numbers, negation, names, attribution, dates); a flagged change is substantive.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.diff.word_diff import Change, WordDiff, diff_texts


def change_flags(change: Change) -> tuple[str, ...]:
    """The substance flags of a change (`"numbers"`, `"negation"`, ...), sorted."""
    return tuple(sorted(change.flags))


def is_substantive(change: Change) -> bool:
    """A change the differ flagged as altering a fact (a number, a name, a negation...)."""
    return bool(change_flags(change))


def count_substantive(changes: Iterable[Change]) -> int:
    """How many of `changes` are substantive."""
    return sum(1 for change in changes if is_substantive(change))


def reading_order(changes: Iterable[Change]) -> list[Change]:
    """Substantive changes first, then other edits and moves, then house style; each
    group in text order. Nothing is dropped: style changes are last, not hidden."""
    listed = list(changes)

    def rank(change: Change) -> tuple[int, int, int]:
        group = 0 if is_substantive(change) else 2 if change.kind.is_noise else 1
        return group, change.new_start, change.old_start

    return sorted(listed, key=rank)


@dataclass(frozen=True, slots=True)
class WhatsNew:
    """The diff from the last version read to the newest, with its changes in reading order."""

    since: int
    newest: int
    diff: WordDiff
    changes: tuple[Change, ...]


def whats_new(texts: Sequence[str], since: int) -> WhatsNew:
    """What changed from version `since` (numbered from 1) to the newest of `texts`."""
    if not 1 <= since <= len(texts):
        raise ValueError(f"version {since} is not in a story of {len(texts)} versions")
    diff = diff_texts(texts[since - 1], texts[-1])
    return WhatsNew(since, len(texts), diff, tuple(reading_order(diff.changes)))
