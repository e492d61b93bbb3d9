"""Word diff of two versions of an article: noise-aware, move-aware, and fast on long texts.

The texts are tokenised (`reader.diff.tokens`) into words, punctuation and whitespace whose
keys fold house style away. Sentences are matched first; only the runs of sentences
that differ are diffed word by word with diff-match-patch (each distinct token key
mapped to one code point, the "line mode" trick at word granularity). Tokens whose
keys agree but whose texts differ are style noise (`reader.diff.noise`); deleted text that
reappears elsewhere is a move. The pieces of the result rebuild both texts exactly.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from operator import attrgetter

from diff_match_patch import diff_match_patch

from reader.diff.align import align, aligned_groups, word_set
from reader.diff.flags import FLAG_NAMES, change_flags
from reader.diff.moves import find_moves
from reader.diff.noise import (
    ANY_PLACE,
    ChangeKind,
    is_typo_fix,
    may_be_style,
    phrase_noise_kind,
    token_noise_kind,
)
from reader.diff.pieces import Piece, is_blank, words
from reader.diff.tokens import PARAGRAPH_KEY, SPACE_KEY, Token, place_at, tokenize_sentences

#: diff-match-patch gives up after this many seconds and returns a coarser diff. Runs are
#: kept small enough (see WORD_DIFF_MAX_TOKENS) that this is a guard, never the rule.
DIFF_TIMEOUT_SECONDS = 2.0
#: A run of changed sentences longer than this (tokens, both sides) is first split by
#: aligning its sentences, so no single word diff is quadratic in the article's length.
WORD_DIFF_MAX_TOKENS = 2400
#: Aligned sentences are word-diffed in batches of about this many tokens (both sides).
WORD_DIFF_BATCH = 400


@dataclass(frozen=True, slots=True)
class Change:
    """One change, as listed in JSON and counted in stats.

    Offsets are character positions in the old and new texts; a move has both ends. An
    edit inside a moved passage carries the move's number too. `flags` name what a
    substantive change touches (`reader.diff.flags`); noise has none.
    """

    kind: ChangeKind
    old: str
    new: str
    old_start: int
    new_start: int
    move: int | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DiffStats:
    """How much changed, in words."""

    words_inserted: int
    words_deleted: int
    words_moved: int
    similarity: float
    by_kind: dict[str, int]
    by_flag: dict[str, int] = field(default_factory=dict)


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
        """Edits and moves only (edits inside moves included): what is left with noise hidden."""
        return [change for change in self.changes if not change.kind.is_noise]

    def flagged_changes(self) -> list[Change]:
        """Changes with at least one flag, in the order of `changes`."""
        return [change for change in self.changes if change.flags]


def diff_texts(old: str, new: str) -> WordDiff:
    """Diff two article texts word by word, telling noise and moves from edits."""
    old_tokens, old_bounds = tokenize_sentences(old)
    new_tokens, new_bounds = tokenize_sentences(new)
    pieces = _diff_tokens(_split(old_tokens, old_bounds), _split(new_tokens, new_bounds))
    pieces = _refine(_vet_places(pieces, old_tokens, new_tokens))
    pieces = _merge_unchanged(_blank_edits_are_typography(find_moves(pieces, _inner_diff)))
    changes = list(_changes(pieces, old, new))
    return WordDiff(pieces, changes, _stats(pieces, changes))


def _refine(pieces: list[Piece]) -> list[Piece]:
    """From a raw token diff to changes: whole replacements, house style told from edits."""
    pieces = _whole_replacements(pieces)
    return _merge_unchanged(_punctuation_swaps(_classify_replacements(pieces)))


def _is_space_between(piece: Piece) -> bool:
    """Whitespace that can join the edits around it: unchanged, or on one side only."""
    if piece.kind is None:
        return is_blank(piece.old) and is_blank(piece.new)
    return _one_sided_space(piece)


def _whole_replacements(pieces: list[Piece]) -> list[Piece]:
    """Edits separated only by whitespace become one deletion and one insertion
    (`[-a b-]{+c d+}`, as git shows it), with whitespace found on one side only next to
    them; whitespace both sides end with stays unchanged (`[-should-]{+to+} be`). Only
    whitespace is absorbed: a shared word or punctuation mark stays unchanged."""
    result: list[Piece] = []
    run: list[Piece] = []
    for piece in [*pieces, Piece(ChangeKind.MOVE, [], [])]:  # a sentinel ends the last run
        if piece.kind is ChangeKind.EDIT or (run and _is_space_between(piece)):
            run.append(piece)
            continue
        if run:
            _emit_run(run, result)
            run = []
        if _one_sided_space(piece):
            run.append(piece)  # may join an edit that follows
        elif piece.old or piece.new:
            result.append(piece)
    if run:
        _emit_run(run, result)
    return result


def _emit_run(run: list[Piece], result: list[Piece]) -> None:
    first = next((i for i, piece in enumerate(run) if piece.kind is ChangeKind.EDIT), None)
    if first is None:
        result.extend(run)
        return
    last = max(i for i, piece in enumerate(run) if piece.kind is ChangeKind.EDIT)
    while last + 1 < len(run) and run[last + 1].kind is not None:
        last += 1  # a one-sided space right after the edits joins them
    while first > 0 and run[first - 1].kind is not None:
        first -= 1
    result.extend(run[:first])
    middle = run[first : last + 1]
    if len(middle) == 1:
        result.append(middle[0])
    else:
        old = [token for piece in middle for token in piece.old]
        new = [token for piece in middle for token in piece.new]
        shared_space = len(old) > 1 and len(new) > 1 and old[-1].is_space and new[-1].is_space
        if shared_space and old[-1].key == new[-1].key:
            result.extend(_one_sided(old[:-1], new[:-1]))
            result.append(Piece(None, old[-1:], new[-1:]))
        else:
            result.extend(_one_sided(old, new))
    result.extend(run[last + 1 :])


def _one_sided_space(piece: Piece) -> bool:
    return (
        piece.kind is ChangeKind.TYPOGRAPHY
        and not (piece.old and piece.new)
        and is_blank(piece.old)
        and is_blank(piece.new)
    )


def _vet_places(
    pieces: list[Piece], old_tokens: list[Token] | None, new_tokens: list[Token] | None
) -> list[Piece]:
    """Check each one-word change of case or spelling against where its words stand: a
    capital explained by nothing (`Turkey`/`turkey` mid-sentence) makes it an edit.

    Without the whole token lists (inside a move), nothing explains a capital."""
    result: list[Piece] = []
    old_at = new_at = 0
    for piece in pieces:
        if piece.kind is not None and piece.kind.is_noise and len(piece.old) == len(piece.new) == 1:
            old, new = piece.old[0].text, piece.new[0].text
            kind = token_noise_kind(old, new, 0, 0)
            if kind is not piece.kind and not piece.old[0].is_space:
                if old_tokens is not None and new_tokens is not None:
                    places = place_at(old_tokens, old_at), place_at(new_tokens, new_at)
                    kind = token_noise_kind(old, new, *places)
                if kind is None:
                    result.extend(_one_sided(piece.old, piece.new))
                else:
                    result.append(Piece(kind, piece.old, piece.new))
                old_at, new_at = old_at + 1, new_at + 1
                continue
        result.append(piece)
        old_at += len(piece.old)
        new_at += len(piece.new)
    return result


def _inner_diff(old: list[Token], new: list[Token]) -> list[Piece] | None:
    """The word diff between the two ends of a move, or None when they are the same."""
    if [t.text for t in old] == [t.text for t in new]:
        return None
    inner = _refine(_vet_places(_word_diff(old, new), None, None))
    if all(piece.kind is None for piece in inner):
        return None
    return inner


# --- sentence level -----------------------------------------------------------------------


def _sentence_keys(sentences: list[list[Token]]) -> list[tuple[str, ...]]:
    keys = []
    for tokens in sentences:
        sentence = [token.key for token in tokens]
        if sentence and sentence[-1] == PARAGRAPH_KEY:
            sentence[-1] = SPACE_KEY  # re-flow must not make a sentence differ
        keys.append(tuple(sentence))
    return keys


def _split(tokens: list[Token], bounds: list[int]) -> list[list[Token]]:
    return [tokens[a:b] for a, b in itertools.pairwise(bounds)]


def _is_repetitive(ids: list[int]) -> bool:
    """Many repeated sentences (a page of copies): matching the longest block first would
    pair the wrong copies, so sentences are aligned along the diagonal instead."""
    repeated = len(ids) - len(set(ids))
    return repeated >= 4 and repeated > 0.1 * len(ids)


def _diff_tokens(old_sentences: list[list[Token]], new_sentences: list[list[Token]]) -> list[Piece]:
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
    if short and not repetitive:  # word by word: a sentence split in two stays shared
        return _word_diff(old_tokens, new_tokens)
    pieces: list[Piece] = []
    pairs = align(
        [word_set(sentence) for sentence in old_sentences],
        [word_set(sentence) for sentence in new_sentences],
    )
    # Neighbouring changed groups are word-diffed together, a few sentences at a time:
    # one diff per batch rather than per sentence, and still local to the alignment.
    old_batch: list[Token] = []
    new_batch: list[Token] = []

    def flush() -> None:
        if old_batch or new_batch:
            pieces.extend(_word_diff(old_batch, new_batch))
            old_batch.clear()
            new_batch.clear()

    for (i1, i2), (j1, j2) in aligned_groups(pairs, len(old_sentences), len(new_sentences)):
        old_run, new_run = _join(old_sentences[i1:i2]), _join(new_sentences[j1:j2])
        if old_ids[i1:i2] == new_ids[j1:j2]:
            flush()
            pieces.extend(_equal_pieces(old_run, new_run))
        elif len(old_run) + len(new_run) <= WORD_DIFF_MAX_TOKENS:
            if len(old_batch) + len(new_batch) + len(old_run) + len(new_run) > WORD_DIFF_BATCH:
                flush()
            old_batch.extend(old_run)
            new_batch.extend(new_run)
        else:  # long stretches with nothing in common: deleted and inserted wholesale
            flush()
            pieces.extend(_one_sided(old_run, new_run))
    flush()
    return _rediff_replacements(pieces)


def _rediff_replacements(pieces: list[Piece]) -> list[Piece]:
    """Word-diff a deletion and an insertion that alignment kept apart where one sentence
    was split in two (or two joined), or a paragraph break moved across it: the words
    they share are not an edit."""
    result: list[Piece] = []
    for piece in pieces:
        previous = result[-1] if result else None
        if (
            previous is not None
            and previous.kind is ChangeKind.EDIT
            and piece.kind is ChangeKind.EDIT
            and bool(previous.old) == bool(piece.old)
            and not (previous.new and previous.old)
            and not (piece.new and piece.old)
        ):  # two deletions (or insertions) in a row are one
            result[-1] = Piece(ChangeKind.EDIT, previous.old + piece.old, previous.new + piece.new)
        elif (
            previous is not None
            and previous.kind is ChangeKind.EDIT
            and previous.old
            and not previous.new
            and piece.kind is ChangeKind.EDIT
            and piece.new
            and not piece.old
            and len(previous.old) + len(piece.new) <= WORD_DIFF_MAX_TOKENS
            and _share_many_words(previous.old, piece.new)
        ):
            result.pop()
            result.extend(_word_diff(previous.old, piece.new))
        elif len(result) >= 2 and _kept_apart(result[-2], result[-1], piece):
            first, between = result[-2], result[-1]
            del result[-2:]
            result.extend(
                _word_diff(first.old + between.old + piece.old, first.new + between.new + piece.new)
            )
        else:
            result.append(piece)
    return result


#: Shared words two one-sided edits need before they are diffed against each other.
REDIFF_SHARED_WORDS = 5


def _kept_apart(first: Piece, between: Piece, last: Piece) -> bool:
    """A long insertion and a long deletion (either order) with a few unchanged tokens
    between them, sharing many words: one passage that a sentence boundary cut apart."""
    if not (
        first.kind is ChangeKind.EDIT and last.kind is ChangeKind.EDIT and between.kind is None
    ):
        return False
    if bool(first.old) == bool(last.old) or len(words(between.old)) > 3:
        return False
    one, other = (first.old, last.new) if first.old else (last.old, first.new)
    return len(one) + len(other) <= WORD_DIFF_MAX_TOKENS and _share_many_words(one, other)


def _share_many_words(one: list[Token], other: list[Token]) -> bool:
    """Do two stretches share enough words to be worth diffing against each other? (A
    word diff already matched what short replacements share.)"""
    if len(one) < 2 * REDIFF_SHARED_WORDS or len(other) < 2 * REDIFF_SHARED_WORDS:
        return False
    one_keys = {token.key for token in one if token.is_word}
    if len(one_keys) < REDIFF_SHARED_WORDS:
        return False
    shared = one_keys.intersection(token.key for token in other if token.is_word)
    return len(shared) >= max(REDIFF_SHARED_WORDS, len(one_keys) // 2)


def _one_sided(old: list[Token], new: list[Token]) -> list[Piece]:
    pieces = []
    if old:
        pieces.append(Piece(ChangeKind.EDIT, list(old), []))
    if new:
        pieces.append(Piece(ChangeKind.EDIT, [], list(new)))
    return pieces


# --- word level -------------------------------------------------------------------------


def _encode(tokens: list[Token], codes: dict[str, str]) -> str:
    """One code point per distinct key, so diff-match-patch diffs tokens as characters."""
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


def _segments(tokens: list[Token]) -> tuple[list[Token], list[list[Token]]]:
    """Leading whitespace, then each word or punctuation token with the whitespace after it."""
    lead: list[Token] = []
    segments: list[list[Token]] = []
    for token in tokens:
        if not token.is_space:
            segments.append([token])
        elif segments:
            segments[-1].append(token)
        else:
            lead.append(token)
    return lead, segments


def _word_diff(old: list[Token], new: list[Token]) -> list[Piece]:
    """Diff words and punctuation, as git's word diff does; whitespace goes with the token
    before it, so shared spaces can never outvote a shared word."""
    old_words = [i for i, token in enumerate(old) if not token.is_space]
    new_words = [i for i, token in enumerate(new) if not token.is_space]
    if not old_words or not new_words:
        if old_words or new_words:
            return _one_sided(old, new)
        return list(_space_pieces(old, new))
    pieces: list[Piece] = list(_space_pieces(old[: old_words[0]], new[: new_words[0]]))
    codes: dict[str, str] = {}
    engine = diff_match_patch()
    engine.Diff_Timeout = DIFF_TIMEOUT_SECONDS
    # No semantic cleanup: it trades shared words for shorter output, and a shared word
    # shown as deleted and re-inserted is a false edit.
    diffs = engine.diff_main(
        _encode([old[i] for i in old_words], codes),
        _encode([new[j] for j in new_words], codes),
        False,
    )
    old_words.append(len(old))  # where each word's stretch (the word, then its space) ends
    new_words.append(len(new))
    i = j = 0
    for operation, chars in diffs:
        size = len(chars)
        if operation == diff_match_patch.DIFF_EQUAL:
            old_run = old[old_words[i] : old_words[i + size]]
            new_run = new[new_words[j] : new_words[j + size]]
            if old_run == new_run:  # shared token objects: one comparison at C speed
                pieces.append(Piece(None, old_run, new_run))
            else:
                pieces.extend(_equal_segments(_segments(old_run)[1], _segments(new_run)[1]))
            i, j = i + size, j + size
        elif operation == diff_match_patch.DIFF_DELETE:
            pieces.append(Piece(ChangeKind.EDIT, old[old_words[i] : old_words[i + size]], []))
            i += size
        else:
            pieces.append(Piece(ChangeKind.EDIT, [], new[new_words[j] : new_words[j + size]]))
            j += size
    return pieces


def _space_pieces(old: list[Token], new: list[Token]) -> Iterator[Piece]:
    """Whitespace on each side of one place: unchanged, or re-flow (never an edit)."""
    if old and new:
        yield from _equal_pieces(old, new)
    elif old or new:
        yield Piece(ChangeKind.TYPOGRAPHY, old, new)


def _equal_segments(old: list[list[Token]], new: list[list[Token]]) -> Iterator[Piece]:
    """Segments whose tokens match: compared token by token, where a space on one side
    only (`a —b` against `a — b`) is re-flow."""
    flat_old: list[Token] = []
    flat_new: list[Token] = []
    for old_segment, new_segment in zip(old, new, strict=True):
        if len(old_segment) == len(new_segment):
            flat_old.extend(old_segment)
            flat_new.extend(new_segment)
            continue
        flat_old.append(old_segment[0])
        flat_new.append(new_segment[0])
        yield from _equal_pieces(flat_old, flat_new)
        flat_old, flat_new = [], []
        yield from _space_pieces(old_segment[1:], new_segment[1:])
    if flat_old:
        yield from _equal_pieces(flat_old, flat_new)


def _equal_pieces(old: list[Token], new: list[Token]) -> Iterator[Piece]:
    """Key-equal runs: unchanged where the texts agree, noise where only style differs."""
    if old == new:
        yield Piece(None, old, new)
        return
    start = 0
    for index, (old_token, new_token) in enumerate(zip(old, new, strict=True)):
        if old_token.text == new_token.text:
            continue
        if old_token.key == new_token.key and old_token.is_space:
            continue  # blank line vs newline, or two spaces vs one: not a change
        if index > start:
            yield Piece(None, old[start:index], new[start:index])
        if old_token.is_space:
            kind: ChangeKind | None = ChangeKind.TYPOGRAPHY  # a paragraph break vs a space
        else:
            # As if position explained any capitals; `_vet_places` checks the few
            # changes of case or spelling against where the words really stand.
            kind = token_noise_kind(old_token.text, new_token.text, ANY_PLACE, ANY_PLACE)
        if kind is None:  # same key, different word: `us`/`US`, `Grey`/`Gray` mid-sentence
            yield Piece(ChangeKind.EDIT, [old_token], [])
            yield Piece(ChangeKind.EDIT, [], [new_token])
        else:
            yield Piece(kind, [old_token], [new_token])
        start = index + 1
    if start < len(old):
        yield Piece(None, old[start:], new[start:])


# --- post-processing ----------------------------------------------------------------------


def _edit_runs(pieces: list[Piece]) -> Iterator[tuple[int, int]]:
    """(start, end) of each maximal run of neighbouring edit pieces."""
    index = 0
    while index < len(pieces):
        if pieces[index].kind is not ChangeKind.EDIT:
            index += 1
            continue
        end = index
        while end < len(pieces) and pieces[end].kind is ChangeKind.EDIT:
            end += 1
        yield index, end
        index = end


def _context_word(piece: Piece | None, side: str, last: bool) -> list[str]:
    """The word next to a change on one side, with the whitespace between them."""
    if piece is None:
        return []
    tokens = piece.old if side == "old" else piece.new
    if last:
        tokens = tokens[::-1]
    context: list[str] = []
    for token in tokens:
        context.append(token.text)
        if not token.is_space:
            break
    return context if last is False else context[::-1]


def _classify_replacements(pieces: list[Piece]) -> list[Piece]:
    """Turn edits that are provably style into noise: whitespace, `per cent`/`percent`,
    `Mr`/`Mr.`, `1,000`/`1000`, typo fixes; everything else stays an edit."""
    result: list[Piece] = []
    done = 0
    for start, end in _edit_runs(pieces):
        result.extend(pieces[done:start])
        done = end
        run = pieces[start:end]
        old = [token for piece in run for token in piece.old]
        new = [token for piece in run for token in piece.new]
        kind = _replacement_kind(
            old,
            new,
            pieces[start - 1] if start else None,
            pieces[end] if end < len(pieces) else None,
        )
        if kind is not None:
            result.append(Piece(kind, old, new))
        elif _is_stray_full_stop(old + new, result):
            result.append(Piece(ChangeKind.ABBREVIATION, old, new))
        else:
            result.extend(run)
    result.extend(pieces[done:])
    return result


def _replacement_kind(
    old: list[Token], new: list[Token], before: Piece | None, after: Piece | None
) -> ChangeKind | None:
    if is_blank(old) and is_blank(new):
        return ChangeKind.TYPOGRAPHY
    old_texts, new_texts = [token.text for token in old], [token.text for token in new]
    if may_be_style(old_texts, new_texts):  # the words around are the same on both sides
        kind = _phrase_kind(old_texts, new_texts, before, after)
        if kind is not None:
            return kind
    old_words, new_words = words(old), words(new)
    if len(old_words) == len(new_words) == 1 and is_typo_fix(old_words[0].text, new_words[0].text):
        return ChangeKind.SPELLING
    return None


def _phrase_kind(
    old_texts: list[str], new_texts: list[str], before: Piece | None, after: Piece | None
) -> ChangeKind | None:
    """House style across several tokens, judged with the word either side (`Mr` + `.`)."""
    old_phrase = _context_word(before, "old", True) + old_texts + _context_word(after, "old", False)
    new_phrase = _context_word(before, "new", True) + new_texts + _context_word(after, "new", False)
    return phrase_noise_kind(old_phrase, new_phrase)


def _is_stray_full_stop(tokens: list[Token], before: list[Piece]) -> bool:
    """`the U.S. NATO` against `the US. NATO`: the full stop went with the abbreviation."""
    if [token.key for token in words(tokens)] != ["."]:
        return False
    return bool(before) and before[-1].kind is ChangeKind.ABBREVIATION


def _blank_edits_are_typography(pieces: list[Piece]) -> list[Piece]:
    """Whitespace left alone between the ends of moves is re-flow, never an edit."""
    result = list(pieces)
    for start, end in _edit_runs(pieces):
        if all(is_blank(piece.old) and is_blank(piece.new) for piece in pieces[start:end]):
            for index in range(start, end):
                result[index] = Piece(ChangeKind.TYPOGRAPHY, pieces[index].old, pieces[index].new)
    return result


_QUOTES = frozenset({'"', "'"})


def _punctuation_swaps(pieces: list[Piece]) -> list[Piece]:
    """`for."` against `for”.`: a full stop moved across a closing quote is house style."""
    result = list(pieces)
    runs = list(_edit_runs(pieces))
    for (a1, a2), (b1, b2) in itertools.pairwise(runs):
        if b1 != a2 + 1:
            continue
        first, middle, last = pieces[a1:a2], pieces[a2], pieces[b1:b2]
        first_old = [t.key for p in first for t in words(p.old)]
        first_new = [t.key for p in first for t in words(p.new)]
        last_old = [t.key for p in last for t in words(p.old)]
        last_new = [t.key for p in last for t in words(p.new)]
        moved = first_old + first_new
        if len(moved) != 1 or moved[0] not in ".,":
            continue
        if last_old + last_new != moved or bool(first_old) == bool(last_old):
            continue
        quotes = [t.key for t in words(middle.new)]
        if quotes and set(quotes) <= _QUOTES:
            for index in (*range(a1, a2), *range(b1, b2)):
                result[index] = Piece(ChangeKind.TYPOGRAPHY, pieces[index].old, pieces[index].new)
    return result


def _merge_unchanged(pieces: list[Piece]) -> list[Piece]:
    """Join neighbouring unchanged pieces, and noise of one kind separated only by
    unchanged spaces (a re-cased headline is one change, not one per word)."""
    merged: list[Piece] = []
    owned: set[int] = set()  # pieces made here, whose lists can grow in place
    for piece in pieces:
        if not (piece.old or piece.new):
            continue
        if merged and piece.kind is None and merged[-1].kind is None:
            last = merged[-1]
            if id(last) not in owned:
                last = merged[-1] = Piece(None, list(last.old), list(last.new))
                owned.add(id(last))
            last.old.extend(piece.old)
            last.new.extend(piece.new)
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


#: Characters of context either side of a change that its flags are judged by.
FLAG_CONTEXT_CHARS = 80


def _changes(pieces: list[Piece], old_text: str, new_text: str) -> Iterator[Change]:
    """The changes in reading order, then each move followed by the changes inside it.

    Sets each changed piece's `flags` to those of its change, for the renderers."""
    flagger = _Flagger(old_text, new_text)
    old_at = new_at = 0
    move_ends: dict[int, dict[str, tuple[Piece, int]]] = {}
    run: list[Piece] = []
    run_at = (0, 0)
    for piece in [*pieces, Piece(None, [], [])]:
        if piece.kind is ChangeKind.EDIT:
            if not run:
                run_at = (old_at, new_at)
            run.append(piece)
        else:
            if run:
                yield flagger.edit(run, *run_at)
                run = []
            if piece.kind is ChangeKind.MOVE and piece.move is not None:
                side = "old" if piece.old else "new"
                move_ends.setdefault(piece.move, {})[side] = (
                    piece,
                    old_at if piece.old else new_at,
                )
            elif piece.kind is not None:
                yield Change(piece.kind, piece.old_text, piece.new_text, old_at, new_at)
        old_at += len(piece.old_text)
        new_at += len(piece.new_text)
    for number, ends in sorted(move_ends.items()):
        yield from _move_changes(number, ends, flagger)


