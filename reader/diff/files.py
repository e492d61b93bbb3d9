"""The word diff of two files, as the app and the command line both show it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reader.diff.word_diff import WordDiff, diff_texts
from reader.ingest.corpus import read_text, same_bytes

#: The note when what was compared is the same but the files are not.
DIFFER_BEYOND = "the files differ after the part compared"


@dataclass(frozen=True, slots=True)
class FileDiff:
    """A diff of two files, with the caveats of the comparison."""

    diff: WordDiff
    #: A file cut short, a legacy encoding, a difference past the part compared.
    notes: tuple[str, ...]
    #: True when the parts compared are the same but the files are not (never "same").
    differs_beyond: bool


def diff_files(old: Path, new: Path) -> FileDiff:
    """Diff two article files. Raises OSError or NotText when one cannot be read."""
    old_read, new_read = read_text(old), read_text(new)
    diff = diff_texts(old_read.text, new_read.text)
    notes = [*old_read.notes, *new_read.notes]
    truncated = old_read.truncated or new_read.truncated
    differs_beyond = not diff.changes and truncated and not same_bytes(old, new)
    if differs_beyond:
        notes.append(DIFFER_BEYOND)
    return FileDiff(diff, tuple(notes), differs_beyond)
