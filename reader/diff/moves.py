"""Moves: deleted text that reappears elsewhere, allowing small edits inside it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from difflib import Match, SequenceMatcher

from reader.diff.noise import ChangeKind
from reader.diff.pieces import Piece, is_blank
from reader.diff.tokens import Token

#: A move is anchored on at least this many shared tokens in a row (words and punctuation,
#: of which at least MIN_ANCHOR_WORDS words): one shared `Rep.` or `.` never makes a move.
MIN_MOVE_WORDS = 5
MIN_ANCHOR_WORDS = 5
#: Words of difference allowed between matched stretches inside one move.
MOVE_GAP_WORDS = 3
#: Text travels at most this far (tokens) to count as moved; beyond it, in a page of
#: repeated copies, the same sentence elsewhere is another copy, not this one moved.
MAX_MOVE_DISTANCE = 4000


InnerDiff = Callable[[list[Token], list[Token]], "list[Piece] | None"]


def find_moves(pieces: list[Piece], inner_diff: InnerDiff) -> list[Piece]:
    """Pair deleted text with inserted text elsewhere that says nearly the same thing.

    Each pass pairs every deleted piece with its best inserted piece, each piece at most
    once, then splits them so only the matching stretches become moves; passes repeat
    while they find moves, so what is left of a split piece can move too. Where the two
    ends of a move differ, `inner_diff` gives their word diff, kept on both ends.
    """
    number = 0
    while True:
        found = _pair_moves(pieces)
        if not found:
            return pieces
        replacements: dict[int, list[Piece]] = {}
        for old_index, new_index, old_span, new_span in found:
            number += 1
            old_parts, new_parts = _carve(
                pieces[old_index], pieces[new_index], old_span, new_span, number, inner_diff
            )
            replacements[old_index], replacements[new_index] = old_parts, new_parts
        pieces = [
            part for index, piece in enumerate(pieces) for part in replacements.get(index, [piece])
        ]


def _pair_moves(pieces: list[Piece]) -> list[tuple[int, int, tuple[int, int], tuple[int, int]]]:
    positions = _token_positions(pieces)
    insertions = _insertion_index(pieces)
    taken: set[int] = set()
    found = []
    for index, piece in enumerate(pieces):
        if piece.kind is not ChangeKind.EDIT or not piece.old or index in taken:
            continue
        match = _best_move(pieces, index, insertions, positions, taken)
        if match is not None:
            target, old_span, new_span = match
            taken.update((index, target))
            found.append((index, target, old_span, new_span))
    return found


def _token_positions(pieces: list[Piece]) -> list[int]:
    """Where each piece starts, counted in tokens along the new text."""
    positions = []
    at = 0
    for piece in pieces:
        positions.append(at)
        at += max(len(piece.old), len(piece.new))
    return positions


def _insertion_index(pieces: list[Piece]) -> dict[tuple[str, ...], set[int]]:
    """Inserted pieces by the word four-grams they contain."""
    index: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for number, piece in enumerate(pieces):
        if piece.kind is ChangeKind.EDIT and piece.new and not piece.old:
            keys = [token.key for token in piece.new if not token.is_space]
            for start in range(len(keys) - MIN_MOVE_WORDS + 1):
                index[tuple(keys[start : start + MIN_MOVE_WORDS])].add(number)
    return index


def _best_move(
    pieces: list[Piece],
    index: int,
    insertions: dict[tuple[str, ...], set[int]],
    positions: list[int],
    taken: set[int],
) -> tuple[int, tuple[int, int], tuple[int, int]] | None:
    """The inserted piece that best matches part of deleted piece `index`, with spans."""
    keys = [token.key for token in pieces[index].old if not token.is_space]
    is_word = [token.is_word for token in pieces[index].old if not token.is_space]
    candidates: set[int] = set()
    for start in range(len(keys) - MIN_MOVE_WORDS + 1):
        candidates |= insertions.get(tuple(keys[start : start + MIN_MOVE_WORDS]), set())
    best = None
    best_words = 0
    for target in sorted(candidates):
        if abs(target - index) == 1 or target in taken:
            continue  # next to it: a replacement in place, not a move
        if abs(positions[target] - positions[index]) > MAX_MOVE_DISTANCE:
            continue
        new_keys = [token.key for token in pieces[target].new if not token.is_space]
        span = _move_span(keys, new_keys, is_word)
        if span is not None and span[0] > best_words:
            best_words = span[0]
            best = (target, span[1], span[2])
    return best


def _is_anchor(block: Match, old_is_word: list[bool]) -> bool:
    words = sum(old_is_word[block.a : block.a + block.size])
    return block.size >= MIN_MOVE_WORDS and words >= MIN_ANCHOR_WORDS


def _move_span(
    old_keys: list[str], new_keys: list[str], old_is_word: list[bool]
) -> tuple[int, tuple[int, int], tuple[int, int]] | None:
    """The best cluster of matching tokens, allowing small gaps, that holds an anchor of
    MIN_MOVE_WORDS shared tokens in a row: (tokens, old span, new span)."""
    blocks = [
        b
        for b in SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_matching_blocks()
        if b.size
    ]
    best = None
    cluster: list[Match] = []
    for block in [*blocks, None]:
        if block is not None and cluster:
            last = cluster[-1]
            gap_old = block.a - (last.a + last.size)
            gap_new = block.b - (last.b + last.size)
            if 0 <= gap_old <= MOVE_GAP_WORDS and 0 <= gap_new <= MOVE_GAP_WORDS:
                cluster.append(block)
                continue
        if cluster:
            words = sum(b.size for b in cluster)
            first, last = cluster[0], cluster[-1]
            anchored = any(_is_anchor(b, old_is_word) for b in cluster)
            if anchored and (best is None or words > best[0]):
                best = (words, (first.a, last.a + last.size), (first.b, last.b + last.size))
        cluster = [block] if block is not None else []
    return best


def _word_span_to_tokens(tokens: list[Token], span: tuple[int, int]) -> tuple[int, int]:
    positions = [index for index, token in enumerate(tokens) if not token.is_space]
    return positions[span[0]], positions[span[1] - 1] + 1


def _carve(
    old_piece: Piece,
    new_piece: Piece,
    old_span: tuple[int, int],
    new_span: tuple[int, int],
    number: int,
    inner_diff: InnerDiff,
) -> tuple[list[Piece], list[Piece]]:
    """Split the two pieces so the moved stretch of each becomes a move piece."""
    a, b = _word_span_to_tokens(old_piece.old, old_span)
    c, d = _word_span_to_tokens(new_piece.new, new_span)
    inner = inner_diff(old_piece.old[a:b], new_piece.new[c:d])
    old_parts = [
        Piece(ChangeKind.EDIT, old_piece.old[:a], []),
        Piece(ChangeKind.MOVE, old_piece.old[a:b], [], number, inner),
        Piece(ChangeKind.EDIT, old_piece.old[b:], []),
    ]
    new_parts = [
        Piece(ChangeKind.EDIT, [], new_piece.new[:c]),
        Piece(ChangeKind.MOVE, [], new_piece.new[c:d], number, inner),
        Piece(ChangeKind.EDIT, [], new_piece.new[d:]),
    ]
    return _tidy(old_parts), _tidy(new_parts)


def _tidy(parts: list[Piece]) -> list[Piece]:
    """Drop empty parts; whitespace left alone beside a move is re-flow, not an edit."""
    tidy = []
    for part in parts:
        if not part.old and not part.new:
            continue
        if part.kind is ChangeKind.EDIT and is_blank(part.old) and is_blank(part.new):
            part = Piece(None, part.old, part.new) if part.old == part.new else part
        tidy.append(part)
    return tidy
