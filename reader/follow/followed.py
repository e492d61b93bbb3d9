"""A story of the corpus as something to follow: its versions' texts and times, and its
provenance and timeline, built once and cached in the corpus index.

The app (off its UI thread) and `newsreader story` both come here, so they show the same
figures. Versions are numbered as the story lists them (filing order), from 1.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.follow.changes import WhatsNew, whats_new
from reader.follow.provenance import (
    ProvenanceFormatError,
    StoryProvenance,
    build_provenance,
    story_fingerprint,
)
from reader.follow.story_json import story_document
from reader.follow.timeline import (
    Timeline,
    VersionInput,
    build_timeline,
    timeline_fingerprint,
)
from reader.grouping.stories import Story
from reader.ingest.article import Article
from reader.ingest.corpus import describe_os_error, read_article_text
from reader.ingest.decode import NotText
from reader.store.index import CorpusIndex
from reader.store.read_state import cache_document, cached_document

#: Where a version's time came from.
TIME_FROM_METADATA = "metadata"
TIME_FROM_FILE = "file"


class VersionUnreadable(Exception):
    """A version's file can no longer be read; the message says which and why."""


@dataclass(frozen=True, slots=True)
class FollowedStory:
    """A story's versions as read now, with their provenance and timeline."""

    story: Story
    versions: tuple[VersionInput, ...]
    provenance: StoryProvenance
    timeline: Timeline

    @property
    def texts(self) -> list[str]:
        """The versions' texts, oldest first."""
        return [version.text for version in self.versions]

    def document(self) -> dict[str, Any]:
        """The `story --json` document (its schema is in the README)."""
        return story_document(self.timeline, self.provenance, self.story.id, self.story.title)


def version_time(article: Article) -> tuple[datetime, str]:
    """When a version was filed: the date in the file (metadata or dateline), else the
    file's modification time; and which of the two it is."""
    if article.filed is not None:
        return article.filed, TIME_FROM_METADATA
    return datetime.fromtimestamp(article.mtime, tz=UTC), TIME_FROM_FILE


def read_versions(story: Story) -> list[VersionInput]:
    """Each version's text, file name and time, in the story's order."""
    versions = []
    for article in story.versions:
        moment, source = version_time(article)
        versions.append(
            VersionInput(_text_of(article.path, article.name), article.name, moment, source)
        )
    return versions


def _text_of(path: Path, name: str) -> str:
    try:
        return read_article_text(path)
    except OSError as error:
        raise VersionUnreadable(
            f"{name} can no longer be read: {describe_os_error(error)}"
        ) from None
    except NotText as error:
        raise VersionUnreadable(f"{name} can no longer be read: {error}") from None


def follow_story(story: Story, index: CorpusIndex | None = None) -> FollowedStory:
    """Read the versions of `story` and give its provenance and timeline, from the
    index's cache when they were built from exactly these texts, else built (and cached).
    Raises VersionUnreadable when a version's file cannot be read."""
    versions = read_versions(story)
    provenance = cached_provenance(index, [version.text for version in versions])
    timeline = cached_timeline(index, versions, provenance)
    return FollowedStory(story, tuple(versions), provenance, timeline)


def cached_provenance(index: CorpusIndex | None, texts: Sequence[str]) -> StoryProvenance:
    """The provenance of `texts`, from the cache or built and cached."""
    fingerprint = story_fingerprint(texts)
    stored = _cached(index, "provenance", fingerprint)
    if stored is not None:
        try:
            provenance = StoryProvenance.from_json(stored)
        except ProvenanceFormatError:
            provenance = None
        if provenance is not None and provenance.is_current_for(texts):
            return provenance
    provenance = build_provenance(texts)
    _cache(index, "provenance", fingerprint, provenance.to_json())
    return provenance


def cached_timeline(
    index: CorpusIndex | None, versions: Sequence[VersionInput], provenance: StoryProvenance
) -> Timeline:
    """The timeline of `versions`, from the cache or built and cached."""
    fingerprint = timeline_fingerprint(versions)
    stored = _cached(index, "timeline", fingerprint)
    if stored is not None:
        try:
            timeline = Timeline.from_json(stored)
        except ProvenanceFormatError:
            timeline = None
        if timeline is not None and len(timeline.versions) == len(versions):
            return timeline
    timeline = build_timeline(versions, provenance)
    _cache(index, "timeline", fingerprint, timeline.to_json())
    return timeline


def whats_new_in(story: Story, since: int) -> WhatsNew:
    """The diff from version `since` (from 1) of `story` to its newest, substantive
    changes first. Raises VersionUnreadable when either file cannot be read."""
    old = story.versions[since - 1]
    new = story.latest
    texts = [_text_of(old.path, old.name), _text_of(new.path, new.name)]
    changes = whats_new(texts, 1)
    return WhatsNew(since, len(story), changes.diff, changes.changes)


def _cached(index: CorpusIndex | None, kind: str, fingerprint: str) -> object | None:
    if index is None:
        return None
    try:
        document = cached_document(index, kind, fingerprint)
        return json.loads(document) if document is not None else None
    except (sqlite3.Error, ValueError):
        return None  # an unreadable cache entry is built again


def _cache(index: CorpusIndex | None, kind: str, fingerprint: str, document: object) -> None:
    if index is None:
        return
    # ASCII escapes keep a file name that is not valid Unicode (lone surrogates) storable
    # and exact. An index that cannot be written: the result is used, just not kept.
    with contextlib.suppress(sqlite3.Error):
        cache_document(index, kind, fingerprint, json.dumps(document, ensure_ascii=True))
