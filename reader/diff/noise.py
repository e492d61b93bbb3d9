"""House-style noise between versions: what tokens fold to, and when a difference is noise.

Two steps, kept apart on purpose:

* Folding (`fold_token`, in `reader.text.folding`) is for *matching*. It maps the spellings a
  house style may use (curly quotes, `–`, `U.S.`, British spelling, capitals) to one key,
  so the diff lines up `US` with `U.S.` and grouping (`reader.grouping.stories`) sees one word. A
  shared key is not a claim that the change is noise: `us` and `US` share one.
* Classifying (`token_noise_kind`, `phrase_noise_kind`, `is_typo_fix`) decides whether
  a difference is provably style. It is strict: case only where position explains it,
  spelling only from the tables and never for a capitalised word mid-sentence, a typo fix
  only when the old form is not a word. When in doubt, a change is an edit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

from reader.text.folding import (
    GROUPED_NUMBER_RE,
    LOWER_CASE_ONLY,
    ONE_WAY_VARIANTS,
    fold_abbreviation,
    fold_typography,
    fold_word,
)

if TYPE_CHECKING:
    from spellchecker import SpellChecker


class ChangeKind(StrEnum):
    """What a change between two versions is."""

    EDIT = "edit"
    MOVE = "move"
    TYPOGRAPHY = "typography"
    SPELLING = "spelling"
    ABBREVIATION = "abbreviation"
    CASE = "case"
    STYLE = "style"

    @property
    def is_noise(self) -> bool:
        """Style-only changes: shown dimmed, or hidden on request."""
        return self is not ChangeKind.EDIT and self is not ChangeKind.MOVE


#: Where a token stands (`reader.diff.tokens.place_at`): what may explain a capital letter.
SENTENCE_START = 1
CAPITALS_LINE = 2
TITLE_LINE = 4
#: Every explanation at once: what a difference would be if its position explained it.
ANY_PLACE = SENTENCE_START | CAPITALS_LINE | TITLE_LINE

# --- is a difference noise? ---------------------------------------------------------------

#: Words whose other casing is another word: a pronoun and a country, a month and a verb,
#: a nationality and a verb. A case change in one of these is always an edit.
CASE_SENSITIVE_WORDS = frozenset(
    [
        "us",
        "who",
        "may",
        "march",
        "august",
        "will",
        "bill",
        "mark",
        "rose",
        "frank",
        "grace",
        "hope",
        "faith",
        "joy",
        "sue",
        "pat",
        "polish",
        "turkey",
        "china",
        "chile",
        "bush",
        "brown",
        "white",
        "black",
        "green",
        "ford",
        "nice",
        "reading",
        "bath",
        "worms",
        "cork",
        "mobile",
        "lent",
        "job",
        "jersey",
        "guinea",
        "japan",
        "aids",
        "it",
        "apple",
        "amazon",
        "windows",
        "word",
        "office",
        "sun",
        "times",
        "post",
        "mail",
        "lot",
        "hill",
    ]
)
#: Of those, the ones whose capitals-only form is an acronym: `US`/`Us`, `WHO`/`Who`.
ACRONYM_WORDS = frozenset({"us", "who", "it", "aids", "cap", "sat", "fed"})


def _case_changes_word(old: str, new: str) -> bool:
    """`us`/`US`, `polish`/`Polish`, `WHO`/`Who`: the other casing is another word."""
    word = old.casefold()
    if word not in CASE_SENSITIVE_WORDS:
        return False
    shapes = {_case_shape(old), _case_shape(new)}
    return "lower" in shapes or word in ACRONYM_WORDS


def _digits_regrouped(old: str, new: str) -> bool:
    """`1,000` against `1000`: the same number with or without thousands commas."""
    grouped = [text for text in (old, new) if GROUPED_NUMBER_RE.match(text)]
    return bool(grouped) and old.replace(",", "") == new.replace(",", "")


def _case_shape(word: str) -> str:
    letters = [char for char in word if char.isalpha()]
    if not letters or not any(char.isupper() for char in letters):
        return "lower"
    if all(char.isupper() for char in letters):
        return "upper" if len(letters) > 1 else "capital"
    if letters[0].isupper() and not any(char.isupper() for char in letters[1:]):
        return "capital"
    return "mixed"


def _capitals_explained(word: str, place: int, other: str, other_place: int) -> bool:
    """Does the token's position explain its capitals? Lower case needs no explanation,
    and a capital letter none where the other side sets the same word in capitals in a
    headline or dateline (`NEW YORK`/`New York`: a name either way)."""
    shape = _case_shape(word)
    if shape == "lower":
        return True
    if shape == "capital":
        if other_place & CAPITALS_LINE and _case_shape(other) == "upper":
            return True
        return bool(place & (SENTENCE_START | CAPITALS_LINE | TITLE_LINE))
    if shape == "upper":
        return bool(place & CAPITALS_LINE)
    return False


def token_noise_kind(old: str, new: str, old_place: int, new_place: int) -> ChangeKind | None:
    """The noise kind of two tokens with one key, or None when the difference is an edit.

    `old_place` and `new_place` are `SENTENCE_START`/`CAPITALS_LINE` bits: a change of
    case or spelling counts as noise only where every capital is explained by position
    (a sentence's first word, a headline or trailer set in capitals), and never for a
    word whose other casing is a different word (`us`/`US`, `may`/`May`).
    """
    old_glyphs, new_glyphs = fold_typography(old), fold_typography(new)
    if old_glyphs == new_glyphs or not (old.strip() or new.strip()):
        return ChangeKind.TYPOGRAPHY
    old_short, new_short = fold_abbreviation(old_glyphs), fold_abbreviation(new_glyphs)
    abbreviated = old_short != old_glyphs or new_short != new_glyphs
    if old_short == new_short:
        return ChangeKind.ABBREVIATION
    case_changed = old_short.casefold() == new_short.casefold()
    if case_changed and _case_changes_word(old_short, new_short):
        return None
    if _digits_regrouped(old_short, new_short):
        return ChangeKind.STYLE
    if not (
        _capitals_explained(old, old_place, new, new_place)
        and _capitals_explained(new, new_place, old, old_place)
    ):
        return None
    if case_changed:
        return ChangeKind.ABBREVIATION if abbreviated else ChangeKind.CASE
    if fold_word(old_short.casefold()) == fold_word(new_short.casefold()):
        return ChangeKind.SPELLING if _spelling_allowed(old_short, new_short) else None
    return None


def _spelling_allowed(old: str, new: str) -> bool:
    """One-way pairs only from British to American; surname spellings only in lower case."""
    old_word, new_word = old.casefold(), new.casefold()
    if new_word in ONE_WAY_VARIANTS and ONE_WAY_VARIANTS[new_word] == old_word:
        return False
    if old_word in LOWER_CASE_ONLY or new_word in LOWER_CASE_ONLY:
        return old.islower() and new.islower()
    return True


# --- phrases: house style that changes the number of tokens --------------------------------

#: Abbreviations written with or without a full stop (`Mr`/`Mr.`, `Inc.`/`Inc`). `No`
#: is left out: without its stop it is the word `no`.
DOTTED_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "messrs",
        "inc",
        "corp",
        "co",
        "ltd",
        "plc",
        "jr",
        "sr",
        "st",
        "gen",
        "sen",
        "rep",
        "gov",
        "lt",
        "col",
        "capt",
        "sgt",
        "prof",
        "rev",
        "adm",
        "maj",
        "cmdr",
        "brig",
        "supt",
        "jan",
        "feb",
        "aug",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
#: Wire abbreviations and the words they stand for (`Sen.`/`Senator`, `mln`/`million`).
ABBREVIATION_WORDS = {
    "sen": "senator",
    "rep": "representative",
    "gov": "governor",
    "gen": "general",
    "lt": "lieutenant",
    "col": "colonel",
    "capt": "captain",
    "sgt": "sergeant",
    "prof": "professor",
    "mln": "million",
    "mn": "million",
    "bn": "billion",
    "bln": "billion",
    "dlrs": "dollars",
    "pct": "percent",
}
_EXPANDED = frozenset(ABBREVIATION_WORDS.values())
#: Prefixes written with or without a hyphen (`co-operative`, `e-mail`), when the joined
#: form is a word. `re-` is not here: `re-sign` and `resign` are different words.
_JOINABLE_PREFIXES = frozenset({"co", "e", "pre", "non", "mid", "semi", "post"})
_HYPHENS = frozenset({"-", "‐", "‑"})
_DOTTED_KEYS = frozenset(DOTTED_ABBREVIATIONS | set(ABBREVIATION_WORDS.values()))
_PERCENT = ("percent",)


def _phrase_key(texts: Sequence[str], *, style: bool, abbreviations: bool) -> list[str]:
    """Folded non-space tokens of a phrase, with house-style spellings normalised."""
    key: list[str] = []
    index = 0
    while index < len(texts):
        text = texts[index]
        if text.isspace():
            index += 1
            continue
        folded = fold_abbreviation(fold_typography(text))
        next_text = texts[index + 1] if index + 1 < len(texts) else ""
        after_next = texts[index + 2] if index + 2 < len(texts) else ""
        if style and text in _HYPHENS and key and key[-1].isalpha() and next_text.isalpha():
            joined = key[-1] + next_text
            joinable = key[-1].casefold() in _JOINABLE_PREFIXES and len(next_text) >= 4
            if joinable and is_word(joined.casefold()):  # not co-op/coop
                key[-1] = joined  # co-operative = cooperative
                index += 2
            else:
                index += 1  # well-known = well known
            continue
        if style and folded.isdigit() and next_text == "," and _is_thousands(after_next):
            key.append(folded + after_next)  # 1,000 = 1000
            index += 3
            while (
                index + 1 < len(texts) and texts[index] == "," and _is_thousands(texts[index + 1])
            ):
                key[-1] += texts[index + 1]
                index += 2
            continue
        lowered = folded.casefold()
        if folded == "...":
            key.extend(".")  # `...` = `. . .`
            key.extend("..")
            index += 1
            continue
        if style and lowered in ("pct", "%"):
            key.extend(_PERCENT)
        elif style and lowered == "per" and _next_word(texts, index).casefold() == "cent":
            key.extend(_PERCENT)
            index = _next_word_index(texts, index) + 1
            continue
        elif abbreviations and folded == "." and key and key[-1].casefold() in _DOTTED_KEYS:
            pass  # Mr. = Mr
        elif abbreviations and lowered in ABBREVIATION_WORDS:
            key.append(ABBREVIATION_WORDS[lowered])
        elif abbreviations and lowered in _EXPANDED:
            key.append(lowered)
        else:
            key.append(folded)
        index += 1
    return key


def _is_thousands(text: str) -> bool:
    return len(text) == 3 and text.isdigit()


def _next_word_index(texts: Sequence[str], index: int) -> int:
    index += 1
    while index < len(texts) and texts[index].isspace():
        index += 1
    return index


def _next_word(texts: Sequence[str], index: int) -> str:
    position = _next_word_index(texts, index)
    return texts[position] if position < len(texts) else ""


_NOT_ALNUM_RE = re.compile(r"[\W_]+")


def may_be_style(old: Sequence[str], new: Sequence[str]) -> bool:
    """A quick test that rules out most real edits: house style keeps the letters and
    digits (`per cent`/`percent`, `1,000`/`1000`) unless a wire abbreviation is involved."""
    old_text, new_text = "".join(old), "".join(new)
    if _NOT_ALNUM_RE.sub("", old_text).casefold() == _NOT_ALNUM_RE.sub("", new_text).casefold():
        return True
    words = {word.casefold() for word in (*old, *new)}
    return bool(words & _ABBREVIATED_OR_EXPANDED) or "%" in words


_ABBREVIATED_OR_EXPANDED = frozenset(ABBREVIATION_WORDS) | frozenset(ABBREVIATION_WORDS.values())


def phrase_noise_kind(old: Sequence[str], new: Sequence[str]) -> ChangeKind | None:
    """Noise kind of a replacement of token texts `old` by `new` (with the same words
    around them on both sides), or None when it is an edit.

    Only glyphs, spacing, a full stop after a known abbreviation, `per cent`/`percent`/
    `pct`/`%`, `1,000`/`1000` and `well-known`/`well known` may differ; case and spelling
    must match exactly (those are per-token rules, with their context checks).
    """
    if not may_be_style(old, new):
        return None
    # The most lenient key first: where even it differs (nearly always), stop there.
    if _phrase_key(old, style=True, abbreviations=True) != _phrase_key(
        new, style=True, abbreviations=True
    ):
        return None
    if _phrase_key(old, style=False, abbreviations=False) == _phrase_key(
        new, style=False, abbreviations=False
    ):
        return ChangeKind.TYPOGRAPHY
    if _phrase_key(old, style=False, abbreviations=True) == _phrase_key(
        new, style=False, abbreviations=True
    ):
        return ChangeKind.ABBREVIATION
    if _phrase_key(old, style=True, abbreviations=True) == _phrase_key(
        new, style=True, abbreviations=True
    ):
        return ChangeKind.STYLE
    return None


# --- typo fixes ---------------------------------------------------------------------------

#: A prefix that turns a word around: `likely`/`unlikely`, `legally`/`illegally`.
NEGATING_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non", "mis", "anti", "de")
#: Spelled numbers and amounts: never a typo fix (`eight`/`eighty`, `million`/`billion`).
NUMBER_WORDS = frozenset(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "billions",
        "trillion",
        "trillions",
        "dozen",
        "dozens",
        "half",
        "quarter",
        "third",
        "thirds",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "twice",
        "once",
        "double",
        "triple",
        "first",
        "second",
        "percent",
        "pct",
        "mln",
        "bln",
        "dlrs",
        "minus",
    ]
)


@lru_cache(maxsize=1)
def _spell_checker() -> SpellChecker:
    # pyspellchecker's English list leaves out common misspellings (`recieve`, `teh`),
    # which frequency lists such as wordfreq count as words; loaded on first use (0.1 s).
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=2)


def is_word(word: str) -> bool:
    """Is `word` (lower case) in the English word list?"""
    return word in _spell_checker()


def is_typo_fix(old: str, new: str) -> bool:
    """A one-word change that only fixes a misspelling (`defens` -> `defense`).

    The old form must not be a word at all and the new one must be one of the word
    list's nearest words to it; both lower case, letters only, no number word and no
    negating prefix told apart. Anything else (`fired`/`hired`, `Iran`/`Iraq`,
    `urged`/`urges`) is an edit.
    """
    if not (old.isalpha() and new.isalpha()) or not (old.islower() and new.islower()):
        return False
    if min(len(old), len(new)) < 3 or old in NUMBER_WORDS or new in NUMBER_WORDS:
        return False
    if old in _spell_checker() or _differs_by_prefix(old, new):
        return False  # the old form is a word: a different word, not a typo
    limit = 1 if max(len(old), len(new)) < 8 else 2
    if edit_distance(old, new, limit) > limit:
        return False
    return _is_nearest_word(old, new)


@lru_cache(maxsize=4096)
def _is_nearest_word(old: str, new: str) -> bool:
    checker = _spell_checker()
    if old in checker or new not in checker:
        return False
    return new in (checker.candidates(old) or ())


def _differs_by_prefix(old: str, new: str) -> bool:
    return any(old == prefix + new or new == prefix + old for prefix in NEGATING_PREFIXES)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count one), or limit + 1 when larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]
