"""Split article text into word, punctuation and whitespace tokens that rebuild it exactly."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.diff.noise import CAPITALS_LINE, DOTTED_ABBREVIATIONS, SENTENCE_START, TITLE_LINE
from reader.ingest.article import is_hard_wrapped
from reader.text.folding import fold_token

#: Comparison key of whitespace inside a paragraph, and of a paragraph break.
SPACE_KEY = " "
PARAGRAPH_KEY = "¶"

_TOKEN_RE = re.compile(
    r"\s+"
    r"|(?:[A-Za-z]\.){2,}"  # abbreviations: U.S., U.K.
    r"|\d+(?:[.,]\d+)+"  # figures: 6.5, 1,200, 34,000.5
    r"|\w+(?:['’]\w+)*(?:\"s\b)?"  # words, with apostrophes: it's, Hegseth’s, country"s
    r"|\.\.\."
    r"|--|``|''"
    r"|.",
    re.DOTALL,
)
_SENTENCE_END = frozenset({".", "!", "?", "...", "…"})
_CLOSERS = frozenset({'"', "'", ")", "]"})


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its text as written, and the key it is compared by."""

    text: str
    key: str
    is_space: bool = False
    is_word: bool = False


def tokenize(text: str) -> list[Token]:
    """Tokens of `text` (see `tokenize_sentences`)."""
    return tokenize_sentences(text)[0]


def tokenize_sentences(text: str) -> tuple[list[Token], list[int]]:
    """Tokens of `text`, joining back to `text` exactly, and its `sentence_bounds`.

    Keys fold house style (quotes, dashes, `U.S.`, British spelling, case), and all
    whitespace to one of two keys: within a paragraph, or a paragraph break. A single
    newline inside a hard-wrapped paragraph is within the paragraph.
    """
    pieces = _TOKEN_RE.findall(text)
    wrapped = "\n" in text and is_hard_wrapped([line.rstrip() for line in text.split("\n")])
    if not wrapped:
        known = _TOKENS.get
        tokens = [known(piece) or _new_token(piece) for piece in pieces]
    else:
        tokens = []
        end = 0
        for piece in pieces:
            end += len(piece)
            if piece[0].isspace() and "\n" in piece:
                tokens.append(Token(piece, _space_key(piece, text, end, wrapped), True))
            else:
                tokens.append(_TOKENS.get(piece) or _new_token(piece))
    return tokens, sentence_bounds(tokens)


def place_at(tokens: list[Token], index: int) -> int:
    """Where token `index` stands, as `SENTENCE_START` / `CAPITALS_LINE` / `TITLE_LINE` bits
    (see `reader.diff.noise`): what may explain its capital letters.

    Worked out from the tokens around it, only for the few tokens whose case or spelling
    changed, so tokenising stays as fast as it was."""
    place = SENTENCE_START if _starts_sentence(tokens, index) else 0
    line, opens, whole = _line_around(tokens, index)
    for i, bits in _line_places(tokens, line, opens=opens, whole=whole):
        if i == index:
            place |= bits
    return place


def _starts_sentence(tokens: list[Token], index: int) -> bool:
    """Only quotes, brackets and spaces between the token and a sentence end (or the start)."""
    spaced = False
    for j in range(index - 1, -1, -1):
        token = tokens[j]
        if token.is_space:
            if token.key == PARAGRAPH_KEY:
                return True
            spaced = True
        elif token.key in _SENTENCE_END:
            return spaced and _is_sentence_end(tokens, j)
        elif token.is_word:
            return False
    return True


#: Tokens either side of a token that are enough to judge its line: a headline, byline or
#: trailer is shorter, and in body text only a line's opening words can be a dateline.
_LINE_REACH = 40


def _line_around(tokens: list[Token], index: int) -> tuple[list[int], bool, bool]:
    """The non-space tokens on the line of token `index` (within reach), whether they
    open the line, and whether they are all of it."""
    start = index
    while start > 0 and index - start < _LINE_REACH and "\n" not in tokens[start - 1].text:
        start -= 1
    end = index + 1
    while end < len(tokens) and end - index < _LINE_REACH and "\n" not in tokens[end].text:
        end += 1
    opens = start == 0 or "\n" in tokens[start - 1].text
    closes = end == len(tokens) or "\n" in tokens[end].text
    return [i for i in range(start, end) if not tokens[i].is_space], opens, opens and closes


