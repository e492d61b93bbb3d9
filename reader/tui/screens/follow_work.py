"""Messages of the story-following screens: a story's provenance and timeline, built off
the UI thread (`reader.follow.followed`), arrive as these."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from reader.follow.followed import FollowedStory


@dataclass
class StoryFollowed(Message):
    """The provenance and timeline of the screen's story are ready; `seconds` it took."""

    followed: FollowedStory
    seconds: float


@dataclass
class StoryFollowFailed(Message):
    """A version of the story could not be read."""

    reason: str
