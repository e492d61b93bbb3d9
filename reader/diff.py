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
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from diff_match_patch import diff_match_patch

from reader.align import align, aligned_groups, word_set
from reader.moves import find_moves
from reader.noise import ChangeKind, classify_noise, is_typo_fix
from reader.pieces import Piece, is_blank, words
from reader.tokens import PARAGRAPH_KEY, SPACE_KEY, Token, sentence_bounds, tokenize

#: diff-match-patch gives up after this many seconds and returns a coarser diff. Runs are
#: kept small enough (see WORD_DIFF_MAX_TOKENS) that this is a guard, never the rule.
DIFF_TIMEOUT_SECONDS = 2.0
#: A run of changed sentences longer than this (tokens, both sides) is first split by
#: aligning its sentences, so no single word diff is quadratic in the article's length.
WORD_DIFF_MAX_TOKENS = 2400


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
    pieces = find_moves(pieces)
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
    pairs = align(
        [word_set(sentence) for sentence in old_sentences],
        [word_set(sentence) for sentence in new_sentences],
    )
    for (i1, i2), (j1, j2) in aligned_groups(pairs, len(old_sentences), len(new_sentences)):
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
        elif piece.kind is ChangeKind.EDIT and is_blank(piece.old) and is_blank(piece.new):
            piece = Piece(ChangeKind.TYPOGRAPHY, piece.old, piece.new)
        result.append(piece)
        index += 1
    return result


def _replacement_kind(old: list[Token], new: list[Token]) -> ChangeKind | None:
    if is_blank(old) and is_blank(new):
        return ChangeKind.TYPOGRAPHY
    old_words, new_words = words(old), words(new)
    if len(old_words) == len(new_words) == 1 and is_typo_fix(old_words[0].text, new_words[0].text):
        return ChangeKind.SPELLING
    return None


def _is_stray_full_stop(piece: Piece, before: list[Piece]) -> bool:
    """`the U.S. NATO` against `the US. NATO`: the full stop went with the abbreviation."""
    if [token.key for token in words(piece.old + piece.new)] != ["."]:
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
            and is_blank(merged[-1].old)
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


def _countwords(tokens: list[Token]) -> int:
    return sum(1 for token in tokens if token.is_word)


def _stats(pieces: list[Piece], changes: list[Change]) -> DiffStats:
    inserted = deleted = moved = common = old_words = new_words = 0
    by_kind: dict[str, int] = defaultdict(int)
    for piece in pieces:
        old_count, new_count = _countwords(piece.old), _countwords(piece.new)
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
