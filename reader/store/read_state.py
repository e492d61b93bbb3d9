"""What the user has read, and the cached provenance and timelines of stories: two small
tables in the corpus index (`read_state`, `follow_cache`).

Read state: per story, the furthest version the user opened and when. A story is
identified by the article id (a stable hash of the file's path) of that version, so a
story that is regrouped, or gains an earlier version that changes its id, keeps its state.
Versions filed after the one read are unread.

The cache holds JSON documents (provenance, timelines) keyed by kind and by the
fingerprint of what they were built from, so a stale entry is never found; the least
recently used are dropped beyond `CACHE_ENTRIES`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reader.grouping.stories import Story, StoryCorpus
from reader.ingest.article import Article
from reader.store.index import CorpusIndex

#: Cached documents kept (each story's provenance and timeline is one entry each).
CACHE_ENTRIES = 500


@dataclass(frozen=True, slots=True)
class ReadMark:
    """The furthest version of a story the user opened: its article id, its number then
    (1 = first version) and when (seconds since the epoch)."""

    story: str
    article_id: str
    version: int
    read_at: float


@dataclass(frozen=True, slots=True)
class Unread:
    """A story with versions filed after the one the user read."""

    story: Story
    #: The version read (numbered from 1 in the story as it is now) and when.
    read_version: int
    read_at: float
    #: Versions after it.
    count: int

    @property
    def newest(self) -> int:
        """The number of the newest version."""
        return len(self.story)


def read_marks(index: CorpusIndex) -> dict[str, ReadMark]:
    """Every read mark, by the article id of the version read."""
    with index.lock:
        rows = index.connection.execute(
            "SELECT story, article_id, version, read_at FROM read_state"
        ).fetchall()
    return {row[1]: ReadMark(row[0], row[1], int(row[2]), float(row[3])) for row in rows}


def mark_of(story: Story, marks: Mapping[str, ReadMark]) -> tuple[int, ReadMark] | None:
    """The furthest version of `story` that has a read mark (its index and mark), if any."""
    found = None
    for position, version in enumerate(story.versions):
        mark = marks.get(version.id)
        if mark is not None:
            found = (position, mark)
    return found


def unread_of(story: Story, marks: Mapping[str, ReadMark]) -> Unread | None:
    """`story`'s unread versions, or None when it was never opened or is read to the end."""
    found = mark_of(story, marks)
    if found is None:
        return None
    position, mark = found
    count = len(story) - 1 - position
    return Unread(story, position + 1, mark.read_at, count) if count > 0 else None


def unread_stories(stories: Iterable[Story], marks: Mapping[str, ReadMark]) -> list[Unread]:
    """The stories with unread versions, in the order given."""
    return [unread for story in stories if (unread := unread_of(story, marks)) is not None]


def record_read(
    index: CorpusIndex, story: Story, article: Article, when: float | None = None
) -> ReadMark | None:
    """Record that the user opened `article` of `story`, unless a later version of it was
    read already; returns the new mark (None when nothing changed)."""
    position = story.index_of(article)
    with index.lock:
        marks = _marks_of_story(index, story)
        known = mark_of(story, marks)
        if known is not None and known[0] > position:
            return None
        mark = ReadMark(story.id, article.id, position + 1, time.time() if when is None else when)
        with index.transaction():
            # One mark per story: drop those of its other versions (the story's id may
            # have changed since they were written).
            index.connection.executemany(
                "DELETE FROM read_state WHERE article_id = ?",
                [(version.id,) for version in story.versions],
            )
            index.connection.execute(
                "INSERT OR REPLACE INTO read_state VALUES (?, ?, ?, ?)",
                (mark.story, mark.article_id, mark.version, mark.read_at),
            )
    return mark


def _marks_of_story(index: CorpusIndex, story: Story) -> dict[str, ReadMark]:
    ids = [version.id for version in story.versions]
    marks = ",".join("?" * len(ids))
    rows = index.connection.execute(
        f"SELECT story, article_id, version, read_at FROM read_state WHERE article_id IN ({marks})",
        ids,
    ).fetchall()
    return {row[1]: ReadMark(row[0], row[1], int(row[2]), float(row[3])) for row in rows}


