"""The document `newsreader story PATH|ID --json` prints: the timeline of a story with
its sentence operations and the provenance of every sentence. The README documents it
("The story document"); `STORY_SCHEMA` names the version of that schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reader.follow.provenance import (
    ALGORITHM_VERSION,
    StoryProvenance,
    build_provenance,
    operation_to_json,
)
from reader.follow.timeline import Timeline, VersionInput, build_timeline

STORY_SCHEMA = "newsreader.story/1"


def story_document(
    timeline: Timeline,
    provenance: StoryProvenance,
    story_id: str | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """The story document from a timeline and the provenance of the same versions."""
    if len(timeline.versions) != len(provenance.versions):
        raise ValueError(
            f"the timeline has {len(timeline.versions)} versions, "
            f"the provenance {len(provenance.versions)}"
        )
    versions = []
    for entry, sentences in zip(timeline.versions, provenance.versions, strict=True):
        versions.append(
            {
                **entry.to_json(),
                "operations": [operation_to_json(op) for op in sentences.operations],
                "sentences": [sentence.to_json() for sentence in sentences.sentences],
            }
        )
    return {
        "schema": STORY_SCHEMA,
        "story": {"id": story_id, "title": title, "versions": len(versions)},
        "algorithm": ALGORITHM_VERSION,
        "fingerprint": timeline.fingerprint,
        "largest_changes": timeline.largest_changes(),
        "versions": versions,
        "edits": [{"id": index, **edit.to_json()} for index, edit in enumerate(provenance.edits)],
    }


def build_story_document(
    versions: Sequence[VersionInput], story_id: str | None = None, title: str | None = None
) -> dict[str, Any]:
    """Build provenance and timeline for `versions` (oldest first) and the document."""
    provenance = build_provenance([version.text for version in versions])
    timeline = build_timeline(versions, provenance)
    return story_document(timeline, provenance, story_id, title)
