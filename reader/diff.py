"""Word diff of two versions of an article: noise-aware, move-aware, and fast on long texts.

The texts are tokenised (`reader.tokens`) into words, punctuation and whitespace whose
keys fold house style away. Sentences are matched first; only the runs of sentences
that differ are diffed word by word with diff-match-patch (each distinct token key
mapped to one code point, the "line mode" trick at word granularity). Tokens whose
keys agree but whose texts differ are style noise (`reader.noise`); deleted text that
reappears elsewhere is a move. The pieces of the result rebuild both texts exactly.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from diff_match_patch import diff_match_patch

from reader.noise import ChangeKind, classify_noise, is_typo_fix
from reader.tokens import PARAGRAPH_KEY, SPACE_KEY, Token, sentence_bounds, tokenize

#: diff-match-patch gives up after this many seconds and returns a coarser diff. Runs are
#: kept small enough (see WORD_DIFF_MAX_TOKENS) that this is a guard, never the rule.
DIFF_TIMEOUT_SECONDS = 2.0
#: A run of changed sentences longer than this (tokens, both sides) is first split by
#: aligning its sentences, so no single word diff is quadratic in the article's length.
WORD_DIFF_MAX_TOKENS = 2400
#: Sentences this similar (shared words over the longer one's) are paired when aligning.
SENTENCE_PAIR_SIMILARITY = 0.3
#: Half-width of the band of sentences compared when aligning a long run.
ALIGN_BAND = 40
#: A move carries at least this many words.
MIN_MOVE_WORDS = 4
#: Words of difference allowed between matched stretches inside one move.
MOVE_GAP_WORDS = 3
#: Text travels at most this far (tokens) to count as moved; beyond it, in a page of
#: repeated copies, the same sentence elsewhere is another copy, not this one moved.
MAX_MOVE_DISTANCE = 4000


@dataclass(slots=True)
class Piece:
    """A stretch of the diff: unchanged text, a change, or one end of a move.

    `old` and `new` are the tokens on each side; an edit has tokens on one side only (a
    replacement is a deletion piece followed by an insertion piece), a noise change on
    both, a move on one side with the other end elsewhere under the same `move` number.
    """

    kind: ChangeKind | None
    old: list[Token]
    new: list[Token]
    move: int | None = None

    @property
    def old_text(self) -> str:
        return "".join(token.text for token in self.old)

    @property
    def new_text(self) -> str:
        return "".join(token.text for token in self.new)

    @property
    def is_change(self) -> bool:
        return self.kind is not None


@dataclass(frozen=True, slots=True)
class Change:
    """One change, as listed in JSON and counted in stats.

    Offsets are character positions in the old and new texts; a move has both ends.
    """

    kind: ChangeKind
    old: str
    new: str
    old_start: int
    new_start: int
    move: int | None = None


@dataclass(frozen=True, slots=True)
class DiffStats:
    """How much changed, in words."""

    words_inserted: int
    words_deleted: int
    words_moved: int
    similarity: float
    by_kind: dict[str, int]


@dataclass(slots=True)
class WordDiff:
    """The diff of two texts: pieces in reading order, changes and stats."""

    pieces: list[Piece]
    changes: list[Change] = field(default_factory=list)
    stats: DiffStats = field(default_factory=lambda: DiffStats(0, 0, 0, 1.0, {}))

    @property
    def old_text(self) -> str:
        return "".join(piece.old_text for piece in self.pieces)

    @property
    def new_text(self) -> str:
        return "".join(piece.new_text for piece in self.pieces)

    def substantive_changes(self) -> list[Change]:
        """Edits and moves only: what is left with noise hidden."""
        return [change for change in self.changes if not change.kind.is_noise]


def diff_texts(old: str, new: str) -> WordDiff:
    """Diff two article texts word by word, telling noise and moves from edits."""
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    pieces = _classify_replacements(_diff_tokens(old_tokens, new_tokens))
    pieces = _merge_unchanged(_punctuation_swaps(pieces))
    pieces = _find_moves(pieces)
    changes = list(_changes(pieces))
    return WordDiff(pieces, changes, _stats(pieces, changes))


# --- sentence level -----------------------------------------------------------------------


def _sentence_keys(sentences: list[list[Token]]) -> list[tuple[str, ...]]:
    keys = []
    for tokens in sentences:
        sentence = [token.key for token in tokens]
        if sentence and sentence[-1] == PARAGRAPH_KEY:
            sentence[-1] = SPACE_KEY  # re-flow must not make a sentence differ
        keys.append(tuple(sentence))
    return keys


def _split(tokens: list[Token]) -> list[list[Token]]:
    return [tokens[a:b] for a, b in itertools.pairwise(sentence_bounds(tokens))]


def _is_repetitive(ids: list[int]) -> bool:
    """Many repeated sentences (a page of copies): matching the longest block first would
    pair the wrong copies, so sentences are aligned along the diagonal instead."""
    repeated = len(ids) - len(set(ids))
    return repeated >= 4 and repeated > 0.1 * len(ids)


def _diff_tokens(old: list[Token], new: list[Token]) -> list[Piece]:
    old_sentences, new_sentences = _split(old), _split(new)
    ids: dict[tuple[str, ...], int] = {}
    old_ids = [ids.setdefault(key, len(ids)) for key in _sentence_keys(old_sentences)]
    new_ids = [ids.setdefault(key, len(ids)) for key in _sentence_keys(new_sentences)]
    if _is_repetitive(old_ids) or _is_repetitive(new_ids):
        return _diff_run(old_sentences, new_sentences, old_ids, new_ids)
    matcher = SequenceMatcher(None, old_ids, new_ids, autojunk=False)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.extend(_equal_pieces(_join(old_sentences[i1:i2]), _join(new_sentences[j1:j2])))
        else:
            pieces.extend(
                _diff_run(
                    old_sentences[i1:i2], new_sentences[j1:j2], old_ids[i1:i2], new_ids[j1:j2]
                )
            )
    return pieces


def _join(sentences: list[list[Token]]) -> list[Token]:
    return [token for sentence in sentences for token in sentence]


def _diff_run(
    old_sentences: list[list[Token]],
    new_sentences: list[list[Token]],
    old_ids: list[int],
    new_ids: list[int],
) -> list[Piece]:
    """Diff a run of sentences: word by word, after aligning sentences if the run is long
    or repetitive."""
    old_tokens, new_tokens = _join(old_sentences), _join(new_sentences)
    repetitive = _is_repetitive(old_ids) or _is_repetitive(new_ids)
    short = len(old_tokens) + len(new_tokens) <= WORD_DIFF_MAX_TOKENS
    if short and not repetitive and (len(old_sentences) == 1 or len(new_sentences) == 1):
        return _word_diff(old_tokens, new_tokens)
    pieces: list[Piece] = []
    pairs = _align(
        [_word_set(sentence) for sentence in old_sentences],
        [_word_set(sentence) for sentence in new_sentences],
    )
    for (i1, i2), (j1, j2) in _aligned_groups(pairs, len(old_sentences), len(new_sentences)):
        old_run, new_run = _join(old_sentences[i1:i2]), _join(new_sentences[j1:j2])
        if old_ids[i1:i2] == new_ids[j1:j2]:
            pieces.extend(_equal_pieces(old_run, new_run))
        elif len(old_run) + len(new_run) <= WORD_DIFF_MAX_TOKENS:
            pieces.extend(_word_diff(old_run, new_run))
        else:  # long stretches with nothing in common: deleted and inserted wholesale
            pieces.extend(_one_sided(old_run, new_run))
    return _rediff_replacements(pieces)


def _rediff_replacements(pieces: list[Piece]) -> list[Piece]:
    """Word-diff a deletion followed by an insertion where alignment split one sentence
    into two (or joined two): the words they share are not an edit."""
    result: list[Piece] = []
    for piece in pieces:
        previous = result[-1] if result else None
        if (
            previous is not None
            and previous.kind is ChangeKind.EDIT
            and previous.old
            and not previous.new
            and piece.kind is ChangeKind.EDIT
            and piece.new
            and not piece.old
            and len(previous.old) + len(piece.new) <= WORD_DIFF_MAX_TOKENS
        ):
            result.pop()
            result.extend(_word_diff(previous.old, piece.new))
        else:
            result.append(piece)
    return result


def _one_sided(old: list[Token], new: list[Token]) -> list[Piece]:
    pieces = []
    if old:
        pieces.append(Piece(ChangeKind.EDIT, list(old), []))
    if new:
        pieces.append(Piece(ChangeKind.EDIT, [], list(new)))
    return pieces


def _word_set(sentence: list[Token]) -> frozenset[str]:
    return frozenset(token.key for token in sentence if token.is_word)


def _aligned_groups(
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


def _align(
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


# --- word level -------------------------------------------------------------------------


def _encode(tokens: list[Token], codes: dict[str, str]) -> str:
    chars = []
    for token in tokens:
        char = codes.get(token.key)
        if char is None:
            number = len(codes) + 0x100
            if number >= 0xD800:  # skip the surrogate range
                number += 0x800
            char = codes[token.key] = chr(number)
        chars.append(char)
    return "".join(chars)


def _word_diff(old: list[Token], new: list[Token]) -> list[Piece]:
    if not old or not new:
        return _one_sided(old, new)
    codes: dict[str, str] = {}
    engine = diff_match_patch()
    engine.Diff_Timeout = DIFF_TIMEOUT_SECONDS
    diffs = engine.diff_main(_encode(old, codes), _encode(new, codes), False)
    engine.diff_cleanupSemantic(diffs)
    pieces: list[Piece] = []
    i = j = 0
    for operation, chars in diffs:
        size = len(chars)
        if operation == diff_match_patch.DIFF_EQUAL:
            pieces.extend(_equal_pieces(old[i : i + size], new[j : j + size]))
            i, j = i + size, j + size
        elif operation == diff_match_patch.DIFF_DELETE:
            pieces.append(Piece(ChangeKind.EDIT, old[i : i + size], []))
            i += size
        else:
            pieces.append(Piece(ChangeKind.EDIT, [], new[j : j + size]))
            j += size
    return pieces


def _equal_pieces(old: list[Token], new: list[Token]) -> Iterator[Piece]:
    """Key-equal runs: unchanged where the texts agree, noise where only style differs."""
    start = 0
    for index, (old_token, new_token) in enumerate(zip(old, new, strict=True)):
        if old_token.text == new_token.text:
            continue
        if old_token.key == new_token.key and old_token.is_space:
            continue  # blank line vs newline, or two spaces vs one: not a change
        if index > start:
            yield Piece(None, old[start:index], new[start:index])
        if old_token.key == new_token.key:
            kind = classify_noise(old_token.text, new_token.text)
        else:
            kind = ChangeKind.TYPOGRAPHY  # a paragraph break against a space: re-flow
        yield Piece(kind, [old_token], [new_token])
        start = index + 1
    if start < len(old):
        yield Piece(None, old[start:], new[start:])


# --- post-processing ----------------------------------------------------------------------


def _is_blank(tokens: list[Token]) -> bool:
    return all(token.is_space for token in tokens)


def _words(tokens: list[Token]) -> list[Token]:
    return [token for token in tokens if not token.is_space]


def _classify_replacements(pieces: list[Piece]) -> list[Piece]:
    """Turn edits that are really noise into noise: re-flow, typo fixes, `U.S.` -> `US.`."""
    result: list[Piece] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if (
            piece.kind is ChangeKind.EDIT
            and piece.old
            and following is not None
            and following.kind is ChangeKind.EDIT
            and following.new
            and not following.old
        ):
            kind = _replacement_kind(piece.old, following.new)
            if kind is not None:
                result.append(Piece(kind, piece.old, following.new))
                index += 2
                continue
        if piece.kind is ChangeKind.EDIT and _is_stray_full_stop(piece, result):
            piece = Piece(ChangeKind.ABBREVIATION, piece.old, piece.new)
        elif piece.kind is ChangeKind.EDIT and _is_blank(piece.old) and _is_blank(piece.new):
            piece = Piece(ChangeKind.TYPOGRAPHY, piece.old, piece.new)
        result.append(piece)
        index += 1
    return result


def _replacement_kind(old: list[Token], new: list[Token]) -> ChangeKind | None:
    if _is_blank(old) and _is_blank(new):
        return ChangeKind.TYPOGRAPHY
    old_words, new_words = _words(old), _words(new)
    if len(old_words) == len(new_words) == 1 and is_typo_fix(old_words[0].text, new_words[0].text):
        return ChangeKind.SPELLING
    return None


def _is_stray_full_stop(piece: Piece, before: list[Piece]) -> bool:
    """`the U.S. NATO` against `the US. NATO`: the full stop went with the abbreviation."""
    if [token.key for token in _words(piece.old + piece.new)] != ["."]:
        return False
    return bool(before) and before[-1].kind is ChangeKind.ABBREVIATION


_QUOTES = frozenset({'"', "'"})


def _punctuation_swaps(pieces: list[Piece]) -> list[Piece]:
    """`for."` against `for”.`: a full stop moved across a closing quote is house style."""
    result = list(pieces)
    for index in range(len(result) - 2):
        first, middle, last = result[index : index + 3]
        if not (first.kind is last.kind is ChangeKind.EDIT):
            continue
        moved = [t.key for t in first.old + first.new]
        if len(moved) != 1 or moved[0] not in ".,":
            continue
        if [t.key for t in last.old + last.new] != moved or bool(first.old) == bool(last.old):
            continue
        if [t.key for t in middle.new] and {t.key for t in middle.new} <= _QUOTES:
            result[index] = Piece(ChangeKind.TYPOGRAPHY, first.old, first.new)
            result[index + 2] = Piece(ChangeKind.TYPOGRAPHY, last.old, last.new)
    return result


def _merge_unchanged(pieces: list[Piece]) -> list[Piece]:
    """Join neighbouring unchanged pieces, and noise of one kind separated only by
    unchanged spaces (a re-cased headline is one change, not one per word)."""
    merged: list[Piece] = []
    for piece in pieces:
        if not (piece.old or piece.new):
            continue
        if merged and piece.kind is None and merged[-1].kind is None:
            merged[-1] = Piece(None, merged[-1].old + piece.old, merged[-1].new + piece.new)
        elif (
            len(merged) >= 2
            and piece.kind is not None
            and piece.kind.is_noise
            and merged[-2].kind is piece.kind
            and merged[-1].kind is None
            and merged[-1].old == merged[-1].new
            and _is_blank(merged[-1].old)
        ):
            space = merged.pop()
            noise = merged.pop()
            merged.append(
                Piece(
                    piece.kind, noise.old + space.old + piece.old, noise.new + space.new + piece.new
                )
            )
        else:
            merged.append(piece)
    return merged


# --- moves --------------------------------------------------------------------------------


def _find_moves(pieces: list[Piece]) -> list[Piece]:
    """Pair deleted text with inserted text elsewhere that says nearly the same thing.

    Each pass pairs every deleted piece with its best inserted piece, each piece at most
    once, then splits them so only the matching stretches become moves; passes repeat
    while they find moves, so what is left of a split piece can move too.
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
                pieces[old_index], pieces[new_index], old_span, new_span, number
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
        span = _move_span(keys, new_keys)
        if span is not None and span[0] > best_words:
            best_words = span[0]
            best = (target, span[1], span[2])
    return best


