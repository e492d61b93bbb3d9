"""Align two runs of sentences: pair similar ones in order, in time linear in their length."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from reader.diff.tokens import Token

#: Sentences this similar (shared words over the longer one's) are paired when aligning.
SENTENCE_PAIR_SIMILARITY = 0.3
#: Half-width of the band of sentences compared when aligning a long run.
ALIGN_BAND = 40


def word_set(sentence: list[Token]) -> frozenset[str]:
    return frozenset(token.key for token in sentence if token.is_word)


def aligned_groups(
    pairs: list[tuple[int, int]], old_count: int, new_count: int
) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    """Ranges of sentences to diff together: each aligned pair, and the unpaired
    sentences between two pairs."""
    i = j = 0
    for pair_i, pair_j in [*pairs, (old_count, new_count)]:
        if i < pair_i or j < pair_j:
            yield (i, pair_i), (j, pair_j)
        if pair_i < old_count:
            yield (pair_i, pair_i + 1), (pair_j, pair_j + 1)
        i, j = pair_i + 1, pair_j + 1


def _masks(sets: Sequence[frozenset[str]], bits: dict[str, int]) -> list[int]:
    masks = []
    for words in sets:
        mask = 0
        for word in words:
            bit = bits.get(word)
            if bit is None:
                bit = bits[word] = len(bits)
            mask |= 1 << bit
        masks.append(mask)
    return masks


_UNREACHABLE = float("-inf")


def align(
    old_sets: Sequence[frozenset[str]], new_sets: Sequence[frozenset[str]]
) -> list[tuple[int, int]]:
    """Pairs (i, j), increasing in both, that maximise the total similarity.

    Dynamic programming restricted to a band around the diagonal, so a long run costs
    time in proportion to its length, not its square. Each row is computed with numpy:
    a cell is the best of the cell above and the diagonal plus the pair's similarity,
    and skipping a new sentence (the cell to the left) is a running maximum.
    """
    m, n = len(old_sets), len(new_sets)
    if m == 0 or n == 0:
        return []
    # Try a narrow band first; if the best path runs along its edge, the band may have
    # cut off a better one (a long insertion at one end), so widen it.
    pairs, touched = _align_in_band(old_sets, new_sets, ALIGN_BAND)
    wide = ALIGN_BAND + min(abs(m - n), 4 * ALIGN_BAND)
    if touched and wide > ALIGN_BAND:
        pairs, _ = _align_in_band(old_sets, new_sets, wide)
    return pairs


#: A path this close to the edge of the band (or one that pairs fewer than half the
#: sentences) may have been cut off by it.
_EDGE = 4


def _align_in_band(
    old_sets: Sequence[frozenset[str]], new_sets: Sequence[frozenset[str]], band: int
) -> tuple[list[tuple[int, int]], bool]:
    """The best pairs within `band` of the diagonal, and whether they come near its edge."""
    m, n = len(old_sets), len(new_sets)
    lows = [max(0, (i * n) // m - band) for i in range(m + 1)]
    highs = [min(n, (i * n) // m + band) for i in range(m + 1)]
    lows[0], highs[m] = 0, n  # the path starts at (0, 0) and ends at (m, n)
    for i in range(1, m + 1):  # keep the band connected: each row reaches the last one
        lows[i] = min(lows[i], highs[i - 1])
    for i in range(m - 1, -1, -1):
        highs[i] = max(highs[i], lows[i + 1])
    bits: dict[str, int] = {}
    old_masks, new_masks = _masks(old_sets, bits), _masks(new_sets, bits)
    old_sizes = [len(s) for s in old_sets]
    new_sizes = np.array([len(s) for s in new_sets], dtype=float)
    rows: list[np.ndarray] = [np.zeros(highs[0] - lows[0] + 1)]
    for i in range(1, m + 1):
        low, high = lows[i], highs[i]
        previous, previous_low = rows[-1], lows[i - 1]
        previous_high = previous_low + len(previous) - 1
        best = np.full(high - low + 1, _UNREACHABLE)
        a, b = max(low, previous_low), min(high, previous_high)
        if a <= b:  # skip old sentence i - 1: the cell above
            best[a - low : b - low + 1] = previous[a - previous_low : b - previous_low + 1]
        a, b = max(low, previous_low + 1, 1), min(high, previous_high + 1)
        if a <= b:  # pair old sentence i - 1 with new sentence j - 1: the diagonal
            old_mask = old_masks[i - 1]
            shared = np.array([(old_mask & mask).bit_count() for mask in new_masks[a - 1 : b]])
            similarities = shared / np.maximum(old_sizes[i - 1], new_sizes[a - 1 : b])
            similarities[(shared == 0) | (similarities < SENTENCE_PAIR_SIMILARITY)] = _UNREACHABLE
            diagonal = previous[a - 1 - previous_low : b - previous_low] + similarities
            np.maximum(best[a - low : b - low + 1], diagonal, out=best[a - low : b - low + 1])
        rows.append(np.maximum.accumulate(best))  # skip new sentences: from the left
    pairs = _trace_back(rows, lows, old_sets, new_sets)
    touched = len(pairs) < min(m, n) // 2 or any(
        (j + 1 - lows[i + 1] < _EDGE and lows[i + 1] > 0)
        or (highs[i + 1] - j - 1 < _EDGE and highs[i + 1] < n)
        for i, j in pairs
    )
    return pairs, touched


def _trace_back(
    rows: list[np.ndarray],
    lows: list[int],
    old_sets: Sequence[frozenset[str]],
    new_sets: Sequence[frozenset[str]],
) -> list[tuple[int, int]]:
    """The pairs on a best path from (m, n) back to (0, 0)."""
    pairs = []
    i, j = len(old_sets), len(new_sets)
    while i > 0 and j > 0:
        row, low = rows[i], lows[i]
        value = row[j - low]
        previous, previous_low = rows[i - 1], lows[i - 1]
        if previous_low <= j < previous_low + len(previous) and previous[j - previous_low] == value:
            i -= 1
        elif j > low and row[j - 1 - low] == value:
            j -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    return pairs[::-1]
