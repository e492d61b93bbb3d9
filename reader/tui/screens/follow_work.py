"""Messages of the story-following screens: a story's provenance and timeline, built off
the UI thread (`reader.follow.followed`), arrive as these."""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual.message import Message

from reader.follow.followed import FollowedStory, VersionUnreadable, follow_story
from reader.grouping.stories import Story
from reader.store.index import CorpusIndex


@dataclass
class StoryFollowed(Message):
    """The provenance and timeline of the screen's story are ready; `seconds` it took."""

    followed: FollowedStory
    seconds: float


@dataclass
class StoryFollowFailed(Message):
    """A version of the story could not be read."""

    reason: str


def follow_or_failure(story: Story, index: CorpusIndex | None) -> StoryFollowed | StoryFollowFailed:
    """Build (or read from the cache) a story's provenance and timeline, in a worker: the
    message to post, a version that cannot be read being a failure with its reason."""
    started = time.perf_counter()
    try:
        followed = follow_story(story, index)
    except VersionUnreadable as error:
        return StoryFollowFailed(str(error))
    return StoryFollowed(followed, time.perf_counter() - started)