def _line_places(
    tokens: list[Token], line: list[int], *, opens: bool, whole: bool
) -> list[tuple[int, int]]:
    """Place bits for the words of one line: all of a headline or trailer set in capitals
    or in title case, or a run of words in capitals (a dateline `NEW YORK`, `By JANE DOE`)."""
    if not line:
        return []
    words = [i for i in line if tokens[i].is_word]
    texts = [tokens[i].text for i in words]
    if whole and _set_in_capitals(texts):
        return [(i, CAPITALS_LINE) for i in words]
    places: list[tuple[int, int]] = []
    if whole and 3 <= len(texts) <= 15 and tokens[line[-1]].text not in ".!?:;,":
        capitalised = sum(1 for text in texts if text[:1].isupper())
        if capitalised >= 0.6 * len(texts):
            places = [(i, TITLE_LINE) for i in words]
    places.extend(_capital_runs(tokens, line, opens=opens))
    return places


def _capital_runs(tokens: list[Token], line: list[int], *, opens: bool) -> list[tuple[int, int]]:
    """Words in capitals in a row: two or more, or one opening the line (`DUBAI, March 3`)."""
    capitals = [
        i
        for i in line
        if tokens[i].is_word and len(tokens[i].text) > 1 and tokens[i].text.isupper()
    ]
    runs: list[list[int]] = []
    for i in capitals:
        if runs and all(
            tokens[k].is_space or tokens[k].text == "." for k in range(runs[-1][-1] + 1, i)
        ):
            runs[-1].append(i)  # only spaces (or the stops of U.S.) in between
        else:
            runs.append([i])
    places: list[tuple[int, int]] = []
    for run in runs:
        letters = sum(len(tokens[r].text) for r in run)
        if letters >= 4 and (len(run) >= 2 or (opens and run[0] == line[0])):
            places.extend((r, CAPITALS_LINE) for r in run)
    return places


def _set_in_capitals(line_words: list[str]) -> bool:
    """A headline or trailer set in capitals: no lower-case letter, at least four capitals."""
    letters = "".join(line_words)
    if not letters.isupper():  # one C-level test rejects nearly every line
        return False
    return sum(1 for char in letters if char.isupper()) >= 4


#: Tokens are immutable, so each distinct token text is folded once and shared.
_TOKENS: dict[str, Token] = {}
_TOKEN_CACHE_LIMIT = 200_000


def _new_token(piece: str) -> Token:
    if piece[0].isspace():
        key = PARAGRAPH_KEY if "\n" in piece else SPACE_KEY
        token = Token(piece, key, True, False)
    else:
        token = Token(piece, fold_token(piece), False, piece[0].isalnum())
    if len(_TOKENS) >= _TOKEN_CACHE_LIMIT:
        _TOKENS.clear()
    _TOKENS[piece] = token
    return token


def _space_key(space: str, text: str, end: int, wrapped: bool) -> str:
    newlines = space.count("\n")
    if newlines == 0:
        return SPACE_KEY
    if not wrapped or newlines > 1:
        return PARAGRAPH_KEY
    # One newline in hard-wrapped text: a paragraph starts only where the next line is indented.
    indented = not space.endswith("\n") or text[end : end + 1] in (" ", "\t")
    return PARAGRAPH_KEY if indented else SPACE_KEY


def sentence_bounds(tokens: list[Token]) -> list[int]:
    """Start indices of the sentences (and paragraphs) in `tokens`, plus len(tokens).

    A sentence ends after `.`, `!` or `?` (and any closing quote) followed by whitespace,
    and at every paragraph break; the whitespace belongs to the sentence it ends.
    """
    bounds = [0]
    ended = False
    for index, token in enumerate(tokens):
        if token.is_word:  # most tokens: tested first
            ended = False
        elif token.is_space:
            if ended or token.key == PARAGRAPH_KEY:
                bounds.append(index + 1)
            ended = False
        elif token.key in _SENTENCE_END:
            ended = _is_sentence_end(tokens, index)
        elif token.key not in _CLOSERS:
            ended = False
    if bounds[-1] != len(tokens):
        bounds.append(len(tokens))
    return bounds


def _is_sentence_end(tokens: list[Token], index: int) -> bool:
    """A full stop after a one-letter word (`No. 3`, initials) does not end a sentence."""
    if tokens[index].key != ".":
        return True
    previous = tokens[index - 1].text if index else ""
    if len(previous) == 1 and previous.isalpha():
        return False
    return previous.casefold() not in _TITLES


#: Abbreviations whose full stop does not end a sentence (`Sen. Warren`, `No. 3`, `Sept. 5`).
#: `Inc.`, `Co.` and `Ltd.` often end one, so they are not here.
_TITLES = (DOTTED_ABBREVIATIONS - {"inc", "corp", "co", "ltd", "plc", "jr", "sr"}) | {
    "no",
    "jan",
    "feb",
    "aug",
    "sept",
    "oct",
    "nov",
    "dec",
    "vs",
}
