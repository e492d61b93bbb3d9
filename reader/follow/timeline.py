"""The timeline of a story: one entry per version, with how much it changed.

Word figures come from the word diff of each version against the previous one
(`reader.diff.word_diff.diff_texts`), the same diff the diff screen shows, so the two agree.
Sentence operations come from the story's provenance (`reader.follow.provenance`).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from reader.diff.tokens import tokenize
from reader.diff.word_diff import WordDiff, diff_texts
from reader.follow.alignment import OperationKind
from reader.follow.changes import count_substantive
from reader.follow.provenance import (
    ALGORITHM_VERSION,
    ProvenanceFormatError,
    StoryProvenance,
    build_provenance,
)

TIMELINE_SCHEMA = "newsreader.timeline/1"


@dataclass(frozen=True, slots=True)
class VersionInput:
    """A version as the caller knows it: its text, where it came from, and when.

    `time_from` says where `time` came from (`"metadata"` or `"file"`), as the caller
    found it; a naive `time` is taken to be UTC.
    """

    text: str
    source: str
    time: datetime | None = None
    time_from: str | None = None


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One version on the timeline. The figures against the previous version are `None`
    for the first version, which has none."""

    number: int
    source: str
    time: str | None
    time_from: str | None
    words: int
    words_added: int | None
    words_deleted: int | None
    words_moved: int | None
    substantive_changes: int | None
    similarity: float | None
    changes_by_kind: dict[str, int] = field(default_factory=dict)
    operation_counts: dict[str, int] = field(default_factory=dict)
    restyled: int = 0

    @property
    def change_size(self) -> int:
        """Words added, deleted and moved: the height of this version's bar."""
        return (self.words_added or 0) + (self.words_deleted or 0) + (self.words_moved or 0)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "number": self.number,
            "source": self.source,
            "time": self.time,
            "time_from": self.time_from,
            "words": self.words,
            "words_added": self.words_added,
            "words_deleted": self.words_deleted,
            "words_moved": self.words_moved,
            "change_size": self.change_size,
            "substantive_changes": self.substantive_changes,
            "similarity": self.similarity,
            "changes_by_kind": dict(self.changes_by_kind),
            "operation_counts": dict(self.operation_counts),
            "restyled": self.restyled,
        }

    @classmethod
    def from_json(cls, data: object) -> TimelineEntry:
        """Read back what `to_json` wrote."""
        if not isinstance(data, dict):
            raise ProvenanceFormatError("a timeline entry is not an object")
        try:
            return cls(
                number=int(data["number"]),
                source=str(data["source"]),
                time=_optional(data["time"], str),
                time_from=_optional(data["time_from"], str),
                words=int(data["words"]),
                words_added=_optional(data["words_added"], int),
                words_deleted=_optional(data["words_deleted"], int),
                words_moved=_optional(data["words_moved"], int),
                substantive_changes=_optional(data["substantive_changes"], int),
                similarity=_optional(data["similarity"], float),
                changes_by_kind=_counts(data["changes_by_kind"]),
                operation_counts=_counts(data["operation_counts"]),
                restyled=int(data["restyled"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ProvenanceFormatError(f"bad timeline entry: {error}") from None


@dataclass(frozen=True, slots=True)
class Timeline:
    """Every version of a story in order, and a fingerprint of what it was built from."""

    versions: tuple[TimelineEntry, ...]
    fingerprint: str

    def largest_changes(self, count: int = 3) -> list[int]:
        """Numbers of the versions with the biggest changes (ties: the earlier first),
        for highlighting the biggest jumps; versions that changed nothing are left out."""
        changed = [entry for entry in self.versions if entry.change_size > 0]
        changed.sort(key=lambda entry: (-entry.change_size, entry.number))
        return [entry.number for entry in changed[:count]]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "schema": TIMELINE_SCHEMA,
            "fingerprint": self.fingerprint,
            "versions": [entry.to_json() for entry in self.versions],
        }

    @classmethod
    def from_json(cls, data: object) -> Timeline:
        """Read back what `to_json` wrote."""
        if not isinstance(data, dict) or data.get("schema") != TIMELINE_SCHEMA:
            raise ProvenanceFormatError(f"not {TIMELINE_SCHEMA}")
        versions = data.get("versions")
        if not isinstance(versions, list) or not isinstance(data.get("fingerprint"), str):
            raise ProvenanceFormatError("a timeline needs versions and a fingerprint")
        return cls(tuple(TimelineEntry.from_json(item) for item in versions), data["fingerprint"])


def in_time_order(versions: Sequence[VersionInput]) -> list[VersionInput]:
    """Versions sorted by time, those without a time last; ties keep the given order."""
    return sorted(versions, key=lambda v: (v.time is None, _utc(v.time) if v.time else 0.0))


def timeline_fingerprint(versions: Sequence[VersionInput]) -> str:
    """A digest of what a timeline is built from: texts, sources and times, in order."""
    digest = hashlib.sha256(f"newsreader-timeline-{ALGORITHM_VERSION}".encode())
    for version in versions:
        for part in (version.text, version.source, _iso(version.time), version.time_from or ""):
            digest.update(b"\0" + hashlib.sha256(part.encode("utf-8", "surrogatepass")).digest())
    return digest.hexdigest()


def build_timeline(
    versions: Sequence[VersionInput], provenance: StoryProvenance | None = None
) -> Timeline:
    """The timeline of `versions`, in the order given (see `in_time_order`).

    Pass the story's provenance if it is at hand (from a cache); otherwise it is built.
    """
    texts = [version.text for version in versions]
    if provenance is None or not provenance.is_current_for(texts):
        provenance = build_provenance(texts)
    entries = []
    for index, version in enumerate(versions):
        sentences = provenance.versions[index]
        operations = Counter(operation.kind.value for operation in sentences.operations)
        diff = diff_texts(texts[index - 1], version.text) if index else None
        entries.append(
            _entry(
                index + 1,
                version,
                diff,
                {kind.value: operations.get(kind.value, 0) for kind in OperationKind},
                sentences.restyled,
            )
        )
    return Timeline(tuple(entries), timeline_fingerprint(versions))


def _entry(
    number: int,
    version: VersionInput,
    diff: WordDiff | None,
    operation_counts: dict[str, int],
    restyled: int,
) -> TimelineEntry:
    words = sum(1 for token in tokenize(version.text) if token.is_word)
    stats = diff.stats if diff is not None else None
    return TimelineEntry(
        number=number,
        source=version.source,
        time=_iso_or_none(version.time),
        time_from=version.time_from,
        words=words,
        words_added=stats.words_inserted if stats else None,
        words_deleted=stats.words_deleted if stats else None,
        words_moved=stats.words_moved if stats else None,
        substantive_changes=count_substantive(diff.changes) if diff else None,
        similarity=stats.similarity if stats else None,
        changes_by_kind=dict(stats.by_kind) if stats else {},
        operation_counts=operation_counts,
        restyled=restyled,
    )


def _utc(moment: datetime) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _iso_or_none(moment: datetime | None) -> str | None:
    return _iso(moment) if moment is not None else None


def _optional(value: object, kind: type[int] | type[float] | type[str]) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(f"{value!r} is not a {kind.__name__}")
    return kind(value)


def _counts(value: object) -> dict[str, int]:
    if not isinstance(value, dict):
        raise TypeError("counts are not an object")
    return {str(key): int(count) for key, count in value.items()}