def _move_span(
    old_keys: list[str], new_keys: list[str]
) -> tuple[int, tuple[int, int], tuple[int, int]] | None:
    """The best cluster of matching words, allowing small gaps: (words, old span, new span)."""
    blocks = [
        b
        for b in SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_matching_blocks()
        if b.size
    ]
    best = None
    cluster: list = []
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
            if words >= MIN_MOVE_WORDS and (best is None or words > best[0]):
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
) -> tuple[list[Piece], list[Piece]]:
    """Split the two pieces so the moved stretch of each becomes a move piece."""
    a, b = _word_span_to_tokens(old_piece.old, old_span)
    c, d = _word_span_to_tokens(new_piece.new, new_span)
    old_parts = [
        Piece(ChangeKind.EDIT, old_piece.old[:a], []),
        Piece(ChangeKind.MOVE, old_piece.old[a:b], [], number),
        Piece(ChangeKind.EDIT, old_piece.old[b:], []),
    ]
    new_parts = [
        Piece(ChangeKind.EDIT, [], new_piece.new[:c]),
        Piece(ChangeKind.MOVE, [], new_piece.new[c:d], number),
        Piece(ChangeKind.EDIT, [], new_piece.new[d:]),
    ]
    return _tidy(old_parts), _tidy(new_parts)


