"""The word diff of two articles, as the app and the command line both show it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from reader.diff.word_diff import WordDiff, diff_texts
from reader.ingest.article import Article, reading_text
from reader.ingest.containers import text_to_diff
from reader.ingest.corpus import TextRead, article_text, read_text, same_bytes

#: The note when what was compared is the same but the files are not.
DIFFER_BEYOND = "the files differ after the part compared"


@dataclass(frozen=True, slots=True)
class FileDiff:
    """A diff of two articles, with the caveats of the comparison."""

    diff: WordDiff
    #: A file cut short, a legacy encoding, a difference past the part compared.
    notes: tuple[str, ...]
    #: True when the parts compared are the same but the files are not (never "same").
    differs_beyond: bool


def diff_files(old: Path, new: Path, field_map: Mapping[str, str] | None = None) -> FileDiff:
    """Diff two article files (or `FILE#RECORD`s of containers). Raises OSError or NotText
    when one cannot be read."""
    fields = dict(field_map) if field_map else None
    return _compared(text_to_diff(old, fields), text_to_diff(new, fields), old, new)


def diff_articles(old: Article, new: Article) -> FileDiff:
    """Diff two articles of the corpus (a plain file's text as parsing saw it; an article
    of a wire or archive format, its headline and paragraphs)."""
    return _compared(_text_of(old), _text_of(new), old.path, new.path)


def _text_of(article: Article) -> TextRead:
    if article.meta is None:
        return read_text(article.path)
    return TextRead(article_text(article), False, ())


def _compared(old: TextRead, new: TextRead, old_path: Path, new_path: Path) -> FileDiff:
    # The paragraphs the reader shows: hard-wrapped archive copy is re-flowed, tables kept.
    diff = diff_texts(reading_text(old.text), reading_text(new.text))
    notes = [*old.notes, *new.notes]
    truncated = old.truncated or new.truncated
    differs_beyond = not diff.changes and truncated and not same_bytes(old_path, new_path)
    if differs_beyond:
        notes.append(DIFFER_BEYOND)
    return FileDiff(diff, tuple(notes), differs_beyond)
