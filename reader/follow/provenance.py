"""Provenance ("blame" for sentences): which version introduced each sentence, and which
versions edited it since.

Built once per story from the alignments of consecutive versions
(`reader.follow.alignment`): a sentence matched unchanged (or only restyled) keeps its
history; an updated, split or merged one keeps its history and gains an edit, with the
word diff of that edit (`reader.diff.word_diff.diff_texts`, as the diff screen shows it); an added
one starts a new history, unless the same sentence (same key) stood in an earlier version
but not the one before, in which case it was restored and keeps its old history. A merged
sentence descends from all its parts: it was introduced by the earliest of them.

The result is plain data, JSON-serialisable, with a fingerprint of the algorithm and the
texts so a cache can tell when it is stale.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from reader.diff.word_diff import diff_texts
from reader.follow.alignment import (
    MatchKind,
    OperationKind,
    SentenceMatch,
    SentenceOperation,
    align_sentences,
)
from reader.follow.changes import change_flags
from reader.follow.sentences import Sentence, split_sentences
from reader.follow.similarity import SentenceFeatures, sentence_features

#: Bump when a change to sentence splitting, alignment or this module changes results:
#: cached provenance with another number is stale.
ALGORITHM_VERSION = 1
PROVENANCE_SCHEMA = "newsreader.provenance/1"


class ProvenanceFormatError(ValueError):
    """Cached provenance that is not in the expected shape."""


@dataclass(frozen=True, slots=True)
class EditChange:
    """One change in the word diff of an edited sentence."""

    kind: str
    old: str
    new: str
    flags: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"kind": self.kind, "old": self.old, "new": self.new, "flags": list(self.flags)}

    @classmethod
    def from_json(cls, data: object) -> EditChange:
        """Read back what `to_json` wrote."""
        row = _object(data)
        return cls(_str(row, "kind"), _str(row, "old"), _str(row, "new"), _strs(row, "flags"))


@dataclass(frozen=True, slots=True)
class SentenceEdit:
    """An edit of a sentence: its text before and after, and the word diff between them.

    `kind` is `update`, `split` or `merge`; a split has several sentences `after`, a merge
    several `before`.
    """

    version: int
    kind: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    words_inserted: int
    words_deleted: int
    similarity: float
    changes: tuple[EditChange, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "version": self.version,
            "kind": self.kind,
            "before": list(self.before),
            "after": list(self.after),
            "words_inserted": self.words_inserted,
            "words_deleted": self.words_deleted,
            "similarity": self.similarity,
            "changes": [change.to_json() for change in self.changes],
        }

    @classmethod
    def from_json(cls, data: object) -> SentenceEdit:
        """Read back what `to_json` wrote."""
        row = _object(data)
        return cls(
            _int(row, "version"),
            _str(row, "kind"),
            _strs(row, "before"),
            _strs(row, "after"),
            _int(row, "words_inserted"),
            _int(row, "words_deleted"),
            _float(row, "similarity"),
            tuple(EditChange.from_json(item) for item in _list(row, "changes")),
        )


@dataclass(frozen=True, slots=True)
class SentenceBlame:
    """One sentence of a version and where it came from.

    `introduced_in` is the version that first had it (the earliest of `origins` when it
    merges sentences introduced in several); `edited_in` the versions that changed it
    since, `edits` those edits (indices into `StoryProvenance.edits`), and `restored_in`
    the versions that brought it back after it had been cut. `lineage` names its line of
    descent: the same in every version, shared by the parts of a split.
    """

    text: str
    start: int
    end: int
    paragraph: int
    lineage: int
    introduced_in: int
    origins: tuple[int, ...]
    edited_in: tuple[int, ...] = ()
    edits: tuple[int, ...] = ()
    restored_in: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "paragraph": self.paragraph,
            "lineage": self.lineage,
            "introduced_in": self.introduced_in,
            "origins": list(self.origins),
            "edited_in": list(self.edited_in),
            "edits": list(self.edits),
            "restored_in": list(self.restored_in),
        }

    @classmethod
    def from_json(cls, data: object) -> SentenceBlame:
        """Read back what `to_json` wrote."""
        row = _object(data)
        return cls(
            _str(row, "text"),
            _int(row, "start"),
            _int(row, "end"),
            _int(row, "paragraph"),
            _int(row, "lineage"),
            _int(row, "introduced_in"),
            _ints(row, "origins"),
            _ints(row, "edited_in"),
            _ints(row, "edits"),
            _ints(row, "restored_in"),
        )


@dataclass(frozen=True, slots=True)
class VersionProvenance:
    """The sentences of one version with their provenance, and the sentence operations
    from the previous version (none for the first)."""

    number: int
    sentences: tuple[SentenceBlame, ...]
    operations: tuple[SentenceOperation, ...]
    restyled: int

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "number": self.number,
            "sentences": [sentence.to_json() for sentence in self.sentences],
            "operations": [operation_to_json(operation) for operation in self.operations],
            "restyled": self.restyled,
        }

    @classmethod
    def from_json(cls, data: object) -> VersionProvenance:
        """Read back what `to_json` wrote."""
        row = _object(data)
        return cls(
            _int(row, "number"),
            tuple(SentenceBlame.from_json(item) for item in _list(row, "sentences")),
            tuple(operation_from_json(item) for item in _list(row, "operations")),
            _int(row, "restyled"),
        )

    def sentence_at(self, offset: int) -> SentenceBlame | None:
        """The sentence covering character `offset` of this version's text, if any."""
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None