def _tidy(parts: list[Piece]) -> list[Piece]:
    """Drop empty parts; whitespace left alone beside a move is re-flow, not an edit."""
    tidy = []
    for part in parts:
        if not part.old and not part.new:
            continue
        if part.kind is ChangeKind.EDIT and _is_blank(part.old) and _is_blank(part.new):
            part = Piece(None, part.old, part.new) if part.old == part.new else part
        tidy.append(part)
    return tidy


# --- changes and stats --------------------------------------------------------------------


def _changes(pieces: list[Piece]) -> Iterator[Change]:
    old_at = new_at = 0
    moves: dict[int, dict[str, object]] = {}
    pending: Change | None = None
    for piece in pieces:
        old_text, new_text = piece.old_text, piece.new_text
        if piece.kind is ChangeKind.EDIT:
            if pending is not None and not pending.new and not old_text:
                pending = Change(
                    ChangeKind.EDIT, pending.old, new_text, pending.old_start, pending.new_start
                )
            else:
                if pending is not None:
                    yield pending
                pending = Change(ChangeKind.EDIT, old_text, new_text, old_at, new_at)
        else:
            if pending is not None:
                yield pending
                pending = None
            if piece.kind is ChangeKind.MOVE and piece.move is not None:
                end = moves.setdefault(piece.move, {})
                if piece.old:
                    end.update(old=old_text, old_start=old_at)
                else:
                    end.update(new=new_text, new_start=new_at)
            elif piece.kind is not None:
                yield Change(piece.kind, old_text, new_text, old_at, new_at)
        old_at += len(old_text)
        new_at += len(new_text)
    if pending is not None:
        yield pending
    for number, ends in sorted(moves.items()):
        yield Change(
            ChangeKind.MOVE,
            str(ends.get("old", "")),
            str(ends.get("new", "")),
            int(ends.get("old_start", 0)),  # type: ignore[call-overload]
            int(ends.get("new_start", 0)),  # type: ignore[call-overload]
            number,
        )


def _count_words(tokens: list[Token]) -> int:
    return sum(1 for token in tokens if token.is_word)


def _stats(pieces: list[Piece], changes: list[Change]) -> DiffStats:
    inserted = deleted = moved = common = old_words = new_words = 0
    by_kind: dict[str, int] = defaultdict(int)
    for piece in pieces:
        old_count, new_count = _count_words(piece.old), _count_words(piece.new)
        old_words += old_count
        new_words += new_count
        if piece.kind is None or piece.kind.is_noise:
            common += min(old_count, new_count)
        elif piece.kind is ChangeKind.MOVE:
            moved += old_count
        else:
            inserted += new_count
            deleted += old_count
    for change in changes:
        by_kind[change.kind.value] += 1
    total = old_words + new_words
    similarity = 1.0 if total == 0 else 2 * common / total
    return DiffStats(inserted, deleted, moved, round(similarity, 4), dict(by_kind))