def cached_document(index: CorpusIndex, kind: str, fingerprint: str) -> str | None:
    """The cached JSON document of `kind` built from what `fingerprint` digests, if any."""
    with index.lock:
        row = index.connection.execute(
            "SELECT document FROM follow_cache WHERE kind = ? AND fingerprint = ?",
            (kind, fingerprint),
        ).fetchone()
        if row is None:
            return None
        index.connection.execute(
            "UPDATE follow_cache SET used_at = ? WHERE kind = ? AND fingerprint = ?",
            (time.time(), kind, fingerprint),
        )
    return str(row[0])


def cache_document(index: CorpusIndex, kind: str, fingerprint: str, document: str) -> None:
    """Keep a JSON document of `kind` for `fingerprint`, dropping the least recently used
    beyond CACHE_ENTRIES."""
    with index.lock, index.transaction():
        index.connection.execute(
            "INSERT OR REPLACE INTO follow_cache VALUES (?, ?, ?, ?)",
            (kind, fingerprint, document, time.time()),
        )
        index.connection.execute(
            "DELETE FROM follow_cache WHERE rowid NOT IN"
            " (SELECT rowid FROM follow_cache ORDER BY used_at DESC LIMIT ?)",
            (CACHE_ENTRIES,),
        )


@dataclass(frozen=True, slots=True)
class ReadNoted:
    """What opening a version changed: whether it is the furthest read now (to be saved),
    and, when it is the newest version and newer than the one read before, that one (a
    mark), for "what's new"."""

    furthest: bool
    whats_new_since: ReadMark | None
    #: The number of the version read before (from 1), with `whats_new_since`.
    since_version: int = 0


class ReadTracker:
    """What the user has read, as the app keeps it while it runs: the stored read marks
    (`read_marks`), and for stories never opened, the versions that joined them while
    the app runs (files added while it watches). Plain data; the app saves what
    `note_read` says is new with `record_read`, off the UI thread."""

    def __init__(self, marks: dict[str, ReadMark] | None = None) -> None:
        #: The furthest version read of each story, by article id.
        self.marks: dict[str, ReadMark] = marks or {}
        #: Versions that joined stories never opened while the app runs, by story id.
        self.new_in_run: dict[str, int] = {}

    def unread_count(self, story: Story) -> int:
        """Versions of `story` newer than the one read; for a story never opened, those
        that joined it while the app runs."""
        if mark_of(story, self.marks) is None:
            return self.new_in_run.get(story.id, 0)
        unread = unread_of(story, self.marks)
        return unread.count if unread is not None else 0

    def unread_counts(self, library: StoryCorpus) -> dict[str, int]:
        """Story id -> unread versions, for the stories of `library` that have any: only
        the stories holding a version read and those that gained versions are looked at
        (their versions loaded), not every story."""
        stories: dict[str, Story] = {}
        for article_id in self.marks:
            article = library.article_by_id(article_id)
            story = library.story_of(article) if article is not None else None
            if story is not None:
                stories[story.id] = story
        for story_id in self.new_in_run:
            found = library.story_by_id(story_id)
            if found is not None:
                stories[found.id] = found
        counts = {story_id: self.unread_count(story) for story_id, story in stories.items()}
        return {story_id: count for story_id, count in counts.items() if count}

    def count_new_versions(
        self, before: StoryCorpus, after: StoryCorpus, updated: Iterable[str]
    ) -> None:
        """Note the versions that joined stories known `before` (files added while
        running): `updated` names the stories of `after` that gained versions (a refresh
        says which, `RefreshReport.updated_stories`), so only those are looked at. A story
        is named after one of its versions, so the stories it was before are those named
        after its versions; what they held was known."""
        for story_id in updated:
            story = after.story_by_id(story_id)
            if story is None:
                continue
            earlier = {version.id for version in story.versions} | {story.id}
            known = sum(len(old) for name in earlier if (old := before.story_by_id(name)))
            new = len(story) - known
            if 0 < new < len(story):
                self.new_in_run[story.id] = self.new_in_run.get(story.id, 0) + new

    def note_read(self, story: Story, article: Article, when: float | None = None) -> ReadNoted:
        """The user opened `article` of `story`: keep it as read if it is the furthest."""
        known = mark_of(story, self.marks)
        position = story.index_of(article)
        self.new_in_run.pop(story.id, None)
        furthest = known is None or position > known[0]
        if furthest:
            for version in story.versions:
                self.marks.pop(version.id, None)
            moment = time.time() if when is None else when
            self.marks[article.id] = ReadMark(story.id, article.id, position + 1, moment)
        if known is not None and position == len(story) - 1 and known[0] < position:
            return ReadNoted(furthest, known[1], known[0] + 1)
        return ReadNoted(furthest, None)
