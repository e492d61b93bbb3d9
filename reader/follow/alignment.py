"""Align the sentences of two consecutive versions, and name the operations between them.

The operations are those of the NewsEdits corpus (Spangher et al., NAACL 2022), counted
per pair of consecutive versions: a sentence is *added*, *deleted*, *updated* (matched to
one sentence of the previous version, with different words), *merged* (several sentences
became one), *split* (one became several) or *moved* (its order among the matched
sentences changed). A moved sentence that also changed is an update first and a move
second: both operations are listed. Sentences that differ only in house style are the
same sentence and no operation; they are counted as restyled.

Matching runs in stages, each on the sentences the earlier ones left:
1. equal keys (`similarity.sentence_features`): the same sentence, perhaps restyled
   (unless a word changed case in a way that can change the word: an update);
2. splits and merges: parts that each lie mostly inside one sentence on the other side
   and together cover clearly more of it than any single sentence does;
3. updates: the most alike remaining pairs first, down to `UPDATE_SIMILARITY`;
4. moves: the matches outside a longest run kept in order.
Candidates come from an index of content words, so no stage compares all pairs.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from reader.follow.similarity import SentenceFeatures, containment, dice, recased_word

#: Two sentences this alike (Dice on content words) are one sentence, updated.
UPDATE_SIMILARITY = 0.5
#: A part of a split or merge has at least this share of its words in the whole.
PART_CONTAINMENT = 0.6
#: A word in more unmatched sentences than this does not propose candidates (it still
#: counts in the similarity of the candidates other words propose).
COMMON_WORD_SENTENCES = 100
#: Each part adds at least this share of the whole's words not covered by other parts.
PART_GAIN = 0.15
#: The parts together cover at least this share of the whole's words ...
GROUP_COVERAGE = 0.6
#: ... and this much more than the best single sentence does.
GROUP_MARGIN = 0.15


class OperationKind(StrEnum):
    """A sentence operation between two consecutive versions (NewsEdits' names)."""

    ADDITION = "addition"
    DELETION = "deletion"
    UPDATE = "update"
    MERGE = "merge"
    SPLIT = "split"
    MOVE = "move"


class MatchKind(StrEnum):
    """How sentences of the newer version descend from the older one."""

    SAME = "same"
    UPDATE = "update"
    MERGE = "merge"
    SPLIT = "split"


@dataclass(frozen=True, slots=True)
class SentenceOperation:
    """One operation: sentence indices in the previous version (`old`) and this one (`new`)."""

    kind: OperationKind
    old: tuple[int, ...]
    new: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SentenceMatch:
    """Sentences of the older version (`old`) that became sentences of the newer (`new`)."""

    kind: MatchKind
    old: tuple[int, ...]
    new: tuple[int, ...]
    moved: bool = False


@dataclass(frozen=True, slots=True)
class SentenceAlignment:
    """Every sentence of both versions accounted for: matched, added or deleted."""

    matches: tuple[SentenceMatch, ...]
    added: tuple[int, ...]
    deleted: tuple[int, ...]

    def operations(self) -> list[SentenceOperation]:
        """The NewsEdits operations, in reading order of the newer version (a deleted
        sentence sits where it stood, after what preceded it)."""
        placed: list[tuple[float, int, SentenceOperation]] = []
        for match in self.matches:
            position = float(min(match.new))
            if match.kind is not MatchKind.SAME:
                kind = OperationKind(match.kind.value)
                placed.append((position, 0, SentenceOperation(kind, match.old, match.new)))
            if match.moved:
                move = SentenceOperation(OperationKind.MOVE, match.old, match.new)
                placed.append((position, 1, move))
        for index in self.added:
            placed.append(
                (float(index), 0, SentenceOperation(OperationKind.ADDITION, (), (index,)))
            )
        positions = self._deletion_positions()
        for index in self.deleted:
            operation = SentenceOperation(OperationKind.DELETION, (index,), ())
            placed.append((positions[index], 0, operation))
        placed.sort(key=lambda item: (item[0], item[1]))
        return [operation for _, _, operation in placed]

    def _deletion_positions(self) -> dict[int, float]:
        """Where each deleted sentence stood, as a fractional index in the newer version."""
        after = sorted((max(m.old), max(m.new)) for m in self.matches)
        olds = [old for old, _ in after]
        positions = {}
        for index in self.deleted:
            before = bisect.bisect_left(olds, index) - 1
            positions[index] = (after[before][1] if before >= 0 else -1) + 0.5
        return positions


def align_sentences(
    old: Sequence[SentenceFeatures], new: Sequence[SentenceFeatures]
) -> SentenceAlignment:
    """Match the sentences of `old` (the previous version) to those of `new`."""
    state = _State(old, new)
    state.match_equal_keys()
    overlaps = state.overlaps()
    state.match_groups(overlaps)
    state.match_updates(overlaps)
    matches = _mark_moves(state.matches)
    return SentenceAlignment(
        tuple(sorted(matches, key=lambda m: min(m.new))),
        tuple(sorted(state.new_free)),
        tuple(sorted(state.old_free)),
    )


class _State:
    """The sentences still unmatched on each side, and the matches made so far."""

    def __init__(self, old: Sequence[SentenceFeatures], new: Sequence[SentenceFeatures]) -> None:
        self.old, self.new = old, new
        self.old_free = set(range(len(old)))
        self.new_free = set(range(len(new)))
        self.matches: list[SentenceMatch] = []

    def take(self, kind: MatchKind, old: Sequence[int], new: Sequence[int]) -> None:
        self.matches.append(SentenceMatch(kind, tuple(sorted(old)), tuple(sorted(new))))
        self.old_free.difference_update(old)
        self.new_free.difference_update(new)

    def match_equal_keys(self) -> None:
        """Equal keys pair up in order: the first copy with the first copy. A word whose
        case changed (`US`/`us`) makes the pair an update, not house style."""
        new_by_key: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for j in range(len(self.new) - 1, -1, -1):  # last first, so pop() gives the first
            new_by_key[self.new[j].key].append(j)
        for i, sentence in enumerate(self.old):
            candidates = new_by_key.get(sentence.key)
            if candidates:
                j = candidates.pop()
                kind = MatchKind.UPDATE if recased_word(sentence, self.new[j]) else MatchKind.SAME
                self.take(kind, (i,), (j,))

    def overlaps(self) -> dict[int, dict[int, int]]:
        """Shared content words of each unmatched old sentence with unmatched new ones."""
        index: dict[str, list[int]] = defaultdict(list)
        for j in sorted(self.new_free):
            for word in self.new[j].words:
                index[word].append(j)
        shared: dict[int, dict[int, int]] = {}
        for i in sorted(self.old_free):
            counts: dict[int, int] = defaultdict(int)
            for word in self.old[i].words:
                postings = index.get(word, ())
                if len(postings) > COMMON_WORD_SENTENCES:
                    continue  # a page of near-copies would make this all pairs
                for j in postings:
                    counts[j] += 1
            if counts:
                shared[i] = dict(counts)
        return shared

    def match_groups(self, overlaps: dict[int, dict[int, int]]) -> None:
        """Splits (one old into several new) and merges (several old into one new)."""
        reverse: dict[int, dict[int, int]] = defaultdict(dict)
        for i, row in overlaps.items():
            for j, count in row.items():
                reverse[j][i] = count
        candidates: list[tuple[float, MatchKind, int, list[int]]] = []
        for i, row in overlaps.items():
            group = _group(self.old[i].words, {j: self.new[j].words for j in row})
            if group is not None:
                candidates.append((group[0], MatchKind.SPLIT, i, group[1]))
        for j, row in reverse.items():
            group = _group(self.new[j].words, {i: self.old[i].words for i in row})
            if group is not None:
                candidates.append((group[0], MatchKind.MERGE, j, group[1]))
        candidates.sort(key=lambda c: (-c[0], c[1].value, c[2]))
        for _, kind, whole, parts in candidates:
            if kind is MatchKind.SPLIT:
                if whole in self.old_free and self.new_free.issuperset(parts):
                    self.take(kind, (whole,), parts)
            elif whole in self.new_free and self.old_free.issuperset(parts):
                self.take(kind, parts, (whole,))

    def match_updates(self, overlaps: dict[int, dict[int, int]]) -> None:
        """One-to-one pairs, the most alike first; nearer positions break ties."""
        pairs = []
        old_size, new_size = max(len(self.old), 1), max(len(self.new), 1)
        for i, row in overlaps.items():
            for j in row:
                score = dice(self.old[i].words, self.new[j].words)
                if score >= UPDATE_SIMILARITY:
                    distance = abs(i / old_size - j / new_size)
                    pairs.append((-score, distance, i, j))
        for _, _, i, j in sorted(pairs):
            if i in self.old_free and j in self.new_free:
                self.take(MatchKind.UPDATE, (i,), (j,))


def _group(
    whole: frozenset[str], others: dict[int, frozenset[str]]
) -> tuple[float, list[int]] | None:
    """The parts that `whole` was split into (or merged from), with their coverage of it."""
    if not whole:
        return None
    parts = [
        index for index, words in others.items() if containment(words, whole) >= PART_CONTAINMENT
    ]
    if len(parts) < 2:
        return None
    parts.sort(key=lambda index: (-len(others[index] & whole), index))
    covered: set[str] = set()
    accepted = []
    for index in parts:
        gain = len((others[index] & whole) - covered) / len(whole)
        if gain >= PART_GAIN:
            accepted.append(index)
            covered |= others[index] & whole
    if len(accepted) < 2:
        return None
    coverage = len(covered) / len(whole)
    best_single = max(containment(whole, words) for words in others.values())
    if coverage < GROUP_COVERAGE or coverage < best_single + GROUP_MARGIN:
        return None
    return coverage, sorted(accepted)


def _mark_moves(matches: list[SentenceMatch]) -> list[SentenceMatch]:
    """Mark the matches that left the longest run of matches kept in order as moved."""
    ordered = sorted(matches, key=lambda m: min(m.old))
    kept = _longest_increasing([min(m.new) for m in ordered])
    return [
        match if position in kept else SentenceMatch(match.kind, match.old, match.new, True)
        for position, match in enumerate(ordered)
    ]


def _longest_increasing(values: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []  # value at the end of the best run of each length
    tail_positions: list[int] = []
    previous: list[int] = [-1] * len(values)
    for position, value in enumerate(values):
        length = bisect.bisect_left(tails, value)
        if length == len(tails):
            tails.append(value)
            tail_positions.append(position)
        else:
            tails[length] = value
            tail_positions[length] = position
        previous[position] = tail_positions[length - 1] if length else -1
    kept: set[int] = set()
    position = tail_positions[-1] if tail_positions else -1
    while position >= 0:
        kept.add(position)
        position = previous[position]
    return kept