@dataclass(frozen=True, slots=True)
class StoryProvenance:
    """Provenance of every sentence of every version of a story, computed in one pass."""

    fingerprint: str
    versions: tuple[VersionProvenance, ...]
    edits: tuple[SentenceEdit, ...]
    algorithm: int = ALGORITHM_VERSION

    def is_current_for(self, texts: Sequence[str]) -> bool:
        """Whether this was computed, by this algorithm, from exactly these texts."""
        return self.algorithm == ALGORITHM_VERSION and self.fingerprint == story_fingerprint(texts)

    def edits_of(self, sentence: SentenceBlame) -> list[SentenceEdit]:
        """The edits of a sentence, oldest first."""
        return [self.edits[index] for index in sentence.edits]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "schema": PROVENANCE_SCHEMA,
            "algorithm": self.algorithm,
            "fingerprint": self.fingerprint,
            "versions": [version.to_json() for version in self.versions],
            "edits": [edit.to_json() for edit in self.edits],
        }

    @classmethod
    def from_json(cls, data: object) -> StoryProvenance:
        """Read back what `to_json` wrote; `ProvenanceFormatError` if it is not that."""
        row = _object(data)
        if row.get("schema") != PROVENANCE_SCHEMA:
            raise ProvenanceFormatError(f"not {PROVENANCE_SCHEMA}: {row.get('schema')!r}")
        return cls(
            _str(row, "fingerprint"),
            tuple(VersionProvenance.from_json(item) for item in _list(row, "versions")),
            tuple(SentenceEdit.from_json(item) for item in _list(row, "edits")),
            _int(row, "algorithm"),
        )


def story_fingerprint(texts: Sequence[str]) -> str:
    """A digest of the algorithm version and the texts, in order."""
    digest = hashlib.sha256(f"newsreader-provenance-{ALGORITHM_VERSION}".encode())
    for text in texts:
        digest.update(b"\0" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest())
    return digest.hexdigest()


def build_provenance(texts: Sequence[str]) -> StoryProvenance:
    """Provenance for every version of a story; `texts` in version order, oldest first."""
    builder = _Builder()
    versions = tuple(builder.add_version(number, text) for number, text in enumerate(texts, 1))
    return StoryProvenance(story_fingerprint(texts), versions, tuple(builder.edits))


