"""How alike two sentences are, with house style folded away.

A sentence's key is its tokens folded the way the word diff folds them (`reader.diff.tokens`:
quotes, dashes, case, `U.S.`/`US`, British/American spelling), without whitespace: two
sentences with one key differ only in house style or re-flow. Anything else, a changed
number or an added `not` included, makes the keys differ, so such a sentence is an
update even when it is 95% alike.

Similarity for pairing is measured on sets of folded content words (function words
dropped, since every sentence shares `the` and `said`): Dice's coefficient for one
sentence against one, containment for the parts of a split or a merge.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.diff.tokens import tokenize
from reader.text.folding import fold_abbreviation, fold_typography

#: Words too common to say that two sentences are about the same thing.
_FUNCTION_WORDS_TEXT = (
    "a an the and or but of to in on at for by with from as is are was were be been "
    "has have had it its he she they his her their this that which who said says "
    "will would could should may might also after before over than into about"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """What sentence matching looks at: the folded key, and the content words."""

    key: tuple[str, ...]
    words: frozenset[str]
    written: tuple[str, ...] = ()  # the tokens of `key` as written


def sentence_features(text: str) -> SentenceFeatures:
    """The key and content words of one sentence."""
    tokens = [token for token in tokenize(" ".join(text.split())) if not token.is_space]
    key = tuple(token.key for token in tokens)
    all_words = frozenset(token.key for token in tokens if token.is_word)
    content = all_words - _FUNCTION_WORDS
    written = tuple(token.text for token in tokens)
    return SentenceFeatures(key, content or all_words, written)


def recased_word(old: SentenceFeatures, new: SentenceFeatures) -> bool:
    """Whether two sentences with one key differ in the case of a word past the first,
    between a capital and a small initial: that can change the word (`US`/`us`,
    `May`/`may`, `Polish`/`polish`), so it must not pass for house style. A headline set
    in capitals or title case on either side is house style.
    """
    if _headline_case(old.written) or _headline_case(new.written):
        return False
    for old_token, new_token in zip(old.written[1:], new.written[1:], strict=False):
        if old_token == new_token:
            continue
        a = fold_abbreviation(fold_typography(old_token))
        b = fold_abbreviation(fold_typography(new_token))
        if a != b and a[:1].isupper() != b[:1].isupper():
            return True
    return False


def _headline_case(written: tuple[str, ...]) -> bool:
    """All in capitals, or most words capitalised (title case)."""
    words = [token for token in written if token[:1].isalpha()]
    if not words:
        return False
    if all(word.upper() == word for word in words):
        return True
    capitalised = sum(1 for word in words if word[:1].isupper())
    return len(words) >= 3 and capitalised >= 0.7 * len(words)


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared words over the average size: 1.0 for the same words, 0.0 for none shared."""
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def containment(part: frozenset[str], whole: frozenset[str]) -> float:
    """The share of `part`'s words that are in `whole`."""
    return len(part & whole) / len(part) if part else 0.0
