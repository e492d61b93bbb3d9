"""Align two runs of sentences: pair similar ones in order, in time linear in their length."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from reader.tokens import Token

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


def align(
    old_sets: Sequence[frozenset[str]], new_sets: Sequence[frozenset[str]]
) -> list[tuple[int, int]]:
    """Pairs (i, j), increasing in both, that maximise the total similarity.

    Dynamic programming restricted to a band around the diagonal, so a long run costs
    time in proportion to its length, not its square.
    """
    m, n = len(old_sets), len(new_sets)
    if m == 0 or n == 0:
        return []
    band = ALIGN_BAND + min(abs(m - n), 4 * ALIGN_BAND)
    lows = [max(0, (i * n) // m - band) for i in range(m + 1)]
    highs = [min(n, (i * n) // m + band) for i in range(m + 1)]
    lows[0], highs[m] = 0, n  # the path starts at (0, 0) and ends at (m, n)
    for i in range(1, m + 1):  # keep the band connected: each row reaches the last one
        lows[i] = min(lows[i], highs[i - 1])
    for i in range(m - 1, -1, -1):
        highs[i] = max(highs[i], lows[i + 1])
    unreachable = float("-inf")
    rows: list[list[float]] = []
    steps: list[bytearray] = []  # 0: pair, 1: skip old, 2: skip new
    for i in range(m + 1):
        low, high = lows[i], highs[i]
        row = [unreachable] * (high - low + 1)
        step = bytearray(high - low + 1)
        previous = rows[i - 1] if i else None
        previous_low = lows[i - 1] if i else 0
        previous_high = highs[i - 1] if i else -1
        old_set = old_sets[i - 1] if i else frozenset()
        for j in range(low, high + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            best, move = unreachable, 1
            if previous is not None and previous_low <= j <= previous_high:
                best = previous[j - previous_low]
            if j > low and row[j - 1 - low] > best:
                best, move = row[j - 1 - low], 2
            if previous is not None and j > 0 and previous_low <= j - 1 <= previous_high:
                diagonal = previous[j - 1 - previous_low]
                if diagonal > unreachable:
                    new_set = new_sets[j - 1]
                    shared = len(old_set & new_set)
                    if shared:
                        similarity = shared / max(len(old_set), len(new_set))
                        if similarity >= SENTENCE_PAIR_SIMILARITY and diagonal + similarity > best:
                            best, move = diagonal + similarity, 0
            row[j - low] = best
            step[j - low] = move
        rows.append(row)
        steps.append(step)
    pairs = []
    i, j = m, n
    while i > 0 or j > 0:
        move = steps[i][j - lows[i]]
        if move == 0:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif move == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]