class _Builder:
    """Carries the previous version's sentences and every key seen, version to version."""

    def __init__(self) -> None:
        self.edits: list[SentenceEdit] = []
        self.sentences: list[Sentence] = []
        self.features: list[SentenceFeatures] = []
        self.blames: list[SentenceBlame] = []
        self.seen: dict[tuple[str, ...], SentenceBlame] = {}  # latest blame of each key
        self.lineages = 0
        self.known: dict[str, SentenceFeatures] = {}  # most sentences recur version to version

    def features_of(self, text: str) -> SentenceFeatures:
        features = self.known.get(text)
        if features is None:
            features = self.known[text] = sentence_features(text)
        return features

    def add_version(self, number: int, text: str) -> VersionProvenance:
        sentences = split_sentences(text)
        features = [self.features_of(sentence.text) for sentence in sentences]
        alignment = align_sentences(self.features, features)
        blames: list[SentenceBlame | None] = [None] * len(sentences)
        restyled = 0
        for match in alignment.matches:
            if match.kind is MatchKind.SAME:
                old, new = match.old[0], match.new[0]
                blames[new] = self.blames[old]
                restyled += _restyled(self.sentences[old].text, sentences[new].text)
            else:
                edited = self._edited(number, match, sentences)
                for index in match.new:
                    blames[index] = edited
        previous_keys = {feature.key for feature in self.features}
        for index in alignment.added:
            key = features[index].key
            earlier = self.seen.get(key) if key not in previous_keys else None
            blames[index] = (
                replace(earlier, restored_in=(*earlier.restored_in, number))
                if earlier is not None
                else self._new_lineage(number)
            )
        placed = tuple(
            _placed(blame, sentence) for blame, sentence in zip(blames, sentences, strict=True)
        )
        operations = tuple(alignment.operations()) if number > 1 else ()
        self.sentences, self.features, self.blames = sentences, features, list(placed)
        for feature, blame in zip(features, placed, strict=True):
            self.seen[feature.key] = blame
        return VersionProvenance(number, placed, operations, restyled)

    def _new_lineage(self, number: int) -> SentenceBlame:
        self.lineages += 1
        return SentenceBlame("", 0, 0, 0, self.lineages, number, (number,))

    def _edited(
        self, number: int, match: SentenceMatch, sentences: list[Sentence]
    ) -> SentenceBlame:
        """The history of an updated, split or merged sentence, with this edit added."""
        parents = [self.blames[index] for index in match.old]
        before = tuple(self.sentences[index].text for index in match.old)
        after = tuple(sentences[index].text for index in match.new)
        self.edits.append(_edit(number, match.kind.value, before, after))
        first = min(parents, key=lambda parent: (parent.introduced_in, parent.lineage))
        origins = sorted({origin for parent in parents for origin in parent.origins})
        return replace(
            first,
            origins=tuple(origins),
            introduced_in=origins[0],
            edits=(*sorted({e for parent in parents for e in parent.edits}), len(self.edits) - 1),
            edited_in=(*sorted({v for parent in parents for v in parent.edited_in}), number),
            restored_in=tuple(sorted({v for parent in parents for v in parent.restored_in})),
        )


def _edit(number: int, kind: str, before: tuple[str, ...], after: tuple[str, ...]) -> SentenceEdit:
    diff = diff_texts(" ".join(before), " ".join(after))
    changes = tuple(
        EditChange(change.kind.value, change.old, change.new, change_flags(change))
        for change in diff.changes
    )
    stats = diff.stats
    return SentenceEdit(
        number,
        kind,
        before,
        after,
        stats.words_inserted,
        stats.words_deleted,
        stats.similarity,
        changes,
    )


def _restyled(old: str, new: str) -> int:
    """1 if two sentences with one key are written differently (re-flow aside), else 0."""
    return int(" ".join(old.split()) != " ".join(new.split()))


def _placed(blame: SentenceBlame | None, sentence: Sentence) -> SentenceBlame:
    if blame is None:  # every sentence is matched or added: alignment guarantees it
        raise AssertionError(f"sentence at {sentence.start} was not accounted for")
    return replace(
        blame,
        text=sentence.text,
        start=sentence.start,
        end=sentence.end,
        paragraph=sentence.paragraph,
    )


# --- JSON --------------------------------------------------------------------------------


def operation_to_json(operation: SentenceOperation) -> dict[str, Any]:
    """A sentence operation as a JSON-ready dict."""
    return {"kind": operation.kind.value, "old": list(operation.old), "new": list(operation.new)}


def operation_from_json(data: object) -> SentenceOperation:
    """Read back what `operation_to_json` wrote."""
    row = _object(data)
    try:
        kind = OperationKind(_str(row, "kind"))
    except ValueError as error:
        raise ProvenanceFormatError(str(error)) from None
    return SentenceOperation(kind, _ints(row, "old"), _ints(row, "new"))


def _object(data: object) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ProvenanceFormatError(f"expected an object, got {type(data).__name__}")
    return data


def _field(row: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    value = row.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ProvenanceFormatError(f"field {name!r} is missing or not {kind}")
    return value


def _int(row: dict[str, Any], name: str) -> int:
    return int(_field(row, name, int))


def _float(row: dict[str, Any], name: str) -> float:
    return float(_field(row, name, (int, float)))


def _str(row: dict[str, Any], name: str) -> str:
    return str(_field(row, name, str))


def _list(row: dict[str, Any], name: str) -> list[Any]:
    return list(_field(row, name, list))


def _ints(row: dict[str, Any], name: str) -> tuple[int, ...]:
    values = _list(row, name)
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in values):
        raise ProvenanceFormatError(f"field {name!r} holds something other than integers")
    return tuple(values)


def _strs(row: dict[str, Any], name: str) -> tuple[str, ...]:
    values = _list(row, name)
    if not all(isinstance(value, str) for value in values):
        raise ProvenanceFormatError(f"field {name!r} holds something other than strings")
    return tuple(values)