def _move_changes(
    number: int, ends: dict[str, tuple[Piece, int]], flagger: _Flagger
) -> Iterator[Change]:
    """A move, then the edits and noise between its two ends (offsets in each text)."""
    old_piece, old_start = ends.get("old", (None, 0))
    new_piece, new_start = ends.get("new", (None, 0))
    either = old_piece or new_piece
    inner = either.inner if either is not None else None
    inside: list[Change] = []
    old_at, new_at = old_start, new_start
    run: list[Piece] = []
    run_at = (0, 0)
    for piece in [*(inner or []), Piece(None, [], [])]:
        if piece.kind is ChangeKind.EDIT:
            if not run:
                run_at = (old_at, new_at)
            run.append(piece)
        else:
            if run:
                inside.append(flagger.edit(run, *run_at, move=number))
                run = []
            if piece.kind is not None:
                inside.append(
                    Change(piece.kind, piece.old_text, piece.new_text, old_at, new_at, number)
                )
        old_at += len(piece.old_text)
        new_at += len(piece.new_text)
    flags = tuple(name for name in FLAG_NAMES if any(name in c.flags for c in inside))
    for end in (old_piece, new_piece):
        if end is not None:
            end.flags = flags
    yield Change(
        ChangeKind.MOVE,
        old_piece.old_text if old_piece else "",
        new_piece.new_text if new_piece else "",
        old_start,
        new_start,
        number,
        flags,
    )
    yield from inside


@dataclass(frozen=True, slots=True)
class _Flagger:
    """Builds an edit's Change with its flags, judged with the text around it."""

    old_text: str
    new_text: str

    def edit(self, run: list[Piece], old_at: int, new_at: int, move: int | None = None) -> Change:
        old = "".join(piece.old_text for piece in run)
        new = "".join(piece.new_text for piece in run)
        old_end, new_end = old_at + len(old), new_at + len(new)
        flags = change_flags(
            old,
            new,
            old_before=self.old_text[max(0, old_at - FLAG_CONTEXT_CHARS) : old_at],
            new_before=self.new_text[max(0, new_at - FLAG_CONTEXT_CHARS) : new_at],
            old_after=self.old_text[old_end : old_end + FLAG_CONTEXT_CHARS],
            new_after=self.new_text[new_end : new_end + FLAG_CONTEXT_CHARS],
        )
        for piece in run:
            piece.flags = flags
        return Change(ChangeKind.EDIT, old, new, old_at, new_at, move, flags)


def _countwords(tokens: list[Token]) -> int:
    return sum(map(_IS_WORD, tokens))


_IS_WORD = attrgetter("is_word")


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
        for inner in (piece.inner or []) if piece.old else []:
            if inner.kind is ChangeKind.EDIT:
                inserted += _countwords(inner.new)
                deleted += _countwords(inner.old)
    by_flag: dict[str, int] = defaultdict(int)
    for change in changes:
        by_kind[change.kind.value] += 1
        for flag in change.flags:
            if change.kind is ChangeKind.EDIT:
                by_flag[flag] += 1
    total = old_words + new_words
    similarity = 1.0 if total == 0 else 2 * common / total
    return DiffStats(
        inserted,
        deleted,
        moved,
        round(similarity, 4),
        dict(by_kind),
        {name: by_flag[name] for name in FLAG_NAMES if by_flag.get(name)},
    )
